"""The service layer: every read and change of stored data goes through these functions.

Each function takes a `Session` and the `Actor` acting, enforces tenancy and roles, and for
a change writes the audit event in the same transaction and commits (one call, one
transaction: a change reported as done is durable together with its audit row). The REST
API and the web app call these functions; they never query the models themselves.

Tenancy: a resource outside the actor's reach is reported as `NotFound`, never `Forbidden`,
so that its existence does not leak. `Forbidden` is only for a visible resource the actor's
role may not change (an OPCO adviser, an employee).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, delete, false, func, select, text
from sqlalchemy.orm import Session

from proa import CaseError, Result, default_engine, evaluate, parse_case
from proa.core.inputs import BY_PATH
from proa.storage import models as m
from proa.storage.errors import (
    AuthFailed,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    RateLimited,
)

WRITERS = frozenset({"admin", "employer", "payroll"})
SUBMITTED = ("sent", "accepted", "refused", "finished")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("ready",),
    "ready": ("draft", "sent"),
    "sent": ("accepted", "refused"),
    "accepted": ("finished",),
    "refused": ("draft", "finished"),
    "finished": (),
}
STATUS_LABELS = {
    "draft": "brouillon",
    "ready": "prêt",
    "sent": "envoyé à l'OPCO",
    "accepted": "accepté",
    "refused": "refusé",
    "finished": "terminé",
}
# Which roles an organisation of each kind may hold (admin everywhere).
ROLES_BY_KIND = {
    "cabinet": ("admin", "employer", "employee"),
    "payroll_firm": ("admin", "payroll"),
    "opco": ("admin", "opco"),
    "branch": ("admin", "branch"),
}
# Personal data in a case payload (docs/contract.md): identity, birth date, health-related inputs.
PERSONAL_PATHS = (
    ("employee", "birth_date"),
    ("employee", "disabled_worker"),
    ("employee", "returning_from"),
    ("parties", "employee_name"),
    ("parties", "employee_job"),
)
ERASED = "donnée effacée"
SESSION_HOURS = 12
LOGIN_WINDOW = dt.timedelta(minutes=5)
LOGIN_MAX_FAILURES = 5
GENESIS = "0" * 64
_AUDIT_LOCK = 0x70726F61  # "proa": serialises audit appends on PostgreSQL
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("proa-timing-equaliser")


# --- views ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Who acts: the logged-in user with their organisation and role."""

    user_id: int
    email: str
    role: str
    organisation_id: int
    organisation_kind: str
    employee_id: int | None = None


class OrganisationView(BaseModel):
    id: int
    name: str
    kind: str


class UserView(BaseModel):
    id: int
    email: str
    role: str
    organisation_id: int
    employee_id: int | None
    active: bool


class EmployeeView(BaseModel):
    id: int
    organisation_id: int
    reference: str | None
    erased: bool


class CaseView(BaseModel):
    id: int
    organisation_id: int
    employee_id: int
    status: str
    status_label: str
    version: int
    payload: dict[str, Any]
    decision: str | None  # of the latest stored evaluation of the current version
    created_at: dt.datetime
    updated_at: dt.datetime


class VersionView(BaseModel):
    version: int
    payload: dict[str, Any]
    created_by: int | None
    created_at: dt.datetime


class EvaluationView(BaseModel):
    id: int | None  # None when computed and not stored
    case_id: int
    case_version: int
    rulepack_version: str
    regime: str | None
    decision: str
    result: dict[str, Any]
    created_at: dt.datetime


class DocumentView(BaseModel):
    id: int
    case_id: int
    case_version: int
    kind: str
    format: str
    sha256: str
    size: int
    rulepack_version: str
    created_at: dt.datetime


class AuditEntry(BaseModel):
    id: int
    at: dt.datetime
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


# --- hashing and audit ----------------------------------------------------------------------


def canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def sha256(textual: str) -> str:
    return hashlib.sha256(textual.encode()).hexdigest()


def _utc(moment: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes; every stored moment is UTC.
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _chain(prev: str, event: m.AuditEvent) -> str:
    fields = [
        prev,
        _utc(event.at).isoformat(),
        event.actor_id,
        event.organisation_id,
        event.action,
        event.entity,
        event.entity_id,
        event.before_hash,
        event.after_hash,
    ]
    return sha256(canonical(fields))


def _case_state(case: m.Case, payload: dict[str, Any]) -> str:
    return sha256(
        canonical(
            {
                "status": case.status,
                "version": case.current_version,
                "employee": case.employee_id,
                "payload": payload,
            }
        )
    )


def _audit(
    session: Session,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: int | None,
    organisation_id: int | None,
    before: str | None = None,
    after: str | None = None,
) -> None:
    """Append one event, chained to the previous one, in the caller's transaction.

    Writers queue from here to their commit: keep work after this call to a minimum."""
    session.flush()  # the change itself is written before taking the chain's lock
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _AUDIT_LOCK})
    # On SQLite every transaction began with BEGIN IMMEDIATE: appends are serialised already.
    prev = session.scalar(select(m.AuditEvent.hash).order_by(m.AuditEvent.id.desc()).limit(1))
    event = m.AuditEvent(
        at=m.utcnow(),
        actor_id=actor.user_id if actor else None,
        organisation_id=organisation_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before_hash=before,
        after_hash=after,
        prev_hash=prev or GENESIS,
    )
    event.hash = _chain(event.prev_hash, event)
    session.add(event)


