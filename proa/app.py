"""The whole service as one ASGI app: the REST API under /api/v1, the French web app, its
static files, the interactive API documentation (served from here, no CDN), and the
middleware in front of them all (`proa.middleware`)."""

from __future__ import annotations

import gc
import importlib.util
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from proa import api, evaluate, refusals
from proa.law import default_pack
from proa.middleware import Admission, AdmissionLimits, BodyLimit, Framing, SecurityHeaders
from proa.service.batch import MAX_BYTES as MAX_UPLOAD
from proa.storage.db import Database
from proa.web import STATIC
from proa.web import admin as web_admin
from proa.web import deadlines as web_deadlines
from proa.web import files as web_files
from proa.web import lists as web_lists
from proa.web import routes as web_routes

HEALTH = api.PREFIX + "/health"
_DOCS = """<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>proa — API</title>
<link rel="stylesheet" href="/swagger/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/swagger/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body>
</html>
"""


@dataclass(frozen=True)
class Settings:
    admission: AdmissionLimits = field(default_factory=AdmissionLimits)
    max_body: int = 1 << 20  # bytes; a case is a few kilobytes
    max_json_depth: int = 32
    framing: Framing = field(default_factory=Framing)


def _swagger_assets() -> Path:
    """Swagger UI's files, as the `swagger-ui-py` package ships them (not imported)."""
    spec = importlib.util.find_spec("swagger_ui")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def _warm_up() -> None:
    """Load the rule pack and compile its regimes before the first request, then leave them
    out of the garbage collector's passes: they live as long as the process, and full passes
    over their many objects made the tail of the request latency."""
    evaluate((Path(__file__).parent / "examples" / "case.json").read_text("utf-8"))
    gc.collect()
    gc.freeze()


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
        await anyio.to_thread.run_sync(_warm_up)
        yield
        if database is None:
            db.dispose()

    app = FastAPI(
        title="proa",
        summary="Pro-A (avenant n°81, IDCC 1147) et période de reconversion : dossiers, "
        "évaluation, documents, journal d'audit.",
        version="1",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.database = db
    refusals.install(app)

    @app.get(HEALTH, tags=["Droit"], summary="État du service")
    async def health() -> dict[str, str]:
        return {"status": "ok", "rulepack_version": default_pack().version}

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(_DOCS)

    app.include_router(api.router)
    app.include_router(web_routes.router)
    app.include_router(web_lists.router)
    app.include_router(web_deadlines.router)
    app.include_router(web_files.router)
    app.include_router(web_admin.router)
    # A web page asked without a session: to the login page, which comes back after.
    app.add_exception_handler(web_routes.SignInFirst, web_routes.sign_in_first)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/swagger", StaticFiles(directory=_swagger_assets()), name="swagger")
    exempt = (HEALTH, "/static/", "/swagger/")
    app.add_middleware(Admission, limits=settings.admission, exempt=exempt)
    app.add_middleware(
        BodyLimit,
        size=settings.max_body,
        depth=settings.max_json_depth,
        # Files of cases (docs/batch.md) and attachments: their routes stop reading past
        # their own limit.
        uploads=(
            api.PREFIX + "/batch",
            "/fichiers/",
            api.PREFIX + r"/cases/\d+/attachments$",
            r"/dossiers/\d+/pieces$",
        ),
        upload_size=MAX_UPLOAD + (1 << 20),  # room for the multipart envelope
    )
    app.add_middleware(SecurityHeaders, framing=settings.framing)
    return app
