"""JSON export and import: a round trip gives an equal blueprint; a bad file saves nothing."""

import copy
import json
from datetime import date
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blueprints import services
from blueprints.exports.bench import make_blueprint
from blueprints.interchange import json_export, reader
from blueprints.interchange.problems import MAX_PROBLEMS, ImportProblems
from blueprints.interchange.schema import parse_document
from blueprints.models import Blueprint, Card, CardLink, DeliveryChallenge, Lane, Prototype
from consultations.models import Idea
from tests.blueprints.factories import BlueprintFactory, lane, phase
from tests.consultations.factories import IdeaFactory
from tests.localities.factories import InsightFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def blueprint(locality, editor):
    idea = IdeaFactory(locality=locality, title="Welcome walks", status=Idea.Status.CHOSEN)
    blueprint = BlueprintFactory(
        locality=locality, idea=idea, title="Welcome walks: the service", by=editor
    )
    services.update_blueprint(blueprint=blueprint, summary="Walks with new families.", by=editor)
    services.rename_phase(
        phase=phase(blueprint, 1), name="First visit", description="The walk.", by=editor
    )
    services.add_phase(blueprint=blueprint, name="Settling in", by=editor)
    services.rename_lane(lane=lane(blueprint, Lane.Role.SUPPORT), name="Council", by=editor)
    services.move_lane(
        lane=lane(blueprint, Lane.Role.EVIDENCE), position=4, as_given=True, by=editor
    )
    trust = InsightFactory(locality=locality, statement="Parents trust other parents")
    shifts = InsightFactory(locality=locality, statement="Shifts end at three")
    family = [
        services.add_card(
            blueprint=blueprint,
            phase=phase(blueprint, i % 4),
            lane=lane(blueprint, Lane.Role.FAMILY),
            title=f"Family step {i}",
            details=f"Details of step {i}\nwith a second line.",
            kind=Card.Kind.values[i % 5],
            emotion=(i % 5) - 2,
            insights=[trust, shifts][: i % 3],
            by=editor,
        )
        for i in range(7)
    ]
    staff = services.add_card(
        blueprint=blueprint,
        phase=phase(blueprint, 0),
        lane=lane(blueprint, Lane.Role.FRONTLINE),
        title="Guide phones the family",
        kind=Card.Kind.STEP,
        by=editor,
    )
    services.link_cards(from_card=staff, to_card=family[0], by=editor)
    services.link_cards(from_card=staff, to_card=family[4], by=editor)
    challenge = services.create_delivery_challenge(
        blueprint=blueprint,
        theme=DeliveryChallenge.Theme.VOLUNTEERING,
        title="Keeping volunteers",
        questions=["Why do they leave?", "What helps them stay?"],
        cards=[staff, family[1]],
        by=editor,
    )
    services.create_delivery_challenge(
        blueprint=blueprint, theme=DeliveryChallenge.Theme.OTHER, title="Space", by=editor
    )
    services.create_prototype(
        blueprint=blueprint,
        title="Ten walks",
        hypothesis="Walks bring families to a first session.",
        method="Two guides, ten families.",
        cost=Decimal("450.50"),
        risk=Prototype.Risk.MEDIUM,
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 4, 30),
        status=Prototype.Status.FINISHED,
        learning="Eight of ten came.",
        decision=Prototype.Decision.ADOPT,
        families_reached=8,
        cards=[staff, family[0]],
        delivery_challenges=[challenge],
        by=editor,
    )
    services.create_prototype(blueprint=blueprint, title="Leaflets", by=editor)
    return Blueprint.objects.select_related("locality", "idea").get(pk=blueprint.pk)


def normalised(blueprint) -> dict:
    document = json_export.export_document(
        Blueprint.objects.select_related("locality", "idea").get(pk=blueprint.pk)
    )
    del document["exported_at"], document["source"]
    return document


def import_url(slug="northgate") -> str:
    return reverse("blueprints:import-json", args=[slug])


