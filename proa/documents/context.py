"""What a document may say: the case's facts and the engine's traced result, formatted.

Documents never decide anything: the decision, limits, funding and deadlines come from
`proa.evaluate`. This module only formats them (French dates, euro amounts, hours) and
checks that the names a document needs are consistent with the case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from proa import presentation as show
from proa.core.catalogue import text
from proa.core.inputs import BY_PATH
from proa.core.model import Case, Parties, Result
from proa.law import Certification, RulePack

BLANK = "………………"
"""A visible line to fill by hand: a missing name is never invented."""

# Articles whose wording changed on 1 January 2026: a Pro-A document cites the old one.
OLD_WORDING_PREFIXES = ("C. trav., art. L6324-", "C. trav., art. D6324-")
OLD_WORDING = "rédaction antérieure au 1er janvier 2026"


def eur(value: float | Decimal | None) -> str:
    return show.euros(value, blank=BLANK)


def day(value: dt.date | None) -> str:
    return show.date(value, blank=BLANK)


def hours(value: float | Decimal | None) -> str:
    return show.hours(value, blank=BLANK + "\u00a0h")


def months(value: float | Decimal | None) -> str:
    return show.months(value, blank=BLANK)


def said(path: str, value: str | None) -> str:
    """An allowed value as the document says it (its declaration's phrase), or a blank."""
    return BLANK if value is None else BY_PATH[path].said(value)


@dataclass(frozen=True)
class Source:
    label: str
    official_id: str = ""
    url: str = ""


@dataclass(frozen=True)
class Target:
    """The certification (or socle, or VAE) the action leads to."""

    kind: str
    code: str
    title: str
    level: int | None
    certifier: str

    @property
    def phrase(self) -> str:
        """The object of the action, as the contract states it."""
        if self.kind == "socle":
            return (
                "l'acquisition du socle de connaissances et de compétences professionnelles "
                "(certification CléA) mentionné aux articles L6121-2 et L6323-6 du code du "
                "travail"
            )
        named = self.title + (f" ({self.code})" if self.code and self.code != self.title else "")
        level = (
            f", de niveau {self.level} du cadre national des certifications" if self.level else ""
        )
        if self.kind == "vae":
            return (
                f"la validation des acquis de l'expérience en vue de l'obtention de la "
                f"certification {named}{level}"
            )
        return f"l'obtention de la certification professionnelle {named}{level}"


@dataclass(frozen=True)
class Block:
    title: str
    hours: str


@dataclass
class Facts:
    """Everything a template reads, already formatted as French text."""

    kind: str
    title: str
    agreement_date: str
    regime: str
    mode: str | None
    mode_said: str
    result: Result
    parties: dict[str, str]
    target: Target
    start: str
    end: str
    duration: str
    duration_max: str
    training_hours: str
    training_hours_min: str
    training_hours_max: str
    total_hours: str
    hours_inside: str
    hours_outside: str
    outside_known: bool
    has_outside: bool
    blocks: list[Block]
    blocks_total: str
    contract: str
    tutor_named: bool
    tutor_role: str | None
    tutor_experience: str
    host_contract: str
    host_contract_months: str
    teaching_costs: str
    hourly_rate: str
    rate_source: str
    funding_notes: list[str]
    deadlines: list[tuple[str, str, str]]
    sources: list[Source]
    warnings: list[str]
    rulepack_version: str
    law_date: str
    generated_on: str
    draft: bool = False
    problems: list[str] = field(default_factory=list)
    problem_titles: list[str] = field(default_factory=list)


def target_of(case: Case, pack: RulePack) -> Target:
    t = case.target
    kind = (t.kind if t else None) or "certification"
    code = (t.code if t else None) or ""
    cert = _certification(code, pack)
    if kind == "socle":
        return Target("socle", code or "CléA", "CléA", None, "")
    if cert is None:
        return Target(kind, code, code or BLANK, None, "")
    level = next((r.level for r in cert.registrations if r.code == code), cert.level_rncp)
    return Target(kind, code, cert.title, level, cert.certifier)


def _certification(code: str, pack: RulePack) -> Certification | None:
    for cid, cert in pack.certifications.items():
        if code == cid or code in cert.aliases or any(r.code == code for r in cert.registrations):
            return cert
    return None


def consistency(case: Case) -> list[str]:
    """Facts a document states twice must agree (they are not rules of law)."""
    p = case.parties or Parties()
    out: list[str] = []
    total = case.training_hours
    if p.training_blocks and total is not None:
        blocks = sum((b.hours for b in p.training_blocks), Decimal(0))
        if blocks != total:
            out.append(text("document.blocks_total", blocks=hours(blocks), total=hours(total)).fr)
    return out


def problems(result: Result) -> list[tuple[str, str]]:
    """(short title, full French message) for each violation and each missing answer."""
    out = [
        (f.title or f.rule, f"{f.title or f.rule} : {f.message}")
        for f in result.findings
        if f.status == "violation"
    ]
    for path in result.missing:
        question = BY_PATH[path].question if path in BY_PATH else path
        out.append((f"réponse manquante « {path} »", f"À compléter : {question} (« {path} »)"))
    return out


def sources_of(result: Result, extra: tuple[str, ...], pack: RulePack) -> list[Source]:
    """The sources the evaluation relied on, then the document's own, each once, with the
    official identifier when the rule pack knows it."""
    by_label = {s.label: s for s in pack.sources.values()}
    labels: list[str] = []
    for f in result.findings:
        labels += [s for s in f.sources if s not in labels]
    for ref in extra:
        label = pack.source(ref).label
        if label not in labels:
            labels.append(label)
    out = []
    for label in labels:
        known = by_label.get(label)
        shown = label
        if result.regime == "pro-a" and label.startswith(OLD_WORDING_PREFIXES):
            shown = f"{label} ({OLD_WORDING})"
        out.append(Source(shown, known.id if known else "", known.url if known else ""))
    return out


def build(
    kind: str,
    title: str,
    case: Case,
    result: Result,
    pack: RulePack,
    extra_sources: tuple[str, ...],
    today: dt.date,
) -> Facts:
    p = case.parties or Parties()
    named = {k: v for k, v in p.model_dump().items() if isinstance(v, str)}
    parties = {k: named.get(k) or BLANK for k in Parties.model_fields if k != "training_blocks"}
    lim = result.limits
    total = case.training_hours
    # Hours outside working time are a rule input: none declared means all in working time
    # (L6321-6), as the rule `training.outside-working-time` reads it.
    declared = case.outside_working_time.hours if case.outside_working_time else None
    outside = declared if declared is not None else (Decimal(0) if total is not None else None)
    inside = total - outside if total is not None and outside is not None else None
    emp = case.employee
    rec = case.reconversion
    tutor = case.tutor
    blocks = [Block(b.title, hours(b.hours)) for b in p.training_blocks or []]
    fu = result.funding
    return Facts(
        kind=kind,
        title=title,
        agreement_date=day(case.agreement_date),
        regime=result.regime or "",
        mode=rec.mode if rec else None,
        mode_said=said("reconversion.mode", rec.mode if rec else None),
        result=result,
        parties=parties,
        target=target_of(case, pack),
        start=day(case.start_date),
        end=day(case.end_date),
        duration=months(lim.duration_months),
        duration_max=months(lim.duration_months_max),
        training_hours=hours(total),
        training_hours_min=hours(lim.training_hours_min),
        training_hours_max=hours(lim.training_hours_max),
        total_hours=hours(lim.total_hours),
        hours_inside=hours(inside),
        hours_outside=hours(outside),
        outside_known=outside is not None,
        has_outside=outside is None or outside > 0,
        blocks=blocks,
        blocks_total=hours(
            sum((b.hours for b in p.training_blocks), Decimal(0)) if p.training_blocks else None
        ),
        contract=said("employee.contract", emp.contract if emp else None),
        tutor_named=tutor is not None,
        tutor_role=tutor.role if tutor else None,
        tutor_experience=show.years(tutor.experience_years if tutor else None, blank=BLANK),
        host_contract=said("reconversion.host_contract", rec.host_contract if rec else None),
        host_contract_months=months(rec.host_contract_months if rec else None),
        teaching_costs=eur(fu.teaching_costs_eur),
        hourly_rate=eur(fu.hourly_rate_eur),
        rate_source=fu.rate_source,
        funding_notes=list(fu.notes),
        deadlines=[(day(d.date), d.what, " ; ".join(d.sources)) for d in result.deadlines],
        sources=sources_of(result, extra_sources, pack),
        warnings=[f.title or f.rule for f in result.findings if f.status == "warning"],
        rulepack_version=result.rulepack_version,
        law_date=day(result.law_date),
        generated_on=day(today),
    )


def as_template_vars(facts: Facts) -> dict[str, Any]:
    return {"d": facts, "p": facts.parties, "BLANK": BLANK}
