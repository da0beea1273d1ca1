"""The organisers' hub: one place for their tools, with what waits for them."""

from __future__ import annotations

from typing import Any

from community import Community
from tests.builders import SmallNetwork
from tests.web.reading import links, text


def test_the_hub_is_for_organisers_and_links_every_tool(olive: Any) -> None:
    page = olive.get("/organise")
    found = links(page.data)

    assert page.status_code == 200
    for tool, href in [("QIP reviews", "/organise/reviews"), ("Outbox", "/organise/outbox"),
                       ("Pair teams", "/organise/pairing"), ("Plan an event", "/organise/events/new"),
                       ("Introductions", "/organise/introductions"),
                       ("Follow-up responses", "/organise/follow-ups")]:
        assert found[tool] == href


def test_the_hub_says_what_is_waiting(olive: Any, community: Community,
                                      network: SmallNetwork) -> None:
    qip = community.draft_qip(by=network.nurse, title="CNS at diagnosis", key_area="cns_access",
                              aim="From 61% to 80% seen by a CNS by March 2013",
                              timeframe="2012 to 2013",
                              measures=[{"name": "Seen", "baseline": 61, "target": 80}])
    community.submit_qip(qip, by=network.nurse)

    assert "1 plan waiting" in text(olive.get("/organise").data)


def test_members_are_refused_and_do_not_see_the_link(nina: Any) -> None:
    assert nina.get("/organise").status_code == 403
    assert "Organise" not in links(nina.get("/directory").data)
