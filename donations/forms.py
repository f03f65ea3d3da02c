"""Forms for donations, production, spoilage and fundraisers. Writes with rules go through services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from core import forms as core_forms
from core.fields import WeightFormField
from core.forms import DateInput, Form, ScopedFormMixin, ScopedModelForm
from core.models import Facility, Organization
from gardens import selectors as garden_selectors

from . import services
from .models import POUND, Donation, Item


class ProductionForm(ScopedModelForm):
    """Record (or correct) what a shop made; saving goes through the production services."""

    reason = forms.CharField(
        label="Reason for the correction", max_length=100, required=False, help_text="Kept in the entry's history."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = self.fields["item"].queryset.filter(active=True) | Item.objects.filter(
            pk=self.instance.item_id
        )
        if self.instance.pk is None:
            del self.fields["reason"]
            self.fields["date"].initial = timezone.localdate()
        else:
            self.fields["reason"].required = True

    def save(self, commit=True):
        data = {name: self.cleaned_data[name] for name in services.PRODUCTION_CORRECTABLE}
        if self.instance.pk is None:
            return services.production_record(user=self.user, **data)
        return services.production_correct(
            entry=self.instance, user=self.user, reason=self.cleaned_data["reason"], **data
        )


class SpoilageForm(ScopedModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crop"].queryset = garden_selectors.crops()
        self.fields["date"].initial = timezone.localdate()

    def save(self, commit=True):
        data = self.cleaned_data
        return services.spoilage_record(
            user=self.user,
            facility=data["facility"],
            crop=data["crop"],
            date=data["date"],
            weight_lb=data["weight_lb"],
            reason=data["reason"],
        )


class VoidForm(core_forms.VoidForm):
    reason_label = "Why is this void?"
    reason_help = "For example: entered twice, or the wrong recipient. The record stays, with its history."
    reason_missing = "Say why this is void."


# Donations ------------------------------------------------------------------------------------
class DonationHeaderForm(ScopedFormMixin, forms.Form):
    """Who gives, to whom, when and why."""

    facility = forms.ModelChoiceField(queryset=Facility.objects.filter(active=True), empty_label="Choose the facility")
    date = forms.DateField(widget=DateInput())
    recipient = forms.ModelChoiceField(
        queryset=Organization.objects.filter(active=True),
        empty_label="Choose the organization",
        help_text="Not listed? Add it under Places › Partner organizations.",
    )
    purpose = forms.ChoiceField(choices=Donation._meta.get_field("purpose").choices)
    acknowledged = forms.BooleanField(label="Acknowledgement received", required=False)
    acknowledged_on = forms.DateField(label="Acknowledged on", required=False, widget=DateInput())
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise ValidationError("The date is in the future.")
        return day


class ProduceLineForm(Form):
    crop = forms.ModelChoiceField(queryset=garden_selectors.crops(), empty_label="Choose a crop")
    weight_lb = WeightFormField(
        label="Pounds", max_digits=8, min_value=POUND, widget=forms.NumberInput(attrs={"min": "0.1"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crop"].queryset = garden_selectors.crops()

    def as_pair(self):
        return self.cleaned_data["crop"], self.cleaned_data["weight_lb"]

    def key(self):
        return ("crop", self.cleaned_data["crop"].pk)


class ItemLineForm(Form):
    item = forms.ModelChoiceField(queryset=Item.objects.filter(active=True), empty_label="Choose an item")
    quantity = forms.IntegerField(
        label="How many", min_value=1, widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "1"})
    )

    def as_pair(self):
        return self.cleaned_data["item"], self.cleaned_data["quantity"]

    def key(self):
        return ("item", self.cleaned_data["item"].pk)


class DonationEditForm(ScopedModelForm):
    """What may change after the receipt is printed; lines and facility and date may not (void instead)."""

    class Meta:
        model = Donation
        fields = list(services.EDITABLE)
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def save(self, commit=True):
        return services.donation_update(
            donation=self.instance, user=self.user, **{k: self.cleaned_data[k] for k in services.EDITABLE}
        )


# Fundraisers ----------------------------------------------------------------------------------
class FundraiserForm(ScopedModelForm):
    class Meta:
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class FundraiserPurchaseForm(ScopedModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = self.fields["recipient"].queryset.filter(active=True)


class SeasonReportForm(Form):
    """The parameters of the season reports: a season (the current one by default) and a facility."""

    season = forms.ModelChoiceField(
        queryset=garden_selectors.seasons(), to_field_name="year", required=False, empty_label="The current season"
    )
    facility = forms.ModelChoiceField(
        queryset=Facility.objects.none(), required=False, empty_label="Every facility I may see"
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["facility"].queryset = Facility.objects.restrict(user, "view")


# Who worked ----------------------------------------------------------------------------------------
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
