from django.apps import AppConfig


class CommunityServiceConfig(AppConfig):
    name = "community_service"
    verbose_name = "Community service"
    default_auto_field = "django.db.models.BigAutoField"
