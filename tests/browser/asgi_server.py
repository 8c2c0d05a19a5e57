"""An ASGI server (daphne) for browser tests that need the live editor's WebSocket, which
pytest-django's WSGI `live_server` cannot serve.

Daphne runs in a thread of the test process (the live bench's `serve_in_thread`: Twisted's
reactor runs once per process, so the bench's test and these share it), so it reads the
test's database as `live_server` does (SQLite's shared in-memory database, or PostgreSQL's
test database), and serves static files through the finders.
"""

import pytest

from blueprints.bench_live import serve_in_thread


@pytest.fixture(scope="session")
def asgi_server_url() -> str:
    url, _loop = serve_in_thread()
    return url
