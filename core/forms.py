"""Forms for core records. ``ScopedModelForm`` restricts every dropdown to the user's scope."""

import re

from django import forms
from django.contrib.auth.forms import SetPasswordMixin
from django.core.exceptions import ValidationError

from core.choices import FacilityKind, OffenderStatus, ParoleOutcome, Role
from core.errors import form_errors_from
from core.imports import decode_csv
from core.models import Organization, OrganizationKind, User
from core.querysets import VIEW
from core.validators import add_edge_checks


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CleanTextMixin:
    """Every text field refuses control characters (core.validators), with a message under the field.
    Every form of the project has it: through ``Form`` and ``ScopedFormMixin`` (a test checks)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_edge_checks(self.fields.values())


class Form(CleanTextMixin, forms.Form):
    """The project's plain form: ``core.forms.Form`` in place of ``django.forms.Form``."""


class ScopedFormMixin(CleanTextMixin):
    """Restrict every choice field whose model has ``restrict`` to what the user may see."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "restrict"):
                field.queryset = queryset.restrict(user, VIEW) if user is not None else queryset.none()
            if isinstance(field.widget, forms.DateInput) and not isinstance(field.widget, DateInput):
                field.widget = DateInput()


class ScopedModelForm(ScopedFormMixin, forms.ModelForm):
    pass


class FacilityForm(ScopedModelForm):
    """Its fields are the declaration's (core.registrations)."""

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        # The database's check constraint would otherwise report only its own name.
        if not re.fullmatch(r"[A-Z0-9]{2,10}", code):
            raise ValidationError("A facility code is 2 to 10 letters or digits, such as JCCC.")
        return code

    def clean(self):
        data = super().clean()
        if data.get("kind") in (FacilityKind.DISTRICT_OFFICE, FacilityKind.CSC) and not data.get("district"):
            self.add_error("district", "A district office or supervision center serves a district: choose it.")
        return data


class OrganizationForm(ScopedModelForm):
    kinds = forms.ModelMultipleChoiceField(
        queryset=OrganizationKind.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose every kind that applies.",
        error_messages={"required": "Choose at least one kind."},
    )

    def clean(self):
        data = super().clean()
        if "kinds" in data:
            probe = Organization(agency_status=data.get("agency_status", ""))
            try:
                probe.validate_kinds(data["kinds"])
            except ValidationError as exc:
                form_errors_from(self, exc)
        return data


class OffenderForm(ScopedModelForm):
    """Its fields are the declaration\'s; the officer is one who supervises, named with the district."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervising_officer"].queryset = (
            self.fields["supervising_officer"]
            .queryset.filter(role__in=[Role.PROBATION_OFFICER, Role.DISTRICT_SUPERVISOR], is_active=True)
            .select_related("district")
        )
        self.fields["supervising_officer"].label_from_instance = lambda u: f"{u} (District {u.district.number})"

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if status == OffenderStatus.DISCHARGED and data.get("supervising_officer"):
            self.add_error("supervising_officer", "A discharged person has no supervising officer.")
        return data


class UserForm(ScopedModelForm):
    """Administrators manage users: role and where they work."""

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "phone",
            "role",
            "facilities",
            "district",
            "is_active",
        ]
        widgets = {"facilities": forms.SelectMultiple(attrs={"size": 8})}
        help_texts = {"is_active": "Uncheck to stop this person signing in. Users are never deleted."}

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if not role:
            self.add_error("role", "Choose a role.")
        # A district role without a district is refused by User.clean(), with the role in the message.
        if role == Role.FACILITY_STAFF and not data.get("facilities"):
            self.add_error("facilities", "Facility staff need at least one facility.")
        editing_self = self.user is not None and self.instance.pk is not None and self.instance.pk == self.user.pk
        if editing_self and "is_active" in data and not data["is_active"]:
            self.add_error("is_active", "You cannot deactivate your own account: ask another administrator.")
        return data


class UserCreateForm(SetPasswordMixin, UserForm):
    password1, password2 = SetPasswordMixin.create_password_fields()

    class Meta(UserForm.Meta):
        fields = UserForm.Meta.fields

    def clean(self):
        data = super().clean()
        self.validate_passwords()
        return data

    def _post_clean(self):
        super()._post_clean()
        self.validate_password_for_user(self.instance)

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password1"])
        if commit:
            user.save()
            self.save_m2m()
        return user


MAX_IMPORT_BYTES = 25 * 1024 * 1024


class ImportUploadForm(Form):
    kind = forms.ChoiceField(label="What the file holds")
    file = forms.FileField(
        label="CSV file", help_text="UTF-8 CSV with a header row. Up to 25 MB (about 300,000 payment rows)."
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.kind, k.label) for k in kinds]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError("The file is larger than 25 MB; split it.")
        try:
            return upload.name, decode_csv(upload.read())
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class RunJobForm(Form):
    job = forms.ChoiceField()
    run_date = forms.DateField(label="As of", widget=DateInput(), required=False, help_text="Today when empty.")

    def __init__(self, *args, jobs=(), **kwargs):
        kwargs.setdefault("auto_id", "id_run_%s")  # the job list's filter form above it has id_job and id_run_date
        super().__init__(*args, **kwargs)
        self.fields["job"].choices = [(j.name, j.name.replace("_", " ").capitalize()) for j in jobs]


class ParoleHearingForm(Form):
    """A parole hearing as staff record it from the board's decision."""

    hearing_date = forms.DateField(widget=DateInput())
    outcome = forms.ChoiceField(choices=[("", "Choose the outcome"), *ParoleOutcome.choices])
    next_hearing_date = forms.DateField(
        widget=DateInput(), required=False, help_text="When the board continued the case or set the next review."
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        heard, following = data.get("hearing_date"), data.get("next_hearing_date")
        if heard and following and following <= heard:
            self.add_error("next_hearing_date", "The next hearing must come after this one.")
        return data


class TimelineFilterForm(Form):
    program = forms.ChoiceField(required=False, label="Program")

    def __init__(self, *args, programs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [("", "All programs"), *programs]


# Voidable entries (core.entries) --------------------------------------------------------------
class VoidForm(Form):
    """The reason an entry is void. An app keeps its own wording by subclassing with
    ``reason_label``, ``reason_help`` and ``reason_missing``."""

    reason_label = "Why is this entry void?"
    reason_help = "For example: entered twice. The entry stays in the history."
    reason_missing = "Say why this entry is void."

    reason = forms.CharField(max_length=300, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = self.reason_label
        self.fields["reason"].help_text = self.reason_help

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(self.reason_missing)
        return reason


# The restorative record (core.restorative) ----------------------------------------------------
class ProgressReportForm(Form):
    version = forms.ChoiceField(
        label="Version",
        choices=[
            ("court", "For the court or the parole board"),
            ("person", "For the person (plain language, no staff notes)"),
        ],
        initial="court",
    )
    purpose = forms.CharField(
        label="For",
        max_length=120,
        required=False,
        help_text="Printed on the report, for example: court date Jan 12, 2027; parole hearing.",
    )
