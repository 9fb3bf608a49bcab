"""What the REST API and the web app share over HTTP: the database of the app, the session
cookie, the actor behind a request (bearer token or cookie), the client's address and the
same-origin check for cookie-authenticated writes.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request, Response
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from proa import service
from proa.core.catalogue import text
from proa.service.errors import AuthFailed, Forbidden
from proa.service.views import Actor
from proa.storage.db import Database

COOKIE = "proa_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_bearer = HTTPBearer(auto_error=False, description="Jeton obtenu par POST /api/v1/auth/login")
_cookie = APIKeyCookie(name=COOKIE, auto_error=False, description="Cookie de session (web)")


async def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


DatabaseDep = Annotated[Database, Depends(get_database)]


def client_address(request: Request) -> str:
    """The client's address: the peer's, or the one a trusted proxy forwarded (the server
    only rewrites it for the proxies it was told to trust)."""
    return request.client.host if request.client else ""


def check_same_origin(request: Request) -> None:
    """CSRF defence for cookie sessions: an unsafe request must come from this very origin
    (`Origin`, else `Referer`, equal to scheme://host[:port] of the request)."""
    source = request.headers.get("origin") or request.headers.get("referer") or ""
    parts = urlsplit(source)
    own = f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"
    if not parts.scheme or f"{parts.scheme}://{parts.netloc}" != own:
        raise Forbidden(text("http.cross_origin"))


def session_token(request: Request) -> tuple[str | None, bool]:
    """The session token and whether it came from the cookie."""
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip() or None, False
    return request.cookies.get(COOKIE), True


def optional_actor(request: Request, db: DatabaseDep) -> Actor | None:
    """The logged-in actor, or None (web pages redirect to the login page)."""
    token, from_cookie = session_token(request)
    if not token:
        return None
    if from_cookie and request.method not in SAFE_METHODS:
        check_same_origin(request)
    try:
        return service.actor_for_token(db, token)
    except AuthFailed:
        return None


def current_actor(
    request: Request,
    db: DatabaseDep,
    _bearer_doc: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    _cookie_doc: Annotated[str | None, Depends(_cookie)],
) -> Actor:
    """The logged-in actor; 401 problem+json otherwise."""
    token, from_cookie = session_token(request)
    if not token:
        raise AuthFailed(text("http.login_with_token"))
    if from_cookie and request.method not in SAFE_METHODS:
        check_same_origin(request)
    return service.actor_for_token(db, token)


ActorDep = Annotated[Actor, Depends(current_actor)]
OptionalActorDep = Annotated[Actor | None, Depends(optional_actor)]


def set_session_cookie(
    request: Request, response: Response, token: str, expires_at: dt.datetime | None = None
) -> None:
    """HttpOnly, SameSite=Lax, and Secure when the request came over HTTPS; without
    `expires_at`, the browser forgets it when it closes."""
    response.set_cookie(
        COOKIE,
        token,
        expires=expires_at,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/")
