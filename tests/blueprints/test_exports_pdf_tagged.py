"""Accessible PDFs (issue 14, item 5) and the A3/A4 choice beside every PDF link (item 6).

Every PDF is tagged as PDF/UA-1: the structure tree read back with pypdf holds the headings
in order, the grid as a table with header cells, and the emotion curve's text alternative;
the document's language and title are set and shown.
"""

import io
import re
import shutil
import subprocess
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from blueprints import services
from blueprints.models import Card, Lane
from tests.blueprints import test_exports_pdf, test_exports_report
from tests.blueprints.factories import BlueprintFactory, lane, phase
from tests.roles import ALLOWED_READERS, READERS, ROLES

pytestmark = pytest.mark.django_db

# The PDF tests' small blueprint (a card in every lane, an emotion at each end, a delivery
# challenge, a prototype) and the report tests' locality, steps 1 to 8, under names of
# their own here.
small_blueprint = test_exports_pdf.blueprint
report_method = test_exports_report.method


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


# Reading a tagged PDF back -----------------------------------------------------------------


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def structure(content: bytes) -> list[dict]:
    """Every structure element of the PDF, in document order: its type (`H1`, `Table`...),
    its alternative text, and the types of its parent and children."""
    reader = PdfReader(io.BytesIO(content))
    root = _resolve(reader.trailer["/Root"]["/StructTreeRoot"])
    elements: list[dict] = []

    def walk(node, parent: str) -> None:
        node = _resolve(node)
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid, parent)
            return
        if not isinstance(node, DictionaryObject) or "/S" not in node:
            return  # a marked-content id or an object reference: no structure of its own
        kind = str(node["/S"]).lstrip("/")
        kids = _resolve(node.get("/K", ArrayObject()))
        kids = kids if isinstance(kids, ArrayObject) else ArrayObject([kids])
        elements.append(
            {
                "type": kind,
                "alt": str(node["/Alt"]) if "/Alt" in node else None,
                "parent": parent,
                "attributes": _resolve(node.get("/A")),
                "children": [
                    str(_resolve(kid)["/S"]).lstrip("/")
                    for kid in kids
                    if isinstance(_resolve(kid), DictionaryObject) and "/S" in _resolve(kid)
                ],
            }
        )
        walk(kids, kind)

    walk(root["/K"], "StructTreeRoot")
    return elements


def types(content: bytes) -> list[str]:
    return [element["type"] for element in structure(content)]


def heading_levels(content: bytes) -> list[int]:
    return [int(kind[1]) for kind in types(content) if kind in {f"H{n}" for n in range(1, 7)}]


def catalog(content: bytes):
    return PdfReader(io.BytesIO(content)).trailer["/Root"]


def pdf_url(blueprint, paper: str | None = None) -> str:
    url = reverse("blueprints:export-pdf", args=[blueprint.locality.slug, blueprint.pk])
    return url if paper is None else f"{url}?paper={paper}"


def blueprint_pdf(client, user, blueprint, paper: str | None = None) -> bytes:
    client.force_login(user)
    response = client.get(pdf_url(blueprint, paper))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pdf"
    return response.content


def report_pdf(client, user) -> bytes:
    client.force_login(user)
    response = client.get(reverse("blueprints:locality-report-pdf", args=["northgate"]))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pdf"
    return response.content


# The blueprint PDF, on both papers -----------------------------------------------------------


@pytest.mark.parametrize("paper", ["a3", "a4"])
def test_blueprint_pdf_is_tagged_as_pdf_ua_1(client, small_blueprint, viewer, paper):
    content = blueprint_pdf(client, viewer, small_blueprint, paper)
    root = catalog(content)
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"].value is True
    metadata = PdfReader(io.BytesIO(content)).xmp_metadata
    assert metadata is not None
    assert b"pdfuaid" in metadata.stream.get_data()


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils' pdfinfo is missing")
def test_pdfinfo_calls_the_blueprint_pdf_tagged(client, small_blueprint, viewer, tmp_path):
    path = tmp_path / "blueprint.pdf"
    path.write_bytes(blueprint_pdf(client, viewer, small_blueprint))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Tagged:          yes" in info.stdout


