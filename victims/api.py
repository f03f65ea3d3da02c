"""The victims API under ``/api/v1/victims/``: read-only, with the pages' rules.

Identity and contact are in one serializer only (``VictimWithIdentitySerializer``), chosen for victim
services and administrators; every other role that may see a victim (an auditor, the supervising
officer) gets ``VictimSerializer``, which has no identity field at all. Each identity or statement an
answer carries is a logged read (source "api"), one insert per page.
"""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from core.api.base import ReadOnlyScopedViewSet
from core.api.router import router
from core.models import CourtCase

from .choices import ReadSource, ReadWhat
from .models import (
    EconomicLoss,
    ImpactStatement,
    Notification,
    ReadLog,
    Victim,
    VictimIdentity,
    can_read_identity,
)
from .services import read_log


def _answered(response) -> list[dict]:
    """The records an answer carries (a page's results or one record), each with its id: what the read
    log records."""
    data = response.data
    rows = data.get("results", [data]) if isinstance(data, dict) else data
    return [row for row in rows if isinstance(row, dict) and "id" in row]


class VictimSerializer(serializers.ModelSerializer):
    """A victim as any role that may see them reads it: that they exist, on which cases, their flags."""

    cases = serializers.SerializerMethodField(help_text="The victim's court cases the caller may see.")
    represents = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)
    redacted = serializers.BooleanField(read_only=True)

    class Meta:
        model = Victim
        fields = [
            "id",
            "reference",
            "kind",
            "cases",
            "represents",
            "relationship",
            "deceased",
            "minor",
            "do_not_contact",
            "redacted",
            "statutory_category",
            "created_at",
        ]
        read_only_fields = fields

    def get_cases(self, obj) -> list[str]:
        return [case.case_number for case in obj.visible_cases]


class IdentitySerializer(serializers.ModelSerializer):
    class Meta:
        model = VictimIdentity
        fields = [
            "name",
            "safe_at_home",
            "designated_address",
            "safe_at_home_card_expires",
            "address",
            "mailing_address",
            "phone",
            "alternate_phone",
            "email",
            "date_of_birth",
            "employer",
        ]
        read_only_fields = fields


class VictimWithIdentitySerializer(VictimSerializer):
    """For victim services and administrators only: the victim and their identity and contact."""

    identity = IdentitySerializer(read_only=True)

    class Meta(VictimSerializer.Meta):
        fields = [*VictimSerializer.Meta.fields, "identity"]
        read_only_fields = fields


class VictimFilter(django_filters.FilterSet):
    case = django_filters.NumberFilter(field_name="cases", label="Court case id")
    reference = django_filters.CharFilter(field_name="reference", lookup_expr="iexact")

    class Meta:
        model = Victim
        fields = ["case", "reference", "kind", "statutory_category", "do_not_contact"]


@extend_schema_view(
    list=extend_schema(
        responses=VictimSerializer(many=True),
        description="Victims the caller may see. Victim services and administrators also receive `identity` "
        "(name, Safe at Home flag and designated address, addresses, phones, e-mail, date of birth, employer); "
        "no other role ever does. Each identity returned is recorded in the victims' read log.",
    ),
    retrieve=extend_schema(responses=VictimSerializer, description="One victim; `identity` as in the list."),
)
class VictimViewSet(ReadOnlyScopedViewSet):
    queryset = Victim.objects.all()  # names the model (the access walk); get_queryset restricts it
    serializer_class = VictimSerializer
    filterset_class = VictimFilter

    def get_queryset(self):
        user = self.request.user
        cases = CourtCase.objects.restrict(user).order_by("case_number")
        queryset = (
            Victim.objects.select_related("represents")
            .prefetch_related(Prefetch("cases", queryset=cases, to_attr="visible_cases"))
            .order_by("reference")
        )
        if self.identity_allowed():
            queryset = queryset.select_related("identity")
        return queryset.restrict(user)

    def identity_allowed(self) -> bool:
        return can_read_identity(self.request.user)

    def get_serializer_class(self):
        return VictimWithIdentitySerializer if self.identity_allowed() else VictimSerializer

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200 and self.identity_allowed():
            ids = [row["id"] for row in _answered(response) if row.get("identity")]
            read_log(user=request.user, victims=ids, source=ReadSource.API, path=request.get_full_path())
        return response


class LossSerializer(serializers.ModelSerializer):
    class Meta:
        model = EconomicLoss
        fields = ["category", "description", "amount", "documentation"]
        read_only_fields = fields


class StatementSerializer(serializers.ModelSerializer):
    """An impact statement as its page shows it: content and losses, never contact or locating data."""

    victim = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    case_number = serializers.CharField(source="case.case_number", read_only=True)
    losses = LossSerializer(many=True, read_only=True, source="visible_losses")

    class Meta:
        model = ImpactStatement
        fields = [
            "id",
            "victim",
            "case",
            "case_number",
            "received_on",
            "method",
            "status",
            "physical_injury",
            "injury_seriousness",
            "injury_permanence",
            "psychological_harm",
            "welfare_changes",
            "counselling_requested",
            "view_on_sentence",
            "statement_text",
            "consent",
            "board_mode",
            "losses",
        ]
        read_only_fields = fields


class StatementFilter(django_filters.FilterSet):
    victim = django_filters.CharFilter(field_name="victim__reference", lookup_expr="iexact", label="Victim reference")

    class Meta:
        model = ImpactStatement
        fields = ["case", "victim", "status", "consent"]


@extend_schema_view(
    list=extend_schema(description="Impact statements the caller may read; each is a logged read."),
    retrieve=extend_schema(description="One impact statement; a logged read."),
)
class StatementViewSet(ReadOnlyScopedViewSet):
    queryset = ImpactStatement.objects.all()  # names the model (the access walk); get_queryset restricts it
    serializer_class = StatementSerializer
    filterset_class = StatementFilter

    def get_queryset(self):
        losses = EconomicLoss.objects.restrict(self.request.user).order_by("pk")
        return (
            ImpactStatement.objects.select_related("victim", "case")
            .prefetch_related(Prefetch("losses", queryset=losses, to_attr="visible_losses"))
            .order_by("-received_on", "-pk")
            .restrict(self.request.user)
        )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            rows = _answered(response)
            if rows:
                victims = dict(
                    ImpactStatement.objects.filter(pk__in=[r["id"] for r in rows]).values_list("pk", "victim_id")
                )
                path = request.get_full_path()[:300]
                ReadLog.objects.bulk_create(
                    ReadLog(
                        user=request.user,
                        victim_id=victims[row["id"]],
                        what=ReadWhat.STATEMENT,
                        source=ReadSource.API,
                        record_id=str(row["id"]),
                        path=path,
                    )
                    for row in rows
                )
        return response


class NotificationSerializer(serializers.ModelSerializer):
    victim = serializers.SlugRelatedField(slug_field="reference", read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "victim",
            "offender",
            "event",
            "channel",
            "status",
            "subject",
            "attempts",
            "next_attempt_at",
            "created_at",
            "completed_at",
        ]
        read_only_fields = fields


class NotificationViewSet(ReadOnlyScopedViewSet):
    """Notices to victims and their status (victim services, administrators, auditors)."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.select_related("victim").order_by("-created_at", "-pk")
    filterset_fields = ["status", "channel", "offender"]


router.register("victims/victims", VictimViewSet, basename="victims-victim")
router.register("victims/statements", StatementViewSet, basename="victims-statement")
router.register("victims/notifications", NotificationViewSet, basename="victims-notification")
