"""The table engine: the very same rule trees, evaluated over a Polars table of cases.

Each expression tree of `proa/law` compiles to Polars expressions, per regime and parameter
period (parameters folded in as constants, as in the scalar engine). Conventions:
- a column per input, named by its contract path (`employee.contract`); null is Missing;
- an explicit null answer (no tutor, no leave, no code) is the string `NONE`;
- numbers are exact rationals, a pair of Int64 columns (numerator, denominator): inputs
  given as floats are read to 1/10,000 (hours, years: far finer than any text needs);
- Kleene logic comes from Polars' own nullable booleans.
The scalar engine remains the reference; `tests/test_table.py` checks row for row that
both agree on decisions, statuses and limits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import polars as pl

from proa.core.expr import _STRICT, Const, Expr, Field, Op, Param, Var, expand_any_true
from proa.core.inputs import BY_PATH, INPUTS
from proa.core.lower import lower
from proa.core.rules import Notice, Pack, RegimeLaw, RegimeTable, Rule

NONE = "\x00none"  # an explicit null answer, distinct from a missing one (null)
SCALE = 10_000  # float inputs are exact to 1/SCALE
NUMERIC = ("int", "number")


@dataclass(frozen=True)
class V:
    """A compiled value: a constant, or Polars expression(s) of a known kind."""

    kind: str  # const | bool | num | date | str
    expr: Any = None  # pl.Expr, or (num, den) for "num"
    value: Any = None  # for const

    @property
    def const(self) -> bool:
        return self.kind == "const"


def _lit_num(value: int | Fraction) -> tuple[pl.Expr, pl.Expr]:
    f = Fraction(value)
    return pl.lit(f.numerator, pl.Int64), pl.lit(f.denominator, pl.Int64)


def _num(v: V) -> tuple[pl.Expr, pl.Expr]:
    if v.const:
        return _lit_num(v.value)
    assert v.kind == "num", v.kind
    n, d = v.expr
    return n, d


def _plain(v: V) -> pl.Expr:
    """A non-numeric value as one expression (constants as literals)."""
    if not v.const:
        return v.expr  # type: ignore[no-any-return]
    if v.value is None:
        return pl.lit(NONE)
    return pl.lit(v.value)


def _known(*exprs: pl.Expr) -> pl.Expr:
    out = exprs[0].is_not_null()
    for e in exprs[1:]:
        out = out & e.is_not_null()
    return out


def _strict(result: pl.Expr, *operands: pl.Expr) -> pl.Expr:
    """Null (Missing) as soon as an operand is; Polars' `is_in` and `str` ops may not be."""
    return pl.when(_known(*operands)).then(result)


def _add_months(day: pl.Expr, months: pl.Expr) -> pl.Expr:
    # Polars clamps to the month's last day, like `dates.add_months`.
    return day.dt.offset_by(pl.format("{}mo", months))


