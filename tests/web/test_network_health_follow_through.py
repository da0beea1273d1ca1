"""The network-health page's teams going quiet, nudges and newcomers (issue 12, items
10-12): each with its verdict and method link, a quiet team linked to the revisit the
momentum job proposed for it, and the CSV with the same figures."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest

from community import Community
from tests.builders import SmallNetwork
from tests.web.reading import links, text

AS_OF = "2011-12-31"


@pytest.fixture
def quiet_south(community: Community, network: SmallNetwork) -> None:
    """Northshire and Southmoor are paired; Northshire's nurse writes to her lead every
    month of 2011, Southmoor's nurse to her once, in February; the momentum job ran at
    the end of the year."""
    community.pair_teams(by=network.organiser, first_team_id=network.north,
                         second_team_id=network.south, paired_on=date(2011, 1, 5))
    for month in range(1, 13):
        community.make_contact(by=network.nurse, to_member_id=network.lead,
                               topic="Nurse-led clinics", made_on=f"2011-{month:02d}-10")
    community.make_contact(by=network.other_nurse, to_member_id=network.nurse,
                           topic="EBUS waits", made_on="2011-02-10")
    community.check_momentum(by=network.organiser, as_of=date(2011, 12, 31))


def test_a_quiet_team_is_named_with_its_last_activity_partner_and_proposed_revisit(
        olive: Any, quiet_south) -> None:
    page = olive.get(f"/sustainability/health?as_of={AS_OF}&period=all")
    words = text(page.data)
    quiet = words[words.index("Teams going quiet"):words.index("Do nudges work?")]

    assert page.status_code == 200
    assert "1 team of 2 had no activity in the last 12 weeks" in quiet
    assert "Southmoor lung cancer MDT 10 February 2011 1 Northshire lung cancer MDT" in quiet
    offer = links(page.data)["Revisit offer for Southmoor lung cancer MDT"]
    assert offer.startswith("/organise/outbox/")
    assert "Catching up with Southmoor lung cancer MDT" in text(olive.get(offer).data)


def test_nudges_and_newcomers_are_read_with_their_verdicts_and_method(olive: Any,
                                                                      quiet_south) -> None:
    page = olive.get(f"/sustainability/health?as_of={AS_OF}&period=all")
    words = text(page.data)
    method = text(olive.get("/sustainability/health/method").data)

    assert "No nudge has been sent yet, so there is nothing to compare" in words
    assert "Of 2 members who joined, within 90 days 100% made a contact" in words
    for anchor in ("10-dormant-and-at-risk-teams", "11-do-nudges-work", "12-newcomers"):
        assert f"/sustainability/health/method#{anchor}" in page.data.decode()
    for heading in ("Dormant and at-risk teams", "Do nudges work?", "Newcomers"):
        assert heading in method


def test_the_csv_has_the_quiet_teams_nudges_and_newcomers(olive: Any, quiet_south) -> None:
    page = olive.get(f"/sustainability/health.csv?as_of={AS_OF}&period=all")
    rows = {(r["measure"], r["item"]): r["value"]
            for r in csv.DictReader(io.StringIO(page.data.decode("utf-8-sig")))}

    assert rows[("dormant teams", "")] == "1"
    assert rows[("dormant team last activity", "Southmoor lung cancer MDT")] == "2011-02-10"
    assert rows[("dormant team paired with", "Southmoor lung cancer MDT")] == (
        "Northshire lung cancer MDT")
    assert rows[("quiet spells nudged", "")] == "0"
    assert rows[("newcomers made a contact within 90 days share", "")] == "1.0"


def test_with_nothing_recorded_each_section_says_what_will_show(olive: Any) -> None:
    words = text(olive.get("/sustainability/health").data)

    assert "No plan or team has been quiet long enough yet to tell." in words
    assert "nothing to follow yet" in words

