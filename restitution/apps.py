from django.apps import AppConfig


class RestitutionConfig(AppConfig):
    name = "restitution"
    verbose_name = "Restitution and CVCF"
