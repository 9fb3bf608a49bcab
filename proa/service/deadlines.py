"""Deadlines that reach people (issue 13, §4): the coming deadlines of the cases an actor
may read (`case_deadlines`, kept with each verdict), each user's calendar feed behind a
secret token, and their choice of e-mail reminders (`proa.service.reminders` sends them).

A refused or finished case has no deadline left to meet: its deadlines are not listed; nor
is a deadline the case has met by its status (`to_meet`): the sending deadline of a case
sent, the decision date of a case decided.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from proa.core.catalogue import text
from proa.service.access import case_scope
from proa.service.audit import record, sha256
from proa.service.errors import NotFound
from proa.service.lists import employee_name, to_meet
from proa.service.login import actor_of
from proa.service.views import Actor, AlertSettings, DeadlinePage, DeadlineView
from proa.storage import models as m
from proa.storage.db import Database

OPEN = ("draft", "ready", "sent", "accepted")


def conditions(
    session: Session, actor: Actor, start: dt.date, end: dt.date
) -> list[ColumnElement[bool]]:
    """The deadlines from `start` to `end` (included) of the open cases an actor may read."""
    return [
        case_scope(session, actor),
        m.Case.status.in_(OPEN),
        to_meet(),
        m.CaseDeadline.due_date >= start,
        m.CaseDeadline.due_date <= end,
    ]


def _rows(where: list[ColumnElement[bool]], names: bool) -> Select[Any]:
    columns: list[Any] = [
        m.CaseDeadline.case_id,
        m.Case.organisation_id,
        m.Organisation.name.label("organisation"),
        m.Case.status,
        m.CaseDeadline.position,
        m.CaseDeadline.what,
        m.CaseDeadline.due_date,
        m.CaseDeadline.what_en,
    ]
    if names:
        columns.append(employee_name().label("employee_name"))
    return (
        select(*columns)
        .join(m.Case, m.Case.id == m.CaseDeadline.case_id)
        .join(m.Organisation, m.Organisation.id == m.Case.organisation_id)
        .where(*where)
        .order_by(m.CaseDeadline.due_date, m.CaseDeadline.case_id, m.CaseDeadline.position)
    )


def deadlines_of(
    session: Session,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    *,
    limit: int,
    names: bool = True,
) -> DeadlinePage:
    """In the caller's transaction: the deadlines `conditions` selects, with their count.
    Without `names`, no employee's name leaves the database (a calendar, an e-mail)."""
    where = conditions(session, actor, start, end)
    total = (
        session.scalar(
            select(func.count())
            .select_from(m.CaseDeadline)
            .join(m.Case, m.Case.id == m.CaseDeadline.case_id)
            .where(*where)
        )
        or 0
    )
    rows = session.execute(_rows(where, names).limit(limit))
    return DeadlinePage(total=total, items=[DeadlineView.model_validate(r) for r in rows])


def upcoming(
    db: Database,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    *,
    limit: int = 200,
    names: bool = True,
) -> DeadlinePage:
    """The deadlines from `start` to `end` of the open cases the actor may read, soonest
    first, with their exact count (`limit` rows at most)."""
    with db.reading() as session:
        return deadlines_of(session, actor, start, end, limit=limit, names=names)


# --- the user's choices ----------------------------------------------------------------------


def _alert(session: Session, actor: Actor) -> m.DeadlineAlert:
    row = session.get(m.DeadlineAlert, actor.user_id)
    if row is None:
        row = m.DeadlineAlert(user_id=actor.user_id, email_reminders=False)
        session.add(row)
    return row


def alert_settings(db: Database, actor: Actor) -> AlertSettings:
    with db.reading() as session:
        row = session.get(m.DeadlineAlert, actor.user_id)
        if row is None:
            return AlertSettings(calendar_since=None, email_reminders=False)
        since = row.calendar_created_at if row.calendar_token_hash else None
        return AlertSettings(calendar_since=since, email_reminders=row.email_reminders)


def new_calendar_token(db: Database, actor: Actor) -> str:
    """A new secret token for the actor's calendar feed, replacing (revoking) any previous
    one. Only its SHA-256 is stored: the token is shown once."""
    token = secrets.token_urlsafe(32)
    with db.writing() as session:
        row = _alert(session, actor)
        row.calendar_token_hash = sha256(token)
        row.calendar_created_at = m.utcnow()
        record(session, actor, "calendar:create", "user", actor.user_id, actor.organisation_id)
    return token


def revoke_calendar_token(db: Database, actor: Actor) -> None:
    with db.writing() as session:
        row = session.get(m.DeadlineAlert, actor.user_id)
        if row is None or row.calendar_token_hash is None:
            return
        row.calendar_token_hash = row.calendar_created_at = None
        record(session, actor, "calendar:revoke", "user", actor.user_id, actor.organisation_id)


def set_email_reminders(db: Database, actor: Actor, on: bool) -> None:
    with db.writing() as session:
        _alert(session, actor).email_reminders = on


def calendar_owner(db: Database, token: str) -> Actor:
    """The actor whose calendar feed this token opens; `NotFound` when it names none (never
    issued, revoked, or its account deactivated)."""
    with db.reading() as session:
        user = session.scalars(
            select(m.User)
            .join(m.DeadlineAlert, m.DeadlineAlert.user_id == m.User.id)
            .where(m.DeadlineAlert.calendar_token_hash == sha256(token))
        ).first()
        if user is None or not user.active:
            raise NotFound(text("service.calendar_not_found"))
        return actor_of(user)
