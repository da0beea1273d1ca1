"""The benchmarks build their data through the domain: a small run of each keeps
them working as the domain changes (their speed is measured by `make bench`)."""

from __future__ import annotations

import time
from random import Random

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from bench import directory, load, pairing, rebuild
from bench.load_endpoints import USER_AGENT
from community import Community
from community.synth import Options, synthesise
from tests.builders import PASSWORD, small_network
from tests.conftest import make_community


def test_the_directory_benchmark_builds_the_synthetic_community_and_measures_it(
        database_url: str) -> None:
    app: Community = make_community(database_url)
    try:
        summary, member_ids = directory.build(app, 200, 12, 2000)
        rows = directory.measure(app, member_ids, 2, 3)
    finally:
        app.close()

    assert len(member_ids) == 200 and summary.kinds["Qip.Drafted"] > 0
    assert len(rows) >= 8 and all(ms > 0 for _, ms in rows)


def test_the_pairing_benchmark_pairs_its_random_teams() -> None:
    teams = pairing.random_teams(Random(1), 20)
    _, proposal = pairing.median_ms(lambda: pairing.propose_pairs(teams, pairing.INDICATORS), 1)

    assert len(proposal.pairs) * 2 + len(proposal.unpaired) == 20


def test_the_rebuild_benchmark_gives_its_figures_for_an_existing_store(
        database_url: str) -> None:
    app: Community = make_community(database_url)
    try:
        synthesise(app, Options(teams=4, members=40, events=600, years=2), views=False)
        events = app.recorder.max_notification_id()
    finally:
        app.close()

    found = rebuild.national(database_url)

    store = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    assert (found.store, found.events, found.runs) == (store, events, 1)
    assert found.read_rate > 0 and found.ratio > 0 and found.peak_mib > 0
    assert "rebuild / raw read ratio" in "\n".join(found.lines())
    # Each view's CPU per event, and the reading and commits around them.
    assert {"read", "commit", "notifications", "sustainability"} <= set(found.cpu_us_per_event)
    assert all(us >= 0 for us in found.cpu_us_per_event.values())


def test_the_load_benchmark_s_people_hold_a_session_cookie_that_needs_no_refreshing(
        community: Community, live_server: str) -> None:
    # Under load each client sends the cookie it logged in with, never a newer one (as
    # no cookie jar is kept): were the session still to change on a page, every answer
    # would re-sign and send it, which a browser, keeping the newer cookie, never costs.
    small_network(community)
    person = load.log_in(live_server, "nina.nurse@northshire.nhs.uk", password=PASSWORD)
    cookie = "; ".join(f"{name}={value}" for name, value in person["cookies"].items())
    for page in ("/", "/qips", "/contacts"):
        answer = requests.get(live_server + page, timeout=60, allow_redirects=False,
                              headers={"Cookie": cookie, "User-Agent": USER_AGENT})
        assert answer.status_code == 200, page
        assert "Set-Cookie" not in answer.headers, page


def test_the_load_benchmark_counts_the_cpu_postgresql_spends(database_url: str) -> None:
    # On PostgreSQL the database works in processes of its own, on the same cores as the
    # server: the load table gives its CPU per request too. SQLite works inside the
    # server's processes, whose CPU the table gives already.
    server = load.database_server(database_url)
    if database_url.startswith("sqlite"):
        assert server is None
        return
    assert server is not None
    import psutil

    assert psutil.Process(server).name().startswith("postgres")
    before = load.database_cpu_seconds(server)
    # Not pooled: the backend has ended by the second look.
    engine = create_engine(database_url, poolclass=NullPool)
    with engine.connect() as conn:
        backend = conn.scalar(text("SELECT pg_backend_pid()"))
        conn.execute(text("SELECT count(*) FROM generate_series(1, 3000000)")).all()
    engine.dispose()
    deadline = time.monotonic() + 10
    while psutil.pid_exists(backend) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert load.database_cpu_seconds(server) - before >= 0.05
