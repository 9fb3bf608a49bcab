"""What the use cases return: the acting `Actor` and read-only views built from rows
(pydantic `from_attributes`), with every stored moment in UTC."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, computed_field

from proa.presentation import CASE_STATUS


def utc(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; every stored moment is UTC.
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


Utc = Annotated[dt.datetime, AfterValidator(utc)]


@dataclass(frozen=True)
class Actor:
    """Who acts: the logged-in user with their organisation and role."""

    user_id: int
    email: str
    role: str
    organisation_id: int
    organisation_kind: str
    employee_id: int | None = None
    organisation_name: str = ""


class _View(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class OrganisationView(_View):
    id: int
    name: str
    kind: str


class UserView(_View):
    id: int
    email: str
    role: str
    organisation_id: int
    employee_id: int | None
    active: bool


class EmployeeView(_View):
    id: int
    organisation_id: int
    reference: str | None
    erased: bool


class CaseView(_View):
    id: int
    organisation_id: int
    employee_id: int
    status: str
    version: int
    payload: dict[str, Any]
    regime: str | None = Field(None, description="Dispositif de la version courante")
    decision: str | None = Field(None, description="Décision de la version courante")
    status_reason: str | None = Field(
        None, description="Motif du dernier changement de statut (refus de l'OPCO)"
    )
    created_at: Utc
    updated_at: Utc

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status_label(self) -> str:
        return CASE_STATUS[self.status].fr


class CaseSummary(_View):
    """A case as lists show it: no payload, the employee's name and the next deadline."""

    id: int
    organisation_id: int
    organisation: str
    employee_id: int
    employee_name: str | None
    status: str
    regime: str | None
    decision: str | None
    created_at: Utc
    updated_at: Utc
    next_deadline: dt.date | None
    next_deadline_what: str | None
    next_deadline_what_en: str | None = None


class CasePage(BaseModel):
    total: int  # every case of the list, not only this page's
    items: list[CaseSummary]


class DeadlineView(_View):
    """A deadline of a case (`case_deadlines`); the employee's name only when asked for."""

    case_id: int
    organisation_id: int
    organisation: str
    status: str
    position: int
    what: str
    due_date: dt.date
    employee_name: str | None = None
    what_en: str | None = None  # English second (stored with the verdict)


class DeadlinePage(BaseModel):
    total: int
    items: list[DeadlineView]


class AlertSettings(BaseModel):
    calendar_since: Utc | None  # when the active calendar link was made; None: no link
    email_reminders: bool


class ReminderReport(BaseModel):
    users: int  # users who asked for reminders
    messages: int  # messages sent
    reminders: int  # deadlines reminded in them
    failures: int  # messages the server refused (their deadlines: the next run)


class AttachmentView(_View):
    id: int
    case_id: int
    kind: str
    filename: str
    media_type: str
    size: int
    sha256: str
    created_by: int | None
    created_at: Utc


class VersionView(_View):
    version: int
    payload: dict[str, Any]
    created_by: int | None
    created_at: Utc


class EvaluationView(_View):
    id: int | None  # None when computed and not stored
    case_id: int
    case_version: int
    rulepack_version: str
    regime: str | None
    decision: str
    result: dict[str, Any]
    created_at: Utc


class DocumentView(_View):
    id: int | None  # None when rendered and not recorded
    case_id: int
    case_version: int
    kind: str
    format: str
    sha256: str
    size: int
    rulepack_version: str
    created_at: Utc


class AuditEntry(_View):
    id: int
    at: Utc
    actor_id: int | None
    organisation_id: int | None
    action: str
    entity: str
    entity_id: int | None
    before_hash: str | None
    after_hash: str | None
    hash: str


class Question(BaseModel):
    path: str
    kind: str
    question: str
    question_en: str
    help: str
    choices: list[tuple[str | None, str]]


class LoginResult(BaseModel):
    token: str
    expires_at: dt.datetime
    user: UserView


class AuditCheck(BaseModel):
    ok: bool
    events: int
    first_bad_id: int | None = None


class ErasureReport(BaseModel):
    employee_id: int
    cases: int
    versions: int
    evaluations: int
    attachments: int = 0


class Statistics(BaseModel):
    cases: int
    by_status: dict[str, int]
    by_decision: dict[str, int]
