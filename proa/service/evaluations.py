"""Evaluating a stored case: computed for any reader, stored (with the rule pack that made
it) by a writer; and the questions still unanswered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from proa import Result
from proa.core.inputs import BY_PATH
from proa.service.access import load_case
from proa.service.audit import digest, record
from proa.service.cases import state
from proa.service.verdicts import evaluated
from proa.service.views import Actor, EvaluationView, Question
from proa.storage import models as m
from proa.storage.db import Database


def record_evaluation(
    session: Session, actor: Actor, case: m.Case, result: Result
) -> EvaluationView:
    """Record `result` (of the case's current version) and audit it."""
    row = m.Evaluation(
        case_id=case.id,
        case_version=case.current_version,
        rulepack_version=result.rulepack_version,
        regime=result.regime,
        decision=result.decision,
        result=result.model_dump(mode="json"),
        created_by=actor.user_id,
    )
    session.add(row)
    session.flush()
    before = state(case, case.payload)
    record(
        session,
        actor,
        "evaluate",
        "case",
        case.id,
        case.organisation_id,
        before,
        digest(row.result),
    )
    return EvaluationView.model_validate(row)


def evaluate_case(
    db: Database, actor: Actor, case_id: int, *, at: dt.date | None = None, store: bool = True
) -> EvaluationView:
    """Evaluate the current version. Stored (writers only) with its rule-pack version, or
    computed for reading only (`store=False`, any reader)."""
    if not store:
        with db.reading() as session:
            case = load_case(session, actor, case_id)
            version, payload = case.current_version, case.payload
        result = evaluated(payload, at=at)
        return EvaluationView(
            id=None,
            case_id=case_id,
            case_version=version,
            rulepack_version=result.rulepack_version,
            regime=result.regime,
            decision=result.decision,
            result=result.model_dump(mode="json"),
            created_at=m.utcnow(),
        )
    with db.writing() as session:
        case = load_case(session, actor, case_id, write=True)
        return record_evaluation(session, actor, case, evaluated(case.payload, at=at))


def list_evaluations(db: Database, actor: Actor, case_id: int) -> list[EvaluationView]:
    with db.reading() as session:
        return evaluations(session, actor, case_id)


def evaluations(session: Session, actor: Actor, case_id: int) -> list[EvaluationView]:
    case = load_case(session, actor, case_id)
    rows = session.scalars(
        select(m.Evaluation).where(m.Evaluation.case_id == case.id).order_by(m.Evaluation.id)
    )
    return [EvaluationView.model_validate(r) for r in rows]


def questions_for(missing: Sequence[str]) -> list[Question]:
    """The French questions for missing inputs, in questionnaire order."""
    out = []
    for path in missing:
        spec = BY_PATH[path]
        out.append(
            Question(
                path=path,
                kind=spec.kind,
                question=spec.question,
                question_en=spec.question_en,
                help=spec.help,
                choices=list(spec.choices),
            )
        )
    return out


def case_questions(db: Database, actor: Actor, case_id: int) -> list[Question]:
    with db.reading() as session:
        payload: dict[str, Any] = load_case(session, actor, case_id).payload
    return questions_for(evaluated(payload).missing)
