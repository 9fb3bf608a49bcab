"""Aggregated counts (no case, no person): by status and by the current verdict."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select

from proa.service.access import case_scope, children
from proa.service.views import Actor, Statistics
from proa.storage import models as m
from proa.storage.db import Database


def statistics(db: Database, actor: Actor) -> Statistics:
    """A branch sees the cabinets linked to it; other roles the cases they may read."""
    with db.reading() as session:
        scope: ColumnElement[bool]
        if actor.role == "branch":
            scope = m.Case.organisation_id.in_(children(session, actor.organisation_id))
        else:
            scope = case_scope(session, actor)
        rows = session.execute(
            select(m.Case.status, m.Case.decision, func.count())
            .where(scope)
            .group_by(m.Case.status, m.Case.decision)
        ).all()
    by_status = dict.fromkeys(m.STATUSES, 0)
    by_decision: dict[str, int] = {}
    for status, decision, count in rows:
        by_status[status] += count
        if decision is not None:
            by_decision[decision] = by_decision.get(decision, 0) + count
    return Statistics(
        cases=sum(by_status.values()),
        by_status=by_status,
        by_decision=dict(sorted(by_decision.items())),
    )
