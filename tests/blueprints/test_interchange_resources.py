"""The JSON file carries the community resources a blueprint names (issue 15): a round trip
into another locality gives back the same file, resources are matched there by name or
created, and a bad resource is a problem at its place in the file that saves nothing."""

import copy
import json
from datetime import date, time
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blueprints.interchange import json_export, json_import
from blueprints.interchange import resources as community
from blueprints.interchange.problems import ImportProblems
from blueprints.interchange.schema import json_schema, parse_document
from blueprints.models import Blueprint, Card, Lane
from localities.models import (
    Contribution,
    Opening,
    Partner,
    Space,
    VolunteerMonth,
    VolunteerRole,
)
from tests.blueprints.factories import BlueprintFactory, CardFactory, PrototypeFactory, lane
from tests.blueprints.test_exports_json import as_upload, import_url
from tests.blueprints.test_interchange_schema import conforms, resolve
from tests.localities.factories import PartnerFactory, SpaceFactory, VolunteerRoleFactory

pytestmark = pytest.mark.django_db


def name_resources(card: Card, *, space=None, partner=None, role=None, hours=None) -> None:
    """Set what a card names directly: the card services take these in another slice."""
    Card.objects.filter(pk=card.pk).update(
        space=space, partner=partner, volunteer_role=role, volunteer_hours=hours
    )


@pytest.fixture
def resources(locality):
    library = SpaceFactory(
        locality=locality,
        name="Northgate Library",
        kind=Space.Kind.LIBRARY,
        area="Town centre",
        hire_cost_per_hour=Decimal("12.50"),
        out_of_hours_staffed_by="Friends of the library",
    )
    Opening.objects.create(space=library, day=1, opens=time(9), closes=time(12))
    Opening.objects.create(space=library, day=3, opens=time(18), closes=time(20), out_of_hours=True)
    hall = SpaceFactory(locality=locality, name="Church hall", kind=Space.Kind.COMMUNITY_HALL)
    school = PartnerFactory(locality=locality, organisation="St Anne's Primary")
    Contribution.objects.create(
        partner=school,
        kind=Contribution.Kind.MONEY,
        value=Decimal("8500.00"),
        status=Contribution.Status.PLEDGED,
        status_on=date(2026, 2, 1),
    )
    Contribution.objects.create(
        partner=school,
        kind=Contribution.Kind.SPACE,
        description="Hall on Friday mornings",
        quantity=Decimal("4"),
        status=Contribution.Status.DELIVERED,
        status_on=date(2026, 3, 1),
    )
    guide = VolunteerRoleFactory(locality=locality, name="Welcome walk guide")
    VolunteerMonth.objects.create(
        role=guide, month=date(2026, 1, 1), interested=6, trained=3, active=3
    )
    VolunteerMonth.objects.create(
        role=guide, month=date(2026, 2, 1), trained=1, active=4, former_users=1, left_time=1
    )
    # Not named by the blueprint: not in its file.
    SpaceFactory(locality=locality, name="Leisure centre")
    return {"library": library, "hall": hall, "school": school, "guide": guide}


@pytest.fixture
def blueprint(locality, resources, editor):
    blueprint = BlueprintFactory(locality=locality, title="Welcome walks", by=editor)
    walk = CardFactory(blueprint=blueprint, title="Walks to the library", by=editor)
    talk = CardFactory(
        blueprint=blueprint,
        lane=lane(blueprint, Lane.Role.FRONTLINE),
        title="Guide greets the family",
        by=editor,
    )
    CardFactory(blueprint=blueprint, title="Goes home", by=editor)
    name_resources(
        walk,
        space=resources["library"],
        partner=resources["school"],
        role=resources["guide"],
        hours=Decimal("4.5"),
    )
    name_resources(talk, space=resources["hall"])
    prototype = PrototypeFactory(blueprint=blueprint, title="Ten walks", cards=[walk])
    prototype.spaces.set([resources["hall"], resources["library"]])
    prototype.volunteer_roles.set([resources["guide"]])
    return blueprint


