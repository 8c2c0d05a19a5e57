from django.apps import AppConfig


class LocalitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "localities"
