"""How fast is every main page and API under load? (issue 14's load benchmark)

For each store (SQLite, PostgreSQL or both), on the synthetic national community
(``community synth``: 156 teams, 3,000 members, 34,000 events by default):

1. the store: SQLite copies a kept file (built once with ``community synth`` when
   missing) so the benchmark's writes never touch it; PostgreSQL gets a throwaway
   server started as the tests start theirs (``tests/postgres.py``) and the same
   community written into it by ``community synth --database-url postgresql://...``;
2. the real ``community serve`` on a free port, on that store, in the production
   shape: ``--workers`` web processes under gunicorn (default 2, one per core) and
   the projection worker in its own process, on both stores (``--workers 1``: one
   waitress process, as ``make run`` serves);
3. 16 people logged in over HTTP: the synthetic participant and 15 members added
   with ``community add-user``, each in a team with an active QIP (so each records
   values on a QIP of their own), and four organisers for the organisers' pages;
4. each endpoint of ``bench.load_endpoints`` asked once (untimed: the first answer,
   with its cold caches, is printed as "first"), then driven by locust, headless,
   with 16 clients for ``--seconds`` each (or all together, ``--mixed SECONDS``);
5. p50, p95, requests/s and errors per endpoint, and each p95 over that of
   ``GET /api/v1/me`` measured in the same run (machines are shared and noisy: the
   ratio is the figure to compare), with the CPU per request of the server (its web
   processes and projection worker) and, on PostgreSQL, of the database server on
   the same cores, printed and written to ``bench/results/load-<store>.json``.

It fails, saying what is missing, when locust or PostgreSQL's binaries are not
installed, the server does not start, or an endpoint answers an error; the exit
status is 1 when any endpoint had errors under load.

It is one module, a little under 500 lines, because it reads as the run's steps in
order (store, server, people, measuring, report); the endpoints are in
``bench.load_endpoints`` and the clients in ``bench/locustfile.py``.

    python -m bench.load [--store sqlite|postgresql|both] [--seconds 10] [--mixed S]
                         [--only PART ...] [--users 16] [--workers 2] [--events 34000]
                         [--sqlite-store FILE]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import platform
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from random import Random
from typing import Any

import requests

from bench.load_endpoints import BASELINE, ENDPOINTS, USER_AGENT, Client, Endpoint

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PASSWORD = "community-demo"  # the synthetic logins' password (community.synth.cast)
# The e-mail index is keyed by the instance's secret (domain/ids.py), so the store's
# builder and its server must share one, or nobody is found by address. Only for
# this throwaway benchmark store: a real instance keeps its own secret.
SECRET = "clinical-community-load-benchmark"
ORGANISER, PARTICIPANT = "organiser@example.org", "participant@example.org"
# After the run time, answers still on their way are waited for this long (and counted),
# so a slow endpoint shows its real times instead of none.
STOP_TIMEOUT = 120
CLI = [sys.executable, "-c", "from community.cli import main; main()"]


class Missing(RuntimeError):
    """A part the benchmark needs is not there; the message says what to do."""


# --- the stores -------------------------------------------------------------------------


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.update(extra)
    return env


def synthesise(url: str, events: int) -> None:
    """The national community into an empty store at ``url``, by ``community synth``."""
    print(f"Building the national community ({events:,} events) at {url.split('@')[-1]} ...",
          flush=True)
    started = time.perf_counter()
    done = subprocess.run([*CLI, "synth", "--events", str(events), "--database-url", url],
                          env=_env(COMMUNITY_SECRET_KEY=SECRET), cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode:
        raise Missing(f"community synth failed:\n{done.stderr[-2000:]}")
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)


def sqlite_copy(kept: Path, events: int, folder: Path) -> str:
    """A working copy of the kept SQLite store (built first when missing)."""
    if not kept.exists():
        synthesise(f"sqlite:///{kept}", events)
    copy = folder / "national.sqlite"
    # SQLite's backup copies a consistent store, WAL included, even from a read-only open.
    source = sqlite3.connect(f"file:{kept}?mode=ro", uri=True)
    target = sqlite3.connect(copy)
    with target:
        source.backup(target)
    source.close()
    target.close()
    return f"sqlite:///{copy}"


@contextmanager
def postgres_store(events: int) -> Iterator[str]:
    """A throwaway PostgreSQL server holding the national community."""
    from tests.postgres import binaries, running_server

    if binaries() is None:
        raise Missing("PostgreSQL's binaries are not installed (apt-get install postgresql); "
                      "or measure SQLite only: --store sqlite")
    with running_server() as url:
        synthesise(url, events)
        yield url


# --- the server -------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(url: str, folder: Path, workers: int, threads: int | None = None
            ) -> Iterator[tuple[str, dict[str, str], int]]:
    """``community serve`` on the store with ``workers`` web processes (of ``threads``
    threads, else serve's own default) and the projection worker; yields its base URL,
    environment and process id."""
    port = _free_port()
    env = _env(COMMUNITY_DATABASE_URL=url, COMMUNITY_INSTANCE_DIR=str(folder),
               COMMUNITY_SECRET_KEY=SECRET, COMMUNITY_PLAIN_HTTP="1")
    base = f"http://127.0.0.1:{port}"
    with open(folder / "serve.log", "w") as log:
        server = subprocess.Popen([*CLI, "serve", "--port", str(port), "--workers", str(workers),
                                   *(["--threads", str(threads)] if threads else []),
                                   "--follower"], env=env, cwd=ROOT,
                                  stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                raise Missing(f"community serve stopped at start:\n{_tail(folder / 'serve.log')}")
            try:
                if requests.get(base + "/api/v1/openapi.json", timeout=5).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise Missing(f"community serve did not answer in 120 s:\n"
                              f"{_tail(folder / 'serve.log')}")
            time.sleep(0.5)
        yield base, env, server.pid
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()


def _tail(path: Path) -> str:
    return path.read_text(errors="replace")[-2000:]


# --- the people and what they ask for ------------------------------------------------------


def log_in(base: str, email: str, password: str = PASSWORD) -> dict[str, Any]:
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    answer = session.post(base + "/api/v1/session", json={"email": email, "password": password},
                          timeout=60)
    if answer.status_code != 200:
        raise Missing(f"logging in {email} answered {answer.status_code}: {answer.text[:300]}")
    me = session.get(base + "/api/v1/me", timeout=60).json()["member"]
    # A page first, as a browser shows one after logging in: its forms put their CSRF
    # token in the session. The clients under load keep the cookie as it stands now,
    # so without it every page with a form re-signed and sent the session cookie
    # (an eighth of a QIP page's server CPU), which a browser, keeping it, would not.
    session.get(base + "/", timeout=60).raise_for_status()
    return {"email": email, "member_id": me["id"], "team_id": me.get("team_id"),
            "cookies": session.cookies.get_dict(), "http": session}


def _all(http: requests.Session, url: str, key: str, pages: int = 5) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for page in range(pages):
        answer = http.get(url, params={"limit": 100, "offset": page * 100}, timeout=120)
        if answer.status_code != 200:
            raise Missing(f"GET {url} answered {answer.status_code}: {answer.text[:300]}")
        rows = answer.json()[key]
        found += rows
        if len(rows) < 100:
            break
    return found


def add_people(env: dict[str, str], members: list[tuple[str, str]], organisers: list[str]
               ) -> None:
    """Members (e-mail, team name) and organisers who can log in, by ``community add-user``
    (one process for all of them)."""
    calls = [["add-user", "--email", email, "--name", f"Load Tester {i}", "--role",
              "lung_cancer_nurse_specialist", "--team", team, "--password", PASSWORD]
             for i, (email, team) in enumerate(members)]
    calls += [["add-user", "--email", email, "--name", f"Load Organiser {i}", "--role",
               "organiser", "--organiser", "--password", PASSWORD]
              for i, email in enumerate(organisers)]
    script = ("import json, sys\nfrom community.cli import main\n"
              "for call in json.loads(sys.argv[1]):\n"
              "    main(call, standalone_mode=False)\n")
    done = subprocess.run([sys.executable, "-c", script, json.dumps(calls)], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode:
        raise Missing(f"community add-user failed:\n{done.stderr[-2000:]}")


def plan_for(base: str, env: dict[str, str], users: int) -> dict[str, Any]:
    """Who logs in and which ids they ask for, found through the API as a client would."""
    organiser = log_in(base, ORGANISER)
    participant = log_in(base, PARTICIPANT)
    http = organiser["http"]
    active = _all(http, base + "/api/v1/qips?status=active", "qips")
    qips = _all(http, base + "/api/v1/qips", "qips", pages=2)
    measured = [q for q in qips + active if q.get("measures")]
    own: dict[str, dict[str, Any]] = {}  # team id -> its active QIP with a measure
    for qip in active:
        if qip.get("measures") and qip["team_id"] not in own:
            own[qip["team_id"]] = qip
    if participant["team_id"] not in own or len(own) < users:
        raise Missing(f"the store has active QIPs with measures in only {len(own)} teams "
                      f"(the participant's among them: {participant['team_id'] in own}); "
                      f"{users} writers need one team each")
    teams = [t for t in own if t != participant["team_id"]][:users - 1]
    emails = [f"load{i}@example.org" for i in range(1, users)]
    extra_organisers = [f"load-organiser{i}@example.org" for i in range(1, 4)]
    add_people(env, [(e, own[t]["team"]) for e, t in zip(emails, teams, strict=True)], extra_organisers)
    people = [participant, *(log_in(base, e) for e in emails)]
    for person in people:
        qip = own[person["team_id"]]
        person.update(qip_id=qip["id"], measure=qip["measures"][0]["name"])
    mine = {p["member_id"] for p in people}
    members = [m["id"] for m in _all(http, base + "/api/v1/members", "members", pages=3)
               if m["id"] not in mine]
    team_ids = [t["id"] for t in http.get(base + "/api/v1/teams", timeout=60).json()["teams"]]
    charts = [{"id": q["id"], "measure": m["name"]} for q in measured
              for m in q["measures"] if m.get("points")]
    organisers = [organiser, *(log_in(base, e) for e in extra_organisers)]
    strip = ("http",)
    return {"members": [{k: v for k, v in p.items() if k not in strip} for p in people],
            "organisers": [{k: v for k, v in p.items() if k not in strip} for p in organisers],
            "sample": {"member_ids": members, "team_ids": team_ids, "charts": charts}}


# --- measuring --------------------------------------------------------------------------


def first_answer(base: str, plan: dict[str, Any], endpoint: Endpoint) -> tuple[float, str]:
    """Ask once, untimed by locust: milliseconds, and a problem ('' when it answered)."""
    client = Client(10_000, plan, Random("first"))
    client.writes = 5_000  # a value day no client reaches in its run
    path, body = endpoint.build(client)
    session = client.member if endpoint.role == "member" else client.organiser
    started = time.perf_counter()
    answer = requests.request(endpoint.method, base + path, json=body, cookies=session["cookies"],
                              allow_redirects=False, timeout=300)
    took = (time.perf_counter() - started) * 1000
    problem = "" if 200 <= answer.status_code < 300 else (
        f"{endpoint.method} {path} answered {answer.status_code}: {answer.text[:300]}")
    return took, problem


def drive(base: str, plan_file: Path, names: list[str], users: int, seconds: int,
          folder: Path) -> dict[str, Any]:
    """One headless locust run over ``names``; every request's time and the failures."""
    output = folder / "times.json"
    output.unlink(missing_ok=True)
    env = _env(LOAD_PLAN=str(plan_file), LOAD_ENDPOINTS="|".join(names),
               LOAD_OUTPUT=str(output))
    done = subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
         "--headless", "--users", str(users), "--spawn-rate", str(users),
         "--run-time", f"{seconds}s", "--stop-timeout", str(STOP_TIMEOUT), "--host", base,
         "--only-summary", "--loglevel", "WARNING"],
        env=env, cwd=ROOT, capture_output=True, text=True)
    if not output.exists():
        raise Missing(f"locust wrote no times (exit {done.returncode}):\n{done.stderr[-2000:]}")
    found: dict[str, Any] = json.loads(output.read_text())
    return found


