"""Ids derived from natural keys, so a second registration of the same e-mail
or team name lands on the same aggregate and is refused as a conflict."""

from __future__ import annotations

from uuid import UUID, uuid5

NAMESPACE = UUID("6b0f6a34-9c55-4d4e-9f7e-1f8c2f2f6c11")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def normalise_name(name: str) -> str:
    return " ".join(name.split()).lower()


def member_id_for(email: str) -> UUID:
    return uuid5(NAMESPACE, "member:" + normalise_email(email))


def team_id_for(name: str) -> UUID:
    return uuid5(NAMESPACE, "team:" + normalise_name(name))


PROGRAMME_ID = uuid5(NAMESPACE, "programme")
