"""Filters for community service lists; every dropdown of records is scoped (core.filters.scoped)."""

import django_filters

from core.filters import EntryFilterSet, scoped
from core.models import Offender

from .choices import Verification
from .models import Agency, HourLog, Order


class HourLogFilterSet(EntryFilterSet):
    search_fields = ("task", "offender__last_name", "offender__doc_id", "placement__agency__organization__name")
    offender = django_filters.ModelChoiceFilter(queryset=scoped(Offender), empty_label="Any person", label="Person")
    order = django_filters.ModelChoiceFilter(queryset=scoped(Order), empty_label="Any order")
    agency = django_filters.ModelChoiceFilter(
        field_name="placement__agency", queryset=scoped(Agency), empty_label="Any agency", label="Agency"
    )
    verification = django_filters.ChoiceFilter(choices=Verification.choices, empty_label="Any decision")

    class Meta:
        model = HourLog
        fields = ["q", "offender", "order", "agency", "verification", "status"]
