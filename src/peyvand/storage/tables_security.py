"""The sign-in throttle's table: one row per failed sign-in, kept for the sliding window
(`PEYVAND_LOGIN_LOCKOUT_SECONDS`) and then removed (`services.login_throttle`).

`key` is the SHA-256 of what is counted (the address and the username tried, or the address alone), so the
table holds neither addresses nor usernames (a username field sometimes receives a password by mistake).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from peyvand.storage.tables import Base


class LoginFailure(Base):
    """One failed sign-in, counted under each of its keys."""

    __tablename__ = "login_failures"
    __table_args__ = (Index(None, "key", "failed_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(index=True)
