"""Organisations, their links, user accounts and employee records.

`actor` None is the operator (the command line)."""

from __future__ import annotations

import secrets

from sqlalchemy import delete, func, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from proa.core.catalogue import text
from proa.core.model import field_error
from proa.service import passwords
from proa.service.access import WRITERS, children, managed_orgs, target_org
from proa.service.audit import digest, record, sha256
from proa.service.errors import Conflict, Forbidden, InvalidInput, NotFound, allowed
from proa.service.inputs import (
    EmployeeInput,
    Input,
    KindInput,
    OrganisationInput,
    Password,
    UserInput,
    check,
    check_id,
)
from proa.service.views import Actor, EmployeeView, OrganisationView, UserView
from proa.storage import models as m
from proa.storage.db import Database

_FIRST_RUN_LOCK = 0x70726F63  # PostgreSQL advisory lock: the first run happens once
# Which roles an organisation of each kind may hold (admin everywhere).
ROLES_BY_KIND = {
    "cabinet": ("admin", "employer", "employee"),
    "payroll_firm": ("admin", "payroll"),
    "opco": ("admin", "opco"),
    "branch": ("admin", "branch"),
}


def kind_for_role(role: str) -> str:
    """The kind of organisation a new account of this role belongs to, by default."""
    return {"opco": "opco", "payroll": "payroll_firm", "branch": "branch"}.get(role, "cabinet")


def check_role_fits(role: str, kind: str) -> str:
    """`kind`, if an organisation of that kind may hold an account of `role`; else the
    French error naming the field, before anything is written."""
    check(KindInput, kind=kind)
    if role not in ROLES_BY_KIND[kind]:
        raise InvalidInput(
            text("service.role_not_in_kind", role=role), [allowed("role", ROLES_BY_KIND[kind])]
        )
    return kind


def create_organisation(
    db: Database, actor: Actor | None, name: str, kind: str, parent_id: int | None = None
) -> OrganisationView:
    """Create an organisation. An admin of a payroll firm may create the cabinets it
    manages (linked to it)."""
    data = check(OrganisationInput, name=name, kind=kind)
    if actor is not None:
        if actor.role != "admin" or actor.organisation_kind != "payroll_firm" or kind != "cabinet":
            raise Forbidden(text("service.payroll_admin_creates_cabinets"))
        parent_id = actor.organisation_id
    with db.writing() as session:
        if parent_id is not None and session.get(m.Organisation, parent_id) is None:
            raise NotFound(text("service.parent_not_found"))
        org = m.Organisation(name=data.name, kind=data.kind)
        session.add(org)
        session.flush()
        if parent_id is not None:
            session.add(m.OrganisationLink(parent_id=parent_id, child_id=org.id))
        after = digest([org.name, org.kind, parent_id])
        record(session, actor, "create", "organisation", org.id, org.id, after=after)
        return OrganisationView.model_validate(org)


def link_organisations(db: Database, parent_id: int, child_id: int) -> None:
    """Operator only: a payroll firm manages, an OPCO or a branch oversees, a cabinet."""
    with db.writing() as session:
        parent = session.get(m.Organisation, parent_id)
        child = session.get(m.Organisation, child_id)
        if parent is None or child is None:
            raise NotFound(text("service.organisation_not_found"))
        if child.kind != "cabinet" or parent.kind == "cabinet":
            raise InvalidInput(text("service.link_cabinets_only"))
        if session.get(m.OrganisationLink, (parent_id, child_id)) is None:
            session.add(m.OrganisationLink(parent_id=parent_id, child_id=child_id))
            after = digest([parent_id, child_id])
            record(session, None, "link", "organisation", child_id, parent_id, after=after)


def list_organisations(db: Database, actor: Actor) -> list[OrganisationView]:
    with db.reading() as session:
        ids = [actor.organisation_id, *children(session, actor.organisation_id)]
        orgs = session.scalars(
            select(m.Organisation).where(m.Organisation.id.in_(ids)).order_by(m.Organisation.id)
        )
        return [OrganisationView.model_validate(o) for o in orgs]


