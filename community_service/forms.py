"""Forms for community service. Dropdowns go through ``.restrict()`` (core's ScopedFormMixin); writes
that carry a rule go through services (their refusals land under the field: ServiceErrorMixin)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings

from core.dates import entry_date_problem
from core.forms import DateInput, Form, ScopedFormMixin, ScopedModelForm, VoidForm
from core.models import CourtCase

from . import services
from .choices import OrderStatus
from .models import Placement


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class AgencyForm(ScopedModelForm):
    """Its fields are the declaration's; only an organization marked as a service agency may be chosen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        field.queryset = field.queryset.exclude(agency_status="")
        field.help_text = (
            "Only organizations marked as a community service agency (non-profit or tax-supported) are listed."
        )


class OrderForm(ScopedModelForm):
    """Its fields are the declaration's. The case and the order it follows are the person's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = self.fields["case"].queryset.select_related("offender")
        self.fields["case"].label_from_instance = lambda c: f"{c.case_number} ({c.offender.full_name})"
        self.fields["follows"].queryset = (
            self.fields["follows"].queryset.select_related("case").exclude(pk=self.instance.pk)
        )
        self.fields["follows"].label_from_instance = lambda o: f"{o} ({o.offender_id})"
        self.fields["hours_ordered"].help_text = "Two decimals at most, for example 40 or 12.50."

    def clean(self):
        data = super().clean()
        case, offender = data.get("case"), data.get("offender")
        if isinstance(case, CourtCase) and offender is not None and case.offender_id != offender.pk:
            self.add_error("case", "This case is another person's.")
        return data


class PlacementForm(ScopedModelForm):
    """A new placement goes through ``placement_create`` (agreement, minors, conflict check); an edit
    changes only the end date and the note (a placement elsewhere is a new placement)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = (
            self.fields["agency"].queryset.filter(active=True).select_related("organization")
        )
        if self.instance.pk:
            for name in ("offender", "agency", "start_on"):
                self.fields[name].disabled = True

    def save(self, commit=True):
        data = self.cleaned_data
        if self.instance.pk:
            return services.placement_update(
                placement=self.instance, user=self.user, end_on=data.get("end_on"), note=data.get("note", "")
            )
        return services.placement_create(
            user=self.user,
            offender=data["offender"],
            agency=data["agency"],
            start_on=data["start_on"],
            end_on=data.get("end_on"),
            note=data.get("note", ""),
        )


class HourLogForm(ScopedModelForm):
    """Hours worked: the date with the start and end times, or the hours alone. Saved through
    ``hour_log_record`` or, for a pending log, ``hour_log_correct``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        orders = self.fields["order"].queryset.filter(status=OrderStatus.OPEN).select_related("case", "offender")
        self.fields["order"].queryset = orders
        self.fields["order"].label_from_instance = lambda o: f"{o.offender.full_name}: {o}"
        self.fields["placement"].queryset = (
            self.fields["placement"].queryset.filter(end_on__isnull=True)
            | Placement.objects.filter(pk=self.instance.placement_id)
        ).select_related("offender", "agency__organization")
        self.fields["placement"].label_from_instance = lambda p: f"{p.offender.full_name} at {p.agency}"
        self.fields["start_time"].widget = TimeInput()
        self.fields["end_time"].widget = TimeInput()

    def save(self, commit=True):
        values = {name: self.cleaned_data.get(name) for name in services.CORRECTABLE}
        if self.instance.pk:
            return services.hour_log_correct(log=self.instance, user=self.user, **values)
        return services.hour_log_record(user=self.user, **values)


class HourLogVoidForm(VoidForm):
    reason_label = "Why is this hour log void?"
    reason_help = "For example: entered twice, or the wrong day. Enter the right hours again afterwards."
    reason_missing = "Say why this hour log is void."


DECISIONS = [("approve", "Approve"), ("reject", "Reject"), ("", "Decide later")]


class LinkDecisionForm(Form):
    """The agency contact's page: for each listed log, approve, reject (with a note) or decide later."""

    def __init__(self, *args, logs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.logs = list(logs)
        for log in self.logs:
            self.fields[f"decision_{log.pk}"] = forms.ChoiceField(
                label=f"Decision on {log.date:%b %-d, %Y}", choices=DECISIONS, required=False, widget=forms.RadioSelect
            )
            self.fields[f"note_{log.pk}"] = forms.CharField(label="Note", max_length=300, required=False)
        from core.validators import add_edge_checks

        add_edge_checks(self.fields.values())

    def rows(self):
        return [(log, self[f"decision_{log.pk}"], self[f"note_{log.pk}"]) for log in self.logs]

    def clean(self):
        data = super().clean()
        for log in self.logs:
            if data.get(f"decision_{log.pk}") == "reject" and not (data.get(f"note_{log.pk}") or "").strip():
                self.add_error(f"note_{log.pk}", "Say why these hours are rejected.")
        return data

    def decisions(self) -> dict[int, tuple[bool | None, str]]:
        found = {}
        for log in self.logs:
            choice = self.cleaned_data.get(f"decision_{log.pk}") or ""
            found[log.pk] = (
                {"approve": True, "reject": False}.get(choice),
                self.cleaned_data.get(f"note_{log.pk}", ""),
            )
        return found


class AgencyReportForm(Form):
    """Hours the agency's contact reports on the link's page: the person (one placed at the agency), the
    date, the start and end times or the hours, and the task. Saved by ``verification_link_report``."""

    placement = forms.ModelChoiceField(
        label="Person", queryset=Placement.objects.none(), empty_label="Choose the person who worked"
    )
    date = forms.DateField(widget=DateInput())
    start_time = forms.TimeField(label="Started at", required=False, widget=TimeInput())
    end_time = forms.TimeField(label="Ended at", required=False, widget=TimeInput())
    hours = forms.DecimalField(
        label="Hours worked",
        max_digits=4,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        help_text="Leave empty when you give the start and end times.",
    )
    task = forms.CharField(max_length=200, help_text="For example: sorting donations.")

    def __init__(self, *args, placements=None, **kwargs):
        super().__init__(*args, **kwargs)
        if placements is not None:
            self.fields["placement"].queryset = placements
        self.fields["placement"].label_from_instance = lambda p: p.offender.full_name
        self.fields["placement"].error_messages["invalid_choice"] = (
            "Choose one of the people listed: only people placed at your agency can be reported here."
        )
        from core.validators import add_edge_checks

        add_edge_checks(self.fields.values())

    def clean(self):
        data = super().clean()
        if any(self.has_error(name) for name in ("hours", "start_time", "end_time")):
            return data
        start, end = data.get("start_time"), data.get("end_time")
        if (start is None) != (end is None):
            self.add_error("end_time" if start else "start_time", "Give both the start and the end time, or neither.")
        elif data.get("hours") is None and start is None:
            self.add_error("hours", "Enter the hours worked, or the start and end times.")
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "placement_id": data["placement"].pk,
            "date": data["date"],
            "start_time": data.get("start_time"),
            "end_time": data.get("end_time"),
            "hours": data.get("hours"),
            "task": data["task"],
        }


