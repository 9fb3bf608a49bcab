"""A page per rule, notice and parameter (STYLE.md §9), built from the rules' own data.

The CLI (`proa explain`), the REST API and the web app all show these pages; a lawyer
reads the condition in words, the parameters with their history and the quoted sources.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from proa.core.expr import Const, Expr, Field, Op, Param, Var, params_of
from proa.core.inputs import BY_PATH
from proa.core.rules import Rule
from proa.law import RulePack, default_pack


class SourceRef(BaseModel):
    ref: str
    label: str
    official_id: str = ""
    url: str = ""
    quote: str = ""
    note: str = ""


class ValuePeriod(BaseModel):
    start: str
    value: Any
    sources: list[SourceRef]
    note: str = ""


class ParameterPage(BaseModel):
    name: str
    description: str
    unit: str
    layer: str
    overrides: str | None
    excluded_by: str | None
    last_checked: str
    history: list[ValuePeriod]


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


def describe(node: Expr, pack: RulePack, variables: dict[str, Expr]) -> str:
    """An expression in words, for a lawyer."""
    if isinstance(node, Field):
        spec = BY_PATH.get(node.path)
        return f"[{spec.term}]" if spec else node.path
    if isinstance(node, Param):
        return f"« {pack.parameters[node.name].description} »"
    if isinstance(node, Var):
        return f"‹{node.name}›"
    if isinstance(node, Const):
        v = node.value
        if isinstance(v, frozenset):
            return "{" + ", ".join(sorted(map(str, v))) + "}"
        return "oui" if v is True else "non" if v is False else str(v)
    assert isinstance(node, Op)
    args = [describe(a, pack, variables) for a in node.args]
    if node.op == "and":
        return "(" + " et ".join(args) + ")"
    if node.op == "or":
        return "(" + " ou ".join(args) + ")"
    if node.op == "not":
        return f"non {args[0]}"
    if node.op == "any_true":
        return f"(l'une des réponses de {args[0]} est oui)"
    if node.op == "is_null":
        return f"{args[0]} est vide"
    if node.op == "if":
        return f"(si {args[0]} alors {args[1]} sinon {args[2]})"
    if node.op in _OPS:
        return f"{args[0]} {_OPS[node.op]} {args[1]}"
    return f"{node.op}(" + ", ".join(args) + ")"


def source_ref(pack: RulePack, ref: str, quote: str = "", note: str = "") -> SourceRef:
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
    )


def parameter_page(name: str, pack: RulePack | None = None) -> ParameterPage:
    pack = pack or default_pack()
    p = pack.parameters[name]
    return ParameterPage(
        name=p.name,
        description=p.description,
        unit=p.unit,
        layer=p.layer,
        overrides=p.overrides,
        excluded_by=p.excluded_by,
        last_checked=p.last_checked.isoformat(),
        history=[
            ValuePeriod(
                start=v.start.isoformat(),
                value=jsonable(v.value),
                note=v.note,
                sources=[source_ref(pack, c.ref, c.quote, c.note) for c in v.sources],
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


def names(pack: RulePack | None = None) -> list[str]:
    pack = pack or default_pack()
    out: list[str] = []
    for law in pack.regimes.values():
        out += [item.name for item in law.rules if item.name not in out]
    return out


def explain(name: str, pack: RulePack | None = None) -> RulePage:
    """The page of a rule, a notice (exclusion, defect, reading) or a parameter."""
    pack = pack or default_pack()
    if name in pack.parameters.parameters:
        pp = parameter_page(name, pack)
        return RulePage(
            name=name, kind="parameter", title=pp.description, regimes=[], parameters=[pp]
        )
    regimes = [
        law.regime for law in pack.regimes.values() if any(item.name == name for item in law.rules)
    ]
    if name in pack.defects and not any(
        isinstance(i, Rule) and i.name == name for law in pack.regimes.values() for i in law.rules
    ):
        d = pack.defects[name]
        return RulePage(
            name=name,
            kind=d.kind,
            title=d.title,
            regimes=regimes,
            message=d.message,
            quote=d.quote,
            sources=[source_ref(pack, r) for r in d.sources],
        )
    for law in pack.regimes.values():
        variables = {v.name: v.expr for v in law.variables}
        for item in law.rules:
            if isinstance(item, Rule) and item.name == name:
                used = params_of(item.condition, variables)
                if item.applies is not None:
                    used |= params_of(item.applies, variables)
                return RulePage(
                    name=name,
                    kind="rule",
                    title=item.title,
                    regimes=regimes,
                    condition=describe(item.condition, pack, variables),
                    applies=describe(item.applies, pack, variables) if item.applies else "",
                    ok=item.ok,
                    violation=item.violation,
                    sources=[source_ref(pack, r) for r in item.sources],
                    parameters=[
                        parameter_page(p, pack)
                        for p in sorted(used)
                        if not p.startswith("catalogue.")
                    ],
                )
    raise KeyError(name)
