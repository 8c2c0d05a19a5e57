"""Two imports of one file into a locality at the same moment, on a real PostgreSQL (SQLite
serialises all writers): both find the file's space, partner and volunteer role missing and
both create them; the unique name constraint lets one win, and the other takes its records
instead of failing."""

import json
from decimal import Decimal

import pytest
from django.db import connection

from blueprints.interchange import json_export, json_import
from blueprints.interchange.schema import parse_document
from blueprints.models import Card
from localities.models import Partner, Space, VolunteerRole
from tests.blueprints.factories import BlueprintFactory, fill_grid
from tests.localities.factories import (
    LocalityFactory,
    PartnerFactory,
    SpaceFactory,
    VolunteerRoleFactory,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent writers need a real PostgreSQL"
    ),
]


def test_two_imports_creating_the_same_resources_at_once_both_succeed(run_together):
    source = LocalityFactory(slug="northgate")
    target = LocalityFactory(slug="riverside")
    blueprint = BlueprintFactory(locality=source)
    cards = fill_grid(blueprint, 3)
    Card.objects.filter(pk=cards[0].pk).update(
        space=SpaceFactory(locality=source, name="Northgate Library"),
        partner=PartnerFactory(locality=source, organisation="St Anne's Primary"),
        volunteer_role=VolunteerRoleFactory(locality=source, name="Welcome walk guide"),
        volunteer_hours=Decimal(4),
    )
    document = json.loads(json.dumps(json_export.export_document(blueprint)))

    def import_once():
        return json_import.import_blueprint(
            locality=target, document=parse_document(document), by=None
        )

    first, second = run_together(import_once, import_once).values()

    space = Space.objects.get(locality=target)
    partner = Partner.objects.get(locality=target)
    role = VolunteerRole.objects.get(locality=target)
    for result in (first, second):
        card = result.blueprint.cards.exclude(space=None).get()
        assert (card.space, card.partner, card.volunteer_role) == (space, partner, role)
    # Each resource was created once, by one of the two.
    assert sorted(first.created_resources + second.created_resources) == [
        "Northgate Library (space)",
        "St Anne's Primary (partner)",
        "Welcome walk guide (volunteer role)",
    ]
