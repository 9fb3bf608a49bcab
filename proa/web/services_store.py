"""`Store` over the storage services: tenancy, roles, versions and audit stay there."""

from __future__ import annotations

from typing import Any

from proa import evaluate
from proa.storage import services
from proa.storage.db import Database
from proa.storage.errors import AuthFailed, NotFound, ServiceError
from proa.web.store import CaseRow, StoreError, WebUser


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
        with self.db.session() as session:
            try:
                return services.login(session, email, password, client).token
            except AuthFailed:
                return None
            except ServiceError as exc:
                raise StoreError(exc.message) from None

    def _actor(self, user: WebUser) -> services.Actor:
        actor: services.Actor = user.raw
        return actor

    def user(self, token: str) -> WebUser | None:
        with self.db.session() as session:
            try:
                actor = services.actor_for_token(session, token)
            except AuthFailed:
                return None
            names = {o.id: o.name for o in services.list_organisations(session, actor)}
        return WebUser(
            actor.user_id, actor.email, actor.email, names.get(actor.organisation_id, ""), raw=actor
        )

    def logout(self, token: str) -> None:
        with self.db.session() as session:
            services.logout(session, token)

    def cases(
        self, user: WebUser, status: str | None, regime: str | None, decision: str | None
    ) -> list[CaseRow]:
        with self.db.session() as session:
            views = services.list_cases(
                session, self._actor(user), status=(status,) if status else ()
            )
        rows = []
        for view in views:
            result = evaluate(view.payload)
            if regime not in (None, result.regime) or decision not in (None, result.decision):
                continue
            rows.append(
                CaseRow(
                    view.id,
                    view.status,
                    view.payload,
                    result.decision,
                    result.regime,
                    view.updated_at,
                )
            )
        return rows

    def create(self, user: WebUser, payload: dict[str, Any]) -> int:
        with self.db.session() as session:
            try:
                return services.create_case(session, self._actor(user), payload).id
            except ServiceError as exc:
                raise StoreError(exc.message) from None

    def case(self, user: WebUser, case_id: int) -> CaseRow | None:
        with self.db.session() as session:
            try:
                view = services.get_case(session, self._actor(user), case_id)
            except NotFound:
                return None
        return CaseRow(view.id, view.status, view.payload, view.decision, None, view.updated_at)

    def save(self, user: WebUser, case_id: int, payload: dict[str, Any]) -> None:
        with self.db.session() as session:
            try:
                services.update_case(session, self._actor(user), case_id, payload)
            except ServiceError as exc:
                raise StoreError(exc.message) from None

    def transitions(self, status: str) -> list[str]:
        return list(services.TRANSITIONS.get(status, ()))

    def set_status(self, user: WebUser, case_id: int, status: str) -> None:
        with self.db.session() as session:
            try:
                services.set_status(session, self._actor(user), case_id, status)
            except ServiceError as exc:
                raise StoreError(exc.message) from None
