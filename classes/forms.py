"""Forms for the classes. Dropdowns go through ``.restrict()`` (core's ScopedFormMixin); writes that carry
a rule go through services (their refusals land under the field: ServiceErrorMixin)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from core.forms import DateInput, Form, ScopedFormMixin, ScopedModelForm, VoidForm
from core.models import Facility, Offender, User

from . import services
from .choices import AttendanceStatus, EnrollmentStatus, NotHeldReason, OfferingStatus
from .models import CurriculumVersion, Topic


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class OfferingForm(ScopedModelForm):
    """An offering at one of the user's facilities, on an active version; facilitators work there."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        versions = CurriculumVersion.objects.filter(active=True)
        if self.instance.pk:
            versions = versions | CurriculumVersion.objects.filter(pk=self.instance.version_id)
            self.fields["version"].disabled = True
        self.fields["version"].queryset = versions
        staff = User.objects.filter(is_active=True, role="facility_staff").order_by("last_name", "first_name")
        if self.user is not None and not self.user.is_administrator:
            staff = staff.filter(facilities__in=self.user.facility_ids).distinct()
        self.fields["facilitators"].queryset = staff
        self.fields["facilitators"].required = False

    def save(self, commit=True):
        offering = super().save(commit=False)
        return services.offering_save(
            offering=offering, user=self.user, facilitators=list(self.cleaned_data.get("facilitators") or [])
        )


class ScheduledSessionForm(ScopedModelForm):
    """A session of an offering: its hours default to the version's for the topic."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = (
            self.fields["offering"]
            .queryset.exclude(status__in=[OfferingStatus.FINISHED, OfferingStatus.CANCELLED])
            .select_related("facility")
        )
        self.fields["start_time"].widget = TimeInput()
        self.fields["end_time"].widget = TimeInput()
        self.fields["hours"].required = False
        self.fields["hours"].help_text = "Leave empty for the curriculum's hours for the topic."
        if self.instance.pk:
            self.fields["offering"].disabled = True

    def _post_clean(self):
        # The model's rules run in the service, with the hours filled in.
        pass

    def save(self, commit=True):
        data = self.cleaned_data
        return services.session_schedule(
            user=self.user,
            offering=data["offering"],
            topic=data["topic"],
            date=data["date"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            room=data.get("room") or "",
            hours=data.get("hours"),
            session=self.instance if self.instance.pk else None,
        )


class ReferralForm(ScopedModelForm):
    """A referral to a facility's waiting list; an edit changes only the note."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = Facility.objects.filter(active=True)
        if self.instance.pk:
            for name in ("offender", "facility", "source", "referred_on"):
                self.fields[name].disabled = True

    def _post_clean(self):
        if self.instance.pk:
            super()._post_clean()

    def save(self, commit=True):
        data = self.cleaned_data
        if self.instance.pk:
            return super().save(commit=commit)
        return services.referral_create(
            user=self.user,
            offender=data["offender"],
            facility=data["facility"],
            source=data["source"],
            referred_on=data.get("referred_on"),
            note=data.get("note", ""),
        )


class EnrollForm(Form):
    """Enroll people from the waiting list (in its order) or one person by DOC ID."""

    count = forms.IntegerField(
        label="How many from the waiting list", min_value=0, max_value=60, required=False, initial=0
    )
    doc_id = forms.CharField(label="Or one person by DOC ID", max_length=12, required=False)

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_doc_id(self):
        doc_id = (self.cleaned_data.get("doc_id") or "").strip()
        if not doc_id:
            return None
        person = Offender.objects.restrict(self.user).filter(doc_id=doc_id).first()
        if person is None:
            raise forms.ValidationError("No person you may see has this DOC ID.")
        return person

    def clean(self):
        data = super().clean()
        if not data.get("count") and not data.get("doc_id") and not self.errors:
            raise forms.ValidationError("Give a number from the waiting list or a DOC ID.")
        return data


class EnrollmentEndForm(Form):
    status = forms.ChoiceField(
        label="How the enrollment ends",
        choices=[(s.value, s.label) for s in (EnrollmentStatus.WITHDRAWN, EnrollmentStatus.FAILED)],
    )
    reason = forms.CharField(label="Reason", max_length=300)
    on = forms.DateField(label="On", widget=forms.DateInput(attrs={"type": "date"}))


class TestScoreForm(Form):
    kind = forms.ChoiceField(label="Test", choices=[("pretest", "Pre-test"), ("posttest", "Post-test")])
    score = forms.IntegerField(label="Score (0 to 100)", min_value=0, max_value=100)