@pytest.mark.parametrize("paper", ["a3", "a4"])
def test_blueprint_pdf_language_and_title_are_set_and_shown(client, small_blueprint, viewer, paper):
    content = blueprint_pdf(client, viewer, small_blueprint, paper)
    root = catalog(content)
    assert str(root["/Lang"]) == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    title = PdfReader(io.BytesIO(content)).metadata.title
    assert title == "Welcome walks: the service · Northgate"


@pytest.mark.parametrize("paper", ["a3", "a4"])
def test_blueprint_pdf_headings_run_h1_h2_h3_without_skips(client, small_blueprint, viewer, paper):
    levels = heading_levels(blueprint_pdf(client, viewer, small_blueprint, paper))
    assert levels[0] == 1
    assert levels.count(1) == 1
    assert {1, 2, 3} <= set(levels)
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels


@pytest.mark.parametrize("paper", ["a3", "a4"])
def test_blueprint_grid_is_a_table_with_phase_and_lane_header_cells(
    client,
    small_blueprint,
    viewer,
    paper,
):
    elements = structure(blueprint_pdf(client, viewer, small_blueprint, paper))
    assert "Table" in [element["type"] for element in elements]
    header_cells = [element for element in elements if element["type"] == "TH"]
    # Column headers: the corner and one per phase (3); row headers: 5 lanes and the curve.
    assert len(header_cells) >= 1 + 3 + 5 + 1
    cells = [element for element in elements if element["type"] == "TD"]
    # Each card's cell is tied to its lane and its phase (WeasyPrint writes /Headers from
    # <th scope="row"> and <th scope="col">).
    assert cells
    assert all(len(cell["attributes"]["/Headers"]) >= 2 for cell in cells)


def test_emotion_curve_has_its_values_and_worst_moment_in_the_tags(client, small_blueprint, viewer):
    elements = structure(blueprint_pdf(client, viewer, small_blueprint))
    figures = [element for element in elements if element["type"] == "Figure"]
    assert len(figures) == 1
    alt = figures[0]["alt"]
    assert alt.startswith("Family emotion per phase, from −2 to +2:")
    assert "Awareness, +2 (1 card)" in alt
    assert "Use, no emotion recorded" in alt
    assert "Exit and advocacy, −1 (1 card)" in alt
    assert "Worst moment: Feels dropped when the visits stop, −1" in alt


def test_curve_alternative_holds_user_text_as_text(client, locality, editor, viewer):
    blueprint = BlueprintFactory(locality=locality, title="Markup in titles", by=editor)
    services.add_card(
        blueprint=blueprint,
        phase=phase(blueprint, 0),
        lane=lane(blueprint, Lane.Role.FAMILY),
        title='<b>Waits</b> & "worries" <img src=x>',
        kind=Card.Kind.PAIN_POINT,
        emotion=-2,
        by=editor,
    )
    blueprint.refresh_from_db()
    elements = structure(blueprint_pdf(client, viewer, blueprint))
    (figure,) = [element for element in elements if element["type"] == "Figure"]
    assert 'Worst moment: <b>Waits</b> & "worries" <img src=x>, −2' in figure["alt"]


def test_blueprint_without_emotion_still_describes_its_curve(client, locality, editor, viewer):
    blueprint = BlueprintFactory(locality=locality, title="No feelings yet", by=editor)
    services.add_card(
        blueprint=blueprint,
        phase=phase(blueprint, 0),
        lane=lane(blueprint, Lane.Role.FAMILY),
        title="Hears about the walks",
        kind=Card.Kind.STEP,
        by=editor,
    )
    blueprint.refresh_from_db()
    elements = structure(blueprint_pdf(client, viewer, blueprint))
    figures = [element for element in elements if element["type"] == "Figure"]
    assert all(figure["alt"] for figure in figures)
    assert all("Worst moment" not in figure["alt"] for figure in figures)


