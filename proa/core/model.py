"""The case contract (CONTRACT.md v1) as pydantic models, and French input errors."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from proa.core.inputs import INPUTS

FIRST_DAY = dt.date(2019, 1, 1)

Contract = Literal[
    "CDI", "CDD", "CUI-CDI", "CDD-sportif", "apprentissage", "professionnalisation", "interim"
]
Status = Literal["ok", "violation", "missing", "warning"]
# The regimes a result may name (a rule pack's `RegimeLaw.regime` is one of them).
Regime = Literal["pro-a", "periode-de-reconversion"]
Decision = Literal["eligible", "ineligible", "incomplete"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Employer(_Strict):
    idcc: int | None = Field(None, ge=1, le=9999)
    headcount: int | None = Field(None, ge=0)


class Employee(_Strict):
    birth_date: dt.date | None = None
    contract: Contract | None = None
    partial_activity: bool | None = None
    weekly_hours: Decimal | None = Field(None, gt=0, le=48)
    licence_grade: bool | None = None
    qualification_level: int | None = Field(None, ge=0, le=8)
    years_of_activity: Decimal | None = Field(None, ge=0, le=70)
    disabled_worker: bool | None = None
    returning_from: Literal["maternity", "adoption", "parental", "illness"] | None = None
    minima_sociaux: bool | None = None
    former_cui: bool | None = None
    no_secondary_diploma: bool | None = None


class Target(_Strict):
    kind: Literal["certification", "socle", "vae"] | None = None
    code: str | None = Field(None, min_length=1, max_length=40)


class Tutor(_Strict):
    role: Literal["employee", "employer"] | None = None
    experience_years: Decimal | None = Field(None, ge=0, le=70)
    current_beneficiaries: int | None = Field(None, ge=0, le=100)


class Reconversion(_Strict):
    mode: Literal["internal", "external"] | None = None
    host_contract: Literal["CDI", "CDD"] | None = None
    host_contract_months: Decimal | None = Field(None, gt=0, le=120)


class OutsideWorkingTime(_Strict):
    """Training hours outside working time (L6321-6, 2°; for Pro-A, L6324-7)."""

    hours: Decimal | None = Field(None, ge=0, le=5000)
    written_agreement: bool | None = None
    collective_agreement: bool | None = None


class TrainingBlock(_Strict):
    title: str = Field(min_length=1, max_length=200)
    hours: Decimal = Field(ge=0, le=5000)


class Parties(_Strict):
    """What documents need and rules never read. Personal data: never logged."""

    employer_name: str | None = Field(None, max_length=200)
    employer_address: str | None = Field(None, max_length=400)
    employer_siret: str | None = Field(None, pattern=r"^\d{14}$")
    employer_representative: str | None = Field(None, max_length=200)
    employee_name: str | None = Field(None, max_length=200)
    employee_job: str | None = Field(None, max_length=200)
    tutor_name: str | None = Field(None, max_length=200)
    tutor_job: str | None = Field(None, max_length=200)
    host_employer_name: str | None = Field(None, max_length=200)
    training_organisation: str | None = Field(None, max_length=200)
    training_organisation_nda: str | None = Field(None, max_length=20)
    training_blocks: list[TrainingBlock] | None = None


class Case(_Strict):
    """One Pro-A / période de reconversion case. Absent means unknown, never a guess."""

    # Pro-A exists from 1 January 2019 (loi n° 2018-771); proa covers nothing earlier.
    agreement_date: dt.date | None = Field(None, ge=FIRST_DAY)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    employer: Employer | None = None
    employee: Employee | None = None
    target: Target | None = None
    training_hours: Decimal | None = Field(None, ge=0, le=5000)
    outside_working_time: OutsideWorkingTime | None = None
    tutor: Tutor | None = None
    reconversion: Reconversion | None = None
    parties: Parties | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("END_BEFORE_START")
        outside = self.outside_working_time.hours if self.outside_working_time else None
        if (
            outside is not None
            and self.training_hours is not None
            and outside > self.training_hours
        ):
            raise ValueError("OUTSIDE_OVER_TRAINING")
        return self

    def inputs(self) -> dict[str, Any]:
        """The rule inputs, flattened by contract path; an unknown input is absent.

        An explicit null is kept only where it is an answer (no tutor named, no leave).
        Numbers become exact fractions.
        """
        out: dict[str, Any] = {}
        _flatten(self, "", out)
        return out


def exact(value: Decimal) -> int | Fraction:
    """An exact number for the engine: an int when whole (fast), else a Fraction."""
    whole = int(value)
    return whole if whole == value else Fraction(value)


_NULL_ANSWERS = frozenset(i.path for i in INPUTS if i.null_is_answer)


def _flatten(model: BaseModel, prefix: str, out: dict[str, Any]) -> None:
    values = model.__dict__
    for name in model.__pydantic_fields_set__:
        if name == "parties":
            continue
        path = prefix + name
        value = values[name]
        t = type(value)
        if value is None:
            if path in _NULL_ANSWERS:
                out[path] = None
        elif t is str or t is bool or t is int or t is dt.date:
            out[path] = value
        elif t is Decimal:
            out[path] = exact(value)
        elif isinstance(value, BaseModel):
            out[path] = "named" if path == "tutor" else True
            _flatten(value, path + ".", out)
        else:
            out[path] = value


# --- result ----------------------------------------------------------------------------------


# Findings, limits, funding and deadlines are plain dataclasses (pydantic validates and
# serialises them inside `Result`): the engine builds ~20 per case, and pydantic's
# `model_construct` would cost a third of an evaluation.


@dataclass(slots=True)
class Finding:
    rule: str
    status: Status
    message: str
    sources: tuple[str, ...]  # shared between results: immutable
    title: str | None = None
    trace: dict[str, Any] | None = None
    # English second (only when asked for: `evaluate(..., english=True)`).
    message_en: str | None = None
    title_en: str | None = None


@dataclass(slots=True)
class Limits:
    duration_months_max: float | None = None
    training_hours_min: float | None = None
    training_hours_max: float | None = None
    duration_months_min: float | None = None
    duration_months: float | None = None
    total_hours: float | None = None


@dataclass(slots=True)
class OverrideTrace:
    """A clause of a limit's formula: `agreement` (a branch clause replacing the Code's
    rule), `code` (the Code prevailing over a clause) or `struck` (excluded from the
    extension, never applied); `applies` is None while its condition is not answered."""

    layer: Literal["agreement", "code", "struck"]
    text: str
    sources: list[str]
    applies: bool | None


@dataclass(slots=True)
class LimitTrace:
    """How a limit of `limits` was reached: its articles and its computation in words."""

    value: float | None
    label: str
    unit: str
    computation: str
    sources: list[str]
    overrides: list[OverrideTrace]


@dataclass(slots=True)
class Funding:
    teaching_costs_eur: float | None = None
    hourly_rate_eur: float | None = None
    rate_source: str = ""
    pay_maintained: bool | None = None
    pay_source: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Deadline:
    what: str
    date: dt.date | None
    sources: list[str]


class Result(BaseModel):
    """The contract's output (CONTRACT.md), plus optional deadlines, law date and pack version."""

    regime: Regime | None
    decision: Decision
    limits: Limits
    findings: list[Finding]
    missing: list[str]
    funding: Funding
    deadlines: list[Deadline] = []
    law_date: dt.date | None = None
    rulepack_version: str = ""
    # The values behind every finding: the case's inputs and the parameters in force (value,
    # effect date, sources). Each finding's `trace` names which of them its rule read.
    trace: dict[str, Any] | None = None
    # For each limit: its articles, its computation and the clauses that replace the Code's
    # rule (or that the Code overrides), as `proa explain` shows them.
    limits_trace: dict[str, LimitTrace] | None = None


