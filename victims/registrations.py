"""The victims app's entries in core's registry: its menu links (and, later, its conflict checker)."""

from core.registry import ConflictChecker, MenuEntry, registry

from . import conflicts
from .models import LIST_ROLES, ConflictMatch, ReadLog


def _sees_list(user) -> bool:
    return user.is_superuser or user.role in LIST_ROLES


registry.menu_item(MenuEntry("victims", "People", "Victims", "victims:victim_list", visible=_sees_list, order=40))
registry.menu_item(
    MenuEntry("victims-read-log", "People", "Victims' read log", "victims:readlog_list", model=ReadLog, order=41)
)

registry.conflict_checker(ConflictChecker(slug="victims", check=conflicts.check))
registry.menu_item(
    MenuEntry(
        "victims-conflicts", "People", "Possible conflicts", "victims:conflictmatch_list", model=ConflictMatch, order=42
    )
)