def _cpu_of_tree(pid: int) -> Iterator[tuple[Any, Any, list[str]]]:
    """Each live process from ``pid`` down, with its CPU times so far (psutil's) and
    its command line; none when ``pid`` is gone. The bench extra (and the tests)
    install psutil."""
    import psutil

    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    for process in processes:
        try:
            found = process, process.cpu_times(), process.cmdline()
        except psutil.NoSuchProcess:
            continue
        yield found


def server_cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU used so far by ``community serve`` and every process under it, in seconds:
    all of it, and the projection worker's share (not PostgreSQL's server)."""
    used = worker = 0.0
    for _, times, command in _cpu_of_tree(pid):
        used += times.user + times.system
        if command[2:4] == ["community.cli", "worker"]:  # serve's FollowerProcess
            worker += times.user + times.system
    return used, worker


def database_server(url: str) -> int | None:
    """The process id of the PostgreSQL server behind ``url`` (its postmaster, the first
    line of ``postmaster.pid`` in its data directory); None for SQLite, which works
    inside the server's own processes and is counted in their CPU."""
    if not url.startswith("postgresql"):
        return None
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            data = str(conn.scalar(text("SHOW data_directory")))
    finally:
        engine.dispose()
    return int((Path(data) / "postmaster.pid").read_text().split()[0])


