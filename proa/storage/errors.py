"""Service errors: each carries its HTTP status and a French message (English second).

The API turns them into problem+json (RFC 9457); the web app shows `message`.
"""

from __future__ import annotations


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
