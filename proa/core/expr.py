"""A small declarative expression language for rules.

Rules are written as trees of `Expr` nodes rather than Python branches, so that one
definition serves two evaluators: the scalar one here (compiled to closures, with
three-valued logic: a value may be `Missing`) and a table one (Polars expressions over
many cases) that walks the same trees. Numbers are exact `Fraction`s; rounding happens
only where a rule says so (`round2`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from proa.core import dates


class Missing:
    """An unknown value and the input fields whose absence made it unknown."""

    __slots__ = ("fields",)

    def __init__(self, fields: frozenset[str]) -> None:
        self.fields = fields

    def __repr__(self) -> str:
        return f"Missing({sorted(self.fields)})"


def _union(values: Iterable[Any]) -> Missing:
    fields: set[str] = set()
    for v in values:
        if type(v) is Missing:
            fields |= v.fields
    return Missing(frozenset(fields))


class Context:
    """What one evaluation reads: flattened inputs, compiled variables and their cache
    (parameters are folded into the closures at compile time)."""

    __slots__ = ("cache", "inputs", "variables")

    def __init__(self, inputs: Mapping[str, Any], variables: Mapping[str, Evaluator]) -> None:
        self.inputs = inputs
        self.variables = variables
        self.cache: dict[str, Any] = {}


Evaluator = Callable[[Context], Any]


@dataclass(frozen=True, eq=False)
class Expr:
    """Base node. Operators build new nodes; nothing is evaluated here."""

    def _bin(self, op: str, other: Any) -> Op:
        return Op(op, (self, lift(other)))

    def __add__(self, o: Any) -> Op:
        return self._bin("+", o)

    def __sub__(self, o: Any) -> Op:
        return self._bin("-", o)

    def __mul__(self, o: Any) -> Op:
        return self._bin("*", o)

    def __truediv__(self, o: Any) -> Op:
        return self._bin("/", o)

    def __rmul__(self, o: Any) -> Op:
        return Op("*", (lift(o), self))

    def __neg__(self) -> Op:
        return Op("-", (Const(Fraction(0)), self))

    def __lt__(self, o: Any) -> Op:
        return self._bin("<", o)

    def __le__(self, o: Any) -> Op:
        return self._bin("<=", o)

    def __gt__(self, o: Any) -> Op:
        return self._bin(">", o)

    def __ge__(self, o: Any) -> Op:
        return self._bin(">=", o)

    def eq(self, o: Any) -> Op:
        return self._bin("==", o)

    def ne(self, o: Any) -> Op:
        return self._bin("!=", o)

    def is_in(self, o: Any) -> Op:
        return self._bin("in", o)

    def is_null(self) -> Op:
        return Op("is_null", (self,))

    def __and__(self, o: Any) -> Op:
        return Op("and", (self, lift(o)))

    def __or__(self, o: Any) -> Op:
        return Op("or", (self, lift(o)))

    def __invert__(self) -> Op:
        return Op("not", (self,))


@dataclass(frozen=True, eq=False)
class Field(Expr):
    """An input of the case, by its dotted path in the contract (`employee.contract`)."""

    path: str


@dataclass(frozen=True, eq=False)
class Param(Expr):
    """A parameter of the rule pack, taken at its value in force at the case's date."""

    name: str


@dataclass(frozen=True, eq=False)
class Var(Expr):
    """A named intermediate value (defined once, reused by rules and limits)."""

    name: str


@dataclass(frozen=True, eq=False)
class Const(Expr):
    value: Any


@dataclass(frozen=True, eq=False)
class Op(Expr):
    op: str
    args: tuple[Expr, ...]


@dataclass(frozen=True, eq=False)
class Excluded:
    """A clause the extension order struck out: never applied.

    `param` is the parameter holding the clause's figure or words, with its quote and the
    order among its sources; `notice` is the warning (defects.yaml) shown where the clause
    would have mattered: when a rule compares a value with the `Override` that lists it, and
    the general rule alone refuses the case."""

    param: str
    notice: str


