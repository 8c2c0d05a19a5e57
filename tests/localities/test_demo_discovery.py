"""Demo insights and challenges: enough for each site, its own, and idempotent."""

import pytest

from localities.demo import DISCOVERY, SITES, seed_localities
from localities.models import Challenge, Insight, Locality, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    seed_localities(password="demo-pass")


def test_every_site_has_discovery_content():
    assert set(DISCOVERY) == {site.slug for site in SITES}


@pytest.mark.parametrize("slug", [site.slug for site in SITES])
def test_each_site_has_ten_varied_insights_and_three_challenges(seeded, slug):
    locality = Locality.objects.get(slug=slug)
    insights = Insight.objects.filter(locality=locality)
    assert insights.count() >= 10
    assert set(insights.values_list("subject", flat=True)) == {"families", "system"}
    assert insights.values("source").distinct().count() >= 3
    assert Tag.objects.filter(locality=locality).count() >= 5
    assert not insights.filter(tags__isnull=True).exists()
    assert not insights.filter(recorded_by__isnull=True).exists()
    challenges = Challenge.objects.filter(locality=locality)
    assert challenges.count() >= 3
    for challenge in challenges:
        cited = challenge.insights.all()
        assert cited.count() >= 2
        assert {insight.locality_id for insight in cited} == {locality.pk}


def test_sites_do_not_share_insights_or_challenges(seeded):
    statements = list(Insight.objects.values_list("statement", flat=True))
    titles = list(Challenge.objects.values_list("title", flat=True))
    assert len(statements) == len(set(statements))
    assert len(titles) == len(set(titles))


def test_common_tags_are_used_across_sites(seeded):
    for name in ["transport", "awareness", "trust", "stigma", "working parents"]:
        assert Tag.objects.filter(name=name).exists(), name


def test_seeding_again_creates_nothing_new(seeded):
    before = (Insight.objects.count(), Challenge.objects.count(), Tag.objects.count())
    links = (Insight.tags.through.objects.count(), Challenge.insights.through.objects.count())
    seed_localities(password="demo-pass")
    assert (Insight.objects.count(), Challenge.objects.count(), Tag.objects.count()) == before
    assert (
        Insight.tags.through.objects.count(),
        Challenge.insights.through.objects.count(),
    ) == links
