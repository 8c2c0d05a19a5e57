"""The live editor's socket: one per open editor page, `/ws/blueprints/<pk>/`.

Access. Opened only by a signed-in person who may read the blueprint, asked of
`Blueprint.objects.visible_to` as every page asks it (members of any role of its locality,
reviewers, superusers); refused otherwise, before the handshake completes. When a person's
role changes or their membership ends (`localities.live.access_changed`), each of their
sockets asks again, with the person read afresh, and closes with `CLOSE_NOT_ALLOWED` if
they may no longer read. Origins are checked in config/asgi.py.

What a client may send: presence only ("here", "editing" a card of this blueprint or none,
"idle"). Anything else closes the socket with `CLOSE_BAD_MESSAGE`: writes stay on the HTTP
endpoints, with their permission and version checks.

Presence travels in the blueprint's group, with no registry to keep: a socket that opens
says "hello", every other socket answers it directly with its own state, each change is
sent to the group, and a socket that closes says "leave". So it works the same with one
process (in-memory layer) and with several sharing Redis. Each client keeps the others'
states and forgets one it has not heard from in a while (a process that died says no
"leave"): see static/js/editor/live.js.
"""

from __future__ import annotations

import secrets
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth import get_user_model

from blueprints.live.broadcast import blueprint_group, display_name
from blueprints.models import Blueprint, Card
from localities.live import user_group

CLOSE_NOT_ALLOWED = 4403
CLOSE_BAD_MESSAGE = 4400
PRESENCE_TYPES = {"here", "editing", "idle"}


def initials(name: str) -> str:
    words = [word for word in name.replace(".", " ").replace("_", " ").split() if word]
    if len(words) >= 2:
        return (words[0][0] + words[-1][0]).upper()
    return name[:2].upper()


def may_read(user_id: int | None, blueprint_id: int) -> bool:
    """Whether the person, read afresh (so no role cached on an old copy answers), may read
    the blueprint now."""
    if user_id is None:
        return False
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    return Blueprint.objects.visible_to(user).filter(pk=blueprint_id).exists()


def card_of(blueprint_id: int, card_id: Any) -> int | None:
    """The card's id if it is a card of this blueprint (presence names only those)."""
    if not isinstance(card_id, int) or isinstance(card_id, bool):
        return None
    return card_id if Card.objects.filter(pk=card_id, blueprint_id=blueprint_id).exists() else None


class BlueprintConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        self.user_id = user.pk if user is not None and user.is_authenticated else None
        self.blueprint_id = int(self.scope["url_route"]["kwargs"]["pk"])
        self.joined = False
        if not await database_sync_to_async(may_read)(self.user_id, self.blueprint_id):
            await self.close(code=CLOSE_NOT_ALLOWED)  # before accept: the handshake fails
            return
        self.group = blueprint_group(self.blueprint_id)
        name = display_name(user)
        # An opaque id per socket: clients tell sockets apart without learning channel
        # names or user ids.
        self.state = {
            "id": secrets.token_hex(8),
            "name": name,
            "initials": initials(name),
            "activity": "here",
            "card": None,
        }
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.channel_layer.group_add(user_group(self.user_id), self.channel_name)
        self.joined = True
        await self.accept()
        await self.send_json({"type": "welcome", "id": self.state["id"]})
        await self.channel_layer.group_send(
            self.group,
            {"type": "presence.hello", "reply_to": self.channel_name, "state": self.state},
        )

    async def disconnect(self, code: int) -> None:
        if not self.joined:
            return
        self.joined = False
        await self.channel_layer.group_send(
            self.group, {"type": "presence.leave", "id": self.state["id"]}
        )
        await self.channel_layer.group_discard(self.group, self.channel_name)
        await self.channel_layer.group_discard(user_group(self.user_id), self.channel_name)

    # From the client: presence only ---------------------------------------------------

    async def receive_json(self, content: Any, **kwargs) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind not in PRESENCE_TYPES:
            await self.close(code=CLOSE_BAD_MESSAGE)
            return
        card = None
        if kind == "editing":
            card = await database_sync_to_async(card_of)(self.blueprint_id, content.get("card"))
        self.state = {**self.state, "activity": "idle" if kind == "idle" else "here", "card": card}
        await self.channel_layer.group_send(
            self.group, {"type": "presence.update", "state": self.state}
        )

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        if text_data is None or len(text_data) > 1000:
            await self.close(code=CLOSE_BAD_MESSAGE)
            return
        try:
            await super().receive(text_data=text_data, **kwargs)
        except ValueError:  # not JSON
            await self.close(code=CLOSE_BAD_MESSAGE)

    # From the group -----------------------------------------------------------------------

    async def presence_hello(self, event: dict[str, Any]) -> None:
        if event["state"]["id"] == self.state["id"]:
            return
        await self.send_json({"type": "presence", "who": event["state"]})
        await self.channel_layer.send(
            event["reply_to"], {"type": "presence.update", "state": self.state}
        )

    async def presence_update(self, event: dict[str, Any]) -> None:
        if event["state"]["id"] != self.state["id"]:
            await self.send_json({"type": "presence", "who": event["state"]})

    async def presence_leave(self, event: dict[str, Any]) -> None:
        if event["id"] != self.state["id"]:
            await self.send_json({"type": "left", "id": event["id"]})

    async def blueprint_changed(self, event: dict[str, Any]) -> None:
        await self.send_json(
            {
                "type": "changed",
                "version": event["version"],
                "by": event["by"],
                "review": event["review"],
            }
        )

    async def access_recheck(self, event: dict[str, Any]) -> None:
        if not await database_sync_to_async(may_read)(self.user_id, self.blueprint_id):
            await self.close(code=CLOSE_NOT_ALLOWED)
