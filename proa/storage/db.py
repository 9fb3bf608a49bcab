"""Engine and session factory; migrations run programmatically (`upgrade head`).

The URL comes from the argument, else `PROA_DATABASE_URL`, else a SQLite file `proa.db`
in the working directory (created on first run). SQLite runs in WAL mode with foreign keys
on, and every transaction starts with BEGIN IMMEDIATE so that the audit chain's
read-then-append cannot interleave between writers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///./proa.db"


def database_url(url: str | None = None) -> str:
    return url or os.environ.get("PROA_DATABASE_URL") or DEFAULT_URL


def make_engine(url: str | None = None) -> Engine:
    resolved = make_url(database_url(url))
    if resolved.get_backend_name() != "sqlite":
        return create_engine(resolved, pool_pre_ping=True, pool_size=10, max_overflow=10)
    engine = create_engine(resolved, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below rule
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # FULL: a commit reported to the client survives a crash of the process or the OS.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (Alembic, migrations shipped inside the package)."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command

    with engine.begin() as connection:
        command.downgrade(_config(connection), revision)


def _config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "proa.storage:migrations")
    config.attributes["connection"] = connection
    return config


@dataclass
class Database:
    """An engine and its session factory, migrated to the latest schema."""

    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def open(cls, url: str | None = None, *, migrate: bool = True) -> Database:
        engine = make_engine(url)
        if migrate:
            upgrade(engine)
        return cls(engine, sessionmaker(engine, expire_on_commit=False))

    def session(self) -> Session:
        return self.sessions()

    def dispose(self) -> None:
        self.engine.dispose()
