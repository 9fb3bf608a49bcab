"""Engines and transactions; migrations run programmatically (`upgrade head`).

The URL comes from the argument, else `PROA_DATABASE_URL`, else a SQLite file `proa.db`
in the working directory (created on first run).

Every use case runs in one short transaction, opened and closed inside the call:
`Database.reading()` for a read, `Database.writing()` for a change (committed at the end).
No connection or lock is ever held between two steps of a request, so a client that goes
away, or a slow one, holds nothing.

SQLite: WAL, foreign keys on, `synchronous=FULL` (a committed change survives a power cut),
a busy timeout. Reads begin a deferred transaction and never wait for a writer; writes go
through a second engine of one connection beginning with BEGIN IMMEDIATE, so that one writer
at a time runs in the process (the others queue for that connection, at most
`write_timeout` seconds) and the audit chain's read-then-append cannot interleave, even
with another process.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from proa.storage.search import SQLITE_FUNCTION, fold_text

DEFAULT_URL = "sqlite:///./proa.db"
POOL_SIZE = 16  # connections for readers: as many as request threads (`proa.app.THREADS`)
WRITE_TIMEOUT = 5.0  # seconds a change may wait for the writer or a connection
_MIGRATION_LOCK = 0x70726F62  # PostgreSQL advisory lock: one process migrates at a time


def database_url(url: str | None = None) -> str:
    return url or os.environ.get("PROA_DATABASE_URL") or DEFAULT_URL


def _sqlite_synchronous() -> str:
    value = os.environ.get("PROA_SQLITE_SYNCHRONOUS", "FULL").upper()
    if value not in ("NORMAL", "FULL", "EXTRA"):
        raise ValueError(
            f"PROA_SQLITE_SYNCHRONOUS : valeur invalide « {value} » (NORMAL, FULL ou EXTRA)"
        )
    return value


def _sqlite_engine(url: URL, *, writer: bool, pool_size: int, timeout: float) -> Engine:
    memory = url.database in (None, "", ":memory:")
    options: dict[str, Any] = {
        "connect_args": {"timeout": timeout, "check_same_thread": False},
    }
    if memory:  # one shared connection, or each would see its own empty database
        options["poolclass"] = StaticPool
    else:
        options.update(pool_size=1 if writer else pool_size, max_overflow=0, pool_timeout=timeout)
    engine = create_engine(url, **options)
    synchronous = _sqlite_synchronous()
    busy_ms = int(timeout * 1000)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let the BEGIN below rule
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        # Deleted or replaced content is overwritten with zeros, not left in free space
        # (erasure of personal data).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()
        # `proa.storage.search.fold`: case and accents ignored, as on PostgreSQL.
        dbapi_connection.create_function(SQLITE_FUNCTION, 1, fold_text, deterministic=True)

    begin = "BEGIN IMMEDIATE" if writer or memory else "BEGIN"

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)

    return engine


def make_engine(url: str | None = None, *, pool_size: int = POOL_SIZE) -> Engine:
    """The engine readers use (on PostgreSQL, writers too)."""
    resolved = make_url(database_url(url))
    if resolved.get_backend_name() == "sqlite":
        return _sqlite_engine(resolved, writer=False, pool_size=pool_size, timeout=WRITE_TIMEOUT)
    return create_engine(
        resolved,
        pool_size=pool_size,
        max_overflow=0,
        pool_timeout=WRITE_TIMEOUT,
        pool_recycle=3600,
        pool_pre_ping=True,
    )


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (Alembic, migrations shipped inside the package).

    On PostgreSQL an advisory lock lets several starting processes migrate one at a time."""
    from alembic import command

    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
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
    """A migrated database: short read and write transactions."""

    engine: Engine
    writer: Engine
    readers: sessionmaker[Session]
    writers: sessionmaker[Session]
    # What services keep in this process between transactions (the session tokens'
    # actors, `proa.service.login`): never data that must survive the process.
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def open(
        cls, url: str | None = None, *, migrate: bool = True, pool_size: int = POOL_SIZE
    ) -> Database:
        engine = make_engine(url, pool_size=pool_size)
        if engine.dialect.name == "sqlite" and engine.pool.__class__ is not StaticPool:
            writer = _sqlite_engine(engine.url, writer=True, pool_size=1, timeout=WRITE_TIMEOUT)
        else:
            writer = engine
        if migrate:
            upgrade(writer)
        return cls(
            engine,
            writer,
            sessionmaker(engine, expire_on_commit=False),
            sessionmaker(writer, expire_on_commit=False),
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only transaction, rolled back and its connection returned at the end."""
        with self.readers() as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A change: committed when the block ends normally, rolled back otherwise."""
        with self.writers() as session:
            yield session
            session.commit()

    def purge(self) -> None:
        """After an erasure, drop the older copies the database still keeps: SQLite's
        write-ahead log is checkpointed and truncated; PostgreSQL's dead row versions of
        the payload tables are vacuumed (docs/security.md says what remains elsewhere)."""
        if self.dialect == "sqlite":
            raw = self.writer.raw_connection()  # no BEGIN: a checkpoint runs outside one
            try:
                raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            finally:
                raw.close()
            return
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql("VACUUM case_versions, evaluations, employees, attachments")

    def dispose(self) -> None:
        self.engine.dispose()
        if self.writer is not self.engine:
            self.writer.dispose()
