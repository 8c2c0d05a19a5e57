"""The demo data command: accounts as DESIGN section 6 lists them, idempotent, and guarded.

What one run makes is read from one seeding shared by the module (`seeded_demo`); the
guards, which need an empty database, are in tests/test_seed_demo_guards.py.
"""

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from localities import permissions
from localities.models import Locality, Membership
from tests.test_seed_demo_guards import SLUGS, counts, seed

pytestmark = pytest.mark.django_db


def test_seed_creates_six_localities_each_with_lead_editor_and_viewer(seeded_demo):
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


def test_seed_prints_accounts_and_every_password_works(seeded_demo):
    assert "northgate-editor" in seeded_demo.output
    assert "reviewer" in seeded_demo.output
    assert f"Every password is: {seeded_demo.password}" in seeded_demo.output
    lead = authenticate(
        RequestFactory().post("/"), username="millbrook-lead", password=seeded_demo.password
    )
    assert lead is not None
    reviewer = authenticate(
        RequestFactory().post("/"), username="reviewer", password=seeded_demo.password
    )
    assert permissions.is_reviewer(reviewer)


def test_seed_runs_with_debug_off_when_forced(seeded_demo, settings):
    """`seeded_demo` ran the command with DEBUG off and --force."""
    assert settings.DEBUG is False
    assert Locality.objects.count() == 6


def test_seed_twice_adds_nothing(seeded_demo, settings):
    settings.DEBUG = True
    first = counts()
    seed("--password", seeded_demo.password)
    assert counts() == first
