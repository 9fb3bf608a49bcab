"""Attachments (issue 13, §3): the signed avenant and the OPCO's decision, kept with the
case, typed by their content, bounded, audited, read by whoever reads the case, gone with
the employee's personal data."""

from __future__ import annotations

import hashlib

from tests.api.conftest import World

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_attachments_are_typed_bounded_audited_and_erased(world: World) -> None:
    case = f"/api/v1/cases/{world.ids['caseA']}"
    up = world.call(
        "adminA",
        "POST",
        case + "/attachments",
        data={"kind": "avenant-signe"},
        files={"file": ("../../dossier/avenant signé.pdf", PDF, "text/plain")},
    )
    assert up.status_code == 201, up.text
    made = up.json()
    assert made["media_type"] == "application/pdf"  # by content, not by the declared type
    assert made["filename"] == "avenant signé.pdf"  # no path
    assert made["sha256"] == hashlib.sha256(PDF).hexdigest()
    fake = world.call(
        "adminA",
        "POST",
        case + "/attachments",
        data={"kind": "autre"},
        files={"file": ("virus.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
    )
    assert fake.status_code == 422 and fake.json()["errors"][0]["field"] == "file"
    big = world.call(
        "adminA",
        "POST",
        case + "/attachments",
        files={"file": ("gros.png", PNG + b"\x00" * (10 * 2**20), "image/png")},
    )
    assert big.status_code == 413
    bad_kind = world.call(
        "adminA", "POST", case + "/attachments", data={"kind": "x"}, files={"file": ("a.png", PNG)}
    )
    assert bad_kind.status_code == 422 and bad_kind.json()["errors"][0]["field"] == "kind"
    # The OPCO reads it and may add its decision, nothing else; another cabinet sees nothing.
    got = world.call("opco", "GET", f"{case}/attachments/{made['id']}")
    assert got.status_code == 200 and got.content == PDF
    assert "attachment;" in got.headers["content-disposition"]
    decision = world.call(
        "opco",
        "POST",
        case + "/attachments",
        data={"kind": "decision-opco"},
        files={"file": ("decision.png", PNG)},
    )
    assert decision.status_code == 201
    other = world.call(
        "opco",
        "POST",
        case + "/attachments",
        data={"kind": "avenant-signe"},
        files={"file": ("a.png", PNG)},
    )
    assert other.status_code == 403
    assert world.call("adminB", "GET", f"{case}/attachments/{made['id']}").status_code == 404
    foreign = world.call("adminB", "POST", case + "/attachments", files={"file": ("a.png", PNG)})
    assert foreign.status_code == 404
    listed = world.call("adminA", "GET", case + "/attachments").json()
    assert [a["kind"] for a in listed] == ["avenant-signe", "decision-opco"]
    trail = world.call("adminA", "GET", case + "/audit").json()
    attached = [e["after_hash"] for e in trail if e["action"] == "attach"]
    assert attached == [made["sha256"], hashlib.sha256(PNG).hexdigest()]
    erased = world.call(
        "adminA", "DELETE", f"/api/v1/employees/{world.ids['employeeA']}/personal-data"
    )
    assert erased.status_code == 200 and erased.json()["attachments"] == 2
    assert world.call("adminA", "GET", case + "/attachments").json() == []
