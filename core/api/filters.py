"""The API's filters: a filter naming a record answers the same whether the record does not exist or
lies outside the user's scope (a 400, "Select a valid choice"), so a filter cannot confirm that a
record exists. The generic filter sets (``filterset_fields``) list every record of the related model;
this backend restricts each choice to what the user may see, as ``ScopedFormMixin`` does for forms."""

from django_filters.rest_framework import DjangoFilterBackend

from core.querysets import VIEW


class ScopedFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            for field in filterset.form.fields.values():
                choices = getattr(field, "queryset", None)
                if choices is not None and hasattr(choices, "restrict"):
                    field.queryset = choices.restrict(request.user, VIEW)
        return filterset
