"""An English browser in Chromium, at desktop and phone width: the app speaks its language from
the first page, a case is answered in English, and the header's switch turns the same page
French and back (docs/web.md)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from proa.storage.db import Database
from proa.web import questionnaire
from tests.web.browser import (  # noqa: F401 (fixtures)
    EXAMPLE,
    SPECS,
    VIEWPORTS,
    Journey,
    browser,
    expect,
    server,
)
from tests.web.conftest import add_account


def answer_in_english(page: Any, path: str) -> None:
    """Answer one question by its English label, with the example's value."""
    spec = SPECS[path]
    q = questionnaire.Question(spec, questionnaire.form_value(EXAMPLE, spec))
    label = re.compile(re.escape(re.split(r"[?(]", spec.question_en)[0].strip()))
    choices = dict(q.choices_in("en"))
    if choices:
        group = page.get_by_role("group", name=label)
        group.get_by_label(choices[q.value], exact=True).check()
    else:
        page.get_by_label(label).fill(q.value)


@VIEWPORTS
def test_an_english_browser_answers_a_case_and_switches_to_french(
    server: str,  # noqa: F811
    browser: Any,  # noqa: F811
    database: tuple[Database, Path],
    viewport: dict[str, int],
) -> None:
    width = viewport["width"]
    account = add_account(database[0], f"ada-{width}@english-practice.fr", f"Practice {width}")
    context = browser.new_context(locale="en-GB", viewport=viewport)
    j = Journey(context.new_page(), server, f"anglais-{width}-")
    page = j.page

    j.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    j.shot("login")
    page.get_by_label("Email address").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Cases of {account.organisation}")
    j.shot("cases")

    page.get_by_role("link", name="Create a case").click()
    page.get_by_label("Employee's full name").fill("Ada Lovelace")
    page.get_by_role("button", name="Create the case and start").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Case no. ")
    form = page.locator("#questionnaire")
    names = form.locator("input:not([type=hidden])").evaluate_all(
        "els => [...new Set(els.map(e => e.name))]"
    )
    for path in names:
        answer_in_english(page, path)
    j.shot("questionnaire")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#annonce")).to_contain_text("Answers saved. Decision:")
    expect(page.get_by_role("heading", name="Findings")).to_be_visible()
    j.shot("case")

    # The switch: the same page in French, and back; the choice outlives the browser's.
    here = page.url
    page.get_by_role("link", name="Français").click()
    expect(page).to_have_url(here)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Constats")).to_be_visible()
    j.shot("en-francais")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(here)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    if width < 600:  # the list as cards: each label with the language's colon
        j.goto("/dossiers")
        label = "getComputedStyle(document.querySelector('td[data-label]'), '::before').content"
        assert page.evaluate(label).endswith(': "') and "\u00a0" not in page.evaluate(label)
        page.get_by_role("link", name="Français").click()
        assert page.evaluate(label).endswith('\u00a0: "')
    context.close()
