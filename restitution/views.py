"""Pages: the caseload, a person's restitution, obligations, payments, payees and disbursements.

Lists and details build on core's generic views (scope applied there); pages that write call one
service each. Out of scope is a 404.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import DecimalField, F, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView
from django_tables2 import SingleTableMixin

from core.choices import Role
from core.errors import form_errors_from
from core.exports import TableExportMixin
from core.models import District, Offender, User
from core.money import ZERO, format_money
from core.pdf import pdf_response
from core.querysets import ADD, CHANGE, VIEW, can
from core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
)

from . import filters, forms, selectors, services, tables
from .choices import ObligationKind, PaymentSource
from .compliance import evaluate_obligation, installments
from .models import Allocation, Disbursement, Obligation, Payee, Payment

MONEY = DecimalField(max_digits=14, decimal_places=2)


def as_of_from(request) -> dt.date:
    """``?as_of=YYYY-MM-DD``, today when absent or unreadable."""
    value = request.GET.get("as_of", "")
    try:
        return dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def require_restitution(user):
    """Only roles that handle restitution see these pages; the rest get a 404."""
    if not can(user, Obligation, VIEW):
        raise Http404


# The caseload -----------------------------------------------------------------------------------


def caseload_title(user, programs: list[str]) -> str:
    """ "My caseload: restitution and CVCF" (an officer), "Restitution compliance" (the others), naming
    the other programs shown beside restitution: "...: restitution, CVCF and community service"."""
    if user.role != Role.PROBATION_OFFICER:
        return "Restitution compliance" if not programs else f"Compliance: restitution, CVCF and {', '.join(programs)}"
    return (
        "My caseload: restitution and CVCF"
        if not programs
        else f"My caseload: restitution, CVCF and {', '.join(programs)}"
    )


class CaseloadView(LoginRequiredMixin, TableExportMixin, SingleTableMixin, TemplateView):
    """Who is behind, by how much and since when: an officer's caseload, a supervisor's district."""

    template_name = "restitution/caseload.html"
    table_class = tables.CaseloadTable
    paginate_by = 50
    export_formats = ("csv", "xlsx")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_restitution(request.user)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def officers(self):
        user = self.request.user
        return (
            User.objects.restrict(user, VIEW)
            .filter(role__in=[Role.PROBATION_OFFICER, Role.DISTRICT_SUPERVISOR], is_active=True)
            .select_related("district")
            .order_by("district__number", "last_name", "first_name")
        )

    @cached_property
    def filter_form(self):
        districts = District.objects.restrict(self.request.user, VIEW)
        return forms.CaseloadForm(self.request.GET or None, officers=self.officers, districts=districts)

    @cached_property
    def as_of(self):
        return as_of_from(self.request)

    @cached_property
    def rows(self):
        form = self.filter_form
        params = form.cleaned_data if form.is_bound and form.is_valid() else {}
        officer, district = params.get("officer"), params.get("district")
        return selectors.caseload(
            self.request.user,
            self.as_of,
            officer_id=officer.pk if officer else None,
            district_id=district.pk if district else None,
            status=params.get("status") or None,
            programs=True,
        )

    def get_table_data(self):
        return self.rows

    def get_table_kwargs(self):
        # The other programs' columns (selectors.CaseloadProgram), after restitution's.
        return {"extra_columns": [c for p in selectors.caseload_programs() for c in p.columns()]}

    def get_table_pagination(self, table):
        return {"per_page": self.paginate_by}

    def get_export_filename(self, export_format):
        return f"restitution-caseload-{self.as_of:%Y-%m-%d}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        programs = selectors.caseload_programs()
        context.update(
            title=caseload_title(user, [p.label for p in programs]),
            program_summaries=[line for p in programs if p.summary and (line := p.summary(self.rows))],
            as_of=self.as_of,
            filter_form=self.filter_form,
            counts=selectors.status_counts(self.rows),
            flagged=sum(1 for r in self.rows if r.payoff_after_end),
            show_officer_filter=user.role != Role.PROBATION_OFFICER,
            show_district_filter=user.is_superuser
            or user.role in (Role.ADMINISTRATOR, Role.AUDITOR, Role.VICTIM_SERVICES),
            export_query=self.request.GET.urlencode(),
        )
        return context


# One person's restitution -------------------------------------------------------------------------


class OffenderRestitutionView(LoginRequiredMixin, TemplateView):
    """Obligations with their live figures, plans, the ledger, credit held and the compliance history."""

    template_name = "restitution/offender.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        require_restitution(user)
        offender = get_object_or_404(
            Offender.objects.restrict(user, VIEW).select_related("supervising_officer", "district"),
            pk=self.kwargs["pk"],
        )
        as_of = as_of_from(self.request)
        obligations = list(selectors.offender_obligations(offender, user))
        figures = (
            selectors.figures_by_obligation(Obligation.objects.filter(pk__in=[o.pk for o in obligations]), as_of)
            if obligations
            else {}
        )
        rows = [(o, figures.get(o.pk)) for o in obligations]
        payments = Paginator(selectors.offender_payments(offender, user), 25).get_page(self.request.GET.get("page"))
        for p in payments:
            p.credit = selectors.payment_credit(p)
        live = [f for f in figures.values() if f.status != "waived"]
        can_change = Offender.objects.restrict(user, CHANGE).filter(pk=offender.pk).exists()
        context.update(
            offender=offender,
            title=f"Restitution: {offender.first_name} {offender.last_name}",
            as_of=as_of,
            rows=rows,
            plans=[(o, p) for o in obligations for p in o.plans.all()],
            payments=payments,
            credit=selectors.credit_by_offender([offender.pk]).get(offender.pk, ZERO),
            totals={
                "ordered": sum((f.ordered_amount for f in live), ZERO),
                "paid": sum((f.paid for f in live), ZERO),
                "balance": sum((max(f.balance, ZERO) for f in live), ZERO),
                "arrears": sum((f.arrears for f in live), ZERO),
            },
            history=selectors.snapshot_history(obligations, nights=30),
            can_change=can_change,
            can_post=can_change and can(user, Payment, ADD),
        )
        return context


# Obligations --------------------------------------------------------------------------------------


def obligations_with_paid():
    zero = Value(ZERO, output_field=MONEY)
    return (
        Obligation.objects.select_related("offender", "case", "payee")
        .annotate(paid=Coalesce(Sum("allocations__amount", output_field=MONEY), zero))
        .annotate(balance=F("ordered_amount") - F("paid"))
        .order_by("offender__last_name", "offender__first_name", "ordered_on", "pk")
    )


class ObligationListView(ObjectListView):
    queryset = obligations_with_paid()
    table_class = tables.ObligationTable
    filterset_class = filters.ObligationFilterSet
    title = "Restitution and CVCF obligations"


class ObligationDetailView(ObjectDetailView):
    """The live figures (the Python reading of the rule, for this one obligation), the schedule and ledger."""

    queryset = Obligation.objects.select_related("offender", "case", "payee").prefetch_related(
        "plans__entered_by", "allocations__payment", "allocations__reversal"
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        o = self.object
        as_of = as_of_from(self.request)
        active = [(p.first_due_on, p.monthly_amount) for p in o.plans.all() if p.active]
        context.update(
            as_of=as_of,
            figures=evaluate_obligation(o, as_of),
            schedule=list(installments(active, as_of))[-12:],
            allocations=sorted(o.allocations.all(), key=lambda a: (a.allocated_on, a.pk)),
            snapshots=selectors.snapshot_history([o], nights=30),
            can_plan=context["can_change"] and o.status == "open",
            can_amend=context["can_change"] and o.status != "waived",
        )
        return context


class _ServiceFormView(LoginRequiredMixin, FormView):
    """A form that calls one service on a record the user may change (else 404)."""

    template_name = "core/object_form.html"
    target_model: type
    target_action = CHANGE

    @cached_property
    def target(self):
        require_restitution(self.request.user)
        return get_object_or_404(
            self.target_model._default_manager.restrict(self.request.user, self.target_action), pk=self.kwargs["pk"]
        )

    def get_cancel_url(self):
        return self.target.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=self.get_title(), cancel_url=self.get_cancel_url(), model_meta=self.target._meta)
        return context

    def form_valid(self, form):
        try:
            obj = self.perform(form)
        except ValidationError as exc:
            form_errors_from(form, exc)
            return self.form_invalid(form)
        return redirect(self.success_url_for(obj))

    def perform(self, form):
        raise NotImplementedError

    def success_url_for(self, obj):
        return obj.get_absolute_url()


class OffenderTargetMixin:
    target_model = Offender

    def get_cancel_url(self):
        return reverse("restitution:offender", args=[self.target.pk])


class ObligationCreateView(OffenderTargetMixin, _ServiceFormView):
    form_class = forms.ObligationForm

    def get_title(self):
        return f"Add an obligation for {self.target.first_name} {self.target.last_name}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "offender": self.target}

    def get_initial(self):
        """A proposal from the victims' itemized losses (victims:case_victims) fills the form; the officer
        checks it against the court's order and saves, or changes it: nothing is recorded without them."""
        initial = super().get_initial()
        for name in ("case", "kind", "ordered_amount"):
            if self.request.GET.get(name):
                initial[name] = self.request.GET[name][:20]
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.GET.get("ordered_amount"):
            context["notice"] = (
                "The amount is proposed from the losses the victims itemized in their impact statements. "
                "Enter what the court ordered: check the order before saving."
            )
        return context

    def perform(self, form):
        data = form.cleaned_data
        payee = data.get("payee")
        if data["kind"] != ObligationKind.CVCF and payee is None:
            payee = services.payee_for_name(
                name=data["new_payee"], obligation_kind=data["kind"], user=self.request.user
            )
        obligation = services.obligation_create(
            case=data["case"],
            kind=data["kind"],
            payee=payee,
            ordered_amount=data["ordered_amount"],
            ordered_on=data["ordered_on"],
            user=self.request.user,
            monthly_amount=data.get("monthly_amount"),
            first_due_on=data.get("first_due_on"),
        )
        messages.success(self.request, f"Added {obligation}.")
        return obligation

    def success_url_for(self, obj):
        return reverse("restitution:offender", args=[obj.offender_id])