def database_cpu_seconds(pid: int) -> float:
    """CPU used so far by the PostgreSQL server ``pid`` and its backends: the live ones,
    and those that ended (the postmaster, ``pid`` itself, has collected their times)."""
    used = 0.0
    for process, times, _ in _cpu_of_tree(pid):
        used += times.user + times.system
        if process.pid == pid:
            used += times.children_user + times.children_system
    return used


def percentile(times: list[float], share: float) -> float:
    """Nearest rank: the time that ``share`` of the requests took at most."""
    ordered = sorted(times)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1))]


def figures(name: str, found: dict[str, Any],
            server_cpu: tuple[float, float] = (0.0, 0.0),
            database_cpu: float | None = None) -> dict[str, Any]:
    times = found["times_ms"].get(name, [])
    seconds = found["seconds"] or 1.0
    failed = found["failures"].get(name, {"count": 0, "example": ""})
    return {"requests": len(times), "errors": failed["count"], "error_example": failed["example"],
            "p50_ms": round(percentile(times, 0.5), 1) if times else None,
            "p95_ms": round(percentile(times, 0.95), 1) if times else None,
            "mean_ms": round(statistics.fmean(times), 1) if times else None,
            "per_second": round(len(times) / seconds, 1), "seconds": round(seconds, 1),
            # the clients' CPU per request, ms (all of it: one endpoint per run)
            "client_cpu_ms": round(1000 * found.get("client_cpu_seconds", 0.0)
                                   / len(times), 2) if times else None,
            # the server's CPU per request, ms: its web processes and projection worker
            # (one endpoint per run), and the worker's share of it
            "server_cpu_ms": round(1000 * server_cpu[0] / len(times), 2)
            if times and server_cpu[0] else None,
            "worker_cpu_ms": round(1000 * server_cpu[1] / len(times), 2)
            if times and server_cpu[0] else None,
            # PostgreSQL's own CPU per request, ms (on the same cores; None on SQLite)
            "database_cpu_ms": round(1000 * database_cpu / len(times), 2)
            if times and database_cpu is not None else None}


