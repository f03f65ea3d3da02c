"""Voidable entries: records a facility enters day by day (a harvest, a donation, a production or
spoilage entry; next, hour logs, attendance, training logs), corrected with history, voided with a
reason, never deleted.

What they share lives once, here and beside the pieces each layer already has:

- ``VoidableEntry`` (here): the abstract model. ``entered_by``, ``entered_at``, ``voided_at``,
  ``voided_by``, ``void_reason``, the ``void_has_reason`` constraint, ``is_voided``, and the scope
  rule as its ``scope_q``.
- ``EntryQuerySet`` (here): ``active()``, ``voided()``, ``between(start, end)``;
  ``restrict(user, action)`` applies the model's ``scope_q``.
- ``entry_scope_q`` and the one ``CORRECTION_WINDOW`` (here): the facility rule; nobody changes a
  void entry; facility staff change an entry only for ``CORRECTION_WINDOW`` after ``entered_at``.
- ``core.services.entry_void``: the void itself (a reason, only once, the facility locked, the
  history row "Voided: <reason>"); the app's ``<entity>_void`` service adds its own checks.
- ``core.filters.EntryFilterSet``: a list's ``status`` filter (standing by default, voided, both).
- ``core.forms.VoidForm``: the reason; an app keeps its wording through class attributes.
- ``core.views.generic.ObjectVoidView``: the confirmation page (``core/object_void.html``); wording
  through class attributes.
- ``core.api.entries.VoidActionMixin``: ``POST /api/v1/<entries>/<id>/void/ {"reason": ...}``.

A new app's entry (community service hour logs, say) takes these lines::

    # models.py
    from core.entries import EntryQuerySet, VoidableEntry

    class HourLog(VoidableEntry):
        facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="hour_logs")
        date = models.DateField()
        ...
        history = HistoricalRecords()

        objects = EntryQuerySet.as_manager()
        # facility_path = "facility"   the facility the rule checks ("placement__facility"
        #                              works too; entry_void still locks entry.facility_id)
        # correction_window = True     False: no window (a donation: only void and enter again)

        class Meta:
            constraints = [*VoidableEntry.Meta.constraints, ...]

    # services.py: the app's rule on top of the shared void
    def hour_log_void(*, entry, user, reason):
        return entry_void(entry=entry, user=user, reason=reason, noun="hour log")

    # filters.py
    class HourLogFilterSet(EntryFilterSet):   # declares ``status``; list it in Meta.fields
        ...

    # views.py
    class HourLogVoidView(ObjectVoidView):
        model = HourLog
        service = services.hour_log_void

    # api.py
    class HourLogViewSet(VoidActionMixin, ScopedModelViewSet):
        ...
        void_service = services.hour_log_void

A row that belongs to an entry (a donation's line) follows its entry's rule:
``Donation.scope_q(user, action, prefix="donation__")``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.choices import Role
from core.dates import entry_date_problem
from core.querysets import ADD, VIEW, RestrictedQuerySet, facility_scope_q

# Facility staff may correct their own entries for this long; administrators after that.
CORRECTION_WINDOW = dt.timedelta(days=7)


def entry_scope_q(
    user, action: str, *, prefix: str = "", facility_path: str = "facility", window: bool = True
) -> Q | None:
    """A voidable entry: the facility rule, and no change once void.

    With ``window``, facility staff may change an entry only for ``CORRECTION_WINDOW`` after it
    was entered (``entered_at``); administrators later too. Seeing and adding are the facility rule
    alone (a new entry is neither void nor old). ``prefix`` is the path to the entry from the rows
    filtered (``"donation__"`` for a donation's lines); ``facility_path`` the path from the entry
    to its facility.
    """
    if not facility_path.endswith("facility"):
        raise ImproperlyConfigured(f"facility_path must name a facility foreign key, not {facility_path!r}.")
    q = facility_scope_q(user, action, prefix=prefix + facility_path.removesuffix("facility"))
    if q is None or action == VIEW:
        return q
    q &= Q(**{f"{prefix}voided_at__isnull": True})
    if window and action != ADD and user.role == Role.FACILITY_STAFF:
        q &= Q(**{f"{prefix}entered_at__gte": timezone.now() - CORRECTION_WINDOW})
    return q


class EntryQuerySet(RestrictedQuerySet):
    """Voidable entries: ``active()`` (standing) is what every figure counts.

    ``restrict(user, action)`` applies the model's ``scope_q``, which for a ``VoidableEntry`` is
    ``entry_scope_q`` with the model's ``facility_path`` and ``correction_window``.
    """

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


class VoidableEntry(models.Model):
    """Who entered a record and, once void, who voided it, when and why. Nothing is deleted.

    ``facility_path``: the facility the scope rule checks. ``correction_window``: whether facility
    staff may change the entry only for ``CORRECTION_WINDOW`` after it was entered.
    """

    facility_path = "facility"
    correction_window = True

    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now, editable=False)
    voided_at = models.DateTimeField(null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )
    void_reason = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True, voided_by__isnull=True, void_reason="")
                | (Q(voided_at__isnull=False, voided_by__isnull=False) & ~Q(void_reason="")),
                name="%(app_label)s_%(class)s_void_has_reason",
            ),
        ]

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    @classmethod
    def scope_q(cls, user, action, *, prefix: str = ""):
        return entry_scope_q(user, action, prefix=prefix, facility_path=cls.facility_path, window=cls.correction_window)

    def _check_date(self, errors: dict):
        if problem := entry_date_problem(getattr(self, "date", None)):
            errors["date"] = problem
