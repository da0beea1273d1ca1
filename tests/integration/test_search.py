"""Searching people, teams, expertise and QIP titles, on SQLite and on PostgreSQL.

A small hand-made network: three teams, five members, two shared QIPs and a
draft in each of two teams; each test sends commands, then searches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest

from community import Community
from config.indicators import default_indicators
from domain.member import Member
from projections.search import search
from tests.builders import PASSWORD

CNS = "lung_cancer_nurse_specialist"
PLAN = {"aim": "From 60% to 80% by March 2013", "timeframe": "April 2012 to March 2013",
        "measures": [{"name": "Main measure", "unit": "%", "baseline": 60, "target": 80}]}


@dataclass
class Network:
    north: str
    south: str
    east: str
    nina: str   # nurse specialist, north, "nurse-led clinics"
    liam: str   # clinical lead, north
    sara: str   # nurse specialist, south, "ebus" and "nurse-led clinics"
    rob: str    # radiologist, south, "ct-guided biopsy"
    olive: str  # organiser, no team
    biopsy_qip: str      # shared, north, pathway waits, owned by Liam
    diagnosis_qip: str   # shared, south, CNS access, owned by Sara
    south_draft: str     # draft, south, diagnostics, owned by Rob: only the south sees it
    north_draft: str     # draft, north, data collection, owned by Nina


def build(app: Community) -> Network:
    app.start_programme(name="ILCOP", funding_ends_on="2012-03-31",
                        indicators=default_indicators())
    team = lambda name, trust, region: str(app.register_team(  # noqa: E731
        name=name, trust=trust, region=region, latitude=52.0, longitude=-1.0, caseload=300))
    north = team("Northshire lung cancer MDT", "Northshire Hospitals NHS Trust", "North West")
    south = team("Southmoor lung cancer MDT", "Southmoor NHS Foundation Trust", "South West")
    east = team("Eastwick lung cancer MDT", "Eastwick Royal Infirmary NHS Trust", "East of England")

    def join(name: str, role: str, team_id: str | None, expertise: list[str] = (),
             **extra: Any) -> str:
        email = name.lower().replace(" ", ".") + "@example.nhs.uk"
        return str(app.join(email=email, name=name, role=role, team_id=team_id,
                            password=PASSWORD, expertise=list(expertise), **extra))

    nina = join("Nina Nurse", CNS, north, ["nurse-led clinics"])
    liam = join("Liam Lead", "clinical_lead", north)
    sara = join("Sara South", CNS, south, ["ebus", "nurse-led clinics"])
    rob = join("Rob Radiologist", "radiologist", south, ["ct-guided biopsy"])
    olive = join("Olive Organiser", "organiser", None, ["facilitation"], is_organiser=True)

    def qip(by: str, title: str, key_area: str, shared: bool) -> str:
        qip_id = app.draft_qip(by=UUID(by), title=title, key_area=key_area, **PLAN)
        if shared:
            app.share_qip(qip_id, by=UUID(by))
        return str(qip_id)

    return Network(
        north=north, south=south, east=east, nina=nina, liam=liam, sara=sara, rob=rob,
        olive=olive,
        biopsy_qip=qip(liam, "Shorter wait for CT-guided biopsy", "pathway_waits", True),
        diagnosis_qip=qip(sara, "A nurse specialist at every diagnosis", "cns_access", True),
        south_draft=qip(rob, "Secret EBUS service plan", "diagnostics", False),
        north_draft=qip(nina, "Validating our audit data monthly", "data_collection", False))


@pytest.fixture
def net(app: Community) -> Network:
    return build(app)


def ids(results: Any, kind: str) -> set[str]:
    return {item["id"] for item in results.groups[kind].items}


def names(results: Any, kind: str) -> list[str]:
    return [item.get("name") or item["title"] for item in results.groups[kind].items]


# --- matching -------------------------------------------------------------------------


def test_every_word_must_match_somewhere_in_a_persons_name_team_or_expertise(
        app: Community, net: Network) -> None:
    found = search(app.views, "sara EBUS")
    assert ids(found, "people") == {net.sara}
    assert found.groups["people"].items[0]["matched_expertise"] == ["ebus"]

    assert ids(search(app.views, "nurse-led southmoor"), "people") == {net.sara}
    assert ids(search(app.views, "nina southmoor"), "people") == set()


def test_expertise_tags_and_role_words_find_people(app: Community, net: Network) -> None:
    assert ids(search(app.views, "nurse-led clinics"), "people") == {net.nina, net.sara}
    assert ids(search(app.views, "CNS"), "people") == {net.nina, net.sara}
    assert ids(search(app.views, "radiologist"), "people") == {net.rob}
    assert ids(search(app.views, "facilitation"), "people") == {net.olive}


def test_words_can_match_a_qips_title_and_its_team(app: Community, net: Network) -> None:
    found = search(app.views, "biopsy northshire")

    assert ids(found, "qips") == {net.biopsy_qip}
    assert found.groups["qips"].items[0]["team"] == "Northshire lung cancer MDT"
    assert ids(found, "people") == set()  # Rob knows biopsies, but is not in Northshire
    assert ids(search(app.views, "biopsy"), "people") == {net.rob}


def test_teams_are_found_by_name_trust_or_region(app: Community, net: Network) -> None:
    assert ids(search(app.views, "royal infirmary"), "teams") == {net.east}
    assert ids(search(app.views, "south west"), "teams") == {net.south}
    found = search(app.views, "northshire")
    assert ids(found, "teams") == {net.north}
    assert found.groups["teams"].items[0]["member_count"] == 2


def test_case_punctuation_and_wildcards_are_taken_literally(app: Community, net: Network
                                                            ) -> None:
    assert ids(search(app.views, "(Ebus),"), "people") == {net.sara}
    for wildcard in ("%", "_", "n_na"):
        assert search(app.views, wildcard).total == 0, wildcard


# --- filters --------------------------------------------------------------------------


def test_a_role_filter_narrows_people_teams_and_the_qips_their_owners_lead(
        app: Community, net: Network) -> None:
    found = search(app.views, None, role=CNS, viewer_team_id=net.north)

    assert ids(found, "people") == {net.nina, net.sara}
    assert ids(found, "teams") == {net.north, net.south}
    assert ids(found, "qips") == {net.diagnosis_qip, net.north_draft}


def test_region_and_team_filters_narrow_every_kind(app: Community, net: Network) -> None:
    south = search(app.views, None, region="South West")
    assert ids(south, "people") == {net.sara, net.rob}
    assert ids(south, "teams") == {net.south}
    assert ids(south, "qips") == {net.diagnosis_qip}

    north = search(app.views, "nurse", team_id=net.north, viewer_team_id=net.north)
    assert ids(north, "people") == {net.nina}
    assert ids(north, "teams") == set()  # "nurse" is not in the team's name
    assert ids(north, "qips") == set()


def test_a_key_area_filter_finds_the_plans_their_owners_and_their_teams(
        app: Community, net: Network) -> None:
    found = search(app.views, None, key_area="pathway_waits")

    assert ids(found, "qips") == {net.biopsy_qip}
    assert ids(found, "people") == {net.liam}
    assert ids(found, "teams") == {net.north}


def test_a_draft_of_another_team_never_appears(app: Community, net: Network) -> None:
    as_north = {"viewer_team_id": net.north}
    assert search(app.views, "secret", **as_north).total == 0
    diagnostics = search(app.views, None, key_area="diagnostics", **as_north)
    assert diagnostics.total == 0  # not the plan, nor its owner Rob, nor the south team
    assert net.south_draft not in ids(search(app.views, None, role="radiologist", **as_north),
                                      "qips")
    assert search(app.views, "secret").total == 0  # no team, not an organiser: no drafts

    own = search(app.views, "secret", viewer_team_id=net.south)
    assert ids(own, "qips") == {net.south_draft}
    assert own.groups["qips"].items[0]["status"] == "draft"
    assert ids(search(app.views, None, key_area="diagnostics", viewer_team_id=net.south),
               "people") == {net.rob}


# --- pages and totals -------------------------------------------------------------------


def test_each_kind_pages_on_its_own_with_the_total_for_the_filters(
        app: Community, net: Network) -> None:
    app.save(*[Member.join(email=f"nurse{i:02}@example.nhs.uk", name=f"Nurse {i:02}",
                           role=CNS, team_id=UUID(net.east), expertise=["sabr"])
               for i in range(23)])

    first = search(app.views, "nurse", role=CNS, kind="people", limit=10)
    third = search(app.views, "nurse", role=CNS, kind="people", limit=10, offset=20)
    beyond = search(app.views, "nurse", role=CNS, kind="people", limit=10, offset=40)

    assert first.groups["people"].total == 25  # 23 nurses, Nina and Sara
    # Ranked: names with "nurse" first (title matches), then Sara, a nurse by role only.
    assert all("Nurse" in name for name in names(first, "people"))
    assert len(names(third, "people")) == 5 and names(third, "people")[-1] == "Sara South"
    assert (beyond.groups["people"].items, beyond.groups["people"].total) == ([], 25)
    assert first.groups["teams"].items is None  # only counted
    assert first.groups["teams"].total == 0 and first.groups["qips"].total == 1

    everything = search(app.views, "nurse", limit=3)
    assert [len(g.items) for g in everything.groups.values()] == [3, 0, 1, 0]
    assert everything.groups["people"].total == 25
