"""The deadline pages (issue 13, §4): the coming deadlines of the user's cases, the calendar
feed behind a secret address (RFC 5545, no personal data), the e-mail reminder choice."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from proa import service as s
from proa.storage.db import Database
from proa.web import deadlines as web_deadlines
from proa.web import ical
from tests.web.conftest import Account
from tests.web.test_lists import cabinet
from tests.web.test_pages import assert_accessible, login

TODAY = dt.date(2025, 10, 2)  # the example case: deposit 6 October, OPCO decision 26 October


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web_deadlines, "today", lambda: TODAY)


def plain(text: str) -> str:
    return " ".join(
        re.sub(r"[\u00a0\u202f]", " ", html.unescape(re.sub(r"<[^>]+>", " ", text))).split()
    )


def unfold(body: bytes) -> list[str]:
    """The content lines of an iCalendar body (RFC 5545, 3.1), checking its physical lines."""
    assert body.endswith(b"\r\n")
    physical = body[:-2].split(b"\r\n")
    assert all(len(line) <= ical.LIMIT for line in physical)
    assert b"\n" not in b"".join(physical)
    return body.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def test_the_dashboard_lists_the_users_coming_deadlines(
    client: TestClient, database: tuple[Database, Path], accounts: tuple[Account, Account]
) -> None:
    account, ids = cabinet(database, ["Marie Curie", "Paul Langevin"])
    cabinet(database, ["Ailleurs"])  # another cabinet's case
    login(client, account)
    r = client.get("/echeances")
    assert r.status_code == 200
    assert_accessible(r.text)
    text = plain(r.text)
    assert (
        "4 échéances d'ici 30 jours, dans les dossiers en cours que vous pouvez consulter" in text
    )
    assert "6 octobre 2025 (dans 4 jours)" in text and "26 octobre 2025 (dans 24 jours)" in text
    assert "Marie Curie" in text and "Ailleurs" not in text
    assert f'href="/dossiers/{ids[0]}"' in r.text
    assert "2 échéances d'ici 7 jours" in plain(client.get("/echeances?jours=7").text)
    bad = client.get("/echeances?jours=12")
    assert bad.status_code == 422
    assert "« Période » : valeur « 12 » inconnue" in plain(bad.text)


def test_a_calendar_feed_behind_a_secret_address(
    client: TestClient, database: tuple[Database, Path]
) -> None:
    account, ids = cabinet(database, ["Marie Curie"])
    login(client, account)
    made = client.post("/echeances/calendrier")
    assert made.status_code == 200
    found = re.search(
        r'id="lien-agenda" value="(http://testserver/calendrier/[\w-]+\.ics)"', made.text
    )
    assert found, "the new address is shown"
    address = found.group(1).removeprefix("http://testserver")
    assert "elle ne sera plus affichée" in plain(made.text)
    assert "lien-agenda" not in client.get("/echeances").text  # shown once only
    assert "Une adresse d'abonnement est active depuis le" in plain(client.get("/echeances").text)
    client.post("/deconnexion")
    feed = client.get(address)  # no session: the address is the key
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    lines = unfold(feed.content)
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"] and lines[-1] == "END:VCALENDAR"
    events = [i for i, line in enumerate(lines) if line == "BEGIN:VEVENT"]
    assert len(events) == 2
    first = lines[events[0] : lines.index("END:VEVENT", events[0])]
    assert "DTSTART;VALUE=DATE:20251006" in first and "DTEND;VALUE=DATE:20251007" in first
    summary = next(line for line in first if line.startswith("SUMMARY:"))
    assert summary.endswith(f"— dossier n°{ids[0]}") and "OPCO" in summary
    assert f"URL;VALUE=URI:http://testserver/dossiers/{ids[0]}" in first
    assert any(line.startswith(f"UID:proa-{ids[0]}-") for line in first)
    assert "Curie" not in feed.text and "1990" not in feed.text  # no personal data
    assert "\\, statut : brouillon." in feed.text  # TEXT escaped (RFC 5545, 3.3.11)
    login(client, account)
    client.post("/echeances/calendrier")  # a new address: the previous one stops working
    assert client.get(address).status_code == 404
    r = client.post("/echeances/calendrier/revoquer")
    assert "Le lien d'agenda est révoqué" in plain(r.text)
    gone = client.get(address)
    assert gone.status_code == 404
    assert "n'existe pas ou a été révoqué" in plain(gone.text)
    assert client.get("/calendrier/rien.ics").status_code == 404
    r = client.post("/echeances/calendrier", headers={"Origin": "https://evil.example"})
    assert r.status_code == 403


def test_reminders_are_turned_on_and_off(
    client: TestClient, database: tuple[Database, Path]
) -> None:
    account, _ = cabinet(database, ["Marie Curie"])
    login(client, account)
    assert "Les rappels sont désactivés." in plain(client.get("/echeances").text)
    r = client.post("/echeances/rappels", data={"actif": "oui"})
    assert r.status_code == 200 and r.url.path == "/echeances"
    assert "Rappels par e-mail activés." in plain(r.text)
    assert "Les rappels sont activés ." in plain(r.text)
    r = client.post("/echeances/rappels", data={"actif": "non"})
    assert "Les rappels sont désactivés." in plain(r.text)
    bad = client.post("/echeances/rappels", data={"actif": "toujours"})
    assert bad.status_code == 422
    assert "« Rappels » : valeur « toujours » inconnue" in plain(bad.text)


def test_folding_never_cuts_a_character() -> None:
    line = "SUMMARY:" + "é" * 100
    folded = ical.fold(line).encode("utf-8")
    assert all(len(p) <= ical.LIMIT for p in folded.split(b"\r\n"))
    assert folded.decode("utf-8").replace("\r\n ", "").rstrip("\r\n") == line
    assert ical.escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


def test_a_sent_case_shows_its_sending_deadline_as_done(
    client: TestClient, database: tuple[Database, Path]
) -> None:
    """The case page keeps every deadline, and marks those its status has met; the coming
    deadlines leave them out."""
    db, _ = database
    account, (case_id,) = cabinet(database, ["Marie Curie"])
    actor = s.actor_for_token(db, s.login(db, account.email, account.password).token)
    login(client, account)
    assert "✓ fait" not in client.get(f"/dossiers/{case_id}").text
    s.set_status(db, actor, case_id, "ready")
    s.set_status(db, actor, case_id, "sent")
    page = client.get(f"/dossiers/{case_id}").text
    assert page.count("✓ fait") == 1 and "✓ fait : dossier envoyé" in page
    assert 'class="echeance--faite"' in page
    coming = plain(client.get("/echeances").text)
    assert "26 octobre 2025" in coming and not re.search(r"(?<!\d)6 octobre 2025", coming)
    client.cookies.set("proa_lang", "en")
    assert "✓ done: the file was sent" in client.get(f"/dossiers/{case_id}").text
    # The stored deadlines in English too (the list's next one: tests/storage/test_lists.py).
    decision = "The OPCO's decision, if the avenant is sent that day (silence means acceptance)"
    assert decision in html.unescape(client.get("/echeances").text)