class PlanCreateView(_ServiceFormView):
    target_model = Obligation
    form_class = forms.PlanForm

    def get_title(self):
        return f"New payment plan: {self.target}"

    def perform(self, form):
        plan = services.plan_create(obligation=self.target, user=self.request.user, **form.cleaned_data)
        messages.success(self.request, f"The plan of {plan} takes over from its first due date.")
        return self.target


class ObligationAmendView(_ServiceFormView):
    target_model = Obligation
    form_class = forms.AmendmentForm

    def get_title(self):
        return f"Record the court's amended order: {self.target}"

    def get_initial(self):
        return {"ordered_amount": self.target.ordered_amount}

    def perform(self, form):
        before = self.target.ordered_amount
        obligation = services.obligation_amend(obligation=self.target, user=self.request.user, **form.cleaned_data)
        now = format_money(obligation.ordered_amount)
        messages.success(self.request, f"Recorded the amended order: {format_money(before)} is now {now}.")
        return obligation


class ObligationWaiveView(_ServiceFormView):
    target_model = Obligation
    form_class = forms.WaiverForm

    def get_title(self):
        return f"Record the court's waiver: {self.target}"

    def perform(self, form):
        obligation = services.obligation_waive(obligation=self.target, user=self.request.user, **form.cleaned_data)
        messages.success(self.request, f"Recorded the waiver of {obligation}.")
        return obligation


