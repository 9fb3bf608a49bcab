"""Input validation of the use cases: pydantic models whose refusals name the field in French
(the case contract's translation). The API takes the same models as request bodies."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from proa.core.catalogue import Text
from proa.core.inputs import LAST_DAY, PRINTABLE
from proa.core.model import Decision
from proa.service.errors import InvalidInput, NotFound
from proa.storage import models as m

MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL: anything above names nothing
MAX_OFFSET = 1_000_000

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# The date whose law applies: within the days a case may name.
LawDate = Annotated[dt.date, Field(le=LAST_DAY, description="Droit en vigueur à cette date")]
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=PRINTABLE)
]
Reference = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=100, pattern=PRINTABLE)
]
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, max_length=320, pattern=r"^[^@\s\x00-\x1f]+@[^@\s]+$"
    ),
]
# OWASP ASVS 2.1.1 and 2.1.2: at least 12 characters, long passphrases welcome.
Password = Annotated[str, StringConstraints(min_length=12, max_length=200)]

Regime = Literal["pro-a", "periode-de-reconversion"]
# Words searched in employees' names (case and accents ignored, `proa.storage.search`).
Search = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=PRINTABLE)
]
# How a list of cases is ordered: a key, descending with a leading "-" (then newest first).
CaseSort = Literal[
    "-updated_at",
    "updated_at",
    "-created_at",
    "created_at",
    "status",
    "-status",
    "next_deadline",
    "-next_deadline",
    "employee_name",
    "-employee_name",
]

_M = TypeVar("_M", bound=BaseModel)


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


def check(model: type[_M], /, **data: Any) -> _M:
    """`model` validated from keyword arguments, or `InvalidInput` naming each field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput.from_validation(exc) from None


def check_id(value: int, missing: Text) -> int:
    """An id from a path: out of range, it names nothing (404, not a database error)."""
    if not 1 <= value <= MAX_ID:
        raise NotFound(missing)
    return value


class Page(Input):
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class OrganisationInput(Input):
    name: Name
    kind: m.OrgKind


class KindInput(Input):
    """An organisation's kind alone (an account's role is checked against it)."""

    kind: m.OrgKind


class UserInput(Input):
    email: Email
    role: m.Role
    organisation_id: Id
    password: Password | None = None
    employee_id: Id | None = None


class EmployeeInput(Input):
    organisation_id: Id | None = None
    reference: Reference | None = None


class CaseQuery(Input):
    """Which cases, in which order (a list, its count and its export share it)."""

    status: list[m.CaseStatus] = []
    regime: Regime | None = None
    decision: Decision | None = None
    organisation_id: Id | None = None
    employee_id: Id | None = None
    employee_name: Search | None = None
    sort: CaseSort = "-updated_at"


class CaseFilter(CaseQuery, Page):
    pass
