"""Shared database fixtures: every storage and API test runs on SQLite and PostgreSQL.

PostgreSQL: `PROA_TEST_POSTGRES_URL` (default the local server, database `test`). A template
database is migrated once per session; each test gets a fresh copy, dropped afterwards, so
parallel runs never collide. Unreachable server: skipped locally, a failure when CI=true.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from proa.service import passwords
from proa.storage.db import Database, make_engine, upgrade

PG_URL = os.environ.get(
    "PROA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
EXAMPLE = Path(__file__).resolve().parents[1] / "proa" / "examples" / "case.json"


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    # argon2 at production cost takes ~0.15 s a hash; the algorithm is the same.
    monkeypatch.setattr(
        passwords, "hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


def machine_lacks(reason: str, module: bool = False) -> NoReturn:
    """Something the machine lacks (scripts/needs.sh names it): skipped locally, where
    ./scripts/test says so before and after the run; a failure when CI=true."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI : {reason}")
    pytest.skip(reason, allow_module_level=module)


def example_case() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def _admin_url() -> URL:
    return make_url(PG_URL)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated template database; yields its name."""
    admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as c:
            c.execute(text("SELECT 1"))
    except Exception as exc:
        admin.dispose()
        machine_lacks(f"PostgreSQL injoignable ({PG_URL}) : {type(exc).__name__}")
    name = f"proa_tpl_{uuid.uuid4().hex[:12]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(_admin_url().set(database=name).render_as_string(hide_password=False))
    upgrade(engine)
    engine.dispose()
    yield name
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _fresh_pg(template: str) -> Iterator[str]:
    admin = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"proa_t_{uuid.uuid4().hex[:12]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield _admin_url().set(database=name).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, unmigrated-or-migrated database URL (PostgreSQL copies are migrated)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'proa.db'}"
    else:
        yield from _fresh_pg(request.getfixturevalue("pg_template"))


@pytest.fixture
def pg_url(pg_template: str) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database (for what only PostgreSQL can show)."""
    yield from _fresh_pg(pg_template)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database.open(database_url)
    yield database
    database.dispose()
