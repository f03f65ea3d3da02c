"""Tables for restitution lists (django-tables2). Querysets arrive already restricted by the view."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from core.tables import RIGHT, BaseTable, DateColumn, MoneyColumn, wide_only

from .choices import ComplianceStatus
from .models import Disbursement, Obligation, Payee, Payment

BADGE = {
    ComplianceStatus.DELINQUENT: "text-bg-danger",
    ComplianceStatus.LATE: "text-bg-warning",
    ComplianceStatus.UNSCHEDULED: "text-bg-info",
    ComplianceStatus.CURRENT: "text-bg-success",
    ComplianceStatus.PAID_IN_FULL: "text-bg-secondary",
    ComplianceStatus.WAIVED: "text-bg-light border",
}


def status_badge(status: str) -> str:
    return format_html(
        '<span class="badge {}">{}</span>', BADGE.get(status, "text-bg-light"), ComplianceStatus(status).label
    )


def offender_link(record):
    return reverse("restitution:offender", args=[record.offender_id])


class ObligationTable(BaseTable):
    offender = tables.Column(linkify=offender_link, order_by=("offender__last_name", "offender__first_name"))
    case = wide_only(tables.Column(accessor="case__case_number", verbose_name="Case"))
    kind = tables.Column(linkify=True)
    # The payee's label (a victim payee by its reference: its name names the victim), sorted by kind and
    # reference so the order tells nothing of names either.
    payee = tables.Column(verbose_name="Payee", order_by=("payee__kind", "payee__reference", "payee_id"))
    ordered_amount = MoneyColumn(verbose_name="Ordered")
    ordered_on = wide_only(DateColumn(verbose_name="Ordered on"))
    paid = MoneyColumn(verbose_name="Paid")
    balance = MoneyColumn(verbose_name="Balance")

    class Meta(BaseTable.Meta):
        model = Obligation
        fields = ("offender", "case", "kind", "payee", "ordered_amount", "ordered_on", "paid", "balance", "status")


class PaymentTable(BaseTable):
    receipt_number = tables.Column(linkify=True, verbose_name="Receipt")
    offender = tables.Column(linkify=offender_link, order_by=("offender__last_name", "offender__first_name"))
    amount = MoneyColumn()
    reversed = tables.BooleanColumn(accessor="reversal", verbose_name="Reversed", orderable=False)
    entered_by = tables.Column(verbose_name="Entered by")

    class Meta(BaseTable.Meta):
        model = Payment
        fields = ("receipt_number", "offender", "amount", "received_on", "method", "source", "reversed", "entered_by")


class PayeeTable(BaseTable):
    """Victim services and administrators read a victim payee's name; auditors its label."""

    name = tables.Column(linkify=True, verbose_name="Payee", order_by=("kind", "reference", "pk"))
    allocated = MoneyColumn(verbose_name="Received for them")
    owed = MoneyColumn(verbose_name="Owed (not yet disbursed)")

    class Meta(BaseTable.Meta):
        model = Payee
        fields = ("name", "kind", "reference", "allocated", "owed", "active")

    def render_name(self, record):
        return record.name_for(getattr(self.request, "user", None))

    def value_name(self, record):
        return self.render_name(record)


class DisbursementTable(BaseTable):
    reference = tables.Column(linkify=True)
    payee = tables.Column(linkify=True, order_by=("payee__kind", "payee__reference", "payee_id"))
    amount = MoneyColumn()

    class Meta(BaseTable.Meta):
        model = Disbursement
        fields = ("disbursed_on", "reference", "payee", "amount", "entered_by")


class CaseloadTable(tables.Table):
    """The caseload rows (``selectors.CaseloadRow``), worst status first; sortable by any column."""

    name = tables.Column(
        accessor="offender__last_name",
        verbose_name="Person",
        order_by=("offender__last_name", "offender__first_name"),
        linkify=lambda record: reverse("restitution:offender", args=[record.offender.pk]),
    )
    # On a tablet: the person, status, arrears, balance, credit, payoff and supervision end (wide_only: the rest).
    doc_id = wide_only(tables.Column(accessor="offender__doc_id", verbose_name="DOC ID"))
    officer = wide_only(tables.Column(accessor="officer", verbose_name="Officer", default="Unassigned"))
    status = tables.Column(order_by=("severity",), empty_values=())
    arrears = MoneyColumn()
    days_past_due = wide_only(tables.Column(verbose_name="Days past due", attrs=RIGHT))
    past_due_since = wide_only(DateColumn(format="M j, Y", verbose_name="Past due since", default="—"))
    last_payment = wide_only(DateColumn(format="M j, Y", verbose_name="Last payment", default="None"))
    balance = MoneyColumn()
    credit = MoneyColumn(verbose_name="Credit held")
    projected_payoff = tables.Column(verbose_name="Projected payoff", default="—")
    supervision_end_date = DateColumn(format="M j, Y", verbose_name="Supervision ends", default="—")

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle caseload"}
        template_name = "django_tables2/bootstrap5-responsive.html"
        empty_text = "No one in this list owes restitution or CVCF."
        orderable = True

    def render_name(self, record):
        return f"{record.offender.last_name}, {record.offender.first_name}"

    def value_name(self, record):
        return f"{record.offender.last_name}, {record.offender.first_name}"

    def render_status(self, record):
        return status_badge(record.status) if record.status else "None owed"

    def value_status(self, record):
        return record.status_label

    def render_projected_payoff(self, record):
        if not record.status:
            return "—"
        if record.balance <= 0:
            return "Paid"
        text = "Not at this pace" if record.projected_payoff is None else f"{record.projected_payoff:%b %Y}"
        if record.payoff_after_end:
            return format_html(
                '<span class="text-danger fw-semibold">{} <span class="badge text-bg-danger text-wrap">'
                "after supervision ends</span></span>",
                text,
            )
        return text

    def value_projected_payoff(self, record):
        if not record.status:
            return ""
        if record.balance <= 0:
            return "Paid"
        text = "Not at this pace" if record.projected_payoff is None else record.projected_payoff.isoformat()
        return f"{text} (after supervision ends)" if record.payoff_after_end else text