def comparable(document: dict) -> dict:
    """The file less what names its origin (when, where from, and the idea it is for)."""
    document = copy.deepcopy(document)
    del document["exported_at"], document["source"], document["blueprint"]["idea"]
    return document


def import_into(locality, document: dict) -> json_import.ImportResult:
    return json_import.import_blueprint(
        locality=locality, document=parse_document(json.loads(json.dumps(document))), by=None
    )


# The file ---------------------------------------------------------------------------------


def test_the_file_carries_the_resources_the_blueprint_names_and_only_those(blueprint):
    resources = json_export.export_document(blueprint)["resources"]
    assert [s["name"] for s in resources["spaces"]] == ["Church hall", "Northgate Library"]
    assert [p["organisation"] for p in resources["partners"]] == ["St Anne's Primary"]
    assert [r["name"] for r in resources["volunteer_roles"]] == ["Welcome walk guide"]


def test_a_space_carries_its_openings_a_partner_its_contributions_a_role_its_months(blueprint):
    resources = json_export.export_document(blueprint)["resources"]
    library = resources["spaces"][1]
    assert library["hire_cost_per_hour"] == "12.50"
    assert library["openings"] == [
        {"day": 1, "opens": "09:00", "closes": "12:00", "out_of_hours": False},
        {"day": 3, "opens": "18:00", "closes": "20:00", "out_of_hours": True},
    ]
    money, space = resources["partners"][0]["contributions"]
    assert (money["kind"], money["value"], money["status"]) == ("money", "8500.00", "pledged")
    assert (space["quantity"], space["status_on"]) == ("4.0", "2026-03-01")
    january, february = resources["volunteer_roles"][0]["months"]
    assert (january["month"], january["trained"], january["active"]) == ("2026-01-01", 3, 3)
    assert (february["active"], february["former_users"], february["left_time"]) == (4, 1, 1)


def test_cards_and_prototypes_name_the_resources_by_their_refs_in_the_file(blueprint):
    document = json_export.export_document(blueprint)
    refs = {
        item["ref"]: item.get("name") or item.get("organisation")
        for part in document["resources"].values()
        for item in part
    }
    walk = next(c for c in document["cards"] if c["title"] == "Walks to the library")
    assert refs[walk["space"]] == "Northgate Library"
    assert refs[walk["partner"]] == "St Anne's Primary"
    assert refs[walk["volunteer_role"]] == "Welcome walk guide"
    assert walk["volunteer_hours"] == "4.5"
    home = next(c for c in document["cards"] if c["title"] == "Goes home")
    assert [home[k] for k in ("space", "partner", "volunteer_role", "volunteer_hours")] == [
        None
    ] * 4
    (prototype,) = document["prototypes"]
    assert [refs[ref] for ref in prototype["spaces"]] == ["Church hall", "Northgate Library"]
    assert prototype["partners"] == []
    assert [refs[ref] for ref in prototype["volunteer_roles"]] == ["Welcome walk guide"]


def test_a_real_export_with_resources_conforms_to_the_schema(blueprint):
    schema = json_schema(schema_id="https://blueprint.example.org/schema/blueprint-v1.json")
    document = json_export.export_document(blueprint)
    assert document["resources"]["spaces"]
    assert conforms(document, schema, schema) == []


def test_the_schema_takes_the_resources_choices_from_the_models():
    schema = json_schema(schema_id="https://blueprint.example.org/schema/blueprint-v1.json")
    resources = resolve(schema["properties"]["resources"], schema)["properties"]
    space = resolve(resources["spaces"]["items"], schema)["properties"]
    partner = resolve(resources["partners"]["items"], schema)["properties"]
    assert space["kind"]["enum"] == list(Space.Kind.values)
    assert space["name"]["maxLength"] == Space._meta.get_field("name").max_length
    assert partner["kind"]["enum"] == list(Partner.Kind.values)


