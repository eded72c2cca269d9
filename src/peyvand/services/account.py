"""A person's own account: changing their password on the account page.

The current password is checked as a sign-in is (`services.login_throttle.sign_in`), so a borrowed or
stolen session cannot be used to guess it faster than the login form allows. The change ends every session
of the person (`services.users.change_password`); the page then starts a fresh one for this browser.
"""

from __future__ import annotations

from peyvand.services.access import InvalidInput, NotFound
from peyvand.services.login_throttle import LoginLimits, sign_in
from peyvand.services.users import UserInfo, change_password, check_password, get_user
from peyvand.storage.db import Store


class WrongPassword(InvalidInput):
    """The current password given is not the person's."""


class SamePassword(InvalidInput):
    """The new password is the current one (a one-time password "changed" to itself stays known to the
    admin who saw it)."""


def change_own_password(
    store: Store,
    *,
    user_id: int,
    current_password: str,
    new_password: str,
    address: str,
    limits: LoginLimits,
) -> UserInfo:
    """Set a new password when the current one is right; returns the user with their new session version.
    Raises `InvalidInput` for a new password the rules refuse (before the current one is checked, so a
    mistake there costs no sign-in attempt), `WrongPassword`, or `SignInThrottled`."""
    check_password(new_password)
    if new_password == current_password:
        raise SamePassword("the new password must differ from the current one")
    user = get_user(store, user_id=user_id)
    if user is None:
        raise NotFound("user")
    checked = sign_in(
        store, username=user.username, password=current_password, address=address, limits=limits
    )
    if checked is None or checked.id != user_id:
        raise WrongPassword("the current password is wrong")
    change_password(store, user_id=user_id, password=new_password, by=user_id)
    fresh = get_user(store, user_id=user_id)
    assert fresh is not None
    return fresh
