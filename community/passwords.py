"""Password hashing. Only hashes reach the event log, never a password."""

from __future__ import annotations

import secrets

from werkzeug.security import check_password_hash, generate_password_hash

from domain.errors import Invalid

MIN_LENGTH = 10
# werkzeug's scrypt: memory-hard and needs no extra native library. Tests
# lower its cost (tests/conftest.py); a stored hash names its own parameters.
HASH_METHOD = "scrypt"


def hash_password(password: object) -> str:
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise Invalid({"password": f"must be at least {MIN_LENGTH} characters"})
    return generate_password_hash(password, method=HASH_METHOD)


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
