from django.apps import AppConfig


class VictimsConfig(AppConfig):
    name = "victims"
    verbose_name = "Victims"
    default_auto_field = "django.db.models.BigAutoField"
