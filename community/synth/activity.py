"""What people do, month by month: members join; the audit comes in each June;
paired teams visit each other in the first year; then, drawn in proportion to how
busy the community is that month, contacts, follow-ups, introductions, questions
and answers, new QIPs (their values and self-assessments follow in ``plans``),
workshops, planned events with registrations and attendance, profile updates and
notification choices. Every quarter the views catch up and some members read their
notifications (the ids the notifications view gave them).

How busy a month is: teams grow busier through the funded years, then each keeps
going, fades or drops out (``cast.MOMENTUM``); the month's share of the events
asked for follows the sum of its teams' activity times their members.

(Over 400 lines on purpose: one short method per kind of activity, all drawing on the
same ``Month``; QIPs, the longest, are in ``plans``.)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from itertools import accumulate
from random import Random
from typing import Any

from community.demo.data import (
    ANSWERS,
    AREA_TOPICS,
    CLINIC_DAYS,
    DECLINED_CALL,
    FOLLOW_UP_REASONS,
    GENERAL_AREAS,
    INTRODUCTION_REASONS,
    ORGANISER_TOPICS,
    PAIR_TOPICS,
    ROLE_AREAS,
    VISIT_STRENGTHS,
    WORKSHOPS,
)
from community.synth import CATCH_UP_MONTHS, Synth, month_start
from community.synth.cast import People, Person, SynthTeam, activity_weight, record_audit
from community.synth.plans import Plans
from domain.contact import Contact
from domain.follow_up import FollowUp
from domain.member import READ_IDS_MAX, NotificationKind, NotificationSettings
from domain.question import Answer, Question
from domain.values import FollowUpKind, KeyArea, Role, WorkshopKind
from domain.visit import Visit
from domain.workshop import Workshop

# Activities: (weight while funded, weight after the funding end).
KINDS = {"contact": (45, 50), "follow_up": (6, 5), "introduction": (1.5, 0.7),
         "question": (4, 6), "qip": (2.5, 1.2), "workshop": (0.3, 0.1),
         "planned_event": (0.35, 0.35), "profile": (3, 1.5), "choices": (1, 0.5)}
READ_SHARE = 0.05  # of the members, times their team's activity, read a quarter
ASKED = ["How do you manage {t}?", "Has anyone sorted out {t}?", "What worked for you with {t}?",
         "Advice wanted: {t}", "Who has a good approach to {t}?"]
ANSWERED = ["We had the same problem. What worked for us was a weekly check, led by one "
            "person, and a short note to the MDT when it slipped.",
            "Happy to share our protocol: e-mail me and I will send it over.",
            "We tried this last year. Getting the clinical lead on board first made the "
            "difference; the rest followed within two months.",
            "Our nurse specialist runs this. Have a look at our shared QIP in the library."]


class Month:
    """Who is about in one month: joined members of each team, weighted by activity."""

    def __init__(self, people: People, index: int, first: date, funding_months: int,
                 joined: dict[SynthTeam, list[Person]]) -> None:
        self.index, self.first, self.joined = index, first, joined
        self.funded = index < funding_months
        self.teams = [t for t in people.teams if joined.get(t)]
        self.activity = {t: t.activity(index, funding_months) for t in self.teams}
        self.team_weights = [self.activity[t] * len(joined[t]) for t in self.teams]
        # Cumulative weights, summed once a month rather than on every draw (the same
        # draws: ``choices`` sums the weights so itself). Who has joined is fixed
        # for the month.
        self._teams_cum = list(accumulate(self.team_weights))
        self._members_cum = {t: list(accumulate(activity_weight(p) for p in joined[t]))
                             for t in self.teams}

    def day(self, rng: Random) -> date:
        return self.first + timedelta(days=rng.randint(0, 27))

    def team(self, rng: Random) -> SynthTeam:
        return rng.choices(self.teams, cum_weights=self._teams_cum)[0]

    def member(self, rng: Random, team: SynthTeam | None = None) -> Person:
        team = team or self.team(rng)
        return rng.choices(self.joined[team], cum_weights=self._members_cum[team])[0]


def weights(people: People, run: Synth) -> list[float]:
    """How busy each month is: the teams' activity times their members who have joined."""
    funded, found = run.options.funding_months, []
    for month in range(run.options.months):
        found.append(sum(t.activity(month, funded) * sum(m.joins <= month for m in t.members)
                         for t in people.teams))
    return found


