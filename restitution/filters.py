"""Filter sets for restitution lists. Dropdowns read their options through ``.restrict()``."""

import django_filters
from django import forms
from django.db.models import Q

from core.filters import SearchFilterSet, scoped
from core.models import District

from .choices import ObligationKind, ObligationStatus, PayeeKind, PaymentMethod, PaymentSource
from .models import Disbursement, Obligation, Payee, Payment

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


class ObligationFilterSet(SearchFilterSet):
    search_fields = ("offender__doc_id", "offender__last_name", "case__case_number", "payee__reference")
    kind = django_filters.ChoiceFilter(choices=ObligationKind.choices, empty_label="Any kind")
    status = django_filters.ChoiceFilter(choices=ObligationStatus.choices, empty_label="Any status")
    district = django_filters.ModelChoiceFilter(
        field_name="offender__district", queryset=scoped(District), empty_label="Any district"
    )

    class Meta:
        model = Obligation
        fields = ["q", "kind", "status", "district"]


class PaymentFilterSet(SearchFilterSet):
    search_fields = ("receipt_number", "offender__doc_id", "offender__last_name")
    method = django_filters.ChoiceFilter(choices=PaymentMethod.choices, empty_label="Any method")
    source = django_filters.ChoiceFilter(choices=PaymentSource.choices, empty_label="Entered or imported")
    received_after = django_filters.DateFilter(
        field_name="received_on", lookup_expr="gte", label="Received on or after", **DATE
    )
    received_before = django_filters.DateFilter(
        field_name="received_on", lookup_expr="lte", label="Received on or before", **DATE
    )
    reversed = django_filters.BooleanFilter(
        field_name="reversal",
        lookup_expr="isnull",
        exclude=True,
        label="Reversed",
        widget=forms.Select(choices=[("", "Reversed or not"), ("true", "Reversed"), ("false", "Not reversed")]),
    )

    class Meta:
        model = Payment
        fields = ["q", "method", "source", "received_after", "received_before", "reversed"]


class PayeeNameSearch(SearchFilterSet):
    """Searching by a payee's name answers only for names the user may read: a victim payee's name
    for victim services and administrators, otherwise only the CVCF fund's and other payees' names
    (a match on a hidden name would tell who the victim is)."""

    payee_path = ""

    def search_q(self, value: str) -> Q:
        by_name = Q(**{f"{self.payee_path}name__icontains": value})
        if not getattr(getattr(self.request, "user", None), "can_see_victim_contacts", False):
            by_name &= ~Q(**{f"{self.payee_path}kind": PayeeKind.VICTIM})
        return super().search_q(value) | by_name


class PayeeFilterSet(PayeeNameSearch):
    search_fields = ("reference",)
    kind = django_filters.ChoiceFilter(choices=PayeeKind.choices, empty_label="Any kind")

    class Meta:
        model = Payee
        fields = ["q", "kind"]


class DisbursementFilterSet(PayeeNameSearch):
    search_fields = ("reference", "payee__reference")
    payee_path = "payee__"
    disbursed_after = django_filters.DateFilter(
        field_name="disbursed_on", lookup_expr="gte", label="Disbursed on or after", **DATE
    )
    disbursed_before = django_filters.DateFilter(
        field_name="disbursed_on", lookup_expr="lte", label="Disbursed on or before", **DATE
    )

    class Meta:
        model = Disbursement
        fields = ["q", "disbursed_after", "disbursed_before"]
