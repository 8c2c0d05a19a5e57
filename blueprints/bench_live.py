"""Benchmark: live co-editing (issue 16). 50 sockets on one blueprint, 10 edits a second for
30 s, on the local machine.

Daphne serves the app in a thread of this process, as `runserver` would (the in-memory
channel layer, or Redis with REDIS_URL); the sockets are real WebSocket connections from
this process's own event loop (the `websockets` client), signed in as a member of the
team. Each edit is a card update made through the services as a request would make it
(sync code under daphne's event loop), one every 1/rate seconds, each card in turn.

Delivery is the time from just before an edit is made (its write included) to the moment a
socket has its "changed" message. Targets: median under 200 ms, p99 under 1 s, no message
lost (every socket hears of every version), and each client's final grid equal to the
database's: each client asks the catch-up endpoint, once, for everything since the version
it started from, and must be given every card's final title.

`BENCH_LIVE_SECONDS` sets the duration (30 by default); the test runs a short one.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import statistics
import threading
import time
import urllib.request
from typing import TextIO

from channels.db import database_sync_to_async
from channels.routing import ProtocolTypeRouter
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.asgi import get_asgi_application
from django.test import Client
from django.urls import reverse

from blueprints import services
from blueprints.live.changes import token
from blueprints.live.routing import websocket_application
from blueprints.models import Blueprint, Card, Lane
from localities.models import Locality, Membership

SOCKETS = 50
EDITS_PER_SECOND = 10
SECONDS = 30
CARDS = 10
MEDIAN_TARGET_MS = 200
P99_TARGET_MS = 1_000
SETTLE_SECONDS = 5  # how long the last messages may take before they count as lost


@functools.cache
def serve_in_thread() -> tuple[str, asyncio.AbstractEventLoop]:
    """Daphne, in a daemon thread of this process, serving the app (HTTP with static files
    from the finders, and the WebSocket); its URL and event loop. Twisted's reactor runs
    once per process, so this is one server for the process (the browser tests use it too).
    """
    from daphne import server as daphne_server  # installs Twisted's asyncio reactor

    application = ProtocolTypeRouter(
        {
            "http": ASGIStaticFilesHandler(get_asgi_application()),
            "websocket": websocket_application,
        }
    )
    server = daphne_server.Server(
        application=application,
        endpoints=["tcp:port=0:interface=127.0.0.1"],
        signal_handlers=False,
        verbosity=0,
    )
    threading.Thread(target=server.run, name="daphne", daemon=True).start()
    for _ in range(200):
        if server.listening_addresses:
            host, port = server.listening_addresses[0]
            return f"http://{host}:{port}", daphne_server.twisted_loop
        time.sleep(0.05)
    raise RuntimeError("daphne did not start listening")


def _world(cards: int) -> tuple[Blueprint, list[int], str]:
    """A team member, a blueprint with `cards` family cards, and the member's session cookie."""
    locality = Locality.objects.create(name="Live bench", slug="live-bench")
    user = get_user_model().objects.create_user(
        username="live-bench", first_name="Amira", last_name="Khan"
    )
    Membership.objects.create(locality=locality, user=user, role=Membership.Role.EDITOR)
    blueprint = services.create_blueprint(locality=locality, idea=None, title="Live bench", by=None)
    lane = blueprint.lanes.get(role=Lane.Role.FAMILY)
    phase = blueprint.phases.order_by("position").first()
    ids = [
        services.add_card(
            blueprint=blueprint, phase=phase, lane=lane, title=f"Card {n}", kind="step", by=None
        ).pk
        for n in range(cards)
    ]
    client = Client()
    client.force_login(user)
    blueprint.refresh_from_db()
    return blueprint, ids, f"sessionid={client.cookies['sessionid'].value}"


