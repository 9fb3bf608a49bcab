"""Every legal test case of tests/cases/ against the engine (STYLE.md §7)."""

from __future__ import annotations

from typing import Any

import pytest

from proa import CaseError, evaluate
from proa.core.lower import lower
from proa.core.rules import Notice
from proa.law import default_pack
from tests.legal_cases import EXPECT, all_cases, build

CASES = all_cases()


@pytest.mark.parametrize("spec", [s for _, s in CASES], ids=[n for n, _ in CASES])
def test_legal_case(spec: dict[str, Any]) -> None:
    assert spec.get("why"), "each case cites why"
    expect = spec["expect"]
    if "error" in expect:
        with pytest.raises(CaseError) as caught:
            evaluate(build(spec), at=spec.get("at"))
        assert [e["field"] for e in caught.value.errors] == [expect["error"]]
        return
    result = evaluate(build(spec), at=spec.get("at"))
    by_rule = {f.rule: f for f in result.findings}
    if "regime" in expect:
        assert result.regime == expect["regime"]
    if "decision" in expect:
        detail = [(f.rule, f.status, f.message) for f in result.findings if f.status != "ok"]
        assert result.decision == expect["decision"], detail
    for rule, status in (expect.get("findings") or {}).items():
        assert rule in by_rule, f"{rule} absent"
        assert by_rule[rule].status == status, by_rule[rule].message
    for rule in expect.get("absent") or []:
        assert rule not in by_rule
    warnings = {f.rule for f in result.findings if f.status == "warning"}
    for rule in expect.get("warnings") or []:
        assert rule in warnings
    for rule in expect.get("no_warnings") or []:
        assert rule not in warnings
    if "missing" in expect:
        assert result.missing == expect["missing"]
    for path in expect.get("missing_contains") or []:
        assert path in result.missing
    for key, value in (expect.get("limits") or {}).items():
        found = getattr(result.limits, key)
        assert found is None if value is None else found == pytest.approx(value), key
    for key, value in (expect.get("funding") or {}).items():
        assert getattr(result.funding, key) == value, key
    for text in expect.get("funding_notes_contain") or []:
        assert any(text in n for n in result.funding.notes), text
    for rule, labels in (expect.get("sources") or {}).items():
        assert set(labels) <= set(by_rule[rule].sources)
    for rule, text in (expect.get("messages_contain") or {}).items():
        assert text in by_rule[rule].message
    if "papers" in expect:  # the kinds proa drafts, null for the employer's own papers
        assert [p.document for p in result.papers] == expect["papers"]
        assert all(p.sources and p.what for p in result.papers)
    if "law_date" in expect:
        assert result.law_date == expect["law_date"]
    for key, labels in (expect.get("limit_sources") or {}).items():
        assert result.limits_trace is not None
        assert set(labels) <= set(result.limits_trace[key].sources), key
    if "deadlines" in expect:
        assert [d.date.isoformat() if d.date else None for d in result.deadlines] == expect[
            "deadlines"
        ]


def test_every_notice_has_a_case() -> None:
    """Each warning of each regime (declared, or shown for an override's struck clause or
    reading) is expected by at least one legal case."""
    expected = {w for _, spec in CASES for w in spec["expect"].get("warnings") or []}
    notices = {
        item.name
        for law in default_pack().regimes.values()
        for item in lower(law).rules
        if isinstance(item, Notice)
    }
    assert notices - expected == set()


def test_unknown_expectations_are_refused() -> None:
    with pytest.raises(ValueError, match="decisoin"):
        build({"name": "x", "why": "y", "base": "pro-a", "expect": {"decisoin": "eligible"}})
    assert "decision" in EXPECT
