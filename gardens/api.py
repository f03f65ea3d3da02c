"""API for gardens: harvests (recorded, corrected and voided through services), crops, gardens and seasons."""

from django.core.exceptions import ValidationError as DjangoValidationError

from core.api.base import ScopedModelSerializer, ScopedModelViewSet
from core.api.entries import VoidActionMixin
from core.api.router import router
from core.errors import api_error_from

from . import services
from .models import Crop, Garden, Harvest, Season


class CropSerializer(ScopedModelSerializer):
    class Meta:
        model = Crop
        fields = ["id", "name", "category", "value_per_lb", "active"]


class GardenSerializer(ScopedModelSerializer):
    class Meta:
        model = Garden
        fields = ["id", "facility", "name", "size_acres", "active", "note"]


class SeasonSerializer(ScopedModelSerializer):
    class Meta:
        model = Season
        fields = ["id", "year", "start_date", "end_date", "goal_tons"]


class HarvestSerializer(ScopedModelSerializer):
    """The facility is the garden's; who entered it is the requesting user."""

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
            "note",
            "entered_by",
            "entered_at",
            "voided_at",
            "void_reason",
        ]
        read_only_fields = ["facility", "entered_by", "entered_at", "voided_at", "void_reason"]

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


class CropViewSet(ScopedModelViewSet):
    queryset = Crop.objects.all()
    serializer_class = CropSerializer
    filterset_fields = ["category", "active"]


class GardenViewSet(ScopedModelViewSet):
    queryset = Garden.objects.select_related("facility")
    serializer_class = GardenSerializer
    filterset_fields = ["facility", "active"]


class SeasonViewSet(ScopedModelViewSet):
    queryset = Season.objects.all()
    serializer_class = SeasonSerializer
    filterset_fields = ["year"]


class HarvestViewSet(VoidActionMixin, ScopedModelViewSet):
    queryset = Harvest.objects.all()
    serializer_class = HarvestSerializer
    filterset_fields = {
        "facility": ["exact"],
        "garden": ["exact"],
        "crop": ["exact"],
        "date": ["exact", "gte", "lte"],
    }
    void_service = services.harvest_void
    void_arg = "harvest"


router.register("crops", CropViewSet)
router.register("gardens", GardenViewSet)
router.register("seasons", SeasonViewSet)
router.register("harvests", HarvestViewSet)
