import re
from http import HTTPStatus

import pytest
import segno
from django.urls import reverse

from consultations.models import Consultation, Response
from tests.consultations.factories import ConsultationFactory, IdeaFactory, ResponseFactory

pytestmark = pytest.mark.django_db


def valid(idea, **changes):
    return {
        "title": "Drop-in at the library",
        "held_on": "2026-03-12",
        "audience": "community",
        "method": "drop_in",
        "place": "Northgate library",
        "notes": "",
        "ideas": [idea.pk],
        "is_open": "on",
        **changes,
    }


def create(client, data):
    return client.post(reverse("consultations:consultation-create", args=["northgate"]), data)


def test_editor_adds_a_consultation(client_for, editor, locality, idea):
    response = create(client_for(editor), valid(idea))
    consultation = Consultation.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == consultation.get_absolute_url()
    assert (consultation.locality, consultation.created_by) == (locality, editor)
    assert list(consultation.ideas.all()) == [idea]
    assert consultation.is_open
    assert consultation.token


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"held_on": ""}, "held_on"),
        ({"held_on": "2026-02-30"}, "held_on"),
        ({"held_on": "next tuesday"}, "held_on"),
        ({"audience": "everyone"}, "audience"),
        ({"method": ""}, "method"),
        ({"place": "x" * 201}, "place"),
        ({"notes": "x" * 4001}, "notes"),
        ({"ideas": []}, "ideas"),
        ({"ideas": ["abc"]}, "ideas"),
    ],
)
def test_bad_input_is_an_error_next_to_the_field(client_for, editor, idea, changes, field):
    response = create(client_for(editor), valid(idea, **changes))
    assert response.status_code == HTTPStatus.OK
    assert field in response.context["form"].errors
    assert not Consultation.objects.exists()


def test_another_localitys_idea_is_a_form_error(client_for, editor, idea, foreign_idea):
    response = create(client_for(editor), valid(idea, ideas=[idea.pk, foreign_idea.pk]))
    assert response.status_code == HTTPStatus.OK
    assert "Only this locality's ideas" in response.context["form"].errors["ideas"][0]
    assert not Consultation.objects.exists()


def test_editing_can_close_a_consultation(client_for, editor, consultation, idea):
    data = valid(idea, title=consultation.title)
    del data["is_open"]
    response = client_for(editor).post(
        reverse("consultations:consultation-update", args=["northgate", consultation.pk]), data
    )
    assert response.status_code == HTTPStatus.FOUND
    consultation.refresh_from_db()
    assert not consultation.is_open


def test_form_page_without_ideas_says_to_add_one(client_for, editor):
    page = client_for(editor).get(reverse("consultations:consultation-create", args=["northgate"]))
    assert "has no ideas yet" in page.content.decode()


def test_detail_shows_absolute_public_link_and_qr(client_for, viewer, consultation):
    page = client_for(viewer).get(consultation.get_absolute_url())
    text = page.content.decode()
    assert f"http://testserver/consult/{consultation.token}/" in text
    assert reverse("consultations:consultation-qr", args=["northgate", consultation.pk]) in text
    assert "Regenerate link" not in text  # viewers cannot


def test_detail_shows_responses_so_far(client_for, viewer, consultation, idea):
    ResponseFactory(consultation=consultation, idea=idea, comment="Lovely idea")
    page = client_for(viewer).get(consultation.get_absolute_url())
    assert "Lovely idea" in page.content.decode()
    assert page.context["page_obj"].paginator.count == 1


def test_qr_code_is_an_svg_of_the_public_link(client_for, viewer, consultation):
    response = client_for(viewer).get(
        reverse("consultations:consultation-qr", args=["northgate", consultation.pk])
    )
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')
    assert "private" in response["Cache-Control"]
    expected = segno.make(f"http://testserver{consultation.get_public_url()}", error="m")
    path = re.search(rb'class="qrline"[^>]* d="([^"]+)"', response.content).group(1).decode()
    assert path in expected.svg_inline(scale=1, border=4)


def test_regenerating_the_link_stops_the_old_one(client_for, editor, client, consultation):
    old_url = reverse("consultations:respond", args=[consultation.token])
    response = client_for(editor).post(
        reverse("consultations:consultation-token", args=["northgate", consultation.pk])
    )
    assert response.status_code == HTTPStatus.FOUND
    consultation.refresh_from_db()
    client.logout()
    assert client.get(old_url).status_code == HTTPStatus.NOT_FOUND
    assert client.get(consultation.get_public_url()).status_code == HTTPStatus.OK


def test_delete_removes_the_consultation_and_its_responses(client_for, editor, consultation):
    ResponseFactory(consultation=consultation, idea=consultation.ideas.first())
    url = reverse("consultations:consultation-delete", args=["northgate", consultation.pk])
    assert "1 response" in client_for(editor).get(url).content.decode()
    client_for(editor).post(url)
    assert not Consultation.objects.exists()
    assert not Response.objects.exists()


def test_list_shows_counts(client_for, viewer, consultation, idea):
    ResponseFactory.create_batch(3, consultation=consultation, idea=idea)
    page = client_for(viewer).get(
        reverse("consultations:consultation-list", args=["northgate"]), {"page": "abc"}
    )
    (row,) = page.context["consultations"]
    assert (row.idea_count, row.response_count) == (2, 3)


# CSV exports


def csv_text(response):
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_consultation_export_lists_its_responses(client_for, viewer, consultation, idea):
    ResponseFactory(consultation=consultation, idea=idea, support=2, comment="=HYPERLINK()")
    other = ConsultationFactory(locality=consultation.locality, ideas=[idea])
    ResponseFactory(consultation=other, idea=idea, support=5)
    response = client_for(viewer).get(
        reverse("consultations:consultation-export", args=["northgate", consultation.pk])
    )
    assert response["Content-Type"].startswith("text/csv")
    lines = csv_text(response).strip().splitlines()
    assert lines[0].startswith("response id,consultation,")
    assert len(lines) == 2
    assert ",Parent or carer,2,'=HYPERLINK(),Entered by the team," in lines[1]


def test_locality_export_has_every_consultation_and_no_other_locality(
    client_for, viewer, consultation, idea, other_locality
):
    ResponseFactory(consultation=consultation, idea=idea)
    ResponseFactory(consultation=ConsultationFactory(locality=consultation.locality), idea=idea)
    theirs = IdeaFactory(locality=other_locality)
    ResponseFactory(consultation=ConsultationFactory(locality=other_locality), idea=theirs)
    response = client_for(viewer).get(reverse("consultations:responses-export", args=["northgate"]))
    assert len(csv_text(response).strip().splitlines()) == 3
