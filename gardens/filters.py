"""Filters for garden lists. Dropdowns list only what the user may see (core's ``scoped``)."""

import django_filters
from django import forms

from core.filters import EntryFilterSet, scoped
from core.models import Facility

from .models import Crop, Garden, Harvest, Season

DATE = forms.DateInput(attrs={"type": "date"})


def gardens_in_scope(request):
    """Gardens for a dropdown, with their facility (a garden's name shows its facility's code)."""
    return scoped(Garden)(request).select_related("facility")


class SeasonFilter(django_filters.ModelChoiceFilter):
    """Records dated within the season's start and end."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", scoped(Season))
        kwargs.setdefault("empty_label", "Any season")
        kwargs.setdefault("label", "Season")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(date__gte=value.start_date, date__lte=value.end_date)


class HarvestFilterSet(EntryFilterSet):
    search_fields = ("note", "crop__name", "garden__name")
    season = SeasonFilter()
    facility = django_filters.ModelChoiceFilter(queryset=scoped(Facility), empty_label="Any facility")
    garden = django_filters.ModelChoiceFilter(queryset=gardens_in_scope, empty_label="Any garden")
    crop = django_filters.ModelChoiceFilter(queryset=scoped(Crop), empty_label="Any crop")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="From", widget=DATE)
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="To", widget=DATE)

    class Meta:
        model = Harvest
        fields = ["q", "season", "facility", "garden", "crop", "date_from", "date_to", "status"]
