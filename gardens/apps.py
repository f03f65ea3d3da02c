from django.apps import AppConfig


class GardensConfig(AppConfig):
    name = "gardens"
    verbose_name = "Gardens"
    default_auto_field = "django.db.models.BigAutoField"
