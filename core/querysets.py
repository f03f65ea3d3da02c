"""The restricted queryset: scope is enforced in one place (NetBox's ``.restrict()``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
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


# Saving within scope ---------------------------------------------------------------------------
OUT_OF_SCOPE = "You cannot save this: the record would be outside your scope."


class OutOfScope(ValidationError):
    """A save that would have left the record outside the user's scope; it was rolled back."""


def ensure_in_scope(model_or_queryset, user, pk, action: str, message: str = OUT_OF_SCOPE) -> None:
    """Raise :class:`OutOfScope` unless ``user`` may do ``action`` on the row ``pk``."""
    qs = model_or_queryset if isinstance(model_or_queryset, models.QuerySet) else model_or_queryset._default_manager
    if not qs.restrict(user, action).filter(pk=pk).exists():
        raise OutOfScope(message)


def save_in_scope(save, *, user, action: str, queryset=None, message: str = OUT_OF_SCOPE):
    """Run ``save()`` (a form's save, a service) and keep what it saved only if it is still within
    ``user``'s scope for ``action`` (``ADD`` for a new record, ``CHANGE`` for an edit).

    The save and the check are one transaction: a record saved outside the user's scope (staff
    moving a record to a facility they do not work at) is rolled back and :class:`OutOfScope`, a
    ``ValidationError`` with ``message``, is raised for the caller to show (``core.errors``).
    ``queryset`` is the rows checked (by default the saved model's manager).
    """
    with transaction.atomic():
        obj = save()
        ensure_in_scope(queryset if queryset is not None else type(obj), user, obj.pk, action, message)
    return obj
