"""Core's API endpoints: facilities, districts, organizations, offenders, court cases."""

import django_filters
from django.db import transaction
from rest_framework import serializers

from core import events
from core.api.base import ReadOnlyScopedViewSet, ScopedModelSerializer, ScopedModelViewSet
from core.api.router import router
from core.errors import api_error_from
from core.models import CourtCase, District, Facility, Offender, Organization, OrganizationKind


class DistrictSerializer(ScopedModelSerializer):
    class Meta:
        model = District
        fields = ["id", "number", "name", "region"]


class FacilitySerializer(ScopedModelSerializer):
    class Meta:
        model = Facility
        fields = ["id", "name", "code", "town", "kind", "region", "district", "active"]


class OrganizationSerializer(ScopedModelSerializer):
    kinds = serializers.SlugRelatedField(many=True, slug_field="code", queryset=OrganizationKind.objects.all())

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "kinds",
            "agency_status",
            "address",
            "town",
            "zip_code",
            "county",
            "contact_name",
            "contact_phone",
            "contact_email",
            "active",
        ]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        kinds = attrs.get("kinds", self.instance.kinds.all() if self.instance else [])
        probe = Organization(agency_status=attrs.get("agency_status", getattr(self.instance, "agency_status", "")))
        from django.core.exceptions import ValidationError as DjangoValidationError

        try:
            probe.validate_kinds(kinds)
        except DjangoValidationError as exc:
            raise api_error_from(exc) from exc
        return attrs


class OffenderSerializer(ScopedModelSerializer):
    class Meta:
        model = Offender
        fields = [
            "id",
            "doc_id",
            "last_name",
            "first_name",
            "date_of_birth",
            "status",
            "facility",
            "district",
            "supervising_officer",
            "supervision_end_date",
        ]


class CourtCaseSerializer(ScopedModelSerializer):
    class Meta:
        model = CourtCase
        fields = ["id", "court", "case_number", "county", "offender", "offense", "offense_class", "sentencing_date"]


class DistrictViewSet(ScopedModelViewSet):
    queryset = District.objects.all()
    serializer_class = DistrictSerializer
    filterset_fields = ["number", "region"]


class FacilityViewSet(ScopedModelViewSet):
    queryset = Facility.objects.all()
    serializer_class = FacilitySerializer
    filterset_fields = ["code", "kind", "region", "active", "district"]


class OrganizationFilter(django_filters.FilterSet):
    kind = django_filters.CharFilter(field_name="kinds__code")

    class Meta:
        model = Organization
        fields = ["county", "active", "kind"]


class OrganizationViewSet(ScopedModelViewSet):
    queryset = Organization.objects.prefetch_related("kinds")
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter


class OffenderViewSet(ScopedModelViewSet):
    queryset = Offender.objects.all()
    serializer_class = OffenderSerializer

    def perform_update(self, serializer):
        # The serializer validated the model's rules; the events of what changed go with the save.
        with transaction.atomic():
            previous = events.tracked_values(serializer.instance)
            super().perform_update(serializer)
            events.emit_changes(offender=serializer.instance, previous=previous, user=self.request.user)

    filterset_fields = ["doc_id", "status", "facility", "district", "supervising_officer"]


class CourtCaseViewSet(ScopedModelViewSet):
    queryset = CourtCase.objects.all()
    serializer_class = CourtCaseSerializer
    filterset_fields = ["court", "case_number", "county", "offender"]


router.register("districts", DistrictViewSet)
router.register("facilities", FacilityViewSet)
router.register("organizations", OrganizationViewSet)
router.register("offenders", OffenderViewSet)
router.register("cases", CourtCaseViewSet, basename="courtcase")

__all__ = ["ReadOnlyScopedViewSet"]
