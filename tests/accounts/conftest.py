import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def clear_cache():
    """The password-reset throttle counts in the cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()
