"""What every command needs, in one typed base.

Each area's commands are a class in its own module (``MemberCommands`` in
community/members.py, ``QipCommands`` in community/qips.py, …), and each of those
classes subclasses ``Commands``. ``Community`` (community/application.py) combines
them all, with nothing of its own but the wiring: the event store, the views, the
document store. So mypy checks every command against this base: a command uses
``self.views``, ``self.save``, ``self.qip(...)`` or ``self._organiser(by)`` and the
checker knows their types, with no list of "attributes this mixin relies on".

``Commands`` is itself an eventsourcing ``Application``: the area classes share it
as their one base, so Python's method order puts every area before it and the
``save`` here (conflicts as ``Conflict``, views caught up, or waited for when a
projection worker applies them: community/worker.py) before the library's.
An area that gives another area's commands (momentum proposes outbox messages)
subclasses that area's class instead, so the dependency is written down and checked.

``by`` in every command is the id of the member giving it; ``None`` means the local
operator at the command line (or a scheduled job), who may do anything.

Parameters are the real types (``date``, the domain's enums, ``UUID``), parsed at the
edge. Where a parameter also takes ``str`` or ``None`` (a date a form could not read,
a choice from a query string), the edge passes on what it could not read instead of
refusing it alone, so the domain names every problem with the request at once, in its
own words, and never guesses (an unreadable date is never taken as today).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Recording

from community.documents import DocumentStore
from community.doorbell import Doorbell
from community.read_copies import ReadCopies
from community.worker import wait_for
from config import Settings
from domain.errors import Conflict, Invalid, NotAllowed, NotFound
from domain.member import Member
from domain.qip import Qip
from domain.team import Team
from projections import Views

logger = logging.getLogger(__name__)

# An aggregate's id: a UUID, or its text as a URL or a JSON body gives it. Text
# that is not an id is "no such …", like an id nobody has.
Id = UUID | str

A = TypeVar("A", bound=Aggregate)


class Commands(Application[UUID]):
    """The base of every area's commands. ``Community.__init__`` sets the attributes."""

    settings: Settings
    views: Views
    documents: DocumentStore
    today: Callable[[], date]  # today's date; tests fix it
    _read_copies: ReadCopies  # aggregates for pages (community/read_copies.py)
    doorbell: Doorbell  # wakes the projection worker (community/doorbell.py)
    # Changes saved by each thread: a request reads the views' marks again once its own
    # thread has saved a change, so it sees its own (web/kept_pages.py), and not each
    # time another request of the process has saved one.
    _saved_here = threading.local()

    @property
    def saved_here(self) -> int:
        """How many changes this thread has saved."""
        return int(getattr(self._saved_here, "count", 0))

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """Append atomically; a clash with a concurrent change becomes a Conflict."""
        try:
            recordings = super().save(*objs, **kwargs)
        except IntegrityError as error:
            raise Conflict("someone else changed this at the same time; reload and try again") from error
        self._saved_here.count = self.saved_here + 1
        if self.settings.catch_up_after_commands and self.settings.views_worker:
            # A projection worker applies the events; read-your-writes is waiting
            # until the views have reached this change (ViewsBehind, a 503, if not).
            if recordings:
                # On SQLite the doorbell wakes the worker and brings its answer back.
                wait_for(self.views, max(r.notification.id for r in recordings),
                         self.settings.views_wait_seconds, self.doorbell)
        elif self.settings.catch_up_after_commands:
            try:
                self.views.catch_up()
            except Exception:
                # The change is saved: failing the command now would invite a
                # retry that records it twice. The views catch up on the next
                # command or `community rebuild`; tests want to see the fault.
                if self.settings.testing:
                    raise
                logger.exception("views could not catch up after a saved change")
        return recordings

    # --- loading, with not-found in the domain's own words --------------------------

    def _get(self, kind: type[A], aggregate_id: Id, what: str, *, to_read: bool = False) -> A:
        """The ``kind`` with this id, else NotFound("no such <what>") (a 404).
        ``to_read``: a copy shared by every reader of this version (see ``qip``)."""
        try:
            found: object = self.repository.get(
                aggregate_id if isinstance(aggregate_id, UUID) else UUID(str(aggregate_id)),
                deepcopy_from_cache=not to_read)
        except (AggregateNotFoundError, ValueError):
            raise NotFound(f"no such {what}") from None
        if not isinstance(found, kind):
            raise NotFound(f"no such {what}")
        # The cached aggregate itself is fast-forwarded in place by the next load,
        # so a page gets a copy of its own version instead.
        return self._read_copies.of(found) if to_read else found

    def _existing(self, kind: type[A], aggregate_id: Id | None, field: str, what: str) -> A:
        """Load a thing named in the request body: missing is bad input (400), not 404."""
        try:
            return self._get(kind, aggregate_id if aggregate_id is not None else "", what)
        except NotFound:
            raise Invalid({field: f"no such {what}"}) from None

    def member(self, member_id: Id) -> Member:
        return self._get(Member, member_id, "member")

    def team(self, team_id: Id) -> Team:
        return self._get(Team, team_id, "team")

    def qip(self, qip_id: Id, *, to_read: bool = False) -> Qip:
        """The plan: a copy of its own for a command to change, or with ``to_read``
        one copy per version shared by every page that shows it. Copying a plan with
        two years of values cost its page about a sixth of its time (issue 14). Code
        given a plan ``to_read`` must never change it: other requests see the same one."""
        return self._get(Qip, qip_id, "QIP", to_read=to_read)

    # --- who may ------------------------------------------------------------------------

    def _who(self, by: UUID) -> Member:
        """The member acting, only to ask who they are: a copy shared by every reader
        of this version (most commands ask, and copying them for each was needless)."""
        return self._get(Member, by, "member", to_read=True)

    def _organiser(self, by: UUID | None, refusal: str = "only organisers can do this") -> None:
        if by is not None and not self._who(by).is_organiser:
            raise NotAllowed(refusal)

    def _in_teams(self, by: UUID | None, team_ids: tuple[UUID, ...], refusal: str) -> None:
        """Members of these teams, and organisers, may; anyone else is refused."""
        if by is None:
            return
        member = self._who(by)
        if not member.is_organiser and member.team_id not in team_ids:
            raise NotAllowed(refusal)

    @staticmethod
    def _check_version(aggregate: Aggregate, version: int | None) -> None:
        """Optimistic concurrency: the client says which version of a thing it edited
        (``None``: it does not say), and a changed thing is a visible conflict (409)."""
        if version is None:
            return
        if isinstance(version, bool) or not isinstance(version, int):
            raise Invalid({"version": "must be a whole number"})
        if version != aggregate.version:
            raise Conflict(f"this was changed since you loaded it (now version "
                           f"{aggregate.version}, yours {version}); reload and try again")
