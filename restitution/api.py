"""The API under /api/v1/restitution/: obligations with live figures, payments, allocations, snapshots, alerts.

Amounts are decimal strings. ``?as_of=YYYY-MM-DD`` (today when absent) sets the date of the
obligations' figures. POST /payments/ honours an ``Idempotency-Key`` header: a repeat returns the
first result. Nothing is edited or deleted through the API.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api.base import ReadOnlyScopedViewSet, ScopedModelSerializer
from core.api.router import router
from core.errors import api_error_detail
from core.models import Alert, Offender
from core.querysets import CHANGE, VIEW

from . import services
from .choices import ComplianceStatus, PaymentSource
from .models import Allocation, ComplianceSnapshot, Obligation, Payment
from .selectors import figures_by_obligation


def as_of_param(request) -> dt.date:
    value = request.query_params.get("as_of", "")
    if not value:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"as_of": "Give a date as YYYY-MM-DD."}) from None


class ObligationSerializer(serializers.ModelSerializer):
    """An obligation with its compliance figures as of ``as_of`` (null when ordered after that date)."""

    record_status = serializers.CharField(source="status", read_only=True)
    payee_name = serializers.SerializerMethodField(
        help_text="The payee's name; a victim payee's only for victim services and administrators, "
        'for anyone else its label ("Victim payee" and its reference).'
    )
    case_number = serializers.CharField(source="case.case_number", read_only=True)
    as_of = serializers.SerializerMethodField()
    paid = serializers.SerializerMethodField()
    balance = serializers.SerializerMethodField()
    expected = serializers.SerializerMethodField()
    arrears = serializers.SerializerMethodField()
    days_past_due = serializers.SerializerMethodField()
    past_due_since = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()

    class Meta:
        model = Obligation
        fields = [
            "id",
            "offender",
            "case",
            "case_number",
            "kind",
            "payee",
            "payee_name",
            "ordered_amount",
            "ordered_on",
            "record_status",
            "waiver_reference",
            "as_of",
            "paid",
            "balance",
            "expected",
            "arrears",
            "days_past_due",
            "past_due_since",
            "status",
        ]

    def _figures(self, obj):
        return self.context.get("figures", {}).get(obj.pk)

    def _money(self, obj, name):
        f = self._figures(obj)
        return None if f is None else f"{getattr(f, name):.2f}"

    def get_as_of(self, obj) -> str:
        return self.context["as_of"].isoformat()

    def get_payee_name(self, obj) -> str | None:
        if obj.payee is None:
            return None
        request = self.context.get("request")
        return obj.payee.name_for(getattr(request, "user", None))

    def get_paid(self, obj) -> str | None:
        return self._money(obj, "paid")

    def get_balance(self, obj) -> str | None:
        return self._money(obj, "balance")

    def get_expected(self, obj) -> str | None:
        return self._money(obj, "expected")

    def get_arrears(self, obj) -> str | None:
        return self._money(obj, "arrears")

    def get_days_past_due(self, obj) -> int | None:
        f = self._figures(obj)
        return None if f is None else f.days_past_due

    def get_past_due_since(self, obj) -> dt.date | None:
        f = self._figures(obj)
        return None if f is None else f.past_due_since

    def get_status(self, obj) -> str | None:
        f = self._figures(obj)
        return None if f is None else f.status


class ObligationViewSet(ReadOnlyScopedViewSet):
    queryset = Obligation.objects.select_related("case", "payee").order_by("pk")
    serializer_class = ObligationSerializer
    filterset_fields = ["offender", "case", "kind", "payee", "status"]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["as_of"] = self._as_of
        context["figures"] = getattr(self, "_figures", {})
        return context

    def _with_figures(self, items):
        self._figures = (
            figures_by_obligation(Obligation.objects.filter(pk__in=[o.pk for o in items]), self._as_of) if items else {}
        )

    def list(self, request, *args, **kwargs):
        self._as_of = as_of_param(request)
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        items = list(page if page is not None else queryset)
        self._with_figures(items)
        serializer = self.get_serializer(items, many=True)
        return self.get_paginated_response(serializer.data) if page is not None else Response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        self._as_of = as_of_param(request)
        obj = self.get_object()
        self._with_figures([obj])
        return Response(self.get_serializer(obj).data)


class AllocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Allocation
        fields = ["id", "payment", "obligation", "amount", "allocated_on", "reversal"]


class PaymentSerializer(ScopedModelSerializer):
    allocations = AllocationSerializer(many=True, read_only=True)
    credit = serializers.SerializerMethodField()
    reversed_on = serializers.DateField(source="reversal.reversed_on", read_only=True, default=None, allow_null=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    over_balance_confirmed = serializers.BooleanField(
        write_only=True,
        default=False,
        help_text="Send true to record an amount above everything the person owes plus the margin "
        "(PAYMENT_CONFIRM_MARGIN); without it such a payment answers 400 and changes nothing.",
    )

    class Meta:
        model = Payment
        fields = [
            "id",
            "offender",
            "amount",
            "received_on",
            "method",
            "obligation",
            "note",
            "receipt_number",
            "source",
            "entered_by",
            "created_at",
            "allocations",
            "credit",
            "reversed_on",
            "over_balance_confirmed",
        ]
        read_only_fields = ["receipt_number", "source", "entered_by", "created_at"]

    def get_credit(self, obj) -> str:
        return f"{sum((a.amount for a in obj.allocations.all() if a.obligation_id is None), 0):.2f}"


class PaymentViewSet(
    mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """Payments are posted (allocated by the design's priority) and never edited: correct one by a reversal."""

    queryset = (
        Payment.objects.select_related("reversal").prefetch_related("allocations").order_by("-received_on", "-pk")
    )
    serializer_class = PaymentSerializer
    filterset_fields = ["offender", "method", "source", "received_on", "receipt_number"]

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, VIEW)

    def create(self, request, *args, **kwargs):
        header = request.headers.get("Idempotency-Key", "").strip()
        key = f"api:{request.user.pk}:{header}" if header else services.new_idempotency_key("api")
        if len(key) > 120:
            raise ValidationError({"Idempotency-Key": "Use a key of at most 100 characters."})
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        offender = data["offender"]
        if not Offender.objects.restrict(request.user, CHANGE).filter(pk=offender.pk).exists():
            raise ValidationError({"offender": "You cannot record payments for this person."})
        try:
            payment = services.payment_post(
                offender=offender,
                amount=data["amount"],
                received_on=data["received_on"],
                method=data["method"],
                obligation=data.get("obligation"),
                note=data.get("note", ""),
                idempotency_key=key,
                entered_by=request.user,
                source=PaymentSource.ENTERED,
                over_balance_confirmed=data.get("over_balance_confirmed", False),
            )
        except DjangoValidationError as exc:
            detail = api_error_detail(exc)
            if header and "idempotency key" in " ".join(exc.messages):
                return Response(detail, status=status.HTTP_409_CONFLICT)
            raise ValidationError(detail) from exc
        replayed = payment.replayed
        payment = self.get_queryset().filter(pk=payment.pk).first()
        if payment is None:  # a replay of a key whose payment has left this user's scope
            return Response({"Idempotency-Key": ["This key was used for another payment."]}, status=409)
        response = Response(
            self.get_serializer(payment).data, status=status.HTTP_200_OK if replayed else status.HTTP_201_CREATED
        )
        if replayed:
            response["Idempotent-Replayed"] = "true"
        return response


