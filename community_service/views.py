"""Pages for community service beyond what the declarations give: an agency's pending verifications
and people, an order's hours and pace, hour logs locked once decided."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from core.audit import audit_log
from core.dates import format_date
from core.errors import form_errors_from
from core.links import LinkRefused
from core.models import Offender
from core.querysets import ADD, CHANGE, VIEW, can
from core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ObjectVoidView,
    ServiceErrorMixin,
    scoped_object_or_404,
)

from . import forms, selectors, services
from .choices import LogSource, OrderStatus, Verification, VerificationMethod
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
        context["can_send_link"] = can(user, HourLog, CHANGE)
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
        "offender",
        "order__case",
        "placement__agency__organization",
        "entered_by",
        "decided_by",
        "voided_by",
        "reported_through__sent_by",
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


# Verification ----------------------------------------------------------------------------------------
class AgencyLinkSendView(LoginRequiredMixin, View):
    """POST: e-mail the agency's contact a link to the pending hours the user follows there."""

    def post(self, request, pk):
        agency = scoped_object_or_404(Agency, request.user, pk, VIEW)
        if not can(request.user, HourLog, CHANGE):
            raise PermissionDenied
        try:
            link = services.verification_link_send(agency=agency, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, f"Sent {agency.verifier_name} ({link.sent_to}) a link to {link.logs.count()} pending entries."
            )
        return redirect(agency.get_absolute_url())


class LinkVerifyView(View):
    """The agency contact's page, without an account: the hours the link lists, each approved or rejected
    with a note, and a form to report new hours for the people placed at the agency (pending the officer's
    decision). A tampered, unknown, expired or used link gets a page that says so and changes nothing.

    Reporting keeps the link open (several days can be reported in one visit); sending the decisions uses
    it up, for reporting too."""

    template_name = "community_service/verify.html"

    def refused(self, request, exc):
        return render(request, "community_service/verify_refused.html", {"refusal": exc}, status=exc.status)

    def page(self, request, link, form, report_form=None, status=200):
        reported = link.reported.select_related("offender").order_by("date", "start_time", "pk")
        if report_form is None:
            report_form = forms.AgencyReportForm(placements=services.link_placements(link))
        context = {"link": link, "form": form, "report_form": report_form, "reported": reported}
        return render(request, self.template_name, context, status=status)

    def logs(self, link):
        return link.logs.select_related("offender").order_by("date", "start_time", "pk")

    def get(self, request, token):
        try:
            link = services.verification_link_open(token)
        except LinkRefused as exc:
            return self.refused(request, exc)
        return self.page(request, link, forms.LinkDecisionForm(logs=self.logs(link)))

    def post(self, request, token):
        try:
            link = services.verification_link_open(token)
        except LinkRefused as exc:
            return self.refused(request, exc)
        if request.POST.get("action") == "report":
            return self.report(request, token, link)
        form = forms.LinkDecisionForm(request.POST, logs=self.logs(link))
        if not form.is_valid():
            return self.page(request, link, form, status=200)
        try:
            decided = services.verification_link_decide(token=token, decisions=form.decisions())
        except LinkRefused as exc:
            return self.refused(request, exc)
        except ValidationError as exc:
            form_errors_from(form, exc)
            return self.page(request, link, form)
        return render(
            request,
            "community_service/verify_done.html",
            {"link": link, "decided": decided, "reported": link.reported.select_related("offender")},
        )

    def report(self, request, token, link):
        report_form = forms.AgencyReportForm(request.POST, placements=services.link_placements(link))
        decisions = forms.LinkDecisionForm(logs=self.logs(link))
        if report_form.is_valid():
            try:
                entry = services.verification_link_report(token=token, **report_form.values())
            except LinkRefused as exc:
                return self.refused(request, exc)
            except ValidationError as exc:
                form_errors_from(report_form, exc)
            else:
                messages.success(
                    request,
                    f"Reported: {entry.offender.full_name}, {entry.hours:.2f} hours on {format_date(entry.date)}. "
                    "The officer will review it.",
                )
                return redirect(request.path)
        return self.page(request, link, decisions, report_form)


class HourLogVerifyView(LoginRequiredMixin, View):
    """The officer verifies (with the signed sheet) or rejects a pending log."""

    template_name = "community_service/hourlog_verify.html"

    def get_object(self):
        log = scoped_object_or_404(HourLog, self.request.user, self.kwargs["pk"], CHANGE)
        if log.is_decided:
            raise Http404
        return log

    def get(self, request, pk):
        log = self.get_object()
        form = forms.SheetVerifyForm(sheet_required=log.source != LogSource.AGENCY)
        return render(request, self.template_name, {"object": log, "form": form})

    def post(self, request, pk):
        log = self.get_object()
        reported_by_agency = log.source == LogSource.AGENCY
        form = forms.SheetVerifyForm(request.POST, request.FILES, sheet_required=not reported_by_agency)
        if form.is_valid():
            data = form.cleaned_data
            approve = data["decision"] == "approve"
            sheet_bytes = data.get("sheet_bytes") if approve else None
            try:
                services.hour_log_decide(
                    log=log,
                    approve=approve,
                    method=VerificationMethod.AGENCY_REPORT if reported_by_agency else VerificationMethod.SIGNED_SHEET,
                    note=data.get("note", ""),
                    user=request.user,
                    sheet=services.sheet_file(sheet_bytes, log) if sheet_bytes else None,
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"{log} {'verified' if approve else 'rejected'}.")
                return redirect(log.get_absolute_url())
        return render(request, self.template_name, {"object": log, "form": form})


class HourLogSheetView(LoginRequiredMixin, View):
    """The signed sheet of a verified log, for those who may see the log (each download audited)."""

    def get(self, request, pk):
        log = scoped_object_or_404(HourLog, request.user, pk, VIEW)
        if not log.sheet:
            raise Http404
        audit_log(user=request.user, action="cs_sheet_download", obj=log)
        return FileResponse(log.sheet.open("rb"), as_attachment=True, filename=log.sheet.name.rsplit("/", 1)[-1])


# Closing an order, and the completion letter ---------------------------------------------------------
class OrderCloseView(LoginRequiredMixin, View):
    """Close an open order: completed (only with every ordered hour credited), revoked or converted."""

    template_name = "community_service/order_close.html"

    def get_object(self):
        order = scoped_object_or_404(Order, self.request.user, self.kwargs["pk"], CHANGE)
        if order.status != OrderStatus.OPEN:
            raise Http404
        return order

    def get(self, request, pk):
        order = self.get_object()
        form = forms.OrderCloseForm(initial={"status": OrderStatus.COMPLETED, "closed_on": timezone.localdate()})
        return render(request, self.template_name, {"object": order, "form": form})

    def post(self, request, pk):
        order = self.get_object()
        form = forms.OrderCloseForm(request.POST)
        if form.is_valid():
            try:
                order = services.order_close(order=order, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"The order is {order.get_status_display().lower()}.")
                return redirect(order.get_absolute_url())
        return render(request, self.template_name, {"object": order, "form": form})


class OrderLetterView(LoginRequiredMixin, View):
    """The completion letter of a completed order (PDF): the hours by agency and date, who verified each."""

    def get(self, request, pk):
        from core.pdf import pdf_response

        order = scoped_object_or_404(Order, request.user, pk, VIEW)
        if order.status != OrderStatus.COMPLETED:
            raise Http404
        context = selectors.completion_letter(order)
        audit_log(user=request.user, action="cs_completion_letter", obj=order)
        return pdf_response(
            "community_service/letter_pdf.html", context, f"completion-{order.case.case_number}.pdf", request
        )
