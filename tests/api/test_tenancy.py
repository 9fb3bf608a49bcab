"""No user reads or changes another organisation's data: every route, both databases.

The matrix below names every /api/v1 route; a route added without an entry fails
`test_every_route_is_in_the_matrix`.
"""

from __future__ import annotations

from typing import Any

from tests.api.conftest import World
from tests.conftest import example_case

# (method, path template, json body or None). {case} is A's case, {employee} A's employee.
OWNED: list[tuple[str, str, Any]] = [
    ("GET", "/api/v1/cases/{case}", None),
    ("PUT", "/api/v1/cases/{case}", {"payload": example_case()}),
    ("DELETE", "/api/v1/cases/{case}", None),
    ("POST", "/api/v1/cases/{case}/status", {"status": "accepted"}),
    ("GET", "/api/v1/cases/{case}/versions", None),
    ("POST", "/api/v1/cases/{case}/evaluate", None),
    ("GET", "/api/v1/cases/{case}/evaluation", None),
    ("GET", "/api/v1/cases/{case}/evaluations", None),
    ("GET", "/api/v1/cases/{case}/questions", None),
    ("GET", "/api/v1/cases/{case}/export", None),
    ("GET", "/api/v1/cases/{case}/audit", None),
    ("GET", "/api/v1/cases/{case}/documents", None),
    ("GET", "/api/v1/cases/{case}/documents/avenant.pdf", None),
    ("POST", "/api/v1/cases/{case}/documents/avenant.pdf", None),
    ("DELETE", "/api/v1/employees/{employee}/personal-data", None),
    ("GET", "/api/v1/cases/{case}/attachments", None),
    ("GET", "/api/v1/cases/{case}/attachments/1", None),
    ("POST", "/api/v1/users/{user}/deactivate", None),
    ("POST", "/api/v1/users/{user}/activate", None),
    ("POST", "/api/v1/users/{user}/reset-password", None),
]
# Collections: B's user must not see any of A's items.
LISTS = [
    "/api/v1/cases",
    "/api/v1/employees",
    "/api/v1/users",
    "/api/v1/audit",
    "/api/v1/organisations",
    "/api/v1/stats",
    "/api/v1/deadlines",
]
# Create routes that take a target organisation: B may not write into A.
CREATES: list[tuple[str, dict[str, Any]]] = [
    ("/api/v1/cases", {"payload": example_case(), "organisation_id": "{orgA}"}),
    ("/api/v1/cases", {"payload": example_case(), "employee_id": "{employee}"}),
    ("/api/v1/employees", {"organisation_id": "{orgA}"}),
    ("/api/v1/users", {"email": "intrus@test.fr", "role": "employer", "organisation_id": "{orgA}"}),
]
PUBLIC = {
    ("POST", "/api/v1/evaluate"),
    ("POST", "/api/v1/questions"),
    ("GET", "/api/v1/rules"),
    ("GET", "/api/v1/rules/{name}"),
    ("GET", "/api/v1/parameters"),
    ("GET", "/api/v1/parameters/{name}"),
    ("GET", "/api/v1/health"),
}
OWN_ONLY = {
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/logout"),
    ("GET", "/api/v1/auth/me"),
    ("POST", "/api/v1/auth/password"),
    # Multipart: its tenancy is tested in tests/api/test_attachments.py.
    ("POST", "/api/v1/cases/{case_id}/attachments"),
    ("POST", "/api/v1/organisations"),
    # Files of cases: nothing stored, the answer goes to the sender (tests/api/test_batch_api.py).
    ("POST", "/api/v1/batch"),
    ("POST", "/api/v1/batch/simulation"),
}


def _fill(w: World, value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _fill(w, v) for k, v in value.items()}
    if value == "{orgA}":
        return w.orgs["A"]
    if value == "{employee}":
        return w.ids["employeeA"]
    return value


