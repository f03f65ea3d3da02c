"""Pages for gardens: harvests (the quick day entry, corrections, voids), garden plots, crops and seasons."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from core.errors import form_errors_from
from core.querysets import ADD, VIEW, can
from core.rows import MAX_ROWS, blank_row, bound_rows
from core.units import one_decimal
from core.views.generic import (
    EditOnlyMixin,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ObjectVoidView,
    ServiceErrorMixin,
)
from core.workers import WorkersView

from . import forms, selectors, services
from .models import Crop, Harvest


# Harvests -------------------------------------------------------------------------------------
class HarvestListView(ObjectListView):
    queryset = Harvest.objects.select_related("facility", "garden", "crop", "entered_by")
    add_url_name = "gardens:harvest_quick"
    template_name = "gardens/harvest_list.html"
    intro = "Every crop weighed, per garden and day. Void entries are hidden unless you ask for them."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The total of exactly the rows the filter shows (one aggregate, whatever the page size).
        context["filtered_total"] = one_decimal(
            self.object_list.filter(voided_at__isnull=True).aggregate(total=Sum("weight_lb"))["total"]
        )
        return context


class HarvestDetailView(ObjectDetailView):
    queryset = Harvest.objects.select_related("facility", "garden", "crop", "entered_by", "voided_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["workers"] = list(self.object.workers.select_related("offender"))
        context["workers_total"] = sum((w.hours for w in context["workers"]), 0)
        return context


class HarvestWorkersView(WorkersView):
    """Who worked a harvest: the facility's roster, a box and the hours per person (optional)."""

    model = Harvest
    template_name = "gardens/harvest_workers.html"
    related = ("facility", "garden", "crop")

    service = services.harvest_workers_set
    entry_arg = "harvest"


class HarvestEditView(EditOnlyMixin, ServiceErrorMixin, ObjectEditView):
    """A correction (a harvest is recorded on the day page); the declaration gives its form."""


class HarvestVoidView(ObjectVoidView):
    form_class = forms.VoidForm


class HarvestDayView(LoginRequiredMixin, View):
    """Quick entry: a garden, a date, and a row per crop; rows come and go with htmx; saved all at once."""

    template_name = "gardens/harvest_day.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, Harvest, ADD):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def crops(self):
        return Crop.objects.restrict(self.request.user, VIEW).filter(active=True)

    def render_page(self, header, rows, status=200):
        return render(
            self.request,
            self.template_name,
            {"header": header, "rows": rows, "title": "Record a day's harvest", "max_rows": MAX_ROWS},
            status=status,
        )

    def get(self, request):
        gardens = selectors.gardens_for(request.user, action=ADD)
        initial = {"date": timezone.localdate()}
        if request.GET.get("garden"):
            initial["garden"] = request.GET["garden"]
        elif len(gardens) == 1:
            initial["garden"] = gardens[0].pk
        header = forms.DayHeaderForm(initial=initial, user=request.user)
        crops = self.crops()
        rows = [blank_row(forms.HarvestRowForm, crops=crops)]
        return self.render_page(header, rows)

    def post(self, request):
        data = request.POST
        header = forms.DayHeaderForm(data, user=request.user)
        crops = self.crops()
        rows = bound_rows(data, "row", forms.HarvestRowForm, crops=crops)
        problems = []
        if not rows:
            problems.append("Add at least one crop with its weight.")
        # Validate every row (not stopping at the first bad one) so each shows its errors.
        row_ok = [r.is_valid() for r in rows]
        valid = header.is_valid() and all(row_ok)
        if valid and not problems:
            try:
                saved = services.harvest_record_day(
                    user=request.user,
                    garden=header.cleaned_data["garden"],
                    date=header.cleaned_data["date"],
                    rows=[r.as_service_row() for r in rows],
                )
            except services.DayEntryError as exc:
                for index, error in exc.row_errors.items():
                    form_errors_from(rows[index], error)
            except ValidationError as exc:
                problems.extend(exc.messages)
            else:
                garden, day = header.cleaned_data["garden"], header.cleaned_data["date"]
                total = one_decimal(sum(h.weight_lb for h in saved))
                messages.success(
                    request,
                    f"Saved {len(saved)} harvest{'s' if len(saved) != 1 else ''} at {forms.garden_label(garden)} "
                    f"on {day:%b %-d, %Y}: {total:,} lb in all. To name who worked, open a harvest and "
                    "choose Who worked.",
                )
                query = urlencode({"garden": garden.pk, "date_from": day.isoformat(), "date_to": day.isoformat()})
                return redirect(f"{reverse('gardens:harvest_list')}?{query}")
        for problem in problems:
            header.add_error(None, problem)
        if not rows:
            rows = [blank_row(forms.HarvestRowForm, crops=crops)]
        return self.render_page(header, rows, status=400)


class HarvestRowView(LoginRequiredMixin, View):
    """htmx: one more empty crop row for the quick entry."""

    def get(self, request):
        if not can(request.user, Harvest, ADD):
            raise PermissionDenied
        crops = Crop.objects.restrict(request.user, VIEW).filter(active=True)
        form = blank_row(forms.HarvestRowForm, crops=crops)
        return render(request, "gardens/includes/harvest_row.html", {"row": form})


# Garden plots ---------------------------------------------------------------------------------
class GardenDetailView(ObjectDetailView):
    """A plot with this season's pounds and its latest harvests (the rest is its declaration's)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        season = selectors.current_season()
        context["season"] = season
        if season is not None:
            qs = selectors.season_harvests(user=self.request.user, season=season).filter(garden=self.object)
            context["season_pounds"] = one_decimal(qs.aggregate(t=Sum("weight_lb"))["t"])
        context["recent"] = selectors.harvests(self.request.user).filter(garden=self.object).select_related("crop")[:10]
        context["can_add_harvest"] = can(self.request.user, Harvest, ADD)
        return context


class SeasonDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = selectors.season_totals(user=self.request.user, season=self.object)
        return context
