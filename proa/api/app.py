"""The application factory: REST API under /api/v1, and the web app when installed."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from proa.api import accounts, auth, cases, law, problems
from proa.storage.db import Database

API_PREFIX = "/api/v1"


def api_router() -> APIRouter:
    router = APIRouter(prefix=API_PREFIX)
    for module in (auth, cases, accounts, law):
        router.include_router(module.router)

    @router.get("/health", tags=["Droit"], summary="État du service")
    def health() -> dict[str, str]:
        from proa.law import default_pack

        return {"status": "ok", "rulepack_version": default_pack().version}

    return router


def create_app(database_url: str | None = None, *, database: Database | None = None) -> FastAPI:
    """The whole service. The database (URL, else `PROA_DATABASE_URL`, else `./proa.db`) is
    migrated to the latest schema before the first request."""
    db = database or Database.open(database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
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
    app.include_router(api_router())
    if importlib.util.find_spec("proa.web") is not None:
        web = importlib.import_module("proa.web.routes")
        app.include_router(web.router)
        static = Path(str(web.__file__)).parent / "static"
        if static.is_dir():
            app.mount("/static", StaticFiles(directory=static), name="static")
    else:

        @app.get("/", include_in_schema=False)
        def root() -> RedirectResponse:
            return RedirectResponse("/docs")

    return app
