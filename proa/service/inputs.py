"""Input validation of the use cases: pydantic models whose refusals name the field in French
(the case contract's translation). The API takes the same models as request bodies."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from proa.core.model import Decision
from proa.service.errors import InvalidInput
from proa.storage import models as m

MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL: anything above names nothing
MAX_OFFSET = 1_000_000

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# Printable text only: a control character has no place in a name and breaks documents.
_PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=_PRINTABLE)
]
Reference = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=100, pattern=_PRINTABLE)
]
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, max_length=320, pattern=r"^[^@\s\x00-\x1f]+@[^@\s]+$"
    ),
]
Password = Annotated[str, StringConstraints(min_length=10, max_length=200)]

Regime = Literal["pro-a", "periode-de-reconversion"]

_M = TypeVar("_M", bound=BaseModel)


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


def check(model: type[_M], /, **data: Any) -> _M:
    """`model` validated from keyword arguments, or `InvalidInput` naming each field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput.from_validation(exc) from None


class Page(Input):
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class OrganisationInput(Input):
    name: Name
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


class CaseFilter(Page):
    status: list[m.CaseStatus] = []
    regime: Regime | None = None
    decision: Decision | None = None
    organisation_id: Id | None = None
    employee_id: Id | None = None