def measure(store: str, url: str, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    with serving(url, folder, args.workers, args.threads) as (base, env, server):
        print(f"Serving on {base}; logging in {args.users} people ...", flush=True)
        plan = plan_for(base, env, args.users)
        plan_file = folder / "plan.json"
        plan_file.write_text(json.dumps(plan))
        rows: dict[str, dict[str, Any]] = {}
        chosen = [e for e in ENDPOINTS
                  if e.name == BASELINE or not args.only
                  or any(part in e.name for part in args.only)]
        for endpoint in chosen:
            took, problem = first_answer(base, plan, endpoint)
            rows[endpoint.name] = {"method": endpoint.method, "role": endpoint.role,
                                   "first_ms": round(took, 1), "problem": problem}
            if problem:
                print(f"  ! {problem}", flush=True)
        working = [e.name for e in chosen if not rows[e.name]["problem"]]
        if args.mixed:
            print(f"Driving {len(working)} endpoints together for {args.mixed} s ...", flush=True)
            found = drive(base, plan_file, working, args.users, args.mixed, folder)
            for name in working:
                rows[name].update(figures(name, found))
        else:
            database = database_server(url)
            for name in working:
                print(f"  {name} ...", flush=True)
                before = server_cpu_seconds(server)
                before_db = database_cpu_seconds(database) if database else 0.0
                found = drive(base, plan_file, [name], args.users, args.seconds, folder)
                after = server_cpu_seconds(server)
                used_db = (database_cpu_seconds(database) - before_db) if database else None
                rows[name].update(figures(name, found, (after[0] - before[0],
                                                        after[1] - before[1]), used_db))
    baseline = rows[BASELINE].get("p95_ms")
    for row in rows.values():
        p95 = row.get("p95_ms")
        row["p95_over_baseline"] = round(p95 / baseline, 1) if p95 and baseline else None
    return {"store": store, "events": args.events, "users": args.users,
            "web_processes": args.workers, "threads": args.threads,
            "seconds_each": None if args.mixed else args.seconds, "mixed_seconds": args.mixed,
            "baseline": BASELINE, "measured_at": datetime.now(UTC).isoformat(
                timespec="seconds"), "commit": _commit(), "machine": {
                "cores": os.cpu_count(), "python": platform.python_version()},
            "endpoints": rows}


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True)
    return done.stdout.strip()


