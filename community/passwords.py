"""Password hashing. Only hashes reach the event log, never a password.

A new password must be at least ``MIN_LENGTH`` characters and not one of the common
passwords in config/common_passwords.txt (issue 13; that file says where the list
comes from), compared without regard to case or surrounding spaces."""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from domain.errors import Invalid

MIN_LENGTH = 10
# werkzeug's scrypt: memory-hard and needs no extra native library. Tests
# lower its cost (tests/conftest.py); a stored hash names its own parameters.
HASH_METHOD = "scrypt"


COMMON_PASSWORDS = Path(__file__).resolve().parent.parent / "config" / "common_passwords.txt"
TOO_COMMON = "is one of the most common passwords, which are guessed first: choose another"


def hash_password(password: object) -> str:
    """The hash of an acceptable new password; ``Invalid`` otherwise."""
    return generate_password_hash(check_new_password(password), method=HASH_METHOD)


def check_new_password(password: object, field: str = "password") -> str:
    """The password if it may be chosen; ``Invalid`` naming ``field`` if not."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise Invalid({field: f"must be at least {MIN_LENGTH} characters"})
    if is_common(password):
        raise Invalid({field: TOO_COMMON})
    return password


def is_common(password: str) -> bool:
    return password.strip().lower() in _common_passwords()


@cache
def _common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines
                     if line.strip() and not line.startswith("#"))


def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether the password matches the hash. With no hash (an unknown e-mail, a member
    who has no password yet) a made-up hash is checked all the same, so the answer
    takes as long and does not tell who is a member (issue 13)."""
    if not password_hash:
        check_password_hash(_unguessable_hash(HASH_METHOD), password)
        return False
    return check_password_hash(password_hash, password)


_unguessable: dict[str, str] = {}


def _unguessable_hash(method: str) -> str:
    """A hash at the current cost of a random password no one knows, made once per cost."""
    if method not in _unguessable:
        _unguessable[method] = generate_password_hash(secrets.token_urlsafe(32), method=method)
    return _unguessable[method]
