"""Lists and deadlines in a real browser (issue 13, §2 and §4), at desktop width and at
390 px without sideways scrolling: a cabinet's 2,000 cases paged, searched, sorted and
exported; the coming deadlines, the calendar feed holding them and a reminder e-mail caught
by a local SMTP server started by the test. Each step leaves a screenshot in artifacts/web/
(`listes-<width>-…`)."""

from __future__ import annotations

import copy
import datetime as dt
import re
import uuid
from pathlib import Path
from typing import Any

from proa import service
from proa.service import deadlines, reminders, verdicts
from proa.service.mail import SmtpMailer, SmtpSettings
from proa.storage import models as m
from proa.storage.db import Database
from tests.conftest import example_case
from tests.smtp_sink import SmtpSink
from tests.web.browser import (  # noqa: F401 (fixtures)
    PHONE,
    VIEWPORTS,
    browser,
    expect,
    open_journey,
    server,
)
from tests.web.conftest import Account, add_account

CASES = 2000
NAMES = ("Jean", "Hélène", "Zoé", "Loïc", "Amélie", "Noël", "Chloé", "Théo")


def _cabinet(db: Database) -> tuple[Account, int]:
    """A cabinet with 2,000 cases: one in eight an « Hélène » (starting in 12 days), a
    quarter with the example's past dates, the others starting over the coming months
    (deadlines ahead). Written in one transaction with the verdict of each kind of dates
    (the names change no verdict)."""
    tag = uuid.uuid4().hex[:8]
    account = add_account(db, f"{tag}@listes.fr", f"Cabinet aux 2 000 dossiers {tag}")
    found = service.find_organisation(db, account.organisation)
    assert found is not None
    org_id = found.id
    today = dt.date.today()
    payloads: list[dict[str, Any]] = []
    for days in (None, 12, 40, 75):
        payload = copy.deepcopy(example_case())
        if days is not None:
            start = today + dt.timedelta(days=days)
            payload["agreement_date"] = (start - dt.timedelta(days=20)).isoformat()
            payload["start_date"] = start.isoformat()
            payload["end_date"] = (start + dt.timedelta(days=364)).isoformat()
        payloads.append(payload)
    judged = [verdicts.judge(p) for p in payloads]
    with db.writing() as session:
        for i in range(CASES):
            payload = copy.deepcopy(payloads[i % 4])
            payload["parties"]["employee_name"] = f"{NAMES[i % len(NAMES)]} Martin {i:04d}"
            case = m.Case(
                organisation_id=org_id,
                employee=m.Employee(organisation_id=org_id),
                **judged[i % 4].columns(),
            )
            case.versions.append(m.CaseVersion(version=1, payload=payload))
            session.add(case)
    return account, org_id


def _caption(page: Any) -> str:
    return " ".join(page.locator("table.liste caption").inner_text().split())


@VIEWPORTS
def test_a_cabinets_2000_cases_and_their_deadlines(
    server: str,  # noqa: F811
    browser: Any,  # noqa: F811
    database: tuple[Database, Path],
    viewport: dict[str, int],
) -> None:
    db, _ = database
    account, _ = _cabinet(db)
    j = open_journey(browser, server, viewport, "listes")
    page = j.page
    page.goto(server + "/connexion")
    page.get_by_label("Adresse électronique").fill(account.email)
    page.get_by_label("Mot de passe").fill(account.password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.locator("table.liste caption")).to_contain_text("2 000 dossiers")
    assert _caption(page) == "2 000 dossiers — 1 à 50 affichés, page 1 sur 40"
    j.shot("page-1")

    page.get_by_role("link", name="Page suivante").click()
    expect(page.locator("table.liste caption")).to_contain_text("page 2 sur 40")
    page.get_by_role("link", name="Dernière page").click()
    assert _caption(page) == "2 000 dossiers — 1 951 à 2 000 affichés, page 40 sur 40"

    page.get_by_label("Salarié").fill("helene")
    page.get_by_text("Filtrer et trier").click()
    page.get_by_label("Trier par").select_option("next_deadline")
    page.get_by_label("Dossiers par page").select_option("100")
    page.get_by_role("button", name="Appliquer").click()
    assert _caption(page) == (
        "250 dossiers correspondant à la recherche — 1 à 100 affichés, page 1 sur 3"
    )
    first = page.locator("table.liste tbody tr").first
    expect(first.locator("th")).to_contain_text("Hélène Martin")
    expect(first.locator("td[data-label='Prochaine échéance']")).not_to_have_text("—")
    j.shot("recherche")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    rows = Path(download.value.path()).read_text("utf-8-sig").splitlines()
    assert len(rows) == 251 and all("Hélène Martin" in r for r in rows[1:])

    # The coming deadlines, the calendar feed, a reminder by e-mail.
    page.get_by_role("link", name="Échéances").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Échéances à venir")
    expect(page.locator("table.liste caption")).to_contain_text("échéances d'ici 30 jours")
    page.get_by_role("button", name="Créer une adresse d'abonnement").click()
    address = page.get_by_label(re.compile("Votre adresse d'abonnement")).input_value()
    j.shot("echeances")
    feed = page.request.get(address)
    assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")
    assert feed.text().count("BEGIN:VEVENT") >= 1 and "Martin" not in feed.text()
    page.get_by_role("button", name="Activer les rappels").click()
    expect(page.get_by_role("status")).to_contain_text("Rappels par e-mail activés")
    with SmtpSink() as sink:
        mailer = SmtpMailer(
            SmtpSettings(host="127.0.0.1", port=sink.port, security="none", sender="proa@x.fr")
        )
        try:
            report = reminders.send_reminders(
                db, mailer, today=dt.date.today(), days=30, sender="proa@x.fr", base_url=server
            )
        finally:
            mailer.close()
    mine = [msg for msg in sink.messages if msg["To"] == account.email]
    assert report.failures == 0 and len(mine) == 1
    assert "Martin" not in mine[0].get_content()
    assert f"{server}/dossiers/" in mine[0].get_content()
    actor = deadlines.calendar_owner(db, address.rsplit("/", 1)[1].removesuffix(".ics"))
    deadlines.set_email_reminders(db, actor, False)  # the session's other tests send nothing

    j.shot("rappels")

    # On a phone: one card per case, employee, decision and next deadline first.
    if viewport != PHONE:
        page.context.close()
        return
    page.goto(server + "/dossiers")
    card = page.locator("table.liste tbody tr").first
    tops = [
        card.locator(selector).bounding_box()["y"]
        for selector in (
            "th",
            "td[data-label='Décision']",
            "td[data-label='Prochaine échéance']",
            "td[data-label='Statut']",
        )
    ]
    assert tops == sorted(tops) and len(set(tops)) == 4
    expect(page.locator("table.liste thead")).to_have_css("position", "absolute")
    j.shot("cartes")
    page.context.close()
