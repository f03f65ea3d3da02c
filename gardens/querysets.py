"""Scope rules and reusable filters for garden records."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from core.choices import Role
from core.querysets import VIEW, RestrictedQuerySet, facility_scope_q

# Facility staff may correct their own entries for this long; administrators after that.
CORRECTION_WINDOW = dt.timedelta(days=7)


def entry_scope_q(user, action, *, prefix: str = "") -> Q | None:
    """A voidable entry (a harvest): the facility rule, and changes only while it stands.

    Facility staff may change an entry for seven days after it was entered; administrators later too.
    A voided entry is final for everyone.
    """
    q = facility_scope_q(user, action, prefix=prefix)
    if q is None or action == VIEW:
        return q
    q &= Q(**{f"{prefix}voided_at__isnull": True})
    if action != "add" and user.role == Role.FACILITY_STAFF:
        q &= Q(**{f"{prefix}entered_at__gte": timezone.now() - CORRECTION_WINDOW})
    return q


class EntryQuerySet(RestrictedQuerySet):
    """Entries that can be voided: ``active()`` is what every figure counts."""

    def active(self):
        return self.filter(voided_at__isnull=True)

    def voided(self):
        return self.filter(voided_at__isnull=False)

    def between(self, start: dt.date | None, end: dt.date | None):
        qs = self
        if start is not None:
            qs = qs.filter(date__gte=start)
        if end is not None:
            qs = qs.filter(date__lte=end)
        return qs

    def in_season(self, season):
        return self.between(season.start_date, season.end_date)
