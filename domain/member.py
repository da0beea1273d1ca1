"""A member of the community: the only aggregate that holds personal data.

Names, e-mail addresses, phone numbers and anything else about a person live
in this aggregate's events alone; every other event refers to members by id.
That lets a later change forget a member by destroying one encryption key,
without editing the log.
"""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.ids import NAMESPACE, normalise_email
from domain.input_checks import Checker
from domain.values import ContactChannel, KeyArea, Labelled, Role

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Loosely a phone number: digits, spaces, + and brackets, as people write them.
PHONE = re.compile(r"[0-9 +()]+")
PHONE_MAX = 30
HELP_WITH_MAX = 1000
TAG_MAX = 60
# The working days a member may run clinics on, in calendar order: the stored keys.
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


class _Keep:
    """The value of a profile field a caller did not give: it stays as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


def check_expertise(check: Checker, expertise: object) -> list[str]:
    if expertise is None:
        return []
    if isinstance(expertise, str):
        expertise = expertise.split(",")
    if not isinstance(expertise, (list, tuple)) or not all(isinstance(t, str) for t in expertise):
        check.fail("expertise", "must be a list of tags")
        return []
    # A comma inside a listed tag separates two tags, as it does in text.
    cleaned = [" ".join(t.split()) for item in expertise for t in item.split(",") if t.strip()]
    if any(len(t) > TAG_MAX for t in cleaned):
        check.fail("expertise", f"each tag must be at most {TAG_MAX} characters")
    if any("\x00" in t for t in cleaned):
        check.fail("expertise", "must not contain NUL characters")
    return sorted({t.lower() for t in cleaned})


def _items(check: Checker, field: str, value: object) -> list[str]:
    """A list of words given as a list or as text separated by commas."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    if isinstance(value, (set, frozenset)):
        value = list(value)
    if not isinstance(value, (list, tuple)):
        check.fail(field, "must be a list")
        return []
    found = []
    for item in value:
        if isinstance(item, ContactChannel):
            item = item.value
        if not isinstance(item, str):
            check.fail(field, "must be a list of words")
            return []
        if item.strip():
            found.append(item.strip().lower())
    return found


def check_clinic_days(check: Checker, days: object) -> list[str]:
    """The weekdays a member runs clinics, once each, Monday first."""
    given = set(_items(check, "clinic_days", days))
    if unknown := given - set(WEEKDAYS):
        check.fail("clinic_days", "must be days from Monday to Friday, not "
                   + ", ".join(sorted(unknown)))
    return [d for d in WEEKDAYS if d in given]


def check_channels(check: Checker, channels: object) -> list[ContactChannel]:
    """How a member would like to be contacted, once each, in the choices' order."""
    given = set(_items(check, "contact_channels", channels))
    known = {c.value for c in ContactChannel}
    if unknown := given - known:
        check.fail("contact_channels", f"must be some of: {ContactChannel.choices()}; not "
                   + ", ".join(sorted(unknown)))
    return [c for c in ContactChannel if c.value in given]


def check_phone(check: Checker, phone: object) -> str:
    """A phone number, loosely: digits, spaces, + and brackets; empty means none."""
    phone = " ".join(check.text("phone", phone, required=False, max_length=PHONE_MAX).split())
    if phone and (not PHONE.fullmatch(phone) or not any(c.isdigit() for c in phone)):
        check.fail("phone", "must be a phone number: digits, spaces, + and ( ) only")
    return phone


def check_help_with(check: Checker, text: object) -> str:
    if isinstance(text, str):
        text = text.replace("\r\n", "\n").replace("\r", "\n")  # as a form sends it
    return check.text("help_with", text, required=False, max_length=HELP_WITH_MAX)


def check_consent(check: Checker, consents: object) -> bool:
    if not isinstance(consents, bool):
        check.fail("consents_to_contact", "must be true or false")
        return False
    return consents


# --- notifications: what a member has read, and what they want by e-mail too ----------


