"""Pages that show a consultation's secret link, or sit at it, say so to caches.

The link lets anyone answer the consultation: a shared cache (a school's proxy, a CDN) must
not keep a page holding it and hand it to the next person, nor a browser store it on a
shared computer. Each such page answers `Cache-Control: private, no-store`.
"""

from http import HTTPStatus

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


def assert_private_no_store(response) -> None:
    found = directives(response)
    assert {"private", "no-store"} <= found, response.get("Cache-Control")
    assert "public" not in found


def detail_url(consultation):
    return reverse(
        "consultations:consultation-detail", args=[consultation.locality.slug, consultation.pk]
    )


def test_the_consultation_page_showing_the_public_link_is_private(client_for, viewer, consultation):
    response = client_for(viewer).get(detail_url(consultation))
    assert response.status_code == HTTPStatus.OK
    assert consultation.token in response.content.decode()
    assert_private_no_store(response)


def test_the_qr_code_of_the_public_link_is_private(client_for, viewer, consultation):
    url = reverse(
        "consultations:consultation-qr", args=[consultation.locality.slug, consultation.pk]
    )
    response = client_for(viewer).get(url)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"] == "image/svg+xml"
    assert_private_no_store(response)


def test_regenerating_the_link_answers_privately(client_for, editor, consultation):
    old = consultation.token
    url = reverse(
        "consultations:consultation-token", args=[consultation.locality.slug, consultation.pk]
    )
    response = client_for(editor).post(url)
    assert response.status_code == HTTPStatus.FOUND
    consultation.refresh_from_db()
    assert consultation.token != old
    assert_private_no_store(response)


def test_the_page_after_regenerating_shows_the_new_link_privately(client_for, editor, consultation):
    client = client_for(editor)
    url = reverse(
        "consultations:consultation-token", args=[consultation.locality.slug, consultation.pk]
    )
    response = client.post(url, follow=True)
    consultation.refresh_from_db()
    assert consultation.token in response.content.decode()
    assert_private_no_store(response)


def test_the_public_form_at_the_secret_link_is_private(client, consultation):
    response = client.get(consultation.get_public_url())
    assert response.status_code == HTTPStatus.OK
    assert_private_no_store(response)


def test_the_public_form_shown_again_with_errors_is_private(client, consultation):
    response = client.post(consultation.get_public_url(), {"group": "parent"})
    assert response.status_code == HTTPStatus.OK
    assert "Choose a score for at least one idea" in response.content.decode()
    assert_private_no_store(response)


def test_a_closed_consultations_page_at_the_secret_link_is_private(client, consultation):
    consultation.is_open = False
    consultation.save()
    response = client.get(consultation.get_public_url())
    assert response.status_code == HTTPStatus.OK
    assert_private_no_store(response)


def test_the_thanks_page_linking_back_to_the_form_is_private(client, consultation):
    url = reverse("consultations:respond-thanks", args=[consultation.token])
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert consultation.get_public_url() in response.content.decode()
    assert_private_no_store(response)


def test_the_too_many_answers_page_at_the_secret_link_is_private(client, consultation, settings):
    settings.CONSULT_SUBMISSIONS_PER_HOUR = 0
    response = client.post(consultation.get_public_url(), {"group": "parent"})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert_private_no_store(response)
