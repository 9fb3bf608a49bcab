"""The whole service as one ASGI app: the REST API under /api/v1, the French web app, its
static files, and the middleware in front of them all (`proa.middleware`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from proa import api
from proa.api import problems
from proa.law import default_pack
from proa.middleware import Admission, AdmissionLimits
from proa.storage.db import Database
from proa.web import STATIC
from proa.web import files as web_files
from proa.web import routes as web_routes

HEALTH = api.PREFIX + "/health"


@dataclass(frozen=True)
class Settings:
    admission: AdmissionLimits = field(default_factory=AdmissionLimits)


def create_app(
    database_url: str | None = None,
    *,
    database: Database | None = None,
    settings: Settings | None = None,
) -> FastAPI:
    """The service. The database (URL, else `PROA_DATABASE_URL`, else `./proa.db`) is
    migrated to the latest schema before the first request."""
    settings = settings or Settings()
    db = database or Database.open(database_url, pool_size=settings.admission.active)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # One thread per request at work at most: a request never waits for a thread.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.admission.active
        yield
        if database is None:
            db.dispose()

    app = FastAPI(
        title="proa",
        summary="Pro-A (avenant n°81, IDCC 1147) et période de reconversion : dossiers, "
        "évaluation, documents, journal d'audit.",
        version="1",
        lifespan=lifespan,
    )
    app.state.database = db
    problems.install(app)

    @app.get(HEALTH, tags=["Droit"], summary="État du service")
    async def health() -> dict[str, str]:
        return {"status": "ok", "rulepack_version": default_pack().version}

    app.include_router(api.router)
    app.include_router(web_routes.router)
    app.include_router(web_files.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(Admission, limits=settings.admission, exempt=(HEALTH, "/static/"))
    return app
