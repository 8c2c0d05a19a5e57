"""Playwright against the system Chromium, for journeys a person takes.

Chromium comes from the distribution (/usr/bin/chromium); nothing is downloaded. Locally a
missing browser skips these tests; in CI (CI set) it fails them, so they cannot silently
stop running.
"""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe

from blueprints.bench_editor_browser import CHROMIUM, CHROMIUM_ARGS  # launched as the bench does
from tests.localities.factories import PASSWORD

BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must run the browser tests")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread, which makes Django refuse
    # ORM calls from tests; allow them only while the browser tests run.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_server):
    """Opens pages in fresh browser contexts (separate cookies), closed after the test.

    The pages ask for reduced motion, so Bootstrap's colour transitions are off: axe then
    judges a button's contrast as it is drawn, not halfway through a hover's fade."""
    contexts = []

    def open_page(width: int = 1280, height: int = 900):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            reduced_motion="reduce",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


_axe = Axe()


def assert_accessible(page) -> None:
    """axe-core finds no violation of serious or critical impact on the current page."""
    results = _axe.run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    details = "\n".join(
        f"{v['impact']}: {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        + "".join(f"\n  {n['html'][:120]}: {n.get('failureSummary', '')}" for n in v["nodes"][:3])
        for v in blocking
    )
    assert not blocking, f"{page.url}\n{details}"


def assert_fits_width(page, width: int) -> None:
    """Nothing on the page makes it scroll sideways at this viewport width."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide at {width}px"
