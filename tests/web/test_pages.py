"""Pages without a browser: rule and parameter pages, questionnaire order, errors, labels."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from proa import evaluate
from proa.explain import explain, names
from proa.law import default_pack
from proa.web import questionnaire
from tests.web.conftest import Account
from tests.web.html import Page

EXAMPLE = json.loads((Path(__file__).parents[2] / "proa/examples/case.json").read_text("utf-8"))


def login(client: TestClient, account: Account) -> None:
    r = client.post("/connexion", data={"email": account.email, "password": account.password})
    assert r.status_code == 200 and r.url.path == "/dossiers"


def new_case(client: TestClient, name: str = "Marie Curie") -> str:
    r = client.post("/dossiers/nouveau", data={"parties.employee_name": name})
    assert r.status_code == 200
    assert re.fullmatch(r"/dossiers/\d+", r.url.path)
    return r.url.path


def form_answers(case: dict[str, Any], paths: list[str]) -> dict[str, str]:
    """The form values a person would type for these paths of a complete case."""
    spec = questionnaire.BY_PATH
    return {p: questionnaire.form_value(case, spec[p]) for p in paths}


def assert_accessible(text: str) -> None:
    page = Page(text)
    assert page.all("html")[0].get("lang") == "fr"
    assert [h for h, _ in page.headings].count("h1") == 1
    assert any(a.get("href") == "#contenu" for a in page.all("a"))
    for tag in ("input", "select", "textarea"):
        for attrs in page.all(tag):
            if attrs.get("type") in ("hidden", "submit"):
                continue
            assert attrs.get("id") in page.label_for, f"{tag} {attrs} has no <label for>"
    for table in text.split("<table")[1:]:
        assert "<caption>" in table.split("</table>")[0]


@pytest.mark.parametrize("name", names() + sorted(default_pack().parameters.parameters))
def test_every_rule_and_parameter_has_a_page(client: TestClient, name: str) -> None:
    r = client.get(f"/regles/{name}")
    assert r.status_code == 200
    page = Page(r.text)
    assert page.headings[0][0] == "h1"
    assert (
        page.headings[0][1].replace("\u00a0", " ").replace("\u202f", " ")
        == " ".join(explain(name).title.split())
        or explain(name).title[:20] in r.text
    )
    assert_accessible(r.text)


def test_rule_page_cites_its_articles_and_parameters(client: TestClient) -> None:
    text = client.get("/regles/pro-a.training-share").text
    assert "Avenant 81, art. 6" in text
    assert "KALITEXT000044392140" in text
    assert 'href="/regles/pro_a.training.max_share"' in text
    # The message template, not a number: the answer named, never a raw placeholder.
    assert "[heures de formation] de formation" in html.unescape(text)
    assert "{" not in text.split("<h2>Messages</h2>")[1].split("</dl>")[0]


def test_rule_page_shows_the_general_rule_its_replacements_and_struck_clauses(
    client: TestClient,
) -> None:
    page = html.unescape(client.get("/regles/pro-a.duration").text)
    section = page.split('class="remplacement"')[1].split("</section>")[0]
    assert "Règle générale" in section and "Remplacée par l'accord" in section
    assert section.count("Exclu de l'extension") == 2
    assert 'href="/regles/exclusion.art5-24-months"' in section
    assert "Elle peut être portée jusqu'à 24 mois" in section
    assert "Arrêté d'extension du 18 novembre 2021" in section


def test_rule_index_and_unknown_rule(client: TestClient) -> None:
    text = client.get("/regles").text
    for name in names():
        assert f'href="/regles/{name}"' in text
    r = client.get("/regles/pro-a.nope")
    assert r.status_code == 404
    assert "« pro-a.nope » n'existe pas" in html.unescape(r.text)


def test_parameters_at_a_date(client: TestClient) -> None:
    r = client.get("/parametres?date=2026-02-01")
    assert r.status_code == 200
    assert "Paramètres en vigueur le 1er février 2026" in r.text
    assert 'href="/regles/reconversion.training.max_hours"' in r.text
    assert_accessible(r.text)
    bad = client.get("/parametres?date=2026-13-01")
    assert bad.status_code == 422
    assert "date invalide, format attendu AAAA-MM-JJ" in bad.text


SIGNED_IN_ONLY = [
    ("GET", path)
    for path in (
        "/dossiers",
        "/dossiers.csv",
        "/dossiers/nouveau",
        "/dossiers/1",
        "/dossiers/1/journal",
        "/dossiers/1/pieces/1",
        "/echeances",
        "/fichiers",
        "/compte",
        "/administration",
    )
] + [
    ("POST", path)
    for path in (
        "/dossiers/nouveau",
        "/dossiers/1",
        "/dossiers/1/statut",
        "/dossiers/1/supprimer",
        "/echeances/rappels",
        "/echeances/calendrier",
        "/compte/mot-de-passe",
        "/administration/comptes",
    )
]


@pytest.mark.parametrize(("method", "path"), SIGNED_IN_ONLY)
def test_every_page_of_a_user_asks_to_sign_in_first(
    client: TestClient, method: str, path: str
) -> None:
    """Without a session, each page for signed-in users sends to the login page, which
    comes back after; nothing is done."""
    r = client.request(
        method, path, headers={"Origin": "http://testserver"}, follow_redirects=False
    )
    assert r.status_code == 303, r.text[:200]
    assert r.headers["location"] == "/connexion?suite=" + path


def test_case_pages_need_a_login(client: TestClient, accounts: tuple[Account, Account]) -> None:
    r = client.get("/dossiers/1", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/connexion?suite=/dossiers/1"
    r = client.post("/connexion", data={"email": accounts[1].email, "password": "non"})
    assert r.status_code == 401
    assert "mot de passe incorrect" in r.text
    assert "proa_session" not in r.cookies


def test_login_cookie_is_http_only_and_next_is_local(
    client: TestClient, accounts: tuple[Account, Account]
) -> None:
    first = accounts[0]
    r = client.post(
        "/connexion",
        data={"email": first.email, "password": first.password, "suite": "//evil.example"},
        follow_redirects=False,
    )
    assert r.headers["location"] == "/dossiers"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("proa_session=") and "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_questionnaire_asks_exactly_the_missing_questions_in_order(
    client: TestClient, accounts: tuple[Account, Account]
) -> None:
    login(client, accounts[0])
    url = new_case(client)
    case: dict[str, Any] = {"parties": {"employee_name": "Marie Curie"}}
    for _ in range(40):
        page = client.get(url)
        assert_accessible(page.text)
        asked = Page(page.text).field_names("questionnaire")
        missing = evaluate(case).missing
        assert asked == missing[: questionnaire.QUESTIONS_PER_PAGE]
        if not asked:
            break
        answers = form_answers(EXAMPLE, asked)
        r = client.post(url, data=answers)
        assert r.status_code == 200
        case = questionnaire.apply_answers(case, answers)
    else:
        pytest.fail("the questionnaire never ended")
    assert evaluate(case).decision == "eligible"
    text = html.unescape(client.get(url).text).replace("\u00a0", " ").replace("\u202f", " ")
    assert "Toutes les questions utiles ont une réponse" in text
    assert "Éligible" in text and "273 h" in text and "1 820 h" in text and "12 mois" in text
    assert "6 octobre 2025" in text  # deposit deadline: 5 days after the start (engine's)


def test_changing_hours_breaks_the_rule_and_cites_the_article(
    client: TestClient, accounts: tuple[Account, Account]
) -> None:
    login(client, accounts[0])
    url = new_case(client)
    data = form_answers(EXAMPLE, [i.path for i in questionnaire.INPUTS])
    assert client.post(url, data=data).status_code == 200
    assert "Éligible" in client.get(url).text
    client.post(url, data={"training_hours": "100"})
    text = client.get(url).text
    assert "Non éligible" in text
    violation = text.split('constat--violation">')[1].split("</li>")[0]
    assert "Avenant 81, art. 6" in violation
    assert 'href="/regles/pro-a.training-minimum"' in violation
    # What would make it comply: the range of training hours (issue 10, §2).
    remedies = html.unescape(
        text.split("Pour rendre le dossier conforme</h3>")[1].split("</ul>")[0]
    )
    plain = remedies.replace("\u00a0", " ").replace("\u202f", " ")
    assert "Heures de formation : entre 273 h et 455 h (aujourd'hui : 100 h)" in plain


def test_bad_answer_names_the_field_in_french_and_saves_nothing(
    client: TestClient, accounts: tuple[Account, Account]
) -> None:
    login(client, accounts[0])
    url = new_case(client)
    client.post(url, data={"agreement_date": "2025-09-15"})
    before = client.get(url).text
    r = client.post(url, data={"employer.idcc": "mille", "employee.contract": "CDI"})
    assert r.status_code == 422
    assert "nombre entier attendu" in r.text
    assert "Quelle convention collective l'employeur applique-t-il (IDCC)" in html.unescape(r.text)
    assert 'aria-invalid="true"' in r.text and 'value="mille"' in r.text
    assert client.get(url).text == before


def test_preview_evaluates_without_saving(
    client: TestClient, accounts: tuple[Account, Account]
) -> None:
    login(client, accounts[0])
    url = new_case(client)
    r = client.post(url + "/apercu", data={"agreement_date": "2026-03-01"})
    assert r.status_code == 200
    assert "Période de reconversion" in r.text and "aperçu" in r.text
    assert Page(client.get(url).text).field_names("questionnaire") == ["agreement_date"]
    bad = client.post(url + "/apercu", data={"end_date": "pas une date"})
    assert bad.status_code == 422 and "date invalide" in bad.text


def test_another_organisation_cannot_see_the_case(
    client: TestClient, accounts: tuple[Account, Account]
) -> None:
    login(client, accounts[0])
    url = new_case(client, "Irène Joliot")
    assert "Irène Joliot" in client.get("/dossiers").text
    client.post("/deconnexion")
    assert client.get("/dossiers", follow_redirects=False).status_code == 303
    login(client, accounts[1])
    assert "Irène Joliot" not in client.get("/dossiers").text
    r = client.get(url)
    assert r.status_code == 404
    assert "n'existe pas ou n'est pas accessible" in html.unescape(r.text)
    assert client.post(url, data={"training_hours": "1"}).status_code == 404
    assert client.post(url + "/apercu", data={}).status_code == 404
    assert client.post(url + "/statut", data={"statut": "ready"}).status_code == 404


def test_status_follows_the_services_rules(
    client: TestClient, accounts: tuple[Account, Account]
) -> None:
    login(client, accounts[0])
    url = new_case(client)
    ready = "Confirmer : passer à « prêt à envoyer »"
    assert ready not in html.unescape(client.get(url).text)  # offered only when it can succeed
    r = client.post(url + "/statut", data={"statut": "ready"})
    assert r.status_code == 422
    assert "il ne peut pas passer" in html.unescape(r.text)
    client.post(url, data=form_answers(EXAMPLE, [i.path for i in questionnaire.INPUTS]))
    assert ready in html.unescape(client.get(url).text)  # behind an explicit confirmation
    r = client.post(url + "/statut", data={"statut": "ready"})
    assert r.status_code == 200 and "Prêt à envoyer" in html.unescape(r.text)
    listed = client.get("/dossiers?statut=ready&decision=eligible&dispositif=pro-a").text
    assert f'href="{url}"' in listed
    assert f'href="{url}"' not in client.get("/dossiers?statut=draft").text


def test_cross_origin_form_posts_are_refused(
    client: TestClient, accounts: tuple[Account, Account]
) -> None:
    login(client, accounts[0])
    url = new_case(client)
    r = client.post(
        url, data={"agreement_date": "2025-09-15"}, headers={"Origin": "https://evil.example"}
    )
    assert r.status_code == 403
    assert Page(client.get(url).text).field_names("questionnaire") == ["agreement_date"]


def test_answers_round_trip_through_the_form() -> None:
    for spec in questionnaire.INPUTS:
        value = questionnaire.get(EXAMPLE, spec.path)
        if value is questionnaire._ABSENT or isinstance(value, dict):
            continue
        form = {spec.path: questionnaire.form_value(EXAMPLE, spec)}
        assert questionnaire.get(questionnaire.apply_answers({}, form), spec.path) == value
    assert questionnaire.apply_answers({}, {"training_hours": "151,5"}) == {"training_hours": 151.5}
    assert questionnaire.apply_answers({"tutor": {"role": "employee"}}, {"tutor": "aucun"}) == {
        "tutor": None
    }


def test_dates_are_typed_and_shown_in_french() -> None:
    """Issue 13, §5: jj/mm/aaaa whatever the browser's locale (a text field, not a picker)."""
    spec = questionnaire.BY_PATH["agreement_date"]
    data = questionnaire.apply_answers({}, {"agreement_date": "15/09/2025"})
    assert data["agreement_date"] == "2025-09-15"
    assert questionnaire.form_value(data, spec) == "15/09/2025"
    assert questionnaire.apply_answers({}, {"agreement_date": "2025-09-15"}) == data
    wrong = questionnaire.apply_answers({}, {"agreement_date": "31/02/2025"})
    assert wrong["agreement_date"] == "31/02/2025"  # left as typed: validation names the field
    assert "agreement_date" in questionnaire.assess(wrong).errors
