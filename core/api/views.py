"""The rules of core's API beyond its declarations (core.registrations): an organization's kinds, and
the offender events an update emits. The viewsets are registered by the declarations."""

import django_filters
from django.db import transaction
from rest_framework import serializers

from core import events
from core.api.base import ReadOnlyScopedViewSet, ScopedModelSerializer, ScopedModelViewSet
from core.errors import api_error_from
from core.models import Organization, OrganizationKind


class OrganizationSerializer(ScopedModelSerializer):
    kinds = serializers.SlugRelatedField(many=True, slug_field="code", queryset=OrganizationKind.objects.all())

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


class OrganizationFilter(django_filters.FilterSet):
    kind = django_filters.CharFilter(field_name="kinds__code")

    class Meta:
        model = Organization
        fields = ["county", "active", "kind"]


class OrganizationViewSet(ScopedModelViewSet):
    filterset_class = OrganizationFilter


class OffenderViewSet(ScopedModelViewSet):
    def perform_update(self, serializer):
        # The serializer validated the model's rules; the events of what changed go with the save.
        with transaction.atomic():
            previous = events.tracked_values(serializer.instance)
            super().perform_update(serializer)
            events.emit_changes(offender=serializer.instance, previous=previous, user=self.request.user)


__all__ = ["ReadOnlyScopedViewSet"]
