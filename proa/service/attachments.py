"""Files attached to a case: the signed avenant, the OPCO's decision (issue 13, §3).

The type is read from the content (PDF, PNG, JPEG), never from the name or the declared
type; the size is bounded. Each upload is audited (the file's SHA-256, never its content).
Attachments go with their case, and with the employee's personal data on erasure."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from sqlalchemy import select

from proa.core.catalogue import text
from proa.core.model import field_error
from proa.service.access import WRITERS, load_case
from proa.service.audit import record
from proa.service.errors import Forbidden, InvalidInput, NotFound
from proa.service.inputs import check_id
from proa.service.views import Actor, AttachmentView
from proa.storage import models as m
from proa.storage.db import Database

MAX_BYTES = 10 * 2**20
KINDS = {
    "avenant-signe": "Avenant signé",
    "decision-opco": "Décision de l'OPCO",
    "autre": "Autre pièce",
}
# What the first bytes say the file is.
_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def media_type(content: bytes) -> str | None:
    return next((t for magic, t in _MAGIC if content.startswith(magic)), None)


def _clean_name(name: str) -> str:
    """A file name safe to store and to send back (no path, no control character)."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r"[\x00-\x1f\x7f\"]", "", name).strip() or "piece"
    return name[:200]


def _invalid(field: str, message_key: str, **values: object) -> InvalidInput:
    message = text(message_key, **values)
    return InvalidInput(message, [field_error(field, message)])


def add_attachment(
    db: Database, actor: Actor, case_id: int, kind: str, filename: str, content: bytes
) -> AttachmentView:
    """Attach a file: the employer's side, or the OPCO for its decision on a case it reads."""
    if kind not in KINDS:
        raise _invalid("kind", "service.attachment_kind", kinds=", ".join(KINDS))
    if not content:
        raise _invalid("file", "service.attachment_empty")
    if len(content) > MAX_BYTES:
        raise _invalid("file", "service.attachment_too_big", mib=MAX_BYTES // 2**20)
    found = media_type(content)
    if found is None:
        raise _invalid("file", "service.attachment_type")
    with db.writing() as session:
        case = load_case(session, actor, case_id)
        if actor.role not in WRITERS and not (actor.role == "opco" and kind == "decision-opco"):
            raise Forbidden(text("service.read_not_write"))
        digest = hashlib.sha256(content).hexdigest()
        row = m.Attachment(
            case_id=case.id,
            kind=kind,
            filename=_clean_name(filename),
            media_type=found,
            size=len(content),
            sha256=digest,
            content=content,
            created_by=actor.user_id,
        )
        session.add(row)
        session.flush()
        record(session, actor, "attach", "case", case.id, case.organisation_id, None, digest)
        return AttachmentView.model_validate(row)


def list_attachments(db: Database, actor: Actor, case_id: int) -> list[AttachmentView]:
    with db.reading() as session:
        case = load_case(session, actor, case_id)
        rows = session.scalars(
            select(m.Attachment).where(m.Attachment.case_id == case.id).order_by(m.Attachment.id)
        )
        return [AttachmentView.model_validate(r) for r in rows]


def get_attachment(
    db: Database, actor: Actor, case_id: int, attachment_id: int
) -> tuple[AttachmentView, bytes]:
    """An attachment and its bytes, for whoever reads the case."""
    check_id(attachment_id, text("service.attachment_not_found"))
    with db.reading() as session:
        case = load_case(session, actor, case_id)
        row = session.get(m.Attachment, attachment_id)
        if row is None or row.case_id != case.id:
            raise NotFound(text("service.attachment_not_found"))
        return AttachmentView.model_validate(row), row.content
