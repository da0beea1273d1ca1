"""Turns to write on a SQLite store (projections/write_turns.py): one writer at a time,
across threads and processes, handed over as soon as the last one ends."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from contextlib import nullcontext
from pathlib import Path

from sqlalchemy import create_engine

from projections.write_turns import write_turns


def test_a_second_thread_waits_for_the_first_to_finish(tmp_path: Path) -> None:
    turn = write_turns(create_engine(f"sqlite:///{tmp_path / 'store.sqlite'}"))
    order: list[str] = []
    holding, let_go = threading.Event(), threading.Event()

    def first() -> None:
        with turn():
            holding.set()
            let_go.wait(5)
            order.append("first ends")

    def second() -> None:
        holding.wait(5)
        with turn():
            order.append("second writes")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    holding.wait(5)
    time.sleep(0.1)  # the second is waiting by now
    assert order == []
    let_go.set()
    for thread in threads:
        thread.join(5)
    assert order == ["first ends", "second writes"]


def test_another_process_waits_for_the_turn_and_gets_it_when_it_ends(tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite"
    turn = write_turns(create_engine(f"sqlite:///{store}"))
    other = [sys.executable, "-c",
             "import sys, time; from sqlalchemy import create_engine; "
             "from projections.write_turns import write_turns; "
             "turn = write_turns(create_engine(sys.argv[1])); print('asking', flush=True); "
             "turn().__enter__(); print(time.time())",
             f"sqlite:///{store}"]
    with turn():
        waiting = subprocess.Popen(other, stdout=subprocess.PIPE, text=True,
                                   cwd=Path(__file__).resolve().parents[2])
        assert waiting.stdout is not None
        assert waiting.stdout.readline() == "asking\n"
        time.sleep(0.5)
        assert waiting.poll() is None  # still waiting for our turn to end
        ending = time.time()
    out, _ = waiting.communicate(timeout=20)
    assert waiting.returncode == 0
    assert float(out) >= ending  # it got the turn once ours ended, not before


def test_a_thread_with_the_turn_may_ask_again(tmp_path: Path) -> None:
    turn = write_turns(create_engine(f"sqlite:///{tmp_path / 'store.sqlite'}"))
    with turn(), turn():
        pass
    with turn():  # and it was let go
        pass


def test_other_stores_need_no_turns(tmp_path: Path) -> None:
    # A store in memory has one connection; PostgreSQL locks rows and wakes its waiters.
    engines = [create_engine("sqlite://"), create_engine("postgresql+psycopg://u@h/db")]
    for engine in engines:
        assert write_turns(engine) is nullcontext
    assert write_turns(create_engine(f"sqlite:///{tmp_path / 'store.sqlite'}")) is not nullcontext
