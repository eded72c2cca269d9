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


_RUN_ID = uuid.uuid4().hex[:8]


def _postgres_url() -> str:
    """A database of this test run alone (per pytest-xdist worker), dropped when the run ends, so runs
    from several checkouts on one server never share a schema."""
    url = make_url(os.environ.get("PEYVAND_TEST_POSTGRES_URL", DEFAULT_PG))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return url.set(database=f"{url.database}_{worker}_{_RUN_ID}").render_as_string(hide_password=False)


def _admin(url: str) -> Engine:
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def _create_pg_database(url: str) -> None:
    admin = _admin(url)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{make_url(url).database}"'))
    finally:
        admin.dispose()


def _drop_pg_database(url: str) -> None:
    admin = _admin(url)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _postgres_or_skip(config: pytest.Config) -> tuple[Engine, str]:
    if config.getoption("--no-postgres"):
        pytest.skip("--no-postgres")
    url = _postgres_url()
    try:
        _create_pg_database(url)
    except Exception as exc:  # no server: skip unless the run requires PostgreSQL (make test does)
        if os.environ.get("PEYVAND_REQUIRE_POSTGRES") == "1":
            raise
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    return make_engine(url), url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A migrated database of each kind, shared by the session (tests roll back their changes)."""
    url = None
    if request.param == "sqlite":
        eng = make_engine(str(tmp_path_factory.mktemp("db") / "peyvand.sqlite"))
    else:
        eng, url = _postgres_or_skip(request.config)
    upgrade(eng)
    yield eng
    eng.dispose()
    if url:
        _drop_pg_database(url)


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
