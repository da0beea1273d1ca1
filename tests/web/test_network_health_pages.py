"""The organisers' network-health page: each figure with its verdict, redrawn as of a
date chosen in the form, a CSV of the same figures, and no one else may see it."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Any

import pytest

from community import Community
from projections import network_health_kept as kept_module
from tests.builders import SmallNetwork
from tests.web.forms import submit
from tests.web.reading import links, text


@pytest.fixture
def two_years(community: Community, network: SmallNetwork) -> None:
    """Contacts every month from January 2011 to December 2012, fewer after the
    funding end; the nurse makes most of them."""
    for n in range(24):
        year, month = 2011 + n // 12, n % 12 + 1
        for k in range(4 if n < 15 else 1):
            by, to = ((network.nurse, network.other_nurse) if k != 3
                      else (network.other_nurse, network.lead))
            community.make_contact(by=by, to_member_id=to, topic="Nurse-led clinics",
                                   made_on=f"{year}-{month:02d}-{10 + k}")


def test_an_organiser_sees_each_figure_with_its_verdict(olive: Any, two_years) -> None:
    page = olive.get("/sustainability/health?as_of=2012-12-31")

    words = text(page.data)
    assert page.status_code == 200
    assert "as it stood on 31 December 2012" in words
    assert "Members made" in words and "before the funding ended" in words
    assert "Half the activity comes from 1 member and 1 team." in words
    assert "Nina Nurse (" in words
    assert words.count("How this is worked out") == 12
    assert b"<svg" in page.data and b"Funding ended" in page.data


def test_the_figures_are_redrawn_as_of_the_date_chosen_in_the_form(olive: Any,
                                                                   two_years) -> None:
    page = olive.get("/sustainability/health")

    redrawn = submit(olive, page.data, {"as_of": "2012-03-31", "period": "all"},
                     action="/sustainability/health")

    words = text(redrawn.data)
    assert "as it stood on 31 March 2012" in words
    assert "The funding has not ended yet (it ends 31 March 2012)" in words
    assert "Mar 2012" in words and "Apr 2012" not in words


def test_a_date_that_is_not_a_date_is_named_beside_the_field(olive: Any, two_years) -> None:
    page = olive.get("/sustainability/health")

    refused = submit(olive, page.data, {"as_of": "31/03/2012"}, action="/sustainability/health")

    assert refused.status_code == 400
    assert "There is a problem" in text(refused.data)
    assert "Enter the date as year-month-day" in text(refused.data)
    assert links(refused.data)["Enter the date as year-month-day, for example 2012-03-31"] \
        == "#as_of"


def test_the_csv_has_the_same_figures_as_the_page(olive: Any, two_years) -> None:
    page = olive.get("/sustainability/health?as_of=2012-12-31&period=all")
    download = olive.get(links(page.data)["Download these figures (CSV)"])

    rows = list(csv.reader(io.StringIO(download.data.decode())))
    assert download.mimetype == "text/csv"
    assert rows[0] == ["measure", "item", "value"]
    assert ["absence factor, members", "", "1"] in rows
    assert ["organic acts per month", "2011-01", "4"] in rows
    assert ["carries half the activity (member)", "Nina Nurse", "54"] in rows


def test_the_method_page_explains_every_measure(olive: Any, two_years) -> None:
    page = olive.get("/sustainability/health")
    method = olive.get(links(page.data)["How this is worked out"])

    words = text(method.data)
    assert "Fragmentation F = 1 − Σ s(s−1) / (n(n−1))" in words
    assert "Absence factor" in words and "Responsiveness" in words


def test_the_sustainability_page_and_the_organise_hub_link_to_it(olive: Any, network) -> None:
    assert "/sustainability/health" in links(olive.get("/sustainability").data).values()
    assert "/sustainability/health" in links(olive.get("/organise").data).values()


def test_a_participant_is_refused(nina: Any) -> None:
    assert nina.get("/sustainability/health").status_code == 403
    assert nina.get("/sustainability/health.csv").status_code == 403


def test_someone_logged_out_is_sent_to_log_in(client: Any, network: SmallNetwork) -> None:
    page = client.get("/sustainability/health")
    assert page.status_code == 302 and "/login" in page.headers["Location"]


def test_an_empty_community_says_what_will_show(olive: Any) -> None:
    page = olive.get("/sustainability/health")
    assert page.status_code == 200
    assert "No organic activity recorded yet" in text(page.data)


def test_after_a_new_record_the_page_shows_the_kept_figures_and_says_they_are_being_counted(
        olive: Any, two_years, community: Community, network: SmallNetwork,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kept_module, "start_refresh", lambda engine: None)  # the test counts
    url = "/sustainability/health?as_of=2012-12-31&period=all"
    first = text(olive.get(url).data)
    community.make_contact(by=network.nurse, to_member_id=network.other_nurse,
                           topic="Audit data", made_on="2012-12-20")

    served = text(olive.get(url).data)
    kept_module.refresh_network_health(community.views.engine)
    counted = text(olive.get(url).data)

    assert "Figures counted up to" in first and "nothing has been recorded since" in first
    assert re.search(r"\d+ changes? recorded since, being counted now", served)
    figures = [page.split("Print the board report")[1] for page in (first, served, counted)]
    assert figures[0] == figures[1] != figures[2]  # the kept figures, then the new ones
    assert "nothing has been recorded since" in counted


def test_the_default_date_follows_the_latest_activity_of_a_quiet_network(
        olive: Any, two_years, community: Community, network: SmallNetwork,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Nothing for over a year: the page is as of the latest activity, not today.
    monkeypatch.setattr(community, "today", lambda: date(2015, 1, 1))
    before = text(olive.get("/sustainability/health").data)
    community.make_contact(by=network.nurse, to_member_id=network.other_nurse,
                           topic="Audit data", made_on="2013-06-10")

    after = text(olive.get("/sustainability/health").data)

    assert "as it stood on 10 December 2012" in before
    assert "as it stood on 10 June 2013" in after
