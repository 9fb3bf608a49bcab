"""The REST API end to end: cases, statuses, errors in French, auth, CSRF, rate limit,
erasure, public law endpoints."""

from __future__ import annotations

from tests.api.conftest import PASSWORD, World
from tests.conftest import example_case


def test_case_lifecycle(world: World) -> None:
    r = world.call(
        "employerB", "POST", "/api/v1/cases", json={"payload": {"agreement_date": "2025-09-15"}}
    )
    assert r.status_code == 201
    case = f"/api/v1/cases/{r.json()['id']}"
    questions = world.call("employerB", "GET", case + "/questions").json()
    assert questions[0]["path"] == "employer.idcc"
    assert questions[0]["question"].endswith("?")
    r = world.call(
        "employerB", "PUT", case, json={"payload": example_case(), "expected_version": 1}
    )
    assert r.json()["version"] == 2
    r = world.call("employerB", "PUT", case, json={"payload": {}, "expected_version": 1})
    assert r.status_code == 409 and "rechargez" in r.json()["detail"]
    assert (
        world.call("employerB", "POST", case + "/status", json={"status": "ready"}).json()[
            "decision"
        ]
        == "eligible"
    )
    listed = world.call("employerB", "GET", "/api/v1/cases", params={"status": "ready"}).json()
    assert [c["id"] for c in listed] == [int(case.rsplit("/", 1)[1])]
    assert (
        world.call("employerB", "GET", "/api/v1/cases", params={"status": ["draft", "sent"]}).json()
        != listed
    )
    export = world.call("employerB", "GET", case + "/export").json()
    assert export["format"] == "proa-case-file/1" and len(export["versions"]) == 2
    assert [a["action"] for a in export["audit"]] == [
        "create",
        "update",
        "evaluate",
        "status:ready",
    ]
    assert world.call("employerB", "DELETE", case).status_code == 204
    assert world.call("employerB", "GET", case).status_code == 404


def test_errors_are_french_problem_json_naming_the_field(world: World) -> None:
    bad = example_case()
    bad["end_date"] = "2025-01-01"
    r = world.call("employerB", "POST", "/api/v1/cases", json={"payload": bad})
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["errors"][0]["field"] == "end_date"
    assert body["errors"][0]["message"] == "la date de fin précède la date de début"
    r = world.call("employerB", "POST", "/api/v1/cases", json={"nothing": 1})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "payload"
    assert r.json()["errors"][0]["message"] == "champ obligatoire"
    r = world.call("employerB", "GET", "/api/v1/cases", params={"status": "perdu"})
    assert r.status_code == 422 and "« status" in r.json()["detail"]
    assert "non reconnue" in r.json()["detail"]
    r = world.call(None, "GET", "/api/v1/cases")
    assert r.status_code == 401 and "connectez-vous" in r.json()["detail"]
    r = world.call(
        "employerB",
        "POST",
        f"/api/v1/cases/{world.ids['caseB']}/status",
        json={"status": "finished"},
    )
    assert r.status_code == 409 and "passage impossible" in r.json()["detail"]


def test_inline_evaluation_and_law_need_no_account(world: World) -> None:
    r = world.call(None, "POST", "/api/v1/evaluate", json=example_case())
    assert r.status_code == 200 and r.json()["decision"] == "eligible"
    assert r.json()["rulepack_version"]
    assert r.json()["findings"][0]["message_en"] is None
    english = world.call(None, "POST", "/api/v1/evaluate?en=true", json=example_case()).json()
    assert all(f["message"] and f["message_en"] for f in english["findings"])
    r = world.call(None, "POST", "/api/v1/evaluate", json={"training_hours": -1})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "training_hours"
    r = world.call(None, "POST", "/api/v1/questions", json={})
    assert r.json()[0]["path"] == "agreement_date"
    rules = world.call(None, "GET", "/api/v1/rules").json()
    page = world.call(None, "GET", f"/api/v1/rules/{rules[0]['name']}").json()
    assert page["sources"]
    assert world.call(None, "GET", "/api/v1/rules/inconnue").status_code == 404
    duration = world.call(None, "GET", "/api/v1/rules/pro-a.duration?en=true").json()
    assert duration["condition"].startswith("(‹length of the action› ≥")
    french = world.call(None, "GET", "/api/v1/rules/pro-a.duration").json()
    assert french["condition"].startswith("(‹durée de l'action› ≥")
    params = world.call(None, "GET", "/api/v1/parameters", params={"at": "2025-10-01"}).json()
    assert all(p["sources"] for p in params if p["value"] is not None)
    one = world.call(None, "GET", f"/api/v1/parameters/{params[0]['name']}").json()
    assert one["history"]
    assert "/api/v1/cases" in world.call(None, "GET", "/openapi.json").json()["paths"]