class ReasonForm(Form):
    reason = forms.CharField(label="Reason", max_length=300)


class NotHeldForm(Form):
    reason = forms.ChoiceField(label="Why was the session not held?", choices=NotHeldReason.choices)
    remark = forms.CharField(label="Remark", max_length=200, required=False)


class MarkForm(Form):
    """One tap on the roster: a person and a status (late may give the hours attended)."""

    offender = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=AttendanceStatus.choices)
    hours = forms.DecimalField(label="Hours attended", max_digits=5, decimal_places=2, required=False, min_value=0)
    remark = forms.CharField(label="Remark", max_length=200, required=False)


class MakeupForm(Form):
    doc_id = forms.CharField(label="Add a make-up by DOC ID", max_length=12)


class SpeakerBookForm(ScopedFormMixin, forms.Form):
    speaker = forms.ModelChoiceField(queryset=None, label="Speaker")

    def __init__(self, *args, **kwargs):
        from .models import Speaker

        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = Speaker.objects.restrict(self.user).filter(active=True)
        self.fields["speaker"].label_from_instance = lambda s: f"{s.name} ({s.reference})"


class AttendanceVoidForm(VoidForm):
    reason_label = "Why is this attendance entry void?"
    reason_help = "For example: marked for the wrong person. Mark the right person again afterwards."
    reason_missing = "Say why this attendance entry is void."


class YearForm(Form):
    year = forms.IntegerField(label="Year", min_value=1990, max_value=2100, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class SessionsGenerateForm(Form):
    """Generate an offering's sessions from its curriculum version: from a date, on some weekdays, at a
    time, in a room (``services.sessions_plan``: previewed first, then created)."""

    starts_on = forms.DateField(label="First session on or after", widget=DateInput())
    weekdays = forms.TypedMultipleChoiceField(
        label="Weekdays",
        choices=list(enumerate(services.WEEKDAYS)),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one weekday."},
        help_text="One session a day, on the next chosen weekday each time.",
    )
    start_time = forms.TimeField(label="Starts at", widget=TimeInput())
    end_time = forms.TimeField(label="Ends at", widget=TimeInput())
    room = forms.CharField(max_length=60, required=False)

    def clean(self):
        data = super().clean()
        if data.get("start_time") and data.get("end_time") and data["end_time"] <= data["start_time"]:
            self.add_error("end_time", "The session ends before it starts.")
        return data


class CurriculumReviseForm(Form):
    """A revision of a curriculum version: when the new version is in use from, its tests and a note.
    Its sessions are the formset below (``CurriculumSessionFormSet``)."""

    effective_on = forms.DateField(label="In use from", widget=DateInput())
    has_pretest = forms.BooleanField(label="Has a pre-test", required=False)
    has_posttest = forms.BooleanField(
        label="Has a post-test", required=False, help_text="When checked, completion needs the post-test recorded."
    )
    note = forms.CharField(
        max_length=300, required=False, help_text="What changed and why, for example: the 2027 national revision."
    )


class CurriculumSessionForm(Form):
    """One session of the revised version: its topic and hours (a row left empty is dropped)."""

    topic = forms.ModelChoiceField(queryset=Topic.objects.order_by("name"), required=False, empty_label="(none)")
    hours = forms.DecimalField(
        max_digits=5, decimal_places=2, min_value=Decimal("0.25"), max_value=Decimal("40"), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("topic") and data.get("hours") is None and not self.has_error("hours"):
            self.add_error("hours", "Enter the hours of this session.")
        if data.get("hours") is not None and not data.get("topic"):
            self.add_error("topic", "Choose the topic of this session, or clear its hours.")
        return data


class BaseCurriculumSessionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = {}
        for form in self.forms:
            topic = form.cleaned_data.get("topic")
            if topic is None:
                continue
            if topic.pk in seen:
                form.add_error("topic", f"{topic} is already session {seen[topic.pk]}: each topic appears once.")
            else:
                seen[topic.pk] = len(seen) + 1
        if not seen:
            raise forms.ValidationError("A curriculum has at least one session: choose a topic and its hours.")

    def sessions(self) -> list:
        return [
            (form.cleaned_data["topic"], form.cleaned_data["hours"])
            for form in self.forms
            if form.cleaned_data.get("topic")
        ]


CurriculumSessionFormSet = forms.formset_factory(
    CurriculumSessionForm, formset=BaseCurriculumSessionFormSet, extra=3, max_num=40, validate_max=True
)
