"""Pages for donations (with lines, receipts and voids), craft production, spoilage, stock and fundraisers."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from core.errors import form_errors_from
from core.filters import scoped
from core.models import Facility
from core.money import quantize
from core.pdf import pdf_response
from core.querysets import ADD, VIEW, can, save_in_scope
from core.registry import registry
from core.rows import blank_row, bound_rows
from core.units import one_decimal, to_tons
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
from .models import Donation, Fundraiser, FundraiserPurchase, ProductionLog, Spoilage


class CreateOnlyMixin:
    def get_object(self, queryset=None):
        if self.kwargs.get(self.pk_url_kwarg) is not None:
            raise Http404
        return super().get_object(queryset)


class VoidView(ObjectVoidView):
    form_class = forms.VoidForm
    intro = "A void record stays on file with its reason and history, and counts in no figure. This cannot be undone."
    submit_label = "Void it"


# Donations ------------------------------------------------------------------------------------
class DonationListView(ObjectListView):
    queryset = Donation.objects.select_related("facility", "recipient").with_totals()
    add_url_name = "donations:donation_add"
    template_name = "donations/donation_list.html"
    intro = "Gifts of produce and items to partner organizations. Void donations are hidden unless you ask."


class DonationDetailView(ObjectDetailView):
    queryset = Donation.objects.select_related("facility", "recipient", "entered_by", "voided_by").with_totals()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lines"] = self.object.lines.select_related("crop", "item")
        return context


class DonationEditView(EditOnlyMixin, ServiceErrorMixin, ObjectEditView):
    """Only what ``services.EDITABLE`` allows; the lines are given again by voiding and entering anew."""


def receipt_context(donation) -> dict:
    lines = list(donation.lines.select_related("crop", "item"))
    produce = [line for line in lines if line.crop_id]
    items = [line for line in lines if line.item_id]
    total_lb = one_decimal(sum((line.weight_lb for line in produce), 0))
    return {
        "donation": donation,
        "produce": produce,
        "items": items,
        "total_lb": total_lb,
        "total_tons": to_tons(total_lb),
        "total_items": sum(line.quantity for line in items),
        "total_value": quantize(sum((line.estimated_value for line in lines), 0)),
        "produce_value": quantize(sum((line.estimated_value for line in produce), 0)),
        "items_value": quantize(sum((line.estimated_value for line in items), 0)),
    }


class DonationReceiptView(LoginRequiredMixin, View):
    """The receipt as a PDF: lines, totals, estimated value and two signature lines."""

    def get(self, request, pk):
        donation = get_object_or_404(
            Donation.objects.select_related("facility", "recipient", "entered_by", "voided_by").restrict(
                request.user, VIEW
            ),
            pk=pk,
        )
        return pdf_response(
            "donations/receipt.html",
            receipt_context(donation),
            filename=f"donation-receipt-{donation.receipt_number}.pdf",
            request=request,
            inline=False,
        )


class DonationCreateView(LoginRequiredMixin, View):
    """A donation with its lines on one page: lines come and go with htmx, and what is on hand is shown."""

    template_name = "donations/donation_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, Donation, ADD):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, header, produce, items, status=200, problems=()):
        return render(
            self.request,
            self.template_name,
            {
                "header": header,
                "produce_rows": produce,
                "item_rows": items,
                "problems": problems,
                "title": "Record a donation",
            },
            status=status,
        )

    def get(self, request):
        facilities = Facility.objects.restrict(request.user, VIEW).filter(active=True)
        initial = {"date": timezone.localdate(), "purpose": "distribution"}
        for key in ("facility", "recipient"):
            if request.GET.get(key):
                initial[key] = request.GET[key]
        if "facility" not in initial and len(facilities) == 1:
            initial["facility"] = facilities[0].pk
        header = forms.DonationHeaderForm(initial=initial, user=request.user)
        produce = [blank_row(forms.ProduceLineForm)]
        items = [blank_row(forms.ItemLineForm)]
        return self.render_page(header, produce, items)

    def post(self, request):
        data = request.POST
        header = forms.DonationHeaderForm(data, user=request.user)
        produce = bound_rows(data, "produce_row", forms.ProduceLineForm)
        items = bound_rows(data, "item_row", forms.ItemLineForm)
        problems = []
        if not produce and not items:
            problems.append("Add at least one line of produce or of items.")
        lines_ok = [f.is_valid() for f in produce + items]
        if header.is_valid() and all(lines_ok) and not problems:
            donation = self._create(header, produce, items, problems)
            if donation is not None:
                messages.success(
                    request,
                    f"Saved donation {donation.receipt_number} to {donation.recipient}. "
                    "Download the receipt for the recipient to sign.",
                )
                return redirect(donation.get_absolute_url())
        if not produce and not items:
            produce = [blank_row(forms.ProduceLineForm)]
        return self.render_page(header, produce, items, status=400, problems=problems)

    def _create(self, header, produce, items, problems):
        data = header.cleaned_data
        try:
            donation = save_in_scope(
                lambda: services.donation_create(
                    user=self.request.user,
                    facility=data["facility"],
                    recipient=data["recipient"],
                    date=data["date"],
                    purpose=data["purpose"],
                    produce=[f.as_pair() for f in produce],
                    items=[f.as_pair() for f in items],
                    acknowledged=data["acknowledged"],
                    acknowledged_on=data["acknowledged_on"],
                    note=data["note"],
                ),
                user=self.request.user,
                action=ADD,
                message="You cannot save this: the donation would be outside your scope.",
            )
        except services.ShortageError as exc:
            problems.extend(exc.messages)
            for form in produce + items:
                available = exc.shortages.get(form.key())
                if available is not None:
                    field = "weight_lb" if form.key()[0] == "crop" else "quantity"
                    unit = " lb" if field == "weight_lb" else ""
                    amount = one_decimal(available) if unit else int(available)
                    form.add_error(field, f"Only {amount}{unit} on hand on that date.")
            return None
        except ValidationError as exc:  # the service's rules, or the donation would be outside the user's scope
            form_errors_from(header, exc)
            return None
        return donation


class DonationLineRowView(LoginRequiredMixin, View):
    """htmx: one more empty line (``kind`` produce or item) for the donation form."""

    def get(self, request, kind):
        if not can(request.user, Donation, ADD):
            raise PermissionDenied
        if kind == "produce":
            return render(
                request,
                "donations/includes/produce_row.html",
                {"row": blank_row(forms.ProduceLineForm)},
            )
        if kind == "item":
            return render(request, "donations/includes/item_row.html", {"row": blank_row(forms.ItemLineForm)})
        raise Http404


class AvailableView(LoginRequiredMixin, View):
    """htmx: what a facility has on hand to give on a date (the donation form's side panel)."""

    def get(self, request):
        facility = None
        day = timezone.localdate()
        if request.GET.get("date"):
            with contextlib.suppress(ValueError):
                day = min(dt.date.fromisoformat(request.GET["date"]), timezone.localdate())
        if request.GET.get("facility", "").isdigit() and can(request.user, Donation, VIEW):
            facility = Facility.objects.restrict(request.user, VIEW).filter(pk=request.GET["facility"]).first()
        context = {"facility": facility, "day": day}
        if facility is not None:
            context["produce"], context["items"] = selectors.available_to_give(facility=facility, on=day)
        return render(request, "donations/includes/available.html", context)


# Stock ----------------------------------------------------------------------------------------
class StockView(LoginRequiredMixin, TemplateView):
    """Produce and items on hand per facility, derived from the records (never a stored counter)."""

    template_name = "donations/stock.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, Donation, VIEW):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        facilities = scoped(Facility)(self.request)
        facility = None
        if self.request.GET.get("facility", "").isdigit():
            facility = facilities.filter(pk=self.request.GET["facility"]).first()
        context.update(
            title="Stock on hand",
            facilities=facilities,
            facility=facility,
            produce=selectors.produce_on_hand(user=user, facility=facility),
            items=selectors.items_on_hand(user=user, facility=facility),
            today=timezone.localdate(),
            can_give=can(user, Donation, ADD),
            can_spoil=can(user, Spoilage, ADD),
        )
        context["produce_total"] = one_decimal(sum((r.on_hand for r in context["produce"]), 0))
        context["items_total"] = int(sum((r.on_hand for r in context["items"]), 0))
        return context


# Craft production -----------------------------------------------------------------------------
class ProductionDetailView(ObjectDetailView):
    queryset = ProductionLog.objects.select_related("facility", "item", "entered_by", "voided_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["workers"] = list(self.object.workers.select_related("offender"))
        context["workers_total"] = sum((w.hours for w in context["workers"]), 0)
        return context


class ProductionWorkersView(WorkersView):
    """Who worked on a production entry: the facility's roster, a box and the hours per person (optional)."""

    model = ProductionLog
    template_name = "donations/production_workers.html"
    related = ("facility", "item")

    service = services.production_workers_set
    entry_arg = "entry"


class ProductionEditView(ServiceErrorMixin, ObjectEditView):
    """Recorded and corrected through the production services (the form's save)."""


# Spoilage -------------------------------------------------------------------------------------
class SpoilageDetailView(ObjectDetailView):
    queryset = Spoilage.objects.select_related("facility", "crop", "entered_by", "voided_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Spoilage is voided and entered again, never edited.
        context["can_void"] = context["can_change"]
        context["can_change"] = False
        return context


class SpoilageEditView(CreateOnlyMixin, ServiceErrorMixin, ObjectEditView):
    """Spoilage is recorded, and voided and entered again: never edited."""


# Fundraisers ----------------------------------------------------------------------------------
def _spent():
    return Coalesce(
        Subquery(
            FundraiserPurchase.objects.filter(fundraiser=OuterRef("pk"))
            .order_by()
            .values("fundraiser")
            .annotate(total=Sum("amount"))
            .values("total")
        ),
        Value(0),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


class FundraiserListView(ObjectListView):
    queryset = Fundraiser.objects.select_related("facility").annotate(spent=_spent())


class FundraiserDetailView(ObjectDetailView):
    queryset = Fundraiser.objects.select_related("facility").annotate(spent=_spent())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["purchases"] = self.object.purchases.select_related("recipient")
        return context


class FundraiserPurchaseEditView(ObjectEditView):
    """A purchase is added and edited from its fundraiser's page; cancelling goes back to the list."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context.get("cancel_url") is None:
            context["cancel_url"] = reverse("donations:fundraiser_list")
        return context


# Reports --------------------------------------------------------------------------------------
class ReportRedirectView(LoginRequiredMixin, View):
    """The old address of a donations report: on to the report catalog's page for the same report.

    Bookmarks keep working: the query (``season``, ``facility``, ``format``) goes along, and without
    a ``format`` the catalog shows the report as a page straight away, as the old page did. A role
    that may not run the report gets a 404 here, as before.
    """

    slug = ""

    def get(self, request):
        entry = registry.reports[self.slug]
        if not (request.user.is_superuser or request.user.role in entry.roles):
            raise Http404
        query = request.GET.copy()
        query.setdefault("format", "html")
        return redirect(f"{reverse('reports:run', args=[self.slug])}?{query.urlencode()}")
