"""What would make a case comply: for each violated rule, the nearest change of one input
that satisfies it, as the rule declares it (`proa.core.rules.Remedy`); for each missing
rule, the questions it waits for.

Built after the rules are decided, and only for those that are not `ok`: an eligible case
pays nothing for it. The bounds are compiled once per period, in value position (the limits
established by the answers given), like the limits of the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from proa.core import french
from proa.core.catalogue import Text, text
from proa.core.codegen import compile_expr
from proa.core.expr import Context, Evaluator, Missing
from proa.core.inputs import BY_PATH, ORDER
from proa.core.model import Remedy
from proa.core.rules import Remedy as Declared

# A remedy's unit → the format of its figures (`proa.core.french.fmt`).
_SPECS = {"hour": "h", "month": "months", "year": "years", "count": "int", "eur": "eur"}
# The wording of a range: (numbers, dates) by which bounds are known.
_WORDS = {
    "between": ("remedy.between", "remedy.date_between"),
    "at_least": ("remedy.at_least", "remedy.date_from"),
    "at_most": ("remedy.at_most", "remedy.date_until"),
    "exactly": ("remedy.exactly", "remedy.date_exactly"),
}


@dataclass(frozen=True)
class CompiledRemedy:
    field: str
    at_least: Evaluator | None
    at_most: Evaluator | None
    values: Evaluator | None
    unit: str


def compile_remedies(
    declared: Sequence[Declared], params: dict[str, Any]
) -> tuple[CompiledRemedy, ...]:
    def ev(node: Any) -> Evaluator | None:
        return None if node is None else compile_expr(node, params)

    return tuple(
        CompiledRemedy(r.field, ev(r.at_least), ev(r.at_most), ev(r.values), r.unit)
        for r in declared
    )


Pending = tuple[str, Sequence[CompiledRemedy], str, frozenset[str]]


def remedies(pending: Sequence[Pending], ctx: Context, english: bool) -> list[Remedy]:
    """The remedies of the rules left violated or missing: (rule, its remedies, outcome,
    the inputs it waits for), in the order of the findings."""
    out: list[Remedy] = []
    for rule, declared, outcome, unknown in pending:
        if outcome == "missing":
            for path in sorted(unknown, key=lambda p: (ORDER.get(p, len(ORDER)), p)):
                spec = BY_PATH.get(path)
                out.append(
                    Remedy(
                        rule,
                        "answer",
                        path,
                        spec.question if spec else path,
                        message_en=(spec.question_en if spec else path) if english else None,
                    )
                )
            continue
        for r in declared:
            found = _remedy(rule, r, ctx)
            if found is not None:
                if not english:
                    found.message_en = None
                out.append(found)
    return out


def _known(ev: Evaluator | None, ctx: Context) -> Any:
    if ev is None:
        return None
    value = ev(ctx)
    return None if type(value) is Missing else value


def _remedy(rule: str, r: CompiledRemedy, ctx: Context) -> Remedy | None:
    current = ctx.inputs.get(r.field)
    say = _sayer(r)
    allowed = _known(r.values, ctx)
    if allowed is not None:
        if current in allowed or not allowed:
            return None
        values = sorted(str(v) for v in allowed)
        labels = dict(BY_PATH[r.field].choices) if r.field in BY_PATH else {}
        listed = Text(", ".join(labels.get(v) or v for v in values), ", ".join(values))
        message = _message("remedy.one_of", r.field, current, say, values=listed)
        return Remedy(rule, "one_of", r.field, message.fr, values=values, message_en=message.en)
    low, high = _known(r.at_least, ctx), _known(r.at_most, ctx)
    if (low is None and high is None) or (low is not None and high is not None and low > high):
        return None  # nothing to say, or no value of this input alone complies
    if (
        current is not None
        and (low is None or current >= low)
        and (high is None or current <= high)
    ):
        return None  # within: the change that complies is to another input
    nearest = None
    if current is not None:
        nearest = low if low is not None and current < low else high
    if low is not None and high is not None:
        words = "exactly" if low == high else "between"
    else:
        words = "at_least" if low is not None else "at_most"
    key = _WORDS[words][isinstance(low or high, dt.date)]
    message = _message(key, r.field, current, say, low=say(low), high=say(high), value=say(low))
    return Remedy(
        rule,
        "range",
        r.field,
        message.fr,
        _plain(low),
        _plain(high),
        _plain(nearest),
        message_en=message.en,
    )


def _sayer(r: CompiledRemedy) -> Callable[[Any], Text]:
    spec = _SPECS.get(r.unit, "")

    def say(value: Any) -> Text:
        if value is None:
            return Text("", "")
        return Text(french.fmt(value, spec), french.fmt_en(value, spec))

    return say


def _message(key: str, field: str, current: Any, say: Callable[[Any], Text], **values: Any) -> Text:
    spec = BY_PATH.get(field)
    term = spec.term if spec and spec.term else field
    now = text("remedy.now", value=say(current)) if current is not None else Text("", "")
    found = text(key, term=Text(term[:1].upper() + term[1:], field), now=now, **values)
    return Text(french.typography(found.fr), found.en)


def _plain(value: Any) -> float | dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    if isinstance(value, Fraction):
        return round(value.numerator / value.denominator, 2)
    return round(float(value), 2)
