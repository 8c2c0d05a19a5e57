"""The admin bench (`manage.py bench admin`) builds what it says and finds every list."""

from http import HTTPStatus

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command

from blueprints.bench_admin import CARDS_PER_BLUEPRINT, RESPONSES_PER_SITE, build_programme
from blueprints.bench_admin import changelists as admin_changelists
from blueprints.models import Blueprint, BlueprintVersion, Card
from consultations.models import Response


def test_an_unknown_scenario_is_refused_before_any_database_is_made():
    with pytest.raises(CommandError, match="No such scenario: nope"):
        call_command("bench", "nope")


@pytest.mark.django_db
def test_the_programme_has_two_blueprints_of_cards_and_the_responses_of_each_site():
    counts = build_programme(2)
    assert counts["localities"] == 2
    assert Card.objects.count() == 2 * 2 * CARDS_PER_BLUEPRINT
    assert Response.objects.count() == 2 * RESPONSES_PER_SITE
    assert Blueprint.objects.filter(review_state="submitted").count() == 1
    assert BlueprintVersion.objects.exists()


@pytest.mark.django_db
def test_the_bench_times_every_registered_list(client_for, superuser):
    pages = admin_changelists()
    assert len(pages) == len(admin.site._registry)
    client = client_for(superuser)
    for _label, url in pages:
        assert client.get(url).status_code == HTTPStatus.OK
