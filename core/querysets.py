"""The restricted queryset: scope is enforced in one place (NetBox's ``.restrict()``)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

VIEW, ADD, CHANGE = "view", "add", "change"
ACTIONS = (VIEW, ADD, CHANGE)


class RestrictedQuerySet(models.QuerySet):
    """A queryset that can be narrowed to what one user may do.

    Each scoped model defines ``scope_q(user, action)`` returning a ``Q`` (``Q()`` for every row)
    or ``None`` for no row at all. Superusers see everything; anonymous and inactive users nothing.
    """

    def restrict(self, user, action: str = VIEW):
        if action not in ACTIONS:
            raise ValueError(f"Unknown action {action!r}")
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        q = self.model.scope_q(user, action)
        if q is None:
            return self.none()
        return self.filter(q)


def can(user, model, action: str) -> bool:
    """Whether ``user`` may do ``action`` on at least some rows of ``model`` (drives buttons and menus)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return model.scope_q(user, action) is not None


ALL = Q()


def facility_scope_q(user, action: str, *, prefix: str = "") -> Q | None:
    """The facility rule shared by program records that belong to a facility (harvests, donations...).

    Facility staff see and write their facilities' records; administrators everything; auditors read all.
    """
    from core.choices import Role

    if user.role == Role.ADMINISTRATOR:
        return ALL
    if action == VIEW and user.role == Role.AUDITOR:
        return ALL
    if user.role == Role.FACILITY_STAFF:
        return Q(**{f"{prefix}facility_id__in": user.facility_ids})
    return None


def catalog_scope_q(user, action: str) -> Q | None:
    """Catalogs (crops, seasons, craft items) are read by every role and kept by administrators."""
    from core.choices import Role

    if action == VIEW:
        return ALL if user.role else None
    return ALL if user.role == Role.ADMINISTRATOR else None
