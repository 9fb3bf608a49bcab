"""The web app in English: the language chosen, the catalogue complete, pages without French
words of their own (what stays French is French law: article names, the scheme's name)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from proa.storage.db import Database
from proa.web import TEMPLATES, i18n
from tests.web.conftest import Account
from tests.web.html import Page
from tests.web.test_pages import EXAMPLE, form_answers, login, new_case
from tests.web.test_roles import _account

# Words of the French interface that an English page must not show (whole words).
FRENCH = (
    "Dossier",
    "Dossiers",
    "dossier",
    "Connexion",
    "connecter",
    "déconnecter",
    "Mot de passe",
    "Salarié",
    "salarié",
    "Échéance",
    "Échéances",
    "Règles",
    "Paramètres",
    "réponse",
    "réponses",
    "Décision",
    "Statut",
    "Rechercher",
    "Afficher",
    "Enregistrer",
    "Aucun",
    "Aucune",
    "Créer",
    "Oui",
    "Non",
    "jj/mm/aaaa",
    "Erreur",
    "Compte",
    "compte",
    "Fichiers",
    "Valeur",
    "Depuis",
    "Niveau",
    "Sources :",
    "aperçu",
    "Constats",
    "Limites",
    "Pièces",
    "Supprimer",
    "Effacer",
    "éligible",
    "incomplet",
    "brouillon",
    "Nature",
    "Identifiant",
)


class _Text(HTMLParser):
    """What a person reads: text outside <script> and <style>, and the attributes read
    aloud or shown (aria-label, placeholder, title, data-label)."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0
        self.feed(source)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if name in ("aria-label", "placeholder", "title", "data-label", "data-annonce"):
                self.parts.append(value or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def french_words(source: str, besides: tuple[str, ...] = ()) -> list[str]:
    """The French interface words an English page shows (`besides`: names it may show)."""
    text = " ".join(_Text(source).parts)
    for allowed in besides:
        text = text.replace(allowed, "")
    return [w for w in FRENCH if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)]


@pytest.fixture
def english(client: TestClient) -> Iterator[TestClient]:
    client.cookies.set(i18n.COOKIE, "en")
    yield client
    client.cookies.delete(i18n.COOKIE)


def lang_of(source: str) -> str:
    return Page(source).all("html")[0].get("lang", "")


# --- the catalogue ---------------------------------------------------------------------------


def test_every_template_message_has_its_english_and_the_catalogue_nothing_else() -> None:
    used = i18n.template_messages(TEMPLATES)
    # Babel keys a plural message by its singular.
    catalogue = {
        m.id if isinstance(m.id, str) else m.id[0]: m.string for m in i18n.catalog() if m.id
    }
    missing = [k for k in used if not catalogue.get(k if isinstance(k, str) else k[0])]
    assert not missing, f"no English for {missing}: run python -m proa.web.i18n"
    ids = {k if isinstance(k, str) else k[0] for k in used}
    unused = [k for k in catalogue if k not in ids]
    assert not unused, f"no template uses {unused}: run python -m proa.web.i18n"
    for m in i18n.catalog():
        # No placeholder in English that the French lacks (it would fail at rendering).
        sides = (m.id,) if isinstance(m.id, str) else m.id
        found = (m.string,) if isinstance(m.string, str) else m.string
        names = {n for s in sides for n in re.findall(r"%\((\w+)\)s", s)}
        for s in found:
            assert set(re.findall(r"%\((\w+)\)s", s)) <= names, (m.id, s)


def test_french_counts_zero_and_one_in_the_singular() -> None:
    fr, en = i18n.translations("fr"), i18n.translations("en")
    assert fr.ngettext("%(n)s dossier", "%(n)s dossiers", 0) == "%(n)s dossier"
    assert fr.ngettext("%(n)s dossier", "%(n)s dossiers", 2) == "%(n)s dossiers"
    assert en.ngettext("%(n)s dossier", "%(n)s dossiers", 0) == "%(n)s cases"
    assert en.ngettext("%(n)s dossier", "%(n)s dossiers", 1) == "%(n)s case"


