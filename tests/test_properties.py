"""Properties of the engine that must hold for every case (Hypothesis)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from proa import evaluate
from proa.core.inputs import BY_PATH, INPUTS
from tests.legal_cases import BASES

dates = st.dates(min_value=dt.date(2021, 1, 1), max_value=dt.date(2027, 12, 31))
hours = st.decimals(min_value=0, max_value=2000, places=2)


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    """Plausible cases over both regimes, with every input varied."""
    agreement = draw(dates)
    start = agreement + dt.timedelta(days=draw(st.integers(0, 60)))
    end = start + dt.timedelta(days=draw(st.integers(0, 1200)))
    training = draw(hours)
    return {
        "agreement_date": agreement.isoformat(),
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "employer": {
            "idcc": draw(st.sampled_from([1147, 1147, 1486])),
            "headcount": draw(st.integers(1, 80)),
        },
        "employee": {
            "birth_date": draw(st.dates(dt.date(1955, 1, 1), dt.date(2008, 1, 1))).isoformat(),
            "contract": draw(st.sampled_from(BY_PATH["employee.contract"].allowed)),
            "partial_activity": draw(st.booleans()),
            "weekly_hours": draw(st.integers(10, 39)),
            "licence_grade": draw(st.booleans()),
            "qualification_level": draw(st.integers(0, 8)),
            "years_of_activity": draw(st.integers(0, 45)),
            "disabled_worker": draw(st.booleans()),
            "returning_from": draw(st.sampled_from([None, "maternity", "parental", "illness"])),
            "minima_sociaux": draw(st.booleans()),
            "former_cui": draw(st.booleans()),
            "no_secondary_diploma": draw(st.booleans()),
        },
        "target": draw(
            st.sampled_from(
                [
                    {"kind": "certification", "code": "RNCP40913"},
                    {"kind": "certification", "code": "RNCP36358"},
                    {"kind": "certification", "code": "RNCP12345"},
                    {"kind": "certification", "code": "RS1234"},
                    {"kind": "socle", "code": None},
                    {"kind": "vae", "code": None},
                ]
            )
        ),
        "training_hours": float(training),
        "outside_working_time": {
            "hours": float(min(training, draw(st.integers(0, 80)))),
            "written_agreement": draw(st.booleans()),
            "collective_agreement": draw(st.booleans()),
        },
        "tutor": draw(
            st.one_of(
                st.none(),
                st.fixed_dictionaries(
                    {
                        "role": st.sampled_from(["employee", "employer"]),
                        "experience_years": st.integers(0, 20),
                        "current_beneficiaries": st.integers(0, 4),
                    }
                ),
            )
        ),
        "reconversion": draw(
            st.sampled_from(
                [
                    {"mode": "internal"},
                    {"mode": "external", "host_contract": "CDI"},
                    {"mode": "external", "host_contract": "CDD", "host_contract_months": 5},
                    {"mode": "external", "host_contract": "CDD", "host_contract_months": 9},
                ]
            )
        ),
    }


# Not `outside_working_time`: its absence is an answer, the general rule of L6321-6 (training
# is working time), which the finding states; removing it changes the answer, not the data.
LEAVES = [
    i.path
    for i in INPUTS
    if i.kind != "object" and not i.path.startswith("outside_working_time.hours")
] + ["tutor", "reconversion"]


def remove(case: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    out = copy.deepcopy(case)
    for path in paths:
        *parents, leaf = path.split(".")
        node: Any = out
        for p in parents:
            node = node.get(p) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(leaf, None)
    return out


@settings(max_examples=300, deadline=None)
@given(cases(), st.lists(st.sampled_from(LEAVES), unique=True, max_size=8))
def test_removing_data_never_improves_the_decision(case: dict[str, Any], gone: list[str]) -> None:
    """Missing is not false: less data can only turn a decision into `incomplete`."""
    full = evaluate(case)
    partial = evaluate(remove(case, gone))
    if full.decision == "incomplete":
        assert partial.decision != "eligible"
    if partial.decision == "eligible":
        assert full.decision == "eligible"
    if partial.decision == "ineligible":
        assert full.decision == "ineligible"


@settings(max_examples=200, deadline=None)
@given(cases())
def test_evaluation_is_deterministic(case: dict[str, Any]) -> None:
    assert evaluate(case).model_dump() == evaluate(case).model_dump()


@settings(max_examples=300, deadline=None)
@given(cases())
def test_a_range_is_never_empty(case: dict[str, Any]) -> None:
    """Issue 10, points 5 and 7: never a minimum above its maximum (the 150 h floor
    prevails over the share ceiling; where no bound applies, both are null)."""
    lim = evaluate(case).limits
    for low, high in (
        (lim.training_hours_min, lim.training_hours_max),
        (lim.duration_months_min, lim.duration_months_max),
    ):
        assert low is None or high is None or low <= high


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 1100), st.integers(0, 1100), st.integers(10, 39))
def test_limits_are_monotone_in_duration(d1: int, d2: int, weekly: int) -> None:
    base = copy.deepcopy(BASES["pro-a"])
    base["employee"]["weekly_hours"] = weekly
    start = dt.date(2025, 10, 1)
    results = []
    for days in sorted((d1, d2)):
        base["end_date"] = (start + dt.timedelta(days=days)).isoformat()
        results.append(evaluate(base).limits)
    short, long = results
    assert short.training_hours_min <= long.training_hours_min
    assert short.training_hours_max <= long.training_hours_max
    assert short.total_hours <= long.total_hours


@settings(max_examples=200, deadline=None)
@given(st.integers(10, 39), st.integers(10, 39))
def test_limits_are_monotone_in_weekly_hours(w1: int, w2: int) -> None:
    base = copy.deepcopy(BASES["pro-a"])
    results = []
    for w in sorted((w1, w2)):
        base["employee"]["weekly_hours"] = w
        results.append(evaluate(base).limits)
    low, high = results
    assert low.training_hours_min <= high.training_hours_min
    assert low.training_hours_max <= high.training_hours_max


@settings(max_examples=300, deadline=None)
@given(cases(), st.floats(0, 1))
def test_eligible_stays_eligible_at_any_hours_within_the_limits(
    case: dict[str, Any], t: float
) -> None:
    result = evaluate(case)
    lim = result.limits
    if result.decision != "eligible" or lim.training_hours_min is None:
        return
    if lim.training_hours_max is None:
        return
    lo, hi = lim.training_hours_min, lim.training_hours_max
    for h in (lo, hi, round(lo + (hi - lo) * t, 2)):
        changed = dict(case, training_hours=h)
        # Hours outside working time are part of the training: never more than it (fewer
        # such hours can only keep the case eligible).
        outside = case["outside_working_time"]
        changed["outside_working_time"] = dict(outside, hours=min(outside["hours"], h))
        assert evaluate(changed).decision == "eligible", h


@settings(max_examples=200, deadline=None)
@given(cases())
def test_every_finding_cites_a_source(case: dict[str, Any]) -> None:
    result = evaluate(case)
    for f in result.findings:
        assert f.sources, f.rule
        assert f.message, f.rule
    assert result.decision == (
        "ineligible"
        if any(f.status == "violation" for f in result.findings)
        else "incomplete"
        if result.missing
        else "eligible"
    )


@settings(max_examples=300)
@given(
    st.one_of(
        st.integers(-(10**9), 10**9),
        st.decimals(-(10**7), 10**7, places=4, allow_nan=False, allow_infinity=False),
        st.fractions(-(10**6), 10**6, max_denominator=1000),
    )
)
def test_euros_is_babels_french_currency_format(value: Any) -> None:
    """The engine writes amounts without loading Babel (start-up time): same text."""
    from decimal import Decimal
    from fractions import Fraction

    from babel.numbers import format_currency

    from proa.core.french import euros

    exact = (
        Decimal(value.numerator) / Decimal(value.denominator)
        if isinstance(value, Fraction)
        else Decimal(value)
    )
    assert euros(value) == format_currency(exact, "EUR", locale="fr_FR")