def verify_audit_chain(session: Session) -> AuditCheck:
    """Recompute the chain from the first event: any edited, removed or inserted row shows."""
    prev = GENESIS
    count = 0
    for event in session.scalars(select(m.AuditEvent).order_by(m.AuditEvent.id)):
        if event.prev_hash != prev or _chain(prev, event) != event.hash:
            return AuditCheck(ok=False, events=count, first_bad_id=event.id)
        prev = event.hash
        count += 1
    return AuditCheck(ok=True, events=count)


# --- organisations, users, employees --------------------------------------------------------


def _org_view(org: m.Organisation) -> OrganisationView:
    return OrganisationView(id=org.id, name=org.name, kind=org.kind)


def _user_view(user: m.User) -> UserView:
    return UserView(
        id=user.id,
        email=user.email,
        role=user.role,
        organisation_id=user.organisation_id,
        employee_id=user.employee_id,
        active=user.active,
    )


def _children(session: Session, organisation_id: int) -> list[int]:
    return list(
        session.scalars(
            select(m.OrganisationLink.child_id).where(
                m.OrganisationLink.parent_id == organisation_id
            )
        )
    )


def _managed_orgs(session: Session, actor: Actor) -> list[int]:
    """Organisations whose cases the actor may change (if their role writes at all)."""
    if actor.organisation_kind == "payroll_firm":
        return [actor.organisation_id, *_children(session, actor.organisation_id)]
    return [actor.organisation_id]


def create_organisation(
    session: Session, actor: Actor | None, name: str, kind: str, parent_id: int | None = None
) -> OrganisationView:
    """Create an organisation; `actor` None is the operator (command line).

    An admin of a payroll firm may create the cabinets it manages (linked to it).
    """
    name = name.strip()
    if not name:
        raise InvalidInput(
            "le nom de l'organisation est vide",
            "empty organisation name",
            [_err("name", "texte vide", "empty text")],
        )
    if kind not in m.ORG_KINDS:
        raise InvalidInput(
            f"type d'organisation inconnu : « {kind} »",
            f"unknown organisation kind {kind!r}",
            [
                _err(
                    "kind",
                    "valeurs permises : " + ", ".join(m.ORG_KINDS),
                    "allowed: " + ", ".join(m.ORG_KINDS),
                )
            ],
        )
    if actor is not None:
        if actor.role != "admin" or actor.organisation_kind != "payroll_firm" or kind != "cabinet":
            raise Forbidden(
                "seul l'administrateur d'un cabinet de paie peut créer un cabinet",
                "only a payroll firm's admin may create a cabinet",
            )
        parent_id = actor.organisation_id
    org = m.Organisation(name=name, kind=kind)
    session.add(org)
    session.flush()
    if parent_id is not None:
        if session.get(m.Organisation, parent_id) is None:
            raise NotFound("organisation parente introuvable", "parent organisation not found")
        session.add(m.OrganisationLink(parent_id=parent_id, child_id=org.id))
    _audit(
        session,
        actor,
        "create",
        "organisation",
        org.id,
        org.id,
        after=sha256(canonical([org.name, org.kind, parent_id])),
    )
    session.commit()
    return _org_view(org)


def link_organisations(session: Session, parent_id: int, child_id: int) -> None:
    """Operator only: a payroll firm manages, an OPCO or a branch oversees, a cabinet."""
    parent, child = session.get(m.Organisation, parent_id), session.get(m.Organisation, child_id)
    if parent is None or child is None:
        raise NotFound("organisation introuvable", "organisation not found")
    if child.kind != "cabinet" or parent.kind == "cabinet":
        raise InvalidInput(
            "seul un cabinet peut être rattaché, et pas à un autre cabinet",
            "only a cabinet can be linked, and not to another cabinet",
        )
    if session.get(m.OrganisationLink, (parent_id, child_id)) is None:
        session.add(m.OrganisationLink(parent_id=parent_id, child_id=child_id))
        _audit(
            session,
            None,
            "link",
            "organisation",
            child_id,
            parent_id,
            after=sha256(canonical([parent_id, child_id])),
        )
    session.commit()


def list_organisations(session: Session, actor: Actor) -> list[OrganisationView]:
    ids = [actor.organisation_id, *_children(session, actor.organisation_id)]
    orgs = session.scalars(
        select(m.Organisation).where(m.Organisation.id.in_(ids)).order_by(m.Organisation.id)
    )
    return [_org_view(o) for o in orgs]


def find_organisation(session: Session, name: str) -> OrganisationView | None:
    """Operator only (command line): an organisation by exact name."""
    org = session.scalars(select(m.Organisation).where(m.Organisation.name == name)).first()
    return _org_view(org) if org else None