def _template(path: str) -> str:
    return (
        path.replace("{case}", "{case_id}")
        .replace("{employee}", "{employee_id}")
        .replace("{user}", "{user_id}")
        .replace("avenant.pdf", "{filename}")
        .replace("attachments/1", "attachments/{attachment_id}")
    )


def test_every_route_is_in_the_matrix(world: World) -> None:
    covered = {(m, _template(p)) for m, p, _ in OWNED}
    covered |= {("GET", p) for p in LISTS} | {("POST", p) for p, _ in CREATES}
    covered |= PUBLIC | OWN_ONLY
    # The OpenAPI document lists every API route (routers are included lazily).
    paths = world.client.app.openapi()["paths"]  # type: ignore[attr-defined]
    assert len(paths) > 20
    for path, operations in paths.items():
        for method in operations:
            assert (method.upper(), path) in covered, f"untested route {method} {path}"


def test_another_organisation_gets_404_everywhere(world: World) -> None:
    a_payload = world.call("adminA", "GET", f"/api/v1/cases/{world.ids['caseA']}").json()
    a_users = world.call("adminA", "GET", "/api/v1/users").json()
    user = next(u["id"] for u in a_users if u["role"] != "admin")
    for who in ("adminB", "employerB", "opco2"):
        for method, path, body in OWNED:
            url = path.format(case=world.ids["caseA"], employee=world.ids["employeeA"], user=user)
            r = world.call(who, method, url, json=body)
            assert r.status_code == 404, (who, method, url, r.status_code, r.text)
            assert r.headers["content-type"] == "application/problem+json"
            assert "introuvable" in r.json()["detail"]
    # Nothing changed on A's side.
    after = world.call("adminA", "GET", f"/api/v1/cases/{world.ids['caseA']}").json()
    assert after == a_payload
    assert world.call("adminA", "GET", "/api/v1/users").json() == a_users


def test_another_organisation_lists_nothing_of_a(world: World) -> None:
    a_ids = {world.ids["caseA"], world.ids["draftA"], world.ids["employeeA"], world.orgs["A"]}
    for path in LISTS:
        # The example case's deadlines fall in October 2025.
        query = "?start=2025-10-01" if path == "/api/v1/deadlines" else ""
        r = world.call("adminB", "GET", path + query)
        assert r.status_code == 200, (path, r.text)
        items = r.json()
        if path == "/api/v1/stats":
            assert items["cases"] == 1  # B's own case only
            continue
        assert items, path  # B sees its own things…
        for item in items:  # …and only them
            org = item.get("organisation_id", item.get("id"))
            assert org == world.orgs["B"] or (
                path == "/api/v1/cases" and item["id"] not in a_ids
            ), (path, item)
    cases = world.call("adminB", "GET", "/api/v1/cases").json()
    assert [c["id"] for c in cases] == [world.ids["caseB"]]
    filtered = world.call(
        "adminB", "GET", "/api/v1/cases", params={"organisation_id": world.orgs["A"]}
    ).json()
    assert filtered == []


def test_another_organisation_cannot_create_into_a(world: World) -> None:
    for path, body in CREATES:
        r = world.call("adminB", "POST", path, json=_fill(world, body))
        assert r.status_code == 404, (path, r.text)
    employees = world.call("adminA", "GET", "/api/v1/employees").json()
    assert len(employees) == 2
    assert len(world.call("adminA", "GET", "/api/v1/cases").json()) == 2


def test_a_session_is_bound_to_its_owner(world: World) -> None:
    me = world.call("adminB", "GET", "/api/v1/auth/me").json()
    assert me["organisation_id"] == world.orgs["B"]
    r = world.call("adminB", "POST", "/api/v1/organisations", json={"name": "Intrus"})
    assert r.status_code == 403  # only a payroll firm's admin creates cabinets
    created = world.call("adminP", "POST", "/api/v1/organisations", json={"name": "Nouveau"})
    assert created.status_code == 201
    names = [o["name"] for o in world.call("adminB", "GET", "/api/v1/organisations").json()]
    assert names == ["Org B"]
