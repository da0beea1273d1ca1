"""The network-health figures kept in a table, on each real store: a settled date is
counted once, an open one is served at once after a write and counted again in the
background, another process reads the kept figures without counting, and two
requests for figures never counted count them once."""

from __future__ import annotations

import threading
import time
from datetime import date
from typing import Any

import pytest

from community import Community
from projections import network_health_kept as kept_module
from projections.network_health import compute_report, kept_report
from projections.network_map import live_map
from tests.integration.network import build_network
from tests.integration.test_network_health import Clock, _week_of_life, clock

__all__ = ["clock"]  # the fixture, used by name


@pytest.fixture
def no_background(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Background refreshes asked for, not started: the test runs them itself."""
    asked: list[Any] = []
    monkeypatch.setattr(kept_module, "start_refresh", asked.append)
    return asked


def test_a_date_before_the_latest_record_is_counted_once_and_never_again(
        app: Community, clock: Clock, no_background: list[Any]) -> None:
    net = build_network(app)
    _week_of_life(app, net)
    engine = app.views.engine
    clock.day = date(2012, 2, 15)
    app.make_contact(by=net.lead, to_member_id=net.nurse, topic="Audit data",
                     made_on=date(2012, 2, 14))
    first = kept_report(engine, date(2012, 1, 31))

    clock.day = date(2012, 2, 20)  # recorded after the date: it cannot change the figures
    app.make_contact(by=net.lead, to_member_id=net.nurse, topic="More audit data",
                     made_on=date(2012, 1, 20))
    again = kept_report(engine, date(2012, 1, 31))

    assert first.settled and again.settled and again.current
    assert again.value is first.value and again.changes_since >= 1
    assert not no_background  # nothing to count again
    assert again.value == compute_report(engine, date(2012, 1, 31))


def test_an_open_date_is_served_at_once_after_a_write_then_counted_again(
        app: Community, clock: Clock, no_background: list[Any]) -> None:
    net = build_network(app)
    _week_of_life(app, net)
    engine = app.views.engine
    as_of = date(2012, 2, 29)  # after everything recorded so far: still open
    before = kept_report(engine, as_of)
    clock.day = date(2012, 2, 1)
    app.make_contact(by=net.lead, to_member_id=net.nurse, topic="Audit data",
                     made_on=date(2012, 2, 1))

    served = kept_report(engine, as_of)
    assert not before.settled and served.value is before.value
    assert served.changes_since >= 1 and not served.current
    assert no_background == [engine]

    assert kept_module.refresh_network_health(engine) == 1
    after = kept_report(engine, as_of)
    assert after.current and after.changes_since == 0
    assert after.value.absence.acts == before.value.absence.acts + 1
    assert after.value == compute_report(engine, as_of)


def test_another_process_reads_the_kept_figures_without_counting_them(
        app: Community, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    net = build_network(app)
    _week_of_life(app, net)
    engine = app.views.engine
    counted = kept_report(engine, date(2012, 1, 31))
    mapped = live_map(engine, date(2012, 1, 31), "team")
    kept_module._memo.clear()  # as a fresh web process finds it

    def not_again(*_: Any) -> Any:
        raise AssertionError("counted again")
    monkeypatch.setitem(kept_module._COMPUTERS, "report", not_again)
    monkeypatch.setitem(kept_module._COMPUTERS, "map", not_again)

    read = kept_report(engine, date(2012, 1, 31))
    assert read.value == counted.value and read.counted_at == counted.counted_at
    assert live_map(engine, date(2012, 1, 31), "team").value == mapped.value


def test_two_requests_for_figures_never_counted_count_them_once(
        app: Community, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    net = build_network(app)
    _week_of_life(app, net)
    engine = app.views.engine
    real = kept_module._COMPUTERS["report"]
    calls: list[date] = []

    def slow(engine: Any, as_of: date, period: str) -> Any:
        calls.append(as_of)
        time.sleep(0.3)
        return real(engine, as_of, period)
    monkeypatch.setitem(kept_module._COMPUTERS, "report", slow)
    found: list[Any] = []
    threads = [threading.Thread(target=lambda: found.append(
        kept_report(engine, date(2012, 1, 31)).value)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert calls == [date(2012, 1, 31)]
    assert found[0] == found[1]


def test_where_a_worker_follows_the_log_todays_figures_are_left_to_it(
        app: Community, clock: Clock, no_background: list[Any],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A web process of a store with a projection worker serves today's kept figures
    and starts no count of its own: the worker counts them after its catch-up."""
    net = build_network(app)
    _week_of_life(app, net)
    engine = app.views.engine
    today = date.today()
    before = kept_report(engine, today)
    monkeypatch.setattr(kept_module, "_worker_counts", {str(engine.url)})
    app.make_contact(by=net.lead, to_member_id=net.nurse, topic="Audit data",
                     made_on=date(2012, 2, 1))

    served = kept_report(engine, today)
    assert served.value is before.value and not served.current
    assert no_background == []  # no count in this process

    assert kept_module.refresh_network_health(engine) == 1  # what the worker runs
    after = kept_report(engine, today)
    assert after.current and after.position > before.position
    assert after.value == compute_report(engine, today)
    # Any other open date is still counted again where it is asked for.
    kept_report(engine, date(2012, 2, 29))
    app.make_contact(by=net.nurse, to_member_id=net.lead, topic="Audit data",
                     made_on=date(2012, 2, 1))
    kept_report(engine, date(2012, 2, 29))
    assert no_background == [engine]