def test_every_figure_in_the_blueprint_pdf_has_alternative_text(client, small_blueprint, viewer):
    """The brand mark is decoration, drawn as a background (an artifact), not an image
    without alt text."""
    elements = structure(blueprint_pdf(client, viewer, small_blueprint))
    assert [element["alt"] for element in elements if element["type"] == "Figure"] == [
        element["alt"] for element in elements if element["type"] == "Figure" and element["alt"]
    ]


def test_lists_in_the_blueprint_pdf_hold_only_list_items_below_the_header(
    client,
    small_blueprint,
    viewer,
):
    """The legend, questions and prototype facts are L > LI; only the header's facts (a
    definition list, see the gaps in the report) are not checked."""
    elements = structure(blueprint_pdf(client, viewer, small_blueprint))
    first_heading = next(i for i, e in enumerate(elements) if e["type"] == "H2")
    lists = [e for e in elements[first_heading:] if e["type"] == "L"]
    assert lists
    for element in lists:
        assert set(element["children"]) <= {"LI", "Caption"}, element["children"]


# The locality report --------------------------------------------------------------------------


def test_report_is_tagged_with_language_and_title(client, report_method, viewer):
    content = report_pdf(client, viewer)
    root = catalog(content)
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]) == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    title = PdfReader(io.BytesIO(content)).metadata.title
    assert title == "Northgate: the method, from insights to prototypes"


def test_report_headings_run_in_order(client, report_method, viewer):
    levels = heading_levels(report_pdf(client, viewer))
    assert levels[0] == 1
    assert levels.count(1) == 1
    assert {2, 3} <= set(levels)
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, levels


def test_report_holds_tables_with_header_cells_and_the_curve_alternative(
    client,
    report_method,
    viewer,
):
    elements = structure(report_pdf(client, viewer))
    kinds = [element["type"] for element in elements]
    assert kinds.count("Table") >= 3  # insights' counts and list, ideas, the grid...
    assert "TH" in kinds
    figures = [element for element in elements if element["type"] == "Figure"]
    assert len(figures) == 1
    assert "Worst moment: Meets the guide at the library, +1" in figures[0]["alt"]


def test_report_lists_hold_only_list_items(client, report_method, viewer):
    elements = structure(report_pdf(client, viewer))
    lists = [element for element in elements if element["type"] == "L"]
    assert lists
    for element in lists:
        assert set(element["children"]) <= {"LI", "Caption"}, element["children"]


# Paper: A3 or A4, and nothing else -----------------------------------------------------------


A3_WIDTH, A4_WIDTH = 1190.55, 841.89


def first_page_width(content: bytes) -> float:
    return round(float(PdfReader(io.BytesIO(content)).pages[0].mediabox.width), 2)


@pytest.mark.parametrize(
    ("paper", "width"), [(None, A3_WIDTH), ("a3", A3_WIDTH), ("A4", A4_WIDTH), ("a4", A4_WIDTH)]
)
def test_paper_named_in_the_link_is_the_paper_printed(
    client, small_blueprint, viewer, paper, width
):
    assert first_page_width(blueprint_pdf(client, viewer, small_blueprint, paper)) == width


@pytest.mark.parametrize("bad", ["letter", "a5", "%3Cscript%3E", "a4%00", "x" * 300])
def test_unknown_paper_is_refused_with_a_message_not_a_500(
    client,
    small_blueprint,
    viewer,
    bad,
    monkeypatch,
    django_assert_max_num_queries,
):
    from blueprints.exports import pdf

    def no_render(*args, **kwargs):
        raise AssertionError("an unknown paper must not render")

    monkeypatch.setattr(pdf, "render_pdf", no_render)
    client.force_login(viewer)
    with django_assert_max_num_queries(12):
        response = client.get(pdf_url(small_blueprint, bad))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert "There is no paper size" in text
    assert "Choose A3 or A4." in text
    assert "<script>" not in text
    # The sizes there are, offered at once.
    assert f'href="{pdf_url(small_blueprint)}?paper=a3"' in text
    assert f'href="{pdf_url(small_blueprint)}?paper=a4"' in text