class NotificationKind(Enum):
    """What a member can be told about: the stored key, and how a member reads it."""

    CHANGES_REQUESTED = "changes_requested"
    PLAN_SHARED = "plan_shared"
    FOLLOW_UP_ANSWERED = "follow_up_answered"
    INTRODUCTION_MADE = "introduction_made"
    EVENT_PLANNED = "event_planned"
    QUESTION_INVITED = "question_invited"
    MENTIONED = "mentioned"
    QUESTION_ANSWERED = "question_answered"
    QUESTION_FOLLOWED = "question_in_followed"
    ANSWER_ACCEPTED = "answer_accepted"

    @property
    def label(self) -> str:
        return {
            "changes_requested": "The organisers ask for changes to one of my team's QIPs",
            "plan_shared": "One of my team's QIPs is accepted and shared",
            "follow_up_answered": "A follow-up I asked for is accepted or declined",
            "introduction_made": "The organisers introduce me to someone",
            "event_planned": "A new event I am invited to",
            "question_invited": "Someone asks me to answer their question",
            "mentioned": "Someone mentions me in a question or an answer",
            "question_answered": "A new answer to a question I follow",
            "question_in_followed": "A new question in a key area or team I follow",
            "answer_accepted": "The asker accepts my answer",
        }[self.value]


# A notification id is a UUID as text; one "mark all as read" records at most this many.
READ_IDS_MAX = 2000
NOTIFICATION_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def check_notification_ids(check: Checker, ids: object) -> list[str]:
    if not isinstance(ids, (list, tuple)) or not all(isinstance(i, str) for i in ids):
        check.fail("ids", "must be a list of notification ids")
        return []
    if len(ids) > READ_IDS_MAX:
        check.fail("ids", f"must be at most {READ_IDS_MAX} notification ids at once")
    cleaned = sorted({i.strip().lower() for i in ids})
    if bad := [i for i in cleaned if not NOTIFICATION_ID.fullmatch(i)]:
        check.fail("ids", f"are not notification ids: {', '.join(bad[:3])}")
    return cleaned


def check_notification_kinds(check: Checker, kinds: object) -> list[str]:
    given = set(_items(check, "kinds", kinds))
    known = [k.value for k in NotificationKind]
    if unknown := given - set(known):
        check.fail("kinds", "must be some of: " + ", ".join(known)
                   + f"; not {', '.join(sorted(unknown))}")
    return [k for k in known if k in given]


class DigestFrequency(Labelled):
    """How often a member gets the digest e-mail (``community digest``)."""

    DAILY = "daily"
    WEEKLY = "weekly"
    NEVER = "never"

    @property
    def label(self) -> str:
        return {"daily": "Every day", "weekly": "Once a week",
                "never": "Never"}[self.value]


# A member who never chose gets the weekly digest: the issue asks for a digest that
# brings quiet members back, and those are exactly the ones who never open the
# settings page; once a week is few enough not to be spam, and every digest carries
# a one-click unsubscribe link.
DEFAULT_DIGEST = DigestFrequency.WEEKLY


class Profile(TypedDict):
    """What a member can change about themself (``Member.update_profile``)."""
    role: Role
    expertise: list[str]
    consents_to_contact: bool
    help_with: str
    clinic_days: list[str]
    contact_channels: list[ContactChannel]
    phone: str


