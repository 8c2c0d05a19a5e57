"""The live editor's socket (issue 16): who may open it, what it relays, and that a role
removal closes it. Driven by Channels' WebsocketCommunicator against config.asgi, with the
session cookie a signed-in browser would send."""

import asyncio
from http import HTTPStatus

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.test import Client

from blueprints.live import consumers
from blueprints.live.consumers import (
    CLOSE_BAD_MESSAGE,
    CLOSE_NOT_ALLOWED,
    CLOSE_SIGNED_OUT,
    CLOSE_TOO_MANY,
    PRESENCE_PER_SECOND,
)
from blueprints.services import add_card, update_blueprint, update_card
from config.asgi import application
from localities.models import Membership
from localities.services import change_member_role, remove_member
from tests.blueprints.factories import BlueprintFactory, CardFactory, lane, phase

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1:8000")
WAIT = 3


@pytest.fixture(autouse=True)
def fresh_channel_layer():
    """Each test's event loop gets its own in-memory layer (its queues belong to a loop)."""
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def signed_in(user) -> Client:
    """A browser's session for `user`: its cookie opens sockets, and it can log out."""
    client = Client()
    client.force_login(user)
    return client


def headers_for(user=None, origin=ORIGIN, client=None):
    headers = [origin] if origin else []
    if user is not None or client is not None:
        client = client or signed_in(user)
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return headers


def socket(blueprint, user=None, origin=ORIGIN, client=None):
    return WebsocketCommunicator(
        application, f"/ws/blueprints/{blueprint.pk}/", headers=headers_for(user, origin, client)
    )


async def opened(*communicators) -> list[dict]:
    """Connect each in turn; their welcomes."""
    welcomes = []
    for communicator in communicators:
        assert (await communicator.connect(timeout=WAIT))[0]
        welcomes.append(await communicator.receive_json_from(WAIT))
        assert welcomes[-1]["type"] == "welcome"
    return welcomes


async def stays_open(communicator, quiet=0.3) -> bool:
    """Whether the socket is still open once it has been quiet for `quiet` seconds (what it
    sends meanwhile, presence, is read and passed over)."""
    while not await communicator.receive_nothing(quiet):
        if (await communicator.receive_output(WAIT))["type"] == "websocket.close":
            return False
    return True


async def log_out(client):
    response = await database_sync_to_async(client.post)("/accounts/logout/")
    assert response.status_code == HTTPStatus.FOUND


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


def test_logging_out_closes_that_sessions_sockets_on_every_blueprint(blueprint, editor):
    other_blueprint = BlueprintFactory(locality=blueprint.locality, title="Stay and play")
    browser = signed_in(editor)
    first = socket(blueprint, client=browser)
    second = socket(other_blueprint, client=browser)

    async def run():
        await opened(first, second)
        await log_out(browser)
        return await first.receive_output(WAIT), await second.receive_output(WAIT)

    closed = {"type": "websocket.close", "code": CLOSE_SIGNED_OUT}
    assert asyncio.run(run()) == (closed, closed)


def test_logging_out_leaves_the_persons_other_signed_in_session_open(blueprint, editor):
    laptop, phone = signed_in(editor), signed_in(editor)
    on_laptop, on_phone = socket(blueprint, client=laptop), socket(blueprint, client=phone)

    async def run():
        await opened(on_laptop, on_phone)
        await log_out(phone)
        closed = await on_phone.receive_output(WAIT)
        still_open = await stays_open(on_laptop)
        await on_laptop.disconnect()
        return closed, still_open

    closed, still_open = asyncio.run(run())
    assert closed == {"type": "websocket.close", "code": CLOSE_SIGNED_OUT}
    assert still_open is True


def test_logging_out_closes_a_socket_whose_session_has_ended(blueprint, editor):
    laptop, phone = signed_in(editor), signed_in(editor)
    on_laptop = socket(blueprint, client=laptop)

    async def run():
        await opened(on_laptop)
        await database_sync_to_async(laptop.session.delete)()  # the session expired or was cut
        await log_out(phone)
        return await on_laptop.receive_output(WAIT)

    assert asyncio.run(run()) == {"type": "websocket.close", "code": CLOSE_SIGNED_OUT}


def test_logging_out_leaves_other_peoples_sockets_open(blueprint, editor, viewer):
    browser = signed_in(editor)
    mine, theirs = socket(blueprint, client=browser), socket(blueprint, viewer)

    async def run():
        await opened(theirs, mine)
        await log_out(browser)
        await mine.receive_output(WAIT)  # closed
        still_open = await stays_open(theirs)
        await theirs.disconnect()
        return still_open

    assert asyncio.run(run()) is True


def test_presence_tells_apart_two_people_who_share_a_name(blueprint, viewer, editor):
    viewer.first_name, viewer.last_name = "Sam", "Okoro"
    viewer.save()
    editor.first_name, editor.last_name = "Sam", "Okoro"
    editor.save()
    first, second = socket(blueprint, viewer), socket(blueprint, editor)

    async def run():
        welcomes = await opened(first, second)
        arrived = await next_of(first, lambda m: m["type"] == "presence")
        await first.disconnect()
        await second.disconnect()
        return welcomes, arrived

    (viewers, editors), arrived = asyncio.run(run())
    assert viewers["person"] != editors["person"]
    assert arrived["who"]["name"] == "Sam Okoro"
    assert arrived["who"]["person"] == editors["person"]


