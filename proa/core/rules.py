"""The shapes of the law in code: variables, rules and notices.

A `Rule` is a named condition on the case with its sources; evaluated it gives one
finding (`ok`, `violation` or `missing`). A `Notice` is a `warning` finding shown when
its condition holds: an extension exclusion, a defect of the text, an uncertain reading.
Messages are French templates whose `{name}` placeholders are variables, inputs or
parameters, formatted the French way (`{name|h}` hours, `{name|pct}` percent…).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from proa.core.expr import Expr

Regime = Literal["pro-a", "periode-de-reconversion"]


@dataclass(frozen=True)
class Variable:
    """A named intermediate value: one formula, reused by rules, limits and funding."""

    name: str
    expr: Expr
    label: str
    unit: str = ""


@dataclass(frozen=True)
class Rule:
    name: str
    title: str
    condition: Expr
    ok: str
    violation: str
    sources: tuple[str, ...]
    applies: Expr | None = None
    not_applicable: str = ""


@dataclass(frozen=True)
class Notice:
    """A warning shown when `when` holds. Its title, message and sources live in
    `proa/law/defects.yaml` under the same name (defects and exclusions are data)."""

    name: str
    when: Expr


PLACEHOLDER = re.compile(r"\{([a-zA-Z0-9_.]+)(?:\|([a-z0-9_]+))?\}")


def placeholders(template: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2) or "") for m in PLACEHOLDER.finditer(template)]


@dataclass(frozen=True)
class Deadline:
    name: str
    label: str
    date: Expr
    sources: tuple[str, ...]


@dataclass(frozen=True)
class FundingNote:
    when: Expr
    text: str


@dataclass(frozen=True)
class RegimeLaw:
    """One regime's law: its variables, rules and notices (in questionnaire order), the
    limits it reports, and what it says of funding and deadlines."""

    regime: Regime
    title: str
    selection: str
    variables: Sequence[Variable]
    rules: Sequence[Rule | Notice]
    limits: dict[str, Expr]
    pay_maintained: Expr
    pay_sources: tuple[str, ...]
    funding_notes: Sequence[FundingNote] = ()
    deadlines: Sequence[Deadline] = ()
    selection_sources: tuple[str, ...] = ()
