"""The cards as CSV: grid order, positions from 1, labels, and text a spreadsheet won't run."""

import csv
import io
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blueprints import services
from blueprints.exports.bench import make_blueprint
from blueprints.models import Card, Lane
from tests.blueprints.factories import BlueprintFactory, lane, phase
from tests.localities.factories import PartnerFactory, SpaceFactory, VolunteerRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def blueprint(locality, editor):
    blueprint = BlueprintFactory(locality=locality, title="Welcome walks", by=editor)

    def add(position, role, title, **fields):
        return services.add_card(
            blueprint=blueprint,
            phase=phase(blueprint, position),
            lane=lane(blueprint, role),
            title=title,
            kind=fields.pop("kind", Card.Kind.STEP),
            by=editor,
            **fields,
        )

    add(1, Lane.Role.FAMILY, "Comes to the first session", emotion=2, details="With a friend")
    add(0, Lane.Role.FRONTLINE, '=HYPERLINK("http://evil.example","click")')
    add(0, Lane.Role.FAMILY, "Hears about the walks", kind=Card.Kind.TOUCHPOINT, emotion=-1)
    add(0, Lane.Role.FAMILY, "@SUM(A1:A9)", details="-2+3", kind=Card.Kind.PAIN_POINT)
    # Grid order is by position, not by when a phase was made: "Use" comes first now.
    services.move_phase(phase=phase(blueprint, 1), position=0, by=editor)
    return blueprint


# A card that names no space, partner or volunteer role, nor hours.
NO_RESOURCES = ["", "", "", ""]


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_cards_in_grid_order_with_labels_and_positions_from_one(client, blueprint, viewer):
    client.force_login(viewer)
    response = client.get(reverse("blueprints:export-csv", args=["northgate", blueprint.pk]))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    rows = rows_of(response)
    assert rows == [
        [
            "phase",
            "lane",
            "position",
            "kind",
            "title",
            "details",
            "emotion",
            "space",
            "partner",
            "volunteer role",
            "volunteer hours a week",
        ],
        [
            "Use",
            "Family experience",
            "1",
            "Step",
            "Comes to the first session",
            "With a friend",
            "2",
            *NO_RESOURCES,
        ],
        [
            "Awareness",
            "Family experience",
            "1",
            "Touchpoint",
            "Hears about the walks",
            "",
            "-1",
            *NO_RESOURCES,
        ],
        [
            "Awareness",
            "Family experience",
            "2",
            "Pain point",
            "'@SUM(A1:A9)",
            "'-2+3",
            "",
            *NO_RESOURCES,
        ],
        [
            "Awareness",
            "Frontline staff and volunteers",
            "1",
            "Step",
            '\'=HYPERLINK("http://evil.example","click")',
            "",
            "",
            *NO_RESOURCES,
        ],
    ]


def test_text_that_looks_like_a_formula_stays_text(client, blueprint, viewer):
    client.force_login(viewer)
    rows = rows_of(client.get(reverse("blueprints:export-csv", args=["northgate", blueprint.pk])))
    titles = [row[4] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","click")' in titles
    assert rows[3][5] == "'-2+3"
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_csv_query_count_does_not_grow_with_cards(client, blueprint, locality, viewer):
    big = make_blueprint(locality, cards=200, phases=4)
    client.force_login(viewer)
    sizes = []
    for each in (blueprint, big):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("blueprints:export-csv", args=["northgate", each.pk]))
        assert response.status_code == HTTPStatus.OK
        assert len(rows_of(response)) == 1 + each.cards.count()  # a header, a row a card
        sizes.append(len(queries))
    assert sizes[0] == sizes[1]


def test_a_card_names_its_space_partner_volunteer_role_and_hours(client, blueprint, viewer):
    locality = blueprint.locality
    card = blueprint.cards.get(title="Hears about the walks")
    Card.objects.filter(pk=card.pk).update(
        space=SpaceFactory(locality=locality, name="Northgate Library"),
        partner=PartnerFactory(locality=locality, organisation="=Health visitors"),
        volunteer_role=VolunteerRoleFactory(locality=locality, name="Welcome walk guide"),
        volunteer_hours=Decimal("4.5"),
    )
    client.force_login(viewer)
    rows = rows_of(client.get(reverse("blueprints:export-csv", args=["northgate", blueprint.pk])))
    (row,) = [row for row in rows if row[4] == "Hears about the walks"]
    assert dict(zip(rows[0][7:], row[7:], strict=True)) == {
        "space": "Northgate Library",
        "partner": "'=Health visitors",  # text, as the titles are
        "volunteer role": "Welcome walk guide",
        "volunteer hours a week": "4.5",
    }


def test_naming_resources_does_not_grow_the_csv_query_count(client, blueprint, locality, viewer):
    client.force_login(viewer)
    url = reverse("blueprints:export-csv", args=["northgate", blueprint.pk])
    with CaptureQueriesContext(connection) as bare:
        client.get(url)
    for card in blueprint.cards.all():
        Card.objects.filter(pk=card.pk).update(
            space=SpaceFactory(locality=locality), partner=PartnerFactory(locality=locality)
        )
    with CaptureQueriesContext(connection) as named:
        rows = rows_of(client.get(url))
    assert all(row[7] and row[8] for row in rows[1:])
    assert len(named) == len(bare)
