"""What the pages need from storage and accounts, as one narrow interface.

The pages never touch the database: `ServiceStore` calls the service functions of
`proa.service` (tenancy, audit, versions); tests can swap
in another `Store` through FastAPI's dependency overrides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from proa.core.catalogue import Text
from proa.service.access import WRITERS
from proa.service.inputs import CaseFilter, CaseQuery
from proa.service.views import CasePage, CaseSummary

if TYPE_CHECKING:
    from proa.presentation import Lang


class StoreError(Exception):
    """A refused operation, with its message for the page (French, or both languages) and
    its HTTP status."""

    def __init__(self, message: str | Text, status: int = 400) -> None:
        self.text = message if isinstance(message, Text) else Text(message, message)
        super().__init__(self.text.fr)
        self.status = status


@dataclass(frozen=True)
class WebUser:
    id: int
    email: str
    name: str
    organisation: str
    role: str = "employer"
    raw: Any = field(default=None, compare=False, repr=False)

    @property
    def writes_cases(self) -> bool:
        """Creates cases and changes their answers (the employer's side)."""
        return self.role in WRITERS


@dataclass(frozen=True)
class CaseRow:
    id: int
    status: str
    payload: dict[str, Any]
    decision: str | None = None
    regime: str | None = None
    updated_at: dt.datetime | None = None
    status_reason: str | None = None

    @property
    def title(self) -> str:
        return self.title_in("fr")

    def title_in(self, lang: Lang) -> str:
        """« Dossier n°12 — Léa Martin » (en: "Case no. 12 — Léa Martin")."""
        parties = self.payload.get("parties") or {}
        name = parties.get("employee_name")
        number = f"Dossier n°{self.id}" if lang == "fr" else f"Case no. {self.id}"
        return f"{number} — {name}" if name else number


class Store(Protocol):
    def login(self, email: str, password: str, client: str = "") -> str | None: ...
    def user(self, token: str) -> WebUser | None: ...
    def logout(self, token: str) -> None: ...
    def cases(self, user: WebUser, query: CaseFilter) -> CasePage: ...
    def export_cases(self, user: WebUser, query: CaseQuery) -> list[CaseSummary]: ...
    def cabinets(self, user: WebUser) -> list[tuple[int, str]]: ...
    def create(
        self, user: WebUser, payload: dict[str, Any], organisation_id: int | None = None
    ) -> int: ...
    def case(self, user: WebUser, case_id: int) -> CaseRow | None: ...
    def save(self, user: WebUser, case_id: int, payload: dict[str, Any]) -> None: ...
    def document_defaults(self, user: WebUser, case_id: int) -> dict[str, str]: ...
    def attachments(self, user: WebUser, case_id: int) -> list[Any]: ...
    def transitions(self, user: WebUser, status: str, decision: str | None = None) -> list[str]: ...
    def set_status(
        self, user: WebUser, case_id: int, status: str, reason: str | None = None
    ) -> None: ...
