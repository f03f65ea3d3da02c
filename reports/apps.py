from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The report catalog, generated reports, the brochure, photos and the public pages.

    It stands on top of the program apps and finds their reports and figures through core's
    registry; it never imports a program app.
    """

    name = "reports"
    verbose_name = "Reports, brochure and public pages"