def test_cookie_sessions_need_the_same_origin_for_writes(world: World) -> None:
    c = world.client
    r = c.post("/api/v1/auth/login", json={"email": "employerb@test.fr", "password": PASSWORD})
    assert "httponly" in r.headers["set-cookie"].lower()
    assert "samesite=lax" in r.headers["set-cookie"].lower()
    assert c.get("/api/v1/auth/me").json()["email"] == "employerb@test.fr"
    body = {"payload": example_case()}
    assert c.post("/api/v1/cases", json=body).status_code == 403
    evil = c.post("/api/v1/cases", json=body, headers={"Origin": "http://evil.example"})
    assert evil.status_code == 403 and "origine" in evil.json()["detail"]
    ok = c.post("/api/v1/cases", json=body, headers={"Origin": "http://testserver"})
    assert ok.status_code == 201
    assert c.post("/api/v1/auth/logout", headers={"Origin": "http://testserver"}).status_code == 204
    c.cookies.clear()
    assert c.get("/api/v1/auth/me").status_code == 401


def test_logins_are_rate_limited(world: World) -> None:
    for _ in range(5):
        r = world.call(
            None,
            "POST",
            "/api/v1/auth/login",
            json={"email": "adminb@test.fr", "password": "faux mot de passe"},
        )
        assert r.status_code == 401 and "incorrect" in r.json()["detail"]
    r = world.call(
        None, "POST", "/api/v1/auth/login", json={"email": "adminb@test.fr", "password": PASSWORD}
    )
    assert r.status_code == 429
    assert r.headers["retry-after"] == "300"
    assert "trop de tentatives" in r.json()["detail"]


def test_erasure_through_the_api(world: World) -> None:
    payload = example_case()
    payload["parties"] = {"employee_name": "Jeanne Exemple"}
    r = world.call("adminB", "POST", "/api/v1/cases", json={"payload": payload})
    case_id, employee = r.json()["id"], r.json()["employee_id"]
    r = world.call("adminB", "DELETE", f"/api/v1/employees/{employee}/personal-data")
    assert r.status_code == 200 and r.json()["versions"] == 1
    text = world.call("adminB", "GET", f"/api/v1/cases/{case_id}/export").text
    assert "Jeanne" not in text and "1990-05-12" not in text
    audit = world.call("adminB", "GET", "/api/v1/audit").json()
    assert audit[-1]["action"] == "erase"


def test_documents_are_issued_by_post_and_refused_when_not_allowed(world: World) -> None:
    case = f"/api/v1/cases/{world.ids['caseB']}"
    r = world.call("adminB", "POST", case + "/documents/avenant.pdf")
    assert r.status_code == 201 and r.content.startswith(b"%PDF")
    assert r.headers["content-type"] == "application/pdf"
    meta = world.call("adminB", "GET", case + "/documents").json()
    assert [(d["kind"], d["format"], d["sha256"]) for d in meta] == [
        ("avenant", "pdf", r.headers["x-proa-sha256"])
    ]
    assert meta[0]["rulepack_version"]
    assert world.call("adminB", "GET", case + "/audit").json()[-1]["action"] == "document"
    assert world.call("adminB", "GET", case + "/documents/avenant.exe").status_code == 404
    assert world.call("adminB", "GET", case + "/documents/inconnu.pdf").status_code == 404
    draft = world.call(
        "adminB", "POST", "/api/v1/cases", json={"payload": {"agreement_date": "2025-09-15"}}
    ).json()["id"]
    refused = world.call("adminB", "POST", f"/api/v1/cases/{draft}/documents/avenant.docx")
    assert refused.status_code == 409 and "refusé" in refused.json()["detail"]
    marked = world.call(
        "adminB", "GET", f"/api/v1/cases/{draft}/documents/avenant.docx", params={"draft": "true"}
    )
    assert marked.status_code == 200 and marked.content.startswith(b"PK")
    assert world.call("adminB", "GET", f"/api/v1/cases/{draft}/documents").json() == []


