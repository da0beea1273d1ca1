"""The network-health page's ties across teams, brokers, core members and staying power
(issue 12, items 4, 6, 7 and 8): each section with its verdict in words and a link to
how it is worked out, the curve drawn and the cohorts in a table, the CSV with the same
figures."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest

from community import Community
from tests.builders import PASSWORD, SmallNetwork
from tests.web.reading import links, table, tables, text

EAST = ["Erin", "Evan", "Ezra", "Edie", "Elsa"]


@pytest.fixture
def three_teams(community: Community, network: SmallNetwork) -> None:
    """Northshire's nurse writes to Southmoor's every month of 2011 and 2012; Southmoor's
    nurse writes to Eastfield's first nurse, and Eastfield's five nurses write back, one
    stopping every two months after the funding end. Southmoor sits between the others."""
    east = community.register_team(name="Eastfield lung cancer MDT", trust="Eastfield NHS Trust",
                                   region="East of England", latitude=52.6, longitude=1.3,
                                   caseload=250)
    nurses = [community.join(email=f"{name.lower()}@eastfield.nhs.uk", name=f"{name} East",
                             role="lung_cancer_nurse_specialist", team_id=east,
                             password=PASSWORD) for name in EAST]
    for n in range(24):
        day = f"{2011 + n // 12}-{n % 12 + 1:02d}"
        community.make_contact(by=network.nurse, to_member_id=network.other_nurse,
                               topic="Nurse-led clinics", made_on=f"{day}-05")
        community.make_contact(by=network.other_nurse, to_member_id=nurses[0],
                               topic="EBUS waits", made_on=f"{day}-10")
        if n % 6 == 0:
            community.make_contact(by=network.lead, to_member_id=network.nurse,
                                   topic="Audit", made_on=f"{day}-12")
        for i, nurse in enumerate(nurses):
            if n <= 15 + 2 * i:
                community.make_contact(by=nurse, to_member_id=network.other_nurse,
                                       topic="Clinics", made_on=f"{day}-{15 + i}")


def section(words: str, heading: str, following: str) -> str:
    return words[words.index(heading):words.index(following)]


def test_ties_across_teams_are_read_with_their_verdicts(olive: Any, three_teams) -> None:
    page = olive.get("/sustainability/health?as_of=2012-12-31&period=all")

    ties = section(text(page.data), "Ties across teams", "The live network")
    assert page.status_code == 200
    assert "crossed teams (E–I index" in ties
    assert "crossed regions" in ties
    assert "67% of the links from one team to another were returned (2 of 3)" in ties
    # Every member here is a nurse specialist, so chance alone would pair them all.
    assert ("100% of the contacts across teams were between people in the same role "
            "(no more than the 100% that chance would give)") in ties
    assert "lung cancer nurse specialists with lung cancer nurse specialists" in ties
    assert "How this is worked out" in ties


def test_the_brokers_are_named_with_their_last_activity(olive: Any, three_teams) -> None:
    page = olive.get("/sustainability/health?as_of=2012-12-31")

    brokers = section(text(page.data), "Who holds the network together",
                      "Core, regular and casual members")
    assert "The live network leans most on Southmoor lung cancer MDT" in brokers
    assert "The live network leans most on Sara South" in brokers
    teams, members = [t for t in tables(page.data) if t["head"][0][0] in ("Team", "Member")]
    assert teams["body"][0][0] == "Southmoor lung cancer MDT"
    assert members["body"][0][0] == "Sara South"
    assert members["body"][0][2] == "19 December 2012"  # Elsa's contact with her


def test_core_members_before_and_after_the_funding_end_are_compared(olive: Any,
                                                                     three_teams) -> None:
    page = olive.get("/sustainability/health?as_of=2012-12-31")

    core = section(text(page.data), "Core, regular and casual members",
                   "Staying power after the funding end")
    assert "Before the funding end" in core and "did 80% of the activity" in core
    assert "still core after it" in core
    assert "The core before the funding end, after it" in core


def test_staying_power_draws_the_curve_and_tables_the_cohorts(olive: Any,
                                                              three_teams) -> None:
    page = olive.get("/sustainability/health?as_of=2012-12-31")

    staying = section(text(page.data), "Staying power after the funding end",
                      "How quickly requests are answered")
    assert "members active after the funding end" in staying
    assert "Activity half-life" in staying and "Change at the funding end" in staying
    assert b'class="chart__survival"' in page.data
    cohorts = table(page.data, "cohort-table")
    assert cohorts["head"][0] == ["Quarter", "Active", "1 quarter later", "2 quarters later",
                                  "4 quarters later"]
    # The lead writes only every six months, so one of the eight misses the next quarter.
    assert cohorts["body"][0] == ["2011 Q1", "8", "88%", "100%", "100%"]
    assert cohorts["body"][-1][2:] == ["not yet", "not yet", "not yet"]
    assert [row[0] for row in cohorts["body"]].count("2012 Q1 (funding ended)") == 1


def test_every_section_links_to_how_it_is_worked_out(olive: Any, three_teams) -> None:
    page = olive.get("/sustainability/health?as_of=2012-12-31")
    method = text(olive.get(links(page.data)["How this is worked out"]).data)

    assert text(page.data).count("How this is worked out") == 12
    anchors = [href.split("#")[1] for href in re.findall(
        r'href="([^"]*/method#[^"]*)"', page.data.decode())]
    assert anchors[3:8] == ["4-ties-across-teams", "5-the-live-network", "6-brokers",
                            "7-core-regular-and-casual-members",
                            "8-staying-power-after-the-funding-end"]
    page_html = olive.get("/sustainability/health/method").data.decode()
    assert all(f'id="{anchor}"' in page_html for anchor in anchors)
    for heading in ("Ties across teams", "Brokers", "Core, regular and casual members",
                    "Staying power after the funding end"):
        assert heading in method
    assert "E–I = (E − I) / (E + I)" in method and "Kaplan–Meier" in method


def test_the_csv_has_the_new_figures(olive: Any, three_teams) -> None:
    page = olive.get("/sustainability/health?as_of=2012-12-31&period=all")
    download = olive.get(links(page.data)["Download these figures (CSV)"])

    rows = list(csv.reader(io.StringIO(download.data.decode())))
    assert ["reciprocity between teams", "", "0.667"] in rows
    assert ["same-role share of contacts across teams", "", "1.0"] in rows
    assert ["team broker betweenness", "Southmoor lung cancer MDT", "1.0"] in rows
    assert ["member broker last activity", "Sara South", "2012-12-19"] in rows
    assert ["members active", "2011 Q1", "8"] in rows
    assert any(row[0] == "median months to lapse" for row in rows)
    assert any(row[0] == "core members" and row[1] == "2012 Q4" for row in rows)


def test_before_any_activity_each_new_section_says_there_is_not_enough(olive: Any) -> None:
    words = text(olive.get("/sustainability/health").data)

    assert "Not enough data to say yet: no contacts between members" in words
    assert "Not enough data to say yet: the live network has fewer than three teams" in words
    assert "Not enough data to say yet: no member acted before the funding end" in words
