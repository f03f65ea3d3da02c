"""Core's menu entries for pages that are not a declared model's list (those come from core.registrations)."""

from core.choices import Role
from core.imports import importers_for
from core.models import JobRun
from core.registry import MenuEntry, registry

# Who follows people to the end of supervision: the readiness page lists theirs (or the district's).
READINESS_ROLES = (Role.PROBATION_OFFICER, Role.DISTRICT_SUPERVISOR, Role.ADMINISTRATOR, Role.AUDITOR)

for entry in (
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
    MenuEntry(
        "readiness",
        "People",
        "Discharge readiness",
        "core:readiness",
        visible=lambda u: u.role in READINESS_ROLES,
        order=50,
    ),
    MenuEntry("api", "Administration", "API documentation", "api-docs", visible=lambda u: True, order=90),
):
    registry.menu_item(entry)
