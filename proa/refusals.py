"""How every refusal reaches people, never as a bare 500: RFC 9457 problem+json in French
(English second, naming the fields) for the API, a French page with the same status for
the web app."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from proa.core.catalogue import Text, text
from proa.core.model import translate_error
from proa.service.errors import ServiceError
from proa.web import routes as web
from proa.web.store import StoreError

MEDIA_TYPE = "application/problem+json"
RETRY_AFTER = {429: "300", 503: "1"}
_API = ("/api/", "/openapi.json", "/docs", "/redoc")
_log = logging.getLogger("proa")

_TITLES = {
    400: "Requête invalide",
    401: "Authentification requise",
    403: "Action non autorisée",
    404: "Introuvable",
    405: "Méthode non permise",
    409: "Conflit",
    413: "Requête trop grande",
    415: "Type de contenu non pris en charge",
    422: "Données invalides",
    429: "Trop de tentatives",
    500: "Erreur interne",
    503: "Service momentanément saturé",
}


def problem(
    status: int,
    title: str,
    detail: Text,
    *,
    errors: list[dict[str, str]] | None = None,
    kind: str = "error",
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"urn:proa:problem:{kind}",
        "title": title,
        "status": status,
        "detail": detail.fr,
    }
    if detail.en:
        body["detail_en"] = detail.en
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def refuse(
    request: Request,
    status: int,
    detail: Text,
    *,
    errors: list[dict[str, str]] | None = None,
    kind: str = "",
    title: str = "",
) -> Response:
    """problem+json for the API, a French page for the web."""
    title = title or _TITLES.get(status, "Erreur")
    headers = {"Retry-After": RETRY_AFTER[status]} if status in RETRY_AFTER else None
    if not request.url.path.startswith(_API):
        return web.error_page(request, status, title, detail.fr, headers=headers)
    return problem(
        status, title, detail, errors=errors, kind=kind or f"http-{status}", headers=headers
    )


def _kind(exc: ServiceError) -> str:
    name = type(exc).__name__
    return "".join("-" + c.lower() if c.isupper() else c for c in name).lstrip("-")


async def _service_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ServiceError)
    return refuse(
        request,
        exc.status,
        Text(exc.message, exc.message_en),
        errors=exc.errors,
        kind=_kind(exc),
        title=exc.title,
    )


def field_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    """Each refused field of a request, named in French (« limit (paramètre) »)."""
    errors = []
    for err in exc.errors():
        loc = [str(x) for x in err["loc"]]
        where = loc[0] if loc else ""
        translated = translate_error(
            {**err, "loc": loc[1:] if where in ("body", "query", "path") else loc}
        )
        if where in ("query", "path"):
            translated["field"] = (
                f"{translated['field']} ({'paramètre' if where == 'query' else 'chemin'})"
            )
        errors.append(translated)
    return errors


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = field_errors(exc)
    if not request.url.path.startswith(_API) and any(e["loc"][0] == "path" for e in exc.errors()):
        return refuse(request, 404, text("http.no_page"))  # /dossiers/abc names no page
    detail = Text(
        "; ".join(f"« {e['field']} » : {e['message']}" for e in errors) or "requête invalide",
        "; ".join(f"'{e['field']}': {e['message_en']}" for e in errors) or "invalid request",
    )
    return refuse(request, 422, detail, errors=errors, kind="invalid-input")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    key = {404: "http.no_page", 405: "http.method", 413: "http.too_large"}.get(status)
    detail = text(key) if key else Text(_TITLES.get(status, "erreur"), str(exc.detail))
    return refuse(request, status, detail)


async def _store_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StoreError)
    return refuse(request, exc.status, Text(str(exc), ""))


async def _busy(request: Request, _exc: Exception) -> Response:
    # No connection came free in time, or SQLite stayed locked: the load is too high now.
    return refuse(request, 503, text("http.busy"))


async def _unexpected(request: Request, exc: Exception) -> Response:
    _log.exception("erreur interne sur %s %s", request.method, request.url.path, exc_info=exc)
    return refuse(request, 500, text("http.internal"))


def install(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(StoreError, _store_error)
    app.add_exception_handler(PoolTimeout, _busy)
    app.add_exception_handler(OperationalError, _busy)
    app.add_exception_handler(Exception, _unexpected)
