"""Scope rules and reusable filters for donation records."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from core.choices import Role
from core.querysets import ADD, VIEW, RestrictedQuerySet, facility_scope_q

# Facility staff may correct a production entry for this long; administrators after that.
CORRECTION_WINDOW = dt.timedelta(days=7)


def voidable_scope_q(user, action, *, prefix: str = "", window: bool = False) -> Q | None:
    """A record that can be voided: the facility rule, and no change once void.

    With ``window``, facility staff may change it only for seven days after it was entered.
    """
    q = facility_scope_q(user, action, prefix=prefix)
    if q is None or action == VIEW:
        return q
    q &= Q(**{f"{prefix}voided_at__isnull": True})
    if window and action != ADD and user.role == Role.FACILITY_STAFF:
        q &= Q(**{f"{prefix}entered_at__gte": timezone.now() - CORRECTION_WINDOW})
    return q


class EntryQuerySet(RestrictedQuerySet):
    """Voidable records: ``active()`` is what every figure counts."""

    def active(self):
        return self.filter(voided_at__isnull=True)

    def between(self, start: dt.date | None, end: dt.date | None):
        qs = self
        if start is not None:
            qs = qs.filter(date__gte=start)
        if end is not None:
            qs = qs.filter(date__lte=end)
        return qs
