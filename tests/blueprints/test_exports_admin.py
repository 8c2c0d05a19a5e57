"""The Blueprint admin's "Export selected as PDF": one PDF, or a zip of one each."""

import io
import zipfile
from http import HTTPStatus

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.cache import cache
from django.urls import reverse

from blueprints.admin import export_actions
from blueprints.exports import pdf
from tests.blueprints.factories import BlueprintFactory, CardFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:blueprints_blueprint_changelist"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def blueprints(locality, other_locality):
    made = []
    for place, title in ((locality, "Welcome walks"), (other_locality, "Play bus")):
        blueprint = BlueprintFactory(locality=place, title=title)
        CardFactory(blueprint=blueprint, title=f"{title}: first step")
        made.append(blueprint)
    return made


def export(client, selected):
    """The action hands the work to a worker and sends the reviewer to the job's page; the
    tests' task backend runs it at once, so the page offers the file."""
    response = client.post(
        reverse(CHANGELIST),
        {"action": "export_selected_as_pdf", ACTION_CHECKBOX_NAME: [b.pk for b in selected]},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/jobs/")
    page = client.get(response["Location"])
    assert page.status_code == HTTPStatus.OK
    assert "It is ready." in page.text
    return client.get(response["Location"] + "download/")


def test_reviewers_have_the_action(client_for, reviewer):
    response = client_for(reviewer).get(reverse(CHANGELIST))
    names = {name for name, _ in response.context["action_form"].fields["action"].choices}
    assert "export_selected_as_pdf" in names


def test_one_blueprint_exports_as_one_pdf(client_for, reviewer, blueprints):
    response = export(client_for(reviewer), blueprints[:1])
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="northgate-welcome-walks-v' in response["Content-Disposition"]


def test_several_blueprints_export_as_a_zip_of_one_pdf_each(client_for, reviewer, blueprints):
    response = export(client_for(reviewer), blueprints)
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    assert [name.split("-v")[0] for name in names] == [
        "northgate-welcome-walks",
        "riverside-play-bus",
    ]
    assert all(archive.read(name).startswith(b"%PDF") for name in names)


def test_a_refused_blueprint_is_named_in_the_zip(client_for, reviewer, blueprints, monkeypatch):
    monkeypatch.setattr(pdf, "MAX_CARDS", 0)
    archive = zipfile.ZipFile(io.BytesIO(export(client_for(reviewer), blueprints).content))
    assert all(name.endswith("-not-exported.txt") for name in archive.namelist())


def test_too_many_selected_is_a_message_not_a_file(client_for, reviewer, blueprints, monkeypatch):
    monkeypatch.setattr(export_actions, "MAX_SELECTED", 1)
    client = client_for(reviewer)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "export_selected_as_pdf", ACTION_CHECKBOX_NAME: [b.pk for b in blueprints]},
    )
    assert response.status_code == HTTPStatus.FOUND
    response = client.get(response["Location"])
    assert "Select at most 1 blueprints" in response.content.decode()


def test_people_outside_the_admin_cannot_export_through_it(client_for, editor, blueprints):
    response = client_for(editor).post(
        reverse(CHANGELIST),
        {"action": "export_selected_as_pdf", ACTION_CHECKBOX_NAME: [b.pk for b in blueprints]},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert reverse("admin:login") in response["Location"]
