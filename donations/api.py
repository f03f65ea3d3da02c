"""API for donations (with their lines), craft production, spoilage, fundraisers and items.

Writes go through services: a donation is created with its lines in one request and is refused
beyond what is on hand; lines never change afterwards; void with ``POST .../void/``.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as DRFValidationError

from core.api.base import CleanTextSerializerMixin, ScopedModelSerializer, ScopedModelViewSet
from core.api.entries import VoidActionMixin
from core.errors import api_error_from
from gardens import selectors as garden_selectors

from . import services
from .models import (
    Donation,
    DonationLine,
    Fundraiser,
    FundraiserPurchase,
    Item,
    ProductionLog,
    ProductionWorker,
    Spoilage,
)


class ProductionWorkerSerializer(serializers.ModelSerializer):
    """A person named on a production entry and their hours (read only: named on the entry's "Who worked" page)."""

    class Meta:
        model = ProductionWorker
        fields = ["offender", "hours"]
        read_only_fields = fields


class ProductionSerializer(ScopedModelSerializer):
    workers = ProductionWorkerSerializer(many=True, read_only=True)

    class Meta:
        model = ProductionLog
        fields = [
            "id",
            "facility",
            "shop",
            "item",
            "quantity",
            "date",
            "volunteer_hours",
            "workers",
            "note",
            "entered_by",
            "entered_at",
            "voided_at",
            "void_reason",
        ]
        read_only_fields = ["entered_by", "entered_at", "voided_at", "void_reason", "workers"]

    def create(self, validated_data):
        try:
            return services.production_record(user=self.context["request"].user, **validated_data)
        except DjangoValidationError as exc:
            raise api_error_from(exc) from exc

    def update(self, instance, validated_data):
        try:
            return services.production_correct(
                entry=instance, user=self.context["request"].user, reason="Corrected through the API", **validated_data
            )
        except DjangoValidationError as exc:
            raise api_error_from(exc) from exc


class SpoilageSerializer(ScopedModelSerializer):
    class Meta:
        model = Spoilage
        fields = ["id", "facility", "crop", "date", "weight_lb", "reason", "entered_by", "voided_at", "void_reason"]
        read_only_fields = ["entered_by", "voided_at", "void_reason"]

    def create(self, validated_data):
        try:
            return services.spoilage_record(user=self.context["request"].user, **validated_data)
        except DjangoValidationError as exc:
            raise api_error_from(exc) from exc

    def update(self, instance, validated_data):
        raise DRFValidationError({"non_field_errors": ["Spoilage is voided and entered again, never changed."]})


class DonationLineSerializer(CleanTextSerializerMixin, serializers.ModelSerializer):
    crop = serializers.PrimaryKeyRelatedField(
        queryset=garden_selectors.crops(active_only=False), required=False, allow_null=True
    )
    item = serializers.PrimaryKeyRelatedField(queryset=Item.objects.all(), required=False, allow_null=True)

    class Meta:
        model = DonationLine
        fields = ["id", "crop", "weight_lb", "item", "quantity", "estimated_value"]
        read_only_fields = ["estimated_value"]

    def validate(self, attrs):
        if bool(attrs.get("crop")) == bool(attrs.get("item")):
            raise DRFValidationError("A line is either a crop with weight_lb or an item with quantity.")
        if attrs.get("crop") and not attrs.get("weight_lb"):
            raise DRFValidationError({"weight_lb": "Enter the pounds."})
        if attrs.get("item") and not attrs.get("quantity"):
            raise DRFValidationError({"quantity": "Enter how many."})
        return attrs


class DonationSerializer(ScopedModelSerializer):
    lines = DonationLineSerializer(many=True)
    receipt_number = serializers.CharField(read_only=True)

    class Meta:
        model = Donation
        fields = [
            "id",
            "receipt_number",
            "facility",
            "recipient",
            "date",
            "purpose",
            "reference",
            "acknowledged",
            "acknowledged_on",
            "note",
            "lines",
            "entered_by",
            "entered_at",
            "voided_at",
            "void_reason",
        ]
        read_only_fields = ["entered_by", "entered_at", "voided_at", "void_reason"]

    def validate(self, attrs):
        lines = attrs.pop("lines", None)
        if self.instance is not None:
            if lines is not None:
                raise DRFValidationError({"lines": ["Lines cannot change: void the donation and enter it again."]})
            for name in ("facility", "date", "reference"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise DRFValidationError({name: ["Cannot change: void the donation and enter it again."]})
        attrs = super().validate(attrs)
        if lines is not None:
            attrs["lines"] = lines
        return attrs

    def create(self, validated_data):
        lines = validated_data.pop("lines", [])
        try:
            return services.donation_create(
                user=self.context["request"].user,
                produce=[(line["crop"], line["weight_lb"]) for line in lines if line.get("crop")],
                items=[(line["item"], line["quantity"]) for line in lines if line.get("item")],
                **validated_data,
            )
        except DjangoValidationError as exc:
            raise api_error_from(exc) from exc

    def update(self, instance, validated_data):
        changes = {k: v for k, v in validated_data.items() if k in services.EDITABLE}
        try:
            return services.donation_update(donation=instance, user=self.context["request"].user, **changes)
        except DjangoValidationError as exc:
            raise api_error_from(exc) from exc


class FundraiserPurchaseSerializer(ScopedModelSerializer):
    class Meta:
        model = FundraiserPurchase
        fields = ["id", "fundraiser", "date", "description", "quantity", "amount", "recipient", "given_to"]


class FundraiserSerializer(ScopedModelSerializer):
    purchases = FundraiserPurchaseSerializer(many=True, read_only=True)

    class Meta:
        model = Fundraiser
        fields = ["id", "facility", "name", "purpose", "start_date", "end_date", "goal", "raised", "note", "purchases"]


class ProductionViewSet(VoidActionMixin, ScopedModelViewSet):
    def get_queryset(self):
        # The named workers follow their entry's scope: read with it, in one more query for the page.
        return super().get_queryset().prefetch_related(Prefetch("workers", ProductionWorker.objects.order_by("pk")))

    filterset_fields = {"facility": ["exact"], "item": ["exact"], "date": ["exact", "gte", "lte"]}


class SpoilageViewSet(VoidActionMixin, ScopedModelViewSet):
    filterset_fields = {"facility": ["exact"], "crop": ["exact"], "date": ["exact", "gte", "lte"]}


class DonationViewSet(VoidActionMixin, ScopedModelViewSet):
    filterset_fields = {
        "facility": ["exact"],
        "recipient": ["exact"],
        "purpose": ["exact"],
        "acknowledged": ["exact"],
        "date": ["exact", "gte", "lte"],
    }


class FundraiserViewSet(ScopedModelViewSet):
    filterset_fields = ["facility", "purpose"]


class FundraiserPurchaseViewSet(ScopedModelViewSet):
    filterset_fields = ["fundraiser"]
