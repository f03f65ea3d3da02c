"""Forms of Puppies for Parole: the declared forms' rules, the action pages' forms and the public application."""

from __future__ import annotations

import itertools
import re

from django import forms
from django.db.models import Q
from django.utils import timezone

from core.choices import OffenderStatus
from core.forms import DateInput, Form, ScopedFormMixin, ScopedModelForm, VoidForm
from core.models import Facility, Offender
from core.querysets import VIEW

from .choices import CGC_ITEMS, STEPS, ApplicationStatus, DogStatus
from .models import (
    AdoptionApplication,
    CgcAttempt,
    Dog,
    Graduation,
    HandlerAssignment,
    ProgramRemoval,
    TrainingLog,
    TrainingMilestone,
)
from .services import MOVABLE

_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")
_DIGITS = re.compile(r"\d{5,12}")


def public_text_problems(text: str) -> list[str]:
    """A person's name (any offender's first and last name side by side) or a DOC ID in a public text."""
    text = text or ""
    problems = []
    digits = set(_DIGITS.findall(text))
    if digits and Offender.objects.filter(doc_id__in=digits).exists():
        problems.append("It contains a DOC ID.")
    words = _WORD.findall(text)
    pairs = {(a, b) for a, b in itertools.pairwise(words)}
    if pairs:
        query = Q()
        for a, b in list(pairs)[:300]:
            query |= Q(first_name__iexact=a, last_name__iexact=b)
        if Offender.objects.filter(query).exists():
            problems.append("It names a person in the department's care.")
    return problems


def _past(value, field="date"):
    if value and value > timezone.localdate():
        raise forms.ValidationError("The date is in the future.")
    return value


class DogForm(ScopedModelForm):
    """The dog's details. Status and location are changed on the move page."""

    def clean_bio(self):
        bio = self.cleaned_data.get("bio", "")
        problems = public_text_problems(bio)
        if problems:
            raise forms.ValidationError(" ".join(problems) + " The public bio is about the dog only.")
        return bio


class DogMoveForm(ScopedFormMixin, Form):
    status = forms.ChoiceField(choices=[(s.value, s.label) for s in MOVABLE])
    on = forms.DateField(label="Date", widget=DateInput())
    facility = forms.ModelChoiceField(
        queryset=Facility.objects.filter(active=True), required=False, help_text="Where the dog lives (in training)."
    )
    housing_unit = forms.CharField(max_length=40, required=False, help_text="For example: Housing unit 5, wing B.")
    note = forms.CharField(max_length=300, required=False)

    def clean_on(self):
        return _past(self.cleaned_data.get("on"))


class HandlerAssignForm(ScopedModelForm):
    class Meta:
        model = HandlerAssignment
        fields = ["dog", "offender", "role", "started_on"]
        widgets = {"started_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dog"].queryset = self.fields["dog"].queryset.filter(facility__isnull=False)
        self.fields["offender"].queryset = self.fields["offender"].queryset.filter(status=OffenderStatus.INCARCERATED)
        self.fields["offender"].label = "Handler"


class HandlerEndForm(Form):
    ended_on = forms.DateField(label="Ended on", widget=DateInput())


