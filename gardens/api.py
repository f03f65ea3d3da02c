"""API for gardens: harvests, recorded, corrected and voided through services. Crops, gardens and
seasons are declared in gardens.registrations, which gives their viewsets."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from rest_framework import serializers

from core.api.base import ScopedModelSerializer, ScopedModelViewSet
from core.api.entries import VoidActionMixin
from core.errors import api_error_from

from . import services
from .models import Harvest, HarvestWorker


class HarvestWorkerSerializer(serializers.ModelSerializer):
    """A person named on a harvest and their hours (read only: named on the harvest's "Who worked" page)."""

    class Meta:
        model = HarvestWorker
        fields = ["offender", "hours"]
        read_only_fields = fields


class HarvestSerializer(ScopedModelSerializer):
    """The facility is the garden's; who entered it is the requesting user. ``workers`` is read only."""

    workers = HarvestWorkerSerializer(many=True, read_only=True)

    class Meta:
        model = Harvest
        fields = [
            "id",
            "facility",
            "garden",
            "crop",
            "date",
            "weight_lb",
            "volunteers",
            "volunteer_hours",
            "workers",
            "note",
            "entered_by",
            "entered_at",
            "voided_at",
            "void_reason",
        ]
        read_only_fields = ["facility", "entered_by", "entered_at", "voided_at", "void_reason", "workers"]

    def validate(self, attrs):
        garden = attrs.get("garden") or getattr(self.instance, "garden", None)
        if garden is not None:
            attrs["facility"] = garden.facility
        return super().validate(attrs)

    def create(self, validated_data):
        validated_data.pop("facility", None)
        try:
            return services.harvest_record(user=self.context["request"].user, **validated_data)
        except DjangoValidationError as exc:
            raise api_error_from(exc) from exc

    def update(self, instance, validated_data):
        validated_data.pop("facility", None)
        try:
            return services.harvest_correct(
                harvest=instance,
                user=self.context["request"].user,
                reason="Corrected through the API",
                **validated_data,
            )
        except DjangoValidationError as exc:
            raise api_error_from(exc) from exc


class HarvestViewSet(VoidActionMixin, ScopedModelViewSet):
    def get_queryset(self):
        # The named workers follow their harvest's scope: read with it, in one more query for the page.
        return super().get_queryset().prefetch_related(Prefetch("workers", HarvestWorker.objects.order_by("pk")))

    filterset_fields = {
        "facility": ["exact"],
        "garden": ["exact"],
        "crop": ["exact"],
        "date": ["exact", "gte", "lte"],
    }
