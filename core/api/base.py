"""Base classes for every app's API: scope on querysets, on related fields and on what is saved."""

import copy

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

from core.querysets import ADD, CHANGE, VIEW


class ScopedSerializerMixin:
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
            raise ValidationError(_drf_errors(exc)) from exc
        # clean() may normalize a value (an upper-cased code): save what it checked.
        for key in attrs:
            if key not in m2m:
                attrs[key] = getattr(instance, key)
        return attrs


def _drf_errors(exc: DjangoValidationError):
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key): messages
        for key, messages in exc.message_dict.items()
    }


class ScopedModelSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    pass


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
        with transaction.atomic():
            obj = serializer.save()
            model = type(obj)
            if not model._default_manager.restrict(self.request.user, action).filter(pk=obj.pk).exists():
                transaction.set_rollback(True)
                raise ValidationError({"non_field_errors": ["The record would be outside your scope."]})

    def perform_create(self, serializer):
        self._save_in_scope(serializer, ADD)

    def perform_update(self, serializer):
        self._save_in_scope(serializer, CHANGE)


class ReadOnlyScopedViewSet(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, VIEW)
