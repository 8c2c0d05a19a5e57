"""The demo data command's guards, each on an empty database: DEBUG off, --if-empty, and no
email for the review moves it makes. What a run makes is in tests/test_seed_demo.py."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from localities.models import Locality

pytestmark = pytest.mark.django_db

SLUGS = {"northgate", "riverside", "hollins-vale", "castlebrook", "ashworth-green", "millbrook"}


def seed(*args, **kwargs):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, **kwargs)
    return out.getvalue()


def counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"localities", "consultations", "blueprints", "auth"}
        and not model._meta.label.startswith("auth.Permission")
    }


def test_if_empty_leaves_an_existing_database_alone(settings):
    settings.DEBUG = True
    Locality.objects.create(name="Real place", slug="real-place", area="Somewhere")
    output = seed("--if-empty")
    assert "left as it is" in output
    assert not get_user_model().objects.filter(username="reviewer").exists()


def test_seed_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="pass --force"):
        seed()
    assert not Locality.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_seed_sends_no_email_for_its_review_moves(settings, mailoutbox):
    """Real commits, so the notifications' on_commit callbacks run as in production."""
    settings.DEBUG = True
    seed()
    assert Locality.objects.count() == 6
    assert mailoutbox == []
