"""Case files: create, read, list, change (a new immutable version each time), delete.

Each change is audited with hashes of the case's state before and after, in the same
transaction; the engine's verdict on the current version is stored with the case.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from proa import CaseError, parse_case
from proa.core.catalogue import text
from proa.core.model import Case, field_error
from proa.presentation import CASE_STATUS
from proa.service import lists, verdicts
from proa.service.access import load_case, target_org, writable_employee
from proa.service.audit import canonical, digest, record
from proa.service.errors import Conflict, InvalidInput, NotFound
from proa.service.inputs import CaseFilter, CaseQuery, EmployeeInput, check
from proa.service.views import Actor, CaseView, VersionView
from proa.storage import models as m
from proa.storage.db import Database


def validated(payload: Any) -> tuple[dict[str, Any], Case]:
    """The payload and its contract model if it is a valid case (docs/contract.md), else
    `InvalidInput` naming the field."""
    if not isinstance(payload, dict):
        raise InvalidInput(
            text("service.payload_not_object"),
            [field_error("payload", text("case.object_expected"))],
        )
    try:
        return payload, parse_case(payload)
    except CaseError as exc:
        raise InvalidInput(text("service.invalid_case", errors=exc.text()), exc.errors) from None


def state(case: m.Case, payload: dict[str, Any]) -> str:
    """The hash of a case's state, as the audit trail records it."""
    fields = {
        "status": case.status,
        "version": case.current_version,
        "employee": case.employee_id,
        "payload": payload,
    }
    if case.status_reason is not None:
        fields["reason"] = case.status_reason
    return digest(fields)


def view(case: m.Case) -> CaseView:
    return CaseView.model_validate(case)


def create_case(
    db: Database,
    actor: Actor,
    payload: Any,
    *,
    organisation_id: int | None = None,
    employee_id: int | None = None,
    employee_reference: str | None = None,
) -> CaseView:
    """A new case (version 1, draft). Without `employee_id`, a new employee record is made."""
    data, parsed = validated(payload)
    verdict = verdicts.judge(parsed)
    reference = check(EmployeeInput, reference=employee_reference).reference
    with db.writing() as session:
        org_id = target_org(session, actor, organisation_id)
        if employee_id is None:
            employee = m.Employee(organisation_id=org_id, reference=reference or None)
        else:
            employee = writable_employee(session, actor, employee_id)
            if employee.organisation_id != org_id:
                raise NotFound(text("service.employee_not_found"))
            if employee.erased_at is not None:
                raise Conflict(text("service.employee_erased"))
        now = m.utcnow()
        # Employee, case and version go in one flush (the audit event needs their ids).
        case = m.Case(
            organisation_id=org_id,
            employee=employee,
            status="draft",
            current_version=1,
            created_by=actor.user_id,
            created_at=now,
            updated_at=now,
            **verdict.columns(),
        )
        version = m.CaseVersion(version=1, payload=data, created_by=actor.user_id, created_at=now)
        case.versions.append(version)
        case.current = version
        session.add(case)
        session.flush()
        record(session, actor, "create", "case", case.id, org_id, after=state(case, data))
    return view(case)


# What a cabinet's documents print of the cabinet itself: the same from one case to the next.
EMPLOYER_PARTIES = (
    "employer_name",
    "employer_address",
    "employer_siret",
    "employer_representative",
)


def document_defaults(db: Database, actor: Actor, case_id: int) -> dict[str, str]:
    """The cabinet's own particulars for a case's documents, as its latest other case gives
    them (else its name): offered, never saved until the user saves them."""
    with db.reading() as session:
        case = load_case(session, actor, case_id)
        org = session.get(m.Organisation, case.organisation_id)
        found: dict[str, str] = {"parties.employer_name": org.name} if org else {}
        others = session.scalars(
            select(m.Case)
            .where(m.Case.organisation_id == case.organisation_id, m.Case.id != case.id)
            .order_by(m.Case.updated_at.desc())
            .limit(5)
        )
        for other in others:
            parties = other.payload.get("parties") or {}
            given = {f"parties.{k}": parties[k] for k in EMPLOYER_PARTIES if parties.get(k)}
            if given:
                return found | given
        return found