def create_user(
    session: Session,
    actor: Actor | None,
    email: str,
    role: str,
    organisation_id: int,
    password: str | None = None,
    employee_id: int | None = None,
) -> tuple[UserView, str]:
    """Create an account; returns it with its password (generated when not given), which is
    shown once and stored only as an argon2 hash. `actor` None is the operator."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 320:
        raise InvalidInput(
            "adresse électronique invalide",
            "invalid email address",
            [_err("email", "adresse électronique invalide", "invalid email")],
        )
    if actor is not None:
        if actor.role != "admin":
            raise Forbidden(
                "seul un administrateur peut créer un compte", "only an admin may create accounts"
            )
        if organisation_id not in _managed_orgs(session, actor):
            raise NotFound("organisation introuvable", "organisation not found")
    org = session.get(m.Organisation, organisation_id)
    if org is None:
        raise NotFound("organisation introuvable", "organisation not found")
    if role not in ROLES_BY_KIND[org.kind]:
        raise InvalidInput(
            f"le rôle « {role} » n'existe pas pour ce type d'organisation",
            f"role {role!r} is not allowed in a {org.kind}",
            [
                _err(
                    "role",
                    "valeurs permises : " + ", ".join(ROLES_BY_KIND[org.kind]),
                    "allowed: " + ", ".join(ROLES_BY_KIND[org.kind]),
                )
            ],
        )
    if role == "employee":
        employee = session.get(m.Employee, employee_id) if employee_id is not None else None
        if employee is None or employee.organisation_id != organisation_id:
            raise InvalidInput(
                "un compte salarié doit être relié à un salarié du cabinet",
                "an employee account needs an employee of the cabinet",
                [
                    _err(
                        "employee_id",
                        "salarié introuvable dans ce cabinet",
                        "employee not found in this cabinet",
                    )
                ],
            )
    elif employee_id is not None:
        raise InvalidInput(
            "seul un compte salarié est relié à un salarié",
            "only an employee account is linked to an employee",
            [_err("employee_id", "réservé au rôle employee", "only for role employee")],
        )
    if session.scalar(select(m.User.id).where(m.User.email == email)) is not None:
        raise Conflict(
            "un compte existe déjà avec cette adresse",
            "email already registered",
            [_err("email", "adresse déjà utilisée", "already used")],
        )
    password = password or secrets.token_urlsafe(12)
    if len(password) < 10:
        raise InvalidInput(
            "mot de passe trop court (10 caractères au moins)",
            "password too short (at least 10 characters)",
            [_err("password", "10 caractères au moins", "at least 10 characters")],
        )
    user = m.User(
        email=email,
        password_hash=_hasher.hash(password),
        role=role,
        organisation_id=organisation_id,
        employee_id=employee_id,
    )
    session.add(user)
    session.flush()
    _audit(
        session,
        actor,
        "create",
        "user",
        user.id,
        organisation_id,
        after=sha256(canonical([user.email, user.role, organisation_id])),
    )
    session.commit()
    return _user_view(user), password


def list_users(session: Session, actor: Actor) -> list[UserView]:
    if actor.role != "admin":
        raise Forbidden("réservé aux administrateurs", "admins only")
    users = session.scalars(
        select(m.User)
        .where(m.User.organisation_id.in_(_managed_orgs(session, actor)))
        .order_by(m.User.id)
    )
    return [_user_view(u) for u in users]


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(m.User)) or 0


def _employee_view(e: m.Employee) -> EmployeeView:
    return EmployeeView(
        id=e.id,
        organisation_id=e.organisation_id,
        reference=e.reference,
        erased=e.erased_at is not None,
    )


def _target_org(session: Session, actor: Actor, organisation_id: int | None) -> int:
    """The cabinet an actor writes into: their own, or one their payroll firm manages."""
    if actor.role not in WRITERS:
        raise Forbidden(
            "votre rôle ne permet pas de modifier les dossiers",
            "your role may not change case files",
        )
    if organisation_id is None:
        if actor.organisation_kind != "cabinet":
            raise InvalidInput(
                "précisez le cabinet concerné",
                "organisation_id is required",
                [_err("organisation_id", "champ obligatoire", "required field")],
            )
        return actor.organisation_id
    if organisation_id not in _managed_orgs(session, actor):
        raise NotFound("organisation introuvable", "organisation not found")
    return organisation_id


def create_employee(
    session: Session, actor: Actor, organisation_id: int | None = None, reference: str | None = None
) -> EmployeeView:
    """An employee record: a pseudonymous anchor (an optional internal reference only)."""
    org_id = _target_org(session, actor, organisation_id)
    employee = m.Employee(organisation_id=org_id, reference=(reference or "").strip() or None)
    session.add(employee)
    session.flush()
    _audit(session, actor, "create", "employee", employee.id, org_id)
    session.commit()
    return _employee_view(employee)


def list_employees(session: Session, actor: Actor) -> list[EmployeeView]:
    if actor.role not in WRITERS:
        raise Forbidden(
            "votre rôle ne permet pas de lister les salariés", "your role may not list employees"
        )
    rows = session.scalars(
        select(m.Employee)
        .where(m.Employee.organisation_id.in_(_managed_orgs(session, actor)))
        .order_by(m.Employee.id)
    )
    return [_employee_view(e) for e in rows]


def _writable_employee(session: Session, actor: Actor, employee_id: int) -> m.Employee:
    employee = session.get(m.Employee, employee_id)
    if (
        actor.role not in WRITERS
        or employee is None
        or employee.organisation_id not in _managed_orgs(session, actor)
    ):
        raise NotFound("salarié introuvable", "employee not found")
    return employee


# --- authentication -------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return sha256(token)


def _actor(user: m.User) -> Actor:
    return Actor(
        user_id=user.id,
        email=user.email,
        role=user.role,
        organisation_id=user.organisation_id,
        organisation_kind=user.organisation.kind,
        employee_id=user.employee_id,
    )


def login(session: Session, email: str, password: str, client: str = "") -> LoginResult:
    """Check a password and open a session. At most 5 failures per (email, client address)
    in 5 minutes; then `RateLimited` until the window slides, even with the right password."""
    email = email.strip().lower()
    key = sha256(email + "\0" + client)
    now = m.utcnow()
    failures = (
        session.scalar(
            select(func.count())
            .select_from(m.LoginFailure)
            .where(m.LoginFailure.key_hash == key, m.LoginFailure.at > now - LOGIN_WINDOW)
        )
        or 0
    )
    if failures >= LOGIN_MAX_FAILURES:
        raise RateLimited(
            "trop de tentatives de connexion : réessayez dans quelques minutes",
            "too many login attempts: try again in a few minutes",
        )
    user = session.scalars(select(m.User).where(m.User.email == email)).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        ok = user is not None and user.active
    except VerificationError:
        ok = False
    if not ok or user is None:
        session.add(m.LoginFailure(key_hash=key, at=now))
        session.commit()
        raise AuthFailed(
            "adresse électronique ou mot de passe incorrect", "wrong email or password"
        )
    session.execute(delete(m.LoginFailure).where(m.LoginFailure.key_hash == key))
    token = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(hours=SESSION_HOURS)
    session.add(m.AuthSession(token_hash=_token_hash(token), user_id=user.id, expires_at=expires))
    _audit(session, _actor(user), "login", "user", user.id, user.organisation_id)
    session.commit()
    return LoginResult(token=token, expires_at=expires, user=_user_view(user))


def actor_for_token(session: Session, token: str) -> Actor:
    """The actor behind a session token; `AuthFailed` when unknown, expired or disabled."""
    row = session.execute(
        select(m.AuthSession.expires_at, m.User)
        .join(m.User, m.User.id == m.AuthSession.user_id)
        .where(m.AuthSession.token_hash == _token_hash(token))
    ).first()
    if row is None or _utc(row[0]) <= m.utcnow() or not row[1].active:
        raise AuthFailed(
            "session absente ou expirée : reconnectez-vous",
            "missing or expired session: log in again",
        )
    return _actor(row[1])


def logout(session: Session, token: str) -> None:
    session.execute(delete(m.AuthSession).where(m.AuthSession.token_hash == _token_hash(token)))
    session.commit()


def get_user(session: Session, actor: Actor) -> UserView:
    user = session.get(m.User, actor.user_id)
    if user is None:
        raise NotFound("compte introuvable", "account not found")
    return _user_view(user)


# --- cases ----------------------------------------------------------------------------------


def _err(field: str, message: str, message_en: str) -> dict[str, str]:
    return {"field": field, "message": message, "message_en": message_en}


def _validated(payload: Any) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise InvalidInput(
            "le dossier doit être un objet JSON",
            "the case must be a JSON object",
            [_err("payload", "objet JSON attendu", "JSON object expected")],
        )
    try:
        parse_case(payload)
    except CaseError as exc:
        raise InvalidInput(
            "dossier invalide : " + exc.french(), exc.english(), exc.errors
        ) from None
    return payload


def _case_scope(session: Session, actor: Actor) -> ColumnElement[bool]:
    """The cases an actor may read, as a WHERE clause."""
    if actor.role in WRITERS:
        return m.Case.organisation_id.in_(_managed_orgs(session, actor))
    if actor.role == "employee" and actor.employee_id is not None:
        return (m.Case.organisation_id == actor.organisation_id) & (
            m.Case.employee_id == actor.employee_id
        )
    if actor.role == "opco":
        return m.Case.organisation_id.in_(_children(session, actor.organisation_id)) & (
            m.Case.status.in_(SUBMITTED)
        )
    return false()


def _load(session: Session, actor: Actor, case_id: int, write: bool = False) -> m.Case:
    case = session.scalars(
        select(m.Case).where(m.Case.id == case_id, _case_scope(session, actor))
    ).first()
    if case is None:
        raise NotFound(f"dossier n° {case_id} introuvable", f"case {case_id} not found")
    if write and actor.role not in WRITERS:
        raise Forbidden(
            "votre rôle permet de lire ce dossier, pas de le modifier",
            "your role may read this case, not change it",
        )
    return case


def _payload(session: Session, case: m.Case) -> dict[str, Any]:
    version = session.scalars(
        select(m.CaseVersion).where(
            m.CaseVersion.case_id == case.id, m.CaseVersion.version == case.current_version
        )
    ).one()
    return version.payload


def _case_view(case: m.Case, payload: dict[str, Any], decision: str | None) -> CaseView:
    return CaseView(
        id=case.id,
        organisation_id=case.organisation_id,
        employee_id=case.employee_id,
        status=case.status,
        status_label=STATUS_LABELS[case.status],
        version=case.current_version,
        payload=payload,
        decision=decision,
        created_at=_utc(case.created_at),
        updated_at=_utc(case.updated_at),
    )


def _decisions(session: Session, cases: Sequence[m.Case]) -> dict[int, str]:
    """Latest stored decision of each case's current version."""
    current = {c.id: c.current_version for c in cases}
    out: dict[int, str] = {}
    if not current:
        return out
    rows = session.execute(
        select(m.Evaluation.case_id, m.Evaluation.case_version, m.Evaluation.decision)
        .where(m.Evaluation.case_id.in_(current))
        .order_by(m.Evaluation.id)
    )
    for case_id, version, decision in rows:
        if current[case_id] == version:
            out[case_id] = decision
    return out


