from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate

from localities.checks import check_cache_is_shared
from localities.reviewer_grants import sync_reviewer_permissions


class LocalitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "localities"

    def ready(self) -> None:
        checks.register(check_cache_is_shared, checks.Tags.caches, deploy=True)
        post_migrate.connect(sync_reviewer_permissions, dispatch_uid="sync_reviewer_permissions")
