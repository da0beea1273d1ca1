"""Password hashing. Only hashes reach the event log, never a password."""

from __future__ import annotations

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
    if not password_hash:
        return False
    return check_password_hash(password_hash, password)
