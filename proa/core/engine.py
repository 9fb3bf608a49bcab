"""The engine: a case and a rule pack in, the contract's result out.

Pure and deterministic: no I/O, no clock, no global state beyond per-pack compiled
closures. The regime is the one whose period holds the case's `agreement_date` (`RegimeTable`);
`at` (by default the agreement date) only picks the parameters in force. Rules, notices,
limits, funding and deadlines come from that regime's `RegimeLaw`, its overrides lowered
(`proa.core.lower`) as in the table engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import astuple, dataclass, replace
from fractions import Fraction
from functools import partial
from typing import Any, Literal

from proa.core import french
from proa.core.catalogue import Text, text
from proa.core.codegen import compile_expr, constant
from proa.core.expr import (
    Context,
    Evaluator,
    Expr,
    Missing,
    Var,
    fields_of,
    if_,
    params_of,
)
from proa.core.inputs import BY_PATH, ORDER
from proa.core.lower import Lowering, chain, lower
from proa.core.model import (
    Case,
    CaseError,
    Deadline,
    Decision,
    Finding,
    Funding,
    Limits,
    LimitTrace,
    OverrideTrace,
    Paper,
    Result,
    Status,
    parse_case,
)
from proa.core.remedies import CompiledRemedy, Pending, compile_remedies, remedies
from proa.core.rules import (
    PLACEHOLDER,
    Notice,
    Pack,
    RegimeLaw,
    RegimeTable,
    Rule,
    Variable,
    funding_amounts,
)

Template = Callable[[Context], str]
Layer = Literal["agreement", "code"]


def compile_template(
    text: str, law: RegimeLaw, pack: Pack, params: dict[str, Any], english: bool = False
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
    if not parts:
        return lambda ctx: tail

    def render(ctx: Context) -> str:
        out = ""
        for before, getter, spec in parts:
            v = getter(ctx)
            out += before + (unknown if type(v) is Missing else fmt(v, spec))
        return out + tail

    return render


_NO_CASE = Context({}, {})


def constant_text(
    text: str, law: RegimeLaw, pack: Pack, params: dict[str, Any], english: bool = False
) -> str:
    """A text whose placeholders are parameters only (notices, notes, labels), formatted
    once for the period."""
    return compile_template(text, law, pack, params, english)(_NO_CASE)


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
    # What would satisfy the rule when it is violated.
    remedies: tuple[CompiledRemedy, ...] = ()


class CompiledRegime:
    """A regime's law compiled for one parameter period: generated rule functions (parameters
    folded in), message templates, source labels."""

    def __init__(self, declared: RegimeLaw, pack: Pack, params: dict[str, Any]) -> None:
        law = lower(declared)
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
                    message=constant_text(d.message, law, pack, params),
                    sources=sources,
                    title=d.title,
                )
                self.items.append(
                    CompiledItem(
                        name=item.name,
                        title=d.title,
                        condition=compile_expr(item.when, params),
                        sources=sources,
                        warning=_bilingual(
                            warning,
                            constant_text(en.message, law, pack, params, english=True),
                            en.title,
                        ),
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
                        remedies=compile_remedies(item.remedies, params),
                    )
                )
        declared_vars = {v.name: v for v in declared.variables}
        self.limits = [
            (name, compile_expr(_limit(declared_vars[name]), params)) for name in law.limits
        ]
        self.limit_traces = [
            _LimitSpec(declared_vars[name], declared, law, pack, params) for name in law.limits
        ]
        funding = law.funding
        self.teaching_costs = compile_expr(funding.teaching_costs, params)
        self.rate = compile_expr(funding.rate, params)
        self.rate_declared = compile_expr(funding.rate_declared, params)
        self.pay_maintained = compile_expr(funding.pay_maintained, params)
        self.cpf_max = compile_expr(funding.cpf_max, params) if funding.cpf_max else None
        self.amounts = [
            (name, compile_expr(expr, params)) for name, expr in funding_amounts(funding)
        ]
        self.notes = [
            (
                compile_expr(n.when, params),
                constant_text(n.text, law, pack, params),
                constant_text(n.text_en, law, pack, params, english=True),
            )
            for n in funding.notes
        ]
        self.deadlines = [
            (
                constant_text(d.label, law, pack, params),
                compile_expr(d.date, params),
                pack.labels(d.sources),
                d.only_when_known,
                d.met_by,
                constant_text(d.label_en, law, pack, params, english=True) if d.label_en else None,
            )
            for d in law.deadlines
        ]
        self.papers = [
            (
                compile_expr(p.when, params),
                Paper(
                    french.typography(p.label),
                    pack.labels(p.sources),
                    p.document,
                    " ".join(p.label_en.split()) or None,
                ),
            )
            for p in law.papers
        ]
        self.pay_source = ", ".join(pack.labels(funding.pay_sources))
        self.params = sorted({p for item in self.items for p in item.params})
        selection = Finding(
            rule="regime",
            status="ok",
            message=constant_text(law.selection, law, pack, params),
            sources=tuple(pack.labels(law.selection_sources)),
            title="Dispositif applicable",
        )
        self.selection = _bilingual(
            selection,
            constant_text(pack.english.regime[law.regime], law, pack, params, english=True),
            "Applicable scheme",
        )


class _LimitSpec:
    """How a limit's trace is built for a case: its label and articles, its computation, and
    the overrides of its own formula, each with whether it applies (None: not answered)."""

    def __init__(
        self,
        variable: Variable,
        declared: RegimeLaw,
        law: RegimeLaw,
        pack: Pack,
        params: dict[str, Any],
    ) -> None:
        self.label = constant_text(variable.label, law, pack, params)
        self.unit = variable.unit
        self.sources = pack.labels(variable.sources)
        self.computation = compile_template(
            variable.computation or variable.label, law, pack, params
        )
        low = Lowering({v.name: v.expr for v in declared.variables})
        # The chain of overrides through `base`, outermost (the one that prevails) first.
        self.chain: list[tuple[Evaluator, Template, list[str], Layer]] = []
        self.struck: list[tuple[str, list[str]]] = []
        for node in chain(variable.expr)[0]:
            self.chain.append(
                (
                    compile_expr(low.value(node.when), params),
                    compile_template(node.text, law, pack, params),
                    pack.labels(node.sources),
                    node.layer,
                )
            )
            for x in node.struck:
                d = pack.defects[x.notice]
                self.struck.append((french.typography(d.title), pack.labels(d.sources)))

    def trace(self, value: float | None, ctx: Context) -> LimitTrace:
        computation = self.computation
        sources = list(self.sources)
        overrides: list[OverrideTrace] = []
        found = False
        for when, says, refs, layer in self.chain:
            holds = when(ctx)
            applies = None if type(holds) is Missing else holds is True
            if applies and not found:
                found = True
                computation = says
                sources += refs
            overrides.append(OverrideTrace(layer, says(ctx), refs, applies))
        overrides.reverse()  # as the law reads: the clause first, then the Code prevailing
        overrides += [OverrideTrace("struck", title, refs, False) for title, refs in self.struck]
        return LimitTrace(value, self.label, self.unit, computation(ctx), sources, overrides)


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


def _number(value: Any) -> float | None:
    t = type(value)
    if t is Fraction:  # int true division is correctly rounded, and skips numbers.Rational
        return value.numerator / value.denominator  # type: ignore[no-any-return]
    return None if t is Missing or value is None else float(value)


class Engine:
    """Evaluates cases against one rule pack."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.regimes = RegimeTable(pack)
        # Compiled once per regime and parameter period (a handful), then reused.
        self._compiled: dict[tuple[str, int], CompiledRegime] = {}
        self._param_traces: dict[tuple[str, int], dict[str, dict[str, Any]]] = {}
        self._rate_sources: dict[tuple[str, int], tuple[str, str]] = {}
        # Without a date, the texts that choose between the regimes: those all of them cite.
        laws = list(pack.regimes.values())
        self._selection_sources = tuple(
            pack.labels(
                [
                    r
                    for r in laws[0].selection_sources
                    if all(r in x.selection_sources for x in laws)
                ]
            )
        )

    def evaluate(
        self,
        case: Case | dict[str, Any] | str,
        at: dt.date | None = None,
        trace: bool = True,
        english: bool = False,
    ) -> Result:
        """Evaluate a case under its regime — the one that governs its `agreement_date`,
        whatever the date of evaluation — with the parameters in force at `at` (default: the
        agreement date).

        With `english`, each finding also carries `message_en` and `title_en`."""
        case = parse_case(case)
        if case.agreement_date is None:
            return self._no_date()
        declared = self.regimes.at(case.agreement_date)
        if declared is None:
            raise CaseError.of(
                "agreement_date",
                text("case.agreement_outside_regimes", day=_day(case.agreement_date)),
            )
        law_date = at or case.agreement_date
        if law_date < self.regimes.start(declared):
            raise law_before_regime(law_date, declared, self.regimes.start(declared))
        inputs = case.inputs()
        params = self.pack.parameters.snapshot(law_date)
        regime = declared.regime
        decision: Decision
        comp = self._compiled.get((regime, id(params)))
        if comp is None:
            comp = CompiledRegime(declared, self.pack, params)
            self._compiled[(regime, id(params))] = comp
        ctx = Context(inputs, comp.variables)
        findings = [comp.selection[english]()]
        missing: set[str] = set()
        violation = False
        pending: list[Pending] = []  # the rules not satisfied: their remedies come after
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
            if status != "ok":
                pending.append((item.name, item.remedies, outcome, unknown))
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
        limits = {name: _rounded(ev(ctx)) for name, ev in comp.limits}
        result = Result.model_construct(
            regime=regime,
            decision=decision,
            limits=Limits(**limits),
            findings=findings,
            missing=sorted(missing, key=_order),
            funding=self._funding(comp, ctx, params, law_date, english),
            deadlines=[
                Deadline(label, day, src, met_by, label_en if english else None)
                for label, ev, src, optional, met_by, label_en in comp.deadlines
                if (day := _date(ev(ctx))) is not None or not optional
            ],
            remedies=remedies(pending, ctx, english) if pending else [],
            papers=[
                replace(paper) if english else replace(paper, what_en=None)
                for when, paper in comp.papers
                if when(ctx) is not False
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
        if trace:
            result._limits_trace = partial(_limits_trace, comp, limits, ctx)
        return result

    def _funding(
        self,
        comp: CompiledRegime,
        ctx: Context,
        params: dict[str, Any],
        law_date: dt.date,
        english: bool,
    ) -> Funding:
        rate = comp.law.funding.hourly_rate
        pay = comp.pay_maintained(ctx)
        applied = _number(comp.rate(ctx))
        declared = applied is not None and comp.rate_declared(ctx) is True
        notes = [(fr, en) for when, fr, en in comp.notes if when(ctx) is True]
        source, source_en = (
            (BRANCH_RATE_SOURCE, BRANCH_RATE_SOURCE_EN)
            if declared
            else self._rate_source(rate, law_date, params)
        )
        return Funding(
            teaching_costs_eur=_number(comp.teaching_costs(ctx)),
            hourly_rate_eur=applied,
            rate_source=source,
            rate_source_en=source_en if english else None,
            pay_maintained=None if type(pay) is Missing else bool(pay),
            pay_source=comp.pay_source,
            notes=[fr for fr, _ in notes],
            notes_en=[en for _, en in notes] if english else None,
            cpf_max_eur=_number(comp.cpf_max(ctx)) if comp.cpf_max else None,
            **{name: _number(value(ctx)) for name, value in comp.amounts},
        )

    def _rate_source(self, name: str, day: dt.date, params: dict[str, Any]) -> tuple[str, str]:
        cached = self._rate_sources.get((name, id(params)))
        if cached is None:
            cached = self._rate_sources[(name, id(params))] = self._describe(name, day)
        return cached

    def _describe(self, name: str, day: dt.date) -> tuple[str, str]:
        """A parameter's sources at `day` and their notes, in French then English (the
        sources' labels stay French: they name French texts)."""
        value = self.pack.parameters[name].value_at(day)
        if value is None:
            return "", ""
        labels = self.pack.labels([c.ref for c in value.sources])
        notes = [c.note for c in value.sources if c.note]
        notes_en = [c.note_en for c in value.sources if c.note]
        return (
            french.typography(" ; ".join(labels) + (" — " + " ".join(notes) if notes else "")),
            "; ".join(labels) + (" — " + " ".join(notes_en) if notes_en else ""),
        )

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
                    "sources": self.pack.labels([c.ref for c in v.sources]) if v else [],
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
                    sources=self._selection_sources,
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


def _limits_trace(
    comp: CompiledRegime, limits: dict[str, float | None], ctx: Context
) -> dict[str, LimitTrace]:
    return {
        name: spec.trace(limits[name], ctx)
        for (name, _), spec in zip(comp.limits, comp.limit_traces, strict=True)
    }


def law_before_regime(day: dt.date, law: RegimeLaw, start: dt.date) -> CaseError:
    """`at` before the case's regime exists: its rules and parameters have no value then."""
    return CaseError.of(
        "at", text("case.law_before_regime", day=_day(day), regime=law.title, start=_day(start))
    )


def _day(day: dt.date) -> Text:
    return Text(french.date(day), french.fmt_en(day, ""))


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


# What the case itself declares as its rate (docs/contract.md, `branch_hourly_rate_eur`).
BRANCH_RATE_SOURCE = (
    "Forfait horaire déclaré pour le dossier (fixé par la branche ou publié par l'OPCO), au "
    "lieu du forfait par défaut."
)
BRANCH_RATE_SOURCE_EN = (
    "Hourly flat rate declared for the case (set by the branch or published by the OPCO), "
    "instead of the default rate."
)


def _limit(variable: Variable) -> Expr:
    """A limit of the result: its variable, null outside the cases it bounds."""
    value = Var(variable.name)
    return value if variable.bounds is None else if_(variable.bounds, value, None)


def _rounded(value: Any) -> float | None:
    number = _number(value)
    return None if number is None else round(number, 2)


def _date(value: Any) -> dt.date | None:
    return value if isinstance(value, dt.date) else None
