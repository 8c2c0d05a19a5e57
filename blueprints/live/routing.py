"""The live editor's socket URL (config/asgi.py); see `consumers`."""

from django.urls import path

from blueprints.live.consumers import BlueprintConsumer

websocket_urlpatterns = [
    path("ws/blueprints/<int:pk>/", BlueprintConsumer.as_asgi()),
]
