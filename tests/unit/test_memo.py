"""web.kept_pages.Memo: answers kept by key, made once however many threads ask."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from web.kept_pages import Memo


def test_threads_asking_for_the_same_answer_at_once_make_it_once() -> None:
    memo = Memo(keep=4)
    started, release = threading.Event(), threading.Event()
    made: list[int] = []

    def make() -> list[int]:
        made.append(1)
        started.set()
        release.wait(5)
        return [len(made)]

    with ThreadPoolExecutor(8) as pool:
        first = pool.submit(memo.get, "figures", make)
        assert started.wait(5)
        others = [pool.submit(memo.get, "figures", make) for _ in range(7)]
        release.set()
        answers = [first.result(5)] + [f.result(5) for f in others]

    assert made == [1]
    assert all(a is answers[0] for a in answers)


def test_when_the_maker_fails_a_waiting_thread_makes_its_own() -> None:
    memo = Memo(keep=4)
    started, release = threading.Event(), threading.Event()

    def failing() -> str:
        started.set()
        release.wait(5)
        raise RuntimeError("the database went away")

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(memo.get, "figures", failing)
        assert started.wait(5)
        second = pool.submit(memo.get, "figures", lambda: "counted again")
        release.set()
        with pytest.raises(RuntimeError):
            first.result(5)
        assert second.result(5) == "counted again"

    assert memo.get("figures", lambda: "not asked") == "counted again"


def test_only_the_latest_answers_are_kept() -> None:
    memo = Memo(keep=2)
    for key in ("a", "b", "c"):
        memo.get(key, lambda key=key: key.upper())

    assert memo.get("a", lambda: "made again") == "made again"
    assert memo.get("c", lambda: "made again") == "C"
