"""Each role sees what it may do in the web app, and can do it (issue 13, §1): the OPCO
decides a sent case with a reason the employer reads; a payroll firm picks the client
cabinet of a new case; readers are offered no change."""

from __future__ import annotations

import html
import re
from pathlib import Path

from fastapi.testclient import TestClient

from proa import service as services
from proa.storage.db import Database
from proa.web import questionnaire
from tests.web.conftest import Account
from tests.web.test_pages import EXAMPLE, form_answers, login, new_case


def _account(db: Database, email: str, role: str, org_name: str, kind: str) -> Account:
    org = services.create_organisation(db, None, org_name, kind)
    user, password = services.create_user(db, None, email, role, org.id)
    return Account(user.email, password, org_name)


def _org_id(db: Database, name: str) -> int:
    found = services.find_organisation(db, name)
    assert found is not None
    return found.id


def _sent_case(client: TestClient, account: Account) -> str:
    login(client, account)
    url = new_case(client, "Ada Lovelace")
    client.post(url, data=form_answers(EXAMPLE, [i.path for i in questionnaire.INPUTS]))
    for status in ("ready", "sent"):
        assert client.post(url + "/statut", data={"statut": status}).status_code == 200
    client.post("/deconnexion")
    return url


def test_the_opco_decides_a_sent_case_with_a_reason_the_employer_reads(
    client: TestClient, database: tuple[Database, Path], accounts: tuple[Account, Account]
) -> None:
    db, _ = database
    opco = _account(db, "conseil@opco-roles.fr", "opco", "OPCO des rôles", "opco")
    services.link_organisations(
        db, _org_id(db, "OPCO des rôles"), _org_id(db, accounts[0].organisation)
    )
    url = _sent_case(client, accounts[0])

    login(client, opco)
    listing = html.unescape(client.get("/dossiers").text)
    assert "Créer un dossier" not in listing and f'href="{url}"' in listing
    assert client.get("/dossiers/nouveau").status_code == 403
    page = html.unescape(client.get(url).text)
    assert "Refuser le dossier" in page and "Accepter le dossier" in page
    assert "Passer à" not in page and "Modifier les réponses" not in page
    assert 'id="questionnaire"' not in page
    refused = client.post(url + "/statut", data={"statut": "refused", "motif": "  "})
    assert refused.status_code == 422 and "R6324-3" in html.unescape(refused.text)
    done = client.post(
        url + "/statut", data={"statut": "refused", "motif": "Formation déjà financée."}
    )
    assert done.status_code == 200 and "Motif : Formation déjà financée." in html.unescape(
        done.text
    )
    assert "Refuser le dossier" not in html.unescape(
        done.text
    )  # nothing more for the OPCO to decide
    client.post("/deconnexion")

    login(client, accounts[0])
    seen = html.unescape(client.get(url).text)
    assert "Refusé par l'OPCO" in seen and "Motif : Formation déjà financée." in seen
    assert "Passer à « brouillon »" in seen  # the employer may take it back


def test_a_payroll_firm_picks_the_client_cabinet_of_a_new_case(
    client: TestClient, database: tuple[Database, Path]
) -> None:
    db, _ = database
    payroll = _account(db, "paie@cabinet-de-paie.fr", "payroll", "Paie & Co", "payroll_firm")
    firm = _org_id(db, "Paie & Co")
    for name in ("Cabinet Client Un", "Cabinet Client Deux"):
        org = services.create_organisation(db, None, name, "cabinet")
        services.link_organisations(db, firm, org.id)
    login(client, payroll)
    form = html.unescape(client.get("/dossiers/nouveau").text)
    assert "Cabinet du dossier" in form and "Cabinet Client Deux" in form
    missing = client.post("/dossiers/nouveau", data={"parties.employee_name": "Léa"})
    assert missing.status_code == 422 and "Choisissez le cabinet" in html.unescape(missing.text)
    second = _org_id(db, "Cabinet Client Deux")
    made = client.post(
        "/dossiers/nouveau", data={"parties.employee_name": "Léa", "cabinet": str(second)}
    )
    assert made.status_code == 200 and re.fullmatch(r"/dossiers/\d+", made.url.path)
    case_id = int(made.url.path.rsplit("/", 1)[1])
    actor = services.actor_for_token(db, services.login(db, payroll.email, payroll.password).token)
    assert services.get_case(db, actor, case_id).organisation_id == second
    foreign = services.create_organisation(db, None, "Cabinet étranger", "cabinet")
    refused = client.post(
        "/dossiers/nouveau", data={"parties.employee_name": "Léa", "cabinet": str(foreign.id)}
    )
    assert refused.status_code == 422  # not among its clients: asked again, nothing created


def test_a_reader_typing_a_change_gets_the_french_403_page(
    client: TestClient, database: tuple[Database, Path]
) -> None:
    db, _ = database
    cabinet = _account(db, "gerant@cabinet-lecture.fr", "employer", "Cabinet Lecture", "cabinet")
    url = _sent_case(client, cabinet)
    actor = services.actor_for_token(db, services.login(db, cabinet.email, cabinet.password).token)
    case = services.get_case(db, actor, int(url.rsplit("/", 1)[1]))
    user, password = services.create_user(
        db, None, "ada@exemple.fr", "employee", case.organisation_id, employee_id=case.employee_id
    )
    login(client, Account(user.email, password, "Cabinet Lecture"))
    for action, data in (("/statut", {"statut": "accepted"}), ("", {"training_hours": "100"})):
        refused = client.post(url + action, data=data)
        assert refused.status_code == 403, action
        assert "permet de lire ce dossier, pas de le modifier." in html.unescape(refused.text)
    assert services.get_case(db, actor, case.id).status == "sent"


def test_the_opco_accepts_with_its_conditions_and_the_branch_reads_counts_only(
    client: TestClient, database: tuple[Database, Path]
) -> None:
    db, _ = database
    cabinet = _account(db, "gerante@cabinet-accord.fr", "employer", "Cabinet Accord", "cabinet")
    opco = _account(db, "conseil@opco-accord.fr", "opco", "OPCO Accord", "opco")
    branch = _account(db, "cpnefp@branche-accord.fr", "branch", "CPNEFP Accord", "branch")
    for parent in ("OPCO Accord", "CPNEFP Accord"):
        services.link_organisations(db, _org_id(db, parent), _org_id(db, "Cabinet Accord"))
    url = _sent_case(client, cabinet)
    login(client, opco)
    form = html.unescape(client.get(url).text)
    assert "Motif ou conditions de l'accord (facultatif)" in form
    done = client.post(
        url + "/statut", data={"statut": "accepted", "motif": "300 h prises en charge."}
    )
    assert done.status_code == 200 and "Motif : 300 h prises en charge." in html.unescape(done.text)
    client.post("/deconnexion")

    login(client, branch)
    counts = html.unescape(client.get("/dossiers").text)
    assert "1 dossier" in counts and "Accepté par l'OPCO" in counts
    assert "Ada Lovelace" not in counts and "Créer un dossier" not in counts
    assert client.get(url).status_code == 404
    for typed in ("/dossiers.csv", "/dossiers.xlsx", "/echeances"):  # not offered: refused
        refused = client.get(typed)
        assert refused.status_code == 403, typed
        assert "La branche ne consulte aucun dossier" in html.unescape(refused.text)
    client.cookies.set("proa_lang", "en")
    english = html.unescape(client.get("/dossiers").text)
    assert "1 case</strong> in the cabinets followed" in english and "By status" in english
