"""The digest e-mail (``community digest``): once a day or a week, what is new for each
member, in the organisers' outbox like every other e-mail the community sends.

A digest covers a period: a daily one the day it is run for, a weekly one the ISO
week (Monday to Sunday) ending on or before that day, so a daily cron job puts the
weekly digests in on Mondays and none on the other days. Each holds:

- new answers, in the period, to questions the member follows (not their own);
- unanswered questions they could answer (``questions_i_could_answer``);
- QIPs shared in the period, and shared QIPs with a value measured in the period
  whose chart now signals improvement, in the member's key areas (their team's plans,
  their expertise, the key areas they follow), other teams' only;
- events in the next four weeks they are invited to.

Only what is new in the period makes a digest worth sending: answers, questions asked
in the period, new or improved QIPs. Questions that have waited longer and coming events
ride along, but alone would send the same e-mail week after week. A member with nothing
new gets no e-mail, and the run counts them.

Safe to run twice: a digest's outbox key is made of the member and the period
(``digest:<member>:2013-W39``), so its message id is the same on every run and the
outbox proposes nothing twice. Every digest ends with a signed one-click link that
unsubscribes (``/digest/unsubscribe/<token>``), which needs no login.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from itsdangerous import BadSignature, URLSafeSerializer

from community.commands import Id
from community.notifications import BASE_URL, NotificationCommands, settings_version
from domain.errors import Conflict, DomainError, NotFound
from domain.member import DigestFrequency, NotificationSettings
from domain.message import message_id_for
from domain.values import KeyArea
from projections.digest import answers_posted, messages_there, qips_shared, qips_with_values
from projections.home import key_areas_of
from projections.questions import questions_i_could_answer

SALT = "digest-unsubscribe"
UNSUBSCRIBE_PATH = "/digest/unsubscribe/{token}"
EVENTS_AHEAD = timedelta(weeks=4)
SHOWN = 5  # of each kind of item; the link of each section leads to the rest
SECTIONS = (
    ("answers", "New answers to questions you follow", "/questions"),
    ("questions", "Questions you could answer", "/questions?unanswered=true"),
    ("qips", "New and improved QIPs in your key areas", "/qips"),
    ("events", "Coming up in the next four weeks", "/events"),
)


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Period:
    """The days a digest covers, both included."""

    frequency: DigestFrequency
    start: date
    end: date

    @property
    def key(self) -> str:
        """"2013-W39" for a week, "2013-09-30" for a day: part of the outbox key."""
        if self.frequency is DigestFrequency.WEEKLY:
            year, week, _ = self.end.isocalendar()
            return f"{year}-W{week:02d}"
        return self.end.isoformat()

    @property
    def words(self) -> str:
        if self.start == self.end:
            return _long(self.end)
        return f"{_long(self.start)} to {_long(self.end)}"


def period_for(frequency: DigestFrequency, today: date) -> Period:
    """A daily digest covers ``today``; a weekly one the ISO week ending on or before it."""
    if frequency is DigestFrequency.WEEKLY:
        end = today - timedelta(days=(today.isoweekday() % 7))  # the Sunday on or before
        return Period(frequency, end - timedelta(days=6), end)
    return Period(frequency, today, today)


def message_key(member_id: str, period: Period) -> str:
    return f"digest:{member_id}:{period.key}"


# --- what one member's digest says: a pure function of the views' rows ---------------


@dataclass(frozen=True)
class Digest:
    subject: str
    body: str
    items: int  # how many lines with a link it holds


@dataclass(frozen=True)
class Reader:
    """The member a digest is for, as the composer needs them."""

    id: str
    name: str
    role: str
    team_id: str | None
    frequency: DigestFrequency
    key_areas: frozenset[str]


def compose_digest(reader: Reader, period: Period, *, answers: Sequence[dict[str, Any]],
                   could_answer: Sequence[dict[str, Any]], shared: Sequence[dict[str, Any]],
                   improved: Sequence[dict[str, Any]], events: Sequence[dict[str, Any]],
                   names: dict[str, str], base_url: str, unsubscribe_url: str,
                   today: date) -> Digest | None:
    """The subject and plain-text body of ``reader``'s digest for ``period``, or None
    when they chose never or nothing is new for them. Rows are the views' (see
    projections/digest.py); anything outside the period or not theirs is left out
    here, so a test can give it a whole crafted history."""
    if reader.frequency is DigestFrequency.NEVER:
        return None

    def within(day: date | None) -> bool:
        return day is not None and period.start <= day <= period.end

    def other_team(row: dict[str, Any]) -> bool:
        return reader.team_id is None or row["team_id"] != reader.team_id

    site = base_url.rstrip("/")
    lines: dict[str, list[str]] = {name: [] for name, _, _ in SECTIONS}
    for a in answers:
        if within(a["posted_on"]) and reader.id in a["follower_ids"] \
                and a["posted_by"] != reader.id:
            lines["answers"].append(
                f"{names.get(a['posted_by'], 'A member')} answered “{a['title']}” on "
                f"{_long(a['posted_on'])}\n  {site}/questions/{a['question_id']}"
                f"#answer-{a['id']}")
    # Those asked in the period first (they are the news), then the longest waiting.
    asked = sorted((q for q in could_answer if q["asked_on"] <= period.end),
                   key=lambda q: not within(q["asked_on"]))
    new_questions = sum(within(q["asked_on"]) for q in asked)
    for q in asked:
        waited = (today - q["asked_on"]).days
        lines["questions"].append(
            f"“{q['title']}”, asked {_long(q['asked_on'])}"
            + (f", waiting {waited} days for an answer" if waited > 6 else "")
            + f"\n  {site}/questions/{q['id']}")
    new_qips = {qip["id"] for qip in shared if within(qip["shared_on"])}
    for qip in shared:
        if qip["id"] in new_qips and qip["key_area"] in reader.key_areas and other_team(qip):
            lines["qips"].append(_qip_line(qip, "new in the library", site))
    for qip in improved:  # one line a QIP: a new one that improves already is listed
        if qip["key_area"] in reader.key_areas and other_team(qip) and qip["id"] not in new_qips:
            lines["qips"].append(_qip_line(qip, "improving: " + ", ".join(qip["improving"]), site))
    news = len(lines["answers"]) + new_questions + len(lines["qips"])
    if not news:
        return None
    for e in events:
        if today <= e["starts_on"] <= today + EVENTS_AHEAD and (
                not e["roles"] or reader.role in e["roles"]):
            lines["events"].append(f"{e['title']}, on {_long(e['starts_on'])}\n"
                                   f"  {site}/events/{e['id']}")
    how_often = "every day" if reader.frequency is DigestFrequency.DAILY else "once a week"
    body = [f"Hello {reader.name},", "",
            f"What is new for you in the Clinical Community, {period.words}."]
    for name, heading, more in SECTIONS:
        found = lines[name]
        if not found:
            continue
        body += ["", heading, "-" * len(heading)]
        body += [f"- {line}" for line in found[:SHOWN]]
        if len(found) > SHOWN:
            body.append(f"More: {site}{more}")
    body += ["", f"You get this digest {how_often}. Choose daily, weekly or never at "
                 f"{site}/notifications/settings",
             f"Stop getting it with one click: {unsubscribe_url}"]
    subject = f"Clinical Community: your {reader.frequency.value} digest, {period.words}"
    return Digest(subject=subject, body="\n".join(body), items=news)


def _qip_line(qip: dict[str, Any], what: str, site: str) -> str:
    area = KeyArea(qip["key_area"]).label
    return f"“{qip['title']}” by {qip['team']} ({area}): {what}\n  {site}/qips/{qip['id']}"


# --- the signed one-click unsubscribe link --------------------------------------------


class UnsubscribeLinkError(DomainError):
    """The link was not made by this site, or was changed on the way."""


class UnsubscribeLinks:
    """Signs and reads the unsubscribe tokens: the member's id and the digest's period.
    No expiry: an old digest's link must still stop the next ones."""

    def __init__(self, secret_key: str) -> None:
        if not secret_key:
            raise ValueError("the digest's unsubscribe links need the app's secret key")
        self.serializer = URLSafeSerializer(secret_key, salt=SALT)

    def token(self, member_id: str, period: Period) -> str:
        return self.serializer.dumps({"m": member_id, "p": period.key})

    def link(self, base_url: str, member_id: str, period: Period) -> str:
        return base_url.rstrip("/") + UNSUBSCRIBE_PATH.format(
            token=self.token(member_id, period))

    def member_id(self, token: str) -> UUID:
        try:
            found = self.serializer.loads(token)
            return UUID(found["m"])
        except (BadSignature, KeyError, TypeError, ValueError):
            raise UnsubscribeLinkError(
                "This unsubscribe link is not valid: it may have been cut short or changed. "
                "Open the link from the digest e-mail again, or choose under your "
                "notification settings after logging in.") from None


