"""Items 10–12 of issue 12 on small histories worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

from domain.network_activity import Act, ActKind
from domain.network_follow_through import (
    DORMANT_WEEKS,
    Nudge,
    dormant_teams,
    newcomers,
    nudge_effect,
)

AS_OF = date(2013, 6, 30)


def act(member: str, team: str | None, day: date, kind: ActKind = ActKind.CONTACT) -> Act:
    return Act(member, team, day, kind)


def test_dormancy_is_twelve_weeks_without_an_act_as_the_momentum_job_judges() -> None:
    assert DORMANT_WEEKS == 12


def test_a_team_silent_for_twelve_weeks_is_dormant_with_its_last_activity_contacts_and_partner(
        ) -> None:
    last = AS_OF - timedelta(weeks=12, days=1)
    acts = [act("a", "A", last), act("a", "A", last - timedelta(days=10), ActKind.VISIT),
            act("b", "B", AS_OF - timedelta(days=3))]
    found = dormant_teams(acts, AS_OF, {"A": "Leeds", "B": "York"}, {"A": "B", "B": "A"})
    assert [t.team_id for t in found.dormant] == ["A"]
    leeds = found.dormant[0]
    assert (leeds.last_activity, leeds.contacts, leeds.paired_team_name) == (last, 1, "York")
    assert found.falling == ()
    assert found.verdict.startswith("1 team of 2 had no activity in the last 12 weeks")


def test_a_team_that_never_acted_is_dormant_with_no_last_activity() -> None:
    found = dormant_teams([], AS_OF, {"A": "Leeds"})
    assert found.dormant[0].last_activity is None
    assert "Most of the network has gone quiet" in found.verdict


def test_a_team_doing_less_than_half_of_the_twelve_weeks_before_is_falling() -> None:
    recent = [act("a", "A", AS_OF - timedelta(days=5))]             # 1 now
    earlier = [act("a", "A", AS_OF - timedelta(weeks=13, days=i)) for i in range(4)]  # 4 before
    steady = [act("b", "B", AS_OF - timedelta(days=i)) for i in range(2)]
    found = dormant_teams(recent + earlier + steady, AS_OF, {"A": "Leeds", "B": "York"})
    assert [(t.team_id, t.recent, t.before) for t in found.falling] == [("A", 1, 4)]
    assert found.dormant == ()


def test_acts_after_the_date_do_not_wake_a_dormant_team() -> None:
    acts = [act("a", "A", AS_OF - timedelta(weeks=20)), act("a", "A", AS_OF + timedelta(days=1))]
    assert [t.team_id for t in dormant_teams(acts, AS_OF, {"A": "Leeds"}).dormant] == ["A"]


def test_nudged_quiet_teams_are_compared_with_quiet_ones_left_alone() -> None:
    start = date(2012, 1, 1)
    quiet = start + timedelta(weeks=12)
    activity = {
        # nudged 10 days into its quiet, acted 20 days later: active again
        ("team", "A"): [start, quiet + timedelta(days=30)],
        # nudged, acted 40 days after the nudge: not within 30
        ("team", "B"): [start, quiet + timedelta(days=40)],
        # not nudged, acted 15 days after going quiet: active again
        ("team", "C"): [start, quiet + timedelta(days=15)],
        # not nudged, never acted again
        ("team", "D"): [start],
        # quiet for only 7 weeks (a QIP's threshold is 8), then not long enough to count
        ("qip", "Q"): [start, start + timedelta(weeks=7)],
    }
    nudges = [Nudge("team", "A", quiet + timedelta(days=10)),
              Nudge("team", "B", quiet), Nudge("team", "D", start - timedelta(days=1))]
    # 45 days on, each team's latest quiet spell (and Q's) is too recent to count.
    effect = nudge_effect(activity, nudges, quiet + timedelta(days=45))
    assert (effect.nudged, effect.nudged_active_again) == (2, 1)
    assert (effect.not_nudged, effect.not_nudged_active_again) == (2, 1)
    assert effect.nudged_share == effect.not_nudged_share == 0.5
    assert effect.verdict.startswith("Of 2 quiet plans and teams nudged, 50% were active again "
                                     "within 30 days; of 2 quiet plans and teams not nudged, 50%")
    assert "Too few to say" in effect.verdict


def test_a_spell_whose_thirty_days_are_not_over_is_too_soon_to_count() -> None:
    last = AS_OF - timedelta(weeks=12, days=10)
    effect = nudge_effect({("team", "A"): [last]}, [], AS_OF)
    assert effect.spells == ()
    assert effect.verdict == "No plan or team has been quiet long enough yet to tell."


def test_with_no_nudge_sent_the_verdict_says_there_is_nothing_to_compare() -> None:
    effect = nudge_effect({("team", "A"): [date(2012, 1, 1)]}, [], AS_OF)
    assert effect.not_nudged == 1 and effect.nudged == 0
    assert effect.verdict.startswith("No nudge has been sent yet")


def test_newcomers_count_what_they_did_in_their_first_ninety_days() -> None:
    joined = {"a": date(2013, 1, 1), "b": date(2013, 1, 10), "c": date(2013, 1, 20),
              "late": date(2013, 6, 1),     # 90 days not over: not counted
              "old": date(2011, 1, 1)}      # before the period
    acts = [act("a", "A", date(2013, 2, 1)),                      # contact within 90 days
            act("a", "A", date(2013, 3, 1), ActKind.QIP_WORK),
            act("b", "B", date(2013, 5, 1)),                      # contact after 90 days
            act("c", "C", date(2013, 2, 2), ActKind.VISIT),
            act("old", "A", date(2013, 2, 1))]
    events = {"b": [date(2013, 3, 1)]}
    found = newcomers(joined, acts, events, date(2013, 1, 1), AS_OF)
    assert (found.joined, found.made_contact, found.worked_on_qip, found.visit_or_event) == (
        3, 1, 1, 2)
    assert found.verdict.startswith("Of 3 members who joined, within 90 days 33% made a "
                                    "contact, 33% worked on a QIP and 67% took part")


def test_no_newcomers_is_said_plainly() -> None:
    assert newcomers({}, [], {}, None, AS_OF).verdict.startswith("No one joined")
