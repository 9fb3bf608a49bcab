"""The engine's verdict on a stored case: evaluated on every change, kept with the case
(`regime`, `decision`, `rulepack_version` and its dated deadlines, `case_deadlines`) so that
lists filter, count and sort in the database, and refreshed when the rule pack changes.

A stored payload the engine refuses (written before the contract became stricter) gets no
verdict and answers a French 422 when evaluated; it never takes a list down.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from proa import CaseError, Result, default_engine, evaluate
from proa.core.catalogue import text
from proa.core.model import Case
from proa.service.errors import InvalidInput
from proa.storage import models as m
from proa.storage.db import Database

_BATCH = 500


def evaluated(
    payload: Case | dict[str, Any], at: dt.date | None = None, english: bool = False
) -> Result:
    """The engine's result, or `InvalidInput` in French naming the field."""
    try:
        return evaluate(payload, at=at, english=english)
    except CaseError as exc:
        raise InvalidInput(text("service.invalid_case", errors=exc.text()), exc.errors) from None
    except (ValueError, ArithmeticError):
        # Dates past what the calendar holds (year 10 000) on payloads stored before the
        # contract bounded them.
        raise InvalidInput(text("service.out_of_range")) from None


@dataclass(frozen=True)
class Verdict:
    regime: str | None
    decision: str | None
    rulepack_version: str
    # The result's deadlines that have a date, in its order: (label, date, step meeting it,
    # English label).
    deadlines: tuple[tuple[str, dt.date, str | None, str | None], ...] = ()

    def rows(self) -> list[m.CaseDeadline]:
        return [
            m.CaseDeadline(position=i, what=what, due_date=day, met_by=met_by, what_en=what_en)
            for i, (what, day, met_by, what_en) in enumerate(self.deadlines)
        ]

    def apply(self, case: m.Case) -> None:
        case.regime, case.decision = self.regime, self.decision
        case.rulepack_version = self.rulepack_version
        stored = [(d.what, d.due_date, d.met_by, d.what_en) for d in case.deadlines]
        if stored != list(self.deadlines):
            case.deadlines = self.rows()

    def columns(self) -> dict[str, Any]:
        """As keyword arguments of a new `Case`."""
        return {
            "regime": self.regime,
            "decision": self.decision,
            "rulepack_version": self.rulepack_version,
            "deadlines": self.rows(),
        }


def judge(payload: Case | dict[str, Any]) -> Verdict:
    """The verdict on a payload (computed before any transaction: it needs none)."""
    try:
        # In English too: the deadlines' English labels are stored for the English interface
        # (about 0.07 ms more per case).
        result = evaluated(payload, english=True)
    except InvalidInput:
        return Verdict(None, None, default_engine().pack.version)
    return Verdict(
        result.regime,
        result.decision,
        default_engine().pack.version,
        tuple(
            (d.what, d.date, d.met_by, d.what_en) for d in result.deadlines if d.date is not None
        ),
    )


def refresh(db: Database) -> int:
    """Re-evaluate the cases judged by another rule pack (or never): returns how many."""
    version = default_engine().pack.version
    count = 0
    while True:
        with db.writing() as session:
            cases = list(
                session.scalars(
                    select(m.Case)
                    .where(
                        or_(m.Case.rulepack_version.is_(None), m.Case.rulepack_version != version)
                    )
                    .options(selectinload(m.Case.current), selectinload(m.Case.deadlines))
                    .limit(_BATCH)
                )
            )
            for case in cases:
                judge(case.payload).apply(case)
        count += len(cases)
        if len(cases) < _BATCH:
            return count
