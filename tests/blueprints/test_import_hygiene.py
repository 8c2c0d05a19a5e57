"""The JSON import refuses text that is not text, and titles that are not one line.

A JSON file can escape a lone surrogate ("\\ud800"); Python reads it in, and saving it made a
500 on PostgreSQL. Such a file is refused before anything else is read, with each place
named the way the import's other problems name them ("Card 2's title"), and nothing is
saved. Titles and names with a line break are refused, not rewritten: the forms and the
models refuse them too, and a file imports as it is or not at all.
"""

import copy
import json
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from blueprints.interchange import json_export, reader
from blueprints.interchange.problems import MAX_PROBLEMS, ImportProblems
from blueprints.interchange.schema import parse_document
from blueprints.models import Blueprint
from localities.validators import NOT_ONE_LINE_MESSAGE
from tests.blueprints.test_exports_json import blueprint, counts, import_url  # noqa: F401
from tests.localities.test_text_hygiene import SURROGATE

pytestmark = pytest.mark.django_db

NOT_TEXT = "contains a character that is not valid text (a lone surrogate)"
NOT_ONE_LINE = "contains a line break or other control character; it should be one line"


@pytest.fixture
def document(blueprint):  # noqa: F811 (the fixture imported above)
    return json.loads(json_export.export_json(blueprint))


def upload(document) -> SimpleUploadedFile:
    # ensure_ascii (the default) writes a lone surrogate as the escape \ud800, as a file
    # made elsewhere may; the bytes themselves are valid UTF-8.
    return SimpleUploadedFile("b.json", json.dumps(document).encode(), "application/json")


def problems_of(document) -> list[str]:
    with pytest.raises(ImportProblems) as raised:
        reader.parse_bytes(json.dumps(document).encode())
    return raised.value.problems


def changed(document, path, value):
    changed = copy.deepcopy(document)
    target = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return changed


def test_the_escape_really_makes_a_lone_surrogate():
    assert json.loads(json.dumps({"t": SURROGATE})) == {"t": SURROGATE}
    assert b"\\ud800" in json.dumps(SURROGATE).encode()


SURROGATE_PLACES = [
    (("blueprint", "title"), "The blueprint's title"),
    (("blueprint", "summary"), "The blueprint's summary"),
    (("blueprint", "idea"), "The blueprint's idea"),
    (("phases", 1, "name"), "Phase 2's name"),
    (("lanes", 0, "name"), "Lane 1's name"),
    (("cards", 1, "title"), "Card 2's title"),
    (("cards", 2, "details"), "Card 3's details"),
    (("cards", 1, "insights", 0), "Card 2's insights (item 1)"),
    (("cards", 0, "ref"), "Card 1's ref"),
    (("links", 0, "from"), "Link 1's from"),
    (("delivery_challenges", 0, "questions"), "Delivery challenge 1's questions"),
    (("prototypes", 0, "learning"), "Prototype 1's learning"),
    (("prototypes", 0, "starts_on"), "Prototype 1's start date"),
    (("source", "locality"), "The file's source, “locality”"),
    (("exported_at",), "The file's exported at"),
]


@pytest.mark.parametrize(("path", "where"), SURROGATE_PLACES, ids=[w for _, w in SURROGATE_PLACES])
def test_a_lone_surrogate_anywhere_is_refused_and_located(document, path, where):
    problems = problems_of(changed(document, path, f"Text {SURROGATE} here"))
    assert problems == [
        f"{where} {NOT_TEXT}; correct it in the file and import it again.",
    ]


def test_a_lone_surrogate_in_a_field_name_is_refused_and_located(document):
    document["cards"][3][f"note{SURROGATE}"] = "x"
    assert problems_of(document) == [
        "Card 4 has a field name containing a character that is not valid text (a lone surrogate)."
    ]


