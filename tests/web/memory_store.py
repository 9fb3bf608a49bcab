"""An in-memory `Store` for page tests that need no database (tenancy kept by organisation)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from proa import evaluate, parse_case
from proa.web.store import CaseRow, StoreError, WebUser

NEXT = {
    "draft": ["ready"],
    "ready": ["draft", "sent"],
    "sent": ["accepted", "refused"],
    "accepted": ["finished"],
    "refused": ["draft"],
    "finished": [],
}


class MemoryStore:
    def __init__(self) -> None:
        self.users: dict[str, tuple[str, WebUser]] = {}
        self.tokens: dict[str, WebUser] = {}
        self.rows: dict[int, tuple[str, CaseRow]] = {}

    def add_user(self, email: str, password: str, organisation: str) -> None:
        self.users[email] = (password, WebUser(len(self.users) + 1, email, email, organisation))

    def login(self, email: str, password: str, client: str = "") -> str | None:
        known = self.users.get(email)
        if known is None or known[0] != password:
            return None
        token = f"t{len(self.tokens)}-{email}"
        self.tokens[token] = known[1]
        return token

    def user(self, token: str) -> WebUser | None:
        return self.tokens.get(token)

    def logout(self, token: str) -> None:
        self.tokens.pop(token, None)

    def _row(self, case_id: int, status: str, payload: dict[str, Any]) -> CaseRow:
        result = evaluate(parse_case(payload))
        return CaseRow(
            case_id,
            status,
            copy.deepcopy(payload),
            result.decision,
            result.regime,
            dt.datetime.now(dt.UTC),
        )

    def cases(
        self, user: WebUser, status: str | None, regime: str | None, decision: str | None
    ) -> list[CaseRow]:
        return [
            row
            for org, row in self.rows.values()
            if org == user.organisation
            and status in (None, row.status)
            and regime in (None, row.regime)
            and decision in (None, row.decision)
        ]

    def create(self, user: WebUser, payload: dict[str, Any]) -> int:
        case_id = len(self.rows) + 1
        self.rows[case_id] = (user.organisation, self._row(case_id, "draft", payload))
        return case_id

    def case(self, user: WebUser, case_id: int) -> CaseRow | None:
        org, row = self.rows.get(case_id, ("", None))
        return row if org == user.organisation else None

    def save(self, user: WebUser, case_id: int, payload: dict[str, Any]) -> None:
        org, row = self.rows[case_id]
        self.rows[case_id] = (org, self._row(case_id, row.status, payload))

    def transitions(self, status: str) -> list[str]:
        return NEXT[status]

    def set_status(self, user: WebUser, case_id: int, status: str) -> None:
        org, row = self.rows[case_id]
        if status not in NEXT[row.status]:
            raise StoreError("changement de statut impossible")
        self.rows[case_id] = (org, self._row(case_id, status, row.payload))
