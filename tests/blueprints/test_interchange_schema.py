"""The JSON Schema of the export format: generated from the import's pydantic models, it
describes a real export, takes its limits and choices from the Django models, and is served
to anyone at a stable address.

The `jsonschema` package is not a dependency, so `conforms` below checks a document against
the keywords the generated schema uses (and fails on any other, so it cannot pass by
skipping one).
"""

import copy
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from blueprints.interchange.json_export import export_document
from blueprints.interchange.problems import ImportProblems
from blueprints.interchange.schema import SCHEMA, SCHEMA_VERSION, json_schema, parse_document
from blueprints.interchange.schema_types import LIMITS, REF_MAX_LENGTH
from blueprints.models import Blueprint, Card, DeliveryChallenge, Lane, Phase, Prototype
from localities.models import Insight
from tests.blueprints.test_exports_json import blueprint  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/schema/blueprint-v1.json"


@pytest.fixture
def schema() -> dict:
    return json_schema(schema_id="https://blueprint.example.org" + URL)


def resolve(node: dict, root: dict) -> dict:
    while "$ref" in node:
        node = root["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "integer": int,
    "number": (int, float),
    "null": type(None),
    "boolean": bool,
}
ANNOTATIONS = {"title", "description", "default", "$schema", "$id", "$defs", "format"}


def conforms(value, node: dict, root: dict, path: str = "") -> list[str]:
    """Where `value` breaks the schema `node`: an empty list when it conforms."""
    node = resolve(node, root)
    if "anyOf" in node:
        if all(conforms(value, option, root, path) for option in node["anyOf"]):
            return [f"{path}: matches no option"]
        return []
    kinds = node.get("type", [])
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if kinds and not any(
        isinstance(value, TYPES[kind]) and (kind == "boolean") == isinstance(value, bool)
        for kind in kinds
    ):
        return [f"{path}: not {node['type']}"]
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    broken = []
    for keyword, rule in node.items():
        if keyword in ANNOTATIONS or keyword == "type":
            continue
        if keyword in ("enum", "const"):
            if value not in (rule if keyword == "enum" else [rule]):
                broken.append(f"{path}: {value!r} not allowed")
        elif keyword == "required":
            broken += [f"{path}: no {key}" for key in rule if key not in value]
        elif keyword == "additionalProperties":
            assert rule is False
            broken += [f"{path}: {key} unknown" for key in value if key not in node["properties"]]
        elif keyword == "properties":
            for key, inner in rule.items():
                if key in value:
                    broken += conforms(value[key], inner, root, f"{path}.{key}")
        elif keyword == "items":
            for i, item in enumerate(value):
                broken += conforms(item, rule, root, f"{path}[{i}]")
        elif keyword in ("maxLength", "maxItems", "minItems"):
            if not (len(value) <= rule if keyword.startswith("max") else len(value) >= rule):
                broken.append(f"{path}: {keyword} {rule}")
        elif keyword == "pattern":
            if isinstance(value, str) and not re.search(rule, value):
                broken.append(f"{path}: does not match {rule}")
        elif keyword in ("minimum", "maximum", "exclusiveMaximum", "exclusiveMinimum"):
            if (
                is_number
                and not {
                    "minimum": value >= rule,
                    "maximum": value <= rule,
                    "exclusiveMaximum": value < rule,
                    "exclusiveMinimum": value > rule,
                }[keyword]
            ):
                broken.append(f"{path}: {keyword} {rule}")
        else:
            raise AssertionError(f"conforms() does not know the keyword {keyword!r}")
    return broken


def part(schema: dict, name: str) -> dict:
    return resolve(schema["properties"][name]["items"], schema)


# What the schema says ----------------------------------------------------------------------


def test_a_real_export_conforms_to_the_schema(schema, blueprint):  # noqa: F811
    document = export_document(blueprint)
    assert all(document[name] for name in ("cards", "links", "delivery_challenges", "prototypes"))
    assert conforms(document, schema, schema) == []


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("cards", 0, "kind"), "vibe"),
        (("cards", 0, "colour"), "red"),
        (("lanes", 0, "role"), "customer"),
        (("prototypes", 0, "decision"), "maybe"),
        (("phases", 0, "name"), "x" * 81),
        (("schema_version",), 2),
    ],
)
def test_a_document_the_import_refuses_does_not_conform(schema, blueprint, where, value):  # noqa: F811
    document = copy.deepcopy(export_document(blueprint))
    target = document
    for step in where[:-1]:
        target = target[step]
    target[where[-1]] = value
    assert conforms(document, schema, schema) != []
    with pytest.raises(ImportProblems):
        parse_document(document)


