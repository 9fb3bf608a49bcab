"""Service errors: each carries its HTTP status and a French message (English second).

The API turns them into problem+json (RFC 9457); the web app shows `message`.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import ValidationError

from proa.core.catalogue import Text, text
from proa.core.model import field_error, listing, translate_error


class ServiceError(Exception):
    """A refused use case: its HTTP status, its problem title and its message, both from
    the catalogue (`proa/core/catalogue.yaml`), French first."""

    status = 400
    title_key = "http.bad_request"

    def __init__(self, message: Text, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(message.fr)
        self.text = message
        self.errors = errors or []

    @property
    def message(self) -> str:
        return self.text.fr

    @property
    def message_en(self) -> str:
        return self.text.en

    @property
    def title(self) -> str:
        return text(self.title_key).fr


class InvalidInput(ServiceError):
    status = 422
    title_key = "http.invalid_input"

    @classmethod
    def from_validation(cls, exc: ValidationError) -> InvalidInput:
        """A pydantic refusal, each field named in French (the case contract's translation)."""
        errors = [translate_error(e) for e in exc.errors()]
        return cls(listing(errors), errors)


class AuthFailed(ServiceError):
    status = 401
    title_key = "http.unauthorized"


class Forbidden(ServiceError):
    status = 403
    title_key = "http.forbidden"


class NotFound(ServiceError):
    status = 404
    title_key = "http.not_found"


class Conflict(ServiceError):
    status = 409
    title_key = "http.conflict"


class RateLimited(ServiceError):
    status = 429
    title_key = "http.too_many"


class Busy(ServiceError):
    """The service is saturated: try again shortly (HTTP 503 with Retry-After)."""

    status = 503
    title_key = "http.busy"


def allowed(field: str, values: Iterable[str]) -> dict[str, str]:
    listed = ", ".join(values)
    return field_error(field, text("service.allowed", values=listed or text("service.none")))
