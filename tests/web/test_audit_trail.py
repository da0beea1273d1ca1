"""The organisers' audit trail: who changed what and when, newest first, from the log;
a kind of record to narrow it, "Older changes" to page back; members never see it."""

from __future__ import annotations

import re
from typing import Any

from community import Community
from community import audit as audit_module
from tests.builders import SmallNetwork
from tests.web.reading import links, table, text


def test_the_newest_change_comes_first_with_who_made_it_and_a_link_to_the_record(
        olive: Any, community: Community, network: SmallNetwork) -> None:
    community.make_contact(by=network.nurse, to_member_id=network.other_nurse,
                           topic="EBUS waits", made_on="2012-02-10")
    qip = community.draft_qip(by=network.lead, title="CNS at diagnosis", key_area="cns_access",
                              aim="From 61% to 80% seen by a CNS by March 2013",
                              timeframe="2012 to 2013",
                              measures=[{"name": "Seen", "baseline": 61, "target": 80}])

    page = olive.get("/organise/audit")
    rows = table(page.data, "audit-trail")["body"]

    assert page.status_code == 200
    assert rows[0][1:] == ["Liam Lead", "QIP", "Drafted"]
    assert rows[1][1:] == ["Nina Nurse", "Contact", "Made"]
    assert links(page.data)["QIP"] == f"/qips/{qip}"
    # What the change said stays on the record's own page.
    assert "EBUS waits" not in text(page.data)


def test_a_kind_of_record_narrows_the_trail(olive: Any, community: Community,
                                            network: SmallNetwork) -> None:
    community.make_contact(by=network.nurse, to_member_id=network.other_nurse,
                           topic="EBUS waits", made_on="2012-02-10")

    rows = table(olive.get("/organise/audit?kind=team").data, "audit-trail")["body"]

    assert {r[2] for r in rows} == {"Team"}
    assert [r[3] for r in rows].count("Registered") == 2


def test_older_changes_page_back_without_repeating_any(olive: Any, community: Community,
                                                       network: SmallNetwork,
                                                       monkeypatch: Any) -> None:
    monkeypatch.setattr("web.audit.PER_PAGE", 5)
    first = olive.get("/organise/audit")
    second = olive.get(links(first.data)["Older changes"])

    def positions(page: Any) -> list[int]:
        return [int(p) for p in re.findall(rb'data-position="(\d+)"', page.data)]

    assert len(positions(first)) == len(positions(second)) == 5
    assert min(positions(first)) > max(positions(second))
    assert positions(first) == sorted(positions(first), reverse=True)
    assert links(second.data)["Newest changes"] == "/organise/audit"


def test_an_unknown_kind_is_a_400_naming_the_field(olive: Any) -> None:
    page = olive.get("/organise/audit?kind=gossip")
    assert page.status_code == 400
    assert "kind" in text(page.data)
    assert olive.get("/organise/audit?before=-3").status_code == 400


def test_members_cannot_read_the_trail(nina: Any) -> None:
    assert nina.get("/organise/audit").status_code == 403


def test_notification_reading_is_left_out_unless_chosen() -> None:
    assert not set(audit_module.topics_of(audit_module.Record.SETTINGS)) & set(audit_module.EVERYDAY)
