"""The sustainability page's monthly table: the latest two years by default, every month
one link away (no JavaScript needed), and the CSV always whole."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from community import Community
from tests.builders import SmallNetwork
from tests.web.reading import links, table, text


@pytest.fixture
def thirty_months(community: Community, network: SmallNetwork) -> None:
    """A contact every month from January 2010 to June 2012."""
    for n in range(30):
        year, month = 2010 + n // 12, n % 12 + 1
        community.make_contact(by=network.nurse, to_member_id=network.other_nurse,
                               topic="Nurse-led clinics", made_on=f"{year}-{month:02d}-10")


def test_the_table_shows_the_latest_24_months_and_offers_all_30(olive: Any,
                                                                 thirty_months) -> None:
    page = olive.get("/sustainability")

    months = [row[0] for row in table(page.data, "months")["body"]]
    assert len(months) == 24
    assert months[0] == "Jul 2010" and months[-1] == "Jun 2012"
    assert "The latest 24 of 30 months." in text(page.data)
    assert links(page.data)["Show all 30 months"] == "/sustainability?months=all#months"


def test_show_all_months_shows_every_month_and_a_way_back(olive: Any, thirty_months) -> None:
    page = olive.get("/sustainability?months=all")

    months = [row[0] for row in table(page.data, "months")["body"]]
    assert len(months) == 30 and months[0] == "Jan 2010"
    assert links(page.data)["Show the latest 24 months"] == "/sustainability#months"


def test_the_links_keep_the_date_asked_for(olive: Any, thirty_months) -> None:
    page = olive.get("/sustainability?as_of=2012-05-31")

    assert "The latest 24 of 29 months." in text(page.data)
    assert (links(page.data)["Show all 29 months"]
            == "/sustainability?as_of=2012-05-31&months=all#months")


def test_the_csv_still_has_every_month(olive: Any, thirty_months) -> None:
    rows = list(csv.reader(io.StringIO(olive.get("/sustainability.csv").get_data(as_text=True))))

    assert len(rows) == 31 and rows[1][0] == "2010-01"


def test_a_short_history_shows_every_month_without_the_link(olive: Any, community: Community,
                                                           network: SmallNetwork) -> None:
    community.make_contact(by=network.nurse, to_member_id=network.other_nurse,
                           topic="Nurse-led clinics", made_on="2012-02-10")
    page = olive.get("/sustainability")

    assert len(table(page.data, "months")["body"]) == 1
    assert "Show all" not in text(page.data)
