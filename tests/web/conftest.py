"""The real service (storage, accounts, pages) on a temporary SQLite database, with two
cabinets of one user each: page tests and browser tests share these fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from proa import service as services
from proa.app import create_app
from proa.storage.db import Database


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    organisation: str


@dataclass(frozen=True)
class Site:
    url: str
    first: Account
    second: Account


def add_account(db: Database, email: str, organisation: str) -> Account:
    org = services.create_organisation(db, None, organisation, "cabinet")
    user, password = services.create_user(db, None, email, "employer", org.id)
    return Account(user.email, password, organisation)


@pytest.fixture(scope="session")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Path]]:
    path = tmp_path_factory.mktemp("web") / "proa.db"
    db = Database.open(f"sqlite:///{path}")
    yield db, path
    db.dispose()


@pytest.fixture(scope="session")
def accounts(database: tuple[Database, Path]) -> tuple[Account, Account]:
    db, _ = database
    return (
        add_account(db, "marie@cabinet-des-tilleuls.fr", "Cabinet des Tilleuls"),
        add_account(db, "paul@cabinet-du-port.fr", "Cabinet du Port"),
    )


@pytest.fixture(scope="session")
def app(database: tuple[Database, Path]) -> FastAPI:
    return create_app(database=database[0])


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    # A browser sends Origin with every form post; the service refuses cross-origin writes.
    with TestClient(app, headers={"Origin": "http://testserver"}) as c:
        yield c