def find_organisation(db: Database, name: str) -> OrganisationView | None:
    """Operator only (command line): an organisation by exact name."""
    with db.reading() as session:
        org = session.scalars(select(m.Organisation).where(m.Organisation.name == name)).first()
        return OrganisationView.model_validate(org) if org else None


def create_user(
    db: Database,
    actor: Actor | None,
    email: str,
    role: str,
    organisation_id: int,
    password: str | None = None,
    employee_id: int | None = None,
) -> tuple[UserView, str]:
    """Create an account; returns it with its password (generated when not given), which is
    shown once and stored only as an argon2 hash."""
    data = check(
        UserInput,
        email=email,
        role=role,
        organisation_id=organisation_id,
        password=password,
        employee_id=employee_id,
    )
    if actor is not None and actor.role != "admin":
        raise Forbidden(text("service.admin_creates_accounts"))
    password = data.password or secrets.token_urlsafe(15)
    hashed = passwords.hash_password(password)  # slow on purpose: outside the transaction
    with db.writing() as session:
        if actor is not None and organisation_id not in managed_orgs(session, actor):
            raise NotFound(text("service.organisation_not_found"))
        org = session.get(m.Organisation, organisation_id)
        if org is None:
            raise NotFound(text("service.organisation_not_found"))
        check_role_fits(data.role, org.kind)
        _check_employee_link(session, data, organisation_id)
        if session.scalar(select(m.User.id).where(m.User.email == data.email)) is not None:
            raise Conflict(
                text("service.email_registered"),
                [field_error("email", text("service.email_used"))],
            )
        user = m.User(
            email=data.email,
            password_hash=hashed,
            role=data.role,
            organisation_id=organisation_id,
            employee_id=data.employee_id,
        )
        session.add(user)
        session.flush()
        after = digest([user.email, user.role, organisation_id])
        record(session, actor, "create", "user", user.id, organisation_id, after=after)
        return UserView.model_validate(user), password


def _check_employee_link(session: Session, data: UserInput, organisation_id: int) -> None:
    if data.role == "employee":
        employee = (
            session.get(m.Employee, data.employee_id) if data.employee_id is not None else None
        )
        if employee is None or employee.organisation_id != organisation_id:
            raise InvalidInput(
                text("service.employee_account_needs_employee"),
                [field_error("employee_id", text("service.employee_not_in_cabinet"))],
            )
    elif data.employee_id is not None:
        raise InvalidInput(
            text("service.employee_link_for_employees"),
            [field_error("employee_id", text("service.employee_role_only"))],
        )


def list_users(db: Database, actor: Actor) -> list[UserView]:
    if actor.role != "admin":
        raise Forbidden(text("service.admins_only"))
    with db.reading() as session:
        users = session.scalars(
            select(m.User)
            .where(m.User.organisation_id.in_(managed_orgs(session, actor)))
            .order_by(m.User.id)
        )
        return [UserView.model_validate(u) for u in users]


def count_users(db: Database) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(m.User)) or 0


def create_first_admin(
    db: Database, organisation: str, email: str
) -> tuple[OrganisationView, UserView, str] | None:
    """On an empty database only: a cabinet and its administrator, with a generated
    password (shown once). Several processes starting together create them once."""
    if count_users(db):
        return None
    password = secrets.token_urlsafe(15)
    hashed = passwords.hash_password(password)
    with db.writing() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(sql("SELECT pg_advisory_xact_lock(:k)"), {"k": _FIRST_RUN_LOCK})
        # On SQLite the write transaction began with BEGIN IMMEDIATE: one process at a time.
        if session.scalar(select(func.count()).select_from(m.User)):
            return None
        org = m.Organisation(name=organisation, kind="cabinet")
        session.add(org)
        session.flush()
        user = m.User(email=email, password_hash=hashed, role="admin", organisation_id=org.id)
        session.add(user)
        session.flush()
        record(session, None, "create", "organisation", org.id, org.id, after=digest([org.name]))
        record(session, None, "create", "user", user.id, org.id, after=digest([email, "admin"]))
        return OrganisationView.model_validate(org), UserView.model_validate(user), password