# Round trip and matching ------------------------------------------------------------------


def test_export_import_into_another_locality_and_export_gives_the_same_file(
    blueprint, other_locality
):
    exported = json_export.export_document(blueprint)
    imported = import_into(other_locality, exported).blueprint
    assert comparable(json_export.export_document(imported)) == comparable(exported)


def test_an_import_creates_the_resources_the_locality_lacks_in_that_locality(
    blueprint, other_locality
):
    result = import_into(other_locality, json_export.export_document(blueprint))
    assert set(Space.objects.filter(locality=other_locality).values_list("name", flat=True)) == {
        "Church hall",
        "Northgate Library",
    }
    library = Space.objects.get(locality=other_locality, name="Northgate Library")
    assert library.openings.count() == 2
    assert Partner.objects.get(locality=other_locality).contributions.count() == 2
    assert VolunteerRole.objects.get(locality=other_locality).months.count() == 2
    walk = result.blueprint.cards.get(title="Walks to the library")
    assert walk.space == library
    assert walk.volunteer_role.locality == other_locality
    assert walk.volunteer_hours == Decimal("4.5")
    assert result.created_resources == [
        "Church hall (space)",
        "Northgate Library (space)",
        "St Anne's Primary (partner)",
        "Welcome walk guide (volunteer role)",
    ]


def test_an_import_uses_the_localitys_own_resource_of_the_same_name_in_any_case(
    blueprint, other_locality
):
    own = SpaceFactory(
        locality=other_locality, name="NORTHGATE library", hire_cost_per_hour=Decimal("3.00")
    )
    result = import_into(other_locality, json_export.export_document(blueprint))
    walk = result.blueprint.cards.get(title="Walks to the library")
    assert walk.space == own
    assert Space.objects.filter(locality=other_locality).count() == 2  # and the church hall
    own.refresh_from_db()
    assert own.hire_cost_per_hour == Decimal("3.00")  # the site's own details stand
    assert not own.openings.exists()
    assert "Northgate Library (space)" not in result.created_resources
    assert list(result.blueprint.prototypes.get().spaces.order_by("name")) == [
        Space.objects.get(locality=other_locality, name="Church hall"),
        own,
    ]


def test_a_resource_another_import_creates_meanwhile_is_taken_not_a_failure(
    blueprint, other_locality, monkeypatch
):
    """Two imports at once: the other saves the library between this one's lookup and its
    insert, so the insert breaks the unique constraint; this import takes their record."""
    read = community._by_name
    theirs = []

    def read_then_lose_the_race(locality_id, part):
        found = read(locality_id, part)
        if part == "spaces":
            theirs.append(SpaceFactory(locality=other_locality, name="NORTHGATE LIBRARY"))
        return found

    monkeypatch.setattr(community, "_by_name", read_then_lose_the_race)
    result = import_into(other_locality, json_export.export_document(blueprint))

    (library,) = theirs
    walk = result.blueprint.cards.get(title="Walks to the library")
    assert walk.space == library
    assert set(Space.objects.filter(locality=other_locality)) == {
        library,
        Space.objects.get(locality=other_locality, name="Church hall"),
    }
    assert not library.openings.exists()  # their record as they made it
    assert library in result.blueprint.prototypes.get().spaces.all()
    assert result.created_resources == [
        "Church hall (space)",
        "St Anne's Primary (partner)",
        "Welcome walk guide (volunteer role)",
    ]
    assert VolunteerRole.objects.get(locality=other_locality).months.count() == 2


def test_the_import_page_says_which_resources_it_added(client, blueprint, other_locality, outsider):
    client.force_login(outsider)
    response = client.post(
        import_url("riverside"),
        {"file": as_upload(json_export.export_document(blueprint))},
        follow=True,
    )
    assert response.status_code == HTTPStatus.OK
    assert (
        "Added to Riverside&#x27;s community resources from the file, as it had none of that "
        "name: Church hall (space)" in response.content.decode()
    )


