"""Benchmark: the blueprint editor at 300 cards in a real browser (issue 13's Benchmark).

A live server in the bench's throwaway database serves the app as production does: static
files collected by WhiteNoise's compressed manifest storage (gzip and Brotli copies made
ahead of time) and served by WhiteNoise, pages compressed by GZipMiddleware, and connections
without Nagle's delay, as gunicorn's (`_NoDelayServer`). Chromium (/usr/bin/chromium, driven
by Playwright) opens the editor in a fresh context each time, so every visit is a first
visit with an empty cache, and reports medians of:

- navigation to DOMContentLoaded (the page is interactive: its deferred scripts have run)
  and to load, from Performance Navigation Timing;
- bytes on the wire: transferSize of the page and of every resource it loaded (headers
  included), beside their decoded size;
- a move to settled: from sending a card's move (htmx.ajax, as the page's move buttons post
  it) to the last htmx:afterSettle, with the request's own share (its resource timing,
  request start to response end) and the browser's (first htmx:beforeSwap to settled).

What a move's time goes on (CPU profiles, traces and Chromium's performance metrics of moves
at 300 cards, December 2026). The request: the view's own CPU time (about 35 ms on a quiet
machine; it was more before the move's queries went from 31 to 27 and the emotion curve's
points were made in Python); until the server turned Nagle's algorithm off, also about 40 ms
of waiting for a delayed TCP acknowledgement that gunicorn never pays. The swap: htmx's own
work on the swapped cells and curve, the editor's scripts (a few ms: they touch only what was
swapped) and the focus that core.js puts back on the moved card, which forces style and
layout. That style pass restyled all of <main>'s ~3,800 elements (about 19 ms) while the
status line, version and Undo button were replaced out of band: an insertion into <main>
invalidates its whole subtree in Chromium, because Bootstrap's `legend + *` makes every
insertion a sibling change. They are filled in place (innerHTML) since, and the pass restyles
about 570 elements in 5 ms (a test in tests/blueprints/test_editor_move_queries.py keeps it so).

Targets: interactive under 1.5 s, a move under 150 ms. Run it alone with
`python manage.py bench editor-browser`.
"""

from __future__ import annotations

import os
import socket
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test import override_settings
from django.test.testcases import LiveServerThread
from django.urls import reverse

from blueprints.bench_editor import _blueprint_with_cards
from blueprints.models import Card, Lane
from localities.bench import logged_in_client
from localities.models import Locality, Membership

# The system Chromium and its flags; tests/browser/conftest.py launches it the same way.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CARDS = 300
ITERATIONS = 5
INTERACTIVE_TARGET_MS = 1_500
MOVE_TARGET_MS = 150
WIRE_TARGET_BYTES = 150 * 1024

# What no page of the app loads, left out of the bench's collectstatic: compressing the
# admin's files and Bootstrap's unminified builds and maps takes half a minute, these few
# seconds. Everything a page links to is still collected, hashed and compressed.
UNUSED_STATIC = [
    "admin",
    "*.rtl.*",
    "bootstrap-*",
    "*.esm.*",
    "jquery*",
    "bootstrap.css*",
    "bootstrap.js*",
    "bootstrap.bundle.js*",
    "ext",
    "htmax*",
]


