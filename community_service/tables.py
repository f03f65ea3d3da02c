"""Tables for community service lists. Querysets arrive restricted (and joined) from the views."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from core.tables import RIGHT, BaseTable, DateColumn, wide_only

from .models import HourLog

BADGES = {"pending": "text-bg-warning", "verified": "text-bg-success", "rejected": "text-bg-danger"}


class HourLogTable(BaseTable):
    date = DateColumn(linkify=True)
    offender = tables.Column(
        accessor="offender", verbose_name="Person", order_by=("offender__last_name", "offender__first_name")
    )
    agency = tables.Column(accessor="placement__agency__organization__name", verbose_name="Agency")
    task = wide_only(tables.Column())
    hours = tables.Column(verbose_name="Reported", attrs=RIGHT)
    credited_hours = tables.Column(verbose_name="Credited", attrs=RIGHT)
    verification = tables.Column(verbose_name="Verification")

    class Meta(BaseTable.Meta):
        model = HourLog
        fields = ("date", "offender", "agency", "task", "hours", "credited_hours", "verification")

    def render_offender(self, record):
        return record.offender.full_name

    def value_offender(self, record):
        return f"{record.offender.full_name} ({record.offender.doc_id})"

    def render_verification(self, record):
        if record.voided_at:
            return format_html('<span class="badge text-bg-secondary">Void</span>')
        return format_html(
            '<span class="badge {}">{}</span>', BADGES[record.verification], record.get_verification_display()
        )

    def value_verification(self, record):
        return "void" if record.voided_at else record.verification


# Beside restitution on the caseload (restitution.selectors.CaseloadProgram) --------------------------
PACE_BADGES = {
    "past_due": "text-bg-danger",
    "behind": "text-bg-warning",
    "on_pace": "text-bg-primary",
    "completed": "text-bg-success",
}


def pace_badge(status: str, label: str) -> str:
    return format_html('<span class="badge {}">{}</span>', PACE_BADGES.get(status, "text-bg-light"), label)


class HoursColumn(tables.Column):
    """The person's community service: the worst pace of their open orders and the hours credited."""

    def __init__(self):
        super().__init__(
            accessor="programs__community_service",
            verbose_name="Community service",
            orderable=False,
            empty_values=(None,),
            default="None ordered",
        )

    def render(self, value, record):
        link = reverse("community_service:offender", args=[record.offender.pk])
        return format_html(
            '{} <a href="{}">{} of {} h</a>',
            pace_badge(value.status, value.status_label),
            link,
            value.credited,
            value.ordered,
        )

    def value(self, value):
        if value is None:
            return ""
        return f"{value.status_label}: {value.credited} of {value.ordered} hours"


class HoursDoneByColumn(tables.Column):
    """When the hours would be done at the pace of the last 8 weeks, flagged after supervision ends."""

    def __init__(self):
        super().__init__(
            accessor="programs__community_service",
            verbose_name="Hours done by",
            orderable=False,
            empty_values=(None,),
            default="—",
        )

    def render(self, value):
        if value.remaining <= 0:
            return "Done"
        text = f"{value.projected_on:%b %Y}" if value.projected_on else "Not at this pace"
        if value.after_supervision:
            return format_html(
                '<span class="text-danger fw-semibold">{} <span class="badge text-bg-danger text-wrap">'
                "after supervision ends</span></span>",
                text,
            )
        if value.projected_late:
            return format_html('{} <span class="badge text-bg-warning text-wrap">after the due date</span>', text)
        return text

    def value(self, value):
        if value is None:
            return ""
        if value.remaining <= 0:
            return "Done"
        text = value.projected_on.isoformat() if value.projected_on else "Not at this pace"
        return f"{text} (after supervision ends)" if value.after_supervision else text


def caseload_columns():
    return [("cs_hours", HoursColumn()), ("cs_done_by", wide_only(HoursDoneByColumn()))]