def test_no_message_repeats_the_surrogate(document):
    """Other checks quote what they find (an unknown field, a missing reference); they do
    not run on such a file, so no message can fail to show."""
    document["cards"][0]["lane"] = f"lane-{SURROGATE}"
    document[f"extra{SURROGATE}"] = SURROGATE
    problems = problems_of(document)
    assert problems
    for problem in problems:
        assert SURROGATE not in problem
        problem.encode("utf-8")


def test_many_lone_surrogates_are_listed_up_to_the_limit(document):
    for card in document["cards"]:
        card["title"] = card["details"] = SURROGATE
    assert len(document["cards"]) * 2 > MAX_PROBLEMS
    problems = problems_of(document)
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[0].startswith(f"Card 1's title {NOT_TEXT}")
    assert "these are the first ones found" in problems[-1]


def test_a_deeply_nested_document_is_walked_without_recursion(document):
    """Deeper than Python's recursion limit: `parse_document` also reads stored snapshots."""
    deep: list = [SURROGATE]
    for _ in range(5000):
        deep = [deep]
    document["source"]["deep"] = deep
    with pytest.raises(ImportProblems) as raised:
        parse_document(document)
    assert len(raised.value.problems) == 1


def test_a_lone_surrogate_through_the_page_saves_nothing(client, editor, document):
    before = counts()
    client.force_login(editor)
    response = client.post(
        import_url(), {"file": upload(changed(document, ("cards", 1, "title"), SURROGATE))}
    )
    assert response.status_code == HTTPStatus.OK
    assert f"Card 2&#x27;s title {NOT_TEXT}" in response.content.decode()
    assert counts() == before


ONE_LINE_PLACES = [
    (("blueprint", "title"), "The blueprint's title"),
    (("phases", 0, "name"), "Phase 1's name"),
    (("lanes", 2, "name"), "Lane 3's name"),
    (("cards", 4, "title"), "Card 5's title"),
    (("delivery_challenges", 1, "title"), "Delivery challenge 2's title"),
    (("prototypes", 1, "title"), "Prototype 2's title"),
]


@pytest.mark.parametrize(("path", "where"), ONE_LINE_PLACES, ids=[w for _, w in ONE_LINE_PLACES])
@pytest.mark.parametrize("value", ["Two\nlines", "Two\r\nlines", "Tab\there", "Bell\x07"])
def test_a_title_or_name_that_is_not_one_line_is_refused_and_located(document, path, where, value):
    # The first problem; references to the refused phase or challenge follow it.
    assert problems_of(changed(document, path, value))[0] == f"{where} {NOT_ONE_LINE}."


@pytest.mark.parametrize(
    "path",
    [
        ("blueprint", "summary"),
        ("phases", 0, "description"),
        ("cards", 0, "details"),
        ("delivery_challenges", 0, "questions"),
        ("prototypes", 0, "learning"),
    ],
)
def test_text_written_on_several_lines_imports_with_its_line_breaks(document, path):
    parsed = parse_document(changed(document, path, "Line one\nline two\ttabbed"))
    assert parsed is not None


def test_a_title_on_two_lines_through_the_page_saves_nothing(client, editor, document):
    before = counts()
    client.force_login(editor)
    response = client.post(
        import_url(), {"file": upload(changed(document, ("cards", 0, "title"), "A\nB"))}
    )
    assert response.status_code == HTTPStatus.OK
    assert f"Card 1&#x27;s title {NOT_ONE_LINE}" in response.content.decode()
    assert counts() == before


def test_a_title_on_two_lines_given_on_the_form_is_refused_next_to_it(client, editor, document):
    before = counts()
    client.force_login(editor)
    response = client.post(import_url(), {"file": upload(document), "title": "New\ntitle"})
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["title"] == [NOT_ONE_LINE_MESSAGE]
    assert counts() == before


def test_a_clean_file_still_imports(client, editor, document):
    client.force_login(editor)
    response = client.post(import_url(), {"file": upload(document)})
    assert response.status_code == HTTPStatus.FOUND
    assert Blueprint.objects.count() == 2