class TrainingLogForm(ScopedModelForm):
    class Meta:
        model = TrainingLog
        fields = ["dog", "handler", "date", "skills", "minutes", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dog"].queryset = self.fields["dog"].queryset.filter(facility__isnull=False)
        self.fields["handler"].queryset = self.fields["handler"].queryset.filter(status=OffenderStatus.INCARCERATED)


class MilestoneForm(ScopedModelForm):
    class Meta:
        model = TrainingMilestone
        fields = ["dog", "date", "milestone", "note"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dog"].queryset = self.fields["dog"].queryset.filter(facility__isnull=False)


class CgcAttemptForm(ScopedModelForm):
    class Meta:
        model = CgcAttempt
        fields = [
            "dog",
            "date",
            "evaluator_name",
            "evaluator_akc_number",
            *[name for name, _ in CGC_ITEMS],
            "dismissed",
            "dismissal_reason",
        ]
        widgets = {"date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dog"].queryset = self.fields["dog"].queryset.filter(
            status__in=[DogStatus.IN_TRAINING, DogStatus.EXTENDED_TRAINING]
        )
        for name, label in CGC_ITEMS:
            self.fields[name].label = f"{name.split('_')[1]}. {label}: passed"

    def clean_evaluator_akc_number(self):
        number = (self.cleaned_data.get("evaluator_akc_number") or "").strip()
        if not re.fullmatch(r"[A-Za-z0-9\-]{3,20}", number):
            raise forms.ValidationError("An AKC evaluator number is 3 to 20 letters, digits or dashes.")
        return number


class GraduationForm(ScopedModelForm):
    class Meta:
        model = Graduation
        fields = ["facility", "date", "name", "dogs"]
        widgets = {"date": DateInput(), "dogs": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dogs"].queryset = (
            self.fields["dogs"]
            .queryset.filter(status__in=[DogStatus.IN_TRAINING, DogStatus.EXTENDED_TRAINING], cgc_attempts__passed=True)
            .distinct()
        )


class ProgramRemovalForm(ScopedModelForm):
    class Meta:
        model = ProgramRemoval
        fields = ["offender", "facility", "removed_on", "reason"]
        widgets = {"removed_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offender"].queryset = self.fields["offender"].queryset.filter(status=OffenderStatus.INCARCERATED)


class TaskResolveForm(Form):
    resolution = forms.CharField(
        max_length=300, widget=forms.Textarea(attrs={"rows": 3}), help_text="For example: dog returned to the shelter."
    )


class ViolationVoidForm(VoidForm):
    reason_label = "Why is this violation void?"


class TrainingVoidForm(VoidForm):
    reason_label = "Why is this training entry void?"


# Applications ---------------------------------------------------------------------------------------------
DECISIONS = [
    *[(s.value, s.label) for s in STEPS],
    ("approve", "Approve: reserve the dog for this household"),
    (ApplicationStatus.DECLINED.value, "Decline"),
    (ApplicationStatus.WITHDRAWN.value, "Withdrawn by the applicant"),
]


class ApplicationDecisionForm(Form):
    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.RadioSelect)
    note = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ConflictClearForm(Form):
    note = forms.CharField(
        max_length=300, required=False, help_text="Not shown to facility staff beyond the history's reason."
    )


class AdoptionForm(Form):
    adopted_on = forms.DateField(widget=DateInput())
    fee = forms.DecimalField(label="Adoption fee (dollars)", max_digits=8, decimal_places=2, min_value=0)

    def clean_adopted_on(self):
        return _past(self.cleaned_data.get("adopted_on"))


class FollowupForm(Form):
    days = forms.TypedChoiceField(
        label="Follow-up", coerce=int, choices=[(30, "30-day follow-up"), (90, "90-day follow-up")]
    )
    done_on = forms.DateField(label="Done on", widget=DateInput())
    note = forms.CharField(max_length=300, label="How is the dog doing?")


class ReturnForm(Form):
    returned_on = forms.DateField(widget=DateInput())
    reason = forms.CharField(max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class ApprenticeshipForm(ScopedFormMixin, Form):
    offender = forms.ModelChoiceField(queryset=Offender.objects.all(), label="Handler", required=False)
    start = forms.DateField(label="From", widget=DateInput(), required=False)
    end = forms.DateField(label="To", widget=DateInput(), required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end is before the start.")
        return data


class ReportPeriodForm(ScopedFormMixin, Form):
    start = forms.DateField(label="From", widget=DateInput(), required=False)
    end = forms.DateField(label="To", widget=DateInput(), required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end is before the start.")
        return data


class TrainingHoursReportForm(ReportPeriodForm):
    """The period, and whether the report groups by month or year."""

    by = forms.ChoiceField(label="By", choices=[("month", "Month"), ("year", "Year")], initial="month", required=False)


_PHONE = re.compile(r"^[0-9 ()+.\-]{7,30}$")
_ZIP = re.compile(r"^\d{5}(-\d{4})?$")


class PublicApplicationForm(ScopedFormMixin, forms.ModelForm):
    """The public adoption application. ``website`` is a honeypot: hidden from people, filled by robots."""

    website = forms.CharField(required=False, label="Leave this empty", max_length=200)

    class Meta:
        model = AdoptionApplication
        fields = [
            "name",
            "email",
            "phone",
            "address",
            "town",
            "zip_code",
            "adults",
            "children",
            "children_ages",
            "other_pets",
            "home_type",
            "tenure",
            "landlord_name",
            "landlord_phone",
            "about",
        ]
        widgets = {"about": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("user", None)
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["tenure"].label = "Do you own or rent your home?"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"
        self.fields["zip_code"].widget.attrs["autocomplete"] = "postal-code"

    @property
    def is_robot(self) -> bool:
        return bool((self.data.get("website") or "").strip())

    def clean_phone(self):
        phone = (self.cleaned_data.get("phone") or "").strip()
        if not _PHONE.match(phone) or sum(c.isdigit() for c in phone) < 10:
            raise forms.ValidationError("Enter a phone number with its area code, such as 573-555-0100.")
        return phone

    def clean_landlord_phone(self):
        phone = (self.cleaned_data.get("landlord_phone") or "").strip()
        if phone and (not _PHONE.match(phone) or sum(c.isdigit() for c in phone) < 10):
            raise forms.ValidationError("Enter the landlord's phone with its area code.")
        return phone

    def clean_zip_code(self):
        value = (self.cleaned_data.get("zip_code") or "").strip()
        if not _ZIP.match(value):
            raise forms.ValidationError("Enter a 5-digit ZIP code, such as 65101.")
        return value

    def clean_name(self):
        name = (self.cleaned_data.get("name") or "").strip()
        if len(name) < 2:
            raise forms.ValidationError("Enter your name.")
        return name


def dog_choices_for(user):
    return Dog.objects.restrict(user, VIEW)
