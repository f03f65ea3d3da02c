"""Restitution's entries in core's registry: model declarations, menu, reports, the dashboard panel and
the demo data loader."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.choices import Role
from core.forms import DateInput, ScopedFormMixin
from core.models import District
from core.money import format_money, quantize
from core.querysets import VIEW, can
from core.registry import MenuEntry, PanelEntry, ReportEntry, RestorativeProvider, TimelineProvider, registry
from core.resources import Menu, Resource, register

from . import restorative, selectors, views
from .compliance import add_months
from .forms import PayeeForm
from .models import Disbursement, Obligation, Payee, Payment, PaymentPlan, PaymentReversal

COMPLIANCE_ROLES = frozenset({Role.ADMINISTRATOR, Role.AUDITOR, Role.DISTRICT_SUPERVISOR, Role.PROBATION_OFFICER})
MONEY_ROLES = frozenset({Role.ADMINISTRATOR, Role.AUDITOR, Role.VICTIM_SERVICES, Role.DISTRICT_SUPERVISOR})
PAYEE_ROLES = frozenset({Role.ADMINISTRATOR, Role.AUDITOR, Role.VICTIM_SERVICES})


def _sees_money_out(user) -> bool:
    return can(user, Disbursement, VIEW)


registry.menu_item(
    MenuEntry(
        "restitution-caseload", "Restitution", "Caseload compliance", "restitution:caseload", model=Obligation, order=10
    )
)


# Declarations -------------------------------------------------------------------------------------
# Obligations and payments are ledger records: opened, planned, amended, waived, posted and reversed
# only through the services, on the pages in restitution.urls, never through a generic edit page.
# Their declarations give the list, the record's page and its history; the API (restitution.api)
# has its own viewsets, with the services' actions.
@register
class ObligationResource(Resource):
    model = Obligation
    fields = ("offender", "case", "kind", "payee", "ordered_amount", "ordered_on", "status")
    pages = ("list", "detail", "history")
    api = False
    list_view = views.ObligationListView
    detail_view = views.ObligationDetailView
    menu = Menu("Restitution", "Obligations", order=20)


@register
class PaymentResource(Resource):
    model = Payment
    fields = ("receipt_number", "offender", "amount", "received_on", "method", "source", "entered_by")
    pages = ("list", "detail", "history")
    api = False
    list_view = views.PaymentListView
    detail_view = views.PaymentDetailView
    menu = Menu("Restitution", "Payments", order=30)


# What payees are owed and paid is for victim services, administrators and auditors: every page of
# theirs is a MoneyOutMixin view.
@register
class PayeeResource(Resource):
    model = Payee
    fields = ("name", "kind", "reference", "active")
    api = False
    list_view = views.PayeeListView
    detail_view = views.PayeeDetailView
    edit_view = views.PayeeEditView
    history_view = views.PayeeHistoryView
    form_class = PayeeForm
    menu = Menu("Restitution", "Payees and amounts owed", order=40, visible=_sees_money_out)


@register
class DisbursementResource(Resource):
    """Made through disbursement_record from the payee's page (restitution:disbursement_add)."""

    model = Disbursement
    fields = ("disbursed_on", "reference", "payee", "amount", "entered_by")
    pages = ("list", "detail")
    api = False
    list_view = views.DisbursementListView
    detail_view = views.DisbursementDetailView
    menu = Menu("Restitution", "Disbursements", order=50, visible=_sees_money_out)


# Reports ------------------------------------------------------------------------------------------


class ComplianceReportForm(ScopedFormMixin, forms.Form):
    as_of = forms.DateField(label="As of", widget=DateInput(), required=False, help_text="Today when empty.")
    district = forms.ModelChoiceField(
        queryset=District.objects.all(), required=False, empty_label="Every district I may see"
    )


class CollectionsReportForm(ScopedFormMixin, forms.Form):
    start = forms.DateField(label="From", widget=DateInput(), required=False, help_text="Twelve months ago when empty.")
    end = forms.DateField(label="To", widget=DateInput(), required=False, help_text="Today when empty.")


def caseload_compliance(user, params) -> dict:
    """Per officer and per district: people by compliance status, arrears, balances and late payoffs."""
    as_of = params.get("as_of") or timezone.localdate()
    district = params.get("district")
    data = selectors.compliance_by_officer(user, as_of, district_id=district.pk if district else None)
    statuses = data["statuses"]
    columns = ["People", *[s.label for s in statuses], "Arrears", "Balance", "Payoff after supervision ends"]

    def row(bucket):
        return [
            bucket["people"],
            *[bucket[s.value] for s in statuses],
            bucket["arrears"],
            bucket["balance"],
            bucket["flagged"],
        ]

    tables = [
        {
            "title": f"By officer, as of {as_of:%b %-d, %Y}",
            "columns": ["District", "Officer", *columns],
            "rows": [[number or "—", name, *row(b)] for (number, name), b in data["officers"]],
        },
        {
            "title": f"By district, as of {as_of:%b %-d, %Y}",
            "columns": ["District", *columns],
            "rows": [[name, *row(b)] for (_number, name), b in data["districts"]],
        },
    ]
    return {"as_of": as_of, "tables": tables}