def as_upload(document, name="blueprint.json") -> SimpleUploadedFile:
    content = document if isinstance(document, bytes) else json.dumps(document).encode()
    return SimpleUploadedFile(name, content, content_type="application/json")


def counts() -> tuple:
    return tuple(
        model.objects.count() for model in (Blueprint, Card, CardLink, DeliveryChallenge, Prototype)
    )


def test_export_holds_everything_with_a_schema_version(client, blueprint, viewer):
    client.force_login(viewer)
    response = client.get(reverse("blueprints:export-json", args=["northgate", blueprint.pk]))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Disposition"].startswith("attachment;")
    document = json.loads(response.content)
    assert document["schema"] == "blueprint-studio/blueprint"
    assert document["schema_version"] == 1
    assert document["blueprint"]["idea"] == "Welcome walks"
    assert [p["name"] for p in document["phases"]][:2] == ["Awareness", "First visit"]
    assert [lane["role"] for lane in document["lanes"]][-1] == "evidence"
    assert len(document["cards"]) == 8
    assert len(document["links"]) == 2
    assert {c["title"] for c in document["delivery_challenges"]} == {"Keeping volunteers", "Space"}
    walks = next(p for p in document["prototypes"] if p["title"] == "Ten walks")
    assert walks["cost"] == "450.50"
    assert walks["starts_on"] == "2026-03-01"
    cited = {s for card in document["cards"] for s in card["insights"]}
    assert cited == {"Parents trust other parents", "Shifts end at three"}


def test_export_then_import_gives_an_equal_blueprint(client, blueprint, editor):
    client.force_login(editor)
    response = client.post(
        import_url(), {"file": as_upload(json_export.export_document(blueprint))}
    )
    assert response.status_code == HTTPStatus.FOUND
    imported = Blueprint.objects.exclude(pk=blueprint.pk).get()
    assert imported.title == blueprint.title
    assert imported.idea == blueprint.idea
    assert normalised(imported) == normalised(blueprint)


def test_import_into_another_locality_leaves_out_what_it_cannot_find(
    client, blueprint, other_locality, outsider
):
    """The outsider leads Riverside: they import Northgate's blueprint there."""
    InsightFactory(locality=other_locality, statement="Shifts end at three")
    client.force_login(outsider)
    response = client.post(
        import_url("riverside"),
        {"file": as_upload(json_export.export_document(blueprint))},
        follow=True,
    )
    imported = Blueprint.objects.get(locality=other_locality)
    assert imported.idea is None
    page = response.content.decode()
    assert "No idea of Riverside is called “Welcome walks”" in page
    assert "1 insight cited in the file is not recorded in Riverside" in page
    statements = set(
        Card.insights.through.objects.filter(card__blueprint=imported).values_list(
            "insight__statement", flat=True
        )
    )
    assert statements == {"Shifts end at three"}
    mine, theirs = normalised(blueprint), normalised(imported)
    for document in (mine, theirs):
        document["blueprint"]["idea"] = None
        for card in document["cards"]:
            card["insights"] = []
    assert mine == theirs


def test_import_takes_the_title_given_on_the_form(client, blueprint, editor):
    client.force_login(editor)
    client.post(
        import_url(), {"file": as_upload(json_export.export_document(blueprint)), "title": "Copy"}
    )
    assert Blueprint.objects.filter(title="Copy").exists()


def test_export_query_count_does_not_grow_with_cards(client, blueprint, locality, viewer):
    big = make_blueprint(locality, cards=200, phases=5)
    client.force_login(viewer)
    sizes = []
    for each in (blueprint, big):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("blueprints:export-json", args=["northgate", each.pk]))
        assert response.status_code == HTTPStatus.OK
        assert len(json.loads(response.content)["cards"]) == each.cards.count()
        sizes.append(len(queries))
    assert sizes[0] == sizes[1]


