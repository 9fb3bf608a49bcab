"""`Store` over `proa.service`: tenancy, roles, versions and audit stay there."""

from __future__ import annotations

from typing import Any

from proa import service
from proa.service.errors import AuthFailed, NotFound, ServiceError
from proa.service.inputs import CaseFilter, CaseQuery
from proa.service.views import CasePage, CaseSummary
from proa.storage.db import Database
from proa.web.store import CaseRow, StoreError, WebUser


def _row(view: service.CaseView) -> CaseRow:
    return CaseRow(
        view.id,
        view.status,
        view.payload,
        view.decision,
        view.regime,
        view.updated_at,
        view.status_reason,
    )


class ServiceStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    @classmethod
    def for_app(cls, app: Any) -> ServiceStore:
        """The store of the app's database (`app.state.database`, opened by `create_app`)."""
        store = getattr(app.state, "web_store", None)
        if store is None:
            store = app.state.web_store = cls(app.state.database)
        return store

    def login(self, email: str, password: str, client: str = "") -> str | None:
        try:
            return service.login(self.db, email, password, client).token
        except AuthFailed:
            return None
        except ServiceError as exc:
            raise StoreError(exc.text, exc.status) from None

    def _actor(self, user: WebUser) -> service.Actor:
        actor: service.Actor = user.raw
        return actor

    def user(self, token: str) -> WebUser | None:
        try:
            actor = service.actor_for_token(self.db, token)
        except AuthFailed:
            return None
        return WebUser(
            actor.user_id,
            actor.email,
            actor.email,
            actor.organisation_name,
            role=actor.role,
            raw=actor,
        )

    def logout(self, token: str) -> None:
        service.logout(self.db, token)

    def cases(self, user: WebUser, query: CaseFilter) -> CasePage:
        return service.case_summaries(self.db, self._actor(user), query)

    def export_cases(self, user: WebUser, query: CaseQuery) -> list[CaseSummary]:
        try:
            return service.export_summaries(self.db, self._actor(user), query)
        except ServiceError as exc:
            raise StoreError(exc.text, exc.status) from None

    def cabinets(self, user: WebUser) -> list[tuple[int, str]]:
        """The cabinets the user creates cases in: their own, or their payroll firm's clients."""
        return [
            (o.id, o.name)
            for o in service.list_organisations(self.db, self._actor(user))
            if o.kind == "cabinet"
        ]

    def create(
        self, user: WebUser, payload: dict[str, Any], organisation_id: int | None = None
    ) -> int:
        try:
            actor = self._actor(user)
            return service.create_case(self.db, actor, payload, organisation_id=organisation_id).id
        except ServiceError as exc:
            raise StoreError(exc.text, exc.status) from None

    def case(self, user: WebUser, case_id: int) -> CaseRow | None:
        try:
            return _row(service.get_case(self.db, self._actor(user), case_id))
        except NotFound:
            return None

    def save(self, user: WebUser, case_id: int, payload: dict[str, Any]) -> None:
        try:
            service.update_case(self.db, self._actor(user), case_id, payload)
        except ServiceError as exc:
            raise StoreError(exc.text, exc.status) from None

    def attachments(self, user: WebUser, case_id: int) -> list[service.AttachmentView]:
        return service.list_attachments(self.db, self._actor(user), case_id)

    def document_defaults(self, user: WebUser, case_id: int) -> dict[str, str]:
        return service.document_defaults(self.db, self._actor(user), case_id)

    def transitions(self, user: WebUser, status: str, decision: str | None = None) -> list[str]:
        return service.offered(self._actor(user), status, decision)

    def set_status(
        self, user: WebUser, case_id: int, status: str, reason: str | None = None
    ) -> None:
        try:
            service.set_status(self.db, self._actor(user), case_id, status, reason)
        except ServiceError as exc:
            raise StoreError(exc.text, exc.status) from None
