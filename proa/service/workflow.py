"""A case's lifecycle: draft → ready → sent → accepted / refused → finished (refused may go
back to draft). Ready and sent need an eligible evaluation, which is stored."""

from __future__ import annotations

from proa.service import evaluations
from proa.service.access import load_case
from proa.service.audit import record
from proa.service.cases import state, view
from proa.service.errors import Conflict, field_error
from proa.service.verdicts import evaluated
from proa.service.views import STATUS_LABELS, Actor, CaseView
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


def set_status(db: Database, actor: Actor, case_id: int, status: str) -> CaseView:
    with db.writing() as session:
        case = load_case(session, actor, case_id, write=True)
        allowed = TRANSITIONS[case.status]
        if status not in allowed:
            wanted = STATUS_LABELS.get(status, status)
            raise Conflict(
                f"passage impossible de « {STATUS_LABELS[case.status]} » à « {wanted} » ; "
                "possible : " + (", ".join(f"« {STATUS_LABELS[s]} »" for s in allowed) or "aucun"),
                f"cannot move from {case.status} to {status}",
                [
                    field_error(
                        "status",
                        "valeurs possibles : " + (", ".join(allowed) or "aucune"),
                        "allowed: " + (", ".join(allowed) or "none"),
                    )
                ],
            )
        payload = case.payload
        before = state(case, payload)
        if status in ("ready", "sent"):
            result = evaluated(payload)
            if result.decision != "eligible":
                what = (
                    f"incomplet : {len(result.missing)} réponse(s) manquante(s)"
                    if result.decision == "incomplete"
                    else "non éligible"
                )
                raise Conflict(
                    f"le dossier est {what} ; il ne peut pas passer à « {STATUS_LABELS[status]} »",
                    f"the case is {result.decision}: it cannot become {status}",
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