# Bad files ---------------------------------------------------------------------------------


def good(blueprint) -> dict:
    return json_export.export_document(blueprint)


def deep(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


def with_change(blueprint, change):
    document = copy.deepcopy(good(blueprint))
    change(document)
    return document


def set_in(path, value):
    def change(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


BAD_FILES = {
    "not JSON": (lambda b: b'{"schema": ', "not valid JSON"),
    "not UTF-8": (lambda b: "{}".encode("utf-16"), "not text in UTF-8"),
    "too deep": (lambda b: deep(100_000), "not valid JSON"),
    "NaN": (lambda b: b'{"schema": NaN}', "not valid JSON"),
    "a list": (lambda b: [good(b)], "one JSON object"),
    "another schema": (
        lambda b: with_change(b, set_in(["schema"], "something/else")),
        "not a blueprint export",
    ),
    "a later version": (
        lambda b: with_change(b, set_in(["schema_version"], 2)),
        "schema version 2; this site reads version 1",
    ),
    "version true": (
        lambda b: with_change(b, set_in(["schema_version"], True)),
        "schema version True",
    ),
    "unknown field": (
        lambda b: with_change(b, set_in(["cards", 0, "colour"], "red")),
        "fields this site does not know: colour",
    ),
    "missing field": (
        lambda b: with_change(b, lambda d: d["cards"][0].pop("kind")),
        "Card 1 is missing kind",
    ),
    "title not text": (
        lambda b: with_change(b, set_in(["cards", 0, "title"], 123)),
        "Card 1's title should be text",
    ),
    "huge title": (
        lambda b: with_change(b, set_in(["cards", 0, "title"], "x" * 10_000)),
        "Card 1's title is 10,000 characters long; at most 120",
    ),
    "huge details": (
        lambda b: with_change(b, set_in(["cards", 1, "details"], "y" * 4001)),
        "Card 2's details is 4,001 characters long",
    ),
    "empty title": (
        lambda b: with_change(b, set_in(["blueprint", "title"], "   ")),
        "The blueprint's title is empty",
    ),
    "NUL in text": (
        lambda b: with_change(b, set_in(["phases", 0, "name"], "Aware\u0000ness")),
        "NUL character",
    ),
    "emotion a word": (
        lambda b: with_change(b, set_in(["cards", 0, "emotion"], "happy")),
        "emotion should be a whole number from -2 to 2",
    ),
    "emotion true": (
        lambda b: with_change(b, set_in(["cards", 0, "emotion"], True)),
        "emotion should be a whole number",
    ),
    "emotion out of range": (
        lambda b: with_change(b, set_in(["cards", 0, "emotion"], 9)),
        "emotion should be a whole number from -2 to 2",
    ),
    "emotion off the family lane": (
        lambda b: with_change(
            b,
            lambda d: next(c for c in d["cards"] if c["title"] == "Guide phones the family").update(
                emotion=1
            ),
        ),
        "only family-lane cards can have one",
    ),
    "unknown kind": (
        lambda b: with_change(b, set_in(["cards", 0, "kind"], "vibe")),
        "kind should be one of step",
    ),
    "unknown role": (
        lambda b: with_change(b, set_in(["lanes", 0, "role"], "customer")),
        "Lane 1's role should be one of",
    ),
    "nonexistent phase": (
        lambda b: with_change(b, set_in(["cards", 0, "phase"], "phase-99")),
        "Card 1 is in a phase that is not in the file",
    ),
    "nonexistent lane": (
        lambda b: with_change(b, set_in(["cards", 0, "lane"], None)),
        "Card 1 is in a lane that is not in the file",
    ),
    "duplicate ref": (
        lambda b: with_change(b, set_in(["cards", 1, "ref"], "card-1")),
        "“card-1” is used twice",
    ),
    "link to nothing": (
        lambda b: with_change(b, set_in(["links", 0, "to"], "card-404")),
        "Link 1 refers to a card that is not in the file",
    ),
    "link to itself": (
        lambda b: with_change(b, lambda d: d["links"][0].update(to=d["links"][0]["from"])),
        "Link 1 links a card to itself",
    ),
    "link twice": (
        lambda b: with_change(b, lambda d: d["links"].append(dict(d["links"][0]))),
        "repeats a link already in the file",
    ),
    "challenge card unknown": (
        lambda b: with_change(b, set_in(["delivery_challenges", 0, "cards"], ["nope"])),
        "refers to a card that is not in the file",
    ),
    "prototype challenge unknown": (
        lambda b: with_change(b, set_in(["prototypes", 0, "delivery_challenges"], ["nope"])),
        "refers to a delivery challenge that is not in the file",
    ),
    "negative cost": (
        lambda b: with_change(b, set_in(["prototypes", 0, "cost"], "-5")),
        "cost should be from 0 to 9,999,999.99",
    ),
    "cost a list": (
        lambda b: with_change(b, set_in(["prototypes", 0, "cost"], [1])),
        "cost should be an amount",
    ),
    "bad date": (
        lambda b: with_change(b, set_in(["prototypes", 0, "starts_on"], "31/03/2026")),
        "start date should be a date like 2025-03-31",
    ),
    "ends before it starts": (
        lambda b: with_change(
            b,
            lambda d: next(p for p in d["prototypes"] if p["title"] == "Ten walks").update(
                ends_on="2026-01-01"
            ),
        ),
        "ends before it starts",
    ),
    "no phases": (lambda b: with_change(b, set_in(["phases"], [])), "no phases"),
    "phases not a list": (
        lambda b: with_change(b, set_in(["phases"], {"a": 1})),
        "“phases” should be a list",
    ),
    "too many cards": (
        lambda b: with_change(b, lambda d: d["cards"].extend([d["cards"][0]] * 2000)),
        "at most 2,000 can be imported",
    ),
    "too many insights on a card": (
        lambda b: with_change(b, set_in(["cards", 0, "insights"], ["x"] * 51)),
        "insights should be a list of at most 50",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_gets_a_clear_error_and_saves_nothing(client, blueprint, editor, case):
    make, message = BAD_FILES[case]
    before = counts()
    client.force_login(editor)
    response = client.post(import_url(), {"file": as_upload(make(blueprint))})
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "The file was not imported, and nothing has been saved" in page
    assert message in page.replace("&#x27;", "'").replace("&quot;", '"'), page[-3000:]
    assert counts() == before


def test_oversized_file_is_refused_before_it_is_read(client, blueprint, editor):
    before = counts()
    client.force_login(editor)
    padding = b" " * (reader.MAX_FILE_BYTES + 1)
    response = client.post(import_url(), {"file": as_upload(padding + b"{}")})
    assert "larger than 2 MB" in response.content.decode()
    assert counts() == before


def test_many_problems_are_listed_up_to_a_limit(client, blueprint, editor):
    document = good(blueprint)
    for card in document["cards"]:
        card["kind"] = "vibe"
        card["emotion"] = "sad"
    with pytest.raises(ImportProblems) as problems:
        parse_document(document)
    assert len(problems.value.problems) == MAX_PROBLEMS + 1
    assert "these are the first ones found" in problems.value.problems[-1]


def test_a_service_refusing_half_way_rolls_everything_back(client, blueprint, editor, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError("The prototype could not be saved.")

    monkeypatch.setattr(services, "create_prototype", refuse)
    before = counts()
    client.force_login(editor)
    response = client.post(import_url(), {"file": as_upload(good(blueprint))})
    assert "The prototype could not be saved." in response.content.decode()
    assert counts() == before


def test_missing_file_is_a_form_error(client, editor, locality):
    client.force_login(editor)
    response = client.post(import_url(), {})
    assert response.status_code == HTTPStatus.OK
    assert "This field is required" in response.content.decode()
