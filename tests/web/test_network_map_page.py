"""The organisers' network map: a circle per team named in its title, drawn the same
for the same date, redrawn as of the date chosen in the form, with a table view."""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise
from typing import Any

import pytest

from community import Community
from domain.network_map import Edge, NetworkMap, Node
from tests.builders import SmallNetwork
from tests.web.forms import submit
from tests.web.reading import text
from web.network_map import HEIGHT, WIDTH, layout


@pytest.fixture
def contacts(community: Community, network: SmallNetwork) -> None:
    for day, by, to in (("2012-03-01", network.nurse, network.other_nurse),
                        ("2012-03-10", network.other_nurse, network.nurse),
                        ("2012-05-10", network.nurse, network.other_nurse)):
        community.make_contact(by=by, to_member_id=to, topic="Clinics", made_on=day)


def svg_of(html: bytes) -> str:
    found = re.search(r'<svg[^>]*class="network-map".*?</svg>', html.decode(), re.S)
    assert found, "no network map on the page"
    return found.group(0)


def test_the_map_has_a_circle_per_team_named_in_its_title(olive: Any, contacts) -> None:
    page = olive.get("/sustainability/health/map?as_of=2012-03-31")

    svg = svg_of(page.data)
    assert page.status_code == 200
    teams = re.findall(r'<g class="network-map__node"[^>]*><title>([^<(]+) \(', svg)
    assert len(teams) == svg.count("<circle") >= 2
    assert any(t.startswith("Northshire") for t in teams)
    assert any(t.startswith("Southmoor") for t in teams)
    assert svg.count("<line") == 1   # the two teams' contacts: one link
    words = text(page.data)
    assert "The map as a table" in words and "Regions" in words


def test_the_same_date_draws_the_same_map(olive: Any, contacts) -> None:
    first = svg_of(olive.get("/sustainability/health/map?as_of=2012-03-31").data)
    again = svg_of(olive.get("/sustainability/health/map?as_of=2012-03-31").data)

    assert first == again


def test_the_map_is_redrawn_as_of_the_date_chosen_in_the_form(olive: Any, contacts) -> None:
    page = olive.get("/sustainability/health/map")

    before = submit(olive, page.data, {"as_of": "2011-12-31"},
                    action="/sustainability/health/map")

    assert "in the 90 days to 31 December 2011" in text(before.data)
    assert svg_of(before.data).count("<line") == 0


def test_a_date_that_is_not_a_date_is_named(olive: Any, contacts) -> None:
    page = olive.get("/sustainability/health/map")

    refused = submit(olive, page.data, {"as_of": "31/03/2012"},
                     action="/sustainability/health/map")

    assert refused.status_code == 400
    assert "Enter the date as year-month-day" in text(refused.data)


def test_a_participant_is_refused(nina: Any) -> None:
    assert nina.get("/sustainability/health/map").status_code == 403


def test_a_national_network_with_many_untied_teams_stays_inside_the_picture() -> None:
    nodes = tuple(Node(f"t{i:03}", f"Team {i}", f"Region {i % 7}", i % 5, 0, 0.0)
                  for i in range(200))
    tied = nodes[:80]
    edges = tuple(Edge(a.id, b.id, 1.0) for a, b in pairwise(tied))
    nodes = tuple(Node(n.id, n.name, n.region, n.activity, 1 if n in tied else 0, 0.0)
                  for n in nodes)
    found = NetworkMap(date(2012, 3, 31), "team", nodes, edges, None, 121, None, 120,
                       None, None, None, ())

    spots = layout(found)

    assert len(spots) == 200
    assert all(0 < x < WIDTH and 0 < y < HEIGHT for x, y in spots.values())
    assert len(set(spots.values())) == 200   # no two teams on the same spot
