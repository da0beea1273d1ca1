"""Errors the domain raises; the web layer maps each to one HTTP status."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: a command that cannot be carried out as asked."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Invalid(DomainError):
    """Bad input. ``fields`` maps each offending field to what is wrong with it."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = dict(fields)


class NotFound(DomainError):
    """The thing asked for does not exist."""


class NotAllowed(DomainError):
    """The member may not do this (not theirs, or an organiser's job)."""


class Conflict(DomainError):
    """Someone else changed the thing first, or it already exists."""
