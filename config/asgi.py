"""The ASGI application: Django's pages over HTTP, and the live editor's WebSocket
(blueprints.live.routing) through Channels. Served by daphne: `runserver` (daphne is first
in INSTALLED_APPS) and config/Procfile in production.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django first: the routing below imports models.
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from blueprints.live.routing import websocket_application  # noqa: E402

application = ProtocolTypeRouter({"http": django_asgi_app, "websocket": websocket_application})
