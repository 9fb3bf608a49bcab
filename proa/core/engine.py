"""The engine: a case and a rule pack in, the contract's result out.

Pure and deterministic: no I/O, no clock, no global state beyond per-pack compiled
closures. The regime is chosen by the law's date (the `regime.switch_date` parameter);
rules, notices, limits, funding and deadlines come from that regime's `RegimeLaw`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import astuple, dataclass, replace
from fractions import Fraction
from functools import partial
from typing import TYPE_CHECKING, Any

from proa.core import french
from proa.core.catalogue import text
from proa.core.codegen import compile_expr, constant
from proa.core.expr import (
    Context,
    Evaluator,
    Missing,
    Var,
    fields_of,
    params_of,
)
from proa.core.inputs import BY_PATH, ORDER
from proa.core.model import (
    FIRST_DAY,
    Case,
    CaseError,
    Deadline,
    Decision,
    Finding,
    Funding,
    Limits,
    Result,
    Status,
    parse_case,
)
from proa.core.rules import PLACEHOLDER, Notice, Regime, RegimeLaw, Rule

if TYPE_CHECKING:
    from proa.law import RulePack

Template = Callable[[Context], str]


def compile_template(
    text: str, law: RegimeLaw, pack: RulePack, params: dict[str, Any], english: bool = False
) -> Template:
    """Pre-split a message into literal parts and value getters (formatting is hot).

    Parameters are constant for the period: they are formatted once, into the literal text.
    """
    fmt = french.fmt_en if english else french.fmt
    unknown = "not given" if english else "non renseigné"
    text = " ".join(text.split()) if english else french.typography(text)
    names = {v.name for v in law.variables}
    literal: list[str] = []
    parts: list[tuple[str, Evaluator, str]] = []  # text before, getter, format
    pos = 0
    for m in PLACEHOLDER.finditer(text):
        literal.append(text[pos : m.start()])
        name, spec = m.group(1), m.group(2) or ""
        pos = m.end()
        if name in pack.parameters.parameters and name not in names:
            literal.append(fmt(params[name], spec))
            continue
        if name in names:
            getter = compile_expr(Var(name), params)
        elif name in BY_PATH:
            getter = _field_getter(name)
        else:
            raise ValueError(f"gabarit : nom inconnu {{{name}}} dans « {text} »")
        parts.append(("".join(literal), getter, spec))
        literal = []
    tail = "".join(literal) + text[pos:]

    def render(ctx: Context) -> str:
        out = ""
        for before, getter, spec in parts:
            v = getter(ctx)
            out += before + (unknown if type(v) is Missing else fmt(v, spec))
        return out + tail

    return render


def _field_getter(path: str) -> Evaluator:
    absent = Missing(frozenset({path}))
    return lambda ctx: ctx.inputs.get(path, absent)


@dataclass
class CompiledItem:
    """A rule, or a notice (`warning` makes its finding, of constant text: French only, and
    with its English second), ready to evaluate."""

    name: str
    title: str
    condition: Evaluator
    sources: tuple[str, ...]
    warning: tuple[Make, Make] | None = None
    applies: Evaluator | None = None
    ok: Template | None = None
    violation: Template | None = None
    not_applicable: str = ""
    # English, the second language.
    ok_en: Template | None = None
    violation_en: Template | None = None
    not_applicable_en: str = ""
    title_en: str = ""
    params: tuple[str, ...] = ()
    # What the finding's trace names: the inputs and parameters the rule reads (their
    # values are in the result's trace).
    uses: dict[str, Any] | None = None


class CompiledRegime:
    """A regime's law compiled for one parameter period: generated rule functions (parameters
    folded in), message templates, source labels."""

    def __init__(self, law: RegimeLaw, pack: RulePack, params: dict[str, Any]) -> None:
        self.law = law
        exprs = {v.name: v.expr for v in law.variables}
        self.variables = {name: compile_expr(e, params) for name, e in exprs.items()}
        self.items: list[CompiledItem] = []
        for item in law.rules:
            if isinstance(item, Notice):
                if constant(item.when, params) == (True, False):
                    continue  # cannot show in this period (e.g. before/after an effect date)
                d = pack.defects[item.name]
                en = pack.english.notices[item.name]
                sources = tuple(pack.labels(d.sources))
                warning = Finding(
                    rule=item.name,
                    status="warning",
                    message=french.typography(d.message),
                    sources=sources,
                    title=d.title,
                )
                self.items.append(
                    CompiledItem(
                        name=item.name,
                        title=d.title,
                        condition=compile_expr(item.when, params),
                        sources=sources,
                        warning=_bilingual(warning, en.message, en.title),
                    )
                )
            else:
                assert isinstance(item, Rule)
                nodes = [item.condition] + ([item.applies] if item.applies else [])
                fields: frozenset[str] = frozenset()
                used: frozenset[str] = frozenset()
                for n in nodes:
                    fields |= fields_of(n, exprs, params)
                    used |= params_of(n, exprs)
                en_rule = pack.english.rules[item.name]
                self.items.append(
                    CompiledItem(
                        name=item.name,
                        title=item.title,
                        condition=compile_expr(item.condition, params),
                        applies=compile_expr(item.applies, params)
                        if item.applies is not None
                        else None,
                        ok=compile_template(item.ok, law, pack, params),
                        violation=compile_template(item.violation, law, pack, params),
                        not_applicable=french.typography(item.not_applicable),
                        ok_en=compile_template(en_rule.ok, law, pack, params, english=True),
                        violation_en=compile_template(
                            en_rule.violation, law, pack, params, english=True
                        ),
                        not_applicable_en=" ".join(en_rule.not_applicable.split()),
                        title_en=en_rule.title,
                        sources=tuple(pack.labels(item.sources)),
                        params=tuple(sorted(used)),
                        uses={
                            "inputs": sorted(fields, key=_order),
                            "parameters": sorted(used),
                        },
                    )
                )
        self.limits = {k: compile_expr(e, params) for k, e in law.limits.items()}
        self.teaching_costs = compile_expr(Var("teaching_costs"), params)
        self.duration = compile_expr(Var("duration_months"), params)
        self.total_hours = compile_expr(Var("total_hours"), params)
        self.pay_maintained = compile_expr(law.pay_maintained, params)
        self.notes = [
            (compile_expr(n.when, params), french.typography(n.text)) for n in law.funding_notes
        ]
        self.deadlines = [
            (d.label, compile_expr(d.date, params), pack.labels(d.sources)) for d in law.deadlines
        ]
        self.pay_source = ", ".join(pack.labels(law.pay_sources))
        self.params = sorted({p for item in self.items for p in item.params})
        selection = Finding(
            rule="regime",
            status="ok",
            message=french.typography(law.selection),
            sources=tuple(pack.labels(law.selection_sources)),
            title="Dispositif applicable",
        )
        self.selection = _bilingual(selection, pack.english.regime[law.regime], "Applicable scheme")


Make = Callable[[], Finding]


def _bilingual(finding: Finding, message_en: str, title_en: str) -> tuple[Make, Make]:
    """Makers of a finding of constant text, French only and with English second: prebuilt
    arguments, so that each result owns its findings at the cost of one call."""
    english = replace(finding, message_en=" ".join(message_en.split()), title_en=title_en)
    return partial(Finding, *astuple(finding)), partial(Finding, *astuple(english))


def _order(path: str) -> tuple[int, str]:
    return (ORDER.get(path, len(ORDER)), path)


_AS_IS = frozenset({str, int, bool, type(None)})


def _plain(value: Any) -> Any:
    """A value as JSON shows it."""
    t = type(value)
    if t is str or t is bool or value is None:
        return value
    if t is Fraction:
        return int(value) if value.denominator == 1 else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(value)
    return value


def _regime(day: dt.date, params: dict[str, Any]) -> Regime:
    """The regime in force on `day` (the `regime.switch_date` parameter decides)."""
    return "pro-a" if day < params["regime.switch_date"] else "periode-de-reconversion"


def _number(value: Any) -> float | None:
    t = type(value)
    if t is Fraction:  # int true division is correctly rounded, and skips numbers.Rational
        return value.numerator / value.denominator  # type: ignore[no-any-return]
    return None if t is Missing or value is None else float(value)


class Engine:
    """Evaluates cases against one rule pack."""

    def __init__(self, pack: RulePack) -> None:
        self.pack = pack
        # Compiled once per regime and parameter period (a handful), then reused.
        self._compiled: dict[tuple[str, int], CompiledRegime] = {}
        self._param_traces: dict[tuple[str, int], dict[str, dict[str, Any]]] = {}
        self._rate_sources: dict[int, str] = {}

    def evaluate(
        self,
        case: Case | dict[str, Any] | str,
        at: dt.date | None = None,
        trace: bool = True,
        english: bool = False,
    ) -> Result:
        """Evaluate a case under the law in force at `at` (default: its agreement date).

        With `english`, each finding also carries `message_en` and `title_en`."""
        case = parse_case(case)
        if at is not None and at < FIRST_DAY:
            raise CaseError.of("at", text("case.law_before_first_day"))
        law_date = at or case.agreement_date
        if law_date is None:
            return self._no_date()
        inputs = case.inputs()
        params = self.pack.parameters.snapshot(law_date)
        regime = _regime(law_date, params)
        decision: Decision
        comp = self._compiled.get((regime, id(params)))
        if comp is None:
            comp = CompiledRegime(self.pack.regimes[regime], self.pack, params)
            self._compiled[(regime, id(params))] = comp
        ctx = Context(inputs, comp.variables)
        findings = [comp.selection[english]()]
        missing: set[str] = set()
        violation = False
        for item in comp.items:
            if item.warning is not None:
                if item.condition(ctx) is True:
                    findings.append(item.warning[english]())
                continue
            # The rule's outcome, inlined (this loop is the engine's hot path).
            status: Status
            unknown = _NONE
            a = True if item.applies is None else item.applies(ctx)
            if type(a) is Missing:
                status, outcome, unknown = "missing", "missing", a.fields
            elif not a:
                status, outcome = "ok", "not_applicable"
            else:
                c = item.condition(ctx)
                if type(c) is Missing:
                    status, outcome, unknown = "missing", "missing", c.fields
                elif c:
                    status = outcome = "ok"
                else:
                    status = outcome = "violation"
                    violation = True
            if unknown:
                missing |= unknown
            if outcome == "ok":
                message = item.ok(ctx)  # type: ignore[misc]
            elif outcome == "violation":
                message = item.violation(ctx)  # type: ignore[misc]
            else:
                message = _message(item, outcome, unknown, ctx, False)
            findings.append(
                Finding(  # positional: the hot loop (rule, status, message, sources, title, trace…)
                    item.name,
                    status,
                    message,
                    item.sources,
                    item.title,
                    item.uses,
                    _message(item, outcome, unknown, ctx, True) if english else None,
                    item.title_en if english else None,
                )
            )
        decision = "ineligible" if violation else "incomplete" if missing else "eligible"
        return Result.model_construct(
            regime=regime,
            decision=decision,
            limits=self._limits(comp, ctx),
            findings=findings,
            missing=sorted(missing, key=_order),
            funding=self._funding(comp, ctx, params, law_date),
            deadlines=[
                Deadline(what=label, date=_date(ev(ctx)), sources=src)
                for label, ev, src in comp.deadlines
            ],
            law_date=law_date,
            rulepack_version=self.pack.version,
            trace={
                "inputs": {k: v if type(v) in _AS_IS else _plain(v) for k, v in inputs.items()},
                "parameters": self._param_trace(comp, law_date, params),
            }
            if trace
            else None,
        )

    @staticmethod
    def _limits(comp: CompiledRegime, ctx: Context) -> Limits:
        values = {k: _number(ev(ctx)) for k, ev in comp.limits.items()}
        return Limits(
            duration_months_max=values.get("duration_months_max"),
            training_hours_min=values.get("training_hours_min"),
            training_hours_max=values.get("training_hours_max"),
            duration_months_min=values.get("duration_months_min"),
            duration_months=_rounded(comp.duration(ctx)),
            total_hours=_rounded(comp.total_hours(ctx)),
        )

    def _funding(
        self, comp: CompiledRegime, ctx: Context, params: dict[str, Any], law_date: dt.date
    ) -> Funding:
        rate = params["funding.hourly_rate_eur"]
        pay = comp.pay_maintained(ctx)
        return Funding(
            teaching_costs_eur=_number(comp.teaching_costs(ctx)),
            hourly_rate_eur=_number(rate),
            rate_source=self._rate_source(law_date, params),
            pay_maintained=None if type(pay) is Missing else bool(pay),
            pay_source=comp.pay_source,
            notes=[text for when, text in comp.notes if when(ctx) is True],
        )

    def _rate_source(self, day: dt.date, params: dict[str, Any]) -> str:
        cached = self._rate_sources.get(id(params))
        if cached is None:
            cached = self._rate_sources[id(params)] = self._describe_rate(day)
        return cached

    def _describe_rate(self, day: dt.date) -> str:
        value = self.pack.parameters["funding.hourly_rate_eur"].value_at(day)
        if value is None:
            return ""
        labels = [self.pack.sources[c.ref].label for c in value.sources]
        notes = [c.note for c in value.sources if c.note]
        return french.typography(" ; ".join(labels) + (" — " + " ".join(notes) if notes else ""))

    def _param_trace(
        self, comp: CompiledRegime, day: dt.date, params: dict[str, Any]
    ) -> dict[str, dict[str, Any]]:
        """The parameters the regime's rules read, with value, date and sources (cached per
        period, the values only change at an effect date; shared by the period's results, so
        read-only)."""
        key = (comp.law.regime, id(params))
        cached = self._param_traces.get(key)
        if cached is None:
            cached = {}
            for name in comp.params:
                v = self.pack.parameters[name].value_at(day)
                cached[name] = {
                    "value": _plain(params[name]),
                    "since": v.start.isoformat() if v else None,
                    "sources": [self.pack.sources[c.ref].label for c in v.sources] if v else [],
                }
            self._param_traces[key] = cached
        return cached

    def _no_date(self) -> Result:
        return Result.model_construct(
            regime=None,
            decision="incomplete",
            limits=Limits(),
            findings=[
                Finding(
                    rule="regime",
                    status="missing",
                    message=_ask(frozenset({"agreement_date"})),
                    sources=tuple(self.pack.labels(("loi-2025-989",))),
                    title="Dispositif applicable",
                    trace=None,
                )
            ],
            missing=["agreement_date"],
            funding=Funding(),
            deadlines=[],
            law_date=None,
            rulepack_version=self.pack.version,
        )


_NONE: frozenset[str] = frozenset()


def _message(
    item: CompiledItem, outcome: str, unknown: frozenset[str], ctx: Context, english: bool
) -> str:
    if outcome == "missing":
        return _ask(unknown, english)
    if outcome == "not_applicable":
        return item.not_applicable_en if english else item.not_applicable
    template = (
        (item.ok_en if english else item.ok)
        if outcome == "ok"
        else (item.violation_en if english else item.violation)
    )
    assert template is not None
    return template(ctx)


def _ask(fields: frozenset[str], english: bool = False) -> str:
    ordered = sorted(fields, key=_order)
    if english:
        return "To complete: " + " ".join(
            BY_PATH[f].question_en if f in BY_PATH else f for f in ordered
        )
    questions = [BY_PATH[f].question if f in BY_PATH else f for f in ordered]
    return french.typography("À compléter : " + " ".join(questions))


def _rounded(value: Any) -> float | None:
    number = _number(value)
    return None if number is None else round(number, 2)


def _date(value: Any) -> dt.date | None:
    return value if isinstance(value, dt.date) else None
