"""Real browser tests: Playwright drives Debian's Chromium against the app on a live server.

Fixtures (pytest-playwright's ``page``, ``context`` and ``new_context`` work as usual):

- ``base_url``: a fresh app on a free loopback port (``tests/conftest.py``'s
  ``live_server``), so ``page.goto("/directory")`` works. Each test has its own store.
- ``network``: the small hand-made community of ``tests/builders.py`` in that store;
  log in with ``tests.browser.helpers.logged_in(page, NINA)`` (password ``PASSWORD``).
- ``plans`` and ``activity``: QIPs and contacts for the library and the dashboard.
- ``demo``: the full demo community, for pages that need many rows: loaded once per
  store and process, and copied for each test.

Every browser context refuses requests that leave 127.0.0.1, so no page depends on
the internet (the NHS.UK fonts fall back to Arial), and a JavaScript error on a page
fails the test. Without /usr/bin/chromium the tests skip, except in CI (``CI=true``),
where they fail: install it with ``apt-get install chromium``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.helpers import MEASURE
from tests.builders import SmallNetwork, add_activity_around_the_funding_end, small_network
from tests.conftest import DemoTemplate, copy_of_demo, load_demo_template, make_community, new_store

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run",
]
# Everything but the app's own server is refused.
OFF_SITE = re.compile(r"^(?!https?://127\.0\.0\.1(:\d+)?(/|$)).*", re.IGNORECASE)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium, never a downloaded one (``playwright install`` has no internet)."""
    if not CHROMIUM.is_file():
        message = (f"Chromium not found at {CHROMIUM}: apt-get install chromium "
                   "(the browser tests need a real browser)")
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM),
            "args": CHROMIUM_ARGS}


class _WholeBodies:
    """WSGI middleware: reads each response whole and closes it before werkzeug sends it.

    When a browser drops a connection (a favicon fetch cancelled by the next click),
    werkzeug's development server can skip closing the response, leaving a file that
    send_from_directory opened to the garbage collector: a ResourceWarning, which this
    project's pytest settings turn into an error in whichever test runs next. Production
    serves with waitress, which closes every response.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = self.app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()


@pytest.fixture
def web_app(web_app: Any) -> Any:
    """The app as tests/conftest.py builds it, its responses read whole (see _WholeBodies)."""
    web_app.wsgi_app = _WholeBodies(web_app.wsgi_app)
    return web_app


@pytest.fixture
def base_url(live_server: str) -> str:
    """The app under test, served on a free loopback port for this test alone."""
    return live_server


@pytest.fixture
def browser_context_args(base_url: str) -> dict[str, Any]:
    """Per test, because base_url is (pytest-playwright's own is per session)."""
    return {"base_url": base_url, "locale": "en-GB", "timezone_id": "Europe/London",
            "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def new_context(new_context: Callable[..., Any]) -> Callable[..., Any]:
    """Every context, however made, refuses requests that leave 127.0.0.1."""

    def make(**kwargs: Any) -> Any:
        context = new_context(**kwargs)
        context.blocked_urls = []  # what the pages tried to fetch from elsewhere

        def refuse(route: Any) -> None:
            context.blocked_urls.append(route.request.url)
            route.abort("blockedbyclient")

        context.route(OFF_SITE, refuse)
        return context

    return make


@pytest.fixture
def page(context: Any) -> Iterator[Any]:
    """A page whose uncaught JavaScript errors fail the test."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert not errors, f"JavaScript errors on the page: {errors}"


# --- data --------------------------------------------------------------------------


@pytest.fixture
def network(community: Any) -> SmallNetwork:
    """Two teams (Northshire, Southmoor), two nurses, a lead and an organiser."""
    return small_network(community)


@pytest.fixture
def plans(community: Any, network: SmallNetwork) -> dict[str, Any]:
    """Two shared QIPs in different key areas, and a draft in each team."""
    shared = community.draft_qip(
        by=network.other_nurse, title="Nurse specialist at every diagnosis",
        key_area="cns_access", aim="Raise the share of patients who meet a CNS at diagnosis "
        "from 61% to 80% by March 2012.", timeframe="October 2011 to March 2012",
        measures=[{"name": "Patients seen by a CNS", "unit": "%", "baseline": 61,
                   "target": 80, "direction": "up"}])
    community.share_qip(shared, shared_on="2011-11-01")
    community.record_progress(shared, by=network.other_nurse, measure="Patients seen by a CNS",
                              value=72, recorded_on="2012-01-01")
    biopsy = community.draft_qip(
        by=network.lead, title="Faster CT-guided biopsy", key_area="pathway_waits",
        aim="Cut the wait for a CT-guided biopsy from 21 to 10 days by June 2012.",
        timeframe="December 2011 to June 2012",
        measures=[{"name": "Days to biopsy", "unit": "days", "baseline": 21, "target": 10,
                   "direction": "down"}])
    community.share_qip(biopsy, shared_on="2011-12-01")
    south_draft = community.draft_qip(by=network.other_nurse, title="Secret southern trial plan",
                                      key_area="clinical_trials")
    return {"shared": shared, "biopsy": biopsy, "south_draft": south_draft}


@pytest.fixture
def active(community: Any, network: SmallNetwork) -> str:
    """Northshire's QIP, accepted and shared, with no values yet."""
    qip_id = community.draft_qip(
        by=network.nurse, title="Nurse specialist at every diagnosis", key_area="cns_access",
        aim="Raise the share of patients who meet a CNS at diagnosis from 61% to 80% by "
            "March 2013.", timeframe="April 2012 to March 2013",
        measures=[{"name": MEASURE, "unit": "%", "baseline": 61, "target": 80,
                   "direction": "up"}])
    community.share_qip(qip_id, shared_on="2012-01-01")
    return str(qip_id)


@pytest.fixture
def activity(community: Any, network: SmallNetwork) -> None:
    """Contacts either side of the funding end (31 March 2012) and an open follow-up."""
    add_activity_around_the_funding_end(community, network)


# The demo loaded once per store in this process, and which template each copy came from.
_demos: dict[str, DemoTemplate] = {}
_copied_from: dict[str, DemoTemplate] = {}


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> str:
    """As tests/conftest.py's, but a test that asks for ``demo`` starts on a copy of the
    demo loaded once per store: a load on PostgreSQL takes minutes, per test it was
    most of the browser tests' time."""
    if "demo" not in request.fixturenames:
        return new_store(request, request.param, tmp_path)
    template = _demos.get(request.param)
    if template is None:
        template = _demos[request.param] = load_demo_template(
            request, request.param, tmp_path_factory.mktemp("browser-demo"), make_community)
    url = copy_of_demo(template, tmp_path)
    _copied_from[url] = template
    return url


@pytest.fixture
def demo(community: Any) -> Any:
    """The demo community: 30 teams, 71 QIPs, two logins (see tests.browser.helpers)."""
    return _copied_from[community.settings.database_url].summary
