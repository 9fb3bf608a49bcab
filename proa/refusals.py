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
from proa.core.model import listing, translate_error
from proa.service.errors import ServiceError
from proa.web import routes as web
from proa.web.store import StoreError

MEDIA_TYPE = "application/problem+json"
RETRY_AFTER = {429: "300", 503: "1"}
_API = ("/api/", "/openapi.json", "/docs", "/redoc")
_log = logging.getLogger("proa")

# Problem titles (RFC 9457 `title`) by status, in the catalogue.
_TITLES = {
    400: "http.bad_request",
    401: "http.unauthorized",
    403: "http.forbidden",
    404: "http.not_found",
    405: "http.method_not_allowed",
    409: "http.conflict",
    413: "http.too_large",
    415: "http.unsupported_type",
    422: "http.invalid_input",
    429: "http.too_many",
    500: "http.internal",
    503: "http.busy",
}
# What the HTTP layer itself says, by status.
_DETAILS = {
    400: "http.bad_request_detail",
    401: "http.login_first",
    403: "http.forbidden_detail",
    404: "http.no_such_address",
    405: "http.method_detail",
    413: "http.too_large_detail",
    415: "http.send_json",
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


def _is_page(request: Request) -> bool:
    """Whether the request is for the web app (a page), not the API."""
    return not request.url.path.startswith(_API)


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
    titled = text(_TITLES.get(status, "http.error"))
    headers = {"Retry-After": RETRY_AFTER[status]} if status in RETRY_AFTER else None
    if _is_page(request):
        shown = Text(title, title) if title else titled
        return web.error_page(request, status, shown, detail, headers=headers)
    return problem(
        status,
        title or titled.fr,
        detail,
        errors=errors,
        kind=kind or f"http-{status}",
        headers=headers,
    )


def _kind(exc: ServiceError) -> str:
    name = type(exc).__name__
    return "".join("-" + c.lower() if c.isupper() else c for c in name).lstrip("-")


async def _service_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ServiceError)
    return refuse(request, exc.status, exc.text, errors=exc.errors, kind=_kind(exc))


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
    if _is_page(request) and any(e["loc"][0] == "path" for e in exc.errors()):
        return refuse(request, 404, text("http.no_page"))  # /dossiers/abc names no page
    detail = listing(errors) if errors else text("http.bad_request_detail")
    return refuse(request, 422, detail, errors=errors, kind="invalid-input")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    key = "http.no_page" if status == 404 and _is_page(request) else _DETAILS.get(status)
    detail = text(key) if key else Text(str(exc.detail), str(exc.detail))
    return refuse(request, status, detail)


async def _store_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StoreError)
    return refuse(request, exc.status, exc.text)


async def _busy(request: Request, _exc: Exception) -> Response:
    # No connection came free in time, or SQLite stayed locked: the load is too high now.
    return refuse(request, 503, text("http.busy_detail"))


async def _unexpected(request: Request, exc: Exception) -> Response:
    _log.exception("erreur interne sur %s %s", request.method, request.url.path, exc_info=exc)
    return refuse(request, 500, text("http.internal_detail"))


def install(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(StoreError, _store_error)
    app.add_exception_handler(PoolTimeout, _busy)
    app.add_exception_handler(OperationalError, _busy)
    app.add_exception_handler(Exception, _unexpected)
