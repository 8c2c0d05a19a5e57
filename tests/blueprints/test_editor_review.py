"""The review as the team meets it in the editor: state, open comments on cards, the
warning before changing an approved blueprint."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from blueprints.review import actions as review_actions
from blueprints.review import comments as review_comments
from tests.blueprints.factories import CardFactory

pytestmark = pytest.mark.django_db


def editor_page(client, blueprint):
    response = client.get(
        reverse("blueprints:detail", args=[blueprint.locality.slug, blueprint.pk])
    )
    assert response.status_code == HTTPStatus.OK
    return response.text


def test_card_shows_its_open_comments_linking_to_them(client_for, editor, reviewer, blueprint):
    card = CardFactory(blueprint=blueprint, title="Welcome card")
    review_comments.add_comment(
        blueprint=blueprint, by=reviewer, body="Who prints these?", card=card
    )
    review_comments.add_comment(
        blueprint=blueprint, by=reviewer, body="And in which languages?", card=card
    )
    page = editor_page(client_for(editor), blueprint)
    assert "2 comments to answer" in page
    assert f'href="{blueprint.get_absolute_url()}cards/{card.pk}/#card-panel-comments"' in page
    assert f'hx-get="{blueprint.get_absolute_url()}cards/{card.pk}/?at=comments"' in page


def test_the_comment_badge_opens_the_card_panel_at_its_comments(
    client_for, editor, reviewer, blueprint
):
    card = CardFactory(blueprint=blueprint, title="Welcome card")
    review_comments.add_comment(blueprint=blueprint, by=reviewer, body="Who prints?", card=card)
    url = f"{blueprint.get_absolute_url()}cards/{card.pk}/"
    at_comments = client_for(editor).get(url, {"at": "comments"}, headers={"HX-Request": "true"})
    assert 'data-bp-focus="comments"' in at_comments.text
    assert "Who prints?" in at_comments.text
    plain = client_for(editor).get(url, headers={"HX-Request": "true"})
    assert 'data-bp-focus="title"' in plain.text


def test_resolved_comments_are_not_counted(client_for, editor, reviewer, blueprint):
    card = CardFactory(blueprint=blueprint, title="Welcome card")
    comment = review_comments.add_comment(blueprint=blueprint, by=reviewer, body="Done?", card=card)
    review_comments.resolve_comment(comment=comment, by=reviewer)
    assert "to answer" not in editor_page(client_for(editor), blueprint)


def test_editor_header_shows_the_review_state(client_for, viewer, editor, blueprint):
    review_actions.submit(blueprint=blueprint, by=editor)
    page = editor_page(client_for(viewer), blueprint)
    # One label says the state and the submitted version, linked to the review page.
    assert '<span class="bp-version-label">Submitted version 1, ' in page
    assert f'href="/localities/northgate/blueprints/{blueprint.pk}/review/"' in page


def test_editors_are_warned_before_changing_an_approved_blueprint(
    client_for, editor, viewer, reviewer, blueprint
):
    review_actions.submit(blueprint=blueprint, by=editor)
    review_actions.approve(blueprint=blueprint, by=reviewer, note="Ready to prototype.")
    assert "changing it returns it to draft" in editor_page(client_for(editor), blueprint)
    assert "changing it returns it to draft" not in editor_page(client_for(viewer), blueprint)


def test_a_draft_gives_no_warning(client_for, editor, blueprint):
    assert "changing it returns it to draft" not in editor_page(client_for(editor), blueprint)


def test_the_editor_links_every_blueprint_tab(client_for, viewer, blueprint):
    page = editor_page(client_for(viewer), blueprint)
    for name in ("review", "text", "history", "export-json", "export-csv"):
        assert reverse(f"blueprints:{name}", args=[blueprint.locality.slug, blueprint.pk]) in page
