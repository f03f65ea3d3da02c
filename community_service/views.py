"""Pages for community service beyond what the declarations give: an agency's pending verifications
and people, an order's hours and pace, hour logs locked once decided."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from core.models import Offender
from core.querysets import ADD, CHANGE, VIEW, can
from core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView, ObjectVoidView, ServiceErrorMixin

from . import forms, selectors
from .choices import OrderStatus, Verification
from .models import Agency, HourLog, Order, Placement


# Agencies -------------------------------------------------------------------------------------------
class AgencyDetailView(ObjectDetailView):
    """The agency, its pending verifications and its people: only those the viewer may see."""

    queryset = Agency.objects.select_related("organization")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, agency = self.request.user, self.object
        today = timezone.localdate()
        context["agreement_current"] = agency.has_agreement_on(today)
        context["pending"] = (
            HourLog.objects.restrict(user, VIEW)
            .active()
            .filter(placement__agency=agency, verification=Verification.PENDING)
            .select_related("offender")
            .order_by("date", "pk")
        )
        context["placements"] = (
            Placement.objects.restrict(user, VIEW)
            .filter(agency=agency)
            .filter(Q(end_on__isnull=True) | Q(end_on__gte=today))
            .select_related("offender")
            .order_by("offender__last_name", "offender__first_name", "pk")
        )
        return context


# Orders ---------------------------------------------------------------------------------------------
class OrderDetailView(ObjectDetailView):
    queryset = Order.objects.select_related("offender", "case", "follows__case")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.object
        context["can_change"] = context["can_change"] and order.status == OrderStatus.OPEN
        logs = order.hour_logs.restrict(self.request.user, VIEW).select_related("placement__agency__organization")
        context["logs"] = logs.order_by("-date", "-start_time", "-pk")
        standing = logs.active()
        context["reported"] = standing.aggregate(t=Sum("hours"))["t"]
        context["credited"] = standing.aggregate(t=Sum("credited_hours"))["t"]
        context["pace"] = selectors.pace_for_orders(self.request.user, [order.pk], timezone.localdate()).get(order.pk)
        context["can_add_hours"] = order.status == OrderStatus.OPEN and can(self.request.user, HourLog, ADD)
        return context


class OrderEditView(ServiceErrorMixin, ObjectEditView):
    """Only an open order is edited; closing one is its own page."""

    def base_queryset(self):
        return Order.objects.filter(status=OrderStatus.OPEN)


# Placements -----------------------------------------------------------------------------------------
class PlacementDetailView(ObjectDetailView):
    queryset = Placement.objects.select_related("offender", "agency__organization")


class PlacementEditView(ServiceErrorMixin, ObjectEditView):
    """A new placement goes through ``placement_create``; an edit changes the end date and note."""


# Hour logs ------------------------------------------------------------------------------------------
class HourLogListView(ObjectListView):
    queryset = HourLog.objects.select_related("offender", "placement__agency__organization")
    intro = "Hours reported and credited. Only verified hours are credited; void logs are hidden unless you ask."


class HourLogDetailView(ObjectDetailView):
    queryset = HourLog.objects.select_related(
        "offender", "order__case", "placement__agency__organization", "entered_by", "decided_by", "voided_by"
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        log = self.object
        context["can_void"] = context["can_change"]
        context["can_change"] = context["can_change"] and not log.is_decided
        return context


class HourLogEditView(ServiceErrorMixin, ObjectEditView):
    """Record hours, or correct a pending log: a decided (verified or rejected) log is locked (404 here)."""

    def base_queryset(self):
        if self.kwargs.get(self.pk_url_kwarg) is None:
            return HourLog.objects.all()
        return HourLog.objects.filter(verification=Verification.PENDING)


class HourLogVoidView(ObjectVoidView):
    form_class = forms.HourLogVoidForm
    intro = (
        "A void log stays on record with its reason and history and counts in no figure. To correct hours, "
        "void the log and enter the right hours again."
    )


# One person's community service ----------------------------------------------------------------------
class OffenderServiceView(LoginRequiredMixin, TemplateView):
    """A person's orders with their pace today, placements and latest hours, as the viewer may see them."""

    template_name = "community_service/offender.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if not can(user, Order, VIEW):
            raise Http404
        offender = get_object_or_404(
            Offender.objects.restrict(user, VIEW).select_related("supervising_officer", "district"),
            pk=self.kwargs["pk"],
        )
        today = timezone.localdate()
        orders = list(Order.objects.restrict(user, VIEW).filter(offender=offender).order_by("due_on", "pk"))
        paces = selectors.pace_for_people([offender.pk], today).get(offender.pk, [])
        pace_by_order = dict(paces)
        logs = (
            HourLog.objects.restrict(user, VIEW)
            .filter(offender=offender)
            .select_related("placement__agency__organization", "order__case")
            .order_by("-date", "-start_time", "-pk")
        )
        context.update(
            offender=offender,
            title=f"Community service: {offender.first_name} {offender.last_name}",
            today=today,
            rows=[(o, pace_by_order.get(o.pk)) for o in orders],
            placements=Placement.objects.restrict(user, VIEW).filter(offender=offender).order_by("-start_on", "-pk"),
            logs=logs[:25],
            log_count=logs.count(),
            can_change=Offender.objects.restrict(user, CHANGE).filter(pk=offender.pk).exists(),
            can_add_hours=can(user, HourLog, ADD),
        )
        return context
