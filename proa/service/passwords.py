"""Password hashing: argon2id (argon2-cffi's defaults, about 0.15 s a hash here)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    return PasswordHasher().hash("proa-timing-equaliser")


def hash_password(password: str) -> str:
    return hasher.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; an unknown account costs the same time as a known one."""
    try:
        return hasher.verify(password_hash or _dummy_hash(), password)
    except VerificationError:
        return False
