"""Logging in and out, and who is behind a session token.

A login reads, checks the password outside any transaction (argon2 takes a while on
purpose), then writes the outcome: the database is never held while hashing.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from proa.core import catalogue
from proa.service import passwords
from proa.service.audit import record, sha256
from proa.service.errors import AuthFailed, NotFound, RateLimited
from proa.service.views import Actor, LoginResult, UserView, utc
from proa.storage import models as m
from proa.storage.db import Database

SESSION_HOURS = 12
# A token's actor is read once per this many seconds in each process (a write then costs one
# query less): a logout here forgets it at once; another worker process, or an account
# changed directly in the database, is seen within this time.
ACTOR_SECONDS = 1.0
LOGIN_WINDOW = dt.timedelta(minutes=5)
LOGIN_MAX_FAILURES = 5


def actor_of(user: m.User) -> Actor:
    return Actor(
        user_id=user.id,
        email=user.email,
        role=user.role,
        organisation_id=user.organisation_id,
        organisation_kind=user.organisation.kind,
        employee_id=user.employee_id,
        organisation_name=user.organisation.name,
    )


def _failures(session: Session, key: str, now: dt.datetime) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(m.LoginFailure)
            .where(m.LoginFailure.key_hash == key, m.LoginFailure.at > now - LOGIN_WINDOW)
        )
        or 0
    )


def _too_many() -> RateLimited:
    return RateLimited(catalogue.text("service.too_many_logins"))


def login(db: Database, email: str, password: str, client: str = "") -> LoginResult:
    """Check a password and open a session. At most 5 failures per (email, client address)
    in 5 minutes; then `RateLimited` until the window slides, even with the right password.
    The count holds across processes: the write re-counts under a lock on the key."""
    email = email.strip().lower()
    key = sha256(email + "\0" + client)
    now = m.utcnow()
    if not email.isprintable():  # no such address (and PostgreSQL refuses NUL in text)
        raise AuthFailed(catalogue.text("service.wrong_login"))
    with db.reading() as session:
        if _failures(session, key, now) >= LOGIN_MAX_FAILURES:
            raise _too_many()
        user = session.scalars(select(m.User).where(m.User.email == email)).first()
    ok = passwords.verify(user.password_hash if user else None, password)
    ok = ok and user is not None and user.active
    result: LoginResult | None = None
    with db.writing() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": int(key[:15], 16)})
        if _failures(session, key, now) >= LOGIN_MAX_FAILURES:
            raise _too_many()
        if not ok or user is None:
            session.add(m.LoginFailure(key_hash=key, at=now))
        else:
            session.execute(delete(m.LoginFailure).where(m.LoginFailure.key_hash == key))
            session.execute(
                delete(m.AuthSession).where(
                    m.AuthSession.user_id == user.id, m.AuthSession.expires_at <= now
                )
            )
            token = secrets.token_urlsafe(32)
            expires = now + dt.timedelta(hours=SESSION_HOURS)
            session.add(
                m.AuthSession(token_hash=sha256(token), user_id=user.id, expires_at=expires)
            )
            record(session, actor_of(user), "login", "user", user.id, user.organisation_id)
            result = LoginResult(
                token=token, expires_at=expires, user=UserView.model_validate(user)
            )
    if result is None:
        raise AuthFailed(catalogue.text("service.wrong_login"))
    return result


def _actors(db: Database) -> dict[str, tuple[Actor, dt.datetime, float]]:
    actors: dict[str, tuple[Actor, dt.datetime, float]] = db.memo.setdefault("actors", {})
    return actors


def actor_for_token(db: Database, token: str) -> Actor:
    """The actor behind a session token; `AuthFailed` when unknown, expired or disabled."""
    key = sha256(token)
    now = m.utcnow()
    known = _actors(db).get(key)
    if known is not None and now < known[1] and time.monotonic() < known[2]:
        return known[0]
    with db.reading() as session:
        row = session.execute(
            select(m.AuthSession.expires_at, m.User)
            .join(m.User, m.User.id == m.AuthSession.user_id)
            .where(m.AuthSession.token_hash == key)
        ).first()
        if row is None or utc(row[0]) <= now or not row[1].active:
            _actors(db).pop(key, None)
            raise AuthFailed(catalogue.text("service.session_expired"))
        actor = actor_of(row[1])
    actors = _actors(db)
    if len(actors) > 10_000:  # bounded: tokens of long-gone clients go
        actors.clear()
    actors[key] = (actor, utc(row[0]), time.monotonic() + ACTOR_SECONDS)
    return actor


def logout(db: Database, token: str) -> None:
    _actors(db).pop(sha256(token), None)
    with db.writing() as session:
        session.execute(delete(m.AuthSession).where(m.AuthSession.token_hash == sha256(token)))


def get_user(db: Database, actor: Actor) -> UserView:
    with db.reading() as session:
        user = session.get(m.User, actor.user_id)
        if user is None:
            raise NotFound(catalogue.text("service.account_not_found"))
        return UserView.model_validate(user)
