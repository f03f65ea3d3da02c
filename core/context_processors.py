"""Role-aware navigation, built from the menu entries apps put in core's registry."""

from django.conf import settings
from django.urls import reverse

from core.querysets import VIEW, can
from core.registry import MENU_GROUPS, registry


def _visible(entry, user) -> bool:
    if entry.visible is not None:
        return bool(entry.visible(user))
    if entry.model is not None:
        return can(user, entry.model, VIEW)
    return True


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    path = request.path
    groups = []
    for group in MENU_GROUPS:
        items = []
        for entry in sorted((e for e in registry.menu.values() if e.group == group), key=lambda e: (e.order, e.label)):
            if _visible(entry, user):
                url = reverse(entry.url_name)
                items.append({"label": entry.label, "url": url, "active": path.startswith(url)})
        if items:
            groups.append({"name": group, "items": items, "active": any(i["active"] for i in items)})
    return {
        "nav_groups": groups,
        "session_expires_in": getattr(request, "session_expires_in", None),
        "session_idle_warning": settings.SESSION_IDLE_WARNING,
    }