def test_a_file_from_before_resources_still_imports(blueprint, other_locality):
    document = json_export.export_document(blueprint)
    del document["resources"]
    for card in document["cards"]:
        for name in ("space", "partner", "volunteer_role", "volunteer_hours"):
            del card[name]
    for prototype in document["prototypes"]:
        for name in ("spaces", "partners", "volunteer_roles"):
            del prototype[name]
    result = import_into(other_locality, document)
    assert result.blueprint.cards.count() == 3
    assert not Space.objects.filter(locality=other_locality).exists()


def test_the_card_history_records_the_imported_card_as_created_with_its_resources(
    blueprint, other_locality
):
    imported = import_into(other_locality, json_export.export_document(blueprint)).blueprint
    walk = imported.cards.get(title="Walks to the library")
    created = Card.history.get(id=walk.pk, history_type="+")
    assert created.space_id == walk.space_id
    assert created.volunteer_hours == Decimal("4.5")


# Bad resources ----------------------------------------------------------------------------


def _space(document: dict) -> dict:
    return next(s for s in document["resources"]["spaces"] if s["name"] == "Northgate Library")


def _role(document: dict) -> dict:
    return document["resources"]["volunteer_roles"][0]


def _contribution(document: dict) -> dict:
    return document["resources"]["partners"][0]["contributions"][0]


def _walk(document: dict) -> dict:
    return next(c for c in document["cards"] if c["title"] == "Walks to the library")


BAD_RESOURCES = {
    "negative hire cost": (
        lambda d: _space(d).update(hire_cost_per_hour="-1.00"),
        "Space 2's hire cost per hour should be from 0 to",
    ),
    "negative contribution": (
        lambda d: _contribution(d).update(value="-50.00"),
        "Partner 1's contributions (item 1), “value” should be from 0 to",
    ),
    "closing before opening": (
        lambda d: _space(d)["openings"][0].update(opens="13:00"),
        "Space 2's openings (item 1) closes at 12:00, not after it opens at 13:00",
    ),
    "not a time": (
        lambda d: _space(d)["openings"][0].update(closes="noon"),
        "should be a time of day like 09:30",
    ),
    "more active than trained plus carried over": (
        lambda d: _role(d)["months"][1].update(active=7),
        "Volunteer role 1's months has 7 active in February 2026, but at most 4 can be: "
        "1 trained that month and 3 active in January 2026",
    ),
    "a month twice": (
        lambda d: _role(d)["months"][1].update(month="2026-01-01"),
        "Volunteer role 1's months has January 2026 twice",
    ),
    "a month not on its first day": (
        lambda d: _role(d)["months"][0].update(month="2026-01-15"),
        "should be on the first day of its month",
    ),
    "unknown space kind": (
        lambda d: _space(d).update(kind="castle"),
        "Space 2's kind should be one of childrens_centre",
    ),
    "unknown partner kind": (
        lambda d: d["resources"]["partners"][0].update(kind="cartel"),
        "Partner 1's kind should be one of health",
    ),
    "unknown contribution kind": (
        lambda d: _contribution(d).update(kind="favours"),
        "should be one of money, in_kind",
    ),
    "money without a value": (
        lambda d: _contribution(d).update(value=None),
        "Partner 1's contributions (item 1) is money, so it needs its value in pounds",
    ),
    "two spaces of one name": (
        lambda d: _space(d).update(name="CHURCH HALL"),
        "Space 2 has the same name as space 1",
    ),
    "a card naming a space not in the file": (
        lambda d: _walk(d).update(space="space-9"),
        "names a space that is not in the file's resources: space-9",
    ),
    "hours without a role": (
        lambda d: _walk(d).update(volunteer_role=None),
        "has volunteer hours but no volunteer role to give them",
    ),
    "a prototype using a partner not in the file": (
        lambda d: d["prototypes"][0].update(partners=["partner-7"]),
        "Prototype 1's partners refers to a partner that is not in the file: partner-7",
    ),
}