def create_employee(
    db: Database, actor: Actor, organisation_id: int | None = None, reference: str | None = None
) -> EmployeeView:
    """An employee record: a pseudonymous anchor (an optional internal reference only)."""
    data = check(EmployeeInput, organisation_id=organisation_id, reference=reference)
    with db.writing() as session:
        org_id = target_org(session, actor, data.organisation_id)
        employee = m.Employee(organisation_id=org_id, reference=data.reference or None)
        session.add(employee)
        session.flush()
        record(session, actor, "create", "employee", employee.id, org_id)
        return EmployeeView.model_validate(employee)


def list_employees(db: Database, actor: Actor) -> list[EmployeeView]:
    if actor.role not in WRITERS:
        raise Forbidden(text("service.may_not_list_employees"))
    with db.reading() as session:
        rows = session.scalars(
            select(m.Employee)
            .where(m.Employee.organisation_id.in_(managed_orgs(session, actor)))
            .order_by(m.Employee.id)
        )
        return [EmployeeView.model_validate(e) for e in rows]


class PasswordInput(Input):
    new: Password


def _managed_user(session: Session, actor: Actor, user_id: int) -> m.User:
    """An account of an organisation the admin manages: out of reach, `NotFound` (as for
    cases); within reach, `Forbidden` to anyone but an admin."""
    check_id(user_id, text("service.account_not_found"))
    user = session.get(m.User, user_id)
    if user is None or user.organisation_id not in managed_orgs(session, actor):
        raise NotFound(text("service.account_not_found"))
    if actor.role != "admin":
        raise Forbidden(text("service.admin_manages_accounts"))
    return user


def _end_sessions(db: Database, session: Session, user_id: int, keep: str | None = None) -> None:
    """Log the account out everywhere (but the session `keep`), in this process at once."""
    query = delete(m.AuthSession).where(m.AuthSession.user_id == user_id)
    if keep is not None:
        query = query.where(m.AuthSession.token_hash != sha256(keep))
    session.execute(query)
    db.memo.pop("actors", None)


def set_user_active(db: Database, actor: Actor, user_id: int, active: bool) -> UserView:
    """Deactivate an account (its sessions end at once) or activate it again."""
    with db.writing() as session:
        user = _managed_user(session, actor, user_id)
        if user.id == actor.user_id and not active:
            raise Conflict(text("service.not_yourself"))
        user.active = active
        if not active:
            _end_sessions(db, session, user.id)
        action = "activate" if active else "deactivate"
        record(session, actor, action, "user", user.id, user.organisation_id)
        return UserView.model_validate(user)


def reset_password(db: Database, actor: Actor, user_id: int) -> tuple[UserView, str]:
    """A new password for an account (shown once), its sessions ended."""
    password = secrets.token_urlsafe(15)
    hashed = passwords.hash_password(password)  # slow on purpose: outside the transaction
    with db.writing() as session:
        user = _managed_user(session, actor, user_id)
        user.password_hash = hashed
        _end_sessions(db, session, user.id)
        record(session, actor, "password:reset", "user", user.id, user.organisation_id)
        return UserView.model_validate(user), password


def change_password(
    db: Database, actor: Actor, current: str, new: str, token: str | None = None
) -> None:
    """The account's own password, the current one given; its other sessions end."""
    checked = check(PasswordInput, new=new).new
    with db.reading() as session:
        stored = session.scalar(select(m.User.password_hash).where(m.User.id == actor.user_id))
    if not passwords.verify(stored, current):
        raise InvalidInput(
            text("service.wrong_password"),
            [field_error("current", text("service.wrong_password"))],
        )
    hashed = passwords.hash_password(checked)
    with db.writing() as session:
        user = session.get(m.User, actor.user_id)
        if user is None:
            raise NotFound(text("service.account_not_found"))
        user.password_hash = hashed
        _end_sessions(db, session, user.id, keep=token)
        record(session, actor, "password:change", "user", user.id, user.organisation_id)
