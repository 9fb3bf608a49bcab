"""One journey per role in a real browser (issue 13, « Done when »), at desktop width and at
390 px, each step a screenshot under artifacts/web/roles-<role>-<width>-NN-step.png and, on
the phone, no page that scrolls sideways:

- the cabinet answers the questionnaire and « Pour les documents », downloads an avenant
  with no blank but those written by hand at signing, marks the case ready to send (with its
  confirmation), then does the same for a période de reconversion starting soon, whose
  deadline appears among the coming deadlines;
- a payroll firm creates a case in each of its two client cabinets, sees both with their
  cabinet, and neither cabinet sees the other's;
- an employee reads their own case only, with no action offered and a French 403 page for
  an action typed by hand;
- an OPCO adviser accepts a sent case with its conditions, which the cabinet then reads,
  as the case's journal records;
- the branch reads the rules, the parameters and aggregate counts, no case and no person.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import uuid
from pathlib import Path
from typing import Any

from proa import presentation
from proa.storage.db import Database
from tests.test_documents import _docx_text, _pages
from tests.web.browser import (  # noqa: F401 (fixtures)
    EXAMPLE,
    VIEWPORTS,
    Journey,
    answer,
    answer_questionnaire,
    browser,
    expect,
    open_journey,
    server,
)
from tests.web.conftest import add_account
from tests.web.test_documents_step import PARTICULARS

# What a person writes by hand at signing stays a blank: the place, the employee's date
# and signature (as in the complete example case), and in the accord of a période de
# reconversion the CPF amount the employee agrees to there (a box ticked at signing).
HANDWRITTEN = ("Fait à ", "Date : ", "Signature du salarié : ", "oui, pour un montant de ")


def _tag() -> str:
    return uuid.uuid4().hex[:6]


def _soon() -> dict[str, Any]:
    """The example as a période de reconversion (internal) starting in 40 days: its
    deadlines are ahead (the example's Pro-A ones are long past)."""
    case = copy.deepcopy(EXAMPLE)
    start = dt.date.today() + dt.timedelta(days=40)
    case.update(
        agreement_date=dt.date.today().isoformat(),
        start_date=start.isoformat(),
        end_date=(start + dt.timedelta(days=364)).isoformat(),
        reconversion={"mode": "internal"},
    )
    return case


def _unfilled(text: str) -> list[str]:
    """The blanks (« … ») of a document's text, but those written by hand at signing."""
    out = []
    for match in re.finditer("…+", text):
        before = text[max(0, match.start() - 30) : match.start()]
        if not before.endswith(HANDWRITTEN):
            out.append(before + match.group())
    return out


def _new_case(j: Journey, name: str, case: dict[str, Any]) -> str:
    """Create a case from the list and answer its questionnaire; the case's address."""
    page = j.page
    page.get_by_role("link", name="Créer un dossier").click()
    page.get_by_label("Nom et prénom du salarié").fill(name)
    j.shot("nouveau-dossier")
    page.get_by_role("button", name="Créer le dossier et commencer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    url: str = page.url
    answer_questionnaire(j, case)
    expect(page.locator(".verdict")).to_contain_text("Éligible")
    return url


def _fill_documents(j: Journey) -> None:
    """« Pour les documents »: what the avenant prints, typed in its form."""
    page = j.page
    form = page.locator("#documents")
    expect(form).to_be_visible()  # open: an eligible case with particulars missing
    parties = {
        "parties": {
            k.split(".", 1)[1]: v for k, v in PARTICULARS.items() if ".training_blocks" not in k
        }
    }
    for path in PARTICULARS:
        if ".training_blocks." not in path:
            answer(form, path, parties)
    for row, part in ((1, "title"), (1, "hours"), (2, "title"), (2, "hours")):
        label = f"Bloc {row} : {'intitulé' if part == 'title' else 'heures'}"
        form.get_by_label(label).fill(PARTICULARS[f"parties.training_blocks.{row - 1}.{part}"])
    j.shot("pour-les-documents")
    form.get_by_role("button", name="Enregistrer pour les documents").click()
    expect(page.locator("#annonce")).to_contain_text("Réponses enregistrées")


def _document(j: Journey, title: str) -> str:
    """Download a document's PDF through its link, and its DOCX; the PDF's text, checked
    to hold each particular typed and no blank but those left for signing."""
    page = j.page
    with page.expect_download() as download:
        page.get_by_role("link", name=f"PDF — {title}").click()
    pdf = " ".join(_pages(Path(download.value.path()).read_bytes()))
    href = page.get_by_role("link", name=f"DOCX — {title}").get_attribute("href")
    docx = page.request.get(j.base + href)
    assert docx.status == 200
    word = " ".join(_docx_text(docx.body()).split())
    for text in (pdf, word):
        assert not (unfilled := _unfilled(text)), (title, unfilled)
        for shown in ("3 rue des Lilas", "12345678900015", "Dr Claire Martin"):
            assert shown in text, (title, shown)
    return pdf


def _ready(j: Journey) -> None:
    """Mark the case ready to send, confirming the change."""
    page = j.page
    ready = presentation.CASE_STATUS["ready"].fr
    page.get_by_text(f"Passer à « {ready} »", exact=True).click()
    j.shot("confirmer-pret")
    page.get_by_role("button", name=f"Confirmer : passer à « {ready} »").click()
    expect(page.locator(".statut")).to_contain_text("Statut : Prêt à envoyer")


@VIEWPORTS
def test_cabinet(
    server: str,  # noqa: F811
    browser: Any,  # noqa: F811
    database: tuple[Database, Path],
    viewport: dict[str, int],
) -> None:
    db, _ = database
    tag = _tag()
    account = add_account(db, f"gerante-{tag}@cabinet-lilas.fr", f"Cabinet des Lilas {tag}")
    j = open_journey(browser, server, viewport, "roles-cabinet")
    page = j.page
    j.login(account)
    j.shot("dossiers")

    # A Pro-A case: its avenant, complete.
    _new_case(j, "Hélène Boucher", EXAMPLE)
    j.shot("eligible")
    _fill_documents(j)
    j.shot("documents")
    avenant = _document(j, "Avenant au contrat de travail")
    for shown in ("Secrétaire médicale", "Sophie Bernard", "Institut de formation des assistants"):
        assert shown in avenant
    _ready(j)
    j.shot("pret-a-envoyer")

    # A période de reconversion starting in 40 days: the cabinet's particulars are offered
    # again, and its deadline is among the coming ones.
    j.goto("/dossiers")
    soon = _new_case(j, "Marie Marvingt", _soon())
    address = page.locator("#documents").get_by_label(re.compile("Adresse du cabinet"))
    expect(address).to_have_value(PARTICULARS["parties.employer_address"])
    expect(page.get_by_text("Pré-rempli, pas encore enregistré.").first).to_be_visible()
    _fill_documents(j)
    _document(j, "Accord écrit — période de reconversion")
    _ready(j)
    case_id = soon.rsplit("/", 1)[1]

    page.get_by_role("link", name="Échéances").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Échéances à venir")
    first = dt.date.fromisoformat(_soon()["start_date"]) - dt.timedelta(days=30)
    row = page.locator("table.liste tbody tr", has=page.locator(f"a[href='/dossiers/{case_id}']"))
    expect(row.first).to_contain_text(presentation.date(first))
    j.shot("echeances")
    page.context.close()