class SheetVerifyForm(Form):
    """The officer's decision on a pending log, with the sheet the agency signed (PDF, PNG or JPEG)."""

    decision = forms.ChoiceField(
        choices=[("approve", "Verified: credit these hours"), ("reject", "Rejected")], widget=forms.RadioSelect
    )
    sheet = forms.FileField(
        label="Signed sheet",
        required=False,
        help_text="A PDF, PNG or JPEG of the sheet the agency signed, at most 5 MB. Needed to verify.",
    )
    note = forms.CharField(max_length=300, required=False, help_text="Needed to reject.")

    def __init__(self, *args, sheet_required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet_required = sheet_required
        if not sheet_required:  # hours the agency reported itself through its link: its report is the record
            self.fields["sheet"].help_text = (
                "The agency reported these hours itself through its link: a signed sheet is optional. "
                "A PDF, PNG or JPEG, at most 5 MB."
            )
            self.fields["decision"].choices = [
                ("approve", "Approved: credit the hours the agency reported"),
                ("reject", "Rejected"),
            ]

    def clean(self):
        data = super().clean()
        upload = data.get("sheet")
        if data.get("decision") == "approve":
            if not upload:
                if self.sheet_required:
                    self.add_error("sheet", "Upload the sheet the agency signed for these hours.")
            else:
                content = upload.read(settings.COMMUNITY_SERVICE_SHEET_MAX_BYTES + 1)
                if problem := services.sheet_problem(content, size=upload.size):
                    self.add_error("sheet", problem)
                data["sheet_bytes"] = content
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", "Say why these hours are rejected.")
        return data


class OrderCloseForm(Form):
    """Close an order: completed (every ordered hour credited), revoked or converted by the court."""

    status = forms.ChoiceField(
        label="Close the order as",
        choices=[(v, label) for v, label in OrderStatus.choices if v != OrderStatus.OPEN],
        widget=forms.RadioSelect,
    )
    closed_on = forms.DateField(label="Closed on", widget=DateInput())
    note = forms.CharField(
        max_length=300, required=False, help_text="For example: the court's order converting the hours to a fine."
    )

    def clean_closed_on(self):
        value = self.cleaned_data["closed_on"]
        if problem := entry_date_problem(value):
            raise forms.ValidationError(problem)
        return value


class OrderReportForm(ScopedFormMixin, Form):
    """The court-ready hours report's order, by its number (the order's page shows it)."""

    order = forms.IntegerField(
        label="Order number",
        required=False,
        min_value=1,
        help_text="The number in the order's address: /community-service/orders/<number>/.",
    )

    def clean_order(self):
        number = self.cleaned_data.get("order")
        if number is None:
            return None
        from core.querysets import VIEW

        from .models import Order

        order = Order.objects.restrict(self.user, VIEW).filter(pk=number).select_related("offender", "case").first()
        if order is None:
            raise forms.ValidationError("No order with that number is yours to see.")
        return order


class HoursReportForm(ScopedFormMixin, Form):
    start = forms.DateField(label="From", widget=DateInput(), required=False, help_text="January 1 when empty.")
    end = forms.DateField(label="To", widget=DateInput(), required=False, help_text="Today when empty.")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end is before the start.")
        return data
