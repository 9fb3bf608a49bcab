"""The rule language: overrides, struck clauses and the Code prevailing, given one meaning
for both engines; regimes chosen by the agreement date; figures only through parameters;
parameter names that follow their files; a core that knows no particular law."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from proa import evaluate
from proa.cli.main import app
from proa.core.codegen import compile_expr
from proa.core.engine import Engine
from proa.core.expr import (
    Const,
    Context,
    Field,
    Missing,
    Op,
    Override,
    Param,
    Var,
    code_prevails,
)
from proa.core.figures import stray_figures
from proa.core.lower import Lowering
from proa.core.rules import Notice, RegimeLaw, RegimeTable, regime_at
from proa.core.table import evaluate_table, frame, notice_names
from proa.law import ROOT, RulePack, default_pack
from tests.legal_cases import BASES

CORE = Path(__file__).resolve().parents[1] / "proa" / "core"

# --- what an override means, in a value and in a verdict ------------------------------------

LIMIT = Override(
    base=Param("max"),
    by=Param("max_priority"),
    when=Field("employee.minima_sociaux").eq(True),
    sources=(),
    text="",
)
PARAMS = {"max": 12, "max_priority": 36}


def _run(node: Any, inputs: dict[str, Any], verdict: bool) -> Any:
    low = Lowering({"limit": LIMIT})
    tree = low.decide(node) if verdict else low.value(node)
    return compile_expr(tree, PARAMS)(Context(inputs, {}))


@pytest.mark.parametrize(
    ("months", "priority", "expected"),
    [
        (10, None, True),  # within the general rule: whatever the answer
        (20, None, frozenset({"employee.minima_sociaux"})),  # the answer decides: ask it
        (40, None, False),  # beyond both: refused without asking
        (20, True, True),
        (20, False, False),
    ],
)
def test_a_comparison_is_decided_whatever_the_unanswered_condition(
    months: int, priority: bool | None, expected: Any
) -> None:
    inputs: dict[str, Any] = {"months": months}
    if priority is not None:
        inputs["employee.minima_sociaux"] = priority
    got = _run(Field("months") <= Var("limit"), inputs, verdict=True)
    assert (got.fields if type(got) is Missing else got) == expected


def test_a_value_is_the_bound_established_by_the_answers() -> None:
    assert _run(LIMIT, {}, verdict=False) == 12
    assert _run(LIMIT, {"employee.minima_sociaux": True}, verdict=False) == 36
    assert _run(LIMIT, {"employee.minima_sociaux": False}, verdict=False) == 12


def test_the_code_prevails_over_a_clause_world_by_world() -> None:
    """A floor that prevails over a ceiling it may exceed (the override's condition reads the
    override it replaces): decided once per answer of the inner condition."""
    floor = code_prevails(
        over=LIMIT, by=Param("floor"), when=Param("floor") > LIMIT, sources=(), text=""
    )
    low = Lowering({})
    params = {**PARAMS, "floor": 20}
    verdict = compile_expr(low.decide(Field("months") <= floor), params)
    value = compile_expr(low.value(floor), params)
    assert verdict(Context({"months": 20}, {})) is True  # 20 (floor) or 36: fine both ways
    assert type(verdict(Context({"months": 30}, {}))) is Missing
    assert verdict(Context({"months": 37}, {})) is False
    assert value(Context({}, {})) == 20  # 12 established, below the floor: the floor


# --- the two readings of issue 10, written with `code_prevails` in the law ----------------


def _pro_a(**changes: Any) -> dict[str, Any]:
    case = {k: (dict(v) if isinstance(v, dict) else v) for k, v in BASES["pro-a"].items()}
    for path, value in changes.items():
        head, _, leaf = path.partition("__")
        if leaf:
            case[head][leaf] = value
        else:
            case[head] = value
    return case


def test_the_code_prevails_twice_in_pro_a_and_both_engines_agree() -> None:
    pack = default_pack()
    engine = Engine(pack)
    older = dt.date(1990, 5, 12)  # 35 at the start of the action
    cases = [
        # 24 months, no diploma, 35: the Code's 16–25 bound prevails (12 months).
        _pro_a(
            end_date=dt.date(2027, 9, 30), training_hours=600, employee__no_secondary_diploma=True
        ),
        # The same public at 22: 36 months.
        _pro_a(
            end_date=dt.date(2027, 9, 30),
            training_hours=600,
            employee__no_secondary_diploma=True,
            employee__birth_date=dt.date(2003, 1, 1),
        ),
        # Age unknown: the bound decides, so it is asked.
        {
            **_pro_a(
                end_date=dt.date(2027, 9, 30),
                training_hours=600,
                employee__no_secondary_diploma=True,
            )
        },
        # 10 h a week for 6 months: 25 % is 65 h, below the 150 h floor, which prevails.
        _pro_a(end_date=dt.date(2026, 3, 31), training_hours=150, employee__weekly_hours=10),
    ]
    del cases[2]["employee"]["birth_date"]
    results = [engine.evaluate(c) for c in cases]
    by_rule = [{f.rule: f for f in r.findings} for r in results]
    assert cases[0]["employee"]["birth_date"] == older
    assert by_rule[0]["pro-a.duration"].status == "violation"
    assert "reading.priority-age-bound" in by_rule[0]
    assert by_rule[1]["pro-a.duration"].status == "ok"
    assert "reading.priority-age-bound" not in by_rule[1]
    assert by_rule[2]["pro-a.duration"].status == "missing"
    assert "employee.birth_date" in results[2].missing
    assert by_rule[3]["pro-a.training-share"].status == "ok"
    assert results[3].limits.training_hours_max == results[3].limits.training_hours_min == 150
    trace = results[3].limits_trace
    assert trace is not None and "C. trav., art. L6325-13" in trace["training_hours_max"].sources
    assert [o.layer for o in trace["training_hours_max"].overrides] == ["agreement", "code"]
    table = evaluate_table(frame(cases), pack, statuses=True, warnings=True)
    for row, result in zip(table.rows(named=True), results, strict=True):
        assert row["decision"] == result.decision
        assert (
            row["pro-a.duration"] == {f.rule: f.status for f in result.findings}["pro-a.duration"]
        )
        assert row["limits.training_hours_max"] == result.limits.training_hours_max
    names = notice_names(pack)
    assert table["#warnings"][0] & 1 << names.index("reading.priority-age-bound")


# --- the result carries each limit's articles and computation -------------------------------


def test_limits_come_with_their_articles_and_computation() -> None:
    base = evaluate(_pro_a())
    assert base.limits_trace is not None
    duration = base.limits_trace["duration_months_max"]
    assert duration.value == 12 and "C. trav., art. L6325-11" in duration.sources
    assert [o.layer for o in duration.overrides] == ["agreement", "code", "struck", "struck"]
    assert duration.overrides[0].applies is False
    minimum = base.limits_trace["training_hours_min"]
    assert minimum.computation.replace("\u00a0", " ").replace("\u202f", " ") == (
        "15 % de la durée totale (1 820 h), soit 273 h, sans descendre sous 150 h"
    )
    priority = evaluate(_pro_a(employee__minima_sociaux=True))
    assert priority.limits_trace is not None
    longer = priority.limits_trace["duration_months_max"]
    assert longer.value == 36 and longer.overrides[0].applies is True
    assert "Avenant 81, art. 5" in longer.sources and "public prioritaire" in longer.computation
    unknown = dict(_pro_a())
    unknown["employee"] = dict(unknown["employee"])
    del unknown["employee"]["minima_sociaux"]
    trace = evaluate(unknown).limits_trace
    assert trace is not None and trace["duration_months_max"].overrides[0].applies is None


def test_explain_shows_each_override_and_exclusion_with_its_articles() -> None:
    out = CliRunner().invoke(app, ["explain", "pro-a.duration"], env={"COLUMNS": "300"})
    assert out.exit_code == 0
    text = " ".join(out.output.split())
    assert "Règle générale (Avenant 81, art. 5 ; C. trav., art. L6325-11) : 12 mois" in text
    assert "Remplacée (Avenant 81, art. 5 ; C. trav., art. L6325-11) par 36 mois" in text
    assert "Exclu de l'extension" in text and "L6325-12" in text and "L6324-1)" in text
    share = CliRunner().invoke(app, ["explain", "exclusion.art5-24-months"], env={"COLUMNS": "300"})
    assert "Elle peut être portée jusqu'à 24 mois" in " ".join(share.output.split())


# --- regimes --------------------------------------------------------------------------------


def test_the_regime_comes_from_the_agreement_date_only() -> None:
    pack = default_pack()
    table = RegimeTable(pack)
    assert table.at(dt.date(2018, 12, 31)) is None
    assert regime_at(pack, dt.date(2019, 1, 1)) is pack.regimes["pro-a"]
    assert regime_at(pack, dt.date(2025, 12, 31)) is pack.regimes["pro-a"]
    assert regime_at(pack, dt.date(2026, 1, 1)) is pack.regimes["periode-de-reconversion"]
    case = _pro_a(agreement_date=dt.date(2025, 11, 20))
    assert evaluate(case, at=dt.date(2026, 3, 1)).regime == "pro-a"


def test_the_core_knows_no_particular_law() -> None:
    for path in CORE.glob("*.py"):
        source = path.read_text("utf-8")
        assert not re.search(r"^\s*(from|import) proa\.law", source, re.M), path
    pack = default_pack()
    days = {v.start for p in pack.parameters.parameters.values() for v in p.values}
    days |= {
        v.value
        for p in pack.parameters.parameters.values()
        for v in p.values
        if isinstance(v.value, dt.date)
    }
    for name in ("engine.py", "table.py"):
        source = (CORE / name).read_text("utf-8")
        for day in days - {dt.date(1900, 1, 1)}:
            assert day.isoformat() not in source, (name, day)
            assert f"date({day.year}, {day.month}, {day.day})" not in source, (name, day)
        assert "switch_date" not in source and "pro-a" not in source, name


# --- figures and names, checked when the pack loads -----------------------------------------


@pytest.mark.parametrize(
    ("template", "values", "stray"),
    [
        ("au moins 150 h", [150], ["150"]),
        ("au moins {pro_a.training.min_hours|h}", [150], []),
        ("(art. 5 ; C. trav., art. L6325-13)", [5, 13, 6325], []),
        ("avenant n°81, RNCP40913, loi n° 2025-989", [81, 2025], []),
        ("une durée « minimale comprise entre 15 et 25 % »", [15, 25], []),
        ("à défaut 9,15 € de l'heure", [9.15], ["9,15"]),
        ("étendu depuis le 25 novembre 2021", [25, dt.date(2026, 1, 1)], []),
        ("conclu avant le 1er janvier 2026", [dt.date(2026, 1, 1)], ["1er janvier 2026"]),
        ("concluded before 1 January 2026", [dt.date(2026, 1, 1)], ["1 January 2026"]),
        ("niveaux RNCP 0 à 3", [3], ["3"]),
        ("niveaux RNCP 0 à 3", [4], []),
    ],
)
def test_figures_standing_for_a_parameter_are_found(
    template: str, values: list[Any], stray: list[str]
) -> None:
    assert stray_figures(template, values) == stray


@pytest.fixture
def law_copy(tmp_path: Path) -> Path:
    root = tmp_path / "law"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


def test_a_message_writing_a_parameter_figure_is_refused(law_copy: Path) -> None:
    path = law_copy / "defects.yaml"
    text = path.read_text("utf-8")
    path.write_text(
        text.replace("{pro_a.training.max_share|pct} est le plafond", "25 % est le plafond"),
        "utf-8",
    )
    with pytest.raises(ValueError, match=r"reading\.training-share-ceiling.*chiffre écrit en dur"):
        RulePack(law_copy)


def test_every_term_label_and_clause_has_its_english() -> None:
    from proa.core.inputs import INPUTS
    from proa.core.lower import overrides_in

    assert all(i.term_en for i in INPUTS if i.term)
    for law in default_pack().regimes.values():
        for v in law.variables:
            assert v.label_en and all(o.text_en for o in overrides_in(v.expr)), v.name


def test_the_pack_refuses_a_term_label_or_clause_without_its_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import dataclasses

    import proa.law
    from proa.law.pro_a import rules as pro_a

    untranslated = tuple(
        dataclasses.replace(i, term_en="") if i.path == "tutor" else i for i in proa.law.INPUTS
    )
    monkeypatch.setattr(proa.law, "INPUTS", untranslated)
    with pytest.raises(ValueError, match=r"anglais absent .*terme de tutor"):
        RulePack()
    monkeypatch.undo()
    variables = tuple(
        dataclasses.replace(v, label_en="") if v.name == "age" else v for v in pro_a.LAW.variables
    )
    monkeypatch.setattr(pro_a, "LAW", dataclasses.replace(pro_a.LAW, variables=variables))
    with pytest.raises(ValueError, match=r"anglais absent .*libellé de age"):
        RulePack()
    monkeypatch.undo()
    variables = tuple(
        dataclasses.replace(v, expr=dataclasses.replace(v.expr, text_en=""))
        if v.name == "hourly_rate"
        else v
        for v in pro_a.LAW.variables
    )
    monkeypatch.setattr(pro_a, "LAW", dataclasses.replace(pro_a.LAW, variables=variables))
    with pytest.raises(ValueError, match=r"anglais absent .*clause de hourly_rate"):
        RulePack()


def test_a_parameter_is_named_after_its_file(law_copy: Path) -> None:
    folder = law_copy / "pro_a" / "parameters"
    (folder / "duration" / "max_months.yaml").rename(folder / "duration" / "maximum.yaml")
    with pytest.raises(ValueError, match=r"pro_a\.duration\.maximum"):
        RulePack(law_copy)


def test_every_note_of_a_parameter_has_its_english() -> None:
    """Each `note` of a value or of a source has its `note_en` (the web app's English pages
    and `funding.rate_source_en`), and it is not the French."""
    notes = 0
    for p in default_pack().parameters.parameters.values():
        for v in p.values:
            for o in (v, *v.sources):
                assert bool(o.note) == bool(o.note_en), (p.name, v.start)
                assert o.note_en != o.note or not o.note, (p.name, v.start)
                notes += bool(o.note)
    assert notes >= 34


def test_a_note_without_its_english_is_refused(law_copy: Path) -> None:
    path = law_copy / "common" / "parameters" / "funding" / "hourly_rate_eur.yaml"
    text = path.read_text("utf-8")
    kept = [line for line in text.splitlines() if "note_en: 'No decision" not in line]
    assert len(kept) == len(text.splitlines()) - 1
    path.write_text("\n".join(kept) + "\n", "utf-8")
    with pytest.raises(
        ValueError,
        match=r"funding/hourly_rate_eur\.yaml \(valeur du 2019-01-01, source "
        r"ctrav\.D6332-90\) : note sans sa traduction anglaise",
    ):
        RulePack(law_copy)


def test_every_declared_law_is_lowered_without_overrides_left() -> None:
    from proa.core.expr import Op
    from proa.core.lower import lower, overrides_in

    for law in default_pack().regimes.values():
        low: RegimeLaw = lower(law)
        for v in low.variables:
            assert overrides_in(v.expr) == [], v.name
        for item in low.rules:
            tree = item.when if isinstance(item, Notice) else item.condition
            assert isinstance(tree, Op | Var | Field | Param) or tree is not None
            assert overrides_in(tree) == []


def test_lowering_never_mistakes_a_freed_tree_for_a_new_one() -> None:
    """Lowering memoises by id: a short-lived tree, once freed, leaves its id to the next
    one, which must get its own meaning (in a long test run, a limit once came out as the
    yes/no value of another variable)."""
    low = Lowering(
        {
            "ceiling": Override(Const(10), Const(20), Field("flag"), (), ""),
            "floor": Override(Const(1), Const(2), Field("flag"), (), ""),
        }
    )
    for _ in range(200):
        first = Op("+", (Var("ceiling"), Const(1)))
        assert low.inline(first).args[0].base.value == 10  # type: ignore[attr-defined]
        del first
        second = Op("+", (Var("floor"), Const(1)))  # likely at the freed one's address
        assert low.inline(second).args[0].base.value == 1  # type: ignore[attr-defined]
