"""What the browser tests share: Debian's Chromium through Playwright (the module is
skipped where it is absent, a failure under CI=true), the live server on the test database,
and `Journey`, a page that screenshots each step under artifacts/web/ and, at phone width,
checks that the page does not scroll sideways."""

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
expect = sync_api.expect
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
# The two widths every journey runs at: a desktop window and a phone (CSS pixels).
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Every question the pages ask, the case's and those « Pour les documents ».
SPECS = {spec.path: spec for spec in questionnaire.FIELDS}
VIEWPORTS = pytest.mark.parametrize(
    "viewport", [DESKTOP, PHONE], ids=lambda v: str(v["width"]) if isinstance(v, dict) else v
)

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
    """A browser page that screenshots each step under artifacts/web/<prefix>NN-step.png;
    at phone width (390 px or less) each step also checks there is no sideways scrolling."""

    def __init__(self, page: Any, base: str, prefix: str = "") -> None:
        self.page, self.base, self.prefix, self.step = page, base, prefix, 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        if prefix:  # a journey's screenshots are those of its last run only
            for old in SHOTS.glob(f"{prefix}[0-9][0-9]-*.png"):
                old.unlink()

    @property
    def width(self) -> int:
        size: dict[str, int] = self.page.viewport_size
        return size["width"]

    def fits(self) -> None:
        """At phone width, the page reflows rather than scrolls sideways."""
        if self.width <= PHONE["width"]:
            scrolled = self.page.evaluate("document.documentElement.scrollWidth")
            assert scrolled <= self.width, f"{self.page.url} : {scrolled} px de large"

    def shot(self, name: str) -> None:
        self.fits()
        self.step += 1
        path = SHOTS / f"{self.prefix}{self.step:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base + path)

    def login(self, account: Account) -> None:
        page = self.page
        page.goto(self.base + "/")
        expect(page).to_have_url(re.compile(r"/connexion"))
        page.get_by_label("Adresse électronique").fill(account.email)
        page.get_by_label("Mot de passe").fill(account.password)
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Dossiers de {account.organisation}"
        )

    def logout(self) -> None:
        self.page.get_by_role("button", name="Se déconnecter").click()
        expect(self.page.get_by_role("status")).to_contain_text("Vous êtes déconnecté")


def open_journey(browser: Any, server: str, viewport: dict[str, int], prefix: str) -> Journey:
    """A fresh French browser context at this size; screenshots named `<prefix>-<width>-…`."""
    context = browser.new_context(locale="fr-FR", viewport=viewport, accept_downloads=True)
    return Journey(context.new_page(), server, f"{prefix}-{viewport['width']}-")


def label_text(question: str) -> str:
    """The start of a question, before any French typography (no-break spaces)."""
    return re.split(r" [?:;!]|«|\(", question)[0].strip()


def answer(page: Any, path: str, case: dict[str, Any] = EXAMPLE) -> None:
    """Answer one question as a person would: by its label, with the case's value."""
    spec = SPECS[path]
    q = questionnaire.Question(spec, questionnaire.form_value(case, spec))
    if q.choices:
        group = page.get_by_role("group", name=re.compile(re.escape(label_text(spec.question))))
        choice = dict(q.choices)[q.value]
        group.get_by_label(choice, exact=True).check()
    else:
        page.get_by_label(re.compile(re.escape(label_text(spec.question)))).fill(q.value)


def answer_questionnaire(j: Journey, case: dict[str, Any] = EXAMPLE) -> None:
    """Answer each page of questions the app asks, until it asks none."""
    page = j.page
    form = page.locator("#questionnaire")
    for _ in range(20):
        if form.count() == 0:
            return
        j.shot("questionnaire")
        names = form.locator("input:not([type=hidden])").evaluate_all(
            "els => [...new Set(els.map(e => e.name))]"
        )
        for path in names:
            answer(page, path, case)
        page.get_by_role("button", name="Enregistrer et continuer").click()
        expect(page.locator("#annonce")).to_contain_text("Réponses enregistrées")
    pytest.fail("the questionnaire never ended")
