"""A case's lifecycle: draft → ready → sent → accepted / refused → finished (refused may go
back to draft). Ready and sent need an eligible evaluation, which is stored.

Who moves it: the employer's side (cabinet, payroll firm, admin) along the whole cycle —
they may record the OPCO's answer received by mail; the OPCO's adviser decides a sent case
in the app, accepting or refusing it, a refusal with its reason (R6324-3: « décision
motivée »). The reason is kept with the case and shown with its status."""

from __future__ import annotations

from proa.core.catalogue import Text, text
from proa.core.model import field_error
from proa.presentation import CASE_STATUS, DECISIONS
from proa.service import errors, evaluations
from proa.service.access import WRITERS, load_case
from proa.service.audit import record
from proa.service.cases import state, view
from proa.service.errors import Conflict, Forbidden, InvalidInput
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
# The OPCO's decision on a sent case; a refusal says why.
OPCO_DECISIONS: dict[str, tuple[str, ...]] = {"sent": ("accepted", "refused")}
NEEDS_REASON = ("refused",)
REASON_MAX = 2000


def moves(actor: Actor, status: str) -> tuple[str, ...]:
    """The status changes the actor's role may make from `status`."""
    if actor.role in WRITERS:
        return TRANSITIONS.get(status, ())
    if actor.role == "opco":
        return OPCO_DECISIONS.get(status, ())
    return ()


def offered(actor: Actor, status: str, decision: str | None) -> list[str]:
    """The status changes worth offering: those the actor may make and that can succeed
    for this decision."""
    return [s for s in moves(actor, status) if s not in NEEDS_ELIGIBLE or decision == "eligible"]


def set_status(
    db: Database, actor: Actor, case_id: int, status: str, reason: str | None = None
) -> CaseView:
    reason = " ".join((reason or "").split()) or None
    if reason is not None and len(reason) > REASON_MAX:
        raise InvalidInput(
            text("service.reason_too_long", max=REASON_MAX),
            [field_error("reason", text("service.reason_too_long", max=REASON_MAX))],
        )
    with db.writing() as session:
        case = load_case(session, actor, case_id)
        allowed = moves(actor, case.status)
        if not allowed and actor.role not in WRITERS:
            raise Forbidden(text("service.read_not_write"))
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
        if reason is None and actor.role == "opco" and status in NEEDS_REASON:
            raise InvalidInput(
                text("service.reason_required"),
                [field_error("reason", text("service.reason_required"))],
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
        case.status_reason = reason  # the last change's reason: none given, none kept
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
