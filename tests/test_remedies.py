"""What would make a case comply (`result.remedies`, issue 10 §2): declared with the rules,
evaluated by the scalar engine, shown by the CLI (the web page: tests/web/test_pages.py)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

from hypothesis import given, settings
from typer.testing import CliRunner

from proa import evaluate
from proa.cli.main import app
from proa.core import dates
from tests.legal_cases import BASES
from tests.test_properties import cases


def _pro_a(**changes: Any) -> dict[str, Any]:
    case = copy.deepcopy(BASES["pro-a"])
    for path, value in changes.items():
        *parents, leaf = path.split("__")
        node = case
        for p in parents:
            node = node[p]
        node[leaf] = value
    return case


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_an_eligible_case_needs_no_remedy() -> None:
    assert evaluate(_pro_a()).remedies == []


def test_a_too_long_action_gets_the_range_of_end_dates() -> None:
    result = evaluate(_pro_a(end_date=dt.date(2027, 3, 31), training_hours=600))
    (remedy,) = [r for r in result.remedies if r.rule == "pro-a.duration"]
    assert (remedy.kind, remedy.field) == ("range", "end_date")
    # 6 to 12 months from 1 October 2025 (C. trav., art. L6325-11; avenant 81, art. 5).
    assert (remedy.at_least, remedy.at_most) == (dt.date(2026, 3, 31), dt.date(2026, 9, 30))
    assert remedy.nearest == dt.date(2026, 9, 30)
    assert _plain(remedy.message) == (
        "Dernier jour de l'action : entre le 31 mars 2026 et le 30 septembre 2026 "
        "(aujourd'hui : 31 mars 2027)"
    )


def test_too_few_and_too_many_hours_get_the_same_range() -> None:
    for hours in (100, 900):
        result = evaluate(_pro_a(training_hours=hours))
        (remedy,) = result.remedies
        assert (remedy.field, remedy.at_least, remedy.at_most) == ("training_hours", 273, 455)
        assert remedy.nearest == (273 if hours < 273 else 455)


def test_a_choice_is_offered_among_the_values_the_rule_accepts() -> None:
    result = evaluate(_pro_a(employee__contract="CDD"), english=True)
    (remedy,) = result.remedies
    assert remedy.kind == "one_of" and remedy.values == ["CDD-sportif", "CDI", "CUI-CDI"]
    assert remedy.message_en == "employee.contract: CDD-sportif, CDI, CUI-CDI (now: CDD)"
    assert "Contrat du salarié : " in _plain(remedy.message)


def test_a_missing_rule_asks_its_questions() -> None:
    case = _pro_a(training_hours=600)
    del case["employee"]["birth_date"]
    result = evaluate(case)
    assert [(r.rule, r.kind, r.field) for r in result.remedies] == [
        ("pro-a.training-share", "answer", "employee.birth_date")
    ]
    assert result.remedies[0].message.startswith("Quelle est la date de naissance")


def test_no_remedy_where_the_input_alone_cannot_comply() -> None:
    """A qualification held cannot be changed: the rule declares no remedy."""
    result = evaluate(_pro_a(employee__licence_grade=True))
    assert result.decision == "ineligible" and result.remedies == []


def test_the_last_day_of_a_duration() -> None:
    start = dt.date(2025, 10, 1)
    for months in (6, 12, 36):
        end = dates.last_day(start, months)
        assert dates.months(start, end) == months
        assert dates.months(start, end + dt.timedelta(days=1)) > months
    # A fraction of a month: at most (the day before), at least (the day after).
    within, reaching = dates.last_day(start, 12.5), dates.last_day(start, 12.5, reaching=True)
    assert dates.months(start, within) <= 12.5 <= dates.months(start, reaching)
    assert reaching - within == dt.timedelta(days=1)


@settings(max_examples=200, deadline=None)
@given(cases())
def test_following_a_remedy_satisfies_its_rule(case: dict[str, Any]) -> None:
    """Each change proposed, made on its own, leaves its rule no longer violated."""
    result = evaluate(case)
    for remedy in result.remedies:
        if remedy.kind == "answer":
            continue
        value = remedy.values[0] if remedy.kind == "one_of" else remedy.nearest
        assert value is not None
        changed = copy.deepcopy(case)
        *parents, leaf = remedy.field.split(".")
        node = changed
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = value.isoformat() if isinstance(value, dt.date) else value
        if remedy.field == "training_hours":
            outside = changed["outside_working_time"]
            outside["hours"] = min(outside["hours"], value)
        after = {f.rule: f.status for f in evaluate(changed).findings}
        assert after[remedy.rule] != "violation", (remedy, after)


def test_the_cli_report_and_json_show_the_remedies(tmp_path: Any) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(_pro_a(training_hours=900), default=str), "utf-8")
    out = CliRunner().invoke(app, ["check", str(path)], env={"COLUMNS": "300"})
    assert out.exit_code == 0
    text = _plain(out.output)
    assert "Pour rendre le dossier conforme" in text
    assert "Heures de formation : au plus 455 h (aujourd'hui : 900 h)" not in text  # both bounds
    assert "Heures de formation : entre 273 h et 455 h (aujourd'hui : 900 h)" in text
    data = json.loads(CliRunner().invoke(app, ["check", str(path), "--json"]).output)
    assert data["remedies"][0]["field"] == "training_hours"
    assert data["remedies"][0]["nearest"] == 455
