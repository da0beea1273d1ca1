"""What a separate process runs in the catch-up race: its own Community on the
same store, waiting at a barrier so both processes start catching up together.

A module of its own so a "spawn" child imports only this, not the test module.
"""

from __future__ import annotations

from typing import Any

from tests.integration.network import quiet_community


def catch_up_together(url: str, barrier: Any, batch_size: int, results: Any) -> None:
    app = quiet_community(url)
    try:
        app.views.batch_size = batch_size
        barrier.wait(timeout=60)
        results.put(("read", app.views.catch_up()))
    except BaseException as error:  # reported to the test, which fails with it
        results.put(("error", repr(error)))
    finally:
        app.close()