def create_case(
    session: Session,
    actor: Actor,
    payload: Any,
    *,
    organisation_id: int | None = None,
    employee_id: int | None = None,
    employee_reference: str | None = None,
) -> CaseView:
    """A new case (version 1, draft). Without `employee_id`, a new employee record is made."""
    data = _validated(payload)
    org_id = _target_org(session, actor, organisation_id)
    if employee_id is None:
        employee = m.Employee(
            organisation_id=org_id, reference=(employee_reference or "").strip() or None
        )
        session.add(employee)
        session.flush()  # audited with the case: its state names the employee
    else:
        employee = _writable_employee(session, actor, employee_id)
        if employee.organisation_id != org_id:
            raise NotFound("salarié introuvable", "employee not found")
        if employee.erased_at is not None:
            raise Conflict(
                "les données de ce salarié ont été effacées", "this employee's data was erased"
            )
    now = m.utcnow()
    case = m.Case(
        organisation_id=org_id,
        employee_id=employee.id,
        status="draft",
        current_version=1,
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    session.flush()
    session.add(
        m.CaseVersion(
            case_id=case.id, version=1, payload=data, created_by=actor.user_id, created_at=now
        )
    )
    _audit(session, actor, "create", "case", case.id, org_id, after=_case_state(case, data))
    session.commit()
    return _case_view(case, data, None)


def get_case(session: Session, actor: Actor, case_id: int) -> CaseView:
    case = _load(session, actor, case_id)
    return _case_view(case, _payload(session, case), _decisions(session, [case]).get(case.id))


def list_cases(
    session: Session,
    actor: Actor,
    *,
    status: Sequence[str] = (),
    organisation_id: int | None = None,
    employee_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[CaseView]:
    """The cases an actor may read, newest change first, filtered."""
    query: Select[m.Case] = select(m.Case).where(_case_scope(session, actor))
    unknown = [s for s in status if s not in m.STATUSES]
    if unknown:
        raise InvalidInput(
            f"statut inconnu : « {unknown[0]} »",
            f"unknown status {unknown[0]!r}",
            [
                _err(
                    "status",
                    "valeurs permises : " + ", ".join(m.STATUSES),
                    "allowed: " + ", ".join(m.STATUSES),
                )
            ],
        )
    if status:
        query = query.where(m.Case.status.in_(status))
    if organisation_id is not None:
        query = query.where(m.Case.organisation_id == organisation_id)
    if employee_id is not None:
        query = query.where(m.Case.employee_id == employee_id)
    limit = max(1, min(limit, 500))
    cases = list(
        session.scalars(
            query.order_by(m.Case.updated_at.desc(), m.Case.id.desc())
            .limit(limit)
            .offset(max(0, offset))
        )
    )
    if not cases:
        return []
    payloads: dict[int, dict[str, Any]] = {
        case_id: payload
        for case_id, payload in session.execute(
            select(m.CaseVersion.case_id, m.CaseVersion.payload)
            .join(
                m.Case,
                (m.Case.id == m.CaseVersion.case_id)
                & (m.Case.current_version == m.CaseVersion.version),
            )
            .where(m.CaseVersion.case_id.in_([c.id for c in cases]))
        )
    }
    decisions = _decisions(session, cases)
    return [_case_view(c, payloads[c.id], decisions.get(c.id)) for c in cases]


def update_case(
    session: Session,
    actor: Actor,
    case_id: int,
    payload: Any,
    *,
    expected_version: int | None = None,
) -> CaseView:
    """A new version of the payload. Only a draft or ready case changes (ready goes back to
    draft); `expected_version` guards against overwriting someone else's change."""
    data = _validated(payload)
    case = _load(session, actor, case_id, write=True)
    if case.status not in ("draft", "ready"):
        raise Conflict(
            f"dossier {STATUS_LABELS[case.status]} : il ne peut plus être modifié",
            f"case is {case.status}: it can no longer change",
        )
    if expected_version is not None and expected_version != case.current_version:
        raise Conflict(
            f"le dossier a été modifié entre-temps (version {case.current_version}, "
            f"vous aviez la version {expected_version}) : rechargez-le",
            "the case changed meanwhile: reload it",
            [
                _err(
                    "expected_version",
                    f"version actuelle : {case.current_version}",
                    f"current version: {case.current_version}",
                )
            ],
        )
    current = _payload(session, case)
    if canonical(current) == canonical(data):
        return _case_view(case, current, _decisions(session, [case]).get(case.id))
    before = _case_state(case, current)
    case.current_version += 1
    case.status = "draft"
    case.updated_at = m.utcnow()
    session.add(
        m.CaseVersion(
            case_id=case.id,
            version=case.current_version,
            payload=data,
            created_by=actor.user_id,
            created_at=case.updated_at,
        )
    )
    _audit(
        session,
        actor,
        "update",
        "case",
        case.id,
        case.organisation_id,
        before,
        _case_state(case, data),
    )
    session.commit()
    return _case_view(case, data, None)


def list_versions(session: Session, actor: Actor, case_id: int) -> list[VersionView]:
    case = _load(session, actor, case_id)
    rows = session.scalars(
        select(m.CaseVersion)
        .where(m.CaseVersion.case_id == case.id)
        .order_by(m.CaseVersion.version)
    )
    return [
        VersionView(
            version=v.version,
            payload=v.payload,
            created_by=v.created_by,
            created_at=_utc(v.created_at),
        )
        for v in rows
    ]


def delete_case(session: Session, actor: Actor, case_id: int) -> None:
    """Delete a draft or ready case with its versions, evaluations and documents. A case
    sent to the OPCO is kept (erase the employee's personal data instead)."""
    case = _load(session, actor, case_id, write=True)
    if case.status not in ("draft", "ready"):
        raise Conflict(
            "un dossier envoyé à l'OPCO ne se supprime pas ; effacez plutôt les "
            "données personnelles du salarié",
            "a case sent to the OPCO is kept; erase the employee's data instead",
        )
    before = _case_state(case, _payload(session, case))
    _audit(session, actor, "delete", "case", case.id, case.organisation_id, before, None)
    session.delete(case)
    session.commit()


def _stored_evaluation(
    session: Session, actor: Actor, case: m.Case, payload: dict[str, Any], result: Result
) -> EvaluationView:
    row = m.Evaluation(
        case_id=case.id,
        case_version=case.current_version,
        rulepack_version=result.rulepack_version,
        regime=result.regime,
        decision=result.decision,
        result=result.model_dump(mode="json"),
        created_by=actor.user_id,
    )
    session.add(row)
    session.flush()
    _audit(
        session,
        actor,
        "evaluate",
        "case",
        case.id,
        case.organisation_id,
        _case_state(case, payload),
        sha256(canonical(row.result)),
    )
    return _evaluation_view(row)


def _evaluation_view(row: m.Evaluation) -> EvaluationView:
    return EvaluationView(
        id=row.id,
        case_id=row.case_id,
        case_version=row.case_version,
        rulepack_version=row.rulepack_version,
        regime=row.regime,
        decision=row.decision,
        result=row.result,
        created_at=_utc(row.created_at),
    )


def evaluate_case(
    session: Session, actor: Actor, case_id: int, *, at: dt.date | None = None, store: bool = True
) -> EvaluationView:
    """Evaluate the current version. Stored (writers only) with its rule-pack version, or
    computed for reading only (`store=False`, any reader)."""
    case = _load(session, actor, case_id, write=store)
    payload = _payload(session, case)
    try:
        result = evaluate(payload, at=at)
    except CaseError as exc:  # a law date before the case's regime
        raise InvalidInput(
            "dossier invalide : " + exc.french(), exc.english(), exc.errors
        ) from None
    if not store:
        return EvaluationView(
            id=None,
            case_id=case.id,
            case_version=case.current_version,
            rulepack_version=result.rulepack_version,
            regime=result.regime,
            decision=result.decision,
            result=result.model_dump(mode="json"),
            created_at=m.utcnow(),
        )
    view = _stored_evaluation(session, actor, case, payload, result)
    session.commit()
    return view


def list_evaluations(session: Session, actor: Actor, case_id: int) -> list[EvaluationView]:
    case = _load(session, actor, case_id)
    rows = session.scalars(
        select(m.Evaluation).where(m.Evaluation.case_id == case.id).order_by(m.Evaluation.id)
    )
    return [_evaluation_view(r) for r in rows]


def questions_for(missing: Sequence[str]) -> list[Question]:
    """The French questions for missing inputs, in questionnaire order."""
    out = []
    for path in missing:
        spec = BY_PATH[path]
        out.append(
            Question(
                path=path,
                kind=spec.kind,
                question=spec.question,
                question_en=spec.question_en,
                help=spec.help,
                choices=list(spec.choices),
            )
        )
    return out


def case_questions(session: Session, actor: Actor, case_id: int) -> list[Question]:
    case = _load(session, actor, case_id)
    return questions_for(evaluate(_payload(session, case)).missing)


def set_status(session: Session, actor: Actor, case_id: int, status: str) -> CaseView:
    """Move a case along draft → ready → sent → accepted/refused → finished (refused may go
    back to draft). Ready and sent need an eligible evaluation, which is stored."""
    case = _load(session, actor, case_id, write=True)
    allowed = TRANSITIONS[case.status]
    if status not in allowed:
        wanted = STATUS_LABELS.get(status, status)
        raise Conflict(
            f"passage impossible de « {STATUS_LABELS[case.status]} » à « {wanted} » ; "
            "possible : " + (", ".join(f"« {STATUS_LABELS[s]} »" for s in allowed) or "aucun"),
            f"cannot move from {case.status} to {status}",
            [
                _err(
                    "status",
                    "valeurs possibles : " + (", ".join(allowed) or "aucune"),
                    "allowed: " + (", ".join(allowed) or "none"),
                )
            ],
        )
    payload = _payload(session, case)
    before = _case_state(case, payload)
    decision = None
    if status in ("ready", "sent"):
        result = evaluate(payload)
        if result.decision != "eligible":
            what = (
                "incomplet : " + str(len(result.missing)) + " réponse(s) manquante(s)"
                if result.decision == "incomplete"
                else "non éligible"
            )
            raise Conflict(
                f"le dossier est {what} ; il ne peut pas passer à « {STATUS_LABELS[status]} »",
                f"the case is {result.decision}: it cannot become {status}",
            )
        decision = _stored_evaluation(session, actor, case, payload, result).decision
    case.status = status
    case.updated_at = m.utcnow()
    _audit(
        session,
        actor,
        "status:" + status,
        "case",
        case.id,
        case.organisation_id,
        before,
        _case_state(case, payload),
    )
    session.commit()
    return _case_view(case, payload, decision or _decisions(session, [case]).get(case.id))


# --- documents ------------------------------------------------------------------------------


def render_document(
    session: Session, actor: Actor, case_id: int, kind: str, fmt: str, *, draft: bool = False
) -> tuple[bytes, DocumentView]:
    """Render a document of the current version (`proa.documents`: refused unless the case
    allows it, or marked « PROJET » with `draft`) and record its metadata."""
    from proa import documents

    case = _load(session, actor, case_id)
    chosen = next((f for f in documents.FORMATS if f == fmt), None)  # typed as a Format
    if kind not in documents.KINDS or chosen is None:
        raise NotFound(
            f"document inconnu : « {kind}.{fmt} » ; types : "
            + ", ".join(documents.KINDS)
            + " ; formats : pdf, docx",
            f"unknown document {kind}.{fmt}",
        )
    version, payload = case.current_version, _payload(session, case)
    session.rollback()  # rendering takes a while: hold no database lock meanwhile
    try:
        content = documents.render(kind, payload, chosen, draft)
    except documents.DocumentRefused as exc:
        raise Conflict(
            f"document refusé : {exc}", "document refused", [_err("kind", str(exc), "refused")]
        ) from None
    case = _load(session, actor, case_id)
    digest = hashlib.sha256(content).hexdigest()
    row = m.Document(
        case_id=case.id,
        case_version=version,
        kind=kind,
        format=fmt,
        sha256=digest,
        size=len(content),
        rulepack_version=default_engine().pack.version,  # the render just evaluated with it
        created_by=actor.user_id,
    )
    session.add(row)
    session.flush()
    _audit(session, actor, "document", "case", case.id, case.organisation_id, None, digest)
    session.commit()
    return content, _document_view(row)


def _document_view(row: m.Document) -> DocumentView:
    return DocumentView(
        id=row.id,
        case_id=row.case_id,
        case_version=row.case_version,
        kind=row.kind,
        format=row.format,
        sha256=row.sha256,
        size=row.size,
        rulepack_version=row.rulepack_version,
        created_at=_utc(row.created_at),
    )


def list_documents(session: Session, actor: Actor, case_id: int) -> list[DocumentView]:
    case = _load(session, actor, case_id)
    rows = session.scalars(
        select(m.Document).where(m.Document.case_id == case.id).order_by(m.Document.id)
    )
    return [_document_view(r) for r in rows]


# --- audit, export, erasure, statistics -----------------------------------------------------


def _entry(e: m.AuditEvent) -> AuditEntry:
    return AuditEntry(
        id=e.id,
        at=_utc(e.at),
        actor_id=e.actor_id,
        organisation_id=e.organisation_id,
        action=e.action,
        entity=e.entity,
        entity_id=e.entity_id,
        before_hash=e.before_hash,
        after_hash=e.after_hash,
        hash=e.hash,
    )


def audit_trail(
    session: Session, actor: Actor, *, case_id: int | None = None, limit: int = 200, offset: int = 0
) -> list[AuditEntry]:
    """A case's events (anyone who reads the case), or all events of the actor's
    organisations (admins only), oldest first."""
    query = select(m.AuditEvent)
    if case_id is not None:
        case = _load(session, actor, case_id)
        query = query.where(m.AuditEvent.entity == "case", m.AuditEvent.entity_id == case.id)
    elif actor.role == "admin":
        query = query.where(m.AuditEvent.organisation_id.in_(_managed_orgs(session, actor)))
    else:
        raise Forbidden("réservé aux administrateurs", "admins only")
    rows = session.scalars(
        query.order_by(m.AuditEvent.id).limit(max(1, min(limit, 1000))).offset(max(0, offset))
    )
    return [_entry(e) for e in rows]


def export_case(session: Session, actor: Actor, case_id: int) -> dict[str, Any]:
    """The whole case file as JSON: versions, evaluations, documents and audit events."""
    case = get_case(session, actor, case_id)
    return {
        "format": "proa-case-file/1",
        "exported_at": m.utcnow().isoformat(),
        "case": case.model_dump(mode="json"),
        "versions": [v.model_dump(mode="json") for v in list_versions(session, actor, case_id)],
        "evaluations": [
            e.model_dump(mode="json") for e in list_evaluations(session, actor, case_id)
        ],
        "documents": [d.model_dump(mode="json") for d in list_documents(session, actor, case_id)],
        "audit": [
            a.model_dump(mode="json")
            for a in audit_trail(session, actor, case_id=case_id, limit=1000)
        ],
    }


def redact(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload without the employee's personal data (absent = unknown, never a guess)."""
    out: dict[str, Any] = json.loads(json.dumps(payload))
    for section, key in PERSONAL_PATHS:
        part = out.get(section)
        if isinstance(part, dict):
            part.pop(key, None)
    return out


def _redact_result(result: dict[str, Any]) -> dict[str, Any]:
    # Messages and traces may quote an age, a leave or a name: keep rule, status, sources.
    out: dict[str, Any] = json.loads(json.dumps(result))
    for finding in out.get("findings", []):
        finding["message"] = ERASED
        finding["trace"] = None
    return out


def erase_employee(session: Session, actor: Actor, employee_id: int) -> ErasureReport:
    """GDPR right to erasure: remove the employee's personal data from every version and
    evaluation of their cases. The audit trail keeps its rows (hashes only) and an `erase`
    event; the cases stay, anonymised, for the OPCO's and the employer's obligations."""
    employee = _writable_employee(session, actor, employee_id)
    cases = list(session.scalars(select(m.Case).where(m.Case.employee_id == employee.id)))
    ids = [c.id for c in cases]
    versions = list(session.scalars(select(m.CaseVersion).where(m.CaseVersion.case_id.in_(ids))))
    for v in versions:
        v.payload = redact(v.payload)
    evaluations = list(session.scalars(select(m.Evaluation).where(m.Evaluation.case_id.in_(ids))))
    for e in evaluations:
        e.result = _redact_result(e.result)
    employee.reference = None
    employee.erased_at = m.utcnow()
    _audit(session, actor, "erase", "employee", employee.id, employee.organisation_id)
    for c in cases:
        _audit(session, actor, "erase", "case", c.id, c.organisation_id)
    session.commit()
    return ErasureReport(
        employee_id=employee.id,
        cases=len(cases),
        versions=len(versions),
        evaluations=len(evaluations),
    )


def statistics(session: Session, actor: Actor) -> dict[str, Any]:
    """Counts only (no case, no person): by status and by regime of the latest evaluation.

    A branch sees the cabinets linked to it; other roles the cases they may read."""
    scope: ColumnElement[bool]
    if actor.role == "branch":
        scope = m.Case.organisation_id.in_(_children(session, actor.organisation_id))
    else:
        scope = _case_scope(session, actor)
    cases = list(session.scalars(select(m.Case).where(scope)))
    by_status = Counter(c.status for c in cases)
    decisions = Counter(_decisions(session, cases).values())
    return {
        "cases": len(cases),
        "by_status": {s: by_status.get(s, 0) for s in m.STATUSES},
        "by_decision": dict(sorted(decisions.items())),
    }


__all__ = [
    "Actor",
    "AuditCheck",
    "AuditEntry",
    "CaseView",
    "DocumentView",
    "EmployeeView",
    "ErasureReport",
    "EvaluationView",
    "LoginResult",
    "OrganisationView",
    "Question",
    "UserView",
    "VersionView",
    "actor_for_token",
    "audit_trail",
    "case_questions",
    "count_users",
    "create_case",
    "create_employee",
    "create_organisation",
    "create_user",
    "delete_case",
    "erase_employee",
    "evaluate_case",
    "export_case",
    "find_organisation",
    "get_case",
    "get_user",
    "link_organisations",
    "list_cases",
    "list_documents",
    "list_employees",
    "list_evaluations",
    "list_organisations",
    "list_users",
    "list_versions",
    "login",
    "logout",
    "questions_for",
    "redact",
    "render_document",
    "set_status",
    "statistics",
    "update_case",
    "verify_audit_chain",
]
