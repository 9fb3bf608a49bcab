from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.testclient import TestClient

from proa.web import STATIC
from proa.web.routes import get_store, router
from tests.web.memory_store import MemoryStore


@pytest.fixture
def store() -> MemoryStore:
    s = MemoryStore()
    s.add_user("marie@cabinet-a.fr", "secret-a", "Cabinet A")
    s.add_user("paul@cabinet-b.fr", "secret-b", "Cabinet B")
    return s


@pytest.fixture
def client(store: MemoryStore) -> Iterator[TestClient]:
    app = FastAPI()
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.dependency_overrides[get_store] = lambda: store
    with TestClient(app) as c:
        yield c
