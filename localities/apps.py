from django.apps import AppConfig
from django.core import checks

from localities.checks import check_cache_is_shared


class LocalitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "localities"

    def ready(self) -> None:
        checks.register(check_cache_is_shared, checks.Tags.caches, deploy=True)
