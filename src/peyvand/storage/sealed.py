"""Secrets Peyvand must read back, encrypted at rest: the signing secret of the outbound integration and
of generic webhooks, Meta's app secret and verify token, Telegram's secret token.

They are Fernet tokens (`cryptography`: AES-128-CBC with an HMAC-SHA256, a random IV and a timestamp)
stored as `fernet:<token>`. The Fernet key is HKDF-SHA256 of the secret key with a purpose label, so the
key that signs session cookies and the key that encrypts secrets are independent of each other. Which
secret key:

- `PEYVAND_SECRET_KEY`, when set: the key lives outside the database, so a copy of the database (a dump, a
  backup, a stolen SQLite file) holds no usable secret;
- otherwise the key generated once and kept in `app_secrets` (`session_key`, the one that signs sessions):
  a stored secret is then safe from anything that shows single rows or columns (exports, logs, a shared
  screenshot of a table), but not from a copy of the whole database, which holds its own key.

Earlier keys still decrypt (MultiFernet): `PEYVAND_OLD_SECRET_KEYS`, and the database-kept key when a
configured one has replaced it. `peyvand secrets reseal` re-encrypts every stored secret under the current
key. A value without the prefix is a plain one from before encryption (migration 0700 sealed those); it is
still read as it is.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from peyvand.storage.tables import AppSecret

if TYPE_CHECKING:
    from peyvand.storage.db import Store

PREFIX = "fernet:"
PURPOSE = b"peyvand secrets at rest v1"  # the migration 0700 keeps a frozen copy of this derivation
SESSION_KEY = "session_key"


class SecretUnreadable(RuntimeError):
    """A stored secret none of the keys decrypts (the secret key changed without its old value kept)."""


def derive_key(secret_key: str) -> bytes:
    """The Fernet key derived from a secret key (HKDF-SHA256, no salt, the purpose as info)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE)
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode("utf-8")))


def is_sealed(value: str | None) -> bool:
    return value is not None and value.startswith(PREFIX)


class SecretBox:
    """Seals with the first key, opens with any (MultiFernet)."""

    def __init__(self, secret_keys: Sequence[str]) -> None:
        if not secret_keys:
            raise ValueError("a SecretBox needs at least one key")
        self._fernet = MultiFernet([Fernet(derive_key(k)) for k in secret_keys])
        self.key_count = len(secret_keys)

    def __repr__(self) -> str:  # never the keys
        return f"SecretBox(keys={self.key_count})"

    def seal(self, plain: str) -> str:
        return PREFIX + self._fernet.encrypt(plain.encode("utf-8")).decode("ascii")

    def open(self, stored: str) -> str:
        if not is_sealed(stored):
            return stored  # a plain value from before encryption
        try:
            return self._fernet.decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError):
            raise SecretUnreadable(
                "a stored secret cannot be decrypted with PEYVAND_SECRET_KEY (nor PEYVAND_OLD_SECRET_KEYS): "
                "if the key was changed, add its earlier value to PEYVAND_OLD_SECRET_KEYS"
            ) from None

    def open_optional(self, stored: str | None) -> str | None:
        return None if stored is None else self.open(stored)

    def reseal(self, stored: str) -> str:
        """The value sealed under the current key (a plain value is sealed; a sealed one re-encrypted)."""
        return self.seal(self.open(stored))


def kept_secret(store: Store, name: str, *, create: bool = True) -> str | None:
    """A secret Peyvand generated for itself and keeps in `app_secrets` (made on first use)."""
    with store.read() as session:
        value = session.scalar(select(AppSecret.value).where(AppSecret.name == name))
    if value is not None or not create:
        return value
    try:
        with store.transaction() as session:
            session.add(AppSecret(name=name, value=secrets.token_urlsafe(48)))
    except IntegrityError:  # another process made it first: use theirs
        pass
    return kept_secret(store, name, create=False)


def secret_box(store: Store) -> SecretBox:
    """The store's box (built once per store). Call it before opening the transaction that needs it:
    making the database-kept key is a write of its own."""
    cached = store._secret_box
    if isinstance(cached, SecretBox):
        return cached
    configured, earlier = store.secret_key, store.old_secret_keys
    kept = kept_secret(store, SESSION_KEY, create=configured is None)
    keys = [k for k in (configured, *earlier, kept) if k]
    box = SecretBox(list(dict.fromkeys(keys)))
    store._secret_box = box
    return box