# Payments -----------------------------------------------------------------------------------------


class PaymentListView(ObjectListView):
    queryset = Payment.objects.select_related("offender", "reversal", "entered_by")
    table_class = tables.PaymentTable
    filterset_class = filters.PaymentFilterSet
    title = "Payments received"


class PaymentDetailView(ObjectDetailView):
    queryset = Payment.objects.select_related("offender", "entered_by", "obligation__case", "reversal__entered_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lines = list(
            Allocation.objects.filter(payment=self.object).select_related("obligation__case", "obligation__payee")
        )
        context.update(
            lines=lines,
            credit=sum((a.amount for a in lines if a.obligation_id is None), ZERO),
            can_reverse=context["can_change"] and not hasattr(self.object, "reversal"),
        )
        return context


class PaymentCreateView(OffenderTargetMixin, _ServiceFormView):
    form_class = forms.PaymentForm

    def form_invalid(self, form):
        if any(e.code == "over_balance" for e in form.errors.as_data().get("amount", [])):
            form.ask_confirmation()
        return super().form_invalid(form)

    def get_title(self):
        return f"Record a payment from {self.target.first_name} {self.target.last_name}"

    def get_form_kwargs(self):
        if not can(self.request.user, Payment, ADD):
            raise Http404
        return {**super().get_form_kwargs(), "user": self.request.user, "offender": self.target}

    def perform(self, form):
        data = form.cleaned_data
        payment = services.payment_post(
            offender=self.target,
            amount=data["amount"],
            received_on=data["received_on"],
            method=data["method"],
            obligation=data.get("obligation"),
            note=data.get("note", ""),
            idempotency_key=data["idempotency_key"],
            entered_by=self.request.user,
            source=PaymentSource.ENTERED,
            over_balance_confirmed=data.get("over_balance_confirmed", False),
        )
        if payment.replayed:
            messages.info(self.request, f"This payment was already posted as receipt {payment.receipt_number}.")
        else:
            amount = format_money(payment.amount)
            messages.success(self.request, f"Posted {amount} as receipt {payment.receipt_number}.")
        return payment


