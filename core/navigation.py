"""Core's entries in the navigation menu."""

from core.imports import importers_for
from core.models import CourtCase, District, Facility, JobRun, Offender, Organization
from core.registry import MenuEntry, registry

for entry in (
    MenuEntry("offenders", "People", "Offenders", "core:offender_list", model=Offender, order=10),
    MenuEntry("courtcases", "People", "Court cases", "core:courtcase_list", model=CourtCase, order=20),
    MenuEntry("facilities", "Places", "Facilities", "core:facility_list", model=Facility, order=10),
    MenuEntry("districts", "Places", "Districts", "core:district_list", model=District, order=20),
    MenuEntry(
        "organizations", "Places", "Partner organizations", "core:organization_list", model=Organization, order=30
    ),
    MenuEntry(
        "users", "Administration", "Users and roles", "core:user_list", visible=lambda u: u.is_administrator, order=10
    ),
    MenuEntry("jobs", "Administration", "Background jobs", "core:jobrun_list", model=JobRun, order=20),
    MenuEntry(
        "imports",
        "Administration",
        "Import CSV",
        "core:import_start",
        visible=lambda u: bool(importers_for(u)),
        order=30,
    ),
    MenuEntry("api", "Administration", "API documentation", "api-docs", visible=lambda u: True, order=90),
):
    registry.menu_item(entry)
