"""The relational model: organisations, users, employees, versioned cases, evaluations,
documents, sessions and the append-only audit trail.

Personal data (names, birth date, health-related inputs) lives only in case payloads and
evaluation results, never in a column of its own, so erasure has a short list of places.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

OrgKind = Literal["cabinet", "payroll_firm", "opco", "branch"]
Role = Literal["admin", "employer", "payroll", "employee", "opco", "branch"]
CaseStatus = Literal["draft", "ready", "sent", "accepted", "refused", "finished"]

ORG_KINDS: tuple[str, ...] = ("cabinet", "payroll_firm", "opco", "branch")
ROLES: tuple[str, ...] = ("admin", "employer", "payroll", "employee", "opco", "branch")
STATUSES: tuple[str, ...] = ("draft", "ready", "sent", "accepted", "refused", "finished")

Json = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: DateTime(timezone=True),
        dict[str, Any]: Json,
    }


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class OrganisationLink(Base):
    """`parent` manages (payroll firm) or oversees (OPCO, branch) the cabinet `child`."""

    __tablename__ = "organisation_links"

    parent_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    child_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )


class Employee(Base):
    """A pseudonymous anchor for one person's cases; the name lives in case payloads."""

    __tablename__ = "employees"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    reference: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    erased_at: Mapped[dt.datetime | None]

    @property
    def erased(self) -> bool:
        return self.erased_at is not None


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class AuthSession(Base):
    """A login session; only the SHA-256 of the opaque token is stored."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]


class LoginFailure(Base):
    """One failed login, keyed by a hash of (email, client address): no address stored."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Case(Base):
    """A case file; its payload lives in versions. `regime`, `decision` and
    `rulepack_version` are the engine's verdict on the current version, kept current on
    every change (and after a rule-pack change), so that lists filter in the database."""

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_organisation_updated", "organisation_id", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    employee_id: Mapped[int] = mapped_column(
        ForeignKey("employees.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20), default="draft")
    current_version: Mapped[int] = mapped_column(default=1)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    regime: Mapped[str | None] = mapped_column(String(40))
    decision: Mapped[str | None] = mapped_column(String(20))
    rulepack_version: Mapped[str | None] = mapped_column(String(60))
    # Why the last status change was made, when one was given (an OPCO's refusal: R6324-3).
    status_reason: Mapped[str | None] = mapped_column(String(2000))

    employee: Mapped[Employee] = relationship()
    versions: Mapped[list[CaseVersion]] = relationship(
        back_populates="case",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CaseVersion.version",
    )
    current: Mapped[CaseVersion] = relationship(
        primaryjoin="and_(Case.id == foreign(CaseVersion.case_id), "
        "Case.current_version == foreign(CaseVersion.version))",
        viewonly=True,
        uselist=False,
    )
    deadlines: Mapped[list[CaseDeadline]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="CaseDeadline.position"
    )

    @property
    def version(self) -> int:
        return self.current_version

    @property
    def payload(self) -> dict[str, Any]:
        return self.current.payload


class CaseVersion(Base):
    """One immutable state of a case's payload (the docs/contract.md case)."""

    __tablename__ = "case_versions"
    __table_args__ = (UniqueConstraint("case_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    version: Mapped[int]
    payload: Mapped[dict[str, Any]]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="versions")


class CaseDeadline(Base):
    """A dated deadline of the engine's verdict on the current version (`Result.deadlines`),
    kept with the verdict so that lists sort by the next one and the deadline views, the
    calendar feed and the reminders query them in the database. A date, a label of the rule
    pack and its order: no personal data."""

    __tablename__ = "case_deadlines"
    __table_args__ = (Index("ix_case_deadlines_due", "due_date", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    what: Mapped[str] = mapped_column(Text)
    due_date: Mapped[dt.date] = mapped_column(Date)
    # The step of the case that meets it (`Deadline.met_by`): met, it is no longer listed.
    met_by: Mapped[str | None] = mapped_column(String(20))
    what_en: Mapped[str | None] = mapped_column(Text)  # the label in English (web interface)


class Evaluation(Base):
    """The engine's result for one case version, with the rule pack that produced it."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    case_version: Mapped[int]
    rulepack_version: Mapped[str] = mapped_column(String(60))
    regime: Mapped[str | None] = mapped_column(String(40))
    decision: Mapped[str] = mapped_column(String(20))
    result: Mapped[dict[str, Any]]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Attachment(Base):
    """A file attached to a case (the signed avenant, the OPCO's decision), kept with it:
    deleted with the case, and with the employee's personal data (it names them)."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Document(Base):
    """A generated document's metadata (the bytes are rendered again on demand)."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    case_version: Mapped[int]
    kind: Mapped[str] = mapped_column(String(60))
    format: Mapped[str] = mapped_column(String(10))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    rulepack_version: Mapped[str] = mapped_column(String(60))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class AuditEvent(Base):
    """Append-only: a database trigger refuses UPDATE and DELETE. Hashes only, no data.

    `hash` chains each row to the previous one of its organisation (tamper evidence,
    `proa.service.audit`).
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_entity", "entity", "entity_id"),
        Index("ix_audit_events_chain", "organisation_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime]
    actor_id: Mapped[int | None]
    organisation_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None]
    before_hash: Mapped[str | None] = mapped_column(String(64))
    after_hash: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # True: chained to the previous event of its organisation; False: written before
    # chains were per organisation, chained to the previous event of all.
    org_chain: Mapped[bool] = mapped_column(default=False)


class DeadlineAlert(Base):
    """How a user follows the deadlines of the cases they may read: a calendar feed
    (only the SHA-256 of its secret token is stored; none: no feed) and reminders by e-mail
    (off until the user turns them on)."""

    __tablename__ = "deadline_alerts"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    calendar_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    calendar_created_at: Mapped[dt.datetime | None]
    email_reminders: Mapped[bool] = mapped_column(default=False)


class SentReminder(Base):
    """A deadline reminded to a user by e-mail: recorded before the message leaves, so that
    no deadline is ever reminded twice (`proa.service.reminders`). `what_hash` is the
    SHA-256 of the deadline's label: a date, a label's hash, no personal data."""

    __tablename__ = "sent_reminders"
    __table_args__ = (UniqueConstraint("user_id", "case_id", "what_hash", "due_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    what_hash: Mapped[str] = mapped_column(String(64))
    due_date: Mapped[dt.date] = mapped_column(Date)
    sent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
