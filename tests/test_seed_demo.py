"""The demo data command: accounts as DESIGN section 6 lists them, idempotent, and guarded."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from localities import permissions
from localities.models import Locality, Membership

pytestmark = pytest.mark.django_db

SLUGS = {"northgate", "riverside", "hollins-vale", "castlebrook", "ashworth-green", "millbrook"}


def seed(*args, **kwargs):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, **kwargs)
    return out.getvalue()


def counts():
    from django.apps import apps

    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"localities", "consultations", "blueprints", "auth"}
        and not model._meta.label.startswith("auth.Permission")
    }


def test_seed_creates_six_localities_each_with_lead_editor_and_viewer(settings):
    settings.DEBUG = True
    seed()
    assert set(Locality.objects.values_list("slug", flat=True)) == SLUGS
    for slug in SLUGS:
        roles = dict(
            Membership.objects.filter(locality__slug=slug).values_list("user__username", "role")
        )
        assert roles == {
            f"{slug}-lead": "lead",
            f"{slug}-editor": "editor",
            f"{slug}-viewer": "viewer",
        }


def test_seed_prints_accounts_and_every_password_works(settings):
    settings.DEBUG = True
    output = seed("--password", "another-pass")
    assert "northgate-editor" in output
    assert "reviewer" in output
    assert (
        authenticate(RequestFactory().post("/"), username="millbrook-lead", password="another-pass")
        is not None
    )
    reviewer = authenticate(
        RequestFactory().post("/"), username="reviewer", password="another-pass"
    )
    assert permissions.is_reviewer(reviewer)


def test_seed_twice_adds_nothing(settings):
    settings.DEBUG = True
    seed()
    first = counts()
    seed()
    assert counts() == first


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


def test_seed_runs_with_debug_off_when_forced(settings):
    settings.DEBUG = False
    seed("--force")
    assert Locality.objects.count() == 6


@pytest.mark.django_db(transaction=True)
def test_seed_sends_no_email_for_its_review_moves(settings, mailoutbox):
    """Real commits, so the notifications' on_commit callbacks run as in production."""
    settings.DEBUG = True
    seed()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("who", "shown"), [("reviewer", True), ("superuser", True), ("lead", False)]
)
def test_portfolio_link_only_for_those_it_admits(client_for, users, who, shown):
    response = client_for(users[who]).get("/")
    assert ('href="/portfolio/"' in response.text) is shown
