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
from proa import service as services
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
from tests.web.conftest import Account, add_account
from tests.web.test_documents_step import PARTICULARS
from tests.web.test_roles import _account

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


# --- the other roles: their organisations and cases set up through the service ---------------


def _actor(db: Database, account: Account) -> services.Actor:
    return services.actor_for_token(db, services.login(db, account.email, account.password).token)


def _org_id(db: Database, account: Account) -> int:
    found = services.find_organisation(db, account.organisation)
    assert found is not None
    return found.id


def _case(db: Database, cabinet: Account, name: str, *statuses: str) -> services.CaseView:
    """A complete case of the cabinet, moved through these statuses."""
    actor = _actor(db, cabinet)
    payload = copy.deepcopy(EXAMPLE)
    payload["parties"] = {**payload.get("parties", {}), "employee_name": name}
    case = services.create_case(db, actor, payload)
    for status in statuses:
        case = services.set_status(db, actor, case.id, status)
    return case


def _reader_links_open(j: Journey, document: str) -> None:
    """What a reader is offered on a case opens for them: a document, the journal, the
    export (no link that ends in a refusal)."""
    page = j.page
    for name in (f"PDF — {document}", "Journal d'audit du dossier", re.compile("^Exporter le")):
        href = page.get_by_role("link", name=name).get_attribute("href")
        assert page.request.get(j.base + href).status == 200, name


def _no_case_actions(j: Journey) -> None:
    """A reader is offered no change of a case: no answers, status, deletion nor erasure."""
    page = j.page
    for form in ("#questionnaire", "#documents", "#modifier"):
        expect(page.locator(form)).to_have_count(0)
    expect(page.locator(".statut form")).to_have_count(0)
    for action in ("/supprimer", "/effacer", "/pieces"):
        expect(page.locator(f"form[action$='{action}']")).to_have_count(0)


@VIEWPORTS
def test_payroll_firm_across_two_cabinets(
    server: str,  # noqa: F811
    browser: Any,  # noqa: F811
    database: tuple[Database, Path],
    viewport: dict[str, int],
) -> None:
    db, _ = database
    tag = _tag()
    firm = _account(db, f"paie-{tag}@paie.fr", "payroll", f"Paie & Co {tag}", "payroll_firm")
    cabinets = [add_account(db, f"{n}-{tag}@cabinet.fr", f"Cabinet {n} {tag}") for n in "AB"]
    for cabinet in cabinets:
        services.link_organisations(db, _org_id(db, firm), _org_id(db, cabinet))
    j = open_journey(browser, server, viewport, "roles-paie")
    page = j.page
    j.login(firm)
    j.shot("dossiers")
    urls = []
    for cabinet, name in zip(cabinets, ("Léa Arnaud", "Noé Bernard"), strict=True):
        page.get_by_role("link", name="Créer un dossier").click()
        page.get_by_label("Cabinet du dossier").select_option(label=cabinet.organisation)
        page.get_by_label("Nom et prénom du salarié").fill(name)
        j.shot("nouveau-dossier")
        page.get_by_role("button", name="Créer le dossier et commencer").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(name)
        urls.append(page.url)
        page.get_by_role("link", name="Dossiers", exact=True).first.click()
    rows = page.locator("table.liste tbody tr")
    for cabinet, name in zip(cabinets, ("Léa Arnaud", "Noé Bernard"), strict=True):
        row = rows.filter(has_text=name)
        expect(row.locator("td[data-label='Cabinet']")).to_have_text(cabinet.organisation)
    j.shot("deux-cabinets")
    j.logout()

    # Each cabinet sees its own case, not the other's, even at its address.
    for cabinet, mine, other in ((cabinets[0], 0, 1), (cabinets[1], 1, 0)):
        j.login(cabinet)
        expect(page.locator(f"a[href$='{urls[mine].rsplit('/', 1)[1]}']")).to_have_count(1)
        expect(page.locator(f"a[href$='/{urls[other].rsplit('/', 1)[1]}']")).to_have_count(0)
        j.shot("cabinet-liste")
        response = page.goto(urls[other])
        assert response is not None and response.status == 404
        j.shot("cabinet-404")
        j.logout()
    page.context.close()


@VIEWPORTS
def test_employee_reads_their_own_case(
    server: str,  # noqa: F811
    browser: Any,  # noqa: F811
    database: tuple[Database, Path],
    viewport: dict[str, int],
) -> None:
    db, _ = database
    tag = _tag()
    cabinet = add_account(db, f"gerant-{tag}@cabinet.fr", f"Cabinet des Salariés {tag}")
    own = _case(db, cabinet, "Hélène Dupont", "ready")
    other = _case(db, cabinet, "Paul Durand")
    user, password = services.create_user(
        db,
        None,
        f"helene-{tag}@exemple.fr",
        "employee",
        own.organisation_id,
        employee_id=own.employee_id,
    )
    me = Account(user.email, password, cabinet.organisation)
    j = open_journey(browser, server, viewport, "roles-salarie")
    page = j.page
    j.login(me)
    expect(page.get_by_role("link", name="Créer un dossier")).to_have_count(0)
    expect(page.locator("table.liste tbody tr")).to_have_count(1)
    expect(page.locator("table.liste tbody")).to_contain_text("Hélène Dupont")
    j.shot("mon-dossier")
    page.get_by_role("link", name="Hélène Dupont").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hélène Dupont")
    expect(page.locator("main")).to_contain_text("Votre rôle permet de lire ce dossier")
    expect(page.locator(".statut")).to_contain_text("Prêt à envoyer")
    _no_case_actions(j)
    j.shot("lecture")
    _reader_links_open(j, "Vos droits")

    # What is not offered, typed by hand: French refusals, nothing changed.
    response = j.goto("/dossiers/nouveau")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Création réservée au cabinet")
    j.shot("creation-403")
    for action, data in (("/statut", {"statut": "draft"}), ("", {"training_hours": "100"})):
        refused = page.request.post(
            f"{j.base}/dossiers/{own.id}{action}", form=data, headers={"Origin": j.base}
        )
        assert refused.status == 403, action
        assert "votre rôle permet de lire ce dossier, pas de le modifier" in refused.text().lower()
    page.set_content(refused.text())
    j.shot("modification-403")
    response = j.goto(f"/dossiers/{other.id}")
    assert response is not None and response.status == 404
    assert services.get_case(db, _actor(db, cabinet), own.id).status == "ready"
    page.context.close()


