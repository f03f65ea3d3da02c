from django.apps import AppConfig


class PuppiesConfig(AppConfig):
    name = "puppies"
    verbose_name = "Puppies for Parole"
    default_auto_field = "django.db.models.BigAutoField"
