"""Documents of a case: rendered from the current version on demand (`proa.documents`,
refused unless the case allows it, or marked « PROJET » as a draft); issuing one records
its metadata and hash, so that what was handed out can be proven later."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from proa import CaseError, default_engine
from proa.core.catalogue import text
from proa.core.model import field_error
from proa.service.access import load_case
from proa.service.audit import record
from proa.service.errors import Conflict, InvalidInput, NotFound
from proa.service.views import Actor, DocumentView
from proa.storage import models as m
from proa.storage.db import Database


def render_document(
    db: Database,
    actor: Actor,
    case_id: int,
    kind: str,
    fmt: str,
    *,
    draft: bool = False,
    issue: bool = False,
) -> tuple[bytes, DocumentView]:
    """Render a document of the current version. With `issue` (writers only, never a
    draft) its metadata is recorded and audited; otherwise nothing is written."""
    from proa import documents

    chosen = next((f for f in documents.FORMATS if f == fmt), None)  # typed as a Format
    if kind not in documents.KINDS or chosen is None:
        raise NotFound(
            text("service.unknown_document", kind=kind, fmt=fmt, kinds=", ".join(documents.KINDS))
        )
    if issue and draft:
        raise InvalidInput(
            text("service.draft_not_issued"),
            [field_error("draft", text("service.not_with_issuing"))],
        )
    with db.reading() as session:
        case = load_case(session, actor, case_id, write=issue)
        version, payload = case.current_version, case.payload
    try:  # rendering takes a while: no transaction is open meanwhile
        content = documents.render(kind, payload, chosen, draft)
    except documents.DocumentRefused as exc:
        raise Conflict(
            text("service.document_refused", reason=exc.text), [field_error("kind", exc.text)]
        ) from None
    except CaseError as exc:
        raise InvalidInput(text("service.invalid_case", errors=exc.text()), exc.errors) from None
    row = m.Document(
        case_id=case_id,
        case_version=version,
        kind=kind,
        format=fmt,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        rulepack_version=default_engine().pack.version,  # the render just evaluated with it
        created_by=actor.user_id,
        created_at=m.utcnow(),
    )
    if not issue:
        return content, DocumentView.model_validate(row)
    with db.writing() as session:
        case = load_case(session, actor, case_id, write=True)
        if case.current_version != version:
            raise Conflict(text("service.changed_while_rendering"))
        session.add(row)
        session.flush()
        record(session, actor, "document", "case", case.id, case.organisation_id, None, row.sha256)
        return content, DocumentView.model_validate(row)


def list_documents(db: Database, actor: Actor, case_id: int) -> list[DocumentView]:
    with db.reading() as session:
        return documents_of(session, actor, case_id)


def documents_of(session: Session, actor: Actor, case_id: int) -> list[DocumentView]:
    case = load_case(session, actor, case_id)
    rows = session.scalars(
        select(m.Document).where(m.Document.case_id == case.id).order_by(m.Document.id)
    )
    return [DocumentView.model_validate(r) for r in rows]