def test_a_get_never_writes(world: World) -> None:
    """Reproduction (issue 12, §4): a read-only role's GET …/documents/avenant.pdf?draft=true
    wrote document rows and audit events."""
    case = f"/api/v1/cases/{world.ids['caseA']}"
    trail = world.call("adminA", "GET", case + "/audit").json()
    r = world.call("opco", "GET", case + "/documents/avenant.docx", params={"draft": "true"})
    assert r.status_code == 200 and r.content.startswith(b"PK")
    assert world.call("opco", "GET", case + "/evaluation").status_code == 200
    assert world.call("adminA", "GET", case + "/documents").json() == []
    assert world.call("adminA", "GET", case + "/audit").json() == trail
    issued = world.call("opco", "POST", case + "/documents/avenant.docx")
    assert issued.status_code == 403


def test_re_evaluating_a_stored_case_at_another_date_keeps_its_regime(world: World) -> None:
    """Loi n° 2025-989, art. 11, III: an avenant concluded on 2025-11-20 stays Pro-A when the
    stored case is evaluated under the law of 2026-03-01 (`?at=` picks the parameters only);
    a law date before the case's regime is refused, naming `at`."""
    payload = example_case() | {
        "agreement_date": "2025-11-20",
        "start_date": "2025-12-01",
        "end_date": "2026-11-30",
    }
    r = world.call("employerB", "POST", "/api/v1/cases", json={"payload": payload})
    case = f"/api/v1/cases/{r.json()['id']}"
    stored = world.call("employerB", "POST", case + "/evaluate", params={"at": "2026-03-01"})
    assert stored.status_code == 201
    assert stored.json()["regime"] == "pro-a"
    assert stored.json()["result"]["law_date"] == "2026-03-01"
    read = world.call("employerB", "GET", case + "/evaluation", params={"at": "2026-03-01"})
    assert read.json()["regime"] == "pro-a" and read.json()["decision"] == "eligible"
    before = world.call("employerB", "GET", case + "/evaluation", params={"at": "2018-06-01"})
    assert before.status_code == 422
    assert before.json()["errors"][0]["field"] == "at"


def test_the_case_list_searches_sorts_and_counts(world: World) -> None:
    """Optional keys of GET /cases (issue 13, §2): a search in employees' names, an order,
    and the count of the whole list in X-Total-Count."""
    other = dict(example_case(), parties={"employee_name": "Hélène Roux"})
    created = world.call("adminA", "POST", "/api/v1/cases", json={"payload": other}).json()
    r = world.call("adminA", "GET", "/api/v1/cases?employee_name=HELENE&limit=1")
    assert r.status_code == 200
    assert [c["id"] for c in r.json()] == [created["id"]]
    assert r.headers["X-Total-Count"] == "1"
    every = world.call("adminA", "GET", "/api/v1/cases?sort=created_at&limit=1")
    assert every.headers["X-Total-Count"] == "3"  # A's sent case, its draft, this one
    assert every.json()[0]["id"] == world.ids["caseA"]
    r = world.call("adminA", "GET", "/api/v1/cases?sort=salaire")
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "sort (paramètre)"
    r = world.call("adminA", "GET", "/api/v1/cases?employee_name=%00")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "employee_name"


def test_the_coming_deadlines_of_the_cases_one_may_read(world: World) -> None:
    """GET /deadlines (issue 13, §4): A's sent case (deposit 6 October 2025, met by the
    sending; OPCO decision 26 October 2025) for A's users and A's OPCO, nothing for cabinet
    B's case to them."""
    r = world.call("adminA", "GET", "/api/v1/deadlines?start=2025-10-01&end=2025-10-31")
    assert r.status_code == 200 and r.headers["X-Total-Count"] == "1"
    assert [(d["case_id"], d["due_date"]) for d in r.json()] == [(world.ids["caseA"], "2025-10-26")]
    assert r.json()[0]["employee_name"] == "Marie Dupont"
    opco = world.call("opco", "GET", "/api/v1/deadlines?start=2025-10-01&end=2025-10-31")
    assert [d["case_id"] for d in opco.json()] == [world.ids["caseA"]]
    other = world.call("adminB", "GET", "/api/v1/deadlines?start=2025-10-01&end=2025-10-31")
    assert [d["case_id"] for d in other.json()] == [world.ids["caseB"]] * 2
    assert world.call("branch", "GET", "/api/v1/deadlines?start=2025-10-01").json() == []
    bad = world.call("adminA", "GET", "/api/v1/deadlines?start=2025-10-31&end=2025-10-01")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "end"
    assert "la fin doit suivre le début" in bad.json()["detail"]
    assert world.call(None, "GET", "/api/v1/deadlines").status_code == 401
