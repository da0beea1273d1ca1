"""When a test may be skipped: only when someone allows it on purpose.

A skipped test proves nothing, and a missing PostgreSQL or Chromium once hid whole
areas behind a quiet "s". A skip is a failure unless skips are allowed with
ALLOW_SKIPS=1, and never in CI. tests/conftest.py takes the hook from here; this
module imports nothing of the app, so tests/security/test_skips_fail.py can load it
into a separate pytest quickly."""

from __future__ import annotations

import os
from typing import Any

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
ALLOW_SKIPS = os.environ.get("ALLOW_SKIPS", "") == "1" and not IN_CI


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Turn a skip into a failure that says why, unless skips are allowed. Expected
    failures (xfail) are reported as skips by pytest and stay as they are."""
    report = yield
    if report.skipped and not ALLOW_SKIPS and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = (f"{item.nodeid} would have been skipped ({reason}); "
                           "skips fail unless ALLOW_SKIPS=1 is set outside CI")
    return report