class Member(Aggregate):
    if TYPE_CHECKING:  # the event classes @event makes, named for mypy
        Joined: ClassVar[type[Aggregate.Event]]
        PasswordSet: ClassVar[type[Aggregate.Event]]
        ProfileUpdated: ClassVar[type[Aggregate.Event]]

    # No ``create_id``: the library gives a new member a random id (uuid4), which says
    # nothing about them. The e-mail index (domain/ids.py) finds a member by address.

    @classmethod
    def join(cls, *, email: str, name: str, role: object, team_id: UUID | None,
             expertise: object = (), consents_to_contact: bool = True,
             password_hash: str | None = None, is_organiser: bool = False,
             help_with: object = "", clinic_days: object = (), contact_channels: object = (),
             phone: object = "", member_id: UUID | None = None) -> Member:
        """``member_id``: an id chosen by the caller (the demo's, from its own random
        stream, so the same seed gives the same members); else a random one."""
        check = Checker()
        email = normalise_email(check.text("email", email, max_length=254))
        if email and not EMAIL.match(email):
            check.fail("email", "must be an e-mail address like name@nhs.net")
        name = check.text("name", name, max_length=120)
        role = check.choice("role", Role, role)
        tags = check_expertise(check, expertise)
        if team_id is None and not is_organiser:
            check.fail("team_id", "is required for members who are not organisers")
        help_text = check_help_with(check, help_with)
        days = check_clinic_days(check, clinic_days)
        channels = check_channels(check, contact_channels)
        number = check_phone(check, phone)
        check.done()
        return cls(id=member_id, email=email, name=name, role=role, team_id=team_id, expertise=tags,
                   consents_to_contact=bool(consents_to_contact),
                   password_hash=password_hash, is_organiser=bool(is_organiser),
                   help_with=help_text, clinic_days=days, contact_channels=channels,
                   phone=number)

    @event("Joined")
    def __init__(self, id: UUID | None, email: str, name: str, role: Role,
                 team_id: UUID | None,
                 expertise: list[str], consents_to_contact: bool,
                 password_hash: str | None, is_organiser: bool, help_with: str = "",
                 clinic_days: list[str] | None = None,
                 contact_channels: list[ContactChannel] | None = None,
                 phone: str = "") -> None:
        # ``id``: the library takes it as the originator id (None: a new uuid4) and
        # stores it there, not in the event's state, which stays as it was.
        self.email = email
        self.name = name
        self.role = role
        self.team_id = team_id
        self.expertise = list(expertise)
        self.consents_to_contact = consents_to_contact
        self.password_hash = password_hash
        self.is_organiser = is_organiser
        self.help_with = help_with
        self.clinic_days = list(clinic_days or [])
        self.contact_channels = list(contact_channels or [])
        self.phone = phone

    @event("PasswordSet")
    def set_password(self, password_hash: str) -> None:
        self.password_hash = password_hash

    def update_profile(self, *, role: object = KEEP, expertise: object = KEEP,
                       consents_to_contact: object = KEEP, help_with: object = KEEP,
                       clinic_days: object = KEEP, contact_channels: object = KEEP,
                       phone: object = KEEP) -> None:
        """Change what the member says about themself. A field not given stays as
        it was; a profile saved unchanged records nothing."""
        check = Checker()
        new_role = self.role if role is KEEP else check.choice("role", Role, role)
        if role is not KEEP and new_role is Role.ORGANISER and not self.is_organiser:
            check.fail("role", "only the programme's organisers have the organiser role")
        profile: Profile = {
            "role": new_role,
            "expertise": self.expertise if expertise is KEEP else check_expertise(check,
                                                                                 expertise),
            "consents_to_contact": (self.consents_to_contact if consents_to_contact is KEEP
                                    else check_consent(check, consents_to_contact)),
            "help_with": self.help_with if help_with is KEEP else check_help_with(check,
                                                                                 help_with),
            "clinic_days": (self.clinic_days if clinic_days is KEEP
                            else check_clinic_days(check, clinic_days)),
            "contact_channels": (self.contact_channels if contact_channels is KEEP
                                 else check_channels(check, contact_channels)),
            "phone": self.phone if phone is KEEP else check_phone(check, phone),
        }
        check.done()
        if profile != self.profile():
            self._update_profile(
                role=profile["role"], expertise=list(profile["expertise"]),
                consents_to_contact=profile["consents_to_contact"],
                help_with=profile["help_with"], clinic_days=list(profile["clinic_days"]),
                contact_channels=list(profile["contact_channels"]), phone=profile["phone"])

    def profile(self) -> Profile:
        """What the member can change about themself."""
        return {"role": self.role, "expertise": self.expertise,
                "consents_to_contact": self.consents_to_contact, "help_with": self.help_with,
                "clinic_days": self.clinic_days, "contact_channels": self.contact_channels,
                "phone": self.phone}

    @event("ProfileUpdated")
    def _update_profile(self, role: Role, expertise: list[str], consents_to_contact: bool,
                        help_with: str = "", clinic_days: list[str] | None = None,
                        contact_channels: list[ContactChannel] | None = None,
                        phone: str = "") -> None:
        self.role = role
        self.expertise = list(expertise)
        self.consents_to_contact = consents_to_contact
        self.help_with = help_with
        self.clinic_days = list(clinic_days or [])
        self.contact_channels = list(contact_channels or [])
        self.phone = phone