@dataclass(frozen=True, eq=False)
class Override(Expr):
    """`by` replaces `base` when `when` holds (Publicodes' `remplace` … `applicable si`,
    Catala's exception): a branch clause over the Code's general rule (`layer="agreement"`),
    or the Code prevailing over a clause that goes beyond what it allows (`layer="code"`, see
    `code_prevails`). `proa.core.lower` gives it its meaning, the same in both engines:
    - as a value (a limit, a message): `by` once `when` is established, else `base` — an
      exception applies once its condition is answered, never on a guess;
    - in a comparison (a rule's condition): decided when the answer is the same whether
      `when` holds or not, else missing (asking for the inputs of `when`).

    `sources` are the articles of the replacing clause; `text` says in words (a French
    template) what it replaces the general rule with, for explanations and traces. `struck`
    lists clauses of the same provision excluded from the extension (see `Excluded`).
    `notice` is a warning shown when the override applies and changes a rule's answer (a
    contested reading that names the other one)."""

    base: Expr
    by: Expr
    when: Expr
    sources: tuple[str, ...]
    text: str
    layer: Literal["agreement", "code"] = "agreement"
    struck: tuple[Excluded, ...] = ()
    notice: str | None = None
    text_en: str = ""  # `text` in English (English rule pages); required by the pack


def code_prevails(
    over: Expr,
    by: Any,
    when: Any,
    sources: tuple[str, ...],
    text: str,
    notice: str | None = None,
    text_en: str = "",
) -> Override:
    """The Code prevails over a branch clause where the clause goes beyond what the Code
    allows: `by` (usually the Code's own value) replaces `over` when `when` holds."""
    return Override(over, lift(by), lift(when), sources, text, "code", (), notice, text_en)


def lift(value: Any) -> Expr:
    if isinstance(value, Expr):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Const(to_fraction(value))
    if isinstance(value, list | set):
        return Const(frozenset(value))
    return Const(value)


def to_fraction(value: int | float | Decimal | Fraction) -> int | Fraction:
    """An exact engine number: int when whole (fast path), else a Fraction."""
    f = Fraction(Decimal(repr(value))) if isinstance(value, float) else Fraction(value)
    return f.numerator if f.denominator == 1 else f


ALWAYS = Const(True)


def all_of(*args: Any) -> Op:
    return Op("and", tuple(lift(a) for a in args))


def any_of(*args: Any) -> Op:
    return Op("or", tuple(lift(a) for a in args))


def if_(cond: Any, then: Any, otherwise: Any) -> Op:
    return Op("if", (lift(cond), lift(then), lift(otherwise)))


def max_(*args: Any) -> Op:
    return Op("max", tuple(lift(a) for a in args))


def established(arg: Any) -> Op:
    """True only when `arg` is known to be true: an exception (36 months, 40 %) applies once
    its condition is answered, never on a guess. Never Missing."""
    return Op("established", (lift(arg),))


def ceil(arg: Any) -> Op:
    return Op("ceil", (lift(arg),))


def round2(arg: Any) -> Op:
    """Round half-up to 0.01 (docs/contract.md: each limit is rounded once, at the end)."""
    return Op("round2", (lift(arg),))


def months_between(start: Any, end: Any) -> Op:
    """Length of [start, end] (inclusive) in months, fractional (see `dates.months`)."""
    return Op("months", (lift(start), lift(end)))


def calendar_years(start: Any, end: Any) -> Op:
    """How many calendar years [start, end] runs through (see `dates.calendar_years`)."""
    return Op("years", (lift(start), lift(end)))


def last_day(start: Any, length: Any, reaching: bool = False) -> Op:
    """The last day of an action from `start` lasting at most `length` months (`reaching`:
    at least), see `dates.last_day`: a duration limit said as an end date."""
    return Op("last_day_reaching" if reaching else "last_day", (lift(start), lift(length)))


def age_at(birth: Any, day: Any) -> Op:
    return Op("age", (lift(birth), lift(day)))


def add_days(day: Any, days: Any) -> Op:
    return Op("add_days", (lift(day), lift(days)))


