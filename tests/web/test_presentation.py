"""One presentation for every door: the same labels, numbers, dates and parameter listing
in the CLI, the web pages, the REST API and the documents; rule pages with readable
placeholders; identifiers never grouped."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from proa import evaluate, presentation
from proa.cli.main import EXAMPLE, app
from proa.core import french
from proa.core.rules import PLACEHOLDER
from proa.documents import render_html
from proa.explain import explain, names
from proa.presentation import capital

runner = CliRunner()
WIDE = {"COLUMNS": "300"}


@given(st.decimals(min_value=-(10**7), max_value=10**7, places=4))
def test_babel_and_the_engines_french_numbers_agree(value: Decimal) -> None:
    """The engine writes its messages with proa.core.french, the doors with Babel: one
    reads "1 820,5 h" wherever it looks."""
    assert presentation.number(value) == french.number(value)


@given(st.dates(dt.date(2019, 1, 1), dt.date(2040, 12, 31)))
def test_babel_and_the_engines_french_dates_agree(day: dt.date) -> None:
    assert presentation.date(day) == french.date(day)


def test_formats_in_french_then_english() -> None:
    assert presentation.euros(2745) == "2\u202f745,00\u00a0€"
    assert presentation.euros(2745, "en") == "€2,745.00"
    assert presentation.hours(Decimal("151.665")) == "151,67\u00a0h"
    assert presentation.months(1, "en") == "1\u00a0month"
    assert presentation.date(dt.date(2025, 10, 1)) == "1er octobre 2025"
    assert presentation.date(dt.date(2025, 10, 1), "en") == "1 October 2025"
    assert presentation.value(9.15, "eur_per_hour") == "9,15\u00a0€ de l'heure"
    assert presentation.value(25, "percent") == "25\u00a0%"


def test_identifiers_are_never_digit_grouped(client: TestClient) -> None:
    message = next(
        f.message
        for f in evaluate({"agreement_date": "2025-09-15", "employer": {"idcc": 2264}}).findings
        if f.rule == "reading.other-branch"
    )
    assert "(IDCC 1147)" in message
    assert presentation.value(1147, "code") == "1147"
    page = html.unescape(client.get("/regles/avenant81.idcc").text)
    assert "1147" in page and "1\u202f147" not in page
    listed = runner.invoke(app, ["params"], env=WIDE).output
    row = next(line for line in listed.splitlines() if "avenant81.idcc" in line)
    assert "1147" in row and "1\u202f147" not in row


def test_every_rule_message_reads_without_raw_placeholders() -> None:
    for name in names():
        page = explain(name)
        for template in (page.ok, page.violation):
            shown = presentation.rule_message(template)
            assert not PLACEHOLDER.search(shown), (name, shown)


def test_rule_page_shows_answers_by_name_and_parameters_by_value(client: TestClient) -> None:
    duration = html.unescape(client.get("/regles/pro-a.duration").text)
    assert "entre 6\u00a0mois et ‹durée maximale de la Pro-A›" in duration
    scope = html.unescape(client.get("/regles/pro-a.tutor-experience").text)
    assert "justifie de [expérience du tuteur]" in scope.replace("’", "'")
    assert "{" not in scope.split("<h2>Messages</h2>")[1].split("</dl>")[0]


def test_the_doors_show_the_same_decision_regime_and_amounts(client: TestClient) -> None:
    case = EXAMPLE.read_text(encoding="utf-8")
    result = evaluate(case)
    amount = presentation.euros(result.funding.teaching_costs_eur)
    decision = presentation.DECISIONS[result.decision]
    regime = presentation.REGIMES[result.regime]

    cli = runner.invoke(app, ["check", str(EXAMPLE)], env=WIDE).output
    assert decision.fr.upper() in cli and capital(regime.fr) in cli and amount in cli

    document = render_html("droits-salarie", case).replace("\u00a0", " ")
    assert amount.replace("\u00a0", " ") in document and regime.fr in document

    from proa.web.routes import templates

    page = templates.env.get_template("_resultat.html").render(
        result=result, preview=False, rule_names=set()
    )
    assert capital(decision.fr) in page and capital(regime.fr) in page
    assert amount in html.unescape(page)


def test_one_parameter_listing_for_every_door(client: TestClient) -> None:
    day = dt.date(2026, 3, 1)
    listed = presentation.parameters_in_force(day)
    assert listed and not any(p.name.startswith("catalogue.") for p in listed)
    cli = runner.invoke(app, ["params", "--at", day.isoformat()], env=WIDE).output
    web = html.unescape(client.get(f"/parametres?date={day.isoformat()}").text)
    api = client.get(f"/api/v1/parameters?at={day.isoformat()}").json()
    assert [p["name"] for p in api] == [p.name for p in listed]
    for p in listed:
        shown = presentation.value(p.value, p.unit)
        row = next(line for line in cli.splitlines() if f" {p.name} " in line)
        assert shown.split("\u00a0")[0] in row, p.name
        assert re.search(rf"<code>{re.escape(p.name)}</code>", web), p.name


def test_api_problems_come_from_the_catalogue(client: TestClient) -> None:
    from proa.core.catalogue import text

    unknown = client.get("/api/v1/rules/nope").json()
    expected = text("service.unknown_rule", name="nope")
    assert (unknown["title"], unknown["detail"], unknown["detail_en"]) == (
        text("http.not_found").fr,
        expected.fr,
        expected.en,
    )
    anonymous = client.get("/api/v1/cases").json()
    assert anonymous["detail"] == text("http.login_with_token").fr
    assert anonymous["title"] == text("http.unauthorized").fr


def test_rule_pages_read_in_french_without_internal_names(client: TestClient) -> None:
    """Issue 13, §5: labels, not variable names; French words, not coded English values."""
    page = html.unescape(client.get("/regles/pro-a.training-share").text)
    assert "‹share_category›" not in page and "‹share_max_hours›" not in page
    assert "maternity" not in page and "Congé parental" in page


def test_a_rule_page_names_computed_values_as_its_regime_does(client: TestClient) -> None:
    # Both regimes have a `duration_months_max`: the période de reconversion's is not Pro-A's.
    page = html.unescape(client.get("/regles/reconversion.duration").text)
    assert "‹durée de l'action› ≤ ‹durée maximale de la période›" in page.replace("’", "'")
    assert "dans la limite de ‹durée maximale de la période›" in page.replace("’", "'")
    assert "Pro-A›" not in page
    english = explain("reconversion.duration", lang="en")
    assert english.condition == "‹length of the action› ≤ ‹maximum length of the period›"