# --- the report -------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _cpu(row: dict[str, Any]) -> str:
    if row.get("server_cpu_ms") is None:
        return "—"
    return f"{row['server_cpu_ms']:.1f} ({row['worker_cpu_ms']:.1f})"


def _database_cpu(row: dict[str, Any]) -> str:
    used = row.get("database_cpu_ms")
    return "—" if used is None else f"{used:.1f}"


def table(result: dict[str, Any]) -> str:
    """The Markdown table the README carries."""
    baseline = result["endpoints"][BASELINE].get("p95_ms")
    processes = result.get("web_processes", 1)
    store = result["store"] + (f", {processes} web processes" if processes > 1 else "")
    lines = [f"| endpoint ({store}) | p50 ms | p95 ms | req/s | errors | "
             f"p95 vs /me ({_ms(baseline)} ms) | server CPU ms/request (worker's) | "
             f"PostgreSQL's CPU ms/request | first ms |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, row in result["endpoints"].items():
        ratio = row.get("p95_over_baseline")
        errors = ("not run: " + row["problem"][:60] if row["problem"]
                  else "no answer" if not row.get("requests") else row.get("errors", 0))
        lines.append(f"| {name} | {_ms(row.get('p50_ms'))} | {_ms(row.get('p95_ms'))} | "
                     f"{row.get('per_second', '—')} | {errors} | "
                     f"{'—' if ratio is None else f'{ratio:g}×'} | {_cpu(row)} | "
                     f"{_database_cpu(row)} | {_ms(row['first_ms'])} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--seconds", type=int, default=10, help="Each endpoint's run.")
    parser.add_argument("--mixed", type=int, default=0,
                        help="Instead: one run of this many seconds with every endpoint mixed.")
    parser.add_argument("--only", nargs="+", metavar="PART",
                        help="Only the endpoints whose name holds one of these (e.g. "
                             "progress contacts), beside GET /api/v1/me.")
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2,
                        help="Web processes of `community serve` (above 1: gunicorn).")
    parser.add_argument("--threads", type=int,
                        help="Threads per web process (default: `community serve`'s).")
    parser.add_argument("--events", type=int, default=34_000)
    parser.add_argument("--sqlite-store", type=Path,
                        default=Path(tempfile.gettempdir()) / "community-national-34k.sqlite",
                        help="The kept SQLite store, copied for each run (built when missing).")
    args = parser.parse_args(argv)
    # A stop (timeout, kill) unwinds like Ctrl+C, so the server and PostgreSQL are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    # Only looked for, never imported: locust patches the standard library (gevent).
    if importlib.util.find_spec("locust") is None:
        print("locust is not installed: `make bench` installs it (pip install -e '.[bench]').",
              file=sys.stderr)
        return 2
    stores = ["sqlite", "postgresql"] if args.store == "both" else [args.store]
    RESULTS.mkdir(exist_ok=True)
    failed: list[str] = []
    for store in stores:
        folder = Path(tempfile.mkdtemp(prefix=f"community-load-{store}-"))
        try:
            if store == "sqlite":
                result = measure(store, sqlite_copy(args.sqlite_store, args.events, folder),
                                 folder, args)
            else:
                with postgres_store(args.events) as url:
                    result = measure(store, url, folder, args)
        except Missing as missing:
            print(f"\nThe {store} load benchmark could not run: {missing}", file=sys.stderr)
            failed.append(f"{store}: did not run")
            continue
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        (RESULTS / f"load-{store}.json").write_text(json.dumps(result, indent=2) + "\n")
        print("\n" + table(result) + "\n", flush=True)
        failed += [f"{store}: {name}" for name, row in result["endpoints"].items()
                   if row["problem"] or row.get("errors")]
    if failed:
        print("Failed or with errors: " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

