"""The case contract (docs/contract.md, v1) as pydantic models, and French input errors."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    computed_field,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import CoreSchema, core_schema

from proa.core import french
from proa.core.catalogue import Text, text
from proa.core.inputs import DECLARED, FIRST_DAY, INPUTS, PRINTABLE, certification_code

Status = Literal["ok", "violation", "missing", "warning"]
# The regimes a result may name (a rule pack's `RegimeLaw.regime` is one of them).
Regime = Literal["pro-a", "periode-de-reconversion"]
Decision = Literal["eligible", "ineligible", "incomplete"]


@dataclass(frozen=True)
class _OneOf:
    """Pydantic metadata: the field takes one of these values, or null (a `Literal`)."""

    values: tuple[str, ...]

    def __get_pydantic_core_schema__(self, _source: Any, _handler: Any) -> CoreSchema:
        return core_schema.nullable_schema(core_schema.literal_schema(list(self.values)))


def declared(path: str, required: bool = False) -> Any:
    """The contract field of the input declared at `path` (`proa.core.inputs`): its
    allowed values, bounds and question (the JSON Schema's description) come from there."""
    spec = DECLARED[path]
    description = f"{spec.question}\n{spec.help}" if spec.help else spec.question
    info: FieldInfo = Field(
        ... if required else None, description=description, **spec.bounds.constraints()
    )
    if spec.allowed:
        info.metadata.append(_OneOf(spec.allowed))
    return info


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Employer(_Strict):
    idcc: int | None = declared("employer.idcc")
    headcount: int | None = declared("employer.headcount")
    social_charges_pct: Decimal | None = declared("employer.social_charges_pct")


class Employee(_Strict):
    birth_date: dt.date | None = declared("employee.birth_date")
    contract: str | None = declared("employee.contract")
    partial_activity: bool | None = declared("employee.partial_activity")
    weekly_hours: Decimal | None = declared("employee.weekly_hours")
    licence_grade: bool | None = declared("employee.licence_grade")
    qualification_level: int | None = declared("employee.qualification_level")
    years_of_activity: Decimal | None = declared("employee.years_of_activity")
    disabled_worker: bool | None = declared("employee.disabled_worker")
    returning_from: str | None = declared("employee.returning_from")
    minima_sociaux: bool | None = declared("employee.minima_sociaux")
    former_cui: bool | None = declared("employee.former_cui")
    no_secondary_diploma: bool | None = declared("employee.no_secondary_diploma")
    cpf_balance_eur: Decimal | None = declared("employee.cpf_balance_eur")
    hourly_pay_eur: Decimal | None = declared("employee.hourly_pay_eur")


class Target(_Strict):
    kind: str | None = declared("target.kind")
    code: str | None = declared("target.code")
    on_branch_list: bool | None = declared("target.on_branch_list")

    @field_validator("code")
    @classmethod
    def _canonical_code(cls, code: str | None) -> str | None:
        return certification_code(code) if code is not None else None


class Tutor(_Strict):
    role: str | None = declared("tutor.role")
    experience_years: Decimal | None = declared("tutor.experience_years")
    current_beneficiaries: int | None = declared("tutor.current_beneficiaries")


class Reconversion(_Strict):
    mode: str | None = declared("reconversion.mode")
    host_contract: str | None = declared("reconversion.host_contract")
    host_contract_months: Decimal | None = declared("reconversion.host_contract_months")
    collective_agreement: bool | None = declared("reconversion.collective_agreement")
    union_delegate: bool | None = declared("reconversion.union_delegate")
    disagreement_record: bool | None = declared("reconversion.disagreement_record")
    cse: str | None = declared("reconversion.cse")
    agreement_hours_max: Decimal | None = declared("reconversion.agreement_hours_max")
    agreement_months_max: Decimal | None = declared("reconversion.agreement_months_max")


class OutsideWorkingTime(_Strict):
    """Training hours outside working time (L6321-6, 2°; for Pro-A, L6324-7)."""

    hours: Decimal | None = declared("outside_working_time.hours")
    written_agreement: bool | None = declared("outside_working_time.written_agreement")
    collective_agreement: bool | None = declared("outside_working_time.collective_agreement")


class TrainingBlock(_Strict):
    title: str = declared("parties.training_blocks.title", required=True)
    hours: Decimal = declared("parties.training_blocks.hours", required=True)


class Parties(_Strict):
    """What documents need and rules never read. Personal data: never logged."""

    employer_name: str | None = declared("parties.employer_name")
    employer_address: str | None = declared("parties.employer_address")
    employer_siret: str | None = declared("parties.employer_siret")
    employer_representative: str | None = declared("parties.employer_representative")
    employee_name: str | None = declared("parties.employee_name")
    employee_job: str | None = declared("parties.employee_job")
    tutor_name: str | None = declared("parties.tutor_name")
    tutor_job: str | None = declared("parties.tutor_job")
    host_employer_name: str | None = declared("parties.host_employer_name")
    training_organisation: str | None = declared("parties.training_organisation")
    training_organisation_nda: str | None = declared("parties.training_organisation_nda")
    training_blocks: list[TrainingBlock] | None = None

    @field_validator("employer_siret")
    @classmethod
    def _siret_key(cls, siret: str | None) -> str | None:
        if siret is not None and not siret_valid(siret):
            raise ValueError("SIRET_KEY")
        return siret


def siret_valid(siret: str) -> bool:
    """A SIRET's control key (INSEE): the Luhn sum of its 14 digits is a multiple of 10, or,
    for La Poste's establishments (SIREN 356 000 000), the plain sum a multiple of 5."""
    if len(siret) != 14 or not siret.isdigit():
        return True  # the pattern's error says it
    if siret.startswith("356000000"):
        return sum(map(int, siret)) % 5 == 0
    total = 0
    for i, ch in enumerate(reversed(siret)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


class Case(_Strict):
    """One Pro-A / période de reconversion case. Absent means unknown, never a guess."""

    agreement_date: dt.date | None = declared("agreement_date")
    start_date: dt.date | None = declared("start_date")
    end_date: dt.date | None = declared("end_date")
    interruption_date: dt.date | None = declared("interruption_date")
    branch_hourly_rate_eur: Decimal | None = declared("branch_hourly_rate_eur")
    employer: Employer | None = None
    employee: Employee | None = None
    target: Target | None = None
    training_hours: Decimal | None = declared("training_hours")
    training_price_eur: Decimal | None = declared("training_price_eur")
    outside_working_time: OutsideWorkingTime | None = None
    tutor: Tutor | None = declared("tutor")
    reconversion: Reconversion | None = None
    parties: Parties | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("END_BEFORE_START")
        stop = self.interruption_date
        if stop and (
            (self.start_date and stop < self.start_date) or (self.end_date and stop > self.end_date)
        ):
            raise ValueError("INTERRUPTION_OUTSIDE")
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
    # English second, only when asked for: the same sources with their notes in English.
    rate_source_en: str | None = None
    pay_maintained: bool | None = None
    pay_source: str = ""
    notes: list[str] = field(default_factory=list)
    # English second, only when asked for (like `papers[].what_en`), one per note.
    notes_en: list[str] | None = None
    # Optional: the CPF rights that may be mobilised, with the employee's balance.
    cpf_max_eur: float | None = None
    # Optional: pay and cost (issue 10, §2). What the OPCO may reimburse of the pay at most,
    # the pay (with charges) the employer maintains during training in working time, and
    # what the employer keeps paying at least (pay and teaching costs beyond the OPCO's share).
    pay_reimbursement_max_eur: float | None = None
    pay_cost_eur: float | None = None
    employer_cost_eur: float | None = None


# The step of a case that meets a deadline: the file sent to the OPCO, or its answer.
MetBy = Literal["sending", "decision"]


@dataclass(slots=True)
class Deadline:
    what: str
    date: dt.date | None
    sources: list[str]
    # Optional (docs/contract.md): after that step of the case, the date is met.
    met_by: MetBy | None = None
    # English second, only when asked for (like `papers[].what_en`).
    what_en: str | None = None


@dataclass
class Paper:
    """A paper to send to the OPCO (docs/contract.md, `papers`): `document` is the kind of
    document proa drafts for it (`proa documents`), null when it is the employer's to bring."""

    what: str
    sources: list[str]
    document: str | None = None
    # English second, only when asked for (like `findings[].message_en`).
    what_en: str | None = None


@dataclass(slots=True)
class Remedy:
    """What would make a rule that is not satisfied comply (docs/contract.md, `remedies`):
    `range` — bring `field` within [`at_least`, `at_most`] (`nearest`: the closest value
    that complies); `one_of` — set `field` to one of `values`; `answer` — answer the
    question of `field` (a missing rule). The other inputs stay as they are."""

    rule: str
    kind: Literal["range", "one_of", "answer"]
    field: str
    message: str
    at_least: float | dt.date | None = None
    at_most: float | dt.date | None = None
    nearest: float | dt.date | None = None
    values: list[str] | None = None
    # English second (only when asked for).
    message_en: str | None = None


class Result(BaseModel):
    """The contract's output (docs/contract.md), with its optional keys."""

    regime: Regime | None
    decision: Decision
    limits: Limits
    findings: list[Finding]
    missing: list[str]
    funding: Funding
    deadlines: list[Deadline] = []
    # For each violated or missing rule, the nearest change that complies (optional key).
    remedies: list[Remedy] = []
    # What to send to the OPCO for this case (optional key).
    papers: list[Paper] = []
    law_date: dt.date | None = None
    rulepack_version: str = ""
    # The values behind every finding: the case's inputs and the parameters in force (value,
    # effect date, sources). Each finding's `trace` names which of them its rule read.
    trace: dict[str, Any] | None = None
    # Made on first read (serialising reads it): most evaluations are only decided.
    _limits_trace: Callable[[], dict[str, LimitTrace]] | dict[str, LimitTrace] | None = PrivateAttr(
        default=None
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def limits_trace(self) -> dict[str, LimitTrace] | None:
        """For each limit: its articles, its computation in words and the clauses that
        replace the Code's rule (or that the Code overrides), as `proa explain` shows them."""
        made = self._limits_trace
        if callable(made):
            made = self._limits_trace = made()
        return made


# --- French errors ---------------------------------------------------------------------------


class CaseError(ValueError):
    """A malformed case: each error names its field, in French then English."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        self.errors = errors
        super().__init__(self.french())

    @classmethod
    def of(cls, field: str, message: Text) -> CaseError:
        """One error on `field` (a catalogue message)."""
        return cls([field_error(field, message)])

    def text(self) -> Text:
        """Every error, one a line, in both languages."""
        return listing(self.errors, "\n")

    def french(self) -> str:
        return self.text().fr

    def english(self) -> str:
        return self.text().en


def field_error(field: str, message: Text) -> dict[str, str]:
    """One field's error as the contract reports it: {field, message, message_en}."""
    return {"field": field, "message": message.fr, "message_en": message.en}


def listing(errors: list[dict[str, str]], separator: str = "; ") -> Text:
    """Field errors ({field, message, message_en}) as one message: « field » : message."""
    lines = [
        text("case.field", field=e["field"], message=Text(e["message"], e["message_en"]))
        for e in errors
    ]
    return Text(separator.join(t.fr for t in lines), separator.join(t.en for t in lines))


# Pydantic's error types → catalogue entries (`case.*`).
_ERRORS: dict[str, str] = {
    "extra_forbidden": "case.unknown_key",
    "literal_error": "case.unknown_value",
    "date_from_datetime_parsing": "case.bad_date",
    "date_parsing": "case.bad_date",
    "date_type": "case.date_expected",
    "int_parsing": "case.integer_expected",
    "int_type": "case.integer_expected",
    "int_from_float": "case.integer_expected",
    "decimal_parsing": "case.number_expected",
    "decimal_type": "case.number_expected",
    "finite_number": "case.finite_number_expected",
    "bool_parsing": "case.boolean_expected",
    "bool_type": "case.boolean_expected",
    "string_type": "case.text_expected",
    "string_too_short": "case.text_empty",
    "string_too_long": "case.text_too_long",
    "string_pattern_mismatch": "case.bad_format",
    "greater_than_equal": "case.at_least",
    "greater_than": "case.more_than",
    "less_than_equal": "case.at_most",
    "model_type": "case.object_expected",
    "model_attributes_type": "case.object_expected",
    "dict_type": "case.object_expected",
    "list_type": "case.list_expected",
    "missing": "case.required",
    "json_invalid": "case.bad_json",
}
# The model's own checks (`Case._consistent`): the field each one names.
_CHECKS = {
    "END_BEFORE_START": ("end_date", "case.end_before_start"),
    "OUTSIDE_OVER_TRAINING": ("outside_working_time.hours", "case.outside_over_training"),
    "INTERRUPTION_OUTSIDE": ("interruption_date", "case.interruption_outside"),
    "SIRET_KEY": ("parties.employer_siret", "case.siret_key"),
}


def bound(value: Any, identifier: bool = False) -> Text:
    """A bound of the contract as its errors say it (every door, batch files included): a
    date as it is typed (AAAA-MM-JJ), an identifier's as given, a number with each
    language's decimal mark."""
    if identifier or not isinstance(value, int | float | Decimal | Fraction):
        return Text(str(value), str(value))  # a date (or its JSON text), an identifier
    written = french.number(value)
    return Text(written, written.replace(",", ".").replace(french.NNBSP, ","))


def translate_error(err: Any) -> dict[str, str]:
    """A pydantic error as {field, message (French), message_en}, naming the field."""
    loc = [str(x) for x in err["loc"]]
    field = ".".join(loc) or "(dossier)"
    ctx = dict(err.get("ctx") or {})
    if err["type"] == "value_error":
        check = next((c for name, c in _CHECKS.items() if name in str(ctx.get("error", ""))), None)
        if check is not None:
            found = text(check[1])
            return field_error(check[0], found)
    ctx["input"] = json.dumps(err.get("input"), ensure_ascii=False, default=str)
    ctx.setdefault("error", "")
    values = {k: Text(str(v).replace("' or '", "' ou '"), str(v)) for k, v in ctx.items()}
    spec = DECLARED.get(field)
    identifier = spec is not None and spec.identifier
    values.update({k: bound(ctx[k], identifier) for k in ("ge", "gt", "le") if k in ctx})
    # The JSON parser's own text is English: in French, only where it stopped.
    stop = re.search(r"line (\d+) column (\d+)", str(ctx["error"]))
    values["where"] = Text(
        f" (ligne {stop[1]}, colonne {stop[2]})" if stop else "", f": {ctx['error']}"
    )
    key = _ERRORS.get(err["type"], "case.invalid")
    if err["type"] == "string_pattern_mismatch" and ctx.get("pattern") == PRINTABLE:
        key = "case.control_character"
    if err["type"] == "string_too_short" and int(ctx.get("min_length", 1)) > 1:
        key = "case.text_too_short"
    return field_error(field, text(key, **values))


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


__all__ = [
    "FIRST_DAY",
    "INPUTS",
    "Case",
    "CaseError",
    "Finding",
    "Funding",
    "Limits",
    "Remedy",
    "Result",
    "parse_case",
]
