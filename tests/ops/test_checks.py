"""`check --deploy` warns when DEBUG is off and the cache lives in each process: the public
form's limit, django-axes' lockouts and cached PDFs would then be kept once per process,
so 3 workers would let 3 times the limit through."""

import pytest
from django.core import checks

from localities.checks import PER_PROCESS_CACHE
from tests.ops.conftest import app_environment, manage

LOCAL_MEMORY = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "x"}
}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://redis.internal:6379/0",
    }
}


def warning_ids(include_deployment_checks: bool = True) -> list[str]:
    messages = checks.run_checks(include_deployment_checks=include_deployment_checks)
    return [message.id for message in messages]


def test_deploy_check_warns_when_debug_is_off_and_the_cache_is_per_process(settings):
    settings.DEBUG = False
    settings.CACHES = LOCAL_MEMORY
    assert PER_PROCESS_CACHE in warning_ids()


def test_the_warning_says_to_set_redis_url(settings):
    settings.DEBUG = False
    settings.CACHES = LOCAL_MEMORY
    (warning,) = [
        m for m in checks.run_checks(include_deployment_checks=True) if m.id == PER_PROCESS_CACHE
    ]
    assert warning.level == checks.WARNING
    assert "REDIS_URL" in warning.hint


def test_the_dummy_cache_is_per_process_too(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert PER_PROCESS_CACHE in warning_ids()


def test_deploy_check_is_quiet_with_redis(settings):
    settings.DEBUG = False
    settings.CACHES = REDIS
    assert PER_PROCESS_CACHE not in warning_ids()


def test_deploy_check_is_quiet_while_debug_is_on(settings):
    settings.DEBUG = True
    settings.CACHES = LOCAL_MEMORY
    assert PER_PROCESS_CACHE not in warning_ids()


def test_the_warning_is_for_deployment_only(settings):
    settings.DEBUG = False
    settings.CACHES = LOCAL_MEMORY
    assert PER_PROCESS_CACHE not in warning_ids(include_deployment_checks=False)


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7!kq2-production-like-secret-for-the-check-test-9f3b0c1d8e7a6b5c4d3e2f",
    "ALLOWED_HOSTS": "blueprint.example.org",
    "SITE_URL": "https://blueprint.example.org",
}


@pytest.mark.parametrize(
    ("redis_url", "warned"), [(None, True), ("redis://redis.internal:6379/0", False)]
)
def test_manage_check_deploy_with_production_settings(redis_url, warned):
    result = manage("check", "--deploy", env=app_environment(REDIS_URL=redis_url, **PRODUCTION))
    output = result.stdout + result.stderr  # warnings go to stderr
    assert (PER_PROCESS_CACHE in output) is warned, output
