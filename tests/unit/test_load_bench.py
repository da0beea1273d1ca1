"""The load benchmark's own arithmetic and requests (bench.load, bench.load_endpoints).

The run itself needs a server and locust (``make bench``); these check what it
would report and ask for, without either.
"""

from __future__ import annotations

from random import Random

from bench.load import figures, percentile, table
from bench.load_endpoints import BASELINE, ENDPOINTS, Client

PLAN = {"members": [{"member_id": "m1", "qip_id": "q1", "measure": "New patients %",
                     "cookies": {"session": "a"}}],
        "organisers": [{"member_id": "o1", "cookies": {"session": "b"}}],
        "sample": {"member_ids": ["m2", "m3"], "team_ids": ["t1"],
                   "charts": [{"id": "q2", "measure": "Patients deferred / week"}]}}


def test_the_95th_percentile_is_the_time_95_in_100_requests_took_at_most() -> None:
    times = [float(ms) for ms in range(1, 101)]
    assert percentile(times, 0.95) == 95.0
    assert percentile(times, 0.5) == 50.0
    assert percentile([7.0], 0.95) == 7.0


def test_every_endpoint_the_issue_names_is_driven_beside_the_trivial_one() -> None:
    names = [e.name for e in ENDPOINTS]
    assert names[0] == BASELINE == "GET /api/v1/me"
    for wanted in ("members?q=", "counterparts", "key_area=", "outcome=improved", "search?q=",
                   "GET /qips/{id} (page)", "chart", "GET /teams/{id} (page)", "home",
                   "sustainability", "network-health", "/sustainability/health",
                   "POST /api/v1/contacts", "progress"):
        assert any(wanted in name for name in names), wanted


def test_each_value_a_client_records_is_on_a_new_day_of_its_own_qip() -> None:
    client = Client(0, PLAN, Random(1))
    record = next(e for e in ENDPOINTS if e.name.endswith("/progress"))
    first, second = record.build(client), record.build(client)
    assert first[0] == second[0] == "/api/v1/qips/q1/progress"
    assert first[1] and second[1] and first[1]["date"] != second[1]["date"]
    assert first[1]["measure"] == "New patients %"


def test_a_chart_measure_with_spaces_and_slashes_stays_one_path_segment() -> None:
    chart = next(e for e in ENDPOINTS if "chart" in e.name)
    path, _ = chart.build(Client(0, PLAN, Random(1)))
    assert path == "/api/v1/qips/q2/chart/Patients%20deferred%20%2F%20week"


def test_the_table_gives_each_p95_over_the_trivial_one_and_says_what_did_not_answer() -> None:
    found = {"times_ms": {BASELINE: [10.0] * 19 + [20.0], "slow": [200.0] * 20},
             "failures": {"slow": {"count": 2, "example": "500"}}, "seconds": 2.0}
    rows = {BASELINE: {**figures(BASELINE, found), "first_ms": 5.0, "problem": ""},
            "slow": {**figures("slow", found, (0.3, 0.1), 0.05), "first_ms": 900.0,
                     "problem": ""},
            "never": {**figures("never", found), "first_ms": 1.0, "problem": ""}}
    rows["slow"]["p95_over_baseline"] = 20.0
    text = table({"store": "sqlite", "endpoints": rows})
    # 0.3 s of the server's CPU over 20 requests, 0.1 s of it the projection worker's,
    # and 0.05 s of PostgreSQL's
    assert "| slow | 200 | 200 | 10.0 | 2 | 20× | 15.0 (5.0) | 2.5 | 900 |" in text
    # SQLite (no database server) and endpoints that never answered: no figure
    assert "| never | — | — | 0.0 | no answer | — | — | — | 1 |" in text
    assert "| GET /api/v1/me | 10 | 10 | 10.0 | 0 | — | — | — | 5 |" in text
    assert "p95 vs /me (10 ms)" in text


def test_the_clients_own_cpu_is_given_per_request() -> None:
    found = {"times_ms": {BASELINE: [10.0] * 40}, "failures": {}, "seconds": 2.0,
             "client_cpu_seconds": 0.02}
    assert figures(BASELINE, found)["client_cpu_ms"] == 0.5
    assert figures("never", found)["client_cpu_ms"] is None
