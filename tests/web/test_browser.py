"""The whole journey in a real browser (Debian's Chromium, headless, through Playwright):
log in, answer the questionnaire until « éligible » with its limits, break a rule by
changing the training hours, read the violation and its article, log out; then a second
cabinet cannot see the first one's case. Each step leaves a screenshot in artifacts/web/."""

from __future__ import annotations

import re
from typing import Any

from tests.web.browser import (  # noqa: F401 (fixtures)
    Journey,
    answer_questionnaire,
    browser,
    server,
    sync_api,
)
from tests.web.conftest import Account


def test_full_journey_and_tenancy(
    server: str,  # noqa: F811
    browser: Any,  # noqa: F811
    accounts: tuple[Account, Account],
) -> None:
    first, second = accounts
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    expect = sync_api.expect
    j = Journey(page, server)

    page.goto(server + "/connexion")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
    j.shot("connexion")
    j.login(first)
    j.shot("dossiers")

    page.get_by_role("link", name="Créer un dossier").click()
    page.get_by_label("Nom et prénom du salarié").fill("Marie Martin")
    j.shot("nouveau-dossier")
    page.get_by_role("button", name="Créer le dossier et commencer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Marie Martin")
    case_url = page.url

    answer_questionnaire(j)

    verdict = page.locator(".verdict")
    expect(verdict).to_contain_text("Éligible")
    limits = page.get_by_role("table", name=re.compile("Limites"))
    expect(
        limits.get_by_role("row", name=re.compile("Heures de formation minimum"))
    ).to_contain_text("273")
    expect(limits.get_by_role("row", name=re.compile("Durée de l'action"))).to_contain_text("12")
    expect(page.get_by_role("table", name=re.compile("Échéances"))).to_contain_text(
        "6 octobre 2025"
    )
    j.shot("eligible")

    # Change the training hours: the decision updates while typing (script), then is saved.
    page.get_by_text("Afficher les réponses déjà données").click()
    hours = page.get_by_label(re.compile("Combien d'heures de formation"))
    hours.fill("100")
    expect(verdict).to_contain_text("Non éligible")
    expect(page.locator("#annonce")).to_contain_text("Décision (aperçu) : Non éligible")
    expect(page.locator("#modifier [data-apercu-local]")).to_contain_text("Non éligible")
    j.shot("apercu-100-heures")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    expect(page.locator(".verdict")).to_contain_text("Non éligible")
    violation = page.locator(".constat--violation").first
    expect(violation).to_contain_text("Non conforme")
    expect(violation).to_contain_text("Avenant 81, art. 6")
    j.shot("non-eligible")
    violation.get_by_role("link", name=re.compile("explication de la règle")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Durée minimale de la formation")
    j.shot("regle")

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("status")).to_contain_text("Vous êtes déconnecté")
    j.shot("deconnexion")
    page.goto(case_url)
    expect(page).to_have_url(re.compile(r"/connexion\?suite="))

    # A second cabinet sees neither the case in its list nor the case at its address.
    j.login(second)
    expect(page.get_by_text("Marie Martin")).to_have_count(0)
    j.shot("autre-cabinet-liste")
    response = page.goto(case_url)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    expect(page.locator("main")).to_contain_text("n'est pas accessible à votre organisation")
    j.shot("autre-cabinet-404")

    # Small screens: the same page reflows without horizontal scrolling.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(server + "/regles")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    j.shot("mobile-regles")
    context.close()