def live(run: Synth, people: People) -> None:
    life = Life(run, people)
    busy = list(accumulate(weights(people, run)))
    target, start = run.options.events, run.made
    for index in range(run.options.months):
        first = run.on(month_start(run.options.starts_on, index))
        month = life.begin(index, first)
        # Scheduled first: the audit, visits, values of running plans.
        life.scheduled(month)
        due = start + (target - start) * busy[index] / busy[-1]
        kinds = list(KINDS)
        chances = [w[0] if month.funded else w[1] for w in KINDS.values()]
        while run.made < due and month.teams:
            kind = life.pick.choices(kinds, chances)[0]
            run.part = kind
            life.do[kind](month)
        run.part = "cast"
        run.flush()
        if index % CATCH_UP_MONTHS == CATCH_UP_MONTHS - 1 and run.views:
            run.app.views.catch_up()
            life.read_notifications(month)
            run.flush()


class Life:
    def __init__(self, run: Synth, people: People) -> None:
        self.run, self.people = run, people
        self.pick = run.rng("budget")
        self.plans = Plans(run, people)
        self.settings: dict[object, NotificationSettings] = {}
        self.joined: dict[SynthTeam, list[Person]] = {}
        self.visits = self.schedule_visits()
        self.do: dict[str, Callable[[Month], None]] = {
            "contact": self.contact, "follow_up": self.follow_up,
            "introduction": self.introduction, "question": self.question, "qip": self.qip,
            "workshop": self.workshop, "planned_event": self.planned_event,
            "profile": self.profile, "choices": self.choices}
        self.rng = {kind: run.rng(kind) for kind in [*KINDS, "visits", "reads", "joins"]}

    def begin(self, index: int, first: date) -> Month:
        run = self.run
        for team in self.people.teams:
            for person in team.members:
                if person.joins == index:
                    run.keep(person.member)
                    self.joined.setdefault(team, []).append(person)
        run.on(first)
        return Month(self.people, index, first, run.options.funding_months, self.joined)

    def scheduled(self, month: Month) -> None:
        run = self.run
        run.part = "scheduled"
        if month.first.month == 6:  # last year's National Lung Cancer Audit
            rng = run.rng(f"audit-{month.first.year}")
            for team in self.people.teams:
                record_audit(run, rng, self.people, team, month.first.year - 1)
        for host, visitor in self.visits.get(month.index, []):
            self.visit(month, host, visitor)
        run.part = "qip"
        self.plans.month(month.index, month.first, month.joined)

    # --- peer review ----------------------------------------------------------------

    def schedule_visits(self) -> dict[int, list[tuple[SynthTeam, SynthTeam]]]:
        """Each pair visits each other in the programme's first year or so."""
        rng = self.run.rng("visits")
        found: dict[int, list[tuple[SynthTeam, SynthTeam]]] = {}
        last = max(3, min(14, self.run.options.funding_months - 2))
        order = {id(t): i for i, t in enumerate(self.people.teams)}
        for team in self.people.teams:
            partner = team.partner
            if partner is None or order[id(team)] > order[id(partner)]:
                continue  # each pair once, the first of the two in the list hosting
            first = rng.randint(2, last)
            found.setdefault(first, []).append((team, partner))
            found.setdefault(first + rng.randint(1, 3), []).append((partner, team))
        return found

    def visit(self, month: Month, host: SynthTeam, visitor: SynthTeam) -> None:
        rng, run = self.rng["visits"], self.run
        hosts, guests = month.joined.get(host, [])[:4], month.joined.get(visitor, [])[:3]
        if not hosts or not guests:
            return
        day = run.on(month.day(rng))
        facilitator = rng.choice(self.people.organisers)
        attendees = [m.id for m in hosts + guests]
        held = Workshop.hold(kind=WorkshopKind.PEER_REVIEW_VISIT, held_on=day,
                             title=f"Peer-review visit: {host.team.name} hosts {visitor.team.name}",
                             attendee_ids=attendees, organiser_id=facilitator.id)
        visit = Visit.record(host_team_id=host.id, visiting_team_id=visitor.id, visited_on=day,
                             attendee_ids=attendees,
                             pairing_id=host.pairing.id if host.pairing else None,
                             recorded_by=facilitator.id)
        weak = sorted(host.strengths, key=host.strengths.__getitem__)
        visit.give_feedback(
            areas_for_improvement=[f"Look again at {k.replace('_', ' ')}" for k in weak[:2]]
            + rng.sample(GENERAL_AREAS, 1),
            strengths=[VISIT_STRENGTHS.get(weak[-1], "A well-run MDT meeting")],
            data_discussed="The latest NLCA results and the MDT's own waiting list.",
            by=guests[0].id, given_on=run.on(day + timedelta(days=rng.randint(3, 20))))
        run.keep(held, visit)
        for guest in guests[:2]:
            self.make_contact(rng, guest, rng.choice(hosts), rng.choice(PAIR_TOPICS), day,
                              facilitated=True)

    # --- the drawn activities -------------------------------------------------------

    def make_contact(self, rng: Random, sender: Person, receiver: Person, topic: str,
                     day: date, *, facilitated: bool) -> None:
        if sender.id != receiver.id:
            self.run.on(day)
            self.run.keep(Contact.make(from_member_id=sender.id, to_member_id=receiver.id,
                                       topic=topic, facilitated=facilitated, made_on=day))

    def contact(self, month: Month) -> None:
        """The same role in another team most often; the paired team; a colleague."""
        rng = self.rng["contact"]
        day = month.day(rng)
        if rng.random() < (0.06 if month.funded else 0.01):
            organiser = rng.choice(self.people.organisers)
            self.make_contact(rng, organiser, month.member(rng), rng.choice(ORGANISER_TOPICS),
                              day, facilitated=True)
            return
        sender = month.member(rng)
        receiver = self.someone_for(rng, month, sender)
        share = (0.6 - 0.3 * month.index / max(1, self.run.options.funding_months)
                 if month.funded else 0.05)
        same_team = receiver.team is sender.team
        self.make_contact(rng, sender, receiver, rng.choice(topics(sender.role)), day,
                          facilitated=not same_team and rng.random() < share)

    def someone_for(self, rng: Random, month: Month, sender: Person) -> Person:
        draw = rng.random()
        team = sender.team
        if draw < 0.15 and team and team.partner and month.joined.get(team.partner):
            return month.member(rng, team.partner)
        if draw < 0.3 and team and len(month.joined.get(team, [])) > 1:
            return month.member(rng, team)
        for _ in range(5):
            other = month.member(rng)
            if other.team is not team and other.member.consents_to_contact \
                    and (draw > 0.7 or other.role is sender.role):
                return other
        return month.member(rng)

    def follow_up(self, month: Month) -> None:
        rng, run = self.rng["follow_up"], self.run
        requester = month.member(rng)
        team = requester.team
        kind = rng.choice([FollowUpKind.RECIPROCAL_VISIT, FollowUpKind.FACILITATOR_VISIT,
                           FollowUpKind.CALL, FollowUpKind.CALL])
        organisers = self.people.organisers if month.funded else self.people.organisers[:1]
        answerers: list[Person] = organisers
        target: dict[str, Any] = {"to_organisers": True}
        if kind is FollowUpKind.RECIPROCAL_VISIT and team and team.partner \
                and month.joined.get(team.partner):
            target, answerers = {"team_id": team.partner.id}, month.joined[team.partner][:3]
        elif kind is FollowUpKind.CALL:
            other = self.someone_for(rng, month, requester)
            if other.id == requester.id:
                return
            target, answerers = {"member_id": other.id}, [other]
        day = run.on(month.day(rng))
        follow_up = FollowUp.request(requested_by=requester.id, kind=kind, requested_on=day,
                                     reason=rng.choice(FOLLOW_UP_REASONS[kind]), **target)
        answered_on = day + timedelta(days=rng.randint(2, 30))
        if answered_on <= self.run.options.ends_on \
                and rng.random() < (0.75 if month.funded else 0.4):
            answerer = rng.choice(answerers)
            run.on(answered_on)
            text = ANSWERS[kind].format(team="a team that does this well")
            if kind is not FollowUpKind.CALL and rng.random() < 0.7:
                follow_up.accept(by=answerer.id, message=text, answered_on=answered_on,
                                 proposed_date=answered_on + timedelta(weeks=rng.randint(2, 6)))
            elif kind is FollowUpKind.CALL and rng.random() < 0.3:
                follow_up.decline(by=answerer.id, reason=DECLINED_CALL, answered_on=answered_on)
            else:
                follow_up.answer(by=answerer.id, message=text, answered_on=answered_on)
            if not follow_up.is_over and rng.random() < 0.5:
                follow_up.close(by=requester.id,
                                closed_on=run.on(answered_on + timedelta(weeks=rng.randint(1, 6))))
        run.keep(follow_up)

    def introduction(self, month: Month) -> None:
        """Asked of the organisers, who mostly make it (a facilitated contact)."""
        rng, run = self.rng["introduction"], self.run
        requester = month.member(rng)
        person = self.someone_for(rng, month, requester)
        if person.id == requester.id:
            return
        day = run.on(month.day(rng))
        follow_up = FollowUp.request(requested_by=requester.id, kind=FollowUpKind.INTRODUCTION,
                                     reason=rng.choice(INTRODUCTION_REASONS), requested_on=day,
                                     to_organisers=True, about_member_id=person.id)
        made_on = day + timedelta(days=rng.randint(3, 20))
        if made_on <= run.options.ends_on and rng.random() < (0.85 if month.funded else 0.5):
            organiser = rng.choice(self.people.organisers)
            run.on(made_on)
            contact = Contact.make(from_member_id=requester.id, to_member_id=person.id,
                                   topic=rng.choice(topics(requester.role)), facilitated=True,
                                   made_on=made_on)
            follow_up.answer(by=organiser.id, message=f"Introduced: {contact.topic}",
                             answered_on=made_on)
            follow_up.close(by=organiser.id, closed_on=made_on)
            run.keep(contact)
        run.keep(follow_up)

    def question(self, month: Month) -> None:
        """Asked in a key area; answered by others over the next weeks; the asker
        accepts one now and then; others follow it."""
        rng, run = self.rng["question"], self.run
        asker = month.member(rng)
        area = rng.choice(ROLE_AREAS.get(asker.role) or list(KeyArea))
        day = run.on(month.day(rng))
        topic = rng.choice(AREA_TOPICS[area])
        question = Question.ask(title=rng.choice(ASKED).format(t=topic), key_areas=[area],
                                body=f"We are working on {topic} and would like to hear how "
                                     "other teams do it. What did you try, and what would you "
                                     "do differently?",
                                asked_by=asker.id, asked_on=day,
                                team_id=asker.team.id if asker.team else None)
        if rng.random() < 0.3:
            invitees = {self.someone_for(rng, month, asker).id for _ in range(rng.randint(1, 3))}
            invitees.discard(asker.id)
            if invitees:
                question.invite(sorted(invitees, key=str), by=asker.id, invited_on=day)
        for _ in range(rng.randint(0, 2)):
            question.follow(month.member(rng).id)
        run.keep(question)
        answers = []
        for _ in range(rng.choices([0, 1, 2, 3, 4], [2, 4, 3, 1, 1])[0]):
            answerer = self.someone_for(rng, month, asker)
            if answerer.id == asker.id:
                continue
            posted_on = run.on(day + timedelta(days=int(rng.expovariate(1 / 4))))
            if posted_on > run.options.ends_on:
                break
            answers.append(Answer.post(question=question, body=rng.choice(ANSWERED),
                                       posted_by=answerer.id, posted_on=posted_on))
            run.keep(answers[-1])
        if answers and rng.random() < 0.4:
            chosen = rng.choice(answers)
            chosen.accept(by=asker.id, accepted_on=run.on(chosen.posted_on + timedelta(days=2)))
            run.keep(chosen)

    def qip(self, month: Month) -> None:
        rng = self.rng["qip"]
        team = month.team(rng)
        self.plans.draft(team, month.index, month.day(rng), month.joined[team])

    def workshop(self, month: Month) -> None:
        """A national workshop or an online conference, held: a record of who came."""
        rng, run = self.rng["workshop"], self.run
        held = rng.choice(WORKSHOPS)
        everyone = [m for t in month.teams for m in month.joined[t]]
        came = rng.sample(everyone, min(len(everyone), rng.randint(20, 150)))
        day = run.on(month.day(rng))
        run.keep(Workshop.hold(kind=rng.choice([held.kind, WorkshopKind.ONLINE_CONFERENCE]),
                               title=f"{held.title} ({day:%B %Y})", held_on=day,
                               attendee_ids=[m.id for m in came],
                               organiser_id=rng.choice(self.people.organisers).id))

    def planned_event(self, month: Month) -> None:
        """Announced four to eight weeks ahead for some roles; invitees register (a few
        cancel); afterwards the organiser records who came."""
        rng, run = self.rng["planned_event"], self.run
        day = run.on(month.day(rng))
        starts_on = day + timedelta(weeks=rng.randint(4, 8))
        roles = rng.choice([[Role.CNS], [Role.CLINICAL_LEAD, Role.MDT_COORDINATOR], []])
        online = rng.random() < 0.6
        organiser = rng.choice(self.people.organisers)
        event = Workshop.plan(
            kind=WorkshopKind.ONLINE_CONFERENCE if online else WorkshopKind.NATIONAL_WORKSHOP,
            title=f"{'Online conference' if online else 'Regional workshop'}: "
                  f"{rng.choice(AREA_TOPICS[rng.choice(list(AREA_TOPICS))])}",
            starts_on=starts_on, place="" if online else "Birmingham Conference Centre",
            link="https://meet.example.org/network" if online else "",
            organiser_id=organiser.id, roles=roles, planned_on=day)
        invited = [m for t in month.teams for m in month.joined[t] if not roles or m.role in roles]
        registered = []
        for member in rng.sample(invited, min(len(invited), rng.randint(5, 30))):
            event.register(member.id, on=run.on(day + timedelta(days=rng.randint(1, 25))))
            registered.append(member)
        for member in registered[: len(registered) // 8]:
            event.cancel_registration(member.id, on=run.on(starts_on - timedelta(days=2)))
        if starts_on <= run.options.ends_on:
            came = [m.id for m in registered[len(registered) // 8:] if rng.random() < 0.8]
            event.record_attendance(came, by=organiser.id, on=run.on(starts_on))
        run.keep(event)

    def profile(self, month: Month) -> None:
        """Clinic days and what they can help with, said on their profile."""
        rng, run = self.rng["profile"], self.run
        member = month.member(rng)
        days = CLINIC_DAYS.get(member.role, [("monday", 1.0)])
        run.on(month.day(rng))
        member.member.update_profile(
            clinic_days=sorted({d for d, _ in rng.sample(days, rng.randint(1, min(2, len(days))))}),
            help_with=f"Happy to talk about {rng.choice(topics(member.role))}.")
        run.keep(member.member)

    def settings_of(self, member: Person) -> NotificationSettings:
        if member.id not in self.settings:
            self.settings[member.id] = NotificationSettings.start(member.id)
        return self.settings[member.id]

    def choices(self, month: Month) -> None:
        """Notifications also by e-mail, and key areas and teams to follow."""
        rng, run = self.rng["choices"], self.run
        member = month.member(rng)
        settings = self.settings_of(member)
        day = run.on(month.day(rng))
        if rng.random() < 0.5:
            settings.choose_emails(rng.sample([k.value for k in NotificationKind],
                                              rng.randint(1, 4)), chosen_on=day)
        else:
            settings.choose_follows(key_areas=rng.sample(list(KeyArea), rng.randint(1, 2)),
                                    team_ids=[t.id for t in rng.sample(month.teams, 1)])
        run.keep(settings)

    def read_notifications(self, month: Month) -> None:
        """Some members read what the notifications view has for them, asked through
        the view's own query (a hundred or so readers a quarter), so the synth does
        not depend on how the view stores notifications."""
        rng, run = self.rng["reads"], self.run
        run.part = "reads"
        run.on(month.first + timedelta(days=27))
        readers = [*self.people.organisers[:1]] + [
            m for t in month.teams for m in month.joined[t]
            if rng.random() < READ_SHARE * month.activity[t]]
        unread = run.app.views.notifications.unread_ids_of(
            list(dict.fromkeys(str(m.id) for m in readers)))
        for member in readers:
            if ids := unread.get(str(member.id), [])[:READ_IDS_MAX]:
                settings = self.settings_of(member)
                settings.read(ids)
                run.keep(settings)
        run.part = "cast"


def topics(role: Role) -> list[str]:
    return [t for area in ROLE_AREAS.get(role, [KeyArea.MDT_RUNNING]) for t in AREA_TOPICS[area]]
