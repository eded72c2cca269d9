"""Shared fixtures: real databases (a SQLite file and a PostgreSQL server), schema built by the migrations,
one transaction rolled back per test."""

from __future__ import annotations

import os
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from peyvand.domain.brand import BrandProfile, parse_brand
from peyvand.services.access import Actor
from peyvand.services.workspaces import create_workspace
from peyvand.storage.db import Store, make_engine
from peyvand.storage.migrate import upgrade

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/peyvand_test"

BRAND_TOML = textwrap.dedent(
    """
    [brand]
    name = "چای نیلوفر"
    aliases = ["Niloofar Tea", "نیلوفر", "@niloofartea"]
    desired_attributes = ["natural"]
    journalist_domains = ["hamshahri.ir"]

    [[attributes]]
    key = "natural"
    terms = { en = ["natural", "organic"], fa = ["طبیعی", "ارگانیک"] }
    labels = { en = "Natural", fa = "طبیعی" }

    [[attributes]]
    key = "price"
    terms = { en = ["price", "expensive"], fa = ["قیمت", "گران"] }

    [[products]]
    key = "green-tea"
    names = ["green tea", "چای سبز"]

    [[competitors]]
    name = "Golden Leaf"
    aliases = ["برگ طلایی"]
    """
)


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing() -> Iterator[None]:
    """Argon2 with production parameters costs ~1 s a hash on two cores; tests use the cheapest valid ones."""
    from argon2 import PasswordHasher

    from peyvand.services import users

    saved = users._hasher
    users._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    users._hasher = saved


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--no-postgres", action="store_true", help="Run only the SQLite half of the suite.")


def _postgres_url() -> str:
    """The test database; each pytest-xdist worker gets its own (peyvand_test_gw0, …)."""
    url = make_url(os.environ.get("PEYVAND_TEST_POSTGRES_URL", DEFAULT_PG))
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return url.set(database=f"{url.database}_{worker}" if worker else url.database).render_as_string(
        hide_password=False
    )


def _ensure_pg_database(url: str) -> None:
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": parsed.database})
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        admin.dispose()


def _fresh_postgres() -> Engine:
    url = _postgres_url()
    _ensure_pg_database(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    return engine


def _postgres_or_skip(config: pytest.Config) -> Engine:
    if config.getoption("--no-postgres"):
        pytest.skip("--no-postgres")
    try:
        return _fresh_postgres()
    except Exception as exc:  # no server: skip unless the run requires PostgreSQL (make test does)
        if os.environ.get("PEYVAND_REQUIRE_POSTGRES") == "1":
            raise
        pytest.skip(f"PostgreSQL not reachable: {exc}")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated database of each kind, shared by the session (tests roll back their changes)."""
    if request.param == "sqlite":
        eng = make_engine(str(tmp_path_factory.mktemp("db") / "peyvand.sqlite"))
    else:
        eng = _postgres_or_skip(request.config)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def store(engine: Engine) -> Iterator[Store]:
    """A store whose service transactions are savepoints inside one transaction rolled back at the end."""
    connection = engine.connect()
    outer = connection.begin()
    try:
        yield Store(connection)
    finally:
        outer.rollback()
        connection.close()


@pytest.fixture
def brand() -> BrandProfile:
    import tomllib

    return parse_brand(tomllib.loads(BRAND_TOML))


@pytest.fixture
def brand_file(tmp_path: Path) -> Path:
    path = tmp_path / "brand.toml"
    path.write_text(BRAND_TOML, encoding="utf-8")
    return path


@pytest.fixture
def workspace(store: Store, brand: BrandProfile) -> Actor:
    """A workspace for the test brand, and the local operator acting in it."""
    info = create_workspace(store, brand=brand, slug=f"ws-{uuid.uuid4().hex[:8]}")
    return Actor.operator(info.id)


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    return tmp_path / "peyvand.sqlite"
