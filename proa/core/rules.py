"""The shapes of the law in code: variables, rules, notices and regimes, and what the core
needs from a rule pack (`Pack`: the law fills it, the core never imports the law).

A `Rule` is a named condition on the case with its sources; evaluated it gives one
finding (`ok`, `violation` or `missing`). A `Notice` is a `warning` finding shown when
its condition holds: an extension exclusion, a defect of the text, an uncertain reading.
Messages, labels and notes are French templates whose `{name}` placeholders are variables,
inputs or parameters, formatted the French way (`{name|h}` hours, `{name|pct}` percent…):
a figure of the law reaches a message only through a parameter's placeholder.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from proa.core.expr import ALWAYS, Expr
from proa.core.model import MetBy, Regime
from proa.core.params import Parameter, ParameterSet


@dataclass(frozen=True)
class Variable:
    """A named intermediate value: one formula, reused by rules, limits and funding. A
    variable that is a limit of the result carries its articles (`sources`) and says how it
    is computed (`computation`, a template; an `Override` adds the clause that applies)."""

    name: str
    expr: Expr
    label: str
    unit: str = ""
    sources: tuple[str, ...] = ()
    computation: str = ""
    # As a limit of the result: the cases it bounds; elsewhere the limit is null ("sans
    # objet"), never a number no rule uses (docs/contract.md). The value itself is unchanged.
    bounds: Expr | None = None
    # The label in English (English rule pages), same placeholders; required by the pack.
    label_en: str = ""


@dataclass(frozen=True)
class Remedy:
    """What would satisfy a rule, declared with it: its input `field` brought within
    [`at_least`, `at_most`] (either may be None), or set to one of `values`. The bounds are
    read as values — the limits established by the answers given, the other inputs kept as
    they are — so a remedy is the nearest change of that one input that complies. `unit`
    formats numbers (`hour`, `month`, `count`; dates need none)."""

    field: str
    at_least: Expr | None = None
    at_most: Expr | None = None
    values: Expr | None = None
    unit: str = ""


@dataclass(frozen=True)
class Rule:
    """A named condition on the case with its sources (one finding). `remedies`: what would
    satisfy it when it is violated (`Remedy`); a missing rule's remedy is always to answer
    the questions it waits for."""

    name: str
    title: str
    condition: Expr
    ok: str
    violation: str
    sources: tuple[str, ...]
    applies: Expr | None = None
    not_applicable: str = ""
    remedies: tuple[Remedy, ...] = ()


@dataclass(frozen=True)
class Notice:
    """A warning shown when `when` holds. Its title, message and sources live in
    `proa/law/defects.yaml` under the same name (defects and exclusions are data). The
    notices of struck clauses and contested readings attached to an `Override` are not
    declared here: the rules that compare with the override show them."""

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
    # Listed only once its date is known (an event that may never happen: an interruption).
    only_when_known: bool = False
    # The step of the case that meets it, after which it is no longer a date to meet:
    # "sending" (the file sent to the OPCO) or "decision" (the OPCO's answer).
    met_by: MetBy | None = None
    label_en: str = ""  # English second, like a paper's


@dataclass(frozen=True)
class Paper:
    """A paper the OPCO needs for the case, `when` it applies (still listed while unknown);
    `document` names the kind of document proa drafts for it, if any."""

    label: str
    sources: tuple[str, ...]
    when: Expr = ALWAYS
    document: str | None = None
    label_en: str = ""


@dataclass(frozen=True)
class FundingNote:
    when: Expr
    text: str
    text_en: str  # English second (`funding.notes_en`), with the same placeholders


@dataclass(frozen=True)
class FundingLaw:
    """What a regime says of funding: the hourly rate (a parameter, with its sources), the
    teaching costs it covers, whether pay is maintained, and notes shown when they apply."""

    hourly_rate: str
    # The rate applied: the parameter, or what replaces it for the case (a branch's rate),
    # and whether the case declares its own (its source is then the declaration).
    rate: Expr
    rate_declared: Expr
    teaching_costs: Expr
    pay_maintained: Expr
    pay_sources: tuple[str, ...]
    notes: Sequence[FundingNote] = ()
    # The CPF rights the employee may mobilise for the action (None: the regime says none).
    cpf_max: Expr | None = None
    # Pay and cost (issue 10, §2): what the OPCO may reimburse of the pay at most (None:
    # no amount the Code sets), the pay maintained, what the employer keeps paying at least.
    pay_reimbursement_max: Expr | None = None
    pay_cost: Expr | None = None
    employer_cost: Expr | None = None


def funding_amounts(funding: FundingLaw) -> list[tuple[str, Expr]]:
    """The optional amounts of pay and cost a regime computes, under their result keys
    (`Funding` fields and table columns `funding.*`): one list for both engines."""
    return [
        (key, expr)
        for key, expr in (
            ("pay_reimbursement_max_eur", funding.pay_reimbursement_max),
            ("pay_cost_eur", funding.pay_cost),
            ("employer_cost_eur", funding.employer_cost),
        )
        if expr is not None
    ]


@dataclass(frozen=True)
class RegimeLaw:
    """One regime's law: the agreements it governs (concluded from the date parameter
    `agreements_from`, before `agreements_until`), its variables, rules and notices (in
    questionnaire order), the variables it reports as limits (named after the contract's
    `limits` keys), its funding and its deadlines."""

    regime: Regime
    title: str
    selection: str
    selection_sources: tuple[str, ...]
    agreements_from: str
    agreements_until: str | None
    variables: Sequence[Variable]
    rules: Sequence[Rule | Notice]
    limits: tuple[str, ...]
    funding: FundingLaw
    deadlines: Sequence[Deadline] = ()
    papers: Sequence[Paper] = ()


# --- what the core needs from a rule pack ------------------------------------------------


class NoticeText(Protocol):
    """A notice's French text (defects.yaml)."""

    @property
    def title(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def sources(self) -> tuple[str, ...]: ...


class RuleText(Protocol):
    """A rule's or notice's English text (the second language)."""

    @property
    def title(self) -> str: ...
    @property
    def ok(self) -> str: ...
    @property
    def violation(self) -> str: ...
    @property
    def not_applicable(self) -> str: ...
    @property
    def message(self) -> str: ...


class Translation(Protocol):
    @property
    def regime(self) -> Mapping[str, str]: ...
    @property
    def rules(self) -> Mapping[str, RuleText]: ...
    @property
    def notices(self) -> Mapping[str, RuleText]: ...


class Pack(Protocol):
    """A rule pack as the engines read it: dated parameters, the regimes' laws, the texts of
    notices and the English second language, and the labels of sources."""

    @property
    def parameters(self) -> ParameterSet: ...
    @property
    def regimes(self) -> Mapping[str, RegimeLaw]: ...
    @property
    def defects(self) -> Mapping[str, NoticeText]: ...
    @property
    def english(self) -> Translation: ...
    @property
    def version(self) -> str: ...
    def labels(self, refs: Sequence[str]) -> list[str]: ...


def constant_date(p: Parameter) -> dt.date:
    """The value of a date parameter that never changes (a regime's bounds)."""
    (only,) = p.values
    if not isinstance(only.value, dt.date):
        raise ValueError(f"{p.name} : une date est attendue")
    return only.value


class RegimeTable:
    """Which regime governs a case: the one whose period contains the day its avenant (or
    written agreement) was concluded — never the date of evaluation (loi n° 2025-989, art.
    11, III). The one selection both engines use."""

    def __init__(self, pack: Pack) -> None:
        spans = []
        for law in pack.regimes.values():
            start = constant_date(pack.parameters[law.agreements_from])
            end = (
                constant_date(pack.parameters[law.agreements_until])
                if law.agreements_until
                else None
            )
            spans.append((start, end, law))
        spans.sort(key=lambda s: s[0])
        for (_, end, law), (start, _, following) in itertools.pairwise(spans):
            if end is None or end > start:
                raise ValueError(f"périodes en chevauchement : {law.regime}, {following.regime}")
        self.spans = spans
        self.starts = [s for s, _, _ in spans]

    def at(self, agreement_date: dt.date) -> RegimeLaw | None:
        i = bisect.bisect_right(self.starts, agreement_date) - 1
        if i < 0:
            return None
        _, end, law = self.spans[i]
        return law if end is None or agreement_date < end else None

    def start(self, law: RegimeLaw) -> dt.date:
        return next(s for s, _, found in self.spans if found is law)


def regime_at(pack: Pack, agreement_date: dt.date) -> RegimeLaw | None:
    """The regime governing an agreement concluded on `agreement_date` (None outside every
    regime's period)."""
    return RegimeTable(pack).at(agreement_date)
