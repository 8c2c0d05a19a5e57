"""The live editor's socket: one per open editor page, `/ws/blueprints/<pk>/`.

Access. Opened only by a signed-in person who may read the blueprint, asked of
`Blueprint.objects.visible_to` as every page asks it (members of any role of its locality,
reviewers, superusers); refused otherwise, before the handshake completes. When a person's
role changes or their membership ends (`localities.live.access_changed`), each of their
sockets asks again, with the person read afresh, and closes with `CLOSE_NOT_ALLOWED` if
they may no longer read. Origins are checked in config/asgi.py.

Signing out. Every socket joins its person's group (`localities.live.user_group`); when the
person logs out (`localities.live.signed_out`), the sockets of the session that logged out,
on any blueprint and in any tab, close with `CLOSE_SIGNED_OUT`, and so does any other of
their sockets whose session no longer signs them in. A socket of another session that is
still signed in (the same person on another device) stays open: that page is still theirs.
static/js/editor/live.js then stops reconnecting and says the person has signed out.

What a client may send: presence only ("here", "editing" a card of this blueprint or none,
"idle"), at most `PRESENCE_PER_SECOND` a second (a burst of that many, then that many a
second). Anything else closes the socket with `CLOSE_BAD_MESSAGE`, and a faster sender is
closed with `CLOSE_TOO_MANY` (the page's own script sends a message only when its state
changes, or once a minute, so only a broken or hostile client gets there; the page
reconnects after its usual back-off). Writes stay on the HTTP endpoints, with their
permission and version checks. "Editing card N" is checked against the blueprint's card ids,
which the socket reads once and again only after a change notice (a card added or deleted),
not on every message.

Presence travels in the blueprint's group, with no registry to keep: a socket that opens
says "hello", every other socket answers it directly with its own state, each change is
sent to the group, and a socket that closes says "leave". So it works the same with one
process (in-memory layer) and with several sharing Redis. Each client keeps the others'
states and forgets one it has not heard from in a while (a process that died says no
"leave"): see static/js/editor/live.js. Each state names its socket (`id`) and its person
(`person`, the same for every tab a person has open on the blueprint, different for two
people who share a name), so a page shows each person once.
"""

from __future__ import annotations

import secrets
import time
from importlib import import_module
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.utils.crypto import salted_hmac

from blueprints.live.broadcast import blueprint_group, display_name
from blueprints.models import Blueprint, Card
from localities.live import user_group

CLOSE_NOT_ALLOWED = 4403
CLOSE_BAD_MESSAGE = 4400
CLOSE_SIGNED_OUT = 4401
CLOSE_TOO_MANY = 4429
PRESENCE_TYPES = {"here", "editing", "idle"}
PRESENCE_PER_SECOND = 10


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


def person_key(blueprint_id: int, user_id: int) -> str:
    """An opaque name for one person on one blueprint: the same in each of their tabs, and
    telling apart two people with one display name, without giving out their user id."""
    return salted_hmac("blueprints.live.person", f"{blueprint_id}:{user_id}").hexdigest()[:16]


def card_ids_of(blueprint_id: int) -> frozenset[int]:
    """The ids of the blueprint's cards (presence names only those)."""
    return frozenset(Card.objects.filter(blueprint_id=blueprint_id).values_list("pk", flat=True))


def still_signed_in(session_key: str | None, user_id: int | None) -> bool:
    """Whether the session, read afresh from its store, still signs in the person."""
    if not session_key or user_id is None:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    return store.get(SESSION_KEY) == str(user_id)


class PresenceRate:
    """At most `per_second` messages a second, after a burst of as many (a token bucket)."""

    def __init__(self, per_second: int = PRESENCE_PER_SECOND) -> None:
        self.per_second = per_second
        self.tokens = float(per_second)
        self.at = time.monotonic()

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.per_second, self.tokens + (now - self.at) * self.per_second)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class BlueprintConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        user = self.scope.get("user")
        self.user_id = user.pk if user is not None and user.is_authenticated else None
        self.blueprint_id = int(self.scope["url_route"]["kwargs"]["pk"])
        self.joined = False
        self.rate = PresenceRate()
        self.card_ids: frozenset[int] | None = None  # read when first needed, and after a change
        session = self.scope.get("session")
        self.session_key = session.session_key if session is not None else None
        if not await database_sync_to_async(may_read)(self.user_id, self.blueprint_id):
            await self.close(code=CLOSE_NOT_ALLOWED)  # before accept: the handshake fails
            return
        self.group = blueprint_group(self.blueprint_id)
        name = display_name(user)
        # An opaque id per socket: clients tell sockets apart without learning channel
        # names or user ids.
        self.state = {
            "id": secrets.token_hex(8),
            "person": person_key(self.blueprint_id, self.user_id),
            "name": name,
            "initials": initials(name),
            "activity": "here",
            "card": None,
        }
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.channel_layer.group_add(user_group(self.user_id), self.channel_name)
        self.joined = True
        await self.accept()
        await self.send_json(
            {"type": "welcome", "id": self.state["id"], "person": self.state["person"]}
        )
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
        if not self.rate.allow():
            await self.close(code=CLOSE_TOO_MANY)
            return
        card = None
        if kind == "editing":
            card = await self.card_of(content.get("card"))
        self.state = {**self.state, "activity": "idle" if kind == "idle" else "here", "card": card}
        await self.channel_layer.group_send(
            self.group, {"type": "presence.update", "state": self.state}
        )

    async def card_of(self, card_id: Any) -> int | None:
        """The card's id if it is a card of this blueprint, else None."""
        if not isinstance(card_id, int) or isinstance(card_id, bool):
            return None
        if self.card_ids is None:
            self.card_ids = await database_sync_to_async(card_ids_of)(self.blueprint_id)
        return card_id if card_id in self.card_ids else None

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
        self.card_ids = None  # a card may have been added or deleted: read them when next needed
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

    async def user_signed_out(self, event: dict[str, Any]) -> None:
        """The person logged out: this session's sockets close at once (its store may not be
        emptied yet); another session's, only if it no longer signs them in."""
        if (self.session_key and event.get("session") == self.session_key) or not (
            await database_sync_to_async(still_signed_in)(self.session_key, self.user_id)
        ):
            await self.close(code=CLOSE_SIGNED_OUT)