def test_unknown_paper_is_refused_before_the_size_check(client, locality, editor, viewer):
    """A bad paper answers the same, and at once, however large the blueprint."""
    blueprint = BlueprintFactory(locality=locality, by=editor)
    client.force_login(viewer)
    response = client.get(pdf_url(blueprint, "b4"))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "There is no paper size “b4”. Choose A3 or A4." in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_a4_pdf_is_for_anyone_who_may_read_the_locality(
    client_for, users, small_blueprint, role, monkeypatch
):
    from blueprints.exports import pdf

    monkeypatch.setattr(pdf, "render_pdf", lambda html, **kwargs: b"%PDF-1.7 stub")
    response = client_for(users[role]).get(pdf_url(small_blueprint, "a4"))
    assert response.status_code == READERS[role]


@pytest.mark.parametrize("role", ["outsider", "anonymous"])
def test_unknown_paper_from_someone_who_may_not_read_tells_nothing(
    client, users, small_blueprint, role
):
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(pdf_url(small_blueprint, "letter"))
    if role == "anonymous":
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == HTTPStatus.NOT_FOUND
    assert "paper size" not in response.content.decode()


# Links: A3 and A4 side by side wherever the PDF is linked ---------------------------------


PAGES_WITH_THE_PDF = ["detail", "text", "review", "structure", "history", "versions"]


def page_url(name: str, blueprint) -> str:
    return reverse(f"blueprints:{name}", args=[blueprint.locality.slug, blueprint.pk])


@pytest.mark.parametrize("name", PAGES_WITH_THE_PDF)
@pytest.mark.parametrize("role", ALLOWED_READERS)
def test_pages_that_link_the_pdf_offer_a3_and_a4(client_for, users, locality, editor, name, role):
    blueprint = BlueprintFactory(locality=locality, by=editor)
    response = client_for(users[role]).get(page_url(name, blueprint))
    assert response.status_code == HTTPStatus.OK
    text = response.content.decode()
    pdf = reverse("blueprints:export-pdf", args=[locality.slug, blueprint.pk])
    assert f'href="{pdf}?paper=a3">PDF (A3)</a>' in text
    assert f'href="{pdf}?paper=a4">PDF (A4)</a>' in text
    # One pair: no bare "PDF" link left beside it.
    assert text.count(f'href="{pdf}') == 2


@pytest.mark.parametrize("role", ["outsider", "anonymous"])
def test_pages_show_no_pdf_links_to_those_who_may_not_read(client, users, locality, editor, role):
    blueprint = BlueprintFactory(locality=locality, by=editor)
    if role != "anonymous":
        client.force_login(users[role])
    response = client.get(page_url("text", blueprint))
    assert response.status_code in {HTTPStatus.NOT_FOUND, HTTPStatus.FOUND}
    pdf = reverse("blueprints:export-pdf", args=[locality.slug, blueprint.pk])
    assert pdf not in response.content.decode()


# The benchmark's comparison ------------------------------------------------------------------


def test_bench_renders_the_same_html_untagged_and_tagged_and_gives_the_ratio(monkeypatch):
    from blueprints.exports import bench, pdf

    asked = []
    real = pdf.render_pdf

    def recording(html, **kwargs):
        asked.append(kwargs["tagged"])
        return real(html, **kwargs)

    monkeypatch.setattr(pdf, "render_pdf", recording)
    line = bench.tagging_cost('<html lang="en-GB"><title>T</title><h1>Bench</h1>', runs=2)
    assert asked == [False, True, False, True]
    figures = r"untagged \d+\.\d\d s, tagged \d+\.\d\d s, \d+\.\d\dx (ok|OVER 1\.3x)"
    assert re.search(f"wall clock: {figures}; CPU: {figures}$", line), line