def collections_report(user, params) -> dict:
    """Money collected (allocations net of reversals) by month, kind and district."""
    end = params.get("end") or timezone.localdate()
    start = params.get("start") or add_months(end, -12).replace(day=1)
    rows = selectors.collections(user, start, end)
    by_month: dict[dt.date, object] = {}
    for r in rows:
        by_month[r["month"]] = by_month.get(r["month"], 0) + r["total"]
    tables = [
        {
            "title": f"Collections by month, {start:%b %-d, %Y} to {end:%b %-d, %Y}",
            "columns": ["Month", "Collected"],
            "rows": [[f"{m:%b %Y}", total] for m, total in sorted(by_month.items())],
        },
        {
            "title": "By month, district and kind",
            "columns": ["Month", "District", "Kind", "Collected", "Ledger lines"],
            "rows": [[f"{r['month']:%b %Y}", r["district"] or "—", r["kind"], r["total"], r["lines"]] for r in rows],
        },
    ]
    return {"start": start, "end": end, "tables": tables}


RECEIPT_ROLES = frozenset({*MONEY_ROLES, Role.PROBATION_OFFICER})


class ReceiptsReportForm(ScopedFormMixin, forms.Form):
    day = forms.DateField(label="Received on", widget=DateInput(), required=False, help_text="Today when empty.")


def _receipts_day(params) -> dt.date:
    return params.get("day") or timezone.localdate()


def receipts_batch(user, params) -> dict:
    """A day's payment receipts as one printable document (one receipt a page), and their list."""
    day = _receipts_day(params)
    receipts = selectors.receipts_for_day(user, day)
    rows = [
        [
            r["payment"].receipt_number,
            r["payment"].offender.doc_id,
            f"{r['payment'].offender.last_name}, {r['payment'].offender.first_name}",
            r["payment"].get_method_display(),
            r["payment"].amount,
            "reversed" if getattr(r["payment"], "reversal", None) else "",
        ]
        for r in receipts
    ]
    columns = ["Receipt", "DOC ID", "Name", "Method", "Amount", "Status"]
    return {
        "day": day,
        "receipts": receipts,
        "printed_on": timezone.localdate(),
        "tables": [{"title": f"Payments received on {day:%b %-d, %Y}", "columns": columns, "rows": rows}],
    }


RECEIPT_WEIGHT = 20  # a receipt is a page: in layout time, about as much as 20 table rows


def receipts_count(user, params) -> int:
    """The report's weight in table rows, for the reports app's choice of the background: a day of
    more than a hundred receipts is prepared by a Celery task rather than in the request."""
    return RECEIPT_WEIGHT * Payment.objects.restrict(user, VIEW).filter(received_on=_receipts_day(params)).count()


def owed_to_payees(user, params) -> dict:
    """What each payee was allocated, what was disbursed to them and what is still owed."""
    payees = selectors.payees_with_owed(Payee.objects.restrict(user, VIEW)).order_by("-owed", "kind", "reference", "pk")
    rows = []
    for p in payees:
        allocated, owed = quantize(p.allocated), quantize(p.owed)
        rows.append([p.name_for(user), p.get_kind_display(), p.reference, allocated, allocated - owed, owed])
    return {
        "tables": [
            {
                "title": "Owed to payees",
                "columns": ["Payee", "Kind", "Reference", "Received for them", "Disbursed", "Owed"],
                "rows": rows,
            }
        ]
    }