class Compiler:
    """Compiles trees for one regime (its overrides lowered) and one parameter period."""

    def __init__(self, law: RegimeLaw, params: Mapping[str, Any]) -> None:
        self.params = params
        self.exprs = {v.name: v.expr for v in law.variables}
        self.vars: dict[str, V] = {}
        # Variables become columns, computed once each, in dependency order.
        self.stages: list[list[pl.Expr]] = []

    def _materialise(self, name: str) -> V:
        v = self.compile(self.exprs[name])
        if v.const:
            return v
        col = "$" + name
        if v.kind == "num":
            n, d = v.expr
            self.stages.append([n.alias(col + "#num"), d.alias(col + "#den")])
            return V("num", (pl.col(col + "#num"), pl.col(col + "#den")))
        self.stages.append([v.expr.alias(col)])
        return V(v.kind, pl.col(col))

    def compile(self, node: Expr) -> V:
        if isinstance(node, Const):
            return V("const", value=node.value)
        if isinstance(node, Param):
            return V("const", value=self.params[node.name])
        if isinstance(node, Field):
            return field(node.path)
        if isinstance(node, Var):
            if node.name not in self.vars:
                self.vars[node.name] = self._materialise(node.name)
            return self.vars[node.name]
        assert isinstance(node, Op)
        if node.op == "any_true":
            (arg,) = node.args
            listed = self.params[arg.name] if isinstance(arg, Param) else arg.value  # type: ignore[attr-defined]
            return self.compile(expand_any_true(listed))
        args = [self.compile(a) for a in node.args]
        if node.op in ("and", "or"):
            return self._logic(node.op, args)
        if all(a.const for a in args) and node.op != "if":
            return V("const", value=_STRICT[node.op](*(a.value for a in args)))
        return getattr(self, "_op_" + _NAMES.get(node.op, node.op))(*args)  # type: ignore[no-any-return]

    # --- logic ---------------------------------------------------------------------------
    def _logic(self, op: str, args: list[V]) -> V:
        decisive = op == "or"
        exprs = []
        for a in args:
            if a.const:
                if bool(a.value) is decisive:
                    return V("const", value=decisive)
            else:
                exprs.append(a.expr)
        if not exprs:
            return V("const", value=not decisive)
        out = exprs[0]
        for e in exprs[1:]:
            out = (out | e) if decisive else (out & e)
        return V("bool", out)

    def _op_not(self, a: V) -> V:
        return V("bool", ~a.expr)

    def _op_established(self, a: V) -> V:
        return V("bool", a.expr.fill_null(False))

    def _op_if(self, cond: V, then: V, otherwise: V) -> V:
        if cond.const:
            return then if cond.value else otherwise
        c = cond.expr
        if then.kind == "num" or otherwise.kind == "num" or _is_num(then) or _is_num(otherwise):
            (tn, td), (on, od) = _num(then), _num(otherwise)
            same = (tn * od) == (on * td)
            pick = [
                pl.when(c.is_null()).then(pl.when(same).then(t)).when(c).then(t).otherwise(o)
                for t, o in ((tn, on), (td, od))
            ]
            return V("num", (pick[0], pick[1]))
        t, o = _plain(then), _plain(otherwise)
        kind = then.kind if not then.const else otherwise.kind
        expr = pl.when(c.is_null()).then(pl.when(t == o).then(t)).when(c).then(t).otherwise(o)
        return V(kind if kind != "const" else "str", expr)

    # --- comparisons -----------------------------------------------------------------------
    def _compare(self, op: str, a: V, b: V) -> V:
        if _is_num(a) or _is_num(b):
            (an, ad), (bn, bd) = _num(a), _num(b)
            # The scalar comparisons: Polars expressions share the operators.
            return V("bool", _STRICT[op](an * bd, bn * ad))
        return V("bool", _STRICT[op](_plain(a), _plain(b)))

    def _op_lt(self, a: V, b: V) -> V:
        return self._compare("<", a, b)

    def _op_le(self, a: V, b: V) -> V:
        return self._compare("<=", a, b)

    def _op_gt(self, a: V, b: V) -> V:
        return self._compare(">", a, b)

    def _op_ge(self, a: V, b: V) -> V:
        return self._compare(">=", a, b)

    def _op_eq(self, a: V, b: V) -> V:
        return self._compare("==", a, b)

    def _op_ne(self, a: V, b: V) -> V:
        return self._compare("!=", a, b)

    def _op_in(self, a: V, b: V) -> V:
        assert b.const, "membership is tested against a parameter"
        values = [NONE if x is None else x for x in b.value]
        x = _plain(a)
        return V("bool", _strict(x.is_in(values), x))

    def _op_is_null(self, a: V) -> V:
        x = _plain(a)
        return V("bool", _strict(x == NONE, x))

    # --- arithmetic ------------------------------------------------------------------------
    def _op_add(self, a: V, b: V) -> V:
        (an, ad), (bn, bd) = _num(a), _num(b)
        return V("num", (an * bd + bn * ad, ad * bd))

    def _op_sub(self, a: V, b: V) -> V:
        (an, ad), (bn, bd) = _num(a), _num(b)
        return V("num", (an * bd - bn * ad, ad * bd))

    def _op_mul(self, a: V, b: V) -> V:
        (an, ad), (bn, bd) = _num(a), _num(b)
        return V("num", (an * bn, ad * bd))

    def _op_div(self, a: V, b: V) -> V:
        assert b.const and b.value > 0, "divisors are positive constants in the rules"
        (an, ad), (bn, bd) = _num(a), _num(b)
        return V("num", (an * bd, ad * bn))

    def _op_max(self, *args: V) -> V:
        n, d = _num(args[0])
        for b in args[1:]:
            bn, bd = _num(b)
            first = n * bd >= bn * d
            n = _strict(pl.when(first).then(n).otherwise(bn), n, bn)
            d = _strict(pl.when(first).then(d).otherwise(bd), d, bd)
        return V("num", (n, d))

    def _op_round2(self, a: V) -> V:
        n, d = _num(a)  # half-up to 0.01, on non-negative values (hours, euros)
        return V("num", ((2 * n * 100 + d) // (2 * d), pl.lit(100, pl.Int64)))

    def _op_ceil(self, a: V) -> V:
        n, d = _num(a)
        return V("num", ((n + d - 1) // d, pl.lit(1, pl.Int64)))

    # --- dates -----------------------------------------------------------------------------
    def _op_months(self, start: V, end: V) -> V:
        s, e = _plain(start), _plain(end)
        stop = e + pl.duration(days=1)
        whole = (stop.dt.year() - s.dt.year()).cast(pl.Int64) * 12 + (
            stop.dt.month().cast(pl.Int64) - s.dt.month().cast(pl.Int64)
        )
        whole = pl.when(_add_months(s, whole) > stop).then(whole - 1).otherwise(whole)
        anchor = _add_months(s, whole)
        following = _add_months(s, whole + 1)
        rest = (stop - anchor).dt.total_days().cast(pl.Int64)
        days = (following - anchor).dt.total_days().cast(pl.Int64)
        return V("num", (whole * days + rest, days))

    def _op_age(self, birth: V, day: V) -> V:
        b, d = _plain(birth), _plain(day)
        before = (d.dt.month() < b.dt.month()) | (
            (d.dt.month() == b.dt.month()) & (d.dt.day() < b.dt.day())
        )
        years = (d.dt.year() - b.dt.year()).cast(pl.Int64) - before.cast(pl.Int64)
        return V("num", (years, pl.lit(1, pl.Int64)))

    def _op_add_days(self, day: V, days: V) -> V:
        assert days.const, "day offsets are parameters"
        return V("date", _plain(day) + pl.duration(days=int(days.value)))

    # --- catalogue -------------------------------------------------------------------------
    def _op_lookup(self, mapping: V, key: V) -> V:
        x = _plain(key)
        found = x.replace_strict(mapping.value, default=NONE, return_dtype=pl.String)
        return V("str", _strict(found, x))

    def _op_in_window(self, windows: V, key: V, day: V) -> V:
        x, d = _plain(key), _plain(day)
        out: Any = pl.when(pl.lit(False)).then(pl.lit(True))
        for code, spans in windows.value.items():
            inside = pl.lit(False)
            for start, end in spans:
                inside = inside | ((d >= pl.lit(start)) & (d <= pl.lit(end)))
            out = out.when(x == code).then(inside)
        return V("bool", _strict(out.otherwise(True), x, d))

    def _op_matches(self, text: V, pattern: V) -> V:
        x = _plain(text)
        return V("bool", _strict((x != NONE) & x.str.contains(pattern.value), x))


_NAMES = {
    "<": "lt",
    "<=": "le",
    ">": "gt",
    ">=": "ge",
    "==": "eq",
    "!=": "ne",
    "+": "add",
    "-": "sub",
    "*": "mul",
    "/": "div",
    "add_days": "add_days",
    "max": "max",
}


def _is_num(v: V) -> bool:
    return v.kind == "num" or (
        v.const and isinstance(v.value, int | Fraction) and not isinstance(v.value, bool)
    )


def field(path: str) -> V:
    spec = BY_PATH[path]
    if spec.kind in NUMERIC:
        return V("num", (pl.col(path + "#num"), pl.col(path + "#den")))
    if spec.kind == "date":
        return V("date", pl.col(path))
    if spec.kind == "bool":
        return V("bool", pl.col(path))
    return V("str", pl.col(path))


# --- building a table ---------------------------------------------------------------------


def frame(cases: list[Mapping[str, Any]]) -> pl.DataFrame:
    """A table of cases (contract dicts or `Case`s) in the table engine's conventions."""
    from proa.core.model import parse_case

    rows = [parse_case(c).inputs() for c in cases]
    columns: dict[str, pl.Series] = {}
    for spec in INPUTS:
        values = [r.get(spec.path, _ABSENT) for r in rows]
        if spec.kind in NUMERIC:
            fr = [None if v is _ABSENT else Fraction(v) for v in values]
            columns[spec.path + "#num"] = pl.Series(
                [None if f is None else f.numerator for f in fr], dtype=pl.Int64
            )
            columns[spec.path + "#den"] = pl.Series(
                [None if f is None else f.denominator for f in fr], dtype=pl.Int64
            )
        elif spec.kind == "date":
            columns[spec.path] = pl.Series(
                [None if v is _ABSENT else v for v in values], dtype=pl.Date
            )
        elif spec.kind == "bool":
            columns[spec.path] = pl.Series(
                [None if v is _ABSENT else v for v in values], dtype=pl.Boolean
            )
        else:
            columns[spec.path] = pl.Series(
                [None if v is _ABSENT else NONE if v is None else str(v) for v in values],
                dtype=pl.String,
            )
    return pl.DataFrame(columns)


_ABSENT = object()


def _to_float(v: V) -> pl.Expr:
    n, d = _num(v)
    return n.cast(pl.Float64) / d.cast(pl.Float64)


def evaluate_table(df: pl.DataFrame, pack: Pack, at: dt.date | None = None) -> pl.DataFrame:
    """Decision, rule statuses and limits for every row, in the input order. Each row's
    regime is the one governing its `agreement_date` (`RegimeTable`, as in the scalar engine);
    `at` (by default the agreement date) picks the parameters in force."""
    regimes = RegimeTable(pack)
    law = pl.lit(at, pl.Date) if at else pl.col("agreement_date")
    df = df.with_row_index("#row").with_columns(law.alias("#law"))
    # One group per regime and parameter period: the rules compile once per group, as in the
    # scalar engine.
    breaks = pl.Series(
        sorted({v.start for p in pack.parameters.parameters.values() for v in p.values}),
        dtype=pl.Date,
    )
    starts = pl.Series(regimes.starts, dtype=pl.Date)
    df = df.with_columns(
        pl.when(pl.col("#law").is_not_null())
        .then(pl.lit(breaks).search_sorted(pl.col("#law"), side="right"))
        .alias("#period"),
        pl.when(pl.col("agreement_date").is_not_null())
        .then(pl.lit(starts).search_sorted(pl.col("agreement_date"), side="right") - 1)
        .alias("#regime"),
    )
    parts = []
    for (period, index), group in df.group_by(["#period", "#regime"], maintain_order=True):
        day = group["#law"][0]
        found = None if index is None else regimes.at(group["agreement_date"][0])
        if period is None or found is None:
            parts.append(
                group.select("#row").with_columns(
                    pl.lit(None, pl.String).alias("regime"), pl.lit("incomplete").alias("decision")
                )
            )
            continue
        if day < regimes.start(found):
            raise ValueError(f"at : le droit du {day} précède le dispositif {found.title}")
        params = pack.parameters.snapshot(day)
        parts.append(_evaluate_group(group, lower(found), params))
    return pl.concat(parts, how="diagonal_relaxed").sort("#row").drop("#row")


def _evaluate_group(group: pl.DataFrame, law: RegimeLaw, params: Mapping[str, Any]) -> pl.DataFrame:
    c = Compiler(law, params)
    statuses: list[pl.Expr] = []
    for item in law.rules:
        if isinstance(item, Notice):
            continue
        assert isinstance(item, Rule)
        cond = c.compile(item.condition)
        cond_e = pl.lit(cond.value) if cond.const else cond.expr
        status = (
            pl.when(cond_e.is_null())
            .then(pl.lit("missing"))
            .when(cond_e)
            .then(pl.lit("ok"))
            .otherwise(pl.lit("violation"))
        )
        if item.applies is not None:
            app = c.compile(item.applies)
            app_e = pl.lit(app.value) if app.const else app.expr
            status = (
                pl.when(app_e.is_null())
                .then(pl.lit("missing"))
                .when(~app_e)
                .then(pl.lit("ok"))
                .otherwise(status)
            )
        statuses.append(status.alias(item.name))
    limits = [_to_float(c.compile(Var(name))).alias("limits." + name) for name in law.limits]
    costs = _to_float(c.compile(law.funding.teaching_costs)).alias("funding.teaching_costs_eur")
    lazy = group.lazy()
    for stage in c.stages:
        lazy = lazy.with_columns(stage)
    out = lazy.select(pl.col("#row"), *statuses, *limits, costs).collect()
    names = [s.meta.output_name() for s in statuses]
    violation = pl.any_horizontal([pl.col(n) == "violation" for n in names])
    missing = pl.any_horizontal([pl.col(n) == "missing" for n in names])
    return out.with_columns(
        pl.lit(law.regime).alias("regime"),
        pl.when(violation)
        .then(pl.lit("ineligible"))
        .when(missing)
        .then(pl.lit("incomplete"))
        .otherwise(pl.lit("eligible"))
        .alias("decision"),
    )
