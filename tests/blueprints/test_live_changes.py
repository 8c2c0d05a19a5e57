"""The live editor's catch-up (issue 16): GET .../<pk>/changes/?since=&version=&state=
answers what changed since the version a client drew, drawn for that reader."""

import json
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from blueprints.live.changes import token
from blueprints.models import Blueprint
from blueprints.review import actions
from blueprints.services import add_phase, delete_card, move_card, update_blueprint, update_card
from tests.blueprints.factories import CardFactory, fill_grid, lane, phase

pytestmark = pytest.mark.django_db


def url(blueprint):
    return reverse("blueprints:live-changes", args=[blueprint.locality.slug, blueprint.pk])


def drawn(blueprint):
    """What a page drawn now would ask with."""
    blueprint.refresh_from_db()
    return {
        "since": token(blueprint),
        "version": blueprint.version,
        "state": blueprint.review_state,
    }


def ask(client, user, blueprint, params):
    client.force_login(user)
    return client.get(url(blueprint), params)


def mode(response) -> str:
    return re.search(r'data-mode="(\w+)"', response.content.decode()).group(1)


def changed_cards(response) -> list[dict]:
    found = re.search(
        r'<script id="bp-live-cards" type="application/json">(.*?)</script>',
        response.content.decode(),
    )
    return json.loads(found.group(1))


def test_anonymous_is_sent_to_log_in(client, blueprint):
    response = client.get(url(blueprint), drawn(blueprint))
    assert response.status_code == HTTPStatus.FOUND
    assert "/accounts/login/" in response["Location"]


def test_another_locality_answers_404(client, blueprint, outsider):
    assert ask(client, outsider, blueprint, drawn(blueprint)).status_code == HTTPStatus.NOT_FOUND


def test_a_missing_token_is_a_bad_request(client, blueprint, viewer):
    response = ask(client, viewer, blueprint, {"since": "yesterday", "version": "x"})
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_nothing_changed_draws_nothing(client, blueprint, viewer):
    CardFactory(blueprint=blueprint, title="Library visit")
    response = ask(client, viewer, blueprint, drawn(blueprint))
    assert response.status_code == HTTPStatus.OK
    assert mode(response) == "cells"
    assert "Library visit" not in response.content.decode()


def test_an_edit_draws_its_cell_and_names_who_made_it(client, blueprint, viewer, editor):
    card = CardFactory(blueprint=blueprint, title="Library visit")
    before = drawn(blueprint)
    update_card(card=card, expected_version=card.version, by=editor, title="Library <walk>")
    response = ask(client, viewer, blueprint, before)
    body = response.content.decode()
    assert mode(response) == "cells"
    assert f'id="cell-{card.phase_id}-{card.lane_id}"' in body
    assert "Library &lt;walk&gt;" in body
    assert changed_cards(response) == [
        {"card": card.pk, "deleted": False, "by": editor.get_full_name()}
    ]
    assert f'data-version="{Blueprint.objects.get().version}"' in body


def test_a_viewer_gets_no_controls_and_an_editor_does(client, blueprint, viewer, editor):
    card = CardFactory(blueprint=blueprint)
    before = drawn(blueprint)
    update_card(card=card, expected_version=card.version, by=editor, title="New title")
    assert "Add card" not in ask(client, viewer, blueprint, before).content.decode()
    assert "Add card" in ask(client, editor, blueprint, before).content.decode()


def test_a_move_draws_the_cell_it_went_to(client, blueprint, viewer, editor):
    card = CardFactory(blueprint=blueprint, title="Library visit")
    before = drawn(blueprint)
    to_phase = phase(blueprint, 1)
    move_card(
        card=card,
        phase=to_phase,
        lane=lane(blueprint),
        position=0,
        expected_version=card.version,
        by=editor,
    )
    body = ask(client, viewer, blueprint, before).content.decode()
    assert f'id="cell-{to_phase.pk}-{card.lane_id}"' in body
    assert "Library visit" in body


def test_a_delete_draws_the_cell_without_the_card(client, blueprint, viewer, editor):
    card = CardFactory(blueprint=blueprint, title="Library visit")
    before = drawn(blueprint)
    delete_card(card=card, expected_version=card.version, by=editor)
    response = ask(client, viewer, blueprint, before)
    body = response.content.decode()
    assert f'id="cell-{card.phase_id}-{card.lane_id}"' in body
    assert "Library visit" not in body
    assert changed_cards(response)[0]["deleted"] is True


def test_a_new_phase_redraws_the_whole_grid(client, blueprint, viewer, editor):
    before = drawn(blueprint)
    add_phase(blueprint=blueprint, name="Follow-up", by=editor)
    response = ask(client, viewer, blueprint, before)
    assert mode(response) == "board"
    assert "Follow-up" in response.content.decode()


def test_a_review_move_reloads_the_page(client, blueprint, viewer, editor):
    before = drawn(blueprint)
    actions.submit(blueprint=blueprint, by=editor)
    assert mode(ask(client, viewer, blueprint, before)) == "reload"


def test_catching_up_after_many_versions_draws_each_change_once(client, blueprint, viewer):
    cards = [CardFactory(blueprint=blueprint, title=f"Card {n}") for n in range(3)]
    before = drawn(blueprint)
    for n, card in enumerate(cards):
        update_card(card=card, expected_version=card.version, by=None, title=f"Changed {n}")
    body = ask(client, viewer, blueprint, before).content.decode()
    assert all(f"Changed {n}" in body for n in range(3))


@pytest.mark.parametrize("size", [5, 200])
def test_catch_up_queries_do_not_grow_with_the_grid(
    client, blueprint, viewer, editor, django_assert_max_num_queries, size
):
    fill_grid(blueprint, size)
    card = CardFactory(blueprint=blueprint)
    before = drawn(blueprint)
    update_card(card=card, expected_version=card.version, by=editor, title="Changed")
    client.force_login(viewer)
    with django_assert_max_num_queries(15):
        response = client.get(url(blueprint), before)
    assert response.status_code == HTTPStatus.OK
    assert "Changed" in response.content.decode()


def test_a_rename_carries_the_new_title_as_text(client, blueprint, viewer, editor):
    before = drawn(blueprint)
    update_blueprint(blueprint=blueprint, title='Walks <b>&</b> "talks"', by=editor)
    body = ask(client, viewer, blueprint, before).content.decode()
    assert 'data-title="Walks &lt;b&gt;&amp;&lt;/b&gt; &quot;talks&quot;"' in body


def test_every_answer_carries_the_title(client, blueprint, viewer):
    body = ask(client, viewer, blueprint, drawn(blueprint)).content.decode()
    assert 'data-title="Welcome walks"' in body
