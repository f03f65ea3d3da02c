from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "RJ Admin core"

    def ready(self):
        # Each app enters its reports, brochure figures, dashboard panels, timeline providers, jobs and
        # imports in core's registries from these modules (``registrations.py`` above all), found the
        # way Django admin finds admin.py.
        from django.db.backends.signals import connection_created
        from django.utils.module_loading import autodiscover_modules

        from core import freshness

        # Every write bumps the data version that cached figures are kept under (core/freshness.py).
        connection_created.connect(freshness.install, dispatch_uid="core.freshness")

        # core's own entries, and the field__any lookup (core/lookups.py)
        from core import dashboards, imports, jobs, lookups, navigation, timeline  # noqa: F401

        autodiscover_modules("registrations", "jobs", "importers", "api")
