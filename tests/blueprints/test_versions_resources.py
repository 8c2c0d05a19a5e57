"""Versions and history carry the community resources cards and prototypes name (issue
15): a snapshot holds them by name, a comparison says "Space: Library → Church hall", a
restore finds them by id or else by name and leaves one deleted since empty, saying so."""

from datetime import time
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blueprints.interchange.json_export import export_document, strip_ids
from blueprints.models import Blueprint, Card
from blueprints.review import actions as review_actions
from blueprints.selectors import history_for
from blueprints.versions import restore
from blueprints.versions.diff import diff_versions
from localities.models import Opening, Space
from tests.blueprints.factories import (
    BlueprintFactory,
    CardFactory,
    PrototypeFactory,
    with_review_state,
)
from tests.localities.factories import PartnerFactory, SpaceFactory, VolunteerRoleFactory

pytestmark = pytest.mark.django_db


def name(card: Card, **values) -> Card:
    """Name resources on the card with a save that the history records (the card services
    take these in another slice)."""
    card = Card.objects.get(pk=card.pk)
    for field, value in values.items():
        setattr(card, field, value)
    card.save()
    return card


@pytest.fixture
def library(locality):
    return SpaceFactory(locality=locality, name="Library")


@pytest.fixture
def hall(locality):
    return SpaceFactory(locality=locality, name="Church hall")


@pytest.fixture
def guide(locality):
    return VolunteerRoleFactory(locality=locality, name="Welcome walk guide")


@pytest.fixture
def blueprint(locality, editor, library, guide):
    """Version 1: the walk happens at the library, by the guide, for 3 hours a week."""
    blueprint = BlueprintFactory(locality=locality, title="Welcome walks")
    walk = CardFactory(blueprint=blueprint, title="Walks to the group")
    name(walk, space=library, volunteer_role=guide, volunteer_hours=Decimal("3.0"))
    PrototypeFactory(blueprint=blueprint, title="Ten walks").spaces.set([library])
    review_actions.submit(blueprint=blueprint, by=editor)
    with_review_state(blueprint, Blueprint.ReviewState.DRAFT)
    return blueprint


def walk_of(blueprint) -> Card:
    return Card.objects.get(blueprint=blueprint, title="Walks to the group")


def second_version(blueprint, editor, **values):
    name(walk_of(blueprint), **values)
    review_actions.submit(blueprint=blueprint, by=editor)
    with_review_state(blueprint, Blueprint.ReviewState.DRAFT)
    return blueprint.versions.get(number=2)


def test_a_snapshot_holds_the_resources_by_name_with_their_ids(blueprint, library, guide):
    data = blueprint.versions.get(number=1).data
    (space,) = data["resources"]["spaces"]
    assert (space["name"], space["id"]) == ("Library", library.pk)
    (card,) = data["cards"]
    assert card["space"] == space["ref"]
    assert data["resources"]["volunteer_roles"][0]["id"] == guide.pk
    assert card["volunteer_hours"] == "3.0"


# Comparing ----------------------------------------------------------------------------------


def test_a_comparison_names_the_space_a_card_moved_to(blueprint, editor, hall):
    second = second_version(blueprint, editor, space=hall)
    diff = diff_versions(blueprint.versions.get(number=1).data, second.data)
    (change,) = diff.cards_changed
    assert [(f.label, f.old_text, f.new_text) for f in change.fields] == [
        ("Space", "Library", "Church hall")
    ]


def test_a_comparison_names_a_volunteer_role_and_hours_taken_off(blueprint, editor):
    second = second_version(blueprint, editor, volunteer_role=None, volunteer_hours=None)
    diff = diff_versions(blueprint.versions.get(number=1).data, second.data)
    (change,) = diff.cards_changed
    assert [(f.label, f.old_text, f.new_text) for f in change.fields] == [
        ("Volunteer role", "Welcome walk guide", "(none)"),
        ("Volunteer hours", "3.0", "(none)"),
    ]


