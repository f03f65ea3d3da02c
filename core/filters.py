"""Filter sets for core lists. Choice filters read their options through ``.restrict()``."""

import django_filters
from django import forms
from django.db.models import F, Q, Value
from django.db.models.functions import Concat
from django.http import QueryDict

from core.choices import FacilityKind, JobOutcome, OffenderStatus, OffenseClass, Region, Role
from core.models import CourtCase, District, Facility, JobRun, Offender, Organization, OrganizationKind, User


def scoped(model, **filters):
    """A callable queryset for a filter's dropdown: what this request's user may see."""

    def queryset(request):
        if request is None:
            return model._default_manager.none()
        return model._default_manager.filter(**filters).restrict(request.user, "view")

    return queryset


def sort_matches(queryset):
    """Search results in the list's default order, sorted rather than read along the order's index.

    With a search, PostgreSQL would otherwise walk the default order's index (name, say) and test each
    row until a page is full: quick when matches are spread through the alphabet, 150,000 rows for
    "smith" among 200,000 people. Ordering by the same first field concatenated with '' (the same
    values, the same collation, so the same order) is an expression no index serves, so the matches
    are found through the search's own indexes (trigram) and sorted: 18 ms instead of 156 ms at ten
    times Missouri. A sort the user asks for (a column header) replaces this, as any order does."""
    if queryset.query.order_by or not queryset.ordered:
        return queryset
    ordering = list(queryset.model._meta.ordering)
    first = ordering[0] if ordering else ""
    if not first or first.startswith("-") or "__" in first:
        return queryset
    field = queryset.model._meta.get_field(first)
    if field.get_internal_type() not in ("CharField", "TextField"):
        return queryset
    return queryset.order_by(Concat(F(first), Value("")), *ordering[1:])


class SearchFilterSet(django_filters.FilterSet):
    """Adds a free-text ``q`` over ``search_fields``."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(method="search", label="Search")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return sort_matches(queryset.filter(self.search_q(value)))

    def search_q(self, value: str) -> Q:
        """The condition ``q`` filters on; a filter set whose search depends on who asks adds to it
        (``self.request.user``)."""
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return query


# Voidable entries (core.entries) --------------------------------------------------------------
ENTRY_STATUS_CHOICES = [("active", "Standing"), ("voided", "Voided"), ("all", "Standing and voided")]


class EntryStatusFilter(django_filters.ChoiceFilter):
    """Voided entries are hidden unless asked for."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", ENTRY_STATUS_CHOICES)
        kwargs.setdefault("empty_label", None)
        kwargs.setdefault("label", "Status")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value == "all":
            return qs
        if value == "voided":
            return qs.filter(voided_at__isnull=False)
        return qs.filter(voided_at__isnull=True)


class EntryFilterSet(SearchFilterSet):
    """A list of voidable entries: ``status`` (list it in ``Meta.fields``), standing entries by
    default, even before the form is submitted."""

    status = EntryStatusFilter()

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("status"):
            data["status"] = "active"
        super().__init__(data, *args, **kwargs)


class FacilityFilterSet(SearchFilterSet):
    search_fields = ("name", "code", "town")
    kind = django_filters.ChoiceFilter(choices=FacilityKind.choices, empty_label="Any kind")
    region = django_filters.ChoiceFilter(choices=Region.choices, empty_label="Any region")
    active = django_filters.BooleanFilter(
        widget=forms.Select(choices=[("", "Active or not"), ("true", "Active"), ("false", "Inactive")])
    )

    class Meta:
        model = Facility
        fields = ["q", "kind", "region", "active"]


class DistrictFilterSet(SearchFilterSet):
    search_fields = ("name",)
    region = django_filters.ChoiceFilter(choices=Region.choices, empty_label="Any region")

    class Meta:
        model = District
        fields = ["q", "region"]


class OrganizationFilterSet(SearchFilterSet):
    search_fields = ("name", "town", "county", "contact_name")
    kinds = django_filters.ModelChoiceFilter(
        queryset=OrganizationKind.objects.all(), label="Kind", empty_label="Any kind"
    )
    county = django_filters.CharFilter(lookup_expr="icontains")
    active = django_filters.BooleanFilter(
        widget=forms.Select(choices=[("", "Active or not"), ("true", "Active"), ("false", "Inactive")])
    )

    class Meta:
        model = Organization
        fields = ["q", "kinds", "county", "active"]


class OffenderFilterSet(SearchFilterSet):
    search_fields = ("doc_id", "last_name", "first_name")
    status = django_filters.ChoiceFilter(choices=OffenderStatus.choices, empty_label="Any status")
    facility = django_filters.ModelChoiceFilter(queryset=scoped(Facility), empty_label="Any facility")
    district = django_filters.ModelChoiceFilter(queryset=scoped(District), empty_label="Any district")
    supervising_officer = django_filters.ModelChoiceFilter(
        queryset=scoped(User, role__in=[Role.PROBATION_OFFICER, Role.DISTRICT_SUPERVISOR]),
        label="Officer",
        empty_label="Any officer",
    )
    supervision_ends_before = django_filters.DateFilter(
        field_name="supervision_end_date",
        lookup_expr="lte",
        label="Supervision ends by",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Offender
        fields = ["q", "status", "facility", "district", "supervising_officer", "supervision_ends_before"]


class CourtCaseFilterSet(SearchFilterSet):
    search_fields = ("case_number", "court", "offender__doc_id", "offender__last_name")
    county = django_filters.CharFilter(lookup_expr="icontains")
    offense_class = django_filters.ChoiceFilter(choices=OffenseClass.choices, empty_label="Any class")
    sentenced_after = django_filters.DateFilter(
        field_name="sentencing_date",
        lookup_expr="gte",
        label="Sentenced on or after",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sentenced_before = django_filters.DateFilter(
        field_name="sentencing_date",
        lookup_expr="lte",
        label="Sentenced on or before",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = CourtCase
        fields = ["q", "county", "offense_class", "sentenced_after", "sentenced_before"]


class UserFilterSet(SearchFilterSet):
    search_fields = ("username", "first_name", "last_name", "email")
    role = django_filters.ChoiceFilter(choices=Role.choices, empty_label="Any role")
    district = django_filters.ModelChoiceFilter(queryset=scoped(District), empty_label="Any district")
    is_active = django_filters.BooleanFilter(
        label="Active", widget=forms.Select(choices=[("", "Active or not"), ("true", "Active"), ("false", "Inactive")])
    )

    class Meta:
        model = User
        fields = ["q", "role", "district", "is_active"]


class JobRunFilterSet(django_filters.FilterSet):
    job = django_filters.CharFilter(lookup_expr="icontains")
    outcome = django_filters.ChoiceFilter(choices=JobOutcome.choices, empty_label="Any outcome")
    run_date = django_filters.DateFilter(widget=forms.DateInput(attrs={"type": "date"}), label="As of")

    class Meta:
        model = JobRun
        fields = ["job", "outcome", "run_date"]
