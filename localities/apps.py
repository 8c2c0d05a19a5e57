from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_out
from django.core import checks
from django.db.models.signals import post_migrate

from localities.checks import check_cache_is_shared
from localities.live import close_sockets_on_logout
from localities.reviewer_grants import sync_reviewer_permissions


class LocalitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "localities"

    def ready(self) -> None:
        checks.register(check_cache_is_shared, checks.Tags.caches, deploy=True)
        post_migrate.connect(sync_reviewer_permissions, dispatch_uid="sync_reviewer_permissions")
        # Logging out closes the person's live editor sockets of that session (issue 16).
        user_logged_out.connect(close_sockets_on_logout, dispatch_uid="close_live_sockets")
