"""The table engine (Polars) agrees with the scalar engine, row for row (STYLE.md §8)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proa import default_engine
from proa.batch.simulate import Scenario, scenario_pack
from proa.batch.synth import workforce
from proa.core.engine import Engine
from proa.core.rules import Pack
from proa.core.table import (
    MISSING_ORDER,
    coded,
    decode,
    evaluate_table,
    frame,
    notice_names,
    rule_names,
)
from proa.law import default_pack
from tests.legal_cases import all_cases, build
from tests.test_batch import as_case
from tests.test_properties import LEAVES, cases, remove

LIMITS = ("duration_months_max", "training_hours_min", "training_hours_max")


def assert_same(
    rows: list[dict[str, Any]], at: dt.date | None = None, pack: Pack | None = None
) -> None:
    pack = pack or default_pack()
    table = evaluate_table(frame(rows), pack, at=at, statuses=True, missing=True, warnings=True)
    table = table.with_columns(
        decode(table["#missing"], MISSING_ORDER).alias("missing"),
        decode(table["#violations"], rule_names(pack)).alias("violations"),
        decode(table["#warnings"], notice_names(pack)).alias("warnings"),
    )
    engine = Engine(pack)
    for i, case in enumerate(rows):
        scalar = engine.evaluate(case, at=at)
        row = table.row(i, named=True)
        assert row["decision"] == scalar.decision, (i, case)
        assert row["regime"] == scalar.regime
        assert row["missing"] == scalar.missing, (i, case)
        assert set(row["violations"]) == {
            f.rule for f in scalar.findings if f.status == "violation"
        }
        # The notices too: extension exclusions and readings, those of overrides included.
        assert set(row["warnings"]) == {f.rule for f in scalar.findings if f.status == "warning"}
        for f in scalar.findings:
            if f.status != "warning" and f.rule != "regime":
                assert row[f.rule] == f.status, (i, f.rule, f.message)
        for key in LIMITS:
            expected = getattr(scalar.limits, key)
            got = row.get("limits." + key)
            if expected is None:
                assert got is None or scalar.regime is None, key
            else:
                assert math.isclose(got, expected, abs_tol=1e-9), (key, got, expected)
        if scalar.funding.teaching_costs_eur is not None:
            assert math.isclose(
                row["funding.teaching_costs_eur"], scalar.funding.teaching_costs_eur, abs_tol=1e-9
            )


def test_every_legal_case_agrees() -> None:
    valid = (spec for _, spec in all_cases() if "error" not in (spec.get("expect") or {}))
    assert_same([build(spec) for spec in valid if not spec.get("at")])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(cases(), st.lists(st.sampled_from(LEAVES), unique=True, max_size=6)),
        min_size=1,
        max_size=12,
    )
)
def test_generated_cases_agree(batch: list[tuple[dict[str, Any], list[str]]]) -> None:
    assert_same([remove(case, gone) for case, gone in batch])


def test_the_regime_follows_the_agreement_date_whatever_the_law_date() -> None:
    """`at` picks the parameters in force, never the regime (loi n° 2025-989, art. 11, III):
    both engines keep each row's regime and agree row for row."""
    at = dt.date(2026, 3, 1)
    engine = default_engine()
    rows = []
    for _, spec in all_cases():
        if "error" in (spec.get("expect") or {}):
            continue
        case = build(spec)
        day = case.get("agreement_date")
        law = engine.regimes.at(day) if day else None
        if law is not None and engine.regimes.start(law) <= at:
            rows.append(case)
    table = evaluate_table(frame(rows), default_pack(), at=at)
    assert set(table["regime"].to_list()) == {"pro-a", "periode-de-reconversion"}
    assert table["regime"].to_list() == [engine.evaluate(r).regime for r in rows]
    assert_same(rows, at=at)


@pytest.mark.parametrize(
    "changes",
    [
        {  # numbers only: the periods share one plan, the numbers read per row
            "hours.weeks_per_year": [{"from": "2023-03-01", "value": 47}],
            "pro_a.priority.age_max": [{"from": "2022-09-01", "value": 29}],
        },
        {  # a day offset: one plan a period
            "pro_a.deposit_days_after_start": [{"from": "2024-06-01", "value": 12}],
        },
    ],
)
def test_periods_differing_in_a_number_or_a_day_offset_agree(changes: dict[str, Any]) -> None:
    """Parameter periods that differ in numbers, or in a value the rules need as a constant,
    agree with the scalar engine on either side of each change."""
    pack = scenario_pack(Scenario.model_validate({"title": "Essai", "parameters": changes}))
    rows = []
    for i, row in enumerate(workforce(400, seed=17).iter_rows(named=True)):
        case = as_case(row)
        start = dt.date.fromisoformat(case["start_date"])
        case["agreement_date"] = min(start + dt.timedelta(days=i % 15), dt.date(2025, 12, 31))
        rows.append(case)
    assert_same(rows, pack=pack)


def test_text_as_string_or_as_enum_gives_the_same_table() -> None:
    """Coded inputs may come as String columns (`frame`) or as Enum ones (the batch
    reader): the same results, and a plan made for one kind never serves the other."""
    pack = default_pack()
    valid = (spec for _, spec in all_cases() if "error" not in (spec.get("expect") or {}))
    plain = frame([build(spec) for spec in valid if not spec.get("at")])
    texts = [c for c, t in plain.schema.items() if t == pl.String]
    enums = plain.with_columns(
        pl.col(c).cast(coded(c, plain[c].drop_nulls().unique().to_list())) for c in texts
    )
    assert texts and all(isinstance(enums.schema[c], pl.Enum) for c in texts)
    first = evaluate_table(plain, pack, missing=True, statuses=True)
    for table in (enums, plain):
        assert evaluate_table(table, pack, missing=True, statuses=True).equals(first)


@pytest.mark.parametrize(
    "gone",
    [
        ["employee.hourly_pay_eur", "employee.birth_date", "target.code", "tutor.role"],
        ["employee.licence_grade", "training_hours", "reconversion.mode", "end_date"],
        ["agreement_date"],
    ],
)
def test_an_input_without_a_column_is_missing_on_every_row(gone: list[str]) -> None:
    """A table may lack an input's column (a file without it): the engine reads it as a
    Missing literal, with the same results as a column of nulls."""
    valid = (spec for _, spec in all_cases() if "error" not in (spec.get("expect") or {}))
    full = frame([remove(build(spec), gone) for spec in valid if not spec.get("at")])
    lacking = full.drop(c for c in full.columns if c.split("#")[0] in gone)
    assert lacking.width < full.width
    options: dict[str, bool] = {"missing": True, "statuses": True, "warnings": True}
    expected = evaluate_table(full, default_pack(), **options)
    assert evaluate_table(lacking, default_pack(), **options).equals(expected)
