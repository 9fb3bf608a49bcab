"""A page per rule, notice and parameter (STYLE.md §9), built from the rules' own data.

The CLI (`proa explain`), the REST API and the web app all show these pages; a lawyer
reads the condition in words, the parameters with their history and the quoted sources.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from proa.core import french
from proa.core.expr import Const, Expr, Field, Op, Override, Param, Var, params_of
from proa.core.inputs import BY_PATH
from proa.core.lower import chain, lower, overrides_in
from proa.core.rules import RegimeLaw, Rule, Variable
from proa.law import RulePack, default_pack

if TYPE_CHECKING:
    from proa.presentation import Lang


class SourceRef(BaseModel):
    ref: str
    label: str
    official_id: str = ""
    url: str = ""
    quote: str = ""
    note: str = ""
    note_en: str = ""  # English second (the web app's English pages)


class ValuePeriod(BaseModel):
    start: str
    value: Any
    sources: list[SourceRef]
    note: str = ""
    note_en: str = ""


class ParameterPage(BaseModel):
    name: str
    description: str
    unit: str
    layer: str
    overrides: str | None
    excluded_by: str | None
    last_checked: str
    history: list[ValuePeriod]


class ClausePage(BaseModel):
    """One clause of an overridden value: the general rule, a clause that replaces it
    (`agreement`), the Code prevailing over a clause (`code`), or a clause the extension order
    struck (`struck`, never applied)."""

    layer: Literal["general", "agreement", "code", "struck"]
    text: str
    when: str = ""
    sources: list[SourceRef]
    notice: str | None = None


class OverridePage(BaseModel):
    """A value the rules read and the clauses that make it, with their articles: "the Code
    says X; avenant 81 art. N replaces it with Y when Z; the extension order struck W"."""

    variable: str
    label: str
    clauses: list[ClausePage]
    summary: str


class RulePage(BaseModel):
    name: str
    kind: str  # rule | exclusion | defect | reading | parameter
    title: str
    regimes: list[str]
    condition: str = ""
    applies: str = ""
    ok: str = ""
    violation: str = ""
    message: str = ""
    quote: str = ""
    sources: list[SourceRef] = []
    parameters: list[ParameterPage] = []
    overrides: list[OverridePage] = []


_OPS = {
    "<": "<",
    "<=": "≤",
    ">": ">",
    ">=": "≥",
    "==": "=",
    "!=": "≠",
    "+": "+",
    "-": "−",
    "*": "×",
    "/": "÷",
    "in": "∈",
}


# The connectives of a condition in words, by language (symbols stay: ≥ ≤ ∈).
_WORDS = {
    "fr": {
        "if": "si", "then": "alors", "else": "sinon", "and": " et ", "or": " ou ",
        "not": "non", "yes": "oui", "no": "non", "any_true": "l'une des réponses de {} est oui",
        "is_null": "{} est vide", "established": "{} (une fois répondu)",
    },
    "en": {
        "if": "if", "then": "then", "else": "otherwise", "and": " and ", "or": " or ",
        "not": "not", "yes": "yes", "no": "no", "any_true": "one of the answers of {} is yes",
        "is_null": "{} is empty", "established": "{} (once answered)",
    },
}  # fmt: skip


def describe(
    node: Expr, pack: RulePack, variables: dict[str, Expr], lang: Lang = "fr", regime: str = ""
) -> str:
    """An expression in words, for a lawyer, in French or English (`lang`), its computed
    values named as `regime` names them."""
    w = _WORDS[lang]
    if isinstance(node, Field):
        spec = BY_PATH.get(node.path)
        return f"[{spec.term_en if lang == 'en' else spec.term}]" if spec else node.path
    if isinstance(node, Param):
        if lang == "en":
            return f"“{pack.english.parameters[node.name]}”"
        return f"« {pack.parameters[node.name].description} »"
    if isinstance(node, Var):  # its label, as the rule's messages show it
        from proa.presentation import variable_labels  # imported late: it imports this module

        return f"‹{variable_labels(pack, lang, regime).get(node.name, node.name)}›"
    if isinstance(node, Override):
        by, when, base = (
            describe(n, pack, variables, lang, regime) for n in (node.by, node.when, node.base)
        )
        return f"({by} {w['if']} {when}, {w['else']} {base})"
    if isinstance(node, Const):
        v = node.value
        if isinstance(v, frozenset):  # allowed values as a person reads them
            from proa.presentation import value

            return "{" + value(sorted(v), lang=lang) + "}"
        return w["yes"] if v is True else w["no"] if v is False else str(v)
    assert isinstance(node, Op)
    args = [describe(a, pack, variables, lang, regime) for a in node.args]
    if node.op in ("and", "or"):
        return "(" + w[node.op].join(args) + ")"
    if node.op == "not":
        return f"{w['not']} {args[0]}"
    if node.op == "any_true":
        return "(" + w["any_true"].format(args[0]) + ")"
    if node.op in ("is_null", "established"):  # an exception applies once answered
        return w[node.op].format(args[0])
    if node.op == "if":
        return f"({w['if']} {args[0]} {w['then']} {args[1]} {w['else']} {args[2]})"
    if node.op in _OPS:
        return f"{args[0]} {_OPS[node.op]} {args[1]}"
    return f"{node.op}(" + ", ".join(args) + ")"


