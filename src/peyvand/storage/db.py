"""The store: one engine (SQLite file or PostgreSQL server) and the transactions services run in."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from peyvand.storage.dialect import SQLITE_WRITE_TRANSACTION, configure_sqlite


def normalise_url(url: str) -> str:
    """Accept a bare file path or a plain postgresql:// URL and return a full SQLAlchemy URL."""
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


class Store:
    """Where services get their transaction. Bound to an engine, or (in tests) to a connection that is
    already inside a transaction, in which case each service transaction becomes a savepoint.

    It also carries the configured secret key and its earlier values (`PEYVAND_SECRET_KEY`,
    `PEYVAND_OLD_SECRET_KEYS`), from which `storage.sealed` derives the key of the secrets kept at rest."""

    def __init__(
        self,
        bind: Engine | Connection,
        *,
        secret_key: str | None = None,
        old_secret_keys: tuple[str, ...] = (),
    ) -> None:
        self.bind = bind
        self.use_secret_keys(secret_key, old_secret_keys)

    def __repr__(self) -> str:  # never the keys
        return f"Store({self.dialect})"

    def use_secret_keys(self, secret_key: str | None, old_secret_keys: tuple[str, ...] = ()) -> None:
        self.secret_key, self.old_secret_keys = secret_key or None, tuple(old_secret_keys)
        self._secret_box: object | None = None  # built on first use by storage.sealed.secret_box

    @classmethod
    def from_url(
        cls, url: str, *, secret_key: str | None = None, old_secret_keys: tuple[str, ...] = ()
    ) -> Store:
        return cls(make_engine(url), secret_key=secret_key, old_secret_keys=old_secret_keys)

    @property
    def dialect(self) -> str:
        return self.bind.dialect.name

    @property
    def engine(self) -> Engine:
        return self.bind if isinstance(self.bind, Engine) else self.bind.engine

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on an exception."""
        token = SQLITE_WRITE_TRANSACTION.set(write)
        try:
            with (
                Session(
                    self.bind, expire_on_commit=False, join_transaction_mode="create_savepoint"
                ) as session,
                session.begin(),
            ):
                yield session
        finally:
            SQLITE_WRITE_TRANSACTION.reset(token)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction (never takes SQLite's writer lock)."""
        with self.transaction(write=False) as session:
            yield session

    def dispose(self) -> None:
        if isinstance(self.bind, Engine):
            self.bind.dispose()
