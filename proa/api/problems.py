"""Errors as RFC 9457 problem+json, in French (English second), naming the fields."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from proa.core.model import translate_error
from proa.service.errors import ServiceError

MEDIA_TYPE = "application/problem+json"

_HTTP_FR = {
    400: ("Requête invalide", "requête invalide"),
    401: ("Authentification requise", "connectez-vous d'abord"),
    403: ("Action non autorisée", "action non autorisée"),
    404: ("Introuvable", "cette adresse n'existe pas"),
    405: ("Méthode non permise", "méthode HTTP non permise à cette adresse"),
    413: ("Requête trop grande", "requête trop volumineuse"),
    415: ("Type de contenu non pris en charge", "envoyez du JSON"),
    500: ("Erreur interne", "erreur interne du serveur ; l'incident est journalisé"),
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
    detail = "; ".join(f"« {e['field']} » : {e['message']}" for e in errors)
    return problem(
        422,
        "Données invalides",
        detail or "requête invalide",
        detail_en="; ".join(f"'{e['field']}': {e['message_en']}" for e in errors),
        errors=errors,
        kind="invalid-input",
    )


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    title, detail = _HTTP_FR.get(exc.status_code, ("Erreur", str(exc.detail)))
    return problem(
        exc.status_code,
        title,
        detail,
        detail_en=str(exc.detail),
        kind=f"http-{exc.status_code}",
        headers=dict(exc.headers) if exc.headers else None,
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