# --- the choice ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("", "fr"),
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("en-GB,en;q=0.9,fr;q=0.8", "en"),
        ("en", "en"),
        ("de-DE,en;q=0.9", "fr"),
        ("fr;q=0.5, en-US;q=0.8", "en"),
        ("*", "fr"),
    ],
)
def test_without_a_choice_the_browser_first_language_decides(
    client: TestClient, header: str, lang: str
) -> None:
    r = client.get("/connexion", headers={"Accept-Language": header})
    assert lang_of(r.text) == lang
    assert r.headers["content-language"] == lang


def test_the_switch_remembers_the_choice_and_comes_back_to_the_page(client: TestClient) -> None:
    page = client.get("/regles", headers={"Accept-Language": "fr"})
    switch = next(a for a in Page(page.text).all("a") if a.get("hreflang") == "en")
    assert switch["href"] == "/langue?choix=en&suite=%2Fregles"
    r = client.get(switch["href"], follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/regles"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("proa_lang=en;") and "samesite=lax" in cookie.lower()
    assert "Path=/" in cookie
    try:
        # The cookie wins over the browser's language, both ways.
        english = client.get("/regles", headers={"Accept-Language": "fr"})
        assert lang_of(english.text) == "en"
        back = next(a for a in Page(english.text).all("a") if a.get("hreflang") == "fr")
        assert back["href"] == "/langue?choix=fr&suite=%2Fregles"
        assert ">Français</a>" in english.text
        client.get(back["href"])
        assert lang_of(client.get("/regles", headers={"Accept-Language": "en"}).text) == "fr"
    finally:
        client.cookies.delete(i18n.COOKIE)


def test_the_switch_never_leaves_the_site(client: TestClient) -> None:
    for target in ("https://example.org/", "//example.org/"):
        r = client.get(f"/langue?choix=en&suite={target}", follow_redirects=False)
        assert r.headers["location"] == "/dossiers"
    r = client.get("/langue?choix=xx&suite=/regles", follow_redirects=False)
    assert "set-cookie" not in r.headers


# --- the pages -------------------------------------------------------------------------------


def test_login_page_in_english(english: TestClient) -> None:
    r = english.get("/connexion")
    assert lang_of(r.text) == "en"
    assert "<h1>Log in</h1>" in r.text
    assert french_words(r.text) == []
    wrong = english.post("/connexion", data={"email": "x@example.org", "password": "nope"})
    assert wrong.status_code == 401
    assert "Wrong email or password." in wrong.text
    assert french_words(wrong.text) == []


def test_list_and_new_case_in_english(
    english: TestClient, accounts: tuple[Account, Account]
) -> None:
    first = accounts[0]
    login(english, first)
    r = english.get("/dossiers")
    assert lang_of(r.text) == "en"
    assert f"Cases of {first.organisation}" in r.text
    assert french_words(r.text, besides=(first.organisation,)) == []
    refused = english.get("/dossiers?tri=nimporte&page=x")
    assert refused.status_code == 422
    assert "unknown value" in refused.text and "Most recently changed" in refused.text
    assert french_words(refused.text, besides=(first.organisation,)) == []
    form = english.get("/dossiers/nouveau")
    assert french_words(form.text, besides=(first.organisation,)) == []


def test_case_page_and_questionnaire_in_english(
    english: TestClient, accounts: tuple[Account, Account]
) -> None:
    first = accounts[0]
    login(english, first)
    url = new_case(english, "Ada Lovelace")
    r = english.get(url)
    assert lang_of(r.text) == "en"
    assert "Case no. " in r.text and "Decision" in r.text
    assert french_words(r.text, besides=(first.organisation,)) == []
    # A wrong answer: its error in English, dates hinted day/month/year.
    bad = english.post(url, data={"agreement_date": "31/02/2026"})
    assert bad.status_code == 422
    assert "nothing was saved" in bad.text and 'placeholder="dd/mm/yyyy"' in bad.text
    assert french_words(bad.text, besides=(first.organisation,)) == []
    # Complete: findings, limits, deadlines, funding notes and the rate's source in English
    # (its articles' labels stay as the law writes them: docs/web.md), dates written
    # "1 February 2026".
    english.post(url, data=form_answers(EXAMPLE, list(_all_paths())))
    done = english.get(url)
    assert "No decision of the CPNEFP IDCC 1147 setting a flat rate was found" in done.text
    assert "Aucune délibération" not in done.text
    assert "Findings" in done.text and "Minimum training hours" in done.text
    assert "An estimate: what is funded depends" in done.text and "Estimation :" not in done.text
    assert "Sending of the avenant and the pedagogical document" in done.text
    months = "January|February|March|April|May|June|July|August|September|October|November"
    assert re.search(rf"\d{{1,2}} ({months}|December) \d{{4}}", done.text)
    headings = " / ".join(text for _, text in Page(done.text).headings)
    assert french_words(headings) == [], headings
    preview = english.post(url + "/apercu", data={})
    assert 'data-annonce="Decision (preview): Eligible."' in preview.text


def _all_paths() -> Iterator[str]:
    from proa.web import questionnaire

    return (i.path for i in questionnaire.INPUTS)


def test_french_stays_the_default(client: TestClient) -> None:
    r = client.get("/connexion")
    assert lang_of(r.text) == "fr"
    assert "<h1>Connexion</h1>" in r.text and ">English</a>" in r.text
    # The notes of a parameter's sources stay French in French.
    rate = client.get("/regles/funding.hourly_rate_eur")
    assert "Aucune délibération de la CPNEFP" in rate.text and "No decision" not in rate.text


def test_rules_in_english_their_conditions_as_the_law_writes_them(english: TestClient) -> None:
    listed = english.get("/regles")
    assert lang_of(listed.text) == "en" and "Eligible employee" in listed.text
    assert french_words(listed.text) == []
    page = english.get("/regles/pro-a.beneficiary")
    assert "<h1>Eligible employee</h1>" in page.text
    assert "If the rule is met" in page.text and "The employee may use Pro-A" in page.text
    # The headings and labels are English (the conditions too: the test below).
    headings = " / ".join(text for _, text in Page(page.text).headings)
    assert french_words(headings) == [], headings
    parameters = english.get("/parametres?date=2026-02-01")
    assert "Parameters in force on 1 February 2026" in parameters.text
    assert "Maximum length of Pro-A (general case)" in parameters.text
    assert french_words(parameters.text) == []
    one = english.get("/regles/pro_a.duration.min_months")
    assert "<h1>Minimum length of Pro-A</h1>" in one.text and french_words(one.text) == []
    # A parameter's page: the notes of its values and sources in English.
    rate = english.get("/regles/funding.hourly_rate_eur")
    assert "No decision of the CPNEFP IDCC 1147 setting a flat rate was found" in rate.text
    assert "Aucune" not in rate.text and french_words(rate.text) == []
    share = english.get("/regles/pro_a.share.age_from")
    assert "No effect before avenant n°81" in share.text
    assert "Before avenant n°81: no branch clause" in share.text
    assert "Sans effet" not in share.text and "Avant l" not in share.text
    wrong = english.get("/parametres?date=demain")
    assert wrong.status_code == 422 and 'lang="en"' in wrong.text


def test_deadlines_account_files_and_audit_trail_in_english(
    english: TestClient, accounts: tuple[Account, Account]
) -> None:
    first = accounts[0]
    login(english, first)
    url = new_case(english, "Grace Hopper")
    for path in ("/echeances", "/echeances?jours=365", "/compte", "/fichiers", url + "/journal"):
        r = english.get(path)
        assert r.status_code == 200 and lang_of(r.text) == "en", path
        assert french_words(r.text, besides=(first.organisation,)) == [], path
    assert "Coming deadlines" in english.get("/echeances").text
    assert "a year" in english.get("/echeances?jours=365").text
    trail = english.get(url + "/journal").text
    assert "creation" in trail and "Audit trail of case no. " in trail
    differ = english.post(
        "/compte/mot-de-passe", data={"current": "x", "new": "a" * 12, "again": "b" * 12}
    )
    assert differ.status_code == 422 and "The two entries of the new password differ." in (
        differ.text
    )
    unknown = english.get("/echeances?jours=12")
    assert unknown.status_code == 422 and "unknown value" in unknown.text


def test_administration_in_english(english: TestClient, database: tuple[Database, Path]) -> None:
    admin = _account(database[0], "admin@cabinet-anglais.fr", "admin", "Cabinet Anglais", "cabinet")
    login(english, admin)
    page = english.get("/administration")
    assert "Accounts of your organisations" in page.text and "administrator" in page.text
    assert french_words(page.text, besides=(admin.organisation,)) == []
    made = english.post(
        "/administration/comptes", data={"email": "new@cabinet-anglais.fr", "role": "employer"}
    )
    assert "shown only once" in made.text
    assert french_words(made.text, besides=(admin.organisation,)) == []


def test_the_branch_counts_in_english(english: TestClient, database: tuple[Database, Path]) -> None:
    branch = _account(database[0], "cpnefp@branche-anglaise.fr", "branch", "CPNEFP EN", "branch")
    login(english, branch)
    page = english.get("/dossiers")
    assert "Cases of CPNEFP EN" in page.text and "in the cabinets followed" in page.text
    assert french_words(page.text) == []


def test_after_a_form_the_switch_returns_to_the_page_it_was_on(english: TestClient) -> None:
    wrong = english.post(
        "/connexion",
        data={"email": "x@example.org", "password": "nope", "suite": "/regles"},
        headers={"Referer": "http://testserver/connexion?suite=%2Fregles"},
    )
    switch = next(a for a in Page(wrong.text).all("a") if a.get("hreflang") == "fr")
    assert switch["href"] == "/langue?choix=fr&suite=%2Fconnexion%3Fsuite%3D%252Fregles"
    assert "accept-language" in wrong.headers["vary"].lower()
    elsewhere = english.post(
        "/connexion",
        data={"email": "x@example.org", "password": "nope"},
        headers={"Referer": "https://example.org/page"},
    )
    switch = next(a for a in Page(elsewhere.text).all("a") if a.get("hreflang") == "fr")
    assert switch["href"] == "/langue?choix=fr&suite=%2F"


def test_refusals_in_english(english: TestClient, database: tuple[Database, Path]) -> None:
    missing = english.get("/nulle-part")
    assert missing.status_code == 404 and "<h1>Page not found</h1>" in missing.text
    assert french_words(missing.text) == []
    assert "There is no rule or parameter" in english.get("/regles/nope").text
    opco = _account(database[0], "adviser@opco-english.fr", "opco", "OPCO EN", "opco")
    login(english, opco)
    refused = english.get("/dossiers/nouveau")
    assert refused.status_code == 403 and "Only the cabinet creates cases" in refused.text
    assert french_words(refused.text) == []


def test_a_rule_page_in_english_says_its_condition_and_clauses_in_english(
    english: TestClient,
) -> None:
    said = " ".join(_Text(english.get("/regles/pro-a.duration").text).parts)
    assert "Applies if:" in said and "not ‹the action aims at the socle (CléA) or a VAE›" in said
    assert "‹length of the action› ≥ ‹minimum length of the Pro-A› and" in said
    # The Code's clause that replaces the agreement's, in English words.
    assert "over 25 years, the “no diploma” public does not open the 36 months" in said
    assert "when ‹only priority title: no diploma, over 25 years›" in said
    for french in ("S'applique si", "non ‹", "durée de l'action", " et ‹", ", lorsque ‹"):
        assert french not in said.replace("’", "'"), french
    # The answers by their English names, in conditions and messages alike.
    tutor = " ".join(_Text(english.get("/regles/pro-a.tutor-experience").text).parts)
    assert "[tutor's experience]" in tutor.replace("’", "'")
    assert "[expérience du tuteur]" not in tutor.replace("’", "'")