class AllocationViewSet(ReadOnlyScopedViewSet):
    queryset = Allocation.objects.order_by("pk")
    serializer_class = AllocationSerializer
    filterset_fields = ["payment", "obligation", "allocated_on", "reversal"]


class SnapshotSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComplianceSnapshot
        fields = [
            "as_of",
            "obligation",
            "ordered_amount",
            "paid",
            "balance",
            "expected",
            "arrears",
            "days_past_due",
            "past_due_since",
            "status",
            "previous_status",
        ]


class SnapshotFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ComplianceStatus.choices)

    class Meta:
        model = ComplianceSnapshot
        fields = ["as_of", "obligation", "status"]


class SnapshotViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Snapshots by date (``?as_of=``), obligation or status. A snapshot is named by its date and
    obligation, so there is no single-row address: filter by both instead."""

    queryset = ComplianceSnapshot.objects.order_by("-as_of", "obligation_id")
    serializer_class = SnapshotSerializer
    filterset_class = SnapshotFilter

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, VIEW)


class AlertSerializer(serializers.ModelSerializer):
    class Meta:
        model = Alert
        fields = ["id", "title", "body", "link", "key", "created_at", "read_at"]


class RestitutionAlertViewSet(ReadOnlyScopedViewSet):
    """The signed-in user's restitution alerts (new delinquencies)."""

    queryset = Alert.objects.filter(key__startswith=services.ALERT_PREFIX)
    serializer_class = AlertSerializer
    filterset_fields = ["read_at"]


router.register("restitution/obligations", ObligationViewSet, basename="restitution-obligation")
router.register("restitution/payments", PaymentViewSet, basename="restitution-payment")
router.register("restitution/allocations", AllocationViewSet, basename="restitution-allocation")
router.register("restitution/snapshots", SnapshotViewSet, basename="restitution-snapshot")
router.register("restitution/alerts", RestitutionAlertViewSet, basename="restitution-alert")
