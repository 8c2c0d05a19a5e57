"""Messages to the live editor's sockets (Django Channels), sent once a write has committed.

The live editor itself is in `blueprints.live`; this is the part a locality's writes and
signing out need: telling a person's open sockets that their access changed (a role changed,
a membership ended), so each checks again and closes if it may no longer read, or that they
logged out, so the sockets of that session close. It lives here because `localities`
imports no higher app. A message that cannot be sent (the channel layer is down)
is logged and dropped: the write it follows has committed and stands.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

# A channel layer that does not answer must not hold up the request that made the change.
SEND_TIMEOUT_SECONDS = 2


def user_group(user_id: int) -> str:
    """The group of every open socket of one person."""
    return f"user-{user_id}"


def send_after_commit(group: str, message: dict[str, Any]) -> None:
    """Send `message` to `group` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send_now(group, message))


def send_now(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(_send)(layer, group, message)
    except Exception:  # noqa: BLE001 -- a lost live message must not fail a committed write
        logger.warning("Could not send %s to %s", message.get("type"), group, exc_info=True)


async def _send(layer, group: str, message: dict[str, Any]) -> None:
    await asyncio.wait_for(layer.group_send(group, message), SEND_TIMEOUT_SECONDS)


def access_changed(*, user_id: int) -> None:
    """Ask the person's open sockets to check their access again (see blueprints.live)."""
    send_after_commit(user_group(user_id), {"type": "access.recheck"})


def signed_out(*, user_id: int, session_key: str | None) -> None:
    """Tell the person's open sockets they logged out of `session_key` (see blueprints.live)."""
    send_after_commit(user_group(user_id), {"type": "user.signed_out", "session": session_key})


def close_sockets_on_logout(sender, request, user, **kwargs) -> None:
    """`user_logged_out` receiver (connected in apps.py)."""
    if user is None or user.pk is None:
        return  # logging out when not signed in
    session = getattr(request, "session", None)
    signed_out(user_id=user.pk, session_key=session.session_key if session is not None else None)
