"""Forms of the victims app: the victim record and, on the same page, the protected identity."""

from django import forms

from core.forms import DateInput, Form, ScopedModelForm
from core.models import User

from .choices import MatchStatus, ReadWhat
from .models import EconomicLoss, ImpactStatement, Victim, VictimIdentity


class VictimForm(ScopedModelForm):
    class Meta:
        model = Victim
        fields = (
            "kind",
            "cases",
            "represents",
            "relationship",
            "deceased",
            "minor",
            "do_not_contact",
            "redact_all",
            "statutory_category",
        )


class IdentityForm(ScopedModelForm):
    """Identity and contact. For a Safe at Home participant only the designated address is kept."""

    class Meta:
        model = VictimIdentity
        fields = (
            "name",
            "safe_at_home",
            "designated_address",
            "safe_at_home_card_verified",
            "safe_at_home_card_expires",
            "address",
            "mailing_address",
            "phone",
            "alternate_phone",
            "email",
            "date_of_birth",
            "employer",
        )
        widgets = {"date_of_birth": DateInput(), "safe_at_home_card_expires": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date_of_birth"].required = False
        self.fields["date_of_birth"].widget = DateInput()
        self.fields["email"].widget = forms.EmailInput()
        for name in ("phone", "alternate_phone"):
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})
        for name in ("address", "mailing_address", "designated_address"):
            self.fields[name].widget = forms.TextInput(attrs={"autocomplete": "off"})

    def clean_email(self):
        value = self.cleaned_data.get("email", "").strip()
        if value:
            forms.EmailField().clean(value)
        return value

    def clean(self):
        data = super().clean()
        if data.get("safe_at_home"):
            # No reason is asked, and the real address is neither stored nor kept in the form.
            for name in ("address", "mailing_address"):
                if data.get(name):
                    self.add_error(name, "Leave this empty for a Safe at Home participant: use the designated address.")
        return data


class ReadLogFilterForm(Form):
    user = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label="Read by")
    victim = forms.CharField(required=False, max_length=16, label="Victim reference")
    what = forms.ChoiceField(choices=[("", "Any"), *ReadWhat.choices], required=False, label="What was read")
    start = forms.DateField(required=False, widget=DateInput(), label="From")
    end = forms.DateField(required=False, widget=DateInput(), label="To")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.restrict(user).order_by("username")


class ConflictReviewForm(Form):
    status = forms.ChoiceField(
        label="Decision",
        choices=[
            (MatchStatus.CLEARED, "Clear: this is not the victim"),
            (MatchStatus.CONFIRMED, "Confirm: this is the victim"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Note", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ConflictFilterForm(Form):
    status = forms.ChoiceField(choices=[("", "Any"), *MatchStatus.choices], required=False, initial=MatchStatus.OPEN)
    reference = forms.CharField(max_length=16, required=False)


class StatementForm(ScopedModelForm):
    """A victim impact statement (RSMo 217.762); the case is one of the victim's."""

    class Meta:
        model = ImpactStatement
        fields = (
            "case",
            "received_on",
            "method",
            "physical_injury",
            "injury_seriousness",
            "injury_permanence",
            "psychological_harm",
            "welfare_changes",
            "counselling_requested",
            "view_on_sentence",
            "statement_text",
            "consent",
            "board_mode",
        )
        widgets = {
            "received_on": DateInput(),
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in ("physical_injury", "psychological_harm", "welfare_changes", "view_on_sentence")
            },
            "statement_text": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, victim=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = self.fields["case"].queryset.filter(victims=victim)


class LossForm(ScopedModelForm):
    class Meta:
        model = EconomicLoss
        fields = ("category", "description", "amount", "documentation")


class AttachmentForm(Form):
    title = forms.CharField(max_length=120, help_text="What the document is, such as: hospital bill.")
    file = forms.FileField(help_text="A PDF, a JPEG or PNG picture, or an audio recording, up to 20 MB.")
