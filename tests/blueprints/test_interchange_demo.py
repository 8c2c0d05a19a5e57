"""Every demo site's blueprint, using all of the site's community resources, goes out to a
JSON file and back into another locality unchanged: the demo's spaces, partners and
volunteer pipelines keep the rules a file is checked against (issue 15)."""

import json

import pytest

from blueprints.interchange import json_export, json_import
from blueprints.interchange.schema import parse_document
from blueprints.models import Blueprint
from tests.blueprints.factories import PrototypeFactory
from tests.localities.factories import LocalityFactory

pytestmark = pytest.mark.django_db


RESOURCE_FIELDS = ("space", "partner", "volunteer_role", "volunteer_hours")


def resources_of(document: dict) -> tuple:
    """What a file says of community resources (another site lacks the demo site's insights,
    ideas and members, which the import leaves out and reports)."""
    return (
        document["resources"],
        [[card[name] for name in RESOURCE_FIELDS] for card in document["cards"]],
        [[p["spaces"], p["partners"], p["volunteer_roles"]] for p in document["prototypes"]],
    )


def test_each_demo_blueprint_with_all_its_sites_resources_round_trips(seeded_demo):
    blueprints = list(Blueprint.objects.select_related("locality", "idea"))
    assert {b.locality.spaces.exists() for b in blueprints} == {True}
    for blueprint in blueprints:
        prototype = blueprint.prototypes.first() or PrototypeFactory(blueprint=blueprint)
        locality = blueprint.locality
        prototype.spaces.set(locality.spaces.all())
        prototype.partners.set(locality.partners.all())
        prototype.volunteer_roles.set(locality.volunteer_roles.all())
        exported = json_export.export_document(blueprint)
        document = parse_document(json.loads(json.dumps(exported)))
        elsewhere = LocalityFactory(slug=f"copy-of-{locality.slug}")
        imported = json_import.import_blueprint(locality=elsewhere, document=document, by=None)
        assert resources_of(json_export.export_document(imported.blueprint)) == resources_of(
            exported
        ), locality.slug
