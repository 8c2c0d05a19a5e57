"""A viewer chooses the paper of a blueprint's PDF from the blueprint's pages, by keyboard
and by the links' names as a screen reader reads them; axe on each page."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from localities.models import Membership
from tests.blueprints.factories import BlueprintFactory
from tests.browser.conftest import assert_accessible, log_in
from tests.localities.factories import LocalityFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

A4_LANDSCAPE_WIDTH = 841.89


@pytest.fixture
def viewer_and_blueprint():
    locality = LocalityFactory(name="Northgate", slug="northgate")
    viewer = UserFactory(username="northgate-viewer")
    MembershipFactory(locality=locality, user=viewer, role=Membership.Role.VIEWER)
    return viewer, BlueprintFactory(locality=locality, title="Welcome walks", by=None)


def test_viewer_picks_a3_or_a4_beside_the_pdf_link(page, viewer_and_blueprint):
    viewer, blueprint = viewer_and_blueprint
    log_in(page, viewer.username)
    for path in ("text", "review"):
        page.goto(f"/localities/northgate/blueprints/{blueprint.pk}/{path}/")
        nav = page.get_by_role("navigation", name="Sections of this blueprint")
        a3 = nav.get_by_role("link", name="PDF (A3)", exact=True)
        a4 = nav.get_by_role("link", name="PDF (A4)", exact=True)
        expect(a3).to_have_attribute("href", re.compile(r"export\.pdf\?paper=a3$"))
        expect(a4).to_have_attribute("href", re.compile(r"export\.pdf\?paper=a4$"))
        a4.focus()
        expect(a4).to_be_focused()
        assert_accessible(page)
    response = page.request.get(a4.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    width = PdfReader(io.BytesIO(response.body())).pages[0].mediabox.width
    assert round(float(width), 2) == A4_LANDSCAPE_WIDTH
