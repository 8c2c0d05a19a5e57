"""The browser bench's server answers as production's gunicorn does, without Nagle's delay
(TCP_NODELAY on each connection): otherwise every kept-alive request waits about 40 ms for
the browser's delayed acknowledgement, and the bench measures that rather than the app."""

import socket

from django.core.servers.basehttp import WSGIRequestHandler

from blueprints.bench_editor_browser import _PlainServerThread


def test_the_bench_server_turns_nagles_algorithm_off_on_each_connection():
    server = _PlainServerThread.server_class(("127.0.0.1", 0), WSGIRequestHandler)
    client = socket.create_connection(server.server_address)
    try:
        connection, _address = server.get_request()
        try:
            assert connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
        finally:
            connection.close()
    finally:
        client.close()
        server.server_close()
