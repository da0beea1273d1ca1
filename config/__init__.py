"""Settings read from environment variables, with safe defaults.

Every other package takes a ``Settings`` object; only this module reads the
environment, so a test can build any configuration without touching it.
Depends on nothing but the standard library.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("COMMUNITY_INSTANCE_DIR", PROJECT_ROOT / "instance"))


def default_database_url() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'community.sqlite'}"


def _secret_key() -> str:
    """A key kept in the instance folder, so sessions survive a restart."""
    if key := os.environ.get("COMMUNITY_SECRET_KEY"):
        return key
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)  # the owner's only
        path.touch(mode=0o600)  # private before the key is written, not after
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()


def _flag(name: str) -> bool:
    return os.environ.get(name, "0").lower() in {"1", "true", "yes"}


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=default_database_url)
    secret_key: str = ""
    # Views catch up after every command so users see what they just did;
    # a deployment with a projection worker may turn this off.
    catch_up_after_commands: bool = True
    # A projection worker (`community worker`) follows the log: commands then wait
    # until the views reach their own change instead of catching up themselves,
    # for at most this many seconds (then a 503 says the change is saved).
    views_worker: bool = False
    views_wait_seconds: float = 5.0
    # /readyz answers 503 while any view is more than this many changes behind.
    ready_max_lag: int = 1000
    testing: bool = False
    # Outbox e-mail goes through this SMTP server; no host means sending is refused.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_from: str = "community@localhost"
    smtp_starttls: bool = False
    smtp_username: str = ""
    smtp_password: str = field(default="", repr=False)
    # Served over plain HTTP (development only): no HSTS, cookies not marked Secure.
    plain_http: bool = False
    # Database connections each process keeps open for its threads to share. Past
    # it a connection is opened for one use and closed: on PostgreSQL a new server
    # process each time. A web process's 8 threads used more than the 5 kept before.
    database_pool_size: int = 20

    @classmethod
    def from_environment(cls) -> Settings:
        return cls(
            database_url=os.environ.get("COMMUNITY_DATABASE_URL") or default_database_url(),
            secret_key=_secret_key(),
            catch_up_after_commands=os.environ.get("COMMUNITY_CATCH_UP", "1") != "0",
            views_worker=_flag("COMMUNITY_VIEWS_WORKER"),
            views_wait_seconds=float(os.environ.get("COMMUNITY_VIEWS_WAIT_SECONDS") or 5.0),
            ready_max_lag=int(os.environ.get("COMMUNITY_READY_MAX_LAG") or 1000),
            smtp_host=os.environ.get("COMMUNITY_SMTP_HOST", ""),
            smtp_port=int(os.environ.get("COMMUNITY_SMTP_PORT") or 25),
            smtp_from=os.environ.get("COMMUNITY_SMTP_FROM") or "community@localhost",
            smtp_starttls=os.environ.get("COMMUNITY_SMTP_STARTTLS", "0").lower() in {"1", "true", "yes"},
            smtp_username=os.environ.get("COMMUNITY_SMTP_USERNAME", ""),
            smtp_password=os.environ.get("COMMUNITY_SMTP_PASSWORD", ""),
            plain_http=os.environ.get("COMMUNITY_PLAIN_HTTP", "0").lower() in {"1", "true", "yes"},
            database_pool_size=int(os.environ.get("COMMUNITY_DATABASE_POOL_SIZE") or 20),
        )