for entry in (
    ReportEntry(
        slug="restitution-caseload-compliance",
        title="Restitution caseload compliance",
        app="restitution",
        description="Per officer and per district: who is current, late or delinquent on restitution and CVCF, "
        "the arrears and balances, and how many will not have paid by the end of supervision.",
        build=caseload_compliance,
        template="restitution/reports/tables.html",
        roles=COMPLIANCE_ROLES,
        form_class=ComplianceReportForm,
    ),
    ReportEntry(
        slug="restitution-collections",
        title="Restitution collections",
        app="restitution",
        description="Money collected by month, kind (restitution, CVCF, other, credit held) and district.",
        build=collections_report,
        template="restitution/reports/tables.html",
        roles=MONEY_ROLES,
        form_class=CollectionsReportForm,
    ),
    ReportEntry(
        slug="restitution-receipts",
        title="Payment receipts for a day",
        app="restitution",
        description="Every payment received on a day, one receipt a page, to print at once (a large day "
        "is prepared in the background).",
        build=receipts_batch,
        template="restitution/reports/receipts.html",
        roles=RECEIPT_ROLES,
        form_class=ReceiptsReportForm,
        count=receipts_count,
        pdf_parts="receipts",
    ),
    ReportEntry(
        slug="restitution-owed-to-payees",
        title="Restitution owed to payees",
        app="restitution",
        description="Each victim, the CVCF fund and other payees: received for them, disbursed, still owed.",
        build=owed_to_payees,
        template="restitution/reports/tables.html",
        roles=PAYEE_ROLES,
    ),
):
    registry.report(entry)


# Dashboard panel ----------------------------------------------------------------------------------


def caseload_panel(request):
    user = request.user
    if not can(user, Obligation, VIEW):
        return None
    rows = selectors.caseload(user, timezone.localdate())
    if not rows:
        return None
    counts = selectors.status_counts(rows)
    return render_to_string(
        "restitution/panel.html",
        {
            "counts": [c for c in counts if c[2]],
            "worst": [r for r in rows if r.status in ("delinquent", "late")][:5],
            "flagged": sum(1 for r in rows if r.payoff_after_end),
            "url": reverse("restitution:caseload"),
        },
        request=request,
    )


registry.panel(
    PanelEntry(
        "restitution-caseload",
        roles=frozenset({Role.PROBATION_OFFICER, Role.DISTRICT_SUPERVISOR}),
        render=caseload_panel,
        order=20,
    )
)


def _seed():
    from .demo import demo_seed

    demo_seed()


registry.demo_seeder(_seed, order=40)


# The person's timeline: obligations, plans, payments and reversals (never a payee's name: a payee
# may be a victim, and the timeline is read by every role that sees the person). -----------------


def _timeline(offender, user) -> list:
    from core.timeline import TimelineItem

    items = []
    obligations = Obligation.objects.restrict(user, VIEW).filter(offender=offender).select_related("case")
    for o in obligations.order_by():
        items.append(
            TimelineItem(
                date=o.ordered_on,
                program="restitution",
                kind=f"{o.get_kind_display()} ordered",
                text=f"{format_money(o.ordered_amount)} on case {o.case.case_number}",
                url=o.get_absolute_url(),
                source=f"restitution.Obligation:{o.pk}",
                sort_key=(o.created_at.isoformat(), o.pk),
            )
        )
    plans = PaymentPlan.objects.restrict(user, VIEW).filter(obligation__offender=offender).select_related("obligation")
    for p in plans.order_by():
        replaced = " (later replaced)" if p.replaced_at else ""
        items.append(
            TimelineItem(
                date=timezone.localdate(p.created_at),
                program="restitution",
                kind="Payment plan",
                text=f"{format_money(p.monthly_amount)} a month from {p.first_due_on:%b %-d, %Y}{replaced}",
                url=p.obligation.get_absolute_url(),
                source=f"restitution.PaymentPlan:{p.pk}",
                sort_key=(p.created_at.isoformat(), p.pk),
            )
        )
    for p in Payment.objects.restrict(user, VIEW).filter(offender=offender).order_by():
        items.append(
            TimelineItem(
                date=p.received_on,
                program="restitution",
                kind="Payment",
                text=f"{format_money(p.amount)}, receipt {p.receipt_number}",
                url=p.get_absolute_url(),
                source=f"restitution.Payment:{p.pk}",
                sort_key=(p.created_at.isoformat(), p.pk),
            )
        )
    reversals = PaymentReversal.objects.restrict(user, VIEW).filter(payment__offender=offender)
    for r in reversals.select_related("payment").order_by():
        items.append(
            TimelineItem(
                date=r.reversed_on,
                program="restitution",
                kind="Payment reversed",
                text=f"{format_money(r.payment.amount)}, receipt {r.payment.receipt_number}",
                url=r.payment.get_absolute_url(),
                source=f"restitution.PaymentReversal:{r.pk}",
                sort_key=(r.created_at.isoformat(), r.pk),
            )
        )
    return items


registry.timeline_provider(
    TimelineProvider(slug="restitution", program="restitution", label="Restitution and CVCF", events=_timeline)
)


registry.restorative_provider(
    RestorativeProvider(
        slug="restitution",
        program="restitution",
        label="Restitution and CVCF",
        summary=restorative.summary,
        unmet=restorative.unmet,
        durations=restorative.durations,
        order=10,
    )
)
