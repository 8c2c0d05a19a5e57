"""The ASGI application: Django's pages over HTTP, and the live editor's WebSocket
(blueprints.live) through Channels. Served by daphne (`runserver`, with daphne first in
INSTALLED_APPS, and config/Procfile in production).

A socket is opened only from one of ALLOWED_HOSTS (the Origin header), with the session's
user (AuthMiddlewareStack); the consumer then decides whether that user may read the
blueprint.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django first: the routing below imports models.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from blueprints.live.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
