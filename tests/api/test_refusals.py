"""Reproductions (issue 12, §3 and §4): what reached people as a bare 500, a JSON page in a
browser, a body too large or a frame on another site. Every refusal is now a French
problem+json (API) or a French page (web) with the right status."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text

from tests.api.conftest import World
from tests.conftest import example_case

PROBLEM = "application/problem+json"
HUGE = "99999999999999999999999"


def _refused(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    body: dict[str, Any] = r.json()
    assert body["status"] == status and body["detail"]
    return body


def _page(r: Any, status: int) -> str:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("text/html")
    page: str = r.text
    assert '<html lang="fr">' in page
    return page


def test_dates_the_engine_cannot_handle_are_refused_at_input(world: World) -> None:
    far = dict(example_case(), end_date="9999-12-31")
    body = _refused(world.call("adminB", "POST", "/api/v1/cases", json={"payload": far}), 422)
    assert body["errors"][0]["field"] == "end_date"
    assert "inférieur ou égal à 2100-12-31" in body["errors"][0]["message"]
    inline = dict(example_case(), end_date="9999-12-30")
    _refused(world.call(None, "POST", "/api/v1/evaluate", json=inline), 422)
    assert world.call("adminB", "GET", "/api/v1/cases").status_code == 200


def test_one_bad_stored_case_never_takes_a_list_down(world: World) -> None:
    """A payload stored before the contract was bounded (written here behind its back)."""
    case_id = world.ids["caseB"]
    with world.db.writing() as session:
        session.execute(
            text("UPDATE case_versions SET payload = :p WHERE case_id = :c"),
            {"p": json.dumps(dict(example_case(), end_date="9999-12-31")), "c": case_id},
        )
    assert world.call("adminB", "GET", "/api/v1/cases").status_code == 200
    assert world.call("adminB", "GET", f"/api/v1/cases/{case_id}").status_code == 200
    assert world.call("adminB", "GET", "/api/v1/stats").status_code == 200
    for path in ("evaluation", "questions"):
        body = _refused(world.call("adminB", "GET", f"/api/v1/cases/{case_id}/{path}"), 422)
        assert body["errors"][0]["field"] == "end_date"


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/cases/{HUGE}",
        f"/api/v1/cases/{HUGE}/documents/avenant.pdf",
        "/api/v1/cases?offset=99999999999999999999",
        "/api/v1/cases?limit=-1",
        "/api/v1/cases?limit=100000",
        f"/api/v1/cases?organisation_id={HUGE}",
        "/api/v1/audit?offset=9223372036854775808",
        "/api/v1/cases/{case}/evaluation?at=0001-01-01",
        "/api/v1/cases/{case}/evaluation?at=2010-01-01",
        "/api/v1/cases/{case}/evaluation?at=9999-12-31",
        "/api/v1/parameters?at=0000-01-01",
        f"/api/v1/employees/{HUGE}/personal-data",
    ],
)
def test_out_of_range_ids_offsets_limits_and_dates_are_french_4xx(world: World, path: str) -> None:
    method = "DELETE" if path.endswith("personal-data") else "GET"
    r = world.call("adminB", method, path.format(case=world.ids["caseB"]))
    assert 400 <= r.status_code < 500, (path, r.status_code, r.text)
    assert r.headers["content-type"] == PROBLEM, path
    assert r.json()["detail"], path


def test_control_characters_in_a_name_are_refused(world: World) -> None:
    case = example_case()
    case["parties"]["employee_name"] = "Marie\x00Dupont"
    body = _refused(world.call("adminB", "POST", "/api/v1/cases", json={"payload": case}), 422)
    assert body["errors"][0]["field"] == "parties.employee_name"
    assert "caractère de contrôle" in body["errors"][0]["message"]
    r = world.call(
        None, "POST", "/api/v1/auth/login", json={"email": "a\x00@b.fr", "password": "x"}
    )
    assert r.status_code == 401


def test_unknown_addresses_answer_a_french_page_or_problem(world: World) -> None:
    page = _page(world.client.get("/nulle-part", headers={"Accept": "text/html"}), 404)
    assert "Page introuvable" in page
    _refused(world.client.get("/api/v1/nulle-part"), 404)
    _refused(world.client.request("PATCH", "/api/v1/cases", headers=world.h("adminB")), 405)
    world.client.cookies.set("proa_session", world.tokens["adminB"])
    try:
        assert "introuvable" in _page(world.client.get(f"/dossiers/{HUGE}"), 404)
        assert "introuvable" in _page(world.client.get("/dossiers/abc"), 404)
    finally:
        world.client.cookies.clear()


@pytest.mark.parametrize(("who", "status"), [("opco", 403), ("employeeA", 403), ("branch", 403)])
def test_a_role_that_may_not_create_gets_a_french_page(world: World, who: str, status: int) -> None:
    """« Créer un dossier » answered a plain "Internal Server Error" to these roles."""
    world.client.cookies.set("proa_session", world.tokens[who])
    try:
        r = world.client.post(
            "/dossiers/nouveau",
            data={"parties.employee_name": "Marie Curie"},
            headers={"Origin": "http://testserver"},
        )
    finally:
        world.client.cookies.clear()
    page = _page(r, status)
    assert "Internal Server Error" not in page and "<h1>" in page


def test_bodies_are_bounded_in_size_and_depth(world: World) -> None:
    big = b'{"agreement_date": "' + b"x" * (2 << 20) + b'"}'
    headers = {"Content-Type": "application/json"}
    _refused(world.client.post("/api/v1/evaluate", content=big, headers=headers), 413)
    deep = b"[" * 100_000 + b"]" * 100_000
    body = _refused(world.client.post("/api/v1/evaluate", content=deep, headers=headers), 422)
    assert "imbriqué" in body["detail"]
    _refused(world.client.post("/connexion", content=b"x" * (2 << 20)), 413)
    # Files of cases may be larger (their routes count what they read), up to their limit.
    upload = world.client.post(
        "/api/v1/batch",
        content=b"x" * (2 << 20),
        headers={**world.h("adminB"), "Content-Type": "multipart/form-data; boundary=b"},
    )
    assert upload.status_code != 413
    huge = {**world.h("adminB"), "Content-Length": str(100 << 20)}
    _refused(world.client.post("/api/v1/batch", content=b"", headers=huge), 413)


def test_pages_and_documents_forbid_framing_and_caching(world: World) -> None:
    """Reproduction: a page on another origin framed /dossiers/2 and one click moved the
    case ready → draft (clickjacking)."""
    world.client.cookies.set("proa_session", world.tokens["adminB"])
    try:
        pages = [
            world.client.get(f"/dossiers/{world.ids['caseB']}"),
            world.client.get(f"/api/v1/cases/{world.ids['caseB']}/documents/droits-salarie.pdf"),
            world.client.get("/api/v1/auth/me"),
        ]
    finally:
        world.client.cookies.clear()
    for r in pages:
        assert r.status_code == 200, r.text
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert "default-src 'self'" in r.headers["content-security-policy"]
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
        assert r.headers["cache-control"] == "no-store"
        assert "strict-transport-security" not in r.headers  # plain HTTP here
    assert "no-store" not in world.client.get("/static/proa.css").headers.get("cache-control", "")
    secure = world.client.get("https://testserver/api/v1/health")
    assert secure.headers["strict-transport-security"].startswith("max-age=")


def test_the_api_documentation_is_served_without_a_cdn(world: World) -> None:
    page = world.client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower() and "http" not in page.text.split("<body>")[1]
    for asset in ("/swagger/swagger-ui-bundle.js", "/swagger/swagger-ui.css", "/static/docs.js"):
        assert world.client.get(asset).status_code == 200, asset


def test_hostile_text_is_stored_as_given_and_escaped_in_pages(world: World) -> None:
    """Injection (ASVS 5.3.3, 5.3.4): SQL is parameterised, pages escape what they show."""
    case = example_case()
    case["parties"]["employee_name"] = "<script>alert(1)</script>'; DROP TABLE cases; --"
    created = world.call("adminB", "POST", "/api/v1/cases", json={"payload": case})
    assert created.status_code == 201
    case_id = created.json()["id"]
    back = world.call("adminB", "GET", f"/api/v1/cases/{case_id}").json()
    assert back["payload"]["parties"]["employee_name"] == case["parties"]["employee_name"]
    world.client.cookies.set("proa_session", world.tokens["adminB"])
    try:
        page = world.client.get(f"/dossiers/{case_id}").text
    finally:
        world.client.cookies.clear()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_an_unexpected_failure_is_a_french_500_without_details(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Errors (ASVS 7.4.1): no stack trace, no internal detail, the incident is logged."""
    from proa import service

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("secret interne")

    monkeypatch.setattr(service, "statistics", broken)
    client = type(world.client)(world.client.app, raise_server_exceptions=False)
    r = client.get("/api/v1/stats", headers=world.h("adminB"))
    body = _refused(r, 500)
    assert "journalisé" in body["detail"] and "secret" not in r.text
