"""A populated service: two cabinets (A, B), a payroll firm managing A, an OPCO and a branch
overseeing A, another OPCO overseeing nothing, and one account per role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from proa import service as s
from proa.app import create_app
from proa.storage.db import Database
from tests.conftest import example_case

PASSWORD = "mot-de-passe-de-test"


@dataclass
class World:
    client: TestClient
    db: Database
    orgs: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)

    def h(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def call(self, who: str | None, method: str, path: str, **kw: Any) -> Any:
        headers = self.h(who) if who else {}
        return self.client.request(method, path, headers=headers, **kw)


def build_world(db: Database) -> World:
    client = TestClient(create_app(database=db), base_url="http://testserver")
    w = World(client=client, db=db)
    for name, kind in (
        ("A", "cabinet"),
        ("B", "cabinet"),
        ("P", "payroll_firm"),
        ("O", "opco"),
        ("O2", "opco"),
        ("BR", "branch"),
    ):
        w.orgs[name] = s.create_organisation(db, None, f"Org {name}", kind).id
    for parent in ("P", "O", "BR"):
        s.link_organisations(db, w.orgs[parent], w.orgs["A"])
    users = {
        "adminA": ("admin", "A"),
        "employerA": ("employer", "A"),
        "adminB": ("admin", "B"),
        "employerB": ("employer", "B"),
        "payroll": ("payroll", "P"),
        "adminP": ("admin", "P"),
        "opco": ("opco", "O"),
        "opco2": ("opco", "O2"),
        "branch": ("branch", "BR"),
    }
    for who, (role, org) in users.items():
        s.create_user(db, None, f"{who.lower()}@test.fr", role, w.orgs[org], PASSWORD)
    for who in users:
        w.tokens[who] = login(client, f"{who.lower()}@test.fr")
    # A's case (sent to the OPCO) and a draft, with an employee account for the first one.
    sent = client.post("/api/v1/cases", json={"payload": example_case()}, headers=w.h("adminA"))
    w.ids["caseA"], w.ids["employeeA"] = sent.json()["id"], sent.json()["employee_id"]
    for status in ("ready", "sent"):
        client.post(
            f"/api/v1/cases/{w.ids['caseA']}/status", json={"status": status}, headers=w.h("adminA")
        )
    draft = client.post(
        "/api/v1/cases",
        json={"payload": {"agreement_date": "2025-09-15"}},
        headers=w.h("employerA"),
    )
    w.ids["draftA"] = draft.json()["id"]
    s.create_user(
        db,
        None,
        "salarie@test.fr",
        "employee",
        w.orgs["A"],
        PASSWORD,
        employee_id=w.ids["employeeA"],
    )
    w.tokens["employeeA"] = login(client, "salarie@test.fr")
    mine = client.post("/api/v1/cases", json={"payload": example_case()}, headers=w.h("adminB"))
    w.ids["caseB"], w.ids["employeeB"] = mine.json()["id"], mine.json()["employee_id"]
    return w


def login(client: TestClient, email: str, password: str = PASSWORD) -> str:
    r = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert r.status_code == 200, r.text
    client.cookies.clear()  # tests authenticate with the bearer token unless they say so
    token: str = r.json()["token"]
    return token


@pytest.fixture
def world(db: Database) -> Iterator[World]:
    w = build_world(db)
    yield w
    w.client.close()
