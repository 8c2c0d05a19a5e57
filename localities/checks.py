"""System checks of the site's configuration, registered in LocalitiesConfig.ready()."""

from django.conf import settings
from django.core import checks
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.utils.module_loading import import_string

PER_PROCESS_CACHE = "config.W001"


def check_cache_is_shared(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Warn (with `check --deploy`) when DEBUG is off and the default cache lives in each
    process: the public form's hourly limit is counted in the cache, so three gunicorn
    workers would each let the whole limit through, and each would render its own PDFs."""
    if settings.DEBUG:
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    try:
        cache_class = import_string(backend)
    except ImportError:
        return []  # Django's own checks and the first request say so
    if not issubclass(cache_class, LocMemCache | DummyCache):
        return []
    return [
        checks.Warning(
            f"The default cache ({cache_class.__name__}) is kept in each process, so limits "
            "and cached work are not shared between web processes or machines.",
            hint="Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) so that every process "
            "shares one cache: the public form's CONSULT_SUBMISSIONS_PER_HOUR then holds "
            "however many workers run.",
            id=PER_PROCESS_CACHE,
        )
    ]
