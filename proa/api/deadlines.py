"""/api/v1/deadlines: the coming deadlines of the open cases the caller may read (issue 13,
§4), as the page /echeances shows them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Response

from proa.core.catalogue import text
from proa.core.model import field_error, listing
from proa.http import ActorDep, DatabaseDep
from proa.service import deadlines, inputs
from proa.service.errors import InvalidInput
from proa.service.lists import today
from proa.service.views import DeadlineView

router = APIRouter(prefix="/deadlines", tags=["Échéances"])
MAX_DAYS = 800  # a window of at most about two years


@router.get(
    "",
    summary="Les échéances des dossiers en cours, de start (défaut : aujourd'hui) à end "
    "(défaut : 30 jours après), les plus proches d'abord ; X-Total-Count : combien en tout",
)
def list_deadlines(
    actor: ActorDep,
    db: DatabaseDep,
    response: Response,
    start: Annotated[inputs.LawDate | None, Query()] = None,
    end: Annotated[inputs.LawDate | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[DeadlineView]:
    first = start or today()
    last = end or first + dt.timedelta(days=30)
    if not first <= last <= first + dt.timedelta(days=MAX_DAYS):
        errors = [field_error("end", text("service.deadline_window", most=MAX_DAYS))]
        raise InvalidInput(listing(errors), errors)
    found = deadlines.upcoming(db, actor, first, last, limit=limit)
    response.headers["X-Total-Count"] = str(found.total)
    return found.items
