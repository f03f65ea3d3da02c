"""API for community service: the pace of open orders as of a date (``/api/v1/community-service/?as_of=``).

Agencies, orders, placements and hour logs are declared in ``registrations`` (read-only viewsets at
``/api/v1/community-service/<records>/``; hour logs have the ``void`` action): their writes carry rules
and go through the pages' services.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError

from core.api.router import router
from core.querysets import VIEW

from .choices import OrderStatus, PaceStatus
from .models import Order
from .pace import pace_query
from .selectors import pace_from_row, run_sql


class PaceSerializer(serializers.Serializer):
    order = serializers.IntegerField(source="order.pk")
    offender = serializers.IntegerField(source="order.offender_id")
    case_number = serializers.CharField(source="order.case.case_number")
    as_of = serializers.DateField()
    hours_ordered = serializers.DecimalField(max_digits=7, decimal_places=2, source="pace.hours_ordered")
    expected = serializers.DecimalField(max_digits=7, decimal_places=2, source="pace.expected")
    credited = serializers.DecimalField(max_digits=7, decimal_places=2, source="pace.credited")
    behind = serializers.DecimalField(max_digits=7, decimal_places=2, source="pace.behind")
    recent = serializers.DecimalField(
        max_digits=7, decimal_places=2, source="pace.recent", help_text="Credited in the 8 weeks ending on as_of."
    )
    projected_on = serializers.DateField(source="pace.projected_on", allow_null=True)
    projected_late = serializers.BooleanField(source="pace.projected_late")
    after_supervision = serializers.BooleanField(source="pace.after_supervision")
    status = serializers.ChoiceField(choices=PaceStatus.choices, source="pace.status")


class PaceRow:
    def __init__(self, order, pace, as_of):
        self.order, self.pace, self.as_of = order, pace, as_of


class PaceViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The pace of every open order you may see as of ``?as_of=YYYY-MM-DD`` (today when absent): hours
    expected by then, credited, behind, credited in the last 8 weeks, the projected completion and its
    flags, and the status (the rule in docs/rules.md). Orders dated after that day are not listed."""

    serializer_class = PaceSerializer
    queryset = Order.objects.filter(status=OrderStatus.OPEN).order_by("pk")

    def as_of(self) -> dt.date:
        raw = self.request.query_params.get("as_of", "")
        if not raw:
            return timezone.localdate()
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise ValidationError({"as_of": ["Enter a date as YYYY-MM-DD, for example 2026-06-30."]}) from None

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .restrict(self.request.user, VIEW)
            .filter(ordered_on__lte=self.as_of())
            .select_related("case")
        )

    def list(self, request, *args, **kwargs):
        as_of = self.as_of()
        page = self.paginate_queryset(self.get_queryset())
        orders = list(page)
        paces = (
            {row[0]: pace_from_row(row) for row in run_sql(*pace_query(as_of, order_ids=[o.pk for o in orders]))}
            if orders
            else {}
        )
        rows = [PaceRow(o, paces[o.pk], as_of) for o in orders if o.pk in paces]
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)


router.register("community-service", PaceViewSet, basename="community-service-pace")
