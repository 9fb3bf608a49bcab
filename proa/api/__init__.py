"""REST API door (FastAPI): `router` holds every route under /api/v1 (the app is assembled
in `proa.app`). Routes call `proa.service` and `proa.evaluate`; none holds a rule or a
query of its own."""

from __future__ import annotations

from fastapi import APIRouter

from proa.api import accounts, auth, batch, cases, deadlines, law

PREFIX = "/api/v1"

router = APIRouter(prefix=PREFIX)
for _module in (auth, cases, deadlines, accounts, law, batch):
    router.include_router(_module.router)
