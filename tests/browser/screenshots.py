"""Screenshots of the main pages with the demo community, to look at after a change.

    PYTHONPATH=. .venv/bin/python -m tests.browser.screenshots [/tmp/screens]

Loads the demo into a temporary store, serves it on a free loopback port, logs in
as the demo organiser in Chromium and saves a full-page PNG of each page.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from community import Community
from community.demo import DEMO_PASSWORD, ORGANISER_EMAIL, PARTICIPANT_EMAIL, load_demo
from config import Settings
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, OFF_SITE
from tests.browser.helpers import log_in
from web import create_app


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        community = Community(Settings(database_url=f"sqlite:///{folder}/demo.sqlite",
                                       secret_key="screens", testing=True),
                              today=lambda: date(2013, 9, 30))
        load_demo(community)
        server = make_server("127.0.0.1", 0, create_app(community.settings, community=community),
                             threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            shoot(base, out)
        finally:
            server.shutdown()
            community.close()


def _snap(page: Page, out: Path, width: int, name: str, slices: int = 3) -> None:
    """The page a screen at a time: name.png, name-2.png, ... (up to slices)."""
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    size = page.viewport_size or {"width": width, "height": 900}
    height = page.evaluate("document.documentElement.scrollHeight")
    for i in range(min(slices, -(-height // size["height"]))):
        top = i * size["height"]
        page.screenshot(path=out / f"{name}{'' if i == 0 else f'-{i + 1}'}.png",
                        full_page=True, clip={
                            "x": 0, "y": top, "width": size["width"],
                            "height": min(size["height"], height - top)})


def shoot(base: str, out: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for who, email, width in (("organiser", ORGANISER_EMAIL, 1280),
                                  ("participant", PARTICIPANT_EMAIL, 1280),
                                  ("mobile", PARTICIPANT_EMAIL, 390)):
            context = browser.new_context(base_url=base, locale="en-GB",
                                          viewport={"width": width, "height": 900})
            context.route(OFF_SITE, lambda route: route.abort("blockedbyclient"))
            page = context.new_page()
            snap = partial(_snap, page, out, width)

            page.goto("/login?next=/directory")
            if who == "organiser":
                page.get_by_label("E-mail address").fill("not-an-email")
                page.get_by_role("button", name="Log in").click()
                page.wait_for_selector(".nhsuk-error-summary")
                snap("login-error")
            log_in(page, email, DEMO_PASSWORD, next_page="/directory")  # login lands on home
            page.wait_for_url("**/directory")
            snap(f"{who}-directory")
            page.locator("table.members a[href^='/teams/']").first.click()
            page.wait_for_url("**/teams/*")
            snap(f"{who}-team")
            page.goto("/qips?key_area=cns_access")
            snap(f"{who}-qips")
            page.locator(".results .nhsuk-card__heading a").first.click()
            page.wait_for_url("**/qips/*")
            snap(f"{who}-qip")
            page.goto("/qips?outcome=improved&status=active")
            page.locator(".results .nhsuk-card__heading a").first.click()
            page.wait_for_url("**/qips/*")
            snap(f"{who}-qip-improving", slices=8)
            page.goto(page.url + "/history")
            snap(f"{who}-qip-history")
            page.goto(page.url.removesuffix("/history") + "/sustainability")
            snap(f"{who}-qip-sustainability")
            for path in ("/follow-ups", "/visits", "/events"):
                page.goto(path)
                snap(f"{who}-{path.strip('/')}")
            if who == "organiser":
                for path in ("/organise", "/organise/pairing", "/organise/outbox",
                             "/organise/reviews", "/organise/follow-ups",
                             "/organise/events/new"):
                    page.goto(path)
                    snap(path.strip("/").replace("/", "-"))
            page.goto("/counterparts")
            snap(f"{who}-counterparts")
            page.goto("/search?q=nurse")
            snap(f"{who}-search")
            page.goto("/sustainability")
            snap(f"{who}-sustainability")
            page.goto("/teams/nowhere")
            snap(f"{who}-404")
            context.close()
        shoot_homes(browser, base, out)
        browser.close()
    print("\n".join(sorted(str(p) for p in out.glob("*.png"))))


def shoot_homes(browser: Any, base: str, out: Path) -> None:
    """Each role's home page, where login lands, and the notifications page, on a
    wide screen and a phone: home-organiser-1280.png, home-participant-390.png, ..."""
    for who, email in (("organiser", ORGANISER_EMAIL), ("participant", PARTICIPANT_EMAIL)):
        for width in (1280, 390):
            context = browser.new_context(base_url=base, locale="en-GB",
                                          viewport={"width": width, "height": 900})
            context.route(OFF_SITE, lambda route: route.abort("blockedbyclient"))
            page = context.new_page()
            page.goto("/login")
            log_in(page, email, DEMO_PASSWORD)
            page.wait_for_url(base + "/")
            page.evaluate("document.fonts.ready.then(() => true)")
            page.screenshot(path=out / f"home-{who}-{width}.png", full_page=True)
            page.goto("/notifications")
            page.screenshot(path=out / f"notifications-{who}-{width}.png", full_page=True)
            context.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/screens"))