def get_case(db: Database, actor: Actor, case_id: int) -> CaseView:
    with db.reading() as session:
        return view(load_case(session, actor, case_id))


def list_cases(
    db: Database,
    actor: Actor,
    *,
    status: Sequence[str] = (),
    regime: str | None = None,
    decision: str | None = None,
    organisation_id: int | None = None,
    employee_id: int | None = None,
    employee_name: str | None = None,
    sort: str = "-updated_at",
    limit: int = 100,
    offset: int = 0,
) -> list[CaseView]:
    """The cases an actor may read, newest change first unless `sort` says otherwise,
    filtered and searched in the database before the limit (`proa.service.lists`)."""
    f = check(
        CaseFilter,
        status=list(status),
        regime=regime,
        decision=decision,
        organisation_id=organisation_id,
        employee_id=employee_id,
        employee_name=employee_name,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    with db.reading() as session:
        ids = lists.page_ids(
            session, lists.selection(session, actor, f, lists.today()), f.limit, f.offset
        )
        cases = {
            c.id: c
            for c in session.scalars(
                select(m.Case).where(m.Case.id.in_(ids)).options(selectinload(m.Case.current))
            )
        }
        return [view(cases[i]) for i in ids]


def count_cases(db: Database, actor: Actor, **filters: Any) -> int:
    """How many cases `list_cases` lists with these filters, without a limit."""
    q = check(CaseQuery, **filters)
    with db.reading() as session:
        return lists.count(session, lists.selection(session, actor, q, lists.today()))


def update_case(
    db: Database,
    actor: Actor,
    case_id: int,
    payload: Any,
    *,
    expected_version: int | None = None,
) -> CaseView:
    """A new version of the payload. Only a draft or ready case changes (ready goes back to
    draft); `expected_version` guards against overwriting someone else's change."""
    data, parsed = validated(payload)
    verdict = verdicts.judge(parsed)
    with db.writing() as session:
        case = load_case(session, actor, case_id, write=True)
        if case.status not in ("draft", "ready"):
            raise Conflict(text("service.case_locked", status=CASE_STATUS[case.status]))
        if expected_version is not None and expected_version != case.current_version:
            now_at = case.current_version
            raise Conflict(
                text("service.changed_meanwhile", current=now_at, expected=expected_version),
                [field_error("expected_version", text("service.current_version", current=now_at))],
            )
        current = case.payload
        if canonical(current) == canonical(data):
            return view(case)
        before = state(case, current)
        case.current_version += 1
        case.status = "draft"
        case.updated_at = m.utcnow()
        version = m.CaseVersion(
            case_id=case.id,
            version=case.current_version,
            payload=data,
            created_by=actor.user_id,
            created_at=case.updated_at,
        )
        session.add(version)
        case.current = version
        verdict.apply(case)
        record(
            session,
            actor,
            "update",
            "case",
            case.id,
            case.organisation_id,
            before,
            state(case, data),
        )
    return view(case)


def list_versions(db: Database, actor: Actor, case_id: int) -> list[VersionView]:
    with db.reading() as session:
        return versions(session, actor, case_id)


def versions(session: Session, actor: Actor, case_id: int) -> list[VersionView]:
    case = load_case(session, actor, case_id)
    rows = session.scalars(
        select(m.CaseVersion)
        .where(m.CaseVersion.case_id == case.id)
        .order_by(m.CaseVersion.version)
    )
    return [VersionView.model_validate(v) for v in rows]


def delete_case(db: Database, actor: Actor, case_id: int) -> None:
    """Delete a draft or ready case with its versions, evaluations and documents. A case
    sent to the OPCO is kept (erase the employee's personal data instead)."""
    with db.writing() as session:
        case = load_case(session, actor, case_id, write=True)
        if case.status not in ("draft", "ready"):
            raise Conflict(text("service.sent_case_kept"))
        before = state(case, case.payload)
        record(session, actor, "delete", "case", case.id, case.organisation_id, before, None)
        session.delete(case)
