"""Forms for gardens. Dropdowns go through ``.restrict()`` (core's ScopedFormMixin); writes go through services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core import forms as core_forms
from core.fields import WeightFormField
from core.forms import DateInput, Form, ScopedFormMixin, ScopedModelForm
from core.querysets import ADD
from core.workers import WorkersForm

from . import services
from .models import MAX_HARVEST_LB, POUND, Crop, Garden


def garden_label(garden: Garden) -> str:
    return f"{garden.facility.code} · {garden.name}"


class GardenChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return garden_label(obj)


class GardenForm(ScopedModelForm):
    """Its fields are the declaration's (gardens.registrations)."""

    class Meta:
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class HarvestCorrectForm(ScopedModelForm):
    """Correct one entry; saving goes through ``harvest_correct`` (history, stock check)."""

    garden = GardenChoiceField(queryset=Garden.objects.select_related("facility"))
    reason = forms.CharField(
        label="Reason for the correction", max_length=100, help_text="Kept in the entry's history."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crop"].queryset = self.fields["crop"].queryset.filter(active=True) | Crop.objects.filter(
            pk=self.instance.crop_id
        )

    def _post_clean(self):
        # The garden decides the facility; keep the instance consistent before the model's clean().
        garden = self.cleaned_data.get("garden")
        if garden is not None:
            self.instance.facility_id = garden.facility_id
        super()._post_clean()

    def save(self, commit=True):
        changes = {name: self.cleaned_data[name] for name in services.CORRECTABLE}
        return services.harvest_correct(
            harvest=self.instance, user=self.user, reason=self.cleaned_data["reason"], **changes
        )


class VoidForm(core_forms.VoidForm):
    reason_help = "For example: entered twice, or weighed at the wrong garden. The entry stays in the history."


# Quick entry of a day's harvest ----------------------------------------------------------------
class DayHeaderForm(ScopedFormMixin, forms.Form):
    """Where and when: one garden and one date for every row."""

    garden = GardenChoiceField(queryset=Garden.objects.filter(active=True).select_related("facility"))
    date = forms.DateField(widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Harvests are added only where the user may add them.
        if self.user is not None:
            self.fields["garden"].queryset = (
                Garden.objects.restrict(self.user, ADD).filter(active=True).select_related("facility")
            )
        self.fields["garden"].empty_label = "Choose the garden"

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise ValidationError("The date is in the future.")
        return day


class HarvestRowForm(Form):
    """One crop of the day. Its prefix is a key of its own, so rows can come and go in any order."""

    crop = forms.ModelChoiceField(queryset=Crop.objects.filter(active=True), empty_label="Choose a crop")
    weight_lb = WeightFormField(label="Pounds", max_digits=7, min_value=POUND, widget=forms.NumberInput())
    volunteers = forms.IntegerField(label="Volunteers", min_value=0, max_value=500, required=False)
    volunteer_hours = forms.DecimalField(
        label="Hours",
        max_digits=6,
        decimal_places=1,
        min_value=Decimal("0"),
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.5"}),
    )
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, crops=None, **kwargs):
        super().__init__(*args, **kwargs)
        if crops is not None:
            self.fields["crop"].queryset = crops
        self.fields["weight_lb"].widget.attrs.update({"inputmode": "decimal", "min": "0.1"})
        self.fields["volunteer_hours"].widget.attrs.update({"inputmode": "decimal", "min": "0"})
        self.fields["volunteers"].widget.attrs.update({"inputmode": "numeric", "min": "0"})

    def clean_weight_lb(self):
        weight = self.cleaned_data["weight_lb"]
        if weight > MAX_HARVEST_LB:
            raise ValidationError(
                f"{weight:,} lb in one entry is not plausible (the limit is {MAX_HARVEST_LB:,} lb). "
                "Check the weight is in pounds."
            )
        return weight

    def as_service_row(self) -> dict:
        data = self.cleaned_data
        return {
            "crop": data["crop"],
            "weight_lb": data["weight_lb"],
            "volunteers": data.get("volunteers") or 0,
            "volunteer_hours": data.get("volunteer_hours") or Decimal("0"),
            "note": data.get("note") or "",
        }


# Who worked -------------------------------------------------------------------------------------------
class DayWorkersForm(WorkersForm):
    """Who worked a day's harvests at one garden: core's roster (a box and the hours per person) and, when
    the day weighed more than one crop, a "Crop" per person choosing which harvest their hours go to.

    ``harvests`` are the day's that the user may change, in the order entered (the first is the default
    crop); ``named_on`` maps a person already named on one of them to that harvest's id. ``shown`` carries
    the harvests the page showed, so a day that changed meanwhile (a harvest voided or added) is refused."""

    shown = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, harvests, named_on: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.harvests = list(harvests)
        self.fields["shown"].initial = self.harvest_ids()
        if len(self.harvests) > 1:
            choices = [(h.pk, services.harvest_day_label(h, self.harvests)) for h in self.harvests]
            for person in self.roster:
                self.fields[f"c{person.pk}"] = forms.TypedChoiceField(
                    label="Crop",
                    choices=choices,
                    coerce=int,
                    required=False,
                    initial=named_on.get(person.pk, self.harvests[0].pk),
                    error_messages={"invalid_choice": "Choose one of this day's crops."},
                )

    def harvest_ids(self) -> str:
        return ",".join(str(h.pk) for h in self.harvests)

    def row_extra(self, person):
        """The person's crop select, when the day has more than one harvest."""
        return self[f"c{person.pk}"] if f"c{person.pk}" in self.fields else None

    def clean(self):
        data = super().clean()
        if data.get("shown", "") != self.harvest_ids():
            raise ValidationError(
                "The day's harvests changed since this page was opened (one was voided, moved or added). "
                "Check the list below and save again."
            )
        return data

    def workers_by_harvest(self) -> dict[int, list[tuple[int, Decimal]]]:
        """{harvest id: [(person id, hours), ...]} for the ticked people: their crop's harvest, or the only one."""
        first = self.harvests[0].pk
        assigned: dict[int, list[tuple[int, Decimal]]] = {h.pk: [] for h in self.harvests}
        for pk, hours in self.workers():
            assigned[self.cleaned_data.get(f"c{pk}") or first].append((pk, hours))
        return assigned


class ParticipationReportForm(ScopedFormMixin, Form):
    """A date range and the period the participation report groups by."""

    start = forms.DateField(label="From", widget=DateInput(), required=False)
    end = forms.DateField(label="To", widget=DateInput(), required=False)
    by = forms.ChoiceField(label="By", choices=[("month", "Month"), ("year", "Year")], initial="month", required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end is before the start.")
        return data
