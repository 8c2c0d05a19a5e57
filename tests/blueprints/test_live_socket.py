"""The live editor's socket (issue 16): who may open it, what it relays, and that a role
removal closes it. Driven by Channels' WebsocketCommunicator against config.asgi, with the
session cookie a signed-in browser would send."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.test import Client

from blueprints.live.consumers import CLOSE_BAD_MESSAGE, CLOSE_NOT_ALLOWED
from blueprints.services import update_card
from config.asgi import application
from localities.models import Membership
from localities.services import change_member_role, remove_member
from tests.blueprints.factories import CardFactory

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1:8000")
WAIT = 3


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    """Each test's event loop gets its own in-memory layer (its queues belong to a loop)."""
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def headers_for(user=None, origin=ORIGIN):
    headers = [origin] if origin else []
    if user is not None:
        client = Client()
        client.force_login(user)
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return headers


def socket(blueprint, user=None, origin=ORIGIN):
    return WebsocketCommunicator(
        application, f"/ws/blueprints/{blueprint.pk}/", headers=headers_for(user, origin)
    )


def connects(blueprint, user=None, origin=ORIGIN) -> bool:
    communicator = socket(blueprint, user, origin)

    async def run():
        connected, _ = await communicator.connect(timeout=WAIT)
        await communicator.disconnect()
        return connected

    return asyncio.run(run())


def test_anonymous_is_refused(blueprint):
    assert connects(blueprint) is False


def test_member_of_another_locality_is_refused(blueprint, outsider):
    assert connects(blueprint, outsider) is False


def test_removed_member_is_refused(blueprint, editor, lead):
    remove_member(membership=editor.memberships.get(), by=lead)
    assert connects(blueprint, editor) is False


def test_foreign_origin_is_refused(blueprint, editor):
    assert connects(blueprint, editor, origin=(b"origin", b"https://evil.example")) is False


@pytest.mark.parametrize("role", ["viewer", "editor", "lead", "reviewer", "superuser"])
def test_who_may_read_the_blueprint_is_accepted(blueprint, users, role):
    assert connects(blueprint, users[role]) is True


def test_a_write_is_broadcast_to_open_sockets_with_who_made_it(blueprint, viewer, editor):
    editor.first_name, editor.last_name = "Amira", "Khan"
    editor.save()
    card = CardFactory(blueprint=blueprint)
    communicator = socket(blueprint, viewer)

    async def run():
        assert (await communicator.connect(timeout=WAIT))[0]
        assert (await communicator.receive_json_from(WAIT))["type"] == "welcome"
        await database_sync_to_async(update_card)(
            card=card, expected_version=card.version, by=editor, title="Meet at the library"
        )
        message = await communicator.receive_json_from(WAIT)
        await communicator.disconnect()
        return message

    message = asyncio.run(run())
    blueprint.refresh_from_db()
    assert message == {
        "type": "changed",
        "version": blueprint.version,
        "by": "Amira Khan",
        "review": False,
    }


async def next_of(communicator, accept):
    """The next message `accept` takes (with Redis, a state can arrive twice: once as the
    answer to a greeting, once in the group)."""
    while True:
        message = await communicator.receive_json_from(WAIT)
        if accept(message):
            return message


def test_presence_is_broadcast_to_the_others(blueprint, viewer, editor):
    editor.first_name, editor.last_name = "Amira", "Khan"
    editor.save()
    card = CardFactory(blueprint=blueprint)
    first, second = socket(blueprint, viewer), socket(blueprint, editor)

    async def run():
        await first.connect(timeout=WAIT)
        await first.receive_json_from(WAIT)  # welcome
        await second.connect(timeout=WAIT)
        await second.receive_json_from(WAIT)  # welcome
        hello = await next_of(first, lambda m: m["type"] == "presence")  # the editor arrived
        answer = await next_of(second, lambda m: m["type"] == "presence")  # the viewer answered
        await second.send_json_to({"type": "editing", "card": card.pk})
        editing = await next_of(first, lambda m: m["type"] == "presence" and m["who"]["card"])
        await second.disconnect()
        left = await next_of(first, lambda m: m["type"] == "left")
        await first.disconnect()
        return hello, answer, editing, left

    hello, answer, editing, left = asyncio.run(run())
    assert hello["who"]["name"] == "Amira Khan"
    assert hello["who"]["initials"] == "AK"
    assert answer["who"]["name"] == viewer.get_full_name()
    assert editing["who"] == {**hello["who"], "activity": "here", "card": card.pk}
    assert left == {"type": "left", "id": hello["who"]["id"]}


def test_presence_names_only_cards_of_this_blueprint(blueprint, viewer, editor, other_locality):
    foreign = CardFactory(blueprint__locality=other_locality)
    first, second = socket(blueprint, viewer), socket(blueprint, editor)

    async def run():
        await first.connect(timeout=WAIT)
        await first.receive_json_from(WAIT)
        await second.connect(timeout=WAIT)
        await second.receive_json_from(WAIT)
        await next_of(first, lambda m: m["type"] == "presence")
        await second.send_json_to({"type": "editing", "card": foreign.pk})
        await second.send_json_to({"type": "idle"})  # the last word, to wait for
        seen = [await next_of(first, lambda m: m["type"] == "presence")]
        while seen[-1]["who"]["activity"] != "idle":
            seen.append(await next_of(first, lambda m: m["type"] == "presence"))
        await first.disconnect()
        await second.disconnect()
        return seen

    assert all(message["who"]["card"] is None for message in asyncio.run(run()))


@pytest.mark.parametrize("message", ['{"type": "update_card", "card": 1}', "not json", "[1]"])
def test_anything_but_presence_closes_the_socket(blueprint, editor, message):
    communicator = socket(blueprint, editor)

    async def run():
        await communicator.connect(timeout=WAIT)
        await communicator.receive_json_from(WAIT)
        await communicator.send_to(text_data=message)
        return await communicator.receive_output(WAIT)

    assert asyncio.run(run()) == {"type": "websocket.close", "code": CLOSE_BAD_MESSAGE}


def test_removing_the_member_closes_their_socket(blueprint, editor, lead):
    membership = editor.memberships.get()
    communicator = socket(blueprint, editor)

    async def run():
        await communicator.connect(timeout=WAIT)
        await communicator.receive_json_from(WAIT)
        await database_sync_to_async(remove_member)(membership=membership, by=lead)
        return await communicator.receive_output(WAIT)

    assert asyncio.run(run()) == {"type": "websocket.close", "code": CLOSE_NOT_ALLOWED}


def test_a_role_change_that_keeps_access_keeps_the_socket(blueprint, editor, lead):
    membership = editor.memberships.get()
    communicator = socket(blueprint, editor)

    async def run():
        await communicator.connect(timeout=WAIT)
        await communicator.receive_json_from(WAIT)
        await database_sync_to_async(change_member_role)(
            membership=membership, role=Membership.Role.VIEWER, by=lead
        )
        await asyncio.sleep(0.3)
        still_open = await communicator.receive_nothing(0.3)
        await communicator.disconnect()
        return still_open

    assert asyncio.run(run()) is True
