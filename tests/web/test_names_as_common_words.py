"""A name that is a common word ("Will") is found from the pages' search boxes, as a
person types it: the directory's filter and the search page."""

from __future__ import annotations

from typing import Any

from tests.builders import PASSWORD, SmallNetwork
from tests.web.forms import submit
from tests.web.reading import table, text


def test_typing_will_finds_will_able_in_the_directory_and_on_the_search_page(
        nina: Any, community: Any, network: SmallNetwork) -> None:
    community.join(email="will.able@northshire.nhs.uk", name="Will Able",
                   role="clinical_lead", team_id=network.north, password=PASSWORD)

    listed = submit(nina, nina.get("/directory").data, {"q": "Will"}, action="/directory")
    found = submit(nina, nina.get("/search").data, {"q": "Will"}, action="/search")

    assert [row[0] for row in table(listed.data, "members")["body"]] == ["Will Able"]
    assert "Will Able" in text(found.data)
    assert "Nina Nurse" not in text(found.data).replace("Logged in as Nina Nurse", "")
