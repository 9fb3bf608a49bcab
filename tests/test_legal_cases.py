"""Every legal test case of tests/cases/ against the engine (STYLE.md §7)."""

from __future__ import annotations

from typing import Any

import pytest

from proa import evaluate
from tests.legal_cases import all_cases, build

CASES = all_cases()


@pytest.mark.parametrize("spec", [s for _, s in CASES], ids=[n for n, _ in CASES])
def test_legal_case(spec: dict[str, Any]) -> None:
    assert spec.get("why"), "each case cites why"
    result = evaluate(build(spec), at=spec.get("at"))
    expect = spec["expect"]
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
        assert getattr(result.limits, key) == pytest.approx(value), key
    for key, value in (expect.get("funding") or {}).items():
        assert getattr(result.funding, key) == value, key
    for text in expect.get("funding_notes_contain") or []:
        assert any(text in n for n in result.funding.notes), text
    for rule, labels in (expect.get("sources") or {}).items():
        assert set(labels) <= set(by_rule[rule].sources)
    for rule, text in (expect.get("messages_contain") or {}).items():
        assert text in by_rule[rule].message
    if "deadlines" in expect:
        assert [d.date.isoformat() if d.date else None for d in result.deadlines] == expect[
            "deadlines"
        ]
