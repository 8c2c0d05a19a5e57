"""The versions pages per role (list, compare, restore), bad query strings, and query counts."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from blueprints import services
from blueprints.models import Blueprint, BlueprintVersion
from blueprints.review import actions as review_actions
from tests.blueprints.factories import BlueprintFactory, CardFactory, fill_grid, with_review_state
from tests.roles import CONTENT_EDITORS, READERS, REFUSED_WRITERS, ROLES, WRITERS

pytestmark = pytest.mark.django_db

OK, FOUND, BAD = HTTPStatus.OK, HTTPStatus.FOUND, HTTPStatus.BAD_REQUEST


@pytest.fixture
def blueprint(locality, editor):
    """Two versions: the second adds a card and renames the first."""
    blueprint = BlueprintFactory(locality=locality, title="Welcome walks")
    first = CardFactory(blueprint=blueprint, title="Sees a poster")
    review_actions.submit(blueprint=blueprint, by=editor)
    with_review_state(blueprint, Blueprint.ReviewState.DRAFT)
    services.update_card(
        card=first, expected_version=first.version, by=editor, title="Sees a leaflet"
    )
    CardFactory(blueprint=blueprint, title="Asks a friend")
    review_actions.submit(blueprint=blueprint, by=editor)
    return blueprint


def url(name, blueprint, **kwargs):
    return reverse(
        f"blueprints:{name}", kwargs={"slug": blueprint.locality.slug, "pk": blueprint.pk, **kwargs}
    )


def compare(blueprint, query="?old=1&new=2"):
    return url("versions-compare", blueprint) + query


def restore(blueprint, number=1):
    return url("version-restore", blueprint, number=number)


PAGES = {
    "versions": lambda bp: url("versions", bp),
    "compare": compare,
    "restore": restore,
}


@pytest.mark.parametrize("page", PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in(client, blueprint, page):
    response = client.get(PAGES[page](blueprint))

    assert response.status_code == FOUND
    assert response.url.startswith(reverse("login"))


def test_an_anonymous_post_to_restore_is_sent_to_log_in_and_restores_nothing(client, blueprint):
    response = client.post(restore(blueprint))

    assert response.status_code == FOUND
    assert blueprint.versions.count() == 2


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["versions", "compare"])
def test_who_reads_the_versions(client_for, users, blueprint, role, page):
    response = client_for(users[role]).get(PAGES[page](blueprint))

    assert response.status_code == READERS[role]


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_restore_confirmation(client_for, users, blueprint, role):
    # Withdrawn first: while submitted, the page opens as the freeze's refusal (issue 14).
    review_actions.withdraw(blueprint=blueprint, by=users["editor"])
    response = client_for(users[role]).get(restore(blueprint))

    assert response.status_code == CONTENT_EDITORS[role]


@pytest.mark.parametrize("role", REFUSED_WRITERS)
def test_those_who_may_not_edit_cannot_restore_and_nothing_changes(
    client_for, users, blueprint, role
):
    before = list(blueprint.cards.values_list("pk", "title"))

    response = client_for(users[role]).post(restore(blueprint))

    assert response.status_code == CONTENT_EDITORS[role]
    assert list(blueprint.cards.values_list("pk", "title")) == before
    assert blueprint.versions.count() == 2


@pytest.mark.parametrize("role", WRITERS)
def test_editors_restore_a_version(client_for, users, editor, blueprint, role):
    # Withdrawn first: a submitted blueprint's content is frozen (issue 14).
    review_actions.withdraw(blueprint=blueprint, by=editor)
    response = client_for(users[role]).post(restore(blueprint), follow=True)

    assert response.status_code == OK
    assert list(blueprint.cards.values_list("title", flat=True)) == ["Sees a poster"]
    assert blueprint.versions.latest("number").reason == "restored from version 1"
    assert "Version 1 restored as the current draft" in response.content.decode()


def test_restoring_an_unknown_version_is_not_found(client_for, editor, blueprint):
    assert client_for(editor).post(restore(blueprint, 9)).status_code == HTTPStatus.NOT_FOUND


def test_the_list_shows_each_version_and_offers_the_last_two(client_for, viewer, blueprint):
    response = client_for(viewer).get(url("versions", blueprint))

    html = response.content.decode()
    assert "Version 1" in html
    assert "Version 2" in html
    assert '<option value="1" selected>' in html
    assert '<option value="2" selected>' in html
    assert "Restore version" not in html


def test_the_list_offers_restore_to_editors(client_for, editor, blueprint):
    response = client_for(editor).get(url("versions", blueprint))

    assert "Restore version 1" in response.content.decode()


def test_the_comparison_shows_added_and_changed_cards_in_words(client_for, viewer, blueprint):
    html = client_for(viewer).get(compare(blueprint)).content.decode()

    assert "+ Added" in html
    assert "“Asks a friend”" in html
    assert "Changed" in html
    assert "Sees a poster" in html
    assert "Sees a leaflet" in html


def test_the_comparison_shows_removed_cards_in_words(client_for, viewer, blueprint):
    html = client_for(viewer).get(compare(blueprint, "?old=2&new=1")).content.decode()

    assert "− Removed" in html
    assert "“Asks a friend”" in html


@pytest.mark.parametrize(
    "query",
    ["?old=abc&new=2", "?old=1", "?old=1&new=7", "?old=-1&new=2", "?old=99999999999999&new=1"],
)
def test_a_bad_comparison_is_explained_not_an_error(client_for, viewer, blueprint, query):
    response = client_for(viewer).get(compare(blueprint, query))

    assert response.status_code == BAD
    assert 'role="alert"' in response.content.decode()


def test_an_unknown_version_is_named(client_for, viewer, blueprint):
    response = client_for(viewer).get(compare(blueprint, "?old=1&new=7"))

    assert "This blueprint has no version 7." in response.content.decode()


def test_another_blueprints_versions_are_not_shown(client_for, viewer, locality, blueprint):
    other = BlueprintFactory(locality=locality)

    response = client_for(viewer).get(compare(other))

    assert response.status_code == BAD
    assert BlueprintVersion.objects.filter(blueprint=other).count() == 0


def grow(blueprint, editor, versions: int, cards: int) -> None:
    for _ in range(versions):
        with_review_state(blueprint, Blueprint.ReviewState.DRAFT)
        fill_grid(blueprint, cards)
        review_actions.submit(blueprint=blueprint, by=editor)


@pytest.mark.parametrize("page", ["versions", "compare"])
def test_the_query_count_does_not_grow_with_versions_or_cards(
    client_for, viewer, editor, blueprint, page, django_assert_max_num_queries
):
    client = client_for(viewer)
    client.get(PAGES[page](blueprint))  # warm up (sessions, content types)
    with django_assert_max_num_queries(14) as small:
        assert client.get(PAGES[page](blueprint)).status_code == OK
    grow(blueprint, editor, versions=8, cards=60)
    large = compare(blueprint, "?old=1&new=10") if page == "compare" else PAGES[page](blueprint)
    with django_assert_max_num_queries(len(small)):
        response = client.get(large)
    assert response.status_code == OK
    assert "Version 10" in response.text


def test_the_bare_compare_page_compares_the_latest_two(client_for, viewer, blueprint):
    response = client_for(viewer).get(compare(blueprint, query=""))
    assert response.status_code == OK
    assert (response.context["old"].number, response.context["new"].number) == (1, 2)


def test_the_bare_compare_page_says_when_there_is_one_version(client_for, viewer, locality, editor):
    single = BlueprintFactory(locality=locality)
    review_actions.submit(blueprint=single, by=editor)
    response = client_for(viewer).get(compare(single, query=""))
    assert response.status_code == BAD
    assert "until there are two versions" in response.text


def test_blueprint_tabs_link_the_versions(client_for, viewer, blueprint):
    response = client_for(viewer).get(url("text", blueprint))
    assert url("versions", blueprint) in response.text
