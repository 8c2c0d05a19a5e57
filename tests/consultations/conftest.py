import pytest
from django.core.cache import cache

from tests.consultations.factories import ConsultationFactory, IdeaFactory


@pytest.fixture(autouse=True)
def clear_cache():
    """The public form's throttle counts in the cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def idea(locality):
    return IdeaFactory(locality=locality, title="Welcome walks for new families")


@pytest.fixture
def other_idea(locality):
    return IdeaFactory(locality=locality, title="Stay and play in community languages")


@pytest.fixture
def foreign_idea(other_locality):
    """An idea of another locality, for forged ids."""
    return IdeaFactory(locality=other_locality, title="Riverside's own idea")


@pytest.fixture
def consultation(locality, idea, other_idea):
    return ConsultationFactory(
        locality=locality, title="Drop-in at Northgate", ideas=[idea, other_idea]
    )
