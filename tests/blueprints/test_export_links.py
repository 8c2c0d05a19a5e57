"""Exports are reachable from the pages people use: overview, blueprint list, blueprint tabs."""

import pytest
from django.urls import reverse

from tests.blueprints.factories import BlueprintFactory

pytestmark = pytest.mark.django_db


def test_overview_links_the_locality_report(client_for, viewer, locality):
    response = client_for(viewer).get(reverse("localities:detail", args=[locality.slug]))
    assert reverse("blueprints:locality-report-pdf", args=[locality.slug]) in response.text


def test_blueprint_list_offers_import_to_editors_only(client_for, editor, viewer, locality):
    url = reverse("blueprints:list", args=[locality.slug])
    import_url = reverse("blueprints:import-json", args=[locality.slug])
    assert import_url in client_for(editor).get(url).text
    assert import_url not in client_for(viewer).get(url).text


@pytest.mark.parametrize("name", ["export-pdf", "export-json", "export-csv"])
def test_blueprint_tabs_link_every_export(client_for, viewer, locality, name):
    blueprint = BlueprintFactory(locality=locality)
    response = client_for(viewer).get(
        reverse("blueprints:text", args=[locality.slug, blueprint.pk])
    )
    assert reverse(f"blueprints:{name}", args=[locality.slug, blueprint.pk]) in response.text
