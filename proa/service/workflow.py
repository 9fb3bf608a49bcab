"""A case's lifecycle: draft → ready → sent → accepted / refused → finished (refused may go
back to draft). Ready and sent need an eligible evaluation, which is stored."""

from __future__ import annotations

from proa.core.catalogue import Text, text
from proa.presentation import CASE_STATUS, DECISIONS
from proa.service import errors, evaluations
from proa.service.access import load_case
from proa.service.audit import record
from proa.service.cases import state, view
from proa.service.errors import Conflict
from proa.service.verdicts import evaluated
from proa.service.views import Actor, CaseView
from proa.storage import models as m
from proa.storage.db import Database

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("ready",),
    "ready": ("draft", "sent"),
    "sent": ("accepted", "refused"),
    "accepted": ("finished",),
    "refused": ("draft", "finished"),
    "finished": (),
}


# Statuses that need an eligible evaluation.
NEEDS_ELIGIBLE = ("ready", "sent")


def offered(status: str, decision: str | None) -> list[str]:
    """The status changes worth offering: those that can succeed for this decision."""
    return [
        s for s in TRANSITIONS.get(status, ()) if s not in NEEDS_ELIGIBLE or decision == "eligible"
    ]


def set_status(db: Database, actor: Actor, case_id: int, status: str) -> CaseView:
    with db.writing() as session:
        case = load_case(session, actor, case_id, write=True)
        allowed = TRANSITIONS[case.status]
        if status not in allowed:
            wanted = CASE_STATUS.get(status, Text(status, status))
            possible = [CASE_STATUS[s] for s in allowed]
            raise Conflict(
                text(
                    "service.cannot_move",
                    current=CASE_STATUS[case.status],
                    wanted=wanted,
                    possible=Text(
                        ", ".join(f"« {s.fr} »" for s in possible) or text("service.none").fr,
                        ", ".join(s.en for s in possible) or text("service.none").en,
                    ),
                ),
                [errors.allowed("status", allowed)],
            )
        payload = case.payload
        before = state(case, payload)
        if status in NEEDS_ELIGIBLE:
            result = evaluated(payload)
            if result.decision != "eligible":
                what = (
                    text("service.missing_answers", count=len(result.missing))
                    if result.decision == "incomplete"
                    else DECISIONS[result.decision]
                )
                raise Conflict(
                    text("service.cannot_become", state=what, wanted=CASE_STATUS[status])
                )
            evaluations.record_evaluation(session, actor, case, result)
        case.status = status
        case.updated_at = m.utcnow()
        record(
            session,
            actor,
            "status:" + status,
            "case",
            case.id,
            case.organisation_id,
            before,
            state(case, payload),
        )
        return view(case)
