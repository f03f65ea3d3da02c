"""The API's filters: a filter naming a record answers the same whether the record does not exist or
lies outside the user's scope (a 400, "Select a valid choice"), so a filter cannot confirm that a
record exists. The generic filter sets (``filterset_fields``) list every record of the related model;
this backend restricts each choice to what the user may see, as ``ScopedFormMixin`` does for forms.

A date-and-time filter also refuses, with a 400, what PostgreSQL cannot compare with (an offset of 16
hours or more, ``core.validators.storable_datetime``): it would be a server error."""

from django import forms
from django_filters.rest_framework import DjangoFilterBackend

from core.querysets import VIEW
from core.validators import storable_datetime


class ScopedFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            for field in filterset.form.fields.values():
                choices = getattr(field, "queryset", None)
                if choices is not None and hasattr(choices, "restrict"):
                    field.queryset = choices.restrict(request.user, VIEW)
                if isinstance(field, forms.DateTimeField) and storable_datetime not in field.validators:
                    field.validators.append(storable_datetime)
        return filterset
