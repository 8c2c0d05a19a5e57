"""The live editor's socket (see `consumers`), as config/asgi.py serves it: at
`/ws/blueprints/<pk>/`, opened only from one of ALLOWED_HOSTS (the Origin header), with the
session's user (AuthMiddlewareStack); the consumer then decides whether that user may read
the blueprint."""

from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from blueprints.live.consumers import BlueprintConsumer

websocket_urlpatterns = [
    path("ws/blueprints/<int:pk>/", BlueprintConsumer.as_asgi()),
]

websocket_application = AllowedHostsOriginValidator(
    AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
)
