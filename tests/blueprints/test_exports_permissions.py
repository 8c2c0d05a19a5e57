"""Every export URL, for every kind of user, both ways (DESIGN section 4).

Exports are reads: any member and reviewers. Importing makes a blueprint: editors, leads
and superusers only. Another locality's user gets 404, anonymous goes to the login page.
Rendering is stubbed here: these tests are about who may, not what is drawn.
"""

import json
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blueprints.exports import pdf
from blueprints.interchange import json_export
from blueprints.models import Blueprint
from tests.blueprints.factories import BlueprintFactory, CardFactory
from tests.roles import CONTENT_EDITORS, READERS, ROLES

pytestmark = pytest.mark.django_db

OK, FORBIDDEN, NOT_FOUND, FOUND = (
    HTTPStatus.OK,
    HTTPStatus.FORBIDDEN,
    HTTPStatus.NOT_FOUND,
    HTTPStatus.FOUND,
)
READ_URLS = ["export-pdf", "export-json", "export-csv", "locality-report-pdf"]


@pytest.fixture(autouse=True)
def stub_rendering(monkeypatch):
    cache.clear()
    monkeypatch.setattr(pdf, "render_pdf", lambda html, **kwargs: b"%PDF-1.7 stub")
    yield
    cache.clear()


@pytest.fixture
def blueprint(locality, editor):
    blueprint = BlueprintFactory(locality=locality, title="Welcome walks", by=editor)
    CardFactory(blueprint=blueprint, title="Hears about the service", by=editor)
    return blueprint


def url_of(name: str, blueprint) -> str:
    if name == "locality-report-pdf":
        return reverse(f"blueprints:{name}", args=[blueprint.locality.slug])
    return reverse(f"blueprints:{name}", args=[blueprint.locality.slug, blueprint.pk])


@pytest.mark.parametrize("name", READ_URLS)
@pytest.mark.parametrize("role", ROLES)
def test_exports_are_for_anyone_who_may_read_the_locality(client_for, users, blueprint, name, role):
    response = client_for(users[role]).get(url_of(name, blueprint))
    assert response.status_code == READERS[role]


@pytest.mark.parametrize("name", [*READ_URLS, "import-json"])
def test_anonymous_goes_to_the_login_page(client, blueprint, name):
    url = url_of(name, blueprint) if name != "import-json" else import_url()
    response = client.get(url)
    assert response.status_code == FOUND
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["export-pdf", "export-json", "export-csv"])
def test_a_blueprint_of_another_locality_is_not_found_through_this_one(
    client_for, users, other_locality, name
):
    theirs = BlueprintFactory(locality=other_locality, title="Riverside's")
    url = reverse(f"blueprints:{name}", args=["northgate", theirs.pk])
    assert client_for(users["lead"]).get(url).status_code == NOT_FOUND


@pytest.mark.parametrize("name", ["export-pdf", "export-json", "export-csv"])
def test_an_unknown_blueprint_is_not_found(client_for, users, locality, name):
    url = reverse(f"blueprints:{name}", args=["northgate", 999_999])
    assert client_for(users["viewer"]).get(url).status_code == NOT_FOUND


def test_an_unknown_locality_report_is_not_found(client_for, users):
    url = reverse("blueprints:locality-report-pdf", args=["nowhere"])
    assert client_for(users["reviewer"]).get(url).status_code == NOT_FOUND


def import_url(slug: str = "northgate") -> str:
    return reverse("blueprints:import-json", args=[slug])


def upload(blueprint) -> SimpleUploadedFile:
    content = json.dumps(json_export.export_document(blueprint)).encode()
    return SimpleUploadedFile("blueprint.json", content, content_type="application/json")


@pytest.mark.parametrize("role", ROLES)
def test_import_page_is_for_editors(client_for, users, role):
    assert client_for(users[role]).get(import_url()).status_code == CONTENT_EDITORS[role]


@pytest.mark.parametrize("role", ["viewer", "reviewer", "outsider"])
def test_import_is_refused_to_readers_and_outsiders_and_saves_nothing(
    client_for, users, blueprint, role
):
    before = Blueprint.objects.count()
    response = client_for(users[role]).post(import_url(), {"file": upload(blueprint)})
    assert response.status_code == CONTENT_EDITORS[role]
    assert Blueprint.objects.count() == before


@pytest.mark.parametrize("role", ["lead", "editor", "superuser"])
def test_editors_import(client_for, users, blueprint, role):
    response = client_for(users[role]).post(
        import_url(), {"file": upload(blueprint), "title": f"Imported by {role}"}
    )
    assert response.status_code == FOUND
    imported = Blueprint.objects.get(title=f"Imported by {role}")
    assert imported.locality == blueprint.locality
    assert imported.created_by == users[role]
