"""The append-only audit trail: one hash chain per organisation, its verification, and who
may read it.

Each event holds hashes only, never data. Its `hash` covers the previous event of the same
organisation, so that writers of different organisations never wait for each other; on
PostgreSQL an advisory lock per organisation, taken just before the append and released at
commit, orders the writers of one organisation, and the database links the event itself
(`proa_audit_append`, migration 0007) so that the lock is held for one call and the commit
(on SQLite, writers are one at a time already). Events written before chains were per
organisation form one global chain (`org_chain` false), verified as such.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from proa.core import catalogue
from proa.service.access import load_case, managed_orgs
from proa.service.errors import Forbidden
from proa.service.inputs import Page, check
from proa.service.views import Actor, AuditCheck, AuditEntry, utc
from proa.storage import models as m
from proa.storage.db import Database

GENESIS = "0" * 64
_LOCK_SPACE = 0x70726F61  # "proa": first key of the per-organisation advisory lock


def canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def sha256(textual: str) -> str:
    return hashlib.sha256(textual.encode()).hexdigest()


def digest(obj: Any) -> str:
    """The SHA-256 of a value's canonical JSON: what the trail records instead of data."""
    return sha256(canonical(obj))


def _fields(event: m.AuditEvent) -> list[Any]:
    """What an event's hash covers after the previous hash."""
    fields: list[Any] = [
        utc(event.at).isoformat(),
        event.actor_id,
        event.organisation_id,
        event.action,
        event.entity,
        event.entity_id,
        event.before_hash,
        event.after_hash,
    ]
    if event.org_chain:
        fields.append("org")
    return fields


def _chain(prev: str, event: m.AuditEvent) -> str:
    return digest([prev, *_fields(event)])


def tail(event: m.AuditEvent) -> str:
    """The canonical JSON of `[prev, *fields]` after `["<prev>",`: a hash is hexadecimal, so
    `'["' + prev + '",' + tail` is that JSON exactly (how PostgreSQL hashes the link)."""
    return canonical(_fields(event))[1:]


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: int | None,
    organisation_id: int,
    before: str | None = None,
    after: str | None = None,
) -> None:
    """Append one event to the organisation's chain, in the caller's transaction.

    Call it last: on PostgreSQL the organisation's writers queue from here to the commit."""
    session.flush()  # the change itself is written before taking the chain's lock
    event = m.AuditEvent(
        at=m.utcnow(),
        actor_id=actor.user_id if actor else None,
        organisation_id=organisation_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before_hash=before,
        after_hash=after,
        org_chain=True,
    )
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                "SELECT proa_audit_append(:space, :org, :at, :actor, :action, :entity, "
                ":entity_id, :before, :after, :tail)"
            ),
            {
                "space": _LOCK_SPACE,
                "org": organisation_id,
                "at": event.at,
                "actor": event.actor_id,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "before": before,
                "after": after,
                "tail": tail(event),
            },
        )
        return
    prev = session.scalar(
        select(m.AuditEvent.hash)
        .where(m.AuditEvent.organisation_id == organisation_id, m.AuditEvent.org_chain)
        .order_by(m.AuditEvent.id.desc())
        .limit(1)
    )
    event.prev_hash = prev or GENESIS
    event.hash = _chain(event.prev_hash, event)
    session.add(event)


def verify_audit_chain(db: Database) -> AuditCheck:
    """Recompute every chain from its first event: an edited, removed or inserted row shows."""
    heads: dict[int | None, str] = {}
    count = 0
    with db.reading() as session:
        for event in session.scalars(select(m.AuditEvent).order_by(m.AuditEvent.id)):
            key = event.organisation_id if event.org_chain else None
            prev = heads.get(key, GENESIS)
            if event.prev_hash != prev or _chain(prev, event) != event.hash:
                return AuditCheck(ok=False, events=count, first_bad_id=event.id)
            heads[key] = event.hash
            count += 1
    return AuditCheck(ok=True, events=count)


def audit_trail(
    db: Database, actor: Actor, *, case_id: int | None = None, limit: int = 200, offset: int = 0
) -> list[AuditEntry]:
    """A case's events (anyone who reads the case), or all events of the actor's
    organisations (admins only), oldest first."""
    page = check(Page, limit=limit, offset=offset)
    with db.reading() as session:
        if case_id is not None:
            return case_trail(session, actor, case_id, page.limit, page.offset)
        return _organisation_trail(session, actor, page.limit, page.offset)


def case_trail(
    session: Session, actor: Actor, case_id: int, limit: int = 1000, offset: int = 0
) -> list[AuditEntry]:
    case = load_case(session, actor, case_id)
    query = select(m.AuditEvent).where(
        m.AuditEvent.entity == "case", m.AuditEvent.entity_id == case.id
    )
    return _page(session, query, limit, offset)


def _organisation_trail(
    session: Session, actor: Actor, limit: int, offset: int
) -> list[AuditEntry]:
    if actor.role != "admin":
        raise Forbidden(catalogue.text("service.admins_only"))
    query = select(m.AuditEvent).where(
        m.AuditEvent.organisation_id.in_(managed_orgs(session, actor))
    )
    return _page(session, query, limit, offset)


def _page(session: Session, query: Any, limit: int, offset: int) -> list[AuditEntry]:
    rows = session.scalars(query.order_by(m.AuditEvent.id).limit(limit).offset(offset))
    return [AuditEntry.model_validate(e) for e in rows]
