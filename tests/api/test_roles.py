"""Roles: OPCO read-only on submitted cases, employee on their own case, branch on
aggregates, payroll firm on the cabinets it manages."""

from __future__ import annotations

from tests.api.conftest import World
from tests.conftest import example_case


def test_opco_reads_submitted_cases_of_linked_cabinets_only(world: World) -> None:
    ids = [c["id"] for c in world.call("opco", "GET", "/api/v1/cases").json()]
    assert ids == [world.ids["caseA"]]  # not the draft, not B's case
    case = f"/api/v1/cases/{world.ids['caseA']}"
    assert world.call("opco", "GET", case).status_code == 200
    assert world.call("opco", "GET", case + "/evaluations").status_code == 200
    assert world.call("opco", "GET", f"/api/v1/cases/{world.ids['draftA']}").status_code == 404
    for method, path, body in (
        ("PUT", case, {"payload": example_case()}),
        ("POST", case + "/evaluate", None),
        ("DELETE", case, None),
    ):
        r = world.call("opco", method, path, json=body)
        assert r.status_code == 403, (method, path, r.text)
        assert "pas de le modifier" in r.json()["detail"]
    r = world.call("opco", "DELETE", f"/api/v1/employees/{world.ids['employeeA']}/personal-data")
    assert r.status_code == 404


def test_opco_decides_a_sent_case_a_refusal_with_its_reason(world: World) -> None:
    """R6324-3: the OPCO's refusal is reasoned; the reason is kept with the case and shown
    to the employer; the OPCO moves a sent case only to accepted or refused."""
    case = f"/api/v1/cases/{world.ids['caseA']}"
    r = world.call("opco", "POST", case + "/status", json={"status": "finished"})
    assert r.status_code == 409
    r = world.call("opco", "POST", case + "/status", json={"status": "refused"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
    r = world.call(
        "opco", "POST", case + "/status", json={"status": "refused", "reason": "Hors priorités."}
    )
    assert r.status_code == 200 and r.json()["status_reason"] == "Hors priorités."
    seen = world.call("adminA", "GET", case).json()
    assert (seen["status"], seen["status_reason"]) == ("refused", "Hors priorités.")
    r = world.call("opco", "POST", case + "/status", json={"status": "draft"})
    assert r.status_code == 403  # taking it back is the employer's
    back = world.call("adminA", "POST", case + "/status", json={"status": "draft"})
    assert back.status_code == 200 and back.json()["status_reason"] is None


def test_employee_reads_their_own_case_only(world: World) -> None:
    ids = [c["id"] for c in world.call("employeeA", "GET", "/api/v1/cases").json()]
    assert ids == [world.ids["caseA"]]
    case = f"/api/v1/cases/{world.ids['caseA']}"
    assert world.call("employeeA", "GET", case + "/export").status_code == 200
    assert world.call("employeeA", "GET", f"/api/v1/cases/{world.ids['draftA']}").status_code == 404
    assert world.call("employeeA", "POST", case + "/evaluate").status_code == 403
    assert (
        world.call(
            "employeeA", "POST", "/api/v1/cases", json={"payload": example_case()}
        ).status_code
        == 403
    )
    assert world.call("employeeA", "GET", "/api/v1/employees").status_code == 403
    assert world.call("employeeA", "GET", "/api/v1/audit").status_code == 403


def test_branch_sees_aggregates_and_law_only(world: World) -> None:
    assert world.call("branch", "GET", "/api/v1/cases").json() == []
    assert world.call("branch", "GET", f"/api/v1/cases/{world.ids['caseA']}").status_code == 404
    stats = world.call("branch", "GET", "/api/v1/stats").json()
    assert stats["cases"] == 2 and stats["by_status"]["sent"] == 1
    assert world.call("branch", "GET", "/api/v1/rules").status_code == 200


def test_payroll_firm_manages_its_cabinets(world: World) -> None:
    r = world.call("payroll", "POST", "/api/v1/cases", json={"payload": example_case()})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "organisation_id"
    r = world.call(
        "payroll",
        "POST",
        "/api/v1/cases",
        json={"payload": example_case(), "organisation_id": world.orgs["A"]},
    )
    assert r.status_code == 201
    ids = {c["id"] for c in world.call("payroll", "GET", "/api/v1/cases").json()}
    assert ids == {world.ids["caseA"], world.ids["draftA"], r.json()["id"]}
    r = world.call(
        "payroll",
        "POST",
        "/api/v1/cases",
        json={"payload": example_case(), "organisation_id": world.orgs["B"]},
    )
    assert r.status_code == 404
