"""Lists of cases that scale: filters on the stored verdict, a search in employees' names,
the order, the exact count and one page, all in the database; each case's next deadline
(`case_deadlines`, kept with the verdict)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session

from proa.core.catalogue import text
from proa.presentation import number
from proa.service.access import case_scope
from proa.service.errors import InvalidInput
from proa.service.inputs import CaseFilter, CaseQuery
from proa.service.views import Actor, CasePage, CaseSummary
from proa.storage import models as m
from proa.storage.db import Database
from proa.storage.search import fold, fold_text

PARIS = ZoneInfo("Europe/Paris")
MAX_EXPORT = 50_000  # rows of one export; beyond, narrower filters (a file a person opens)


def today() -> dt.date:
    """The day in France: deadlines fall on French days."""
    return dt.datetime.now(PARIS).date()


def employee_name() -> Any:
    """The employee's name in the case's current version (null when not given)."""
    return (
        select(m.CaseVersion.payload[("parties", "employee_name")].as_string())
        .where(
            m.CaseVersion.case_id == m.Case.id,
            m.CaseVersion.version == m.Case.current_version,
        )
        .scalar_subquery()
    )


def next_deadline(day: dt.date) -> Any:
    """The date of the case's first deadline from `day` on (null when none)."""
    return (
        select(func.min(m.CaseDeadline.due_date))
        .where(m.CaseDeadline.case_id == m.Case.id, m.CaseDeadline.due_date >= day)
        .scalar_subquery()
    )


def _next_deadline_what(day: dt.date) -> Any:
    return (
        select(m.CaseDeadline.what)
        .where(m.CaseDeadline.case_id == m.Case.id, m.CaseDeadline.due_date >= day)
        .order_by(m.CaseDeadline.due_date, m.CaseDeadline.position)
        .limit(1)
        .scalar_subquery()
    )


def conditions(session: Session, actor: Actor, q: CaseQuery) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a query: what the actor may read, then the filters."""
    where = [case_scope(session, actor)]
    if q.status:
        where.append(m.Case.status.in_(q.status))
    if q.regime:
        where.append(m.Case.regime == q.regime)
    if q.decision:
        where.append(m.Case.decision == q.decision)
    if q.organisation_id is not None:
        where.append(m.Case.organisation_id == q.organisation_id)
    if q.employee_id is not None:
        where.append(m.Case.employee_id == q.employee_id)
    if q.employee_name:
        words = fold_text(q.employee_name) or ""
        name = fold(employee_name())
        where.extend(name.contains(word, autoescape=True) for word in words.split())
    return where


def ordering(q: CaseQuery, day: dt.date) -> list[Any]:
    """ORDER BY: the chosen key (cases without a value last), then the newest change."""
    key = q.sort.lstrip("-")
    descending = q.sort.startswith("-")
    newest = [m.Case.updated_at.desc(), m.Case.id.desc()]
    column: Any
    if key == "updated_at":
        return newest if descending else [m.Case.updated_at.asc(), m.Case.id.asc()]
    if key == "created_at":
        column = m.Case.created_at
    elif key == "status":  # in the workflow's order, not the alphabet's
        column = case({s: i for i, s in enumerate(m.STATUSES)}, value=m.Case.status)
    elif key == "next_deadline":
        column = next_deadline(day)
    else:
        column = fold(employee_name())
    first = column.desc() if descending else column.asc()
    return [first.nulls_last(), *newest]


def _summaries(where: list[ColumnElement[bool]], q: CaseQuery) -> Select[Any]:
    day = today()
    return (
        select(
            m.Case.id,
            m.Case.organisation_id,
            m.Organisation.name.label("organisation"),
            m.Case.employee_id,
            employee_name().label("employee_name"),
            m.Case.status,
            m.Case.regime,
            m.Case.decision,
            m.Case.created_at,
            m.Case.updated_at,
            next_deadline(day).label("next_deadline"),
            _next_deadline_what(day).label("next_deadline_what"),
        )
        .join(m.Organisation, m.Organisation.id == m.Case.organisation_id)
        .where(*where)
        .order_by(*ordering(q, day))
    )


def count(session: Session, where: list[ColumnElement[bool]]) -> int:
    return session.scalar(select(func.count()).select_from(m.Case).where(*where)) or 0


def case_summaries(db: Database, actor: Actor, q: CaseFilter) -> CasePage:
    """One page of the cases an actor may read (`q`), with the exact count of them all."""
    with db.reading() as session:
        where = conditions(session, actor, q)
        total = count(session, where)
        rows = session.execute(_summaries(where, q).limit(q.limit).offset(q.offset))
        return CasePage(total=total, items=[CaseSummary.model_validate(r) for r in rows])


def export_summaries(db: Database, actor: Actor, q: CaseQuery) -> list[CaseSummary]:
    """Every case of the list `q` (an export), at most `MAX_EXPORT`."""
    with db.reading() as session:
        where = conditions(session, actor, q)
        total = count(session, where)
        if total > MAX_EXPORT:
            raise InvalidInput(
                text("service.export_too_long", rows=number(total), most=number(MAX_EXPORT))
            )
        rows = session.execute(_summaries(where, q))
        return [CaseSummary.model_validate(r) for r in rows]