def source_ref(
    pack: RulePack, ref: str, quote: str = "", note: str = "", note_en: str = ""
) -> SourceRef:
    """A source as pages show it, with the official id and link of the text it belongs to."""
    s = pack.source(ref)
    parent = pack.sources.get(s.parent) if s.parent else None
    return SourceRef(
        ref=ref,
        label=s.label,
        official_id=s.id or (parent.id if parent else ""),
        url=s.url or (parent.url if parent else ""),
        quote=quote,
        note=note,
        note_en=note_en,
    )


def parameter_page(name: str, pack: RulePack | None = None) -> ParameterPage:
    pack = pack or default_pack()
    p = pack.parameters[name]
    return ParameterPage(
        name=p.name,
        description=p.description,
        unit=p.unit,
        layer=p.layer,
        overrides=pack.overrides.get(name),
        excluded_by=pack.excluded_by.get(name),
        last_checked=p.last_checked.isoformat(),
        history=[
            ValuePeriod(
                start=v.start.isoformat(),
                value=jsonable(v.value),
                note=v.note,
                note_en=v.note_en,
                sources=[source_ref(pack, c.ref, c.quote, c.note, c.note_en) for c in v.sources],
            )
            for v in p.values
        ],
    )


def jsonable(value: Any) -> Any:
    """A parameter value as JSON holds it (dates as ISO text)."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


_SPEC = {
    "month": "months",
    "hour": "h",
    "percent": "pct",
    "eur_per_hour": "eur",
    "year": "years",
    "count": "int",
    "day": "int",
}


class _Words:
    """The values of one regime in words, with the parameters in force on a day (templates
    read as on a rule's page: `proa.presentation.rule_message`), in French or English."""

    def __init__(self, pack: RulePack, law: RegimeLaw, day: dt.date, lang: Lang = "fr") -> None:
        self.pack = pack
        self.params = pack.parameters.snapshot(day)
        self.day = day
        self.lang = lang
        self.regime = law.regime
        self.variables = {v.name: v.expr for v in law.variables}

    def template(self, text: str) -> str:
        from proa.presentation import rule_message  # it shows these pages: imported late

        shown = rule_message(text, self.pack, self.day, self.lang, self.regime)
        return shown if self.lang == "en" else french.typography(shown)

    def value(self, node: Expr) -> str:
        if isinstance(node, Param):
            p = self.pack.parameters[node.name]
            fmt = french.fmt_en if self.lang == "en" else french.fmt
            return fmt(self.params[node.name], _SPEC.get(p.unit, ""))
        if isinstance(node, Var):
            return self.template(f"{{{node.name}}}")
        return describe(node, self.pack, self.variables, self.lang, self.regime)

    def sources_of(self, node: Expr, besides: Expr) -> list[SourceRef]:
        """The articles, as in force on the day, of the values `node` reads and `besides`
        does not (what both read is shared computation, not the rule)."""
        out: dict[str, SourceRef] = {}
        for name in sorted(params_of(node, self.variables) - params_of(besides, self.variables)):
            v = self.pack.parameters[name].value_at(self.day)
            for c in v.sources if v else ():
                out.setdefault(c.ref, source_ref(self.pack, c.ref))
        return list(out.values())


def override_page(
    variable: Variable, law: RegimeLaw, pack: RulePack, day: dt.date, lang: Lang = "fr"
) -> OverridePage:
    """A variable made of overrides, clause by clause, as the law reads (`lang`: French or
    English words; the articles' names stay French)."""
    w = _Words(pack, law, day, lang)
    en = lang == "en"
    stack, general = chain(variable.expr)
    clauses = [
        ClausePage(
            layer="general", text=w.value(general), sources=w.sources_of(general, stack[-1].by)
        )
    ]
    for o in reversed(stack):
        clauses.append(
            ClausePage(
                layer=o.layer,
                text=w.template(o.text_en if en else o.text),
                when=w.value(o.when),
                sources=[source_ref(pack, r) for r in o.sources],
                notice=o.notice,
            )
        )
        for x in o.struck:
            v = pack.parameters[x.param].values[-1]
            quote = next((c.quote for c in v.sources if c.quote), "")
            clauses.append(
                ClausePage(
                    layer="struck",
                    text=quote,
                    sources=[source_ref(pack, r) for r in pack.defects[x.notice].sources],
                    notice=x.notice,
                )
            )
    return OverridePage(
        variable=variable.name,
        label=w.template(variable.label_en if en else variable.label),
        clauses=clauses,
        summary=" ".join(_sentence(c, lang) for c in clauses),
    )


_SENTENCES = {
    "fr": {
        "general": "Règle générale ({refs}) : {text}.",
        "agreement": "Remplacée ({refs}) par {text}, lorsque {when}.",
        "code": "Le Code prévaut ({refs}) : {text}, lorsque {when}.",
        "struck": "Exclu de l'extension ({refs}) : « {text} » ({notice}).",
    },
    "en": {
        "general": "General rule ({refs}): {text}.",
        "agreement": "Replaced ({refs}) by {text}, when {when}.",
        "code": "The Code prevails ({refs}): {text}, when {when}.",
        "struck": "Excluded from the extension ({refs}): “{text}” ({notice}).",
    },
}


def _sentence(c: ClausePage, lang: Lang = "fr") -> str:
    refs = ("; " if lang == "en" else " ; ").join(s.label for s in c.sources)
    said = _SENTENCES[lang][c.layer].format(refs=refs, text=c.text, when=c.when, notice=c.notice)
    return said if lang == "en" else french.typography(said)


def _overrides(
    law: RegimeLaw, nodes: list[Expr], pack: RulePack, day: dt.date, lang: Lang = "fr"
) -> list[OverridePage]:
    """The overridden variables `nodes` read (through variables), in declaration order."""
    variables = {v.name: v for v in law.variables}
    read: set[str] = set()

    def walk(n: Expr) -> None:
        if isinstance(n, Var) and n.name not in read:
            read.add(n.name)
            walk(variables[n.name].expr)
        elif isinstance(n, Override):
            for child in (n.base, n.by, n.when):
                walk(child)
        elif isinstance(n, Op):
            for a in n.args:
                walk(a)

    for n in nodes:
        walk(n)
    return [
        override_page(v, law, pack, day, lang)
        for v in law.variables
        if v.name in read and isinstance(v.expr, Override)
    ]


def _listing(law: RegimeLaw, notice: str) -> Variable | None:
    """The variable whose overrides carry `notice` (a struck clause or a reading)."""
    for v in law.variables:
        for o in overrides_in(v.expr):
            if o.notice == notice or any(x.notice == notice for x in o.struck):
                return v
    return None


def names(pack: RulePack | None = None) -> list[str]:
    pack = pack or default_pack()
    out: list[str] = []
    for law in pack.regimes.values():
        out += [item.name for item in lower(law).rules if item.name not in out]
    return out


def explain(
    name: str, pack: RulePack | None = None, at: dt.date | None = None, lang: Lang = "fr"
) -> RulePage:
    """The page of a rule, a notice (exclusion, defect, reading) or a parameter, with the
    parameters in force at `at` (default: today) where it says a value. In English
    (`lang="en"`) the condition, applicability and overrides are in English words; titles
    and messages stay the French ones (the pack's English: `messages.en.yaml`)."""
    pack = pack or default_pack()
    day = at or dt.date.today()
    if name in pack.parameters.parameters:
        pp = parameter_page(name, pack)
        return RulePage(
            name=name, kind="parameter", title=pp.description, regimes=[], parameters=[pp]
        )
    regimes = [
        law.regime
        for law in pack.regimes.values()
        if any(item.name == name for item in lower(law).rules)
    ]
    if name in pack.defects and not any(
        isinstance(i, Rule) and i.name == name for law in pack.regimes.values() for i in law.rules
    ):
        d = pack.defects[name]
        law = next((law for law in pack.regimes.values() if law.regime in regimes), None)
        listing = _listing(law, name) if law else None
        return RulePage(
            name=name,
            kind=d.kind,
            title=d.title,
            regimes=regimes,
            message=d.message,
            quote=d.quote,
            sources=[source_ref(pack, r) for r in d.sources],
            overrides=[override_page(listing, law, pack, day, lang)] if law and listing else [],
        )
    for law in pack.regimes.values():
        variables = {v.name: v.expr for v in law.variables}
        for item in law.rules:
            if isinstance(item, Rule) and item.name == name:
                used = params_of(item.condition, variables)
                if item.applies is not None:
                    used |= params_of(item.applies, variables)
                nodes = [item.condition] + ([item.applies] if item.applies else [])
                return RulePage(
                    name=name,
                    kind="rule",
                    title=item.title,
                    regimes=regimes,
                    condition=describe(item.condition, pack, variables, lang, law.regime),
                    applies=describe(item.applies, pack, variables, lang, law.regime)
                    if item.applies
                    else "",
                    ok=item.ok,
                    violation=item.violation,
                    sources=[source_ref(pack, r) for r in item.sources],
                    parameters=[
                        parameter_page(p, pack)
                        for p in sorted(used)
                        if not p.startswith("catalogue.")
                    ],
                    overrides=_overrides(law, nodes, pack, day, lang),
                )
    raise KeyError(name)
