"""Tenancy and roles: which organisations, cases and employees an actor reaches.

A resource outside the actor's reach is reported as `NotFound`, never `Forbidden`, so that
its existence does not leak. `Forbidden` is only for a visible resource the actor's role
may not change (an OPCO adviser, an employee).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.orm import Session

from proa.core.catalogue import text
from proa.core.model import field_error
from proa.service.errors import Forbidden, InvalidInput, NotFound
from proa.service.inputs import check_id
from proa.service.views import Actor
from proa.storage import models as m

WRITERS = frozenset({"admin", "employer", "payroll"})
SUBMITTED = ("sent", "accepted", "refused", "finished")


def children(session: Session, organisation_id: int) -> list[int]:
    """The cabinets an organisation manages (payroll firm) or oversees (OPCO, branch)."""
    return list(
        session.scalars(
            select(m.OrganisationLink.child_id).where(
                m.OrganisationLink.parent_id == organisation_id
            )
        )
    )


def managed_orgs(session: Session, actor: Actor) -> list[int]:
    """Organisations whose cases the actor may change (if their role writes at all)."""
    if actor.organisation_kind == "payroll_firm":
        return [actor.organisation_id, *children(session, actor.organisation_id)]
    return [actor.organisation_id]


def require_writer(actor: Actor) -> None:
    if actor.role not in WRITERS:
        raise Forbidden(text("service.may_not_write_cases"))


def target_org(session: Session, actor: Actor, organisation_id: int | None) -> int:
    """The cabinet an actor writes into: their own, or one their payroll firm manages."""
    require_writer(actor)
    if organisation_id is None:
        if actor.organisation_kind != "cabinet":
            raise InvalidInput(
                text("service.cabinet_required"),
                [field_error("organisation_id", text("case.required"))],
            )
        return actor.organisation_id
    if organisation_id not in managed_orgs(session, actor):
        raise NotFound(text("service.organisation_not_found"))
    return organisation_id


def case_scope(session: Session, actor: Actor) -> ColumnElement[bool]:
    """The cases an actor may read, as a WHERE clause."""
    if actor.role in WRITERS:
        return m.Case.organisation_id.in_(managed_orgs(session, actor))
    if actor.role == "employee" and actor.employee_id is not None:
        return (m.Case.organisation_id == actor.organisation_id) & (
            m.Case.employee_id == actor.employee_id
        )
    if actor.role == "opco":
        return m.Case.organisation_id.in_(children(session, actor.organisation_id)) & (
            m.Case.status.in_(SUBMITTED)
        )
    return false()


def load_case(session: Session, actor: Actor, case_id: int, write: bool = False) -> m.Case:
    check_id(case_id, text("service.case_not_found", case_id=case_id))
    case = session.scalars(
        select(m.Case).where(m.Case.id == case_id, case_scope(session, actor))
    ).first()
    if case is None:
        raise NotFound(text("service.case_not_found", case_id=case_id))
    if write and actor.role not in WRITERS:
        raise Forbidden(text("service.read_not_write"))
    return case


def writable_employee(session: Session, actor: Actor, employee_id: int) -> m.Employee:
    check_id(employee_id, text("service.employee_not_found"))
    employee = session.get(m.Employee, employee_id)
    if (
        actor.role not in WRITERS
        or employee is None
        or employee.organisation_id not in managed_orgs(session, actor)
    ):
        raise NotFound(text("service.employee_not_found"))
    return employee
