from django.apps import AppConfig


class ClassesConfig(AppConfig):
    name = "classes"
    verbose_name = "Impact of Crime on Victims classes"
    default_auto_field = "django.db.models.BigAutoField"
