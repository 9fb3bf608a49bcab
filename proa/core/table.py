"""The table engine: the very same rule trees, evaluated over a Polars table of cases.

Each expression tree of `proa/law` compiles to Polars expressions, per regime and parameter
period (parameters folded in as constants, as in the scalar engine). Conventions:
- a column per input, named by its contract path (`employee.contract`); null is Missing;
- an explicit null answer (no tutor, no leave, no code) is the string `NONE`;
- numbers are exact rationals, a pair of Int64 columns (numerator, denominator): inputs
  given as floats are read to 1/10,000 (hours, years: far finer than any text needs). A
  denominator known for the whole table (1 for whole numbers) is a Python int, folded into
  the arithmetic at compile time;
- Kleene logic comes from Polars' own nullable booleans;
- statuses are not strings: each rule's violation is a bit of one integer per row, and the
  inputs whose absence left a row incomplete are bits too (questionnaire order), worked out
  only for the incomplete rows, exactly as the scalar engine's `Missing` carries them.
The scalar engine remains the reference; `tests/test_table.py` checks row for row that
both agree on decisions, statuses, missing inputs and limits.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import operator
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, partial
from typing import Any, get_args

import numpy as np
import polars as pl

from proa.core.engine import law_before_regime
from proa.core.expr import _STRICT, Const, Expr, Field, Op, Param, Var, expand_any_true
from proa.core.inputs import BY_PATH, INPUTS, ORDER, Input
from proa.core.lower import lower
from proa.core.model import Regime
from proa.core.rules import Notice, Pack, RegimeLaw, RegimeTable, Rule, funding_amounts

NONE = "\x00none"  # an explicit null answer, distinct from a missing one (null)
SCALE = 10_000  # float inputs are exact to 1/SCALE
NUMERIC = ("int", "number")
DECISIONS = pl.Enum(["eligible", "ineligible", "incomplete"])
REGIMES = pl.Enum(list(get_args(Regime)))  # the regimes the contract names

Int = pl.Expr | int  # a numerator or denominator: a column, or an int known at compile time
PERIOD = "#period"  # a row's parameter period among those its plan covers (see `Compiler`)


class _Varying(Exception):
    """A parameter that differs between the periods of one plan is needed as a constant
    (a list, a divisor, a day offset): that plan must be compiled once per period."""


@dataclass(frozen=True)
class V:
    """A compiled value: a constant, or Polars expression(s) of a known kind, and (when the
    compiler tracks them) the bits of the inputs whose absence makes it Missing."""

    kind: str  # const | bool | num | date | str
    expr: Any = None  # pl.Expr, or (num, den) for "num"
    value: Any = None  # for const
    mask: pl.Expr | None = None  # None: never Missing (or not tracked)
    categories: tuple[str, ...] | None = None  # a "str" that is an Enum column: its values
    sure: bool = False  # never Missing (`established`, parameters, what only they make)

    @property
    def const(self) -> bool:
        return self.kind == "const"

    @property
    def certain(self) -> bool:
        """Never null: no Kleene branch, no null check is compiled for it."""
        return self.sure or (self.const and self.value is not None)


def _e(x: Int) -> pl.Expr:
    return pl.lit(x, pl.Int64) if isinstance(x, int) else x


def _mul(a: Int, b: Int) -> Int:
    if isinstance(a, int) and isinstance(b, int):
        return a * b
    if isinstance(a, int):
        a, b = b, a
    if isinstance(b, int):
        return a if b == 1 else a * b
    return a * b


def _same(a: Int, b: Int) -> bool:
    """Both ints known at compile time, and equal."""
    return isinstance(a, int) and isinstance(b, int) and a == b


def _add(a: Int, b: Int) -> Int:
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    if isinstance(b, int) and b == 0:
        return a
    if isinstance(a, int) and a == 0:
        return b
    return _e(a) + _e(b)


def _num(v: V) -> tuple[Int, Int]:
    if v.const:
        if v.value is None:  # a number that is null here (`if_(…, amount, None)`)
            return pl.lit(None, pl.Int64), 1
        f = Fraction(v.value)
        return f.numerator, f.denominator
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


def _null(v: V) -> pl.Expr:
    return _e(v.expr[0]).is_null() if v.kind == "num" else v.expr.is_null()


def _known(*values: V) -> pl.Expr | None:
    """True where no operand is Missing (None when none can be)."""
    out = None
    for v in values:
        if not (v.const or v.sure):
            known = ~_null(v)
            out = known if out is None else out & known
    return out


def _strict(result: pl.Expr, *operands: V) -> pl.Expr:
    """Null (Missing) as soon as an operand is; Polars' `is_in` and `str` ops may not be."""
    known = _known(*operands)
    return result if known is None else pl.when(known).then(result)


def _union(*values: V) -> pl.Expr | None:
    """The scalar `_union`: the fields of the operands that are Missing."""
    tracked = [v for v in values if v.mask is not None]
    if len(tracked) <= 1:
        return tracked[0].mask if tracked else None
    out: pl.Expr | None = None
    for v in tracked:
        term = pl.when(_null(v)).then(v.mask).otherwise(0)
        out = term if out is None else out | term
    return out


def _stage_level(expr: pl.Expr, levels: Mapping[str, int]) -> int:
    return 1 + max((levels.get(n, 0) for n in expr.meta.root_names()), default=0)


# The days the calendar tables cover: the contract's dates (its bounds: 1900–2100) and,
# with a margin of ten years, every date the rules derive from them (next day, deadlines).
_FIRST = [i.bounds.ge for i in INPUTS if i.kind == "date"]
_LAST = [i.bounds.le for i in INPUTS if i.kind == "date"]
assert all(isinstance(d, dt.date) for d in [*_FIRST, *_LAST]), "every date input is bounded"
CALENDAR = (
    dt.date(min(d.year for d in _FIRST if isinstance(d, dt.date)) - 10, 1, 1),
    dt.date(max(d.year for d in _LAST if isinstance(d, dt.date)) + 10, 12, 31),
)
_CALENDAR_FIRST = (CALENDAR[0] - dt.date(1970, 1, 1)).days