def test_a_resource_that_only_changes_its_ref_is_no_change(blueprint, editor, locality):
    """An added space named before the library ("Art room") shifts the refs, not the card."""
    art = SpaceFactory(locality=locality, name="Art room")
    blueprint.prototypes.get().spaces.add(art)
    review_actions.submit(blueprint=blueprint, by=editor)
    diff = diff_versions(
        blueprint.versions.get(number=1).data, blueprint.versions.get(number=2).data
    )
    assert diff.cards_changed == []
    (change,) = diff.prototypes.changed
    assert [(f.label, f.old_text, f.new_text) for f in change.fields] == [
        ("Spaces", "Library", "Art room; Library")
    ]


def test_the_compare_page_shows_the_space_from_and_to(client_for, viewer, blueprint, editor, hall):
    second_version(blueprint, editor, space=hall)
    response = client_for(viewer).get(
        reverse(
            "blueprints:versions-compare",
            kwargs={"slug": blueprint.locality.slug, "pk": blueprint.pk},
        )
        + "?old=1&new=2"
    )
    assert response.status_code == HTTPStatus.OK
    row = response.text.split('<th scope="row">Space</th>')[1].split("</tr>")[0]
    assert "Library" in row
    assert "Church hall" in row


def test_a_snapshot_from_before_resources_compares_as_naming_none(blueprint, editor):
    first = blueprint.versions.get(number=1).data
    older = {**first, "cards": [dict(card) for card in first["cards"]]}
    del older["resources"]
    for card in older["cards"]:
        for field in ("space", "partner", "volunteer_role", "volunteer_hours"):
            del card[field]
    (change,) = diff_versions(older, first).cards_changed
    assert {f.label for f in change.fields} == {"Space", "Volunteer role", "Volunteer hours"}


def test_a_comparison_says_which_resources_the_blueprint_started_naming(blueprint, editor, hall):
    second = second_version(blueprint, editor, space=hall)
    diff = diff_versions(blueprint.versions.get(number=1).data, second.data)
    assert (diff.spaces.added, diff.spaces.removed) == (["Church hall"], [])
    assert not diff.volunteer_roles


def test_a_comparison_shows_a_named_space_whose_details_changed(blueprint, editor, library):
    Space.objects.filter(pk=library.pk).update(hire_cost_per_hour=Decimal("15.00"))
    Opening.objects.create(space=library, day=5, opens=time(10), closes=time(12), out_of_hours=True)
    review_actions.submit(blueprint=blueprint, by=editor)
    diff = diff_versions(
        blueprint.versions.get(number=1).data, blueprint.versions.get(number=2).data
    )
    (change,) = diff.spaces.changed
    assert change.title == "Library"
    assert [(f.label, f.old_text, f.new_text) for f in change.fields] == [
        ("Hire cost per hour", "12.50", "15.00"),
        ("Openings", "(none)", "Saturday 10:00 to 12:00 (out of hours)"),
    ]


def test_the_compare_page_lists_the_resources_named(client_for, viewer, blueprint, editor, hall):
    second_version(blueprint, editor, space=hall)
    response = client_for(viewer).get(
        reverse(
            "blueprints:versions-compare",
            kwargs={"slug": blueprint.locality.slug, "pk": blueprint.pk},
        )
        + "?old=1&new=2"
    )
    section = response.text.split('id="diff-resources"')[1].split("</section>")[0]
    assert "Community resources named" in section
    assert "<strong>+ Added</strong> space: Church hall" in section


# Restoring ----------------------------------------------------------------------------------


def content(document: dict) -> dict:
    stripped = strip_ids(document)
    del stripped["exported_at"], stripped["source"]
    return stripped


def test_a_restore_puts_the_resources_back(blueprint, editor, hall):
    second_version(blueprint, editor, space=hall, volunteer_role=None, volunteer_hours=None)
    blueprint.prototypes.get().spaces.set([hall])

    result = restore.restore_version(version=blueprint.versions.get(number=1), by=editor)

    assert content(export_document(Blueprint.objects.get(pk=blueprint.pk))) == content(
        blueprint.versions.get(number=1).data
    )
    assert result.dropped_resources == []


