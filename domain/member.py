"""A member of the community: the only aggregate that holds personal data.

Names, e-mail addresses and anything else about a person live in this
aggregate's events alone; every other event refers to members by id. That
lets a later change forget a member by destroying one encryption key,
without editing the log.
"""

from __future__ import annotations

import re
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.ids import member_id_for, normalise_email
from domain.rules import Checker
from domain.values import Role

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_expertise(check: Checker, expertise: object) -> list[str]:
    if expertise is None:
        return []
    if isinstance(expertise, str):
        expertise = expertise.split(",")
    if not isinstance(expertise, (list, tuple)) or not all(isinstance(t, str) for t in expertise):
        check.fail("expertise", "must be a list of tags")
        return []
    tags = sorted({" ".join(t.split()).lower() for t in expertise if t.strip()})
    if any(len(t) > 60 for t in tags):
        check.fail("expertise", "each tag must be at most 60 characters")
    return tags


class Member(Aggregate):
    @staticmethod
    def create_id(email: str) -> UUID:
        return member_id_for(email)

    @classmethod
    def join(cls, *, email: str, name: str, role: object, team_id: UUID | None,
             expertise: object = (), consents_to_contact: bool = True,
             password_hash: str | None = None, is_organiser: bool = False) -> "Member":
        check = Checker()
        email = normalise_email(check.text("email", email, max_length=254))
        if email and not EMAIL.match(email):
            check.fail("email", "must be an e-mail address like name@nhs.net")
        name = check.text("name", name, max_length=120)
        role = check.choice("role", Role, role)
        tags = check_expertise(check, expertise)
        if team_id is None and not is_organiser:
            check.fail("team_id", "is required for members who are not organisers")
        check.done()
        return cls(email=email, name=name, role=role, team_id=team_id, expertise=tags,
                   consents_to_contact=bool(consents_to_contact),
                   password_hash=password_hash, is_organiser=bool(is_organiser))

    @event("Joined")
    def __init__(self, email: str, name: str, role: Role, team_id: UUID | None,
                 expertise: list[str], consents_to_contact: bool,
                 password_hash: str | None, is_organiser: bool) -> None:
        self.email = email
        self.name = name
        self.role = role
        self.team_id = team_id
        self.expertise = list(expertise)
        self.consents_to_contact = consents_to_contact
        self.password_hash = password_hash
        self.is_organiser = is_organiser

    @event("PasswordSet")
    def set_password(self, password_hash: str) -> None:
        self.password_hash = password_hash

    def update_profile(self, *, role: object, expertise: object,
                       consents_to_contact: bool) -> None:
        check = Checker()
        role = check.choice("role", Role, role)
        tags = check_expertise(check, expertise)
        check.done()
        self._update_profile(role=role, expertise=tags,
                             consents_to_contact=bool(consents_to_contact))

    @event("ProfileUpdated")
    def _update_profile(self, role: Role, expertise: list[str],
                        consents_to_contact: bool) -> None:
        self.role = role
        self.expertise = list(expertise)
        self.consents_to_contact = consents_to_contact