def lookup(mapping: Any, key: Any) -> Op:
    """`mapping[key]`, or None when the key is not in it."""
    return Op("lookup", (lift(mapping), lift(key)))


def in_window(windows: Any, key: Any, day: Any) -> Op:
    """Whether `day` falls in one of the (from, to) windows of `key`; True for a key with no
    known window (nothing to fall outside of)."""
    return Op("in_window", (lift(windows), lift(key), lift(day)))


def matches(text: Any, pattern: Any) -> Op:
    return Op("matches", (lift(text), lift(pattern)))


def any_true(paths: Any) -> Op:
    """Whether one of the yes/no inputs listed (by their paths, usually a parameter: a list
    of publics the law names) is answered yes; three-valued like `any_of`."""
    return Op("any_true", (lift(paths),))


def expand_any_true(paths: Iterable[str]) -> Op:
    """`any_true` once its list is known (parameters are constant for a period)."""
    return Op("or", tuple(Op("==", (Field(p), Const(True))) for p in sorted(paths)))


def fields_of(
    node: Expr, variables: Mapping[str, Expr], params: Mapping[str, Any] | None = None
) -> frozenset[str]:
    """Every input field a node may read, through the variables it references (and, given
    the parameters in force, through the inputs a parameter lists)."""
    if isinstance(node, Field):
        return frozenset({node.path})
    if isinstance(node, Var):
        return fields_of(variables[node.name], variables, params)
    if isinstance(node, Override):
        return frozenset().union(
            *(fields_of(n, variables, params) for n in (node.base, node.by, node.when))
        )
    if isinstance(node, Op):
        if node.op == "any_true":
            (arg,) = node.args
            listed = arg.value if isinstance(arg, Const) else None
            if isinstance(arg, Param) and params is not None:
                listed = params[arg.name]
            return frozenset(listed or ())
        out: frozenset[str] = frozenset()
        for a in node.args:
            out |= fields_of(a, variables, params)
        return out
    return frozenset()


def params_of(node: Expr, variables: Mapping[str, Expr]) -> frozenset[str]:
    """Every parameter a node reads, through the variables it references (with the clauses
    an override lists as struck: the rule's page shows them)."""
    if isinstance(node, Param):
        return frozenset({node.name})
    if isinstance(node, Var):
        return params_of(variables[node.name], variables)
    if isinstance(node, Override):
        return frozenset({x.param for x in node.struck}).union(
            *(params_of(n, variables) for n in (node.base, node.by, node.when))
        )
    if isinstance(node, Op):
        out: frozenset[str] = frozenset()
        for a in node.args:
            out |= params_of(a, variables)
        return out
    return frozenset()


# --- scalar compilation -------------------------------------------------------------------


def _round2(x: int | Fraction) -> int | Fraction:
    """Half-up (away from zero) to 0.01, in exact integer arithmetic."""
    if type(x) is int:
        return x
    n, d = abs(x.numerator), x.denominator
    hundredths = (200 * n + d) // (2 * d)
    if x < 0:
        hundredths = -hundredths
    return hundredths // 100 if hundredths % 100 == 0 else Fraction(hundredths, 100)


def _in_window(windows: Mapping[str, Any], key: str, day: Any) -> bool:
    spans = windows.get(key)
    if spans is None:
        return True  # no known registration to fall outside of
    return any(start <= day <= end for start, end in spans)


_STRICT: dict[str, Callable[..., Any]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: Fraction(a) / b,  # never a float, even for two ints
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "in": lambda a, b: a in b,
    "is_null": lambda a: a is None,
    "not": lambda a: not a,
    "max": lambda *a: max(a),
    "round2": _round2,
    "ceil": math.ceil,
    "months": dates.months,
    "years": dates.calendar_years,
    "age": dates.age,
    "last_day": dates.last_day,
    "last_day_reaching": lambda start, n: dates.last_day(start, n, reaching=True),
    "add_days": lambda d, n: d + dt.timedelta(days=int(n)),
    "lookup": lambda m, k: m.get(k),
    "in_window": _in_window,
    "matches": lambda t, p: t is not None and re.fullmatch(p, t) is not None,
}