@contextmanager
def production_static(root: Path, ignore: list[str] | None = None) -> Iterator[None]:
    """Static files as production serves them: collected into `root` by WhiteNoise's
    CompressedManifestStaticFilesStorage (what config/settings.py uses with DEBUG off) and
    served by WhiteNoise from there, not from the finders."""
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(
        DEBUG=False,
        STATIC_ROOT=root,
        STORAGES=storages,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        call_command(
            "collectstatic",
            interactive=False,
            verbosity=0,
            ignore_patterns=UNUSED_STATIC if ignore is None else ignore,
        )
        yield


class _NoDelayServer(ThreadedWSGIServer):
    """Django's threaded server with Nagle's algorithm off on each connection (TCP_NODELAY),
    as gunicorn, the production server, sets it on its sockets. Without it, a response on a
    kept-alive connection goes out in several small writes (status line, headers, body), and
    the second waits for the browser's delayed acknowledgement of the first: about 40 ms on
    every request, which no production page pays (measured on this server, December 2026:
    /healthz in 52 ms without, 3 ms with)."""

    def get_request(self):
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


class _PlainServerThread(LiveServerThread):
    """Django's live server without its static-files handler, so that WhiteNoise (in the
    middleware, as in production) answers static files, compressed; and without Nagle's
    delay (`_NoDelayServer`), as gunicorn answers."""

    server_class = _NoDelayServer

    def __init__(self, connections_override):
        super().__init__(
            "127.0.0.1",
            static_handler=lambda media_handler: media_handler.application,
            connections_override=connections_override,
        )


@contextmanager
def live_server() -> Iterator[str]:
    """A threaded server on a free port over the current (test) database; its URL."""
    shared = {
        conn.alias: conn
        for conn in connections.all()
        if conn.vendor == "sqlite" and conn.is_in_memory_db()
    }
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread = _PlainServerThread(shared)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        # The shared connections stay shareable: a request thread of a keep-alive
        # connection can outlive the server and close its connection late, which an
        # unshareable one refuses with an error. The in-memory database goes with the bench.
        thread.terminate()


@contextmanager
def chromium() -> Iterator[object]:
    """The system Chromium through Playwright's sync API (which runs an event loop in this
    thread, so Django's ORM is allowed in it meanwhile, as tests/browser/conftest.py does)."""
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Navigation and resource timings of the page just loaded.
_PAGE_TIMINGS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource");
  const sum = (key) => resources.reduce((total, entry) => total + entry[key], 0);
  return {
    interactive: nav.domContentLoadedEventEnd,
    load: nav.loadEventEnd,
    wire: nav.transferSize + sum("transferSize"),
    decoded: nav.decodedBodySize + sum("decodedBodySize"),
    html_wire: nav.transferSize,
    html_decoded: nav.decodedBodySize,
    resources: resources.length,
  };
}"""

# One move, as the move buttons post it (hx-post to the card's move URL with its version
# and a direction; the server retargets the swap to the cells that changed): from sending
# to the last htmx:afterSettle, with the request's own timing for the server's share.
_MOVE = """async ({url, values, source}) => {
  performance.clearResourceTimings();
  let settled = null;
  let status = null;
  let swapping = null;
  const onSettle = () => { settled = performance.now(); };
  const onRequest = (event) => { status = event.detail.xhr.status; };
  const onSwap = () => { if (swapping === null) swapping = performance.now(); };
  document.body.addEventListener("htmx:afterSettle", onSettle);
  document.body.addEventListener("htmx:afterRequest", onRequest);
  document.body.addEventListener("htmx:beforeSwap", onSwap);
  const start = performance.now();
  try {
    await htmx.ajax("POST", url, {source: document.querySelector(source) || document.body,
                                  values});
    for (let wait = 0; settled === null && wait < 100; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    document.body.removeEventListener("htmx:afterSettle", onSettle);
    document.body.removeEventListener("htmx:afterRequest", onRequest);
    document.body.removeEventListener("htmx:beforeSwap", onSwap);
  }
  const request = performance.getEntriesByType("resource")
    .filter((entry) => entry.name.endsWith(url)).pop();
  return {
    settled: settled === null ? null : settled - start,
    server: request ? request.responseEnd - request.requestStart : null,
    sent: request ? request.responseEnd - start : null,
    swap: swapping === null || settled === null ? null : settled - swapping,
    bytes: request ? request.transferSize : null,
    status,
  };
}"""


@dataclass(frozen=True)
class BrowserFigures:
    """Medians over the iterations."""

    interactive_ms: float
    load_ms: float
    wire_bytes: float
    decoded_bytes: float
    html_wire_bytes: float
    html_decoded_bytes: float
    move_ms: float
    move_server_ms: float
    move_sent_ms: float
    move_swap_ms: float
    move_response_bytes: float
    iterations: int

    def lines(self) -> list[str]:
        def verdict(ok: bool) -> str:
            return "PASS" if ok else "OVER"

        return [
            f"editor in the browser, {self.iterations} first visits, medians:",
            f"  navigation to interactive (DOMContentLoaded) {self.interactive_ms:>8.0f} ms"
            f"   target < {INTERACTIVE_TARGET_MS:,} ms  "
            f"{verdict(self.interactive_ms < INTERACTIVE_TARGET_MS)}",
            f"  navigation to load                          {self.load_ms:>8.0f} ms",
            f"  bytes on the wire (page and resources)      {self.wire_bytes / 1024:>8.1f} KB"
            f"   target < {WIRE_TARGET_BYTES // 1024} KB    "
            f"{verdict(self.wire_bytes < WIRE_TARGET_BYTES)}",
            f"    decoded (uncompressed) size               {self.decoded_bytes / 1024:>8.1f} KB",
            f"    the HTML: {self.html_wire_bytes / 1024:.1f} KB on the wire, "
            f"{self.html_decoded_bytes / 1024:.1f} KB decoded",
            f"  a move to settled (htmx:afterSettle)        {self.move_ms:>8.1f} ms"
            f"   target < {MOVE_TARGET_MS} ms    {verdict(self.move_ms < MOVE_TARGET_MS)}",
            f"    of which the request (server and network) {self.move_server_ms:>8.1f} ms"
            f" (response in {self.move_sent_ms:.1f} ms from sending), swap to settled"
            f" {self.move_swap_ms:.1f} ms; response {self.move_response_bytes / 1024:.1f} KB"
            " on the wire",
        ]


def measure_editor(
    browser, base_url: str, path: str, session: str, card: Card, iterations: int
) -> BrowserFigures:
    """Open the editor `iterations` times, each in a fresh context, and move `card` right
    and back (so the grid stays as it was) once in each."""
    pages, moves = [], []
    version = card.version
    direction = "right"
    move_url = f"{path}cards/{card.pk}/move/"
    for _ in range(iterations):
        context = browser.new_context(base_url=base_url, viewport={"width": 1920, "height": 1080})
        context.set_default_timeout(60_000)
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
        )
        try:
            page = context.new_page()
            response = page.goto(path, wait_until="load")
            if response is None or response.status != 200:
                raise RuntimeError(f"The editor answered {response and response.status}.")
            pages.append(page.evaluate(_PAGE_TIMINGS))
            move = page.evaluate(
                _MOVE,
                {
                    "url": move_url,
                    "values": {"direction": direction, "version": str(version)},
                    "source": f"#card-{card.pk}",
                },
            )
            if move["status"] != 200 or None in move.values():
                raise RuntimeError(f"The move did not settle: {move}.")
            moves.append(move)
            version += 1
            direction = "left" if direction == "right" else "right"
        finally:
            context.close()

    def median(rows: list[dict], key: str) -> float:
        return statistics.median(row[key] for row in rows)

    return BrowserFigures(
        interactive_ms=median(pages, "interactive"),
        load_ms=median(pages, "load"),
        wire_bytes=median(pages, "wire"),
        decoded_bytes=median(pages, "decoded"),
        html_wire_bytes=median(pages, "html_wire"),
        html_decoded_bytes=median(pages, "html_decoded"),
        move_ms=median(moves, "settled"),
        move_server_ms=median(moves, "server"),
        move_sent_ms=median(moves, "sent"),
        move_swap_ms=median(moves, "swap"),
        move_response_bytes=median(moves, "bytes"),
        iterations=iterations,
    )


def run_editor_browser(
    stdout, *, cards: int = CARDS, iterations: int = ITERATIONS, browser=None
) -> BrowserFigures:
    """Build a blueprint of `cards` cards, serve it, and measure it; write the figures.

    `browser` is a launched Playwright browser to use (the browser tests pass theirs);
    without one, the system Chromium is started here."""
    editor = get_user_model().objects.create_user("bench-browser-editor")
    locality = Locality.objects.create(
        name="Bench browser", slug="bench-browser", area="Benchmark council"
    )
    Membership.objects.create(locality=locality, user=editor, role=Membership.Role.EDITOR)
    blueprint = _blueprint_with_cards(locality, cards)
    path = reverse("blueprints:detail", args=[locality.slug, blueprint.pk])
    first = blueprint.phases.order_by("position").first()
    card = Card.objects.filter(
        blueprint=blueprint, phase=first, lane__role=Lane.Role.FAMILY
    ).first()
    session = logged_in_client(editor).cookies[settings.SESSION_COOKIE_NAME].value

    with (
        tempfile.TemporaryDirectory(prefix="bench-static-") as static_root,
        production_static(Path(static_root)),
        live_server() as base_url,
    ):
        if browser is None:
            with chromium() as started:
                figures = measure_editor(started, base_url, path, session, card, iterations)
        else:
            figures = measure_editor(browser, base_url, path, session, card, iterations)
    stdout.write(f"blueprint editor in Chromium, {cards:,} cards")
    for line in figures.lines():
        stdout.write(line)
    return figures


def bench_editor_browser(stdout) -> None:
    if not CHROMIUM.exists():
        stdout.write(f"editor in the browser: skipped, {CHROMIUM} is missing.")
        return
    run_editor_browser(stdout)
