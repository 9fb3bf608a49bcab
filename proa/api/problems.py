"""Errors as RFC 9457 problem+json, in French (English second), naming the fields."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from proa.core.catalogue import Text, text
from proa.core.model import listing, translate_error
from proa.service.errors import ServiceError

MEDIA_TYPE = "application/problem+json"

# What the HTTP layer itself refuses, by status: (title, detail) in the catalogue.
_HTTP = {
    400: ("http.bad_request", "http.bad_request_detail"),
    401: ("http.unauthorized", "http.login_first"),
    403: ("http.forbidden", "http.forbidden_detail"),
    404: ("http.not_found", "http.no_such_address"),
    405: ("http.method_not_allowed", "http.method_detail"),
    413: ("http.too_large", "http.too_large_detail"),
    415: ("http.unsupported_type", "http.send_json"),
    500: ("http.internal", "http.internal_detail"),
}


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    detail_en: str = "",
    errors: list[dict[str, str]] | None = None,
    kind: str = "error",
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"urn:proa:problem:{kind}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if detail_en:
        body["detail_en"] = detail_en
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _kind(exc: ServiceError) -> str:
    name = type(exc).__name__
    return "".join("-" + c.lower() if c.isupper() else c for c in name).lstrip("-")


async def _service_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    headers = {"Retry-After": "300"} if exc.status == 429 else None
    return problem(
        exc.status,
        exc.title,
        exc.message,
        detail_en=exc.message_en,
        errors=exc.errors,
        kind=_kind(exc),
        headers=headers,
    )


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
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
    detail = listing(errors) if errors else text("http.bad_request_detail")
    return problem(
        422,
        text("http.invalid_input").fr,
        detail.fr,
        detail_en=detail.en,
        errors=errors,
        kind="invalid-input",
    )


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    known = _HTTP.get(exc.status_code)
    title = text(known[0] if known else "http.error").fr
    detail = text(known[1]) if known else Text(str(exc.detail), str(exc.detail))
    return problem(
        exc.status_code,
        title,
        detail.fr,
        detail_en=detail.en,
        kind=f"http-{exc.status_code}",
        headers=dict(exc.headers) if exc.headers else None,
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
