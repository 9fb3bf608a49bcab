"""GDPR right to erasure: the employee's personal data removed from every version and
evaluation of their cases. The audit trail keeps its rows (hashes only) and an `erase`
event; the cases stay, anonymised, for the OPCO's and the employer's obligations."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete, select

from proa.service.access import writable_employee
from proa.service.audit import record
from proa.service.views import Actor, ErasureReport
from proa.storage import models as m
from proa.storage.db import Database

# Personal data in a case payload (docs/contract.md): identity, birth date, health-related inputs.
PERSONAL_PATHS = (
    ("employee", "birth_date"),
    ("employee", "disabled_worker"),
    ("employee", "returning_from"),
    ("parties", "employee_name"),
    ("parties", "employee_job"),
)
ERASED = "donnée effacée"


def redact(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload without the employee's personal data (absent = unknown, never a guess)."""
    out: dict[str, Any] = json.loads(json.dumps(payload))
    for section, key in PERSONAL_PATHS:
        part = out.get(section)
        if isinstance(part, dict):
            part.pop(key, None)
    return out


def _redact_result(result: dict[str, Any]) -> dict[str, Any]:
    # Messages and traces may quote an age, a leave or a name: keep rule, status, sources.
    out: dict[str, Any] = json.loads(json.dumps(result))
    for finding in out.get("findings", []):
        finding["message"] = ERASED
        finding["trace"] = None
    return out


def erase_employee(db: Database, actor: Actor, employee_id: int) -> ErasureReport:
    with db.writing() as session:
        employee = writable_employee(session, actor, employee_id)
        cases = list(session.scalars(select(m.Case).where(m.Case.employee_id == employee.id)))
        ids = [c.id for c in cases]
        versions = list(
            session.scalars(select(m.CaseVersion).where(m.CaseVersion.case_id.in_(ids)))
        )
        for v in versions:
            v.payload = redact(v.payload)
        evaluations = list(
            session.scalars(select(m.Evaluation).where(m.Evaluation.case_id.in_(ids)))
        )
        for e in evaluations:
            e.result = _redact_result(e.result)
        employee.reference = None
        employee.erased_at = m.utcnow()
        record(session, actor, "erase", "employee", employee.id, employee.organisation_id)
        # The signed avenant and the OPCO's decision name the person: they go.
        attached = list(
            session.scalars(select(m.Attachment.id).where(m.Attachment.case_id.in_(ids)))
        )
        session.execute(delete(m.Attachment).where(m.Attachment.id.in_(attached)))
        attachments = len(attached)
        for c in cases:
            c.status_reason = None  # free text: it may name the person
            record(session, actor, "erase", "case", c.id, c.organisation_id)
        report = ErasureReport(
            employee_id=employee.id,
            cases=len(cases),
            versions=len(versions),
            evaluations=len(evaluations),
            attachments=attachments,
        )
    db.purge()
    return report
