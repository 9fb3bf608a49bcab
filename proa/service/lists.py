"""Lists of cases that scale: filters on the stored verdict, a search in employees' names,
the order, the exact count and one page, all in the database; each case's next deadline
(`case_deadlines`, kept with the verdict)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

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
_CHUNK = 500  # ids in one IN (…) (SQLite binds 32,766 values at most)


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


# The statuses after the step that meets a deadline (`CaseDeadline.met_by`).
MET_AFTER = {
    "sending": ("sent", "accepted", "refused", "finished"),
    "decision": ("accepted", "refused", "finished"),
}


def is_met(met_by: str | None, status: str) -> bool:
    """Whether a case in `status` has met a deadline met by the step `met_by`."""
    return met_by is not None and status in MET_AFTER.get(met_by, ())


def to_meet() -> ColumnElement[bool]:
    """Whether a deadline is still to meet, given its case's status (`m.Case` joined)."""
    return and_(
        *(
            or_(
                m.CaseDeadline.met_by.is_(None),
                m.CaseDeadline.met_by != step,
                m.Case.status.not_in(after),
            )
            for step, after in MET_AFTER.items()
        )
    )


def next_deadline(day: dt.date) -> Any:
    """The date of the case's first deadline from `day` on (null when none)."""
    return (
        select(func.min(m.CaseDeadline.due_date))
        .where(m.CaseDeadline.case_id == m.Case.id, m.CaseDeadline.due_date >= day, to_meet())
        .scalar_subquery()
    )


def _next_deadline_label(day: dt.date, label: Any) -> Any:
    """A label column (`what`, `what_en`) of the case's first deadline from `day` on."""
    return (
        select(label)
        .where(m.CaseDeadline.case_id == m.Case.id, m.CaseDeadline.due_date >= day, to_meet())
        .order_by(m.CaseDeadline.due_date, m.CaseDeadline.position)
        .limit(1)
        .scalar_subquery()
    )


def selection(session: Session, actor: Actor, q: CaseQuery, day: dt.date) -> Select[Any]:
    """The ids of the cases an actor may read that `q` selects, in its order: what the
    filters and the order need, joined (the current version for a name, the next deadline of
    each case for that order), nothing else computed (a page's columns come after)."""
    key = q.sort.lstrip("-")
    query = select(m.Case.id).where(case_scope(session, actor))
    if q.status:
        query = query.where(m.Case.status.in_(q.status))
    if q.regime:
        query = query.where(m.Case.regime == q.regime)
    if q.decision:
        query = query.where(m.Case.decision == q.decision)
    if q.organisation_id is not None:
        query = query.where(m.Case.organisation_id == q.organisation_id)
    if q.employee_id is not None:
        query = query.where(m.Case.employee_id == q.employee_id)
    name: Any = None
    if q.employee_name or key == "employee_name":
        current = aliased(m.CaseVersion)
        query = query.join(
            current,
            (current.case_id == m.Case.id) & (current.version == m.Case.current_version),
        )
        name = fold(current.payload[("parties", "employee_name")].as_string())
    if q.employee_name:
        words = (fold_text(q.employee_name) or "").split()
        query = query.where(*(name.contains(word, autoescape=True) for word in words))
    descending = q.sort.startswith("-")
    newest: list[Any] = [m.Case.updated_at.desc(), m.Case.id.desc()]
    column: Any
    if key == "updated_at":
        return query.order_by(
            *(newest if descending else [m.Case.updated_at.asc(), m.Case.id.asc()])
        )
    if key == "created_at":
        column = m.Case.created_at
    elif key == "status":  # in the workflow's order, not the alphabet's
        column = case({s: i for i, s in enumerate(m.STATUSES)}, value=m.Case.status)
    elif key == "next_deadline":
        coming = (
            select(m.CaseDeadline.case_id, func.min(m.CaseDeadline.due_date).label("day"))
            .join(m.Case, m.Case.id == m.CaseDeadline.case_id)
            .where(m.CaseDeadline.due_date >= day, to_meet())
            .group_by(m.CaseDeadline.case_id)
            .subquery()
        )
        query = query.outerjoin(coming, coming.c.case_id == m.Case.id)
        column = coming.c.day
    else:
        column = name
    first = column.desc() if descending else column.asc()
    return query.order_by(first.nulls_last(), *newest)


def count(session: Session, ids: Select[Any]) -> int:
    """How many cases a `selection` holds."""
    return session.scalar(select(func.count()).select_from(ids.order_by(None).subquery())) or 0


def page_ids(session: Session, ids: Select[Any], limit: int | None, offset: int = 0) -> list[int]:
    return list(session.scalars(ids.limit(limit).offset(offset)))


def _summaries(session: Session, ids: list[int]) -> list[CaseSummary]:
    """The list's columns of these cases, in this order (a page: a few rows to compute)."""
    day = today()
    by_id: dict[int, CaseSummary] = {}
    for chunk in range(0, len(ids), _CHUNK):
        rows = session.execute(
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
                _next_deadline_label(day, m.CaseDeadline.what).label("next_deadline_what"),
                _next_deadline_label(day, m.CaseDeadline.what_en).label("next_deadline_what_en"),
            )
            .join(m.Organisation, m.Organisation.id == m.Case.organisation_id)
            .where(m.Case.id.in_(ids[chunk : chunk + _CHUNK]))
        )
        by_id.update((r.id, CaseSummary.model_validate(r)) for r in rows)
    return [by_id[i] for i in ids]


def case_summaries(db: Database, actor: Actor, q: CaseFilter) -> CasePage:
    """One page of the cases an actor may read (`q`), with the exact count of them all."""
    with db.reading() as session:
        ids = selection(session, actor, q, today())
        total = count(session, ids)
        chosen = page_ids(session, ids, q.limit, q.offset)
        return CasePage(total=total, items=_summaries(session, chosen))


def export_summaries(db: Database, actor: Actor, q: CaseQuery) -> list[CaseSummary]:
    """Every case of the list `q` (an export), at most `MAX_EXPORT`."""
    with db.reading() as session:
        ids = selection(session, actor, q, today())
        total = count(session, ids)
        if total > MAX_EXPORT:
            raise InvalidInput(
                text("service.export_too_long", rows=number(total), most=number(MAX_EXPORT))
            )
        return _summaries(session, page_ids(session, ids, None))
