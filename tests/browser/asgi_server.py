"""An ASGI server (daphne) for browser tests that need the live editor's WebSocket, which
pytest-django's WSGI `live_server` cannot serve.

Daphne runs in a thread of the test process, so it reads the test's database as
`live_server` does (SQLite's shared in-memory database, or PostgreSQL's test database); it
serves static files through the finders, as `live_server` does. Twisted's reactor runs once
per process, so this is one server for the whole session.
"""

from __future__ import annotations

import threading
import time

import pytest
from channels.routing import ProtocolTypeRouter
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.core.asgi import get_asgi_application


@pytest.fixture(scope="session")
def asgi_server_url():
    from daphne.server import Server  # installs Twisted's asyncio reactor: only when used
    from twisted.internet import reactor

    from config.asgi import application as site

    application = ProtocolTypeRouter(
        {
            "http": ASGIStaticFilesHandler(get_asgi_application()),
            "websocket": site.application_mapping["websocket"],
        }
    )
    server = Server(
        application=application,
        endpoints=["tcp:port=0:interface=127.0.0.1"],
        signal_handlers=False,
        verbosity=0,
    )
    thread = threading.Thread(target=server.run, name="daphne", daemon=True)
    thread.start()
    for _ in range(100):
        if server.listening_addresses:
            break
        time.sleep(0.05)
    else:
        pytest.fail("daphne did not start listening")
    host, port = server.listening_addresses[0]
    yield f"http://{host}:{port}"
    reactor.callFromThread(reactor.stop)
    thread.join(timeout=5)