# --- French errors ---------------------------------------------------------------------------


class CaseError(ValueError):
    """A malformed case: each error names its field, in French then English."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        self.errors = errors
        super().__init__(self.french())

    def french(self) -> str:
        return "\n".join(f"« {e['field']} » : {e['message']}" for e in self.errors)

    def english(self) -> str:
        return "\n".join(f"'{e['field']}': {e['message_en']}" for e in self.errors)


_MESSAGES: dict[str, tuple[str, str]] = {
    "extra_forbidden": ("clé inconnue du contrat de dossier", "unknown key"),
    "literal_error": (
        "valeur {input} non reconnue ; valeurs permises : {expected}",
        "unknown value {input}; allowed: {expected}",
    ),
    "date_from_datetime_parsing": (
        "date invalide, format attendu AAAA-MM-JJ",
        "invalid date, expected YYYY-MM-DD",
    ),
    "date_parsing": (
        "date invalide, format attendu AAAA-MM-JJ",
        "invalid date, expected YYYY-MM-DD",
    ),
    "date_type": ("date attendue (AAAA-MM-JJ)", "date expected (YYYY-MM-DD)"),
    "int_parsing": ("nombre entier attendu", "integer expected"),
    "int_type": ("nombre entier attendu", "integer expected"),
    "int_from_float": ("nombre entier attendu", "integer expected"),
    "decimal_parsing": ("nombre attendu", "number expected"),
    "decimal_type": ("nombre attendu", "number expected"),
    "bool_parsing": ("vrai ou faux attendu (true / false)", "boolean expected"),
    "bool_type": ("vrai ou faux attendu (true / false)", "boolean expected"),
    "string_type": ("texte attendu", "text expected"),
    "string_too_short": ("texte vide", "empty text"),
    "string_too_long": ("texte trop long", "text too long"),
    "string_pattern_mismatch": ("format invalide", "invalid format"),
    "greater_than_equal": ("doit être supérieur ou égal à {ge}", "must be ≥ {ge}"),
    "greater_than": ("doit être strictement supérieur à {gt}", "must be > {gt}"),
    "less_than_equal": ("doit être inférieur ou égal à {le}", "must be ≤ {le}"),
    "model_type": ("objet JSON attendu", "JSON object expected"),
    "model_attributes_type": ("objet JSON attendu", "JSON object expected"),
    "dict_type": ("objet JSON attendu", "JSON object expected"),
    "list_type": ("liste attendue", "list expected"),
    "missing": ("champ obligatoire", "required field"),
    "json_invalid": ("JSON invalide : {error}", "invalid JSON: {error}"),
    "finite_number": ("nombre fini attendu", "finite number expected"),
}


def translate_error(err: Any) -> dict[str, str]:
    """A pydantic error as {field, message (French), message_en}, naming the field."""
    loc = [str(x) for x in err["loc"]]
    field = ".".join(loc) or "(dossier)"
    ctx = dict(err.get("ctx") or {})
    if err["type"] == "value_error" and "END_BEFORE_START" in str(ctx.get("error", "")):
        return {
            "field": "end_date",
            "message": "la date de fin précède la date de début",
            "message_en": "end date is before start date",
        }
    if err["type"] == "value_error" and "OUTSIDE_OVER_TRAINING" in str(ctx.get("error", "")):
        return {
            "field": "outside_working_time.hours",
            "message": "plus d'heures hors du temps de travail que d'heures de formation",
            "message_en": "more hours outside working time than training hours",
        }
    fr, en = _MESSAGES.get(err["type"], ("valeur invalide", "invalid value"))
    ctx["input"] = json.dumps(err.get("input"), ensure_ascii=False, default=str)
    ctx.setdefault("error", "")
    french_ctx = {k: str(v).replace("' or '", "' ou '") for k, v in ctx.items()}
    return {
        "field": field,
        "message": fr.format(**french_ctx),
        "message_en": en.format(**{k: v for k, v in ctx.items()}),
    }


def parse_case(data: Any) -> Case:
    """Validate a case given as a dict or JSON text; raise `CaseError` in French."""
    if isinstance(data, Case):
        return data
    try:
        if isinstance(data, str | bytes):
            return Case.model_validate_json(data)
        return Case.model_validate(data)
    except ValidationError as exc:
        raise CaseError([translate_error(e) for e in exc.errors()]) from None


__all__ = ["INPUTS", "Case", "CaseError", "Finding", "Funding", "Limits", "Result", "parse_case"]