@pytest.mark.parametrize("case", list(BAD_RESOURCES))
def test_a_bad_resource_is_a_problem_at_its_place(blueprint, case):
    change, message = BAD_RESOURCES[case]
    document = json.loads(json.dumps(json_export.export_document(blueprint)))
    change(document)
    with pytest.raises(ImportProblems) as refused:
        parse_document(document)
    assert any(message in problem for problem in refused.value.problems), refused.value.problems


def test_a_file_with_a_bad_resource_imports_nothing(client, blueprint, other_locality, outsider):
    document = json.loads(json.dumps(json_export.export_document(blueprint)))
    _space(document)["openings"][0]["opens"] = "13:00"
    client.force_login(outsider)
    response = client.post(import_url("riverside"), {"file": as_upload(document)})
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "The file was not imported, and nothing has been saved" in page
    assert "closes at 12:00, not after it opens at 13:00" in page
    assert not Blueprint.objects.filter(locality=other_locality).exists()
    assert not Space.objects.filter(locality=other_locality).exists()


# Query counts -----------------------------------------------------------------------------


def _naming_cards(blueprint, resources, count: int) -> None:
    for i in range(count):
        card = CardFactory(blueprint=blueprint, title=f"Step {i}")
        name_resources(
            card,
            space=resources["library"],
            partner=resources["school"],
            role=resources["guide"],
            hours=Decimal("1"),
        )


def test_the_export_reads_as_many_queries_however_many_cards_name_resources(
    blueprint, resources, locality
):
    other = BlueprintFactory(locality=locality, title="Bigger")
    _naming_cards(other, resources, 3)
    PrototypeFactory(blueprint=other).spaces.set([resources["hall"]])
    with CaptureQueriesContext(connection) as small:
        small_document = json_export.export_document(other)
    _naming_cards(other, resources, 30)
    PrototypeFactory(blueprint=other).partners.set([resources["school"]])
    with CaptureQueriesContext(connection) as large:
        large_document = json_export.export_document(other)
    assert len(large_document["cards"]) == 33
    assert len(large_document["resources"]["spaces"]) == len(small_document["resources"]["spaces"])
    assert len(large) == len(small)


def _import_queries(locality, document: dict) -> int:
    parsed = parse_document(json.loads(json.dumps(document)))
    with CaptureQueriesContext(connection) as queries:
        json_import.import_blueprint(locality=locality, document=parsed, by=None)
    return len(queries)


def _without_resources(document: dict) -> dict:
    bare = copy.deepcopy(document)
    for card in bare["cards"]:
        card.update(space=None, partner=None, volunteer_role=None, volunteer_hours=None)
    for prototype in bare["prototypes"]:
        prototype.update(spaces=[], partners=[], volunteer_roles=[])
    bare["resources"] = {"spaces": [], "partners": [], "volunteer_roles": []}
    return bare


def test_naming_resources_adds_as_many_import_queries_for_many_cards_as_for_few(
    blueprint, resources, locality, other_locality
):
    """The cards' own writes go through the services, card by card; what naming resources
    adds to an import (matching, creating, setting them on the cards) does not grow."""
    few = BlueprintFactory(locality=locality, title="Few")
    _naming_cards(few, resources, 2)
    many = BlueprintFactory(locality=locality, title="Many")
    _naming_cards(many, resources, 25)
    added = []
    for source in (few, many):
        document = json_export.export_document(source)
        added.append(
            _import_queries(other_locality, document)
            - _import_queries(other_locality, _without_resources(document))
        )
        Space.objects.filter(locality=other_locality).delete()
        Partner.objects.filter(locality=other_locality).delete()
        VolunteerRole.objects.filter(locality=other_locality).delete()
    assert added[0] == added[1]
    assert added[0] <= 14  # with the savepoint around the creations (two statements)
