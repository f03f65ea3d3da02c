"""API of Puppies for Parole: what a declaration cannot say. A dog created through the API is an intake (its
first movement, at the shelter) and an edit goes through ``dog_save`` (the public pages' version); status and
location are read-only (a movement changes them). The other records are read-only in the API: their writes
are services with rules (eligibility, reservations, the CGC rule)."""

from django.core.exceptions import ValidationError as DjangoValidationError

from core.api.base import ScopedModelSerializer
from core.errors import api_error_from

from . import services


class DogSerializer(ScopedModelSerializer):
    def create(self, validated_data):
        from .models import Dog

        try:
            return services.dog_intake(user=self.context["request"].user, dog=Dog(**validated_data))
        except DjangoValidationError as exc:
            raise api_error_from(exc) from exc

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        try:
            return services.dog_save(user=self.context["request"].user, dog=instance, reason="Edited through the API")
        except DjangoValidationError as exc:
            raise api_error_from(exc) from exc
