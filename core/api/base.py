"""Base classes for every app's API: scope on querysets, on related fields and on what is saved."""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import mixins, serializers, viewsets

from core.errors import api_error_from
from core.fields import WeightField, WeightSerializerField
from core.querysets import ADD, CHANGE, VIEW, OutOfScope, save_in_scope
from core.validators import add_edge_checks

API_OUT_OF_SCOPE = "The record would be outside your scope."


class CleanTextSerializerMixin:
    """Every text field refuses control characters (core.validators): a 400 naming the field."""

    def get_fields(self):
        fields = super().get_fields()
        add_edge_checks(fields.values())
        return fields


class ScopedSerializerMixin(CleanTextSerializerMixin):
    """Restrict every related field's choices to what the requesting user may see."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for field in fields.values():
            target = getattr(field, "child_relation", field)
            queryset = getattr(target, "queryset", None)
            if queryset is not None and hasattr(queryset, "restrict"):
                target.queryset = queryset.restrict(user, VIEW)
        return fields

    def validate(self, attrs):
        # Model rules live in clean() and in the database's constraints: check both for the API too,
        # on a copy, so a refused request leaves the instance as it was.
        attrs = super().validate(attrs)
        model = self.Meta.model
        m2m = {f.name for f in model._meta.many_to_many}
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for key, value in attrs.items():
            if key not in m2m:
                setattr(instance, key, value)
        try:
            instance.clean()
            instance.validate_constraints()
        except DjangoValidationError as exc:
            raise api_error_from(exc) from exc
        # clean() may normalize a value (an upper-cased code): save what it checked.
        for key in attrs:
            if key not in m2m:
                attrs[key] = getattr(instance, key)
        return attrs


class ScopedModelSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    # Weights accept a scale's two decimals and keep one (core/fields.py).
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        WeightField: WeightSerializerField,
    }


class ScopedModelViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """List, read, create and update through ``.restrict()``. Nothing is deleted through the API."""

    def get_queryset(self):
        action = VIEW if self.request.method in ("GET", "HEAD", "OPTIONS") else CHANGE
        return super().get_queryset().restrict(self.request.user, action)

    def _save_in_scope(self, serializer, action):
        try:
            save_in_scope(serializer.save, user=self.request.user, action=action, message=API_OUT_OF_SCOPE)
        except OutOfScope as exc:
            raise api_error_from(exc) from exc

    def perform_create(self, serializer):
        self._save_in_scope(serializer, ADD)

    def perform_update(self, serializer):
        self._save_in_scope(serializer, CHANGE)


class ReadOnlyScopedViewSet(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, VIEW)
