"""The reports app's own entries in core's registry: core's reports, the Reports menu, the demo seeder.

Found at start-up by core's autodiscovery of ``registrations.py`` modules, like every app's.
"""

from django.template.loader import render_to_string

from core.choices import Role
from core.querysets import VIEW, can
from core.registry import MenuEntry, PanelEntry, registry

from . import list_exports
from .choices import PhotoStatus
from .core_reports import ENTRIES
from .demo import demo_seed_reports
from .models import Photo

for entry in ENTRIES:
    registry.report(entry)


def _admin(user) -> bool:
    return user.is_administrator


for item in (
    MenuEntry("report_catalog", "Reports", "Report catalog", "reports:catalog", visible=lambda u: True, order=10),
    MenuEntry(
        "generated_reports",
        "Reports",
        "My generated reports",
        "reports:generated_list",
        visible=lambda u: True,
        order=20,
    ),
    MenuEntry("photos", "Reports", "Photos", "reports:photo_list", visible=lambda u: can(u, Photo, VIEW), order=30),
    MenuEntry("photo_review", "Reports", "Photo approval", "reports:photo_review", visible=_admin, order=40),
    MenuEntry("brochure", "Reports", "Brochure", "reports:brochure_admin", visible=_admin, order=50),
    MenuEntry("baselines", "Reports", "Historical baselines", "reports:figurebaseline_list", visible=_admin, order=60),
    MenuEntry("public_page", "Reports", "Public page", "reports:public_home", visible=lambda u: True, order=90),
):
    registry.menu_item(item)


def render_public_panel(request):
    """Administrators' dashboard: the brochure's age and the photos waiting for their review."""
    from .services import brochure_current

    context = {"build": brochure_current(), "pending": Photo.objects.filter(status=PhotoStatus.PENDING).count()}
    return render_to_string("reports/panels/public_story.html", context, request=request)


registry.panel(PanelEntry("reports-public", frozenset({Role.ADMINISTRATOR}), render_public_panel, order=90))
registry.demo_seeder(demo_seed_reports, order=900)
# Large list exports go through the reports' task path (reports.list_exports).
registry.report(list_exports.ENTRY)
registry.list_export_handler = list_exports.handle
