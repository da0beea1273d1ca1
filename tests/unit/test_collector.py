"""Web processes and the projection worker keep start-up's objects out of the
collector's full walks (config/collector.py): gunicorn is told to do it in each
web process, by the file it reads and by `community serve`."""

from __future__ import annotations

import gc
import runpy
from collections.abc import Iterator
from pathlib import Path

import pytest
from gunicorn.config import Config

from config import gunicorn as gunicorn_settings
from config.collector import BATCH_YOUNGEST_EVERY, settle_after_start, settle_for_batch_work

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()  # the rest of the test run collects as before
    gc.set_threshold(*thresholds)


def test_settling_moves_what_exists_out_of_the_collectors_walks(unfrozen: None) -> None:
    made = [{"kept": i} for i in range(1000)]
    assert gc.get_freeze_count() == 0
    settle_after_start()
    assert gc.get_freeze_count() >= len(made)
    # A full collection walks only what came after (the frozen are still counted apart).
    assert len(gc.get_objects()) < gc.get_freeze_count()


def test_a_batch_process_collects_its_youngest_objects_less_often(unfrozen: None) -> None:
    python_s = gc.get_threshold()
    settle_after_start()
    assert gc.get_threshold() == python_s  # serving processes: short pauses
    gc.unfreeze()

    settle_for_batch_work()

    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == (BATCH_YOUNGEST_EVERY, *python_s[1:])


def test_gunicorn_settles_each_web_process_after_loading_the_app(unfrozen: None) -> None:
    # gunicorn reads gunicorn.conf.py from the folder it starts in; `community serve`
    # passes config.gunicorn.settings(). Each sets the hook gunicorn calls once a
    # web process has loaded the app, and gunicorn accepts it as that hook.
    from_file = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["post_worker_init"]
    for hook in (from_file, gunicorn_settings.settings()["post_worker_init"]):
        config = Config()
        config.set("post_worker_init", hook)
        gc.unfreeze()
        config.post_worker_init(None)
        assert gc.get_freeze_count() > 0