class PaymentReverseView(_ServiceFormView):
    target_model = Payment
    form_class = forms.ReversalForm

    def get_title(self):
        return f"Reverse receipt {self.target.receipt_number} ({format_money(self.target.amount)})"

    def get_initial(self):
        return {"reversed_on": timezone.localdate()}

    def perform(self, form):
        services.payment_reverse(payment=self.target, entered_by=self.request.user, **form.cleaned_data)
        messages.success(self.request, f"Reversed receipt {self.target.receipt_number}.")
        return self.target


class PaymentReceiptView(LoginRequiredMixin, View):
    """The payment receipt as a PDF, for the person who paid."""

    def get(self, request, pk):
        require_restitution(request.user)
        payment = get_object_or_404(
            Payment.objects.restrict(request.user, VIEW).select_related("offender", "entered_by", "reversal"), pk=pk
        )
        lines = Allocation.objects.filter(payment=payment).select_related("obligation__case", "obligation__payee")
        context = {
            "payment": payment,
            "lines": lines,
            "credit": sum((a.amount for a in lines if a.obligation_id is None), ZERO),
            "printed_on": timezone.localdate(),
        }
        return pdf_response("restitution/receipt_pdf.html", context, f"receipt-{payment.receipt_number}.pdf", request)


# Payees and disbursements -------------------------------------------------------------------------


class MoneyOutMixin:
    """What payees are owed and paid is for victim services, administrators and auditors."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can(request.user, Disbursement, VIEW):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class PayeeListView(MoneyOutMixin, ObjectListView):
    queryset = selectors.payees_with_owed().order_by("name", "pk")
    table_class = tables.PayeeTable
    filterset_class = filters.PayeeFilterSet
    add_url_name = "restitution:payee_add"
    title = "Payees and what they are owed"


class PayeeDetailView(MoneyOutMixin, ObjectDetailView):
    queryset = selectors.payees_with_owed()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        payee = self.object
        context.update(
            disbursements=payee.disbursements.select_related("entered_by")[:25],
            pending=services.undisbursed(payee)
            .select_related("payment", "obligation__case")
            .order_by("allocated_on", "pk")[:50],
            can_disburse=can(self.request.user, Disbursement, ADD),
            payee_name=payee.name_for(self.request.user),
        )
        return context


class PayeeEditView(MoneyOutMixin, ObjectEditView):
    """The declaration (restitution.registrations) gives the model and the form."""


class PayeeHistoryView(MoneyOutMixin, ObjectHistoryView):
    """The payee's history, for those who see money paid out; a victim payee's name only for those who
    may read victims' identities."""

    def hidden_fields(self):
        return set() if self.object.name_visible_to(self.request.user) else {"name"}


class DisbursementListView(MoneyOutMixin, ObjectListView):
    queryset = Disbursement.objects.select_related("payee", "entered_by")
    table_class = tables.DisbursementTable
    filterset_class = filters.DisbursementFilterSet


class DisbursementDetailView(MoneyOutMixin, ObjectDetailView):
    queryset = Disbursement.objects.select_related("payee", "entered_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lines"] = self.object.lines.select_related(
            "allocation__payment__offender", "allocation__obligation__case"
        )
        return context


class DisbursementCreateView(_ServiceFormView):
    target_model = Payee
    target_action = VIEW
    form_class = forms.DisbursementForm

    def get_title(self):
        return f"Disburse to {self.target}"

    def get_form_kwargs(self):
        if not can(self.request.user, Disbursement, ADD):
            raise Http404
        return super().get_form_kwargs()

    def get_initial(self):
        return {"disbursed_on": timezone.localdate()}

    def perform(self, form):
        disbursement = services.disbursement_create(payee=self.target, user=self.request.user, **form.cleaned_data)
        messages.success(self.request, f"Disbursed {format_money(disbursement.amount)} to {disbursement.payee}.")
        return disbursement
