"""Service errors: each carries its HTTP status and a French message (English second).

The API turns them into problem+json (RFC 9457); the web app shows `message`.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from proa.core.model import translate_error


class ServiceError(Exception):
    status = 400
    title = "Requête invalide"

    def __init__(
        self, message: str, message_en: str = "", errors: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en
        self.errors = errors or []


class InvalidInput(ServiceError):
    status = 422
    title = "Données invalides"

    @classmethod
    def from_validation(cls, exc: ValidationError, prefix: str = "") -> InvalidInput:
        """A pydantic refusal, each field named in French (the case contract's translation)."""
        errors = [translate_error(e) for e in exc.errors()]
        return cls(
            prefix + "; ".join(f"« {e['field']} » : {e['message']}" for e in errors),
            "; ".join(f"'{e['field']}': {e['message_en']}" for e in errors),
            errors,
        )


class AuthFailed(ServiceError):
    status = 401
    title = "Authentification requise"


class Forbidden(ServiceError):
    status = 403
    title = "Action non autorisée"


class NotFound(ServiceError):
    status = 404
    title = "Introuvable"


class Conflict(ServiceError):
    status = 409
    title = "Conflit"


class RateLimited(ServiceError):
    status = 429
    title = "Trop de tentatives"


class Busy(ServiceError):
    """The service is saturated: try again shortly (HTTP 503 with Retry-After)."""

    status = 503
    title = "Service momentanément saturé"


def field_error(field: str, message: str, message_en: str) -> dict[str, str]:
    return {"field": field, "message": message, "message_en": message_en}


def allowed(field: str, values: Any) -> dict[str, str]:
    listed = ", ".join(values)
    return field_error(field, "valeurs permises : " + listed, "allowed: " + listed)