def test_a_restore_finds_a_renamed_resource_by_its_id(blueprint, editor, library, hall):
    second_version(blueprint, editor, space=hall)
    Space.objects.filter(pk=library.pk).update(name="Central library")

    restore.restore_version(version=blueprint.versions.get(number=1), by=editor)

    assert walk_of(blueprint).space_id == library.pk


def test_a_restore_finds_a_resource_by_its_name_when_its_id_is_gone(
    blueprint, editor, library, locality
):
    library.delete()
    again = SpaceFactory(locality=locality, name="LIBRARY")

    result = restore.restore_version(version=blueprint.versions.get(number=1), by=editor)

    assert walk_of(blueprint).space_id == again.pk
    assert list(blueprint.prototypes.get().spaces.all()) == [again]
    assert result.dropped_resources == []


def test_a_restore_leaves_a_resource_deleted_since_empty_and_says_so(
    blueprint, editor, library, guide
):
    library.delete()

    result = restore.restore_version(version=blueprint.versions.get(number=1), by=editor)

    walk = walk_of(blueprint)
    assert walk.space is None
    assert walk.volunteer_role_id == guide.pk
    assert not blueprint.prototypes.get().spaces.exists()
    assert result.dropped_resources == ["Library (space)"]


def test_a_resource_of_another_locality_with_the_id_is_not_restored(
    blueprint, editor, library, other_locality
):
    """Ids are matched only among the blueprint's own locality's records."""
    library.delete()
    SpaceFactory(locality=other_locality, name="Library")

    result = restore.restore_version(version=blueprint.versions.get(number=1), by=editor)

    assert walk_of(blueprint).space is None
    assert result.dropped_resources == ["Library (space)"]


def test_the_restore_page_says_which_resources_were_left_empty(
    client_for, editor, blueprint, library
):
    library.delete()
    response = client_for(editor).post(
        reverse(
            "blueprints:version-restore",
            kwargs={"slug": blueprint.locality.slug, "pk": blueprint.pk, "number": 1},
        ),
        follow=True,
    )
    assert response.status_code == HTTPStatus.OK
    assert (
        "Deleted since, so left empty on the cards and prototypes that named them: "
        "Library (space)." in response.text
    )


# History ------------------------------------------------------------------------------------


def test_the_history_names_the_space_a_card_moved_to(blueprint, hall):
    name(walk_of(blueprint), space=hall)
    latest = history_for(blueprint)[0]
    assert [(c.field, c.old, c.new) for c in latest.changes] == [
        ("space", "Library", "Church hall")
    ]


def test_the_history_lists_partners_added_to_a_prototype(blueprint, locality):
    school = PartnerFactory(locality=locality, organisation="St Anne's Primary")
    prototype = blueprint.prototypes.get()
    prototype.partners.add(school)
    latest = history_for(blueprint)[0]
    assert [(c.field, c.added) for c in latest.changes] == [("partners", ("St Anne's Primary",))]


def _changes(blueprint, locality, count: int) -> None:
    prototype = blueprint.prototypes.get()
    for i in range(count):
        space = SpaceFactory(locality=locality, name=f"Room {blueprint.pk}-{i}")
        name(walk_of(blueprint), space=space)
        prototype.spaces.add(space)


def test_the_history_reads_as_many_queries_for_many_resource_changes_as_for_few(
    locality, editor, library, guide
):
    small = BlueprintFactory(locality=locality, title="Small")
    large = BlueprintFactory(locality=locality, title="Large")
    for blueprint in (small, large):
        CardFactory(blueprint=blueprint, title="Walks to the group")
        PrototypeFactory(blueprint=blueprint)
    _changes(small, locality, 2)
    _changes(large, locality, 30)
    with CaptureQueriesContext(connection) as few:
        history_for(small)
    with CaptureQueriesContext(connection) as many:
        entries = history_for(large)
    assert len(entries) == 50
    assert len(many) == len(few)
