"""The whole journey in a real browser (Debian's Chromium, headless, through Playwright):
log in, answer the questionnaire until « éligible » with its limits, break a rule by
changing the training hours, read the violation and its article, log out; then a second
cabinet cannot see the first one's case. Each step leaves a screenshot in artifacts/web/."""

from __future__ import annotations

import ctypes.util
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from proa.web import questionnaire
from tests.conftest import machine_lacks
from tests.web.conftest import Account

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).parents[2]
SHOTS = ROOT / "artifacts" / "web"
EXAMPLE: dict[str, Any] = json.loads((ROOT / "proa/examples/case.json").read_text("utf-8"))

if not CHROMIUM.exists():
    machine_lacks("Chromium de Debian absent (apt-get install chromium) : navigateur", module=True)
if ctypes.util.find_library("atomic") is None:  # Playwright's driver (Node.js) needs it
    machine_lacks("libatomic1 absent (apt-get install libatomic1) : navigateur", module=True)


@pytest.fixture(scope="module")
def server(app: FastAPI) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield b
        b.close()


class Journey:
    """A browser page that screenshots each step under artifacts/web/NN-step.png."""

    def __init__(self, page: Any, base: str) -> None:
        self.page, self.base, self.step = page, base, 0
        SHOTS.mkdir(parents=True, exist_ok=True)

    def shot(self, name: str) -> None:
        self.step += 1
        self.page.screenshot(path=str(SHOTS / f"{self.step:02d}-{name}.png"), full_page=True)

    def login(self, account: Account) -> None:
        page = self.page
        page.goto(self.base + "/")
        sync_api.expect(page).to_have_url(re.compile(r"/connexion"))
        page.get_by_label("Adresse électronique").fill(account.email)
        page.get_by_label("Mot de passe").fill(account.password)
        page.get_by_role("button", name="Se connecter").click()
        sync_api.expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Dossiers de {account.organisation}"
        )


def label_text(question: str) -> str:
    """The start of a question, before any French typography (no-break spaces)."""
    return re.split(r" [?:;!]|«|\(", question)[0].strip()


def answer(page: Any, path: str) -> None:
    """Answer one question as a person would: by its label, with the example's value."""
    spec = questionnaire.BY_PATH[path]
    q = questionnaire.Question(spec, questionnaire.form_value(EXAMPLE, spec))
    if q.choices:
        group = page.get_by_role("group", name=re.compile(re.escape(label_text(spec.question))))
        choice = dict(q.choices)[q.value]
        group.get_by_label(choice, exact=True).check()
    else:
        page.get_by_label(re.compile(re.escape(label_text(spec.question)))).fill(q.value)


def test_full_journey_and_tenancy(
    server: str, browser: Any, accounts: tuple[Account, Account]
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

    form = page.locator("#questionnaire")
    for _ in range(20):
        if form.count() == 0:
            break
        j.shot("questionnaire")
        names = form.locator("input:not([type=hidden])").evaluate_all(
            "els => [...new Set(els.map(e => e.name))]"
        )
        for path in names:
            answer(page, path)
        page.get_by_role("button", name="Enregistrer et continuer").click()
        expect(page.locator("#annonce")).to_contain_text("Réponses enregistrées")
    else:
        pytest.fail("the questionnaire never ended")

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
