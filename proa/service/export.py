"""The whole case file as JSON: the case, its versions, evaluations, documents and audit
events, read in one transaction (a consistent snapshot)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from proa.service.access import load_case
from proa.service.audit import case_trail
from proa.service.cases import versions, view
from proa.service.documents import documents_of
from proa.service.evaluations import evaluations
from proa.service.views import Actor
from proa.storage import models as m
from proa.storage.db import Database

FORMAT = "proa-case-file/1"


def export_case(db: Database, actor: Actor, case_id: int) -> dict[str, Any]:
    with db.reading() as session:
        case = view(load_case(session, actor, case_id))
        parts: dict[str, Sequence[BaseModel]] = {
            "versions": versions(session, actor, case_id),
            "evaluations": evaluations(session, actor, case_id),
            "documents": documents_of(session, actor, case_id),
            "audit": case_trail(session, actor, case_id),
        }
    return {
        "format": FORMAT,
        "exported_at": m.utcnow().isoformat(),
        "case": case.model_dump(mode="json"),
        **{name: [item.model_dump(mode="json") for item in items] for name, items in parts.items()},
    }