def _edit(card_id: int, n: int) -> int:
    """One edit, as a request makes it; the blueprint's version after it."""
    card = Card.objects.select_related("blueprint").get(pk=card_id)
    user = get_user_model().objects.get(username="live-bench")
    services.update_card(card=card, expected_version=card.version, by=user, title=f"Edit {n}")
    return card.blueprint.version


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _run(
    base: str,
    loop: asyncio.AbstractEventLoop,
    cookie: str,
    blueprint: Blueprint,
    card_ids: list[int],
    catch_up: str,
    sockets: int,
    per_second: float,
    seconds: float,
) -> dict:
    from websockets.asyncio.client import connect

    uri = base.replace("http://", "ws://") + f"/ws/blueprints/{blueprint.pk}/"
    connections = [
        await connect(uri, origin=base, additional_headers={"Cookie": cookie}, max_queue=None)
        for _ in range(sockets)
    ]
    received: list[dict[int, float]] = [{} for _ in connections]

    async def listen(index: int, connection) -> None:
        async for raw in connection:
            message = json.loads(raw)
            if message.get("type") == "changed":
                received[index][message["version"]] = time.perf_counter()

    listeners = [asyncio.create_task(listen(i, c)) for i, c in enumerate(connections)]
    await asyncio.sleep(0.5)  # the presence greetings go round first

    sent: dict[int, float] = {}
    titles: dict[int, str] = {}
    edits = max(1, int(seconds * per_second))
    start = time.perf_counter()
    for n in range(edits):
        await asyncio.sleep(max(0.0, start + n / per_second - time.perf_counter()))
        card_id = card_ids[n % len(card_ids)]
        began = time.perf_counter()
        future = asyncio.run_coroutine_threadsafe(database_sync_to_async(_edit)(card_id, n), loop)
        version = await asyncio.wrap_future(future)
        sent[version] = began
        titles[card_id] = f"Edit {n}"
    deadline = time.perf_counter() + SETTLE_SECONDS
    while time.perf_counter() < deadline and any(
        len(set(sent) & set(got)) < len(sent) for got in received
    ):
        await asyncio.sleep(0.05)
    for connection in connections:
        await connection.close()
    for listener in listeners:
        listener.cancel()

    delivery = [
        (got[version] - began) * 1000
        for got in received
        for version, began in sent.items()
        if version in got
    ]
    lost = len(sent) * len(received) - len(delivery)

    def caught_up() -> bool:
        request = urllib.request.Request(base + catch_up, headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 -- our server
            body = response.read().decode()
        return all(f">{title}</a>" in body for title in titles.values())

    equal = 0
    for _ in connections:
        equal += await asyncio.to_thread(caught_up)
    return {
        "delivery": delivery,
        "lost": lost,
        "messages": len(sent) * len(received),
        "edits": len(sent),
        "equal": equal,
        "final_version": max(sent),
    }


def bench_live(
    stdout: TextIO,
    *,
    sockets: int = SOCKETS,
    per_second: float = EDITS_PER_SECOND,
    seconds: float | None = None,
) -> dict:
    if seconds is None:
        seconds = float(os.environ.get("BENCH_LIVE_SECONDS", SECONDS))
    blueprint, card_ids, cookie = _world(CARDS)
    base, loop = serve_in_thread()
    # What each client asks once the edits are done: everything since it started.
    catch_up = reverse("blueprints:live-changes", args=["live-bench", blueprint.pk]) + (
        f"?since={urllib.request.quote(token(blueprint))}&version={blueprint.version}"
        f"&state={blueprint.review_state}"
    )
    result = asyncio.run(
        _run(base, loop, cookie, blueprint, card_ids, catch_up, sockets, per_second, seconds)
    )
    stored = Blueprint.objects.get(pk=blueprint.pk).version
    median = statistics.median(result["delivery"]) if result["delivery"] else float("inf")
    p99 = _percentile(result["delivery"], 0.99) if result["delivery"] else float("inf")

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "OVER"

    stdout.write(
        f"live editing: {sockets} sockets, {per_second:g} edits a second for {seconds:g} s "
        f"({result['edits']} edits)\n"
        f"  delivery (median)    {median:8.1f} ms   target < {MEDIAN_TARGET_MS} ms   "
        f"{verdict(median < MEDIAN_TARGET_MS)}\n"
        f"  delivery (p99)       {p99:8.1f} ms   target < {P99_TARGET_MS} ms   "
        f"{verdict(p99 < P99_TARGET_MS)}\n"
        f"  messages lost        {result['lost']:8d} of {result['messages']}   target 0   "
        f"{verdict(result['lost'] == 0)}\n"
        f"  final grids equal to the database  {result['equal']} of {sockets}   "
        f"{verdict(result['equal'] == sockets and result['final_version'] == stored)}\n"
    )
    return {**result, "median": median, "p99": p99, "stored_version": stored}
