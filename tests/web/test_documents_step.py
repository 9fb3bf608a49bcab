"""« Pour les documents » (issue 13, §3): the case page asks what the documents print,
prefilled from the cabinet's latest case, checked like every answer (a SIRET's key), so
that the avenant prints without blanks."""

from __future__ import annotations

import html
import re
from pathlib import Path

from fastapi.testclient import TestClient

from proa import service as services
from proa.documents import render_html
from proa.storage.db import Database
from proa.web import questionnaire
from tests.web.test_pages import EXAMPLE, form_answers, login, new_case
from tests.web.test_roles import _account

PARTICULARS = {
    "parties.employee_job": "Secrétaire médicale",
    "parties.employer_address": "3 rue des Lilas, 69003 Lyon",
    "parties.employer_siret": "12345678900015",
    "parties.employer_representative": "Dr Claire Martin, gérante",
    "parties.tutor_name": "Sophie Bernard",
    "parties.tutor_job": "Assistante médicale",
    "parties.training_organisation": "Institut de formation des assistants",
    "parties.training_organisation_nda": "84691234569",
    "parties.training_blocks.0.title": "Accueil et prise en charge du patient",
    "parties.training_blocks.0.hours": "150",
    "parties.training_blocks.1.title": "Organisation du cabinet",
    "parties.training_blocks.1.hours": "150,0",
}


def test_the_documents_step_fills_the_avenant_and_prefills_the_next_case(
    client: TestClient, database: tuple[Database, Path]
) -> None:
    db, _ = database
    me = _account(db, "gerante@cabinet-lilas.fr", "employer", "Cabinet des Lilas", "cabinet")
    login(client, me)
    url = new_case(client, "Hélène Boucher")
    client.post(url, data=form_answers(EXAMPLE, [i.path for i in questionnaire.INPUTS]))
    page = html.unescape(client.get(url).text)
    assert "Pour les documents" in page and 'value="Cabinet des Lilas"' in page  # prefilled
    bad = client.post(url, data={**PARTICULARS, "parties.employer_siret": "12345678900012"})
    assert bad.status_code == 422 and "clé de contrôle" in html.unescape(bad.text)
    half = client.post(url, data={"parties.training_blocks.0.title": "Sans heures"})
    assert half.status_code == 422 and "Bloc 1 : heures" in html.unescape(half.text)
    saved = client.post(url, data={**PARTICULARS, "parties.employer_name": "Cabinet des Lilas"})
    assert saved.status_code == 200
    actor = services.actor_for_token(db, services.login(db, me.email, me.password).token)
    case_id = int(url.rsplit("/", 1)[1])
    payload = services.get_case(db, actor, case_id).payload
    assert payload["parties"]["training_blocks"][1] == {
        "title": "Organisation du cabinet",
        "hours": 150,
    }
    avenant = html.unescape(render_html("avenant", payload))
    for shown in ("3 rue des Lilas", "Dr Claire Martin", "Secrétaire médicale", "Sophie Bernard"):
        assert shown in avenant
    # Only what is written by hand at signing stays blank (place, date, signatures), as in
    # the complete example case.
    handwritten = html.unescape(render_html("avenant", EXAMPLE)).count("………………")
    assert avenant.count("………………") == handwritten
    assert (
        html.unescape(render_html("avenant", {**payload, "parties": {}})).count("………………")
        > handwritten
    )
    second = new_case(client, "Marie Marvingt")
    again = html.unescape(client.get(second).text)
    assert 'value="3 rue des Lilas, 69003 Lyon"' in again and "Pré-rempli" in again


def test_the_signed_avenant_is_attached_from_the_case_page(
    client: TestClient, database: tuple[Database, Path]
) -> None:
    db, _ = database
    me = _account(db, "gerant@cabinet-pieces.fr", "employer", "Cabinet des Pièces", "cabinet")
    login(client, me)
    url = new_case(client, "Alice Guy")
    page = html.unescape(client.get(url).text)
    assert "Pièces jointes" in page and "Aucune pièce jointe" in page
    pdf = b"%PDF-1.4\n%%EOF\n"
    done = client.post(
        url + "/pieces",
        data={"kind": "avenant-signe"},
        files={"file": ("avenant-signe.pdf", pdf, "application/pdf")},
    )
    assert done.status_code == 200
    listed = html.unescape(done.text)
    assert "Avenant signé : " in listed and "avenant-signe.pdf" in listed
    link = re.search(r'href="(/dossiers/\d+/pieces/\d+)"', done.text)
    assert link is not None and client.get(link.group(1)).content == pdf
    refused = client.post(
        url + "/pieces", data={"kind": "autre"}, files={"file": ("x.pdf", b"pas un pdf")}
    )
    assert refused.status_code == 422 and "PDF" in html.unescape(refused.text)
    assert "pièce jointe" in html.unescape(client.get(url + "/journal").text)


def test_the_documents_step_asks_only_what_the_cases_documents_print() -> None:
    """The host employer only for an external période de reconversion, the tutor only where
    one is appointed or not yet said; a particular already given is always shown."""

    def asked(data: dict[str, object]) -> set[str]:
        return {q.path for q in questionnaire.parties(data)}

    host, tutor = "parties.host_employer_name", {"parties.tutor_name", "parties.tutor_job"}
    pro_a = {k: v for k, v in EXAMPLE.items() if k != "parties"}  # Pro-A, with a tutor
    assert host not in asked(pro_a) and tutor <= asked(pro_a)
    assert host in asked({**pro_a, "reconversion": {"mode": "external"}})
    assert host not in asked({**pro_a, "reconversion": {"mode": "internal"}})
    assert not tutor & asked({**pro_a, "tutor": None})
    assert tutor <= asked({})  # not said yet: asked
    given = {**pro_a, "tutor": None, "parties": {"tutor_name": "Sophie Bernard"}}
    assert "parties.tutor_name" in asked(given) and "parties.tutor_job" not in asked(given)