@VIEWPORTS
def test_opco_accepts_a_sent_case(
    server: str,  # noqa: F811
    browser: Any,  # noqa: F811
    database: tuple[Database, Path],
    viewport: dict[str, int],
) -> None:
    db, _ = database
    tag = _tag()
    cabinet = add_account(db, f"gerante-{tag}@cabinet.fr", f"Cabinet du Réseau {tag}")
    adviser = _account(db, f"conseil-{tag}@opco.fr", "opco", f"OPCO EP {tag}", "opco")
    services.link_organisations(db, _org_id(db, adviser), _org_id(db, cabinet))
    case = _case(db, cabinet, "Irène Curie", "ready", "sent")
    _case(db, cabinet, "Brouillon Pasvu")  # a draft: not the OPCO's to read
    reason = "Prise en charge de 300 h au forfait de la branche."
    j = open_journey(browser, server, viewport, "roles-opco")
    page = j.page
    j.login(adviser)
    expect(page.get_by_role("link", name="Créer un dossier")).to_have_count(0)
    expect(page.locator("table.liste tbody tr")).to_have_count(1)
    row = page.locator("table.liste tbody tr").first
    expect(row.locator("td[data-label='Cabinet']")).to_have_text(cabinet.organisation)
    j.shot("dossiers")
    row.get_by_role("link", name="Irène Curie").click()
    expect(page.locator(".statut")).to_contain_text("Envoyé à l'OPCO")
    expect(page.locator("#questionnaire")).to_have_count(0)
    _reader_links_open(j, "Avenant au contrat de travail")
    page.get_by_text("Accepter le dossier", exact=True).click()
    page.get_by_label("Motif ou conditions de l'accord").fill(reason)
    j.shot("accepter")
    page.get_by_role("button", name="Confirmer : accepter le dossier").click()
    status = page.locator(".statut")
    expect(status).to_contain_text("Accepté par l'OPCO")
    expect(status).to_contain_text(f"Motif : {reason}")
    expect(status.locator("form")).to_have_count(0)  # nothing more for the OPCO to decide
    j.shot("accepte")
    page.get_by_role("link", name="Journal d'audit du dossier").click()
    expect(page.locator("table.liste")).to_contain_text("statut : accepté par l'OPCO")
    j.shot("journal")
    j.logout()

    j.login(cabinet)
    j.goto(f"/dossiers/{case.id}")
    expect(status).to_contain_text("Accepté par l'OPCO")
    expect(status).to_contain_text(f"Motif : {reason}")
    expect(page.get_by_text("Passer à « terminé »", exact=True)).to_be_visible()
    j.shot("cabinet-lit-la-decision")
    page.context.close()


@VIEWPORTS
def test_branch_reads_rules_parameters_and_counts(
    server: str,  # noqa: F811
    browser: Any,  # noqa: F811
    database: tuple[Database, Path],
    viewport: dict[str, int],
) -> None:
    db, _ = database
    tag = _tag()
    cabinet = add_account(db, f"gerant-{tag}@cabinet.fr", f"Cabinet Suivi {tag}")
    branch = _account(db, f"cpnefp-{tag}@branche.fr", "branch", f"CPNEFP {tag}", "branch")
    services.link_organisations(db, _org_id(db, branch), _org_id(db, cabinet))
    cases = [
        _case(db, cabinet, f"Personne Secrète {i}", *s)
        for i, s in enumerate([("ready", "sent"), ("ready",), ()])
    ]
    j = open_journey(browser, server, viewport, "roles-branche")
    page = j.page
    j.login(branch)
    main = page.locator("main")
    expect(main).to_contain_text("3 dossiers")
    expect(page.get_by_role("table", name="Par statut")).to_contain_text("Envoyé à l'OPCO")
    expect(page.get_by_role("table", name=re.compile("Par décision"))).to_contain_text("Éligible")
    expect(main).not_to_contain_text("Personne Secrète")
    expect(page.get_by_role("link", name="Créer un dossier")).to_have_count(0)
    expect(page.get_by_role("link", name="Échéances")).to_have_count(0)
    j.shot("chiffres")
    page.get_by_role("link", name="Règles").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    j.shot("regles")
    page.get_by_role("link", name="Paramètres").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    j.shot("parametres")
    page.get_by_role("link", name="Fichiers").first.click()
    expect(page.locator("form[action='/fichiers/simuler']")).to_have_count(1)
    expect(page.locator("form[action='/fichiers/evaluer']")).to_have_count(0)
    j.shot("fichiers")
    response = j.goto(f"/dossiers/{cases[0].id}")
    assert response is not None and response.status == 404
    response = j.goto("/dossiers/nouveau")
    assert response is not None and response.status == 403
    j.shot("creation-403")
    page.context.close()