class NotificationSettings(Aggregate):
    """One member's notification state: what they have read, and which kinds they
    also want by e-mail.

    Events, not rows in the notifications view: a view is a projection any rebuild
    replays, and what a person read or chose must come back with it. Not events on
    ``Member``: marking a notification read would move the member's version and
    turn a profile edit open in another tab into a conflict, and the member's
    stream (read at every login) would grow with every click. So one small
    aggregate per member, its id derived from the member's.
    """

    if TYPE_CHECKING:  # the event classes @event makes, named for mypy
        Started: ClassVar[type[Aggregate.Event]]
        Read: ClassVar[type[Aggregate.Event]]
        EmailChoicesMade: ClassVar[type[Aggregate.Event]]
        FollowsChosen: ClassVar[type[Aggregate.Event]]
        DigestChosen: ClassVar[type[Aggregate.Event]]

    @staticmethod
    def create_id(member_id: UUID) -> UUID:
        return uuid5(NAMESPACE, f"notification-settings:{member_id}")

    @classmethod
    def start(cls, member_id: UUID) -> NotificationSettings:
        return cls(member_id=member_id)

    @event("Started")
    def __init__(self, member_id: UUID) -> None:
        self.member_id = member_id
        self.email_kinds: list[str] = []
        self.key_areas: list[KeyArea] = []
        self.team_ids: list[UUID] = []
        # Not an argument of ``Started``: the stored events stay as they were, and
        # settings started before the digest existed get the default on replay.
        self.digest = DEFAULT_DIGEST

    def read(self, ids: object) -> None:
        """Record notifications as read; callers pass only the member's own unread ones."""
        check = Checker()
        cleaned = check_notification_ids(check, ids)
        check.done()
        if cleaned:
            self._read(member_id=self.member_id, ids=cleaned)

    @event("Read")
    def _read(self, member_id: UUID, ids: list[str]) -> None:
        pass  # the notifications view marks them; no need to keep a list here

    def choose_emails(self, kinds: object, chosen_on: object) -> bool:
        """Which kinds also come by e-mail; choosing what is already chosen records nothing."""
        check = Checker()
        chosen = check_notification_kinds(check, kinds)
        day = check.day("chosen_on", chosen_on)
        check.done()
        if chosen == self.email_kinds:
            return False
        self._choose_emails(member_id=self.member_id, kinds=chosen, chosen_on=day)
        return True

    @event("EmailChoicesMade")
    def _choose_emails(self, member_id: UUID, kinds: list[str], chosen_on: date) -> None:
        self.email_kinds = list(kinds)

    # Following key areas and teams is also what a member wants to be told about,
    # so it lives here rather than on ``Member``: choosing what to follow must not
    # move the member's version (a profile edit open in another tab would clash),
    # and the notifications view reads one member's choices from one stream.
    def choose_follows(self, *, key_areas: object, team_ids: object) -> bool:
        """The key areas and teams the member follows, as a whole; the same again
        records nothing. New questions in them are notified."""
        check = Checker()
        if isinstance(key_areas, (str, KeyArea)):
            key_areas = [key_areas]
        if not isinstance(key_areas, (list, tuple)):
            check.fail("key_areas", "must be a list of key areas")
            key_areas = []
        areas = sorted({check.choice("key_areas", KeyArea, a) for a in key_areas},
                       key=lambda a: a.value)
        if not isinstance(team_ids, (list, tuple)) or not all(
                isinstance(t, UUID) for t in team_ids):
            check.fail("team_ids", "must be a list of team ids")
            team_ids = []
        check.done()
        teams = sorted(set(team_ids), key=str)
        if (areas, teams) == (self.key_areas, self.team_ids):
            return False
        self._choose_follows(member_id=self.member_id, key_areas=areas, team_ids=teams)
        return True

    @event("FollowsChosen")
    def _choose_follows(self, member_id: UUID, key_areas: list[KeyArea],
                        team_ids: list[UUID]) -> None:
        self.key_areas = list(key_areas)
        self.team_ids = list(team_ids)

    def choose_digest(self, frequency: object, chosen_on: object) -> bool:
        """Daily, weekly or never; choosing what is already chosen records nothing."""
        check = Checker()
        chosen = check.choice("frequency", DigestFrequency, frequency)
        day = check.day("chosen_on", chosen_on)
        check.done()
        if chosen == self.digest:
            return False
        self._choose_digest(member_id=self.member_id, frequency=chosen.value, chosen_on=day)
        return True

    # The frequency is stored as its value, like the e-mail kinds: the log reads
    # the same whatever the enum's Python name becomes.
    @event("DigestChosen")
    def _choose_digest(self, member_id: UUID, frequency: str, chosen_on: date) -> None:
        self.digest = DigestFrequency(frequency)
