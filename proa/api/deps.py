"""Request dependencies shared by the API and the web app: a database session, the actor
(bearer token or session cookie) and the same-origin check for cookie-authenticated writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request, Response
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from proa.storage import services
from proa.storage.errors import AuthFailed, Forbidden
from proa.storage.services import Actor

COOKIE = "proa_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_bearer = HTTPBearer(auto_error=False, description="Jeton obtenu par POST /api/v1/auth/login")
_cookie = APIKeyCookie(name=COOKIE, auto_error=False, description="Cookie de session (web)")


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.database.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


def check_same_origin(request: Request) -> None:
    """CSRF defence for cookie sessions: an unsafe request must come from this very origin
    (`Origin`, else `Referer`, equal to scheme://host[:port] of the request)."""
    source = request.headers.get("origin") or request.headers.get("referer") or ""
    parts = urlsplit(source)
    own = f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"
    if not parts.scheme or f"{parts.scheme}://{parts.netloc}" != own:
        raise Forbidden(
            "requête refusée : elle ne vient pas de cette application (contrôle d'origine)",
            "request refused: cross-origin (CSRF check)",
        )


def session_token(request: Request) -> tuple[str | None, bool]:
    """The session token and whether it came from the cookie."""
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip() or None, False
    return request.cookies.get(COOKIE), True


def optional_actor(request: Request, session: SessionDep) -> Actor | None:
    """The logged-in actor, or None (web pages redirect to the login page)."""
    token, from_cookie = session_token(request)
    if not token:
        return None
    if from_cookie and request.method not in SAFE_METHODS:
        check_same_origin(request)
    try:
        return services.actor_for_token(session, token)
    except AuthFailed:
        return None


def current_actor(
    request: Request,
    session: SessionDep,
    _bearer_doc: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    _cookie_doc: Annotated[str | None, Depends(_cookie)],
) -> Actor:
    """The logged-in actor; 401 problem+json otherwise."""
    token, from_cookie = session_token(request)
    if not token:
        raise AuthFailed(
            "connectez-vous d'abord (jeton « Authorization: Bearer » ou cookie de session)",
            "log in first",
        )
    if from_cookie and request.method not in SAFE_METHODS:
        check_same_origin(request)
    return services.actor_for_token(session, token)


ActorDep = Annotated[Actor, Depends(current_actor)]


def set_session_cookie(
    response: Response, token: str, expires_at: dt.datetime, secure: bool = False
) -> None:
    response.set_cookie(
        COOKIE, token, expires=expires_at, httponly=True, samesite="lax", secure=secure, path="/"
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/")