@dataclass
class DigestReport:
    added: int = 0
    nothing_new: int = 0
    already: int = 0
    never: int = 0

    def summary(self) -> str:
        return (f"Digests: put {self.added} in the outbox; {self.nothing_new} member"
                f"{'s' if self.nothing_new != 1 else ''} had nothing new; {self.already} "
                f"already had theirs from an earlier run; {self.never} chose never.")


class DigestCommands(NotificationCommands):
    """Choosing the digest, putting digests in the outbox, and unsubscribing by link."""

    def choose_digest(self, *, by: UUID, frequency: DigestFrequency | str,
                      version: int | None = None, kinds: Sequence[str] | None = None) -> bool:
        """Daily, weekly or never, with (when given) the kinds of notification that
        also come by e-mail, saved together; False when nothing changed. ``version``
        is the settings' version the member saw (0 when they had none)."""
        settings = self.notification_settings(by)
        if version is not None and version != settings_version(settings):
            raise Conflict("your notification settings were changed since you loaded them; "
                           "reload and try again")
        changed = settings.choose_digest(frequency, chosen_on=self.today())
        if kinds is not None:
            changed = settings.choose_emails(kinds, chosen_on=self.today()) or changed
        if changed:
            self.save(settings)
        return changed

    def unsubscribe_links(self) -> UnsubscribeLinks:
        return UnsubscribeLinks(self.settings.secret_key)

    def digest_choice_for_link(self, token: str) -> DigestFrequency:
        """What the member whose link this is has chosen; refuses a bad link."""
        member_id = self.unsubscribe_links().member_id(token)
        try:
            return self.notification_settings(member_id).digest
        except NotFound:
            raise UnsubscribeLinkError("This unsubscribe link is not valid.") from None

    def unsubscribe_by_link(self, token: str) -> bool:
        """Record "never" for the link's member; False when they had already."""
        member_id = self.unsubscribe_links().member_id(token)
        try:
            return self.choose_digest(by=member_id, frequency=DigestFrequency.NEVER)
        except NotFound:
            raise UnsubscribeLinkError("This unsubscribe link is not valid.") from None

    def send_digests(self, *, today: date | None = None, base_url: str = BASE_URL,
                     by: UUID | None = None) -> DigestReport:
        """One outbox message per member whose digest for the period has something
        new, unless it is there already. ``by``: an organiser, or None (cron)."""
        self._organiser(by)
        today = today or self.today()
        self.views.catch_up()
        links = self.unsubscribe_links()
        report = DigestReport()
        people, _ = self.views.directory.members(limit=1_000_000)
        chosen = {m["id"]: self._digest_of(m["id"]) for m in people}
        report.never = sum(f is DigestFrequency.NEVER for f in chosen.values())
        periods = {f: period_for(f, today) for f in DigestFrequency}
        keys = {m["id"]: message_key(m["id"], periods[chosen[m["id"]]]) for m in people
                if chosen[m["id"]] is not DigestFrequency.NEVER}
        there = messages_there(self.views.engine, [str(message_id_for(k)) for k in keys.values()])
        facts: dict[DigestFrequency, dict[str, Any]] = {
            f: self._facts(p) for f, p in periods.items()
            if f is not DigestFrequency.NEVER and f in set(chosen.values())}
        events = self.views.workshops.upcoming(today)
        for member in people:
            key = keys.get(member["id"])
            if key is None:
                continue
            if str(message_id_for(key)) in there:
                report.already += 1
                continue
            frequency = chosen[member["id"]]
            period = periods[frequency]
            followed, _ = self.views.notifications.follows_of(member["id"])
            areas = key_areas_of(self.views.engine, member["team_id"],
                                 member.get("expertise") or []) | set(followed)
            reader = Reader(id=member["id"], name=member["name"], role=member["role"],
                            team_id=member["team_id"], frequency=frequency,
                            key_areas=frozenset(areas))
            digest = compose_digest(
                reader, period, **facts[frequency], events=events,
                could_answer=questions_i_could_answer(self.views, member["id"], limit=50),
                base_url=base_url, unsubscribe_url=links.link(base_url, member["id"], period),
                today=today)
            if digest is None:
                report.nothing_new += 1
                continue
            _, created = self.propose_message(
                key=key, to_member_id=member["id"], subject=digest.subject, body=digest.body,
                reason=f"The member's {frequency.value} digest ({period.words}): "
                       f"{digest.items} new thing{'s' if digest.items != 1 else ''} for them.",
                proposed_on=today, by=by)
            if created:
                report.added += 1
            else:
                report.already += 1  # put there at the same moment by another run
        return report

    def _digest_of(self, member_id: Id) -> DigestFrequency:
        """The member's choice, read in one go (no "is it there?" first)."""
        member = UUID(str(member_id))
        try:
            return self._get(NotificationSettings, NotificationSettings.create_id(member),
                             "notification settings").digest
        except NotFound:  # never saved any settings: the default
            return NotificationSettings.start(member).digest

    def _facts(self, period: Period) -> dict[str, Any]:
        """Everyone's rows for the period, read once per run: answers, QIPs, names."""
        engine = self.views.engine
        answers = answers_posted(engine, period.start, period.end)
        shared = qips_shared(engine, period.start, period.end)
        measured = qips_with_values(engine, period.start, period.end)
        improved = []
        if measured:
            candidates, _ = self.views.library.qips(viewer_team_id=None, outcome="improved",
                                                    limit=1_000_000)
            for qip in candidates:
                if qip["id"] in measured:
                    qip["improving"] = [m["name"] for m in qip["measures"] if m["improved"]]
                    improved.append(qip)
        names = self.views.directory.names({a["posted_by"] for a in answers})
        return {"answers": answers, "shared": shared, "improved": improved, "names": names}
