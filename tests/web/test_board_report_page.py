"""The one-page board report: the headline figures, the organic-activity chart and
the verdicts for a date and period, with a print stylesheet, for organisers only."""

from __future__ import annotations

from typing import Any

import pytest

from community import Community
from tests.builders import SmallNetwork
from tests.web.reading import links, text


@pytest.fixture
def contacts(community: Community, network: SmallNetwork) -> None:
    for n in range(18):
        year, month = 2011 + n // 12, n % 12 + 1
        community.make_contact(by=network.nurse, to_member_id=network.other_nurse,
                               topic="Clinics", made_on=f"{year}-{month:02d}-10")


def test_the_page_links_to_the_board_report_for_its_date_and_period(olive: Any,
                                                                     contacts) -> None:
    page = olive.get("/sustainability/health?as_of=2012-03-31&period=all")

    assert (links(page.data)["Print the board report"]
            == "/sustainability/health/report?as_of=2012-03-31&period=all")
    assert (links(page.data)["See the network map of teams"]
            == "/sustainability/health/map?as_of=2012-03-31")


def test_the_board_report_gives_the_figures_chart_and_verdicts_of_the_page(
        olive: Any, contacts) -> None:
    page = olive.get("/sustainability/health?as_of=2012-06-30&period=all")
    report = olive.get("/sustainability/health/report?as_of=2012-06-30&period=all")

    words = text(report.data)
    assert report.status_code == 200
    assert "the network as it stood on 30 June 2012" in words
    assert "Headline figures" in words and "Members who make half the activity" in words
    assert b'class="measure-chart"' in report.data and b"Funding ended" in report.data
    for verdict in ("Organic activity", "Dependence on the organisers", "The live network",
                    "Brokers", "Staying power"):
        assert verdict in words
    page_words = text(page.data)
    verdicts = words.split("Verdicts", 1)[1]
    organic = verdicts.split("Organic activity", 1)[1].split("Dependence on the organisers")[0]
    assert organic.strip() in page_words   # the same verdict as the page's
    assert b"board-report.css" in report.data


def test_the_print_stylesheet_leaves_out_the_header_and_footer_and_fits_a4(
        olive: Any) -> None:
    response = olive.get("/static/board-report.css")
    css = response.data.decode()
    response.close()

    printed = css.split("@media print", 1)[1]
    assert "size: A4" in printed
    assert ".nhsuk-header" in printed and ".nhsuk-footer" in printed and "display: none" in printed


def test_a_bad_date_is_refused_with_its_reason(olive: Any) -> None:
    refused = olive.get("/sustainability/health/report?as_of=31/03/2012")

    assert refused.status_code == 400
    assert "Enter the date as year-month-day" in text(refused.data)


def test_a_participant_is_refused(nina: Any) -> None:
    assert nina.get("/sustainability/health/report").status_code == 403
