"""API for community service: the pace of open orders as of a date (``/api/v1/community-service/?as_of=``),
and the writes of orders, placements and hour logs.

Agencies, orders, placements and hour logs are declared in ``registrations`` (viewsets at
``/api/v1/community-service/<records>/``). Agencies are read-only here. Orders, placements and hour logs
are created and changed through the same services as the pages (``order_create``/``order_update``,
``placement_create``/``placement_update``, ``hour_log_record``/``hour_log_correct``), never saved
directly; a refusal of a service is a 400 naming the field in the service's words. Scope is core's: the
records you may change (else 404), related records you may see (else 400), what is saved must stay in
your scope (else rolled back, 400), and read-only roles get 403. Hour logs keep the ``void`` action;
nothing is deleted.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError

from core.api.base import ScopedModelSerializer, ScopedModelViewSet
from core.api.router import router
from core.errors import api_error_from
from core.querysets import VIEW

from . import services
from .choices import OrderStatus, PaceStatus
from .models import HourLog, Order, Placement
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


# Writes through the services ------------------------------------------------------------------------------
def _through(service, **kwargs):
    """Call a service; its refusal is the API's 400 in the service's words, by field."""
    try:
        return service(**kwargs)
    except DjangoValidationError as exc:
        raise api_error_from(exc) from exc


def _unchanged(instance, validated_data, names, message):
    changed = [n for n in names if n in validated_data and validated_data[n] != getattr(instance, n)]
    if changed:
        raise ValidationError({name: [message] for name in changed})


class OrderSerializer(ScopedModelSerializer):
    class Meta:
        model = Order
        fields = ["id", *services.ORDER_EDITABLE, "status", "closed_on"]
        read_only_fields = ["status", "closed_on"]

    def create(self, validated_data):
        return _through(services.order_create, user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return _through(services.order_update, order=instance, user=self.context["request"].user, **validated_data)


class PlacementSerializer(ScopedModelSerializer):
    class Meta:
        model = Placement
        fields = ["id", "offender", "agency", "start_on", "end_on", "note"]

    def create(self, validated_data):
        return _through(services.placement_create, user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        _unchanged(
            instance,
            validated_data,
            ("offender", "agency", "start_on"),
            "A placement keeps its person, agency and start: end it and make a new placement.",
        )
        return _through(
            services.placement_update,
            placement=instance,
            user=self.context["request"].user,
            end_on=validated_data.get("end_on", instance.end_on),
            note=validated_data.get("note", instance.note),
        )


class HourLogSerializer(ScopedModelSerializer):
    class Meta:
        model = HourLog
        fields = [
            "id",
            *services.CORRECTABLE,
            "offender",
            "source",
            "verification",
            "credited_hours",
            "decided_at",
            "decided_by_name",
            "method",
            "decision_note",
            "reported_by_name",
            "entered_at",
            "voided_at",
            "void_reason",
        ]

    def validate(self, attrs):
        # New times without hours: the hours are worked out from the times again (as on the page).
        if self.instance is not None and {"start_time", "end_time"} & set(attrs) and "hours" not in attrs:
            attrs["hours"] = None
        return super().validate(attrs)

    def create(self, validated_data):
        return _through(services.hour_log_record, user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return _through(
            services.hour_log_correct,
            log=instance,
            user=self.context["request"].user,
            reason="Corrected through the API",
            **validated_data,
        )


class OrderViewSet(ScopedModelViewSet):
    """Orders you may see; created and changed (while open) through the services; closed on the page."""


class PlacementViewSet(ScopedModelViewSet):
    """Placements; a new one passes the agreement, minors and conflict rules; an edit changes the end and note."""


class HourLogViewSet(ScopedModelViewSet):
    """Hour logs: recorded (pending) and corrected while pending; a decided log is locked (400); void action."""