def test_presence_names_one_person_in_two_tabs_alike(blueprint, editor):
    browser = signed_in(editor)
    tab, other_tab = socket(blueprint, client=browser), socket(blueprint, client=browser)

    async def run():
        welcomes = await opened(tab, other_tab)
        arrived = await next_of(tab, lambda m: m["type"] == "presence")
        await tab.disconnect()
        await other_tab.disconnect()
        return welcomes, arrived

    (first, second), arrived = asyncio.run(run())
    assert first["person"] == second["person"]
    assert first["id"] != second["id"]  # two sockets: each leaves on its own
    assert arrived["who"]["person"] == first["person"]


def test_presence_key_is_per_blueprint_and_not_the_user_id(blueprint, editor):
    other_blueprint = BlueprintFactory(locality=blueprint.locality, title="Stay and play")
    browser = signed_in(editor)
    here, there = socket(blueprint, client=browser), socket(other_blueprint, client=browser)

    async def run():
        welcomes = await opened(here, there)
        await here.disconnect()
        await there.disconnect()
        return welcomes

    here_welcome, there_welcome = asyncio.run(run())
    assert here_welcome["person"] != there_welcome["person"]
    assert str(editor.pk) != here_welcome["person"]


def test_presence_within_the_rate_is_relayed(blueprint, viewer, editor):
    watcher, sender = socket(blueprint, viewer), socket(blueprint, editor)

    async def run():
        await opened(watcher, sender)
        await next_of(watcher, lambda m: m["type"] == "presence")  # the editor arrived
        for n in range(PRESENCE_PER_SECOND):
            await sender.send_json_to({"type": "idle" if n % 2 else "here"})
        relayed = [await next_of(watcher, lambda m: m["type"] == "presence") for _ in range(10)]
        still_open = await stays_open(sender)
        await watcher.disconnect()
        await sender.disconnect()
        return relayed, still_open

    relayed, still_open = asyncio.run(run())
    assert [m["who"]["activity"] for m in relayed] == ["here", "idle"] * 5
    assert still_open is True


def test_presence_faster_than_the_rate_closes_the_socket(blueprint, editor):
    sender = socket(blueprint, editor)

    async def run():
        await opened(sender)
        for _ in range(PRESENCE_PER_SECOND * 2):
            await sender.send_json_to({"type": "here"})
        while (output := await sender.receive_output(WAIT))["type"] != "websocket.close":
            pass
        return output

    assert asyncio.run(run()) == {"type": "websocket.close", "code": CLOSE_TOO_MANY}


@pytest.fixture
def card_id_reads(monkeypatch):
    """How many times a socket has read the blueprint's card ids."""
    reads = []
    read = consumers.card_ids_of

    def counted(blueprint_id):
        reads.append(blueprint_id)
        return read(blueprint_id)

    monkeypatch.setattr(consumers, "card_ids_of", counted)
    return reads


async def editing_seen(sender, watcher, card_id):
    """Send "editing card_id"; the card the watcher is told of (None: not of this blueprint)."""
    await sender.send_json_to({"type": "editing", "card": card_id})
    await sender.send_json_to({"type": "here"})  # after it, so the next ask starts clean
    editing = await next_of(watcher, lambda m: m["type"] == "presence")
    await next_of(watcher, lambda m: m["type"] == "presence")
    return editing["who"]["card"]


def test_editing_presence_reads_the_card_ids_once_until_a_change(
    blueprint, viewer, editor, card_id_reads
):
    cards = [CardFactory(blueprint=blueprint) for _ in range(3)]
    watcher, sender = socket(blueprint, viewer), socket(blueprint, editor)

    async def run():
        await opened(watcher, sender)
        await next_of(watcher, lambda m: m["type"] == "presence")
        named = [await editing_seen(sender, watcher, card.pk) for card in cards]
        reads_before_change = len(card_id_reads)
        await database_sync_to_async(update_card)(
            card=cards[0], expected_version=cards[0].version, by=editor, title="Changed"
        )
        await next_of(sender, lambda m: m["type"] == "changed")
        named.append(await editing_seen(sender, watcher, cards[1].pk))
        await watcher.disconnect()
        await sender.disconnect()
        return named, reads_before_change

    named, reads_before_change = asyncio.run(run())
    assert named == [card.pk for card in cards] + [cards[1].pk]
    assert reads_before_change == 1
    assert len(card_id_reads) == 2  # read again after the change notice


def test_a_card_added_since_the_socket_opened_is_named(blueprint, viewer, editor):
    first = CardFactory(blueprint=blueprint)
    where = {"blueprint": blueprint, "phase": phase(blueprint), "lane": lane(blueprint)}
    watcher, sender = socket(blueprint, viewer), socket(blueprint, editor)

    async def run():
        await opened(watcher, sender)
        await next_of(watcher, lambda m: m["type"] == "presence")
        assert await editing_seen(sender, watcher, first.pk) == first.pk  # the ids are read
        added = await database_sync_to_async(add_card)(
            **where, title="Added later", kind="step", by=editor
        )
        await next_of(sender, lambda m: m["type"] == "changed")
        named = await editing_seen(sender, watcher, added.pk)
        await watcher.disconnect()
        await sender.disconnect()
        return added.pk, named

    added, named = asyncio.run(run())
    assert named == added


def test_a_rename_is_broadcast_to_open_sockets(blueprint, viewer, editor):
    communicator = socket(blueprint, viewer)

    async def run():
        await opened(communicator)
        await database_sync_to_async(update_blueprint)(
            blueprint=blueprint, title="Stay and play", by=editor
        )
        message = await communicator.receive_json_from(WAIT)
        await communicator.disconnect()
        return message

    message = asyncio.run(run())
    blueprint.refresh_from_db()
    assert message == {
        "type": "changed",
        "version": blueprint.version,
        "by": editor.get_full_name(),
        "review": False,
    }
