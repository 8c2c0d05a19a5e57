"""Responses are compressed (issue 13, item 8): pages by GZipMiddleware when the client
accepts gzip, and static files by WhiteNoise from the gzip and Brotli copies that the
production storage makes at collectstatic."""

import gzip
from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client
from django.urls import reverse
from django.utils.cache import has_vary_header

from blueprints.bench_editor_browser import production_static
from tests.blueprints.factories import BlueprintFactory, fill_grid

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_page(client_for, editor, locality):
    """The editor of a 30-card blueprint, for a logged-in editor: (client, url)."""
    blueprint = BlueprintFactory(locality=locality, title="Welcome walks")
    fill_grid(blueprint, 30, prefix="Walk step")
    return client_for(editor), reverse("blueprints:detail", args=[locality.slug, blueprint.pk])


def test_the_editor_is_gzip_encoded_when_the_client_accepts_gzip(editor_page):
    client, url = editor_page
    response = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Encoding"] == "gzip"
    page = gzip.decompress(response.content).decode()
    assert "Walk step 29" in page
    assert int(response["Content-Length"]) == len(response.content) < len(page.encode()) / 4


def test_the_editor_is_sent_plain_when_the_client_does_not_accept_gzip(editor_page):
    client, url = editor_page
    response = client.get(url, headers={"Accept-Encoding": "identity"})
    assert response.status_code == HTTPStatus.OK
    assert not response.has_header("Content-Encoding")
    assert "Walk step 29" in response.content.decode()


@pytest.mark.parametrize("accepts", ["gzip", "identity"])
def test_the_editor_varies_on_accept_encoding_either_way(editor_page, accepts):
    """So that a shared cache never hands a gzip body to a client that cannot read it."""
    client, url = editor_page
    response = client.get(url, headers={"Accept-Encoding": accepts})
    assert response.status_code == HTTPStatus.OK
    assert has_vary_header(response, "Accept-Encoding")


def test_gzip_runs_after_whitenoise_and_before_everything_that_reads_the_body():
    """Django's middleware ordering: GZipMiddleware above any middleware that reads or
    changes the body (so it compresses last), below WhiteNoise (which serves its own
    compressed copies of static files) and SecurityMiddleware."""
    order = settings.MIDDLEWARE
    gzip_at = order.index("django.middleware.gzip.GZipMiddleware")
    assert order.index("whitenoise.middleware.WhiteNoiseMiddleware") < gzip_at
    assert order.index("django.middleware.security.SecurityMiddleware") < gzip_at
    for body_user in (
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "axes.middleware.AxesMiddleware",
    ):
        assert gzip_at < order.index(body_user), body_user


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory, django_db_blocker):
    """Static files collected once for the module, as production's storage collects them."""
    root = tmp_path_factory.mktemp("static")
    with django_db_blocker.unblock(), production_static(root):
        yield root


@pytest.mark.parametrize(
    "name", ["js/editor/core.js", "css/blueprint.css", "bootstrap/css/bootstrap.min.css"]
)
@pytest.mark.parametrize("encoding", ["gzip", "br"])
def test_static_files_are_served_compressed_in_the_production_storage(
    collected_static, name, encoding
):
    url = staticfiles_storage.url(name)
    assert url != f"/static/{name}", "the production storage serves hashed names"
    response = Client().get(url, headers={"Accept-Encoding": encoding})
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Encoding"] == encoding
    assert has_vary_header(response, "Accept-Encoding")
    body = b"".join(response.streaming_content)
    assert len(body) < (collected_static / name).stat().st_size / 2


def test_static_files_are_sent_plain_to_a_client_that_accepts_no_compression(collected_static):
    response = Client().get(staticfiles_storage.url("css/blueprint.css"))
    assert response.status_code == HTTPStatus.OK
    assert not response.has_header("Content-Encoding")
    body = b"".join(response.streaming_content)
    assert body == (collected_static / "css/blueprint.css").read_bytes()