def test_an_export_without_a_part_does_not_conform(schema, blueprint):  # noqa: F811
    document = export_document(blueprint)
    del document["links"]
    assert conforms(document, schema, schema) == [": no links"]


def test_the_schema_names_itself_and_the_format(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://blueprint.example.org/schema/blueprint-v1.json"
    assert "Blueprint studio" in schema["title"]
    assert "service blueprint" in schema["description"]
    assert schema["properties"]["schema"]["const"] == SCHEMA
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION


def test_the_file_must_hold_every_part_and_nothing_else(schema):
    assert set(schema["required"]) == {
        "schema",
        "schema_version",
        "blueprint",
        "phases",
        "lanes",
        "cards",
        "links",
        "delivery_challenges",
        "prototypes",
    }
    assert schema["additionalProperties"] is False
    for name in ("phases", "lanes", "cards", "links", "delivery_challenges", "prototypes"):
        assert part(schema, name)["additionalProperties"] is False


@pytest.mark.parametrize(
    ("name", "field", "choices"),
    [
        ("cards", "kind", Card.Kind),
        ("lanes", "role", Lane.Role),
        ("delivery_challenges", "theme", DeliveryChallenge.Theme),
        ("prototypes", "risk", Prototype.Risk),
        ("prototypes", "status", Prototype.Status),
        ("prototypes", "decision", Prototype.Decision),
    ],
)
def test_choices_are_the_models_choices(schema, name, field, choices):
    assert part(schema, name)["properties"][field]["enum"] == list(choices.values)


@pytest.mark.parametrize(
    ("name", "field", "model"),
    [
        ("phases", "name", Phase),
        ("phases", "description", Phase),
        ("lanes", "name", Lane),
        ("cards", "title", Card),
        ("cards", "details", Card),
        ("delivery_challenges", "title", DeliveryChallenge),
        ("prototypes", "title", Prototype),
        ("prototypes", "learning", Prototype),
    ],
)
def test_lengths_are_the_models_lengths(schema, name, field, model):
    declared = model._meta.get_field(field).max_length
    assert part(schema, name)["properties"][field]["maxLength"] == declared


def test_the_blueprint_and_insight_lengths_are_the_models_lengths(schema):
    head = resolve(schema["properties"]["blueprint"], schema)["properties"]
    assert head["title"]["maxLength"] == Blueprint._meta.get_field("title").max_length
    assert head["summary"]["maxLength"] == Blueprint._meta.get_field("summary").max_length
    insights = part(schema, "cards")["properties"]["insights"]
    assert insights["items"]["maxLength"] == Insight._meta.get_field("statement").max_length
    assert insights["maxItems"] == LIMITS["insights per card"]


def test_list_limits_are_the_imports_limits(schema):
    for name in ("phases", "lanes", "cards", "links", "delivery_challenges", "prototypes"):
        assert schema["properties"][name]["maxItems"] == LIMITS[name]
    assert schema["properties"]["phases"]["minItems"] == 1
    assert schema["properties"]["lanes"]["minItems"] == 1
    assert part(schema, "cards")["properties"]["ref"]["maxLength"] == REF_MAX_LENGTH


def test_an_emotion_is_a_whole_number_in_the_models_range_or_null(schema):
    emotion = part(schema, "cards")["properties"]["emotion"]
    assert {"type": "integer", "minimum": Card.EMOTION_MIN, "maximum": Card.EMOTION_MAX} in (
        emotion["anyOf"]
    )
    assert {"type": "null"} in emotion["anyOf"]


# Where it is served ------------------------------------------------------------------------


def test_the_url_is_stable():
    assert reverse("blueprint-schema") == URL


def test_anyone_may_read_the_schema(client, settings):
    settings.SITE_URL = "https://blueprint.example.org"
    response = client.get(URL)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/schema+json"
    assert response.json()["$id"] == "https://blueprint.example.org/schema/blueprint-v1.json"
    assert response.json()["properties"]["schema"]["const"] == SCHEMA


def test_the_schema_may_be_cached_by_anyone(client):
    response = client.get(URL)
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=86400"} <= cache_control


def test_the_id_does_not_follow_the_host_header(client, settings):
    settings.SITE_URL = "https://blueprint.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    response = client.get(URL, HTTP_HOST="attacker.example.com")
    assert response.json()["$id"].startswith("https://blueprint.example.org/")


def test_the_schema_is_read_only(client, editor):
    client.force_login(editor)
    assert client.post(URL).status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert client.head(URL).status_code == HTTPStatus.OK