@cache
def _calendar() -> dict[str, pl.Series]:
    """Tables of calendar arithmetic: a date's parts are one gather each (2–4 ms at 10^6
    rows) instead of calendar arithmetic on every row (15–40 ms).

    Days are numbered from `CALENDAR`'s first day, months from its first month. For each
    day: `month`, `day` (of the month), `year`, `md` (month of the year × 32 + day, which
    orders days within a year). For each month (and two after the calendar's last):
    `start` (its first day) and `length` (in days)."""
    days = pl.date_range(*CALENDAR, "1d", eager=True)
    first = CALENDAR[0].year * 12 + CALENDAR[0].month - 1
    starts = [
        (dt.date(m // 12, m % 12 + 1, 1) - CALENDAR[0]).days
        for m in range(first, CALENDAR[1].year * 12 + CALENDAR[1].month + 3)
    ]
    return {
        "month": days.dt.year().cast(pl.Int64) * 12 + days.dt.month() - 1 - first,
        "day": days.dt.day().cast(pl.Int64),
        "year": days.dt.year().cast(pl.Int64),
        "md": (days.dt.month().cast(pl.Int64) - 1) * 32 + days.dt.day(),
        "start": pl.Series(starts[:-1], dtype=pl.Int64),
        "length": pl.Series([b - a for a, b in itertools.pairwise(starts)], dtype=pl.Int64),
    }


def _on(table: str, index: pl.Expr) -> pl.Expr:
    return pl.lit(_calendar()[table]).gather(index)


def _check_calendar(df: pl.DataFrame) -> None:
    """Every date of `df` within `CALENDAR`, as every valid case's are (1900–2100)."""
    dates = [c for c, t in df.schema.items() if t == pl.Date]
    if dates:
        bounds = df.select(
            pl.min_horizontal(pl.col(dates).min()).alias("first"),
            pl.max_horizontal(pl.col(dates).max()).alias("last"),
        ).row(0)
        if any(d is not None and not CALENDAR[0] <= d <= CALENDAR[1] for d in bounds):
            raise ValueError(f"dates outside {CALENDAR[0]}–{CALENDAR[1]}: {bounds}")


class Compiler:
    """Compiles trees for one regime and one or more parameter periods.

    `params`: the parameters of the first period, folded in as constants. `varying`: the
    numbers, dates and yes/no parameters whose value differs between the periods (one value
    per period): they become columns, each row's value gathered by its `#period`, so that
    periods that differ only in such values (the SMIC's yearly revaluations) share one plan
    and one pass over the table.
    `whole`: numeric inputs whose denominator is 1 on every row (their `#den` is not read).
    `absent`: inputs the table has no column for: a null literal, not a column of nulls.
    `masks`: also track which inputs make each value Missing (for the incomplete rows).
    `enums`: the categories of a text input given as an Enum column (None: a String one).
    Operations on text read an Enum's categories once at compile time (a lookup, a pattern)
    and gather the results by each row's category: a handful of strings instead of one per
    row; comparisons and membership compare the Enum's small integers."""

    def __init__(
        self,
        law: RegimeLaw,
        params: Mapping[str, Any],
        whole: frozenset[str] = frozenset(),
        masks: bool = False,
        varying: Mapping[str, Sequence[Any]] | None = None,
        enums: Callable[[str], tuple[str, ...] | None] = lambda path: None,
        absent: frozenset[str] = frozenset(),
        shared: frozenset[str] = frozenset(),
    ) -> None:
        self.absent = absent
        self.shared = shared  # subtrees (their repr) met more than once in the law
        self.memo: dict[str, V] = {}
        self._keys: dict[int, tuple[str, Expr]] = {}
        self.params = params
        self.varying = varying or {}
        self.enums = enums
        self.categories: dict[str, tuple[str, ...] | None] = {}  # those the plan relies on
        self.whole = whole
        self.masks = masks
        self.exprs = {v.name: v.expr for v in law.variables}
        self.vars: dict[str, V] = {}
        # Intermediate values become columns, computed once each, level by level (a level's
        # columns only read earlier levels, so Polars computes each level in parallel).
        self.levels: dict[str, int] = {}
        self.stages: list[list[pl.Expr]] = []
        self.parts: dict[tuple[str, str], pl.Expr] = {}

    def _day(self, date: pl.Expr, shift: int = 0) -> pl.Expr:
        """A date (plus `shift` days) as its day number in `CALENDAR`: a column, once."""
        key = ("day", f"{date}+{shift}")
        if key not in self.parts:
            index = date.cast(pl.Int32) - (_CALENDAR_FIRST - shift)
            self.parts[key] = self._column(index)
        return self.parts[key]

    def _part(self, day: pl.Expr, part: str) -> pl.Expr:
        """A part of a day (`month`, `day`, `year`, `md`: see `_calendar`): a column, once."""
        key = (part, str(day))
        if key not in self.parts:
            self.parts[key] = self._column(_on(part, day))
        return self.parts[key]

    def _shifted(self, month: pl.Expr, day: pl.Expr) -> pl.Expr:
        """`dates.add_months` landing in `month`: its `day`, clamped to its last day."""
        return _on("start", month) + pl.min_horizontal(day, _on("length", month)) - 1

    def _param(self, name: str) -> V:
        """A parameter that differs between the plan's periods, as a column (once)."""
        if name not in self.vars:
            values = self.varying[name]
            period = pl.col(PERIOD)
            if all(isinstance(v, dt.date) for v in values):
                column = pl.lit(pl.Series(values, dtype=pl.Date)).gather(period)
                self.vars[name] = V("date", self._column(column, "$param:" + name), sure=True)
            elif all(isinstance(v, bool) for v in values):
                column = pl.lit(pl.Series(values, dtype=pl.Boolean)).gather(period)
                self.vars[name] = V("bool", self._column(column, "$param:" + name), sure=True)
            else:  # exact numbers over their common denominator, known at compile time
                fractions = [Fraction(v) for v in values]
                den = math.lcm(*(f.denominator for f in fractions))
                nums = pl.Series([int(f * den) for f in fractions], dtype=pl.Int64)
                column = self._column(pl.lit(nums).gather(period), "$param:" + name)
                self.vars[name] = V("num", (column, den), sure=True)
        return self.vars[name]

    def _column(self, expr: Int, name: str | None = None) -> pl.Expr:
        """An intermediate value computed once, as a column of its own."""
        if isinstance(expr, int):
            return pl.lit(expr, pl.Int64)
        name = name or f"$tmp{len(self.levels)}"
        level = _stage_level(expr, self.levels)
        self.levels[name] = level
        while len(self.stages) < level:
            self.stages.append([])
        self.stages[level - 1].append(expr.alias(name))
        return pl.col(name)

    def _materialise(self, name: str) -> V:
        return self._as_columns(self.compile(self.exprs[name]), "$" + name)

    def _as_columns(self, v: V, col: str) -> V:
        """`v` computed once, as column(s) of its own."""
        if v.const:
            return v
        mask = None if v.mask is None else self._column(v.mask, col + "#mask")
        if v.kind == "num":
            n, d = v.expr
            den = d if isinstance(d, int) else self._column(d, col + "#den")
            return V("num", (self._column(n, col + "#num"), den), mask=mask, sure=v.sure)
        expr = self._column(v.expr, col)
        return V(v.kind, expr, mask=mask, categories=v.categories, sure=v.sure)

    def field(self, path: str) -> V:
        spec = BY_PATH[path]
        mask = pl.lit(1 << ORDER[path], pl.Int64) if self.masks else None
        if path in self.absent:  # Missing on every row
            if spec.kind in NUMERIC:
                return V("num", (pl.lit(None, pl.Int64), 1), mask=mask)
            kind = spec.kind if spec.kind in ("date", "bool") else "str"
            dtype = {"date": pl.Date, "bool": pl.Boolean, "str": pl.String}[kind]
            return V(kind, pl.lit(None, dtype), mask=mask)
        if spec.kind in NUMERIC:
            den: Int = 1 if spec.kind == "int" or path in self.whole else pl.col(path + "#den")
            return V("num", (pl.col(path + "#num"), den), mask=mask)
        if spec.kind in ("date", "bool"):
            return V(spec.kind, pl.col(path), mask=mask)
        categories = self.categories[path] = self.enums(path)  # the plan relies on it
        return V("str", pl.col(path), mask=mask, categories=categories)

    def _out(self, kind: str, expr: Any, *operands: V) -> V:
        """A value made from `operands`: Missing where one of them is (Kleene and/or can
        be known despite a Missing operand, but never Missing when none is)."""
        mask = _union(*operands) if self.masks else None
        return V(kind, expr, mask=mask, sure=all(o.certain for o in operands))

    def compile(self, node: Expr) -> V:
        if isinstance(node, Const):
            return V("const", value=node.value)
        if isinstance(node, Param):
            if node.name in self.varying:
                return self._param(node.name)
            return V("const", value=self.params[node.name])
        if isinstance(node, Field):
            return self.field(node.path)
        if isinstance(node, Var):
            if node.name not in self.vars:
                self.vars[node.name] = self._materialise(node.name)
            return self.vars[node.name]
        assert isinstance(node, Op)
        key = self._keys.get(id(node))
        if key is None:
            key = self._keys[id(node)] = (repr(node), node)  # the node held: its id stays
        if key[0] in self.shared:  # a subtree met more than once: computed once, as a column
            if key[0] not in self.memo:
                self.memo[key[0]] = self._as_columns(self._op(node), f"$shared{len(self.memo)}")
            return self.memo[key[0]]
        return self._op(node)

    def _op(self, node: Op) -> V:
        if node.op == "any_true":
            (arg,) = node.args
            listed = _constant(self.compile(arg))
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
        rest = []
        for a in args:
            if a.const:
                if bool(a.value) is decisive:
                    return V("const", value=decisive)
            else:
                rest.append(a)
        if not rest:
            return V("const", value=not decisive)
        out = rest[0].expr
        for a in rest[1:]:
            out = (out | a.expr) if decisive else (out & a.expr)
        return self._out("bool", out, *rest)

    def _op_not(self, a: V) -> V:
        return V("bool", ~a.expr, mask=a.mask, sure=a.sure)

    def _op_established(self, a: V) -> V:
        return a if a.sure else V("bool", a.expr.fill_null(False), sure=True)

    def _op_if(self, cond: V, then: V, otherwise: V) -> V:
        if cond.const:
            return then if cond.value else otherwise
        c = cond.expr

        def pick(t: pl.Expr, o: pl.Expr, same: pl.Expr) -> pl.Expr:
            if cond.sure:  # no Missing condition whose branches might agree
                return pl.when(c).then(t).otherwise(o)
            return pl.when(c.is_null()).then(pl.when(same).then(t)).when(c).then(t).otherwise(o)

        expr: Any
        if then.kind == "num" or otherwise.kind == "num" or _is_num(then) or _is_num(otherwise):
            (tn, td), (on, od) = _num(then), _num(otherwise)
            same = _e(_mul(tn, od)) == _e(_mul(on, td))
            n = pick(_e(tn), _e(on), same)
            d: Int = td if _same(td, od) else pick(_e(td), _e(od), same)
            kind, expr = "num", (n, d)
        else:
            t, o = _plain(then), _plain(otherwise)
            kind = then.kind if not then.const else otherwise.kind
            kind = kind if kind != "const" else "str"
            expr = pick(t, o, t == o)
        mask = None
        if self.masks:
            zero = pl.lit(0, pl.Int64)
            mt = zero if then.mask is None else then.mask
            mo = zero if otherwise.mask is None else otherwise.mask
            unknown = _union(cond, then, otherwise)
            mask = pl.when(c.is_null()).then(unknown).when(c).then(mt).otherwise(mo)
        sure = cond.sure and then.certain and otherwise.certain
        return V(kind, expr, mask=mask, sure=sure)

    # --- comparisons -----------------------------------------------------------------------
    def _compare(self, op: str, a: V, b: V) -> V:
        if _is_num(a) or _is_num(b):
            (an, ad), (bn, bd) = _num(a), _num(b)
            # The scalar comparisons: Polars expressions share the operators.
            return self._out("bool", _STRICT[op](_e(_mul(an, bd)), _mul(bn, ad)), a, b)
        if op in ("==", "!=") and (a.const or b.const):
            x, value = (b, a.value) if a.const else (a, b.value)
            if _absent(x, value):  # an Enum is never asked for a value it cannot hold
                return self._out("bool", _strict(pl.lit(op == "!="), x), x)
        return self._out("bool", _STRICT[op](_plain(a), _plain(b)), a, b)

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
        values = [NONE if x is None else x for x in _constant(b) if not _absent(a, x)]
        found = _plain(a).is_in(values) if values else pl.lit(False)
        return self._out("bool", _strict(found, a), a)

    def _op_is_null(self, a: V) -> V:
        if a.kind == "num" or _absent(a, None):  # values that cannot be the null answer
            return self._out("bool", _strict(pl.lit(False), a), a)
        return self._out("bool", _strict(_plain(a) == NONE, a), a)

    # --- arithmetic ------------------------------------------------------------------------
    def _op_add(self, a: V, b: V) -> V:
        (an, ad), (bn, bd) = _num(a), _num(b)
        if _same(ad, bd):
            return self._out("num", (_add(an, bn), ad), a, b)
        return self._out("num", (_add(_mul(an, bd), _mul(bn, ad)), _mul(ad, bd)), a, b)

    def _op_sub(self, a: V, b: V) -> V:
        if b.const:
            return self._op_add(a, V("const", value=-Fraction(b.value)))
        bn, bd = _num(b)
        return self._op_add(a, V("num", (_mul(bn, -1), bd), mask=b.mask, sure=b.sure))

    def _op_mul(self, a: V, b: V) -> V:
        (an, ad), (bn, bd) = _num(a), _num(b)
        return self._out("num", (_mul(an, bn), _mul(ad, bd)), a, b)

    def _op_div(self, a: V, b: V) -> V:
        assert _constant(b) > 0, "divisors are positive constants in the rules"
        (an, ad), (bn, bd) = _num(a), _num(b)
        return self._out("num", (_mul(an, bd), _mul(ad, bn)), a)

    def _op_max(self, *args: V) -> V:
        n, d = _num(args[0])
        done = args[0]
        for b in args[1:]:
            bn, bd = _num(b)
            first = _e(_mul(n, bd)) >= _mul(bn, d)
            n = _strict(pl.when(first).then(_e(n)).otherwise(_e(bn)), done, b)
            if not _same(d, bd):
                d = _strict(pl.when(first).then(_e(d)).otherwise(_e(bd)), done, b)
            done = V("num", (n, d), sure=done.certain and b.certain)
        return self._out("num", (n, d), *args)

    def _op_round2(self, a: V) -> V:
        n, d = _num(a)  # half-up to 0.01, on non-negative values (hours, euros)
        if isinstance(d, int) and d <= 100 and 100 % d == 0:  # already exact to 0.01
            return V("num", (_mul(n, 100 // d), 100), mask=a.mask, sure=a.sure)
        return V("num", (_add(_mul(n, 200), d) // _mul(d, 2), 100), mask=a.mask, sure=a.sure)

    def _op_ceil(self, a: V) -> V:
        n, d = _num(a)
        if _same(d, 1):
            return a
        return V("num", (_add(n, _add(d, -1)) // _e(d), 1), mask=a.mask, sure=a.sure)

    # --- dates -----------------------------------------------------------------------------
    def _op_months(self, start: V, end: V) -> V:
        # `dates.months` in integer month and day arithmetic over intermediate columns (a
        # string month offset per row cost 1.8 s at 10^6 rows).
        first = self._day(_plain(start))
        stop = self._day(_plain(end), 1)  # the day after the end
        s_month, s_day = self._part(first, "month"), self._part(first, "day")
        e_month, e_day = self._part(stop, "month"), self._part(stop, "day")
        over = (pl.min_horizontal(s_day, _on("length", e_month)) > e_day).cast(pl.Int64)
        whole = self._column(e_month - s_month - over)
        anchor = self._column(self._shifted(s_month + whole, s_day))
        days = self._column(self._shifted(s_month + whole + 1, s_day) - anchor)
        return self._out("num", (whole * days + stop - anchor, days), start, end)

    def _op_years(self, start: V, end: V) -> V:
        s_year = self._part(self._day(_plain(start)), "year")
        e_year = self._part(self._day(_plain(end)), "year")
        return self._out("num", (e_year - s_year + 1, 1), start, end)

    def _op_age(self, birth: V, day: V) -> V:
        born, on = self._day(_plain(birth)), self._day(_plain(day))
        before = self._part(on, "md") < self._part(born, "md")
        years = self._part(on, "year") - self._part(born, "year") - before.cast(pl.Int64)
        return self._out("num", (years, 1), birth, day)

    def _op_add_days(self, day: V, days: V) -> V:
        offset = int(_constant(days))  # day offsets are parameters
        return self._out("date", _plain(day) + pl.duration(days=offset), day)

    # --- catalogue -------------------------------------------------------------------------
    def _op_lookup(self, mapping: V, key: V) -> V:
        table = _constant(mapping)
        x = _plain(key)
        if key.categories is None:
            found = x.replace_strict(table, default=NONE, return_dtype=pl.String)
            return self._out("str", _strict(found, key), key)
        values = [table.get(c, NONE) for c in key.categories]
        out = tuple(sorted({*values, NONE}))
        found = pl.lit(pl.Series(values, dtype=pl.Enum(out))).gather(x.to_physical())
        return V("str", found, mask=key.mask, categories=out, sure=key.sure)  # null if the key is

    def _op_in_window(self, windows: V, key: V, day: V) -> V:
        x, d = _plain(key), _plain(day)
        out: Any = pl.when(pl.lit(False)).then(pl.lit(True))
        for code, spans in _constant(windows).items():
            if _absent(key, code):
                continue
            inside = pl.lit(False)
            for start, end in spans:
                inside = inside | ((d >= pl.lit(start)) & (d <= pl.lit(end)))
            out = out.when(x == code).then(inside)
        return self._out("bool", _strict(out.otherwise(True), key, day), key, day)

    def _op_matches(self, text: V, pattern: V) -> V:
        x = _plain(text)
        if text.categories is None:
            found = x.str.contains(_constant(pattern))
            return self._out("bool", _strict((x != NONE) & found, text), text)
        words = pl.Series(text.categories, dtype=pl.String)
        table = words.str.contains(_constant(pattern)) & (words != NONE)
        return V("bool", pl.lit(table).gather(x.to_physical()), mask=text.mask, sure=text.sure)


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


def _established(v: V) -> pl.Expr:
    """True where `v` is known and true (a Missing value counts as false)."""
    return v.expr if v.sure else v.expr.fill_null(False)  # type: ignore[no-any-return]


def _absent(v: V, value: Any) -> bool:
    """A value a text held as an Enum cannot take (Polars refuses to compare with it)."""
    return v.categories is not None and (NONE if value is None else value) not in v.categories


def _constant(v: V) -> Any:
    """The value of an operand the rules give as a constant (a parameter)."""
    if not v.const:
        raise _Varying
    return v.value


def _is_num(v: V) -> bool:
    return v.kind == "num" or (
        v.const and isinstance(v.value, int | Fraction) and not isinstance(v.value, bool)
    )


# --- building a table ---------------------------------------------------------------------


def frame(cases: Sequence[Mapping[str, Any]]) -> pl.DataFrame:
    """A table of cases (contract dicts or `Case`s) in the table engine's conventions.

    Row by row through pydantic: for tests and small tables (files go through `proa.batch`)."""
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


def coded(path: str, values: Sequence[str] = ()) -> pl.Enum:
    """The Enum of a coded input's column: the contract's values (a choice; `named` for the
    tutor) or, for a text, the table's `values`; and NONE, the explicit null answer."""
    spec = BY_PATH[path]
    words = (
        ("named",)
        if spec.kind == "object"
        else spec.allowed
        if spec.kind == "choice"
        else tuple(sorted(set(values) - {NONE}))
    )
    return pl.Enum([*words, NONE])


def _columns(spec: Input) -> list[str]:
    return [spec.path + "#num", spec.path + "#den"] if spec.kind in NUMERIC else [spec.path]


def input_columns() -> list[str]:
    """The table engine's input columns, in questionnaire order (a table may lack some:
    those inputs are Missing on every row)."""
    return [c for spec in INPUTS for c in _columns(spec)]


# --- evaluating a table ---------------------------------------------------------------------


def rule_names(pack: Pack) -> list[str]:
    """Every rule of both regimes, once: bit i of `#violations` is rule i."""
    seen: dict[str, None] = {}
    for law in pack.regimes.values():
        for item in law.rules:
            if isinstance(item, Rule):
                seen.setdefault(item.name, None)
    return list(seen)


def notice_names(pack: Pack) -> list[str]:
    """Every notice of both regimes, once (those the overrides show included): bit i of
    `#warnings` is notice i."""
    seen: dict[str, None] = {}
    for law in pack.regimes.values():
        for item in lower(law).rules:
            if isinstance(item, Notice):
                seen.setdefault(item.name, None)
    return list(seen)


def _float(n: Int, d: Int) -> pl.Expr:
    x = _e(n).cast(pl.Float64)
    if not isinstance(d, int) and d.meta.is_column():  # a column of its own: divided as is
        return x / d.cast(pl.Float64)
    # Polars divides a column by a scalar (a literal, or a `when` it folds to one) through
    # its reciprocal, 1 ulp off on columns of more than one row: divide by a full column,
    # correctly rounded like `float(Fraction)` in the scalar engine, whatever the chunk.
    return x / (x * 0.0 + (float(d) if isinstance(d, int) else d.cast(pl.Float64)))


@dataclass
class _Plan:
    """One regime and parameter period, compiled."""

    regime: str
    stages: list[list[pl.Expr]]
    outputs: list[pl.Expr]  # decision, violations, limits…
    statuses: list[pl.Expr]
    missing: pl.Expr | None  # the bits of the inputs a missing rule waits for
    warnings: pl.Expr | None  # the bits of the notices shown (`#warnings`)
    categories: dict[str, tuple[str, ...] | None]  # the text inputs' Enums it was made for


# Keyed by ids, so each entry keeps its pack and parameters: an id is reused once its object
# is freed (packs built by tests, scenarios), and a plan must never serve another pack.
# Each entry: the plans made for the text inputs' categories met so far (a file's chunks).
_PLANS: dict[tuple[Any, ...], tuple[Pack, tuple[Mapping[str, Any], ...], list[_Plan]]] = {}


def _categories(schema: Mapping[str, Any], path: str) -> tuple[str, ...] | None:
    dtype = schema.get(path)
    return tuple(dtype.categories) if isinstance(dtype, pl.Enum) else None


def _plan(
    pack: Pack,
    regime: str,
    periods: tuple[Mapping[str, Any], ...],
    whole: frozenset[str],
    masks: bool,
    warnings: bool,
    schema: Mapping[str, Any],
) -> _Plan:
    """The plan of `regime` for rows of one or more parameter periods (their snapshots) in
    a table of `schema`: raises `_Varying` if the periods differ in a parameter the rules
    need as a constant."""
    absent = frozenset(i.path for i in INPUTS if _columns(i)[0] not in schema)
    key = (id(pack), regime, tuple(map(id, periods)), whole, masks, warnings, absent)
    cached = _PLANS.get(key)
    if cached is None or cached[0] is not pack or any(map(operator.is_not, cached[1], periods)):
        if len(_PLANS) > 256:
            _PLANS.clear()
        cached = _PLANS[key] = (pack, periods, [])
    for plan in cached[2]:
        if all(_categories(schema, p) == c for p, c in plan.categories.items()):
            return plan
    plan = _compile(pack, regime, periods, whole, masks, warnings, schema, absent)
    del cached[2][:-15]  # a few variants kept
    cached[2].append(plan)
    return plan


def _shared(law: RegimeLaw) -> frozenset[str]:
    """The operations (their repr) that the lowered law writes more than once: overrides
    repeat their base in their condition, rules repeat tests (`employer.idcc == 1147`)."""
    seen: Counter[str] = Counter()

    def walk(node: Expr) -> None:
        if isinstance(node, Op):
            seen[repr(node)] += 1
            for arg in node.args:
                walk(arg)

    roots: list[Expr] = [v.expr for v in law.variables]
    roots += [v.bounds for v in law.variables if v.bounds is not None]
    for item in law.rules:
        roots += [item.when] if isinstance(item, Notice) else [item.condition]
        roots += [item.applies] if isinstance(item, Rule) and item.applies is not None else []
    roots += [law.funding.teaching_costs, law.funding.rate]
    roots += [expr for _, expr in funding_amounts(law.funding)]
    for root in roots:
        walk(root)
    return frozenset(key for key, n in seen.items() if n > 1)


def _varying(periods: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """The parameters whose value differs between `periods`, with their values."""
    first = periods[0]
    return {
        name: [p[name] for p in periods]
        for name in first
        if any(p[name] != first[name] for p in periods[1:])
    }


def _scalar(value: Any) -> bool:
    """A parameter value a plan can take as a column: a number, a date, yes or no."""
    return isinstance(value, int | Fraction | dt.date)


def _share_plans(periods: Sequence[Mapping[str, Any]]) -> list[list[int]]:
    """`periods` (indices) grouped so that those of a group differ in scalar parameters
    only (numbers, dates, yes/no with one kind throughout): one plan per group."""
    groups: list[list[int]] = []
    for i, p in enumerate(periods):
        for group in groups:
            first = periods[group[0]]
            if all(
                _scalar(p[n]) and _scalar(first[n]) and _kind(p[n]) == _kind(first[n])
                for n in _varying([first, p])
            ):
                group.append(i)
                break
        else:
            groups.append([i])
    return groups


def _kind(value: Any) -> str:
    return "bool" if isinstance(value, bool) else "date" if isinstance(value, dt.date) else "num"


def _compile(
    pack: Pack,
    regime: str,
    periods: tuple[Mapping[str, Any], ...],
    whole: frozenset[str],
    masks: bool,
    warnings: bool,
    schema: Mapping[str, Any],
    absent: frozenset[str],
) -> _Plan:
    law = lower(pack.regimes[regime])  # overrides given their meaning, as in the scalar engine
    declared = {v.name: v for v in pack.regimes[regime].variables}
    enums = partial(_categories, schema)
    c = Compiler(law, periods[0], whole, masks, _varying(periods), enums, absent, _shared(law))
    bits = {name: i for i, name in enumerate(rule_names(pack))}
    violations: list[pl.Expr] = []
    missing: list[pl.Expr] = []
    statuses: list[pl.Expr] = []
    fields: list[pl.Expr] = []
    notices = {name: i for i, name in enumerate(notice_names(pack))}
    shown: list[pl.Expr] = []
    for item in law.rules:
        if isinstance(item, Notice):
            # A warning as the scalar engine shows it: only when its condition is true.
            when = c.compile(item.when) if warnings else V("const", value=False)
            if when.const:
                shown += [pl.lit(1 << notices[item.name], pl.Int64)] if when.value is True else []
            else:
                bit = 1 << notices[item.name]
                shown.append(pl.when(_established(when)).then(bit).otherwise(0))
            continue
        assert isinstance(item, Rule)
        cond = c.compile(item.condition)
        app = c.compile(item.applies) if item.applies is not None else V("const", value=True)
        if app.const and not app.value:
            statuses.append(pl.lit("ok").alias(item.name))
            continue
        # The scalar outcome: applies Missing → missing; not applies → ok; then the condition.
        never = cond.certain and (app.const or app.sure)  # this rule is never missing
        if cond.const:
            violation: pl.Expr = pl.lit(cond.value is False)
            unknown: pl.Expr = pl.lit(False)
        else:
            holds = c._column(cond.expr, f"$rule:{item.name}")
            violation = ~holds if cond.sure else ~holds.fill_null(True)
            unknown = pl.lit(False) if cond.sure else holds.is_null()
        mask = cond.mask
        if not app.const:
            applies = _established(app)
            violation = applies & violation
            if not never:
                unknown = (
                    (applies & unknown) if app.sure else app.expr.is_null() | (applies & unknown)
                )
            if masks:
                zero = pl.lit(0, pl.Int64)
                mask = (
                    pl.when(app.expr.is_null())
                    .then(zero if app.mask is None else app.mask)
                    .otherwise(zero if mask is None else mask)
                )
        # Computed once each: the decision, the bits and the statuses read them.
        violation = c._column(violation, f"$rule:{item.name}:violation")
        violations.append(pl.when(violation).then(1 << bits[item.name]).otherwise(0))
        if not never:
            unknown = c._column(unknown, f"$rule:{item.name}:missing")
            missing.append(unknown)
        if masks and mask is not None and not never:
            fields.append(pl.when(unknown).then(mask).otherwise(0))
        statuses.append(
            pl.when(unknown)
            .then(pl.lit("missing"))
            .when(violation)
            .then(pl.lit("violation"))
            .otherwise(pl.lit("ok"))
            .alias(item.name)
        )
    vio = c._column(pl.sum_horizontal(violations)) if violations else pl.lit(0, pl.Int64)
    incomplete = c._column(pl.any_horizontal(missing)) if missing else pl.lit(False)
    word = {d: pl.lit(d, DECISIONS) for d in DECISIONS.categories}
    decision = (
        pl.when(vio != 0)
        .then(word["ineligible"])
        .when(incomplete)
        .then(word["incomplete"])
        .otherwise(word["eligible"])
    )
    outputs = [
        decision.alias("decision"),
        vio.cast(pl.Int64).alias("#violations"),
        incomplete.alias("#unknown"),  # a rule is missing (also on ineligible rows)
    ]
    for name in law.limits:
        n, d = _num(c.compile(Var(name)))
        value, bounds = _float(n, d), declared[name].bounds
        if bounds is not None:  # null outside the cases it bounds, as in the scalar engine
            b = c.compile(bounds)
            value = (
                (value if b.value is True else pl.lit(None, pl.Float64))
                if b.const
                else pl.when(_established(b)).then(value)
            )
        outputs.append(value.alias("limits." + name))
    n, d = _num(c.compile(law.funding.teaching_costs))
    outputs.append(_float(n, d).alias("funding.teaching_costs_eur"))
    n, d = _num(c.compile(law.funding.rate))
    outputs.append(_float(n, d).alias("funding.hourly_rate_eur"))
    for key, expr in funding_amounts(law.funding):
        n, d = _num(c.compile(expr))
        outputs.append(_float(n, d).alias("funding." + key))
    fields_expr = None
    if masks:
        fields_expr = (
            pl.reduce(lambda a, b: a | b, fields) if fields else pl.lit(0, pl.Int64)
        ).alias("#missing")
    warnings_expr = None
    if warnings:
        total = pl.sum_horizontal(shown) if shown else pl.lit(0, pl.Int64)
        warnings_expr = total.cast(pl.Int64).alias("#warnings")
    return _Plan(regime, c.stages, outputs, statuses, fields_expr, warnings_expr, c.categories)


def _run(rows: pl.LazyFrame, plan: _Plan, extra: list[pl.Expr]) -> pl.DataFrame:
    for stage in plan.stages:
        rows = rows.with_columns(stage)
    return rows.select(*plan.outputs, *extra).collect()


def _whole(df: pl.DataFrame) -> frozenset[str]:
    """Numeric inputs whose denominator is 1 (or absent) on every row of `df`."""
    out = []
    for spec in INPUTS:
        den = spec.path + "#den"
        if spec.kind == "number" and den in df.columns:
            top = df[den].max()
            if top is None or top == 1:
                out.append(spec.path)
    return frozenset(out)


@dataclass
class _Group:
    """Rows of one regime evaluated by one plan: their parameter periods (snapshots)."""

    regime: str
    periods: tuple[Mapping[str, Any], ...]


_DAYS: dict[int, tuple[Pack, list[dt.date], RegimeTable, pl.Series, pl.Series]] = {}


def _days(pack: Pack) -> tuple[list[dt.date], RegimeTable, pl.Series, pl.Series]:
    """The pack's parameter breaks and regimes, and for each day of `CALENDAR` the regime
    span of an agreement signed that day (null: none) and its parameter period (breaks
    before it): one gather each per row instead of two binary searches."""
    cached = _DAYS.get(id(pack))
    if cached is None or cached[0] is not pack:
        breaks = sorted({v.start for p in pack.parameters.parameters.values() for v in p.values})
        regimes = RegimeTable(pack)
        calendar = pl.date_range(*CALENDAR, "1d", eager=True)
        span = pl.Series(regimes.starts, dtype=pl.Date).search_sorted(calendar, side="right")
        span = span.cast(pl.Int32) - 1
        span = span.set(span < 0, None)
        period = pl.Series(breaks, dtype=pl.Date).search_sorted(calendar, side="right")
        if len(_DAYS) > 16:
            _DAYS.clear()
        cached = _DAYS[id(pack)] = (pack, breaks, regimes, span, period.cast(pl.Int32))
    return cached[1:]


def evaluate_table(
    df: pl.DataFrame,
    pack: Pack,
    at: dt.date | None = None,
    *,
    statuses: bool = False,
    missing: bool = False,
    warnings: bool = False,
) -> pl.DataFrame:
    """Decision, limits and funding for every row, in the input order. Each row's regime is
    the one governing its `agreement_date` (`RegimeTable`, as in the scalar engine); `at` (by
    default the agreement date) picks the parameters in force.

    Columns: `regime`, `decision` (enums), `limits.*`, `funding.*`, `#violations` (bit i:
    rule i of `rule_names`); with `missing`, `#missing` (bit i: input i of `INPUTS`, set on
    the incomplete rows); with `statuses`, one column per rule (`ok`, `violation`,
    `missing`; null for the other regime's rules); with `warnings`, `#warnings` (bit i:
    notice i of `notice_names`, set where the scalar engine shows it)."""
    _check_calendar(df)
    whole = _whole(df)
    breaks, regimes, span_of, period_of_day = _days(pack)
    days = {i: breaks[i - 1] for i in range(1, len(breaks) + 1)}
    width = len(breaks) + 1
    signed = pl.col("agreement_date").cast(pl.Int32) - _CALENDAR_FIRST
    if at is None:
        period = pl.lit(period_of_day).gather(signed)
    else:
        period = pl.lit(bisect.bisect_right(breaks, at), pl.Int32)
    # regime span × width + parameter period, from the agreement date; null: no regime
    if "agreement_date" in df.columns:
        keys = df.select((pl.lit(span_of).gather(signed) * width + period).alias("k"))["k"]
    else:
        keys = pl.repeat(None, df.height, dtype=pl.Int32, eager=True)
    # Each regime's periods, grouped so that one plan evaluates all the rows of a group.
    spans: dict[int, list[int]] = {}
    for k in keys.unique().drop_nulls().sort().to_list():
        spans.setdefault(k // width, []).append(k % width)
    groups: list[_Group] = []
    group_of: list[int | None] = [None] * (width * len(regimes.spans))
    period_of = [0] * (width * len(regimes.spans))
    for r, periods in spans.items():
        start, _, declared = regimes.spans[r]
        snapshots = []
        for p in periods:
            day = at or days[p]  # the period's first day: its snapshot
            if day < start:
                raise law_before_regime(day, declared, start)
            snapshots.append(pack.parameters.snapshot(day))
        shared = _share_plans(snapshots)
        for members in shared:
            group = _Group(declared.regime, tuple(snapshots[i] for i in members))
            try:
                _plan(pack, group.regime, group.periods, whole, False, warnings, df.schema)
            except _Varying:  # a parameter the rules need as a constant: one plan a period
                split = [[i] for i in members]
            else:
                split = [members]
            for part in split:
                for code, i in enumerate(part):
                    group_of[r * width + periods[i]] = len(groups)
                    period_of[r * width + periods[i]] = code
                groups.append(_Group(declared.regime, tuple(snapshots[i] for i in part)))
    gid = pl.Series(group_of, dtype=pl.Int32).gather(keys)  # null: no regime
    inputs = [c for c in input_columns() if c in df.columns]
    table = df.select(inputs)
    if any(len(g.periods) > 1 for g in groups):
        table = table.with_columns(pl.Series(PERIOD, period_of, dtype=pl.Int32).gather(keys))
    pieces: list[pl.DataFrame] = []  # one per group, then the rows without a regime
    alone = len(groups) == 1 and not gid.null_count()
    for g, group in enumerate(groups):
        plan = _plan(pack, group.regime, group.periods, whole, False, warnings, df.schema)
        rows = table.lazy() if alone else table.lazy().filter(pl.lit(gid) == g)
        extra = plan.statuses if statuses else []
        if plan.warnings is not None:
            extra = [*extra, plan.warnings]
        out = _run(rows, plan, extra)
        if missing:
            traced = _plan(pack, group.regime, group.periods, whole, True, False, df.schema)
            index = None if alone else (gid == g).arg_true()
            out = out.with_columns(_missing(table, index, out, traced))
        out = out.with_columns(pl.lit(group.regime).cast(REGIMES).alias("regime"))
        pieces.append(out)
    if gid.null_count():  # no agreement date: the scalar engine's `_no_date`
        out = pl.DataFrame(
            {
                "decision": pl.repeat("incomplete", gid.null_count(), dtype=DECISIONS, eager=True),
                "#violations": pl.repeat(0, gid.null_count(), dtype=pl.Int64, eager=True),
            }
        )
        if warnings:
            out = out.with_columns(pl.lit(0, pl.Int64).alias("#warnings"))
        if missing:
            bit = 1 << ORDER["agreement_date"]
            out = out.with_columns(pl.lit(bit, pl.Int64).alias("#missing"))
        pieces.append(out.with_columns(pl.lit(None, REGIMES).alias("regime")))
    if not pieces:
        schema: dict[str, Any] = {"regime": REGIMES, "decision": DECISIONS, "#violations": pl.Int64}
        schema |= {"#missing": pl.Int64} if missing else {}
        return pl.DataFrame(schema=schema | ({"#warnings": pl.Int64} if warnings else {}))
    if alone:
        return pieces[0].drop("#unknown")
    # The pieces' rows back in the input order: the pieces are the rows sorted by piece
    # (stably), so row i is at its rank in that order (a radix sort of small integers).
    piece = gid.fill_null(len(groups)).cast(pl.Int16).to_numpy()
    at_rows = np.empty(len(piece), dtype=np.uint32)
    at_rows[np.argsort(piece, kind="stable")] = np.arange(len(piece), dtype=np.uint32)
    pieces = [p.drop("#unknown", strict=False) for p in pieces]
    result = pl.concat(pieces, how="diagonal_relaxed", rechunk=True).lazy()
    return result.select(pl.all().gather(pl.lit(pl.Series(at_rows)))).collect(engine="in-memory")


def _missing(
    table: pl.DataFrame, index: pl.Series | None, out: pl.DataFrame, plan: _Plan
) -> pl.Series:
    """The `#missing` bits of a group's rows (`index` in `table`; None: all of them), traced
    only where a rule is missing."""
    incomplete = out["#unknown"].arg_true()
    bits = pl.zeros(out.height, pl.Int64, eager=True).alias("#missing")
    if len(incomplete):
        assert plan.missing is not None
        at = incomplete if index is None else index.gather(incomplete)
        traced_rows = pl.repeat(False, table.height, eager=True).scatter(at, True)
        # Filtered in the query: only the columns the plan reads are copied.
        traced = _run(table.lazy().filter(pl.lit(traced_rows)), plan, [plan.missing])["#missing"]
        bits = bits.scatter(incomplete, traced)
    return bits


def decode(bits: pl.Series, names: Sequence[str]) -> pl.Series:
    """Bit masks as lists of names (bit i: names[i]), worked out once per distinct mask."""
    distinct = bits.unique().drop_nulls().to_list()
    lists = {m: [n for i, n in enumerate(names) if m >> i & 1] for m in distinct}
    table = pl.DataFrame(
        {"#m": distinct, "#names": [lists[m] for m in distinct]},
        schema={"#m": pl.Int64, "#names": pl.List(pl.String)},
    )
    joined = pl.DataFrame({"#m": bits}).join(table, on="#m", how="left", maintain_order="left")
    return joined["#names"].alias(bits.name)


MISSING_ORDER = tuple(i.path for i in INPUTS)
