"""Pages for gardens: harvests (the quick day entry, corrections, voids), garden plots, crops and seasons."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from core.dates import format_date
from core.errors import form_errors_from
from core.querysets import ADD, CHANGE, VIEW, can
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
from core.workers import WORKER_HOURS_STEP, WorkersView, roster

from . import forms, selectors, services
from .models import Crop, Garden, Harvest, HarvestWorker


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
                    f"on {day:%b %-d, %Y}: {total:,} lb in all. Name who worked below, or choose Skip.",
                )
                return redirect("gardens:harvest_day_workers", garden=garden.pk, date=day)
        for problem in problems:
            header.add_error(None, problem)
        if not rows:
            rows = [blank_row(forms.HarvestRowForm, crops=crops)]
        return self.render_page(header, rows, status=400)


def day_list_url(garden_id: int, day) -> str:
    """The harvest list filtered to one garden and one day."""
    query = urlencode({"garden": garden_id, "date_from": day.isoformat(), "date_to": day.isoformat()})
    return f"{reverse('gardens:harvest_list')}?{query}"


class HarvestDayWorkersView(LoginRequiredMixin, View):
    """Who worked a day's harvests at one garden, on one page: the day's standing harvests that the user may
    change, and the facility's roster with a box, the hours and (with more than one crop) the crop per person.

    The garden is one where the user may record harvests, else 404 (as ``HarvestWorkersView`` for a harvest
    out of scope); the harvests are ``restrict(user, CHANGE)`` (standing, in the correction window for
    facility staff). A person named on two or more of them is shown read-only and kept as is."""

    template_name = "gardens/harvest_day_workers.html"

    def load(self, request, garden, date, data=None):
        garden = get_object_or_404(Garden.objects.restrict(request.user, ADD).select_related("facility"), pk=garden)
        harvests = list(
            Harvest.objects.restrict(request.user, CHANGE)
            .filter(garden=garden, date=date)
            .select_related("crop")
            .order_by("pk")
        )
        on: dict[int, list[tuple[int, object]]] = {}
        if harvests:
            rows = HarvestWorker.objects.filter(harvest__in=[h.pk for h in harvests]).order_by("harvest_id")
            for harvest_id, offender_id, hours in rows.values_list("harvest_id", "offender_id", "hours"):
                on.setdefault(offender_id, []).append((harvest_id, hours))
        people = roster(facility_id=garden.facility_id, user=request.user, named_ids=on) if harvests else []
        by_pk = {h.pk: h for h in harvests}
        several = [(p, [by_pk[hid] for hid, _ in on[p.pk]]) for p in people if len(on.get(p.pk, ())) > 1]
        single = {pk: named[0] for pk, named in on.items() if len(named) == 1}
        form = forms.DayWorkersForm(
            data,
            roster=[p for p in people if len(on.get(p.pk, ())) < 2],
            named={pk: hours for pk, (_, hours) in single.items()},
            harvests=harvests,
            named_on={pk: harvest_id for pk, (harvest_id, _) in single.items()},
        )
        return garden, harvests, several, form

    def render_page(self, garden, date, harvests, several, form, status=200):
        labels = {h.pk: services.harvest_day_label(h, harvests) for h in harvests}
        context = {
            "garden": garden,
            "facility": garden.facility,
            "day": date,
            "harvests": [(h, labels[h.pk]) for h in harvests],
            "several": [(p, [(h, labels[h.pk]) for h in named]) for p, named in several],
            "form": form,
            "skip_url": day_list_url(garden.pk, date),
            "title": f"Who worked this day: {garden.name}, {format_date(date)}",
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, garden, date):
        garden, harvests, several, form = self.load(request, garden, date)
        return self.render_page(garden, date, harvests, several, form)

    def post(self, request, garden, date):
        garden, harvests, several, form = self.load(request, garden, date, request.POST)
        if not harvests:
            return self.render_page(garden, date, harvests, several, form, status=400)
        if form.is_valid():
            try:
                final = services.harvest_day_workers_set(
                    harvests=harvests,
                    user=request.user,
                    assigned=form.workers_by_harvest(),
                    kept=[p.pk for p, _ in several],
                    reason="Who worked this day",
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                named = [pair for pairs in final.values() for pair in pairs]
                people = len({pk for pk, _ in named})
                hours = sum((hours for _, hours in named), Decimal("0")).quantize(WORKER_HOURS_STEP)
                messages.success(request, f"Saved who worked on {format_date(date)}: {people} people, {hours} hours.")
                return redirect(day_list_url(garden.pk, date))
        return self.render_page(garden, date, harvests, several, form, status=400)


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
