"""Filters for donation lists. Dropdowns list only what the user may see (core's ``scoped``)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from core.filters import EntryFilterSet, SearchFilterSet, scoped
from core.models import Facility, Organization
from gardens import selectors as garden_selectors

from .choices import DonationPurpose, FundraiserPurpose, ItemCategory
from .models import Donation, DonationLine, Fundraiser, Item, ProductionLog, Spoilage

DATE = forms.DateInput(attrs={"type": "date"})


def season_choices(request):
    return garden_selectors.seasons() if request is not None else garden_selectors.seasons().none()


class SeasonFilter(django_filters.ModelChoiceFilter):
    """Records dated within a season (``field_name`` is the date; seasons are read from gardens' selectors)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", season_choices)
        kwargs.setdefault("empty_label", "Any season")
        kwargs.setdefault("label", "Season")
        kwargs.setdefault("field_name", "date")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__gte": value.start_date, f"{self.field_name}__lte": value.end_date})


class DonationFilterSet(EntryFilterSet):
    search_fields = ("recipient__name", "note", "reference")
    season = SeasonFilter()
    facility = django_filters.ModelChoiceFilter(queryset=scoped(Facility), empty_label="Any facility")
    recipient = django_filters.ModelChoiceFilter(queryset=scoped(Organization), empty_label="Any recipient")
    county = django_filters.CharFilter(field_name="recipient__county", lookup_expr="iexact", label="County")
    crop = django_filters.ModelChoiceFilter(
        queryset=lambda request: garden_selectors.crops(active_only=False),
        method="with_crop",
        empty_label="Any crop",
        label="Crop given",
    )
    purpose = django_filters.ChoiceFilter(choices=DonationPurpose.choices, empty_label="Any purpose")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="From", widget=DATE)
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="To", widget=DATE)
    acknowledged = django_filters.BooleanFilter(
        label="Acknowledged",
        widget=forms.Select(choices=[("", "Acknowledged or not"), ("true", "Acknowledged"), ("false", "Awaiting")]),
    )

    class Meta:
        model = Donation
        fields = [
            "q",
            "season",
            "facility",
            "recipient",
            "county",
            "crop",
            "purpose",
            "date_from",
            "date_to",
            "acknowledged",
            "status",
        ]

    def with_crop(self, queryset, name, value):
        # Exists, not a join: a donation with two lines of the crop is listed once.
        return queryset.filter(Exists(DonationLine.objects.filter(donation=OuterRef("pk"), crop=value)))


class ProductionFilterSet(EntryFilterSet):
    search_fields = ("shop", "item__name", "note")
    season = SeasonFilter()
    facility = django_filters.ModelChoiceFilter(queryset=scoped(Facility), empty_label="Any facility")
    item = django_filters.ModelChoiceFilter(queryset=scoped(Item), empty_label="Any item")
    category = django_filters.ChoiceFilter(
        field_name="item__category", choices=ItemCategory.choices, empty_label="Any kind", label="Kind"
    )
    shop = django_filters.CharFilter(lookup_expr="icontains", label="Shop or program")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="From", widget=DATE)
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="To", widget=DATE)

    class Meta:
        model = ProductionLog
        fields = ["q", "season", "facility", "item", "category", "shop", "date_from", "date_to", "status"]


class SpoilageFilterSet(EntryFilterSet):
    search_fields = ("reason", "crop__name")
    season = SeasonFilter()
    facility = django_filters.ModelChoiceFilter(queryset=scoped(Facility), empty_label="Any facility")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="From", widget=DATE)
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="To", widget=DATE)

    class Meta:
        model = Spoilage
        fields = ["q", "season", "facility", "date_from", "date_to", "status"]


class FundraiserFilterSet(SearchFilterSet):
    search_fields = ("name", "note")
    facility = django_filters.ModelChoiceFilter(queryset=scoped(Facility), empty_label="Any facility")
    purpose = django_filters.ChoiceFilter(choices=FundraiserPurpose.choices, empty_label="Any purpose")
    season = SeasonFilter(field_name="start_date")
    date_from = django_filters.DateFilter(
        field_name="start_date", lookup_expr="gte", label="Started on or after", widget=DATE
    )
    date_to = django_filters.DateFilter(
        field_name="start_date", lookup_expr="lte", label="Started on or before", widget=DATE
    )

    class Meta:
        model = Fundraiser
        fields = ["q", "facility", "purpose", "season", "date_from", "date_to"]
