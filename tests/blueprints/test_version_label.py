"""Issue 14, item 2: one numbering people understand. The internal edit counter
(`Blueprint.version`) is kept for scripts but never shown; what is shown is the number of
the version a submission kept, worded by `review.queries.version_label` the same way on the
editor, the review page and the Versions tab.
"""

from datetime import UTC, datetime
from http import HTTPStatus

import pytest
from django.urls import reverse

from blueprints import services
from blueprints.models import Blueprint, BlueprintVersion
from blueprints.review import actions as review_actions
from blueprints.review import queries as review_queries
from tests.blueprints.factories import BlueprintFactory, CardFactory

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
LATER = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)


def words(**given) -> str:
    facts = {
        "state": "draft",
        "counter": 25,
        "number": 3,
        "submitted_counter": 21,
        "submitted_at": WHEN,
        "decided_at": None,
    }
    facts.update(given)
    return review_queries.word_version_label(**facts).text


@pytest.fixture(autouse=True)
def this_year(monkeypatch):
    """The dates above are this year's, so no year is written."""
    monkeypatch.setattr(review_queries.timezone, "localtime", lambda value=None: value or WHEN)


def test_a_draft_never_submitted():
    assert words(number=None, submitted_counter=None, submitted_at=None) == (
        "Draft, never submitted"
    )


def test_a_submitted_version():
    assert words(state="submitted", counter=21) == "Submitted version 3, 2 December"


def test_a_draft_changed_since_it_was_submitted():
    assert words() == "Draft, changed since version 3 was submitted"


def test_a_draft_withdrawn_and_not_changed_yet():
    assert words(counter=21) == "Draft, unchanged since version 3 was submitted"


def test_an_approved_version_is_dated_by_the_approval():
    assert words(state="approved", counter=21, decided_at=LATER) == (
        "Approved version 3, 4 December"
    )


def test_changes_requested_on_a_version():
    assert words(state="changes_requested", counter=21, decided_at=LATER) == (
        "Changes requested on version 3, 4 December"
    )


def test_a_date_of_another_year_says_the_year():
    earlier = datetime(2025, 12, 2, 10, 0, tzinfo=UTC)
    assert words(state="submitted", submitted_at=earlier).endswith("2 December 2025")


# On the pages ---------------------------------------------------------------------------


@pytest.fixture
def blueprint(locality, editor, reviewer):
    """Edited many times (a high counter), submitted twice: version 2 is the one in review."""
    blueprint = BlueprintFactory(locality=locality, title="Welcome walks")
    card = CardFactory(blueprint=blueprint, title="Hears of it")
    for n in range(4):
        card.refresh_from_db()
        services.update_card(card=card, expected_version=card.version, by=editor, title=f"T{n}")
    review_actions.submit(blueprint=blueprint, by=editor)
    review_actions.request_changes(blueprint=blueprint, by=reviewer, note="More.")
    card.refresh_from_db()
    services.update_card(card=card, expected_version=card.version, by=editor, title="Final")
    review_actions.submit(blueprint=blueprint, by=editor)
    return Blueprint.objects.get(pk=blueprint.pk)


def to(name, blueprint):
    return reverse(f"blueprints:{name}", args=[blueprint.locality.slug, blueprint.pk])


def label_of(blueprint) -> str:
    return review_queries.version_label(blueprint).text


def test_the_label_names_the_submitted_version_not_the_counter(blueprint):
    assert blueprint.version > 2
    assert label_of(blueprint).startswith("Submitted version 2, ")


@pytest.mark.parametrize("page", ["detail", "review", "versions"])
def test_the_label_is_the_same_on_the_editor_review_page_and_versions_tab(
    client_for, viewer, blueprint, page
):
    response = client_for(viewer).get(to(page, blueprint))
    assert response.status_code == HTTPStatus.OK
    assert f'<span class="bp-version-label">{label_of(blueprint)}</span>' in response.text


def test_the_editor_keeps_the_counter_for_scripts_out_of_sight(client_for, editor, blueprint):
    html = client_for(editor).get(to("detail", blueprint)).text
    assert f'<span hidden><span id="bp-version">{blueprint.version}</span></span>' in html
    assert f"Version {blueprint.version}<" not in html


def test_the_review_history_says_which_submitted_version_each_move_acted_on(
    client_for, reviewer, blueprint
):
    moves = {
        (move.from_state, move.to_state, move.version_text)
        for move in client_for(reviewer).get(to("review", blueprint)).context["transitions"]
    }
    assert moves == {
        ("draft", "submitted", "version 1"),
        ("submitted", "changes_requested", "on version 1"),
        ("changes_requested", "submitted", "version 2"),
    }


def test_the_review_page_shows_no_edit_counter(client_for, reviewer, blueprint):
    html = client_for(reviewer).get(to("review", blueprint)).text
    assert f"version {blueprint.version})" not in html
    assert "(on version 1)" in html


def test_withdrawn_and_edited_the_label_says_changed_since(editor, blueprint):
    review_actions.withdraw(blueprint=blueprint, by=editor)
    assert label_of(Blueprint.objects.get(pk=blueprint.pk)) == (
        "Draft, unchanged since version 2 was submitted"
    )
    card = blueprint.cards.get()
    services.update_card(card=card, expected_version=card.version, by=editor, title="Again")
    assert label_of(Blueprint.objects.get(pk=blueprint.pk)) == (
        "Draft, changed since version 2 was submitted"
    )


def test_a_restore_snapshot_is_not_taken_for_a_submission(blueprint):
    BlueprintVersion.objects.create(
        blueprint=blueprint,
        number=3,
        data={},
        blueprint_version=blueprint.version,
        reason="restored from version 1",
    )
    assert label_of(blueprint).startswith("Submitted version 2, ")


def test_the_label_costs_one_query_however_many_versions(
    blueprint, editor, reviewer, django_assert_num_queries
):
    with django_assert_num_queries(1):
        label_of(blueprint)
    for _ in range(5):
        review_actions.request_changes(blueprint=blueprint, by=reviewer, note="Again.")
        review_actions.submit(blueprint=blueprint, by=editor)
    fresh = Blueprint.objects.get(pk=blueprint.pk)
    with django_assert_num_queries(1):
        assert label_of(fresh).startswith("Submitted version 7")
