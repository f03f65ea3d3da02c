"""Forms of the victims app: the victim record and, on the same page, the protected identity."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils import timezone, translation

from core.forms import DateInput, Form, ScopedModelForm
from core.models import CourtCase, User

from .choices import CALL_OUTCOMES, Channel, Language, MatchStatus, NoticeStatus, ReadWhat
from .models import EconomicLoss, ImpactStatement, Victim, VictimIdentity
from .services import DRAFT_MAX_CHARS, attachment_problem
from .submission_text import BOARD_MODES, LOSS_CATEGORIES, SERIOUSNESS, TEXT


class VictimForm(ScopedModelForm):
    """The victim record. Cases and the represented victim are typed (a case number, a reference):
    a dropdown of every case or every victim in the state would be hundreds of thousands of options."""

    case_numbers = forms.CharField(
        label="Court cases",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Case numbers, one per line or separated by commas, such as 26AC-CR00001.",
    )
    represents_reference = forms.CharField(
        label="Represents",
        required=False,
        max_length=16,
        help_text="For a family member speaking for a deceased or minor victim: that victim's reference (V-...).",
    )

    class Meta:
        model = Victim
        fields = (
            "kind",
            "relationship",
            "deceased",
            "minor",
            "do_not_contact",
            "redact_all",
            "statutory_category",
            "notification_requested_on",
            "notify_by_email",
            "notify_by_mail",
            "notify_by_phone",
        )
        widgets = {"notification_requested_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        order = ["kind", "case_numbers", "represents_reference", *self.Meta.fields[1:]]
        self.order_fields(order)
        if self.instance.pk and not self.is_bound:
            self.initial["case_numbers"] = "\n".join(self.instance.cases.values_list("case_number", flat=True))
            if self.instance.represents_id:
                self.initial["represents_reference"] = self.instance.represents.reference

    def clean_case_numbers(self):
        numbers = [n.strip().upper() for n in re.split(r"[,\n]+", self.cleaned_data["case_numbers"]) if n.strip()]
        if not numbers:
            raise forms.ValidationError("Enter at least one case number.")
        if len(numbers) > 50:
            raise forms.ValidationError("Enter at most 50 case numbers.")
        found = {}
        for case in CourtCase.objects.restrict(self.user).filter(case_number__in=numbers):
            found.setdefault(case.case_number.upper(), []).append(case)
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(f"No case has the number {', '.join(missing)}.")
        twice = [n for n in numbers if len(found[n]) > 1]
        if twice:
            raise forms.ValidationError(f"More than one court has case {', '.join(twice)}: ask an administrator.")
        return [found[n][0] for n in dict.fromkeys(numbers)]

    def clean_represents_reference(self):
        reference = self.cleaned_data["represents_reference"].strip().upper()
        if not reference:
            return None
        victim = Victim.objects.restrict(self.user).filter(reference=reference).first()
        if victim is None:
            raise forms.ValidationError(f"No victim has the reference {reference}.")
        if self.instance.pk and victim.pk == self.instance.pk:
            raise forms.ValidationError("A victim cannot represent themselves.")
        return victim

    def clean(self):
        data = super().clean()
        self.instance.represents = data.get("represents_reference")
        if data.get("represents_reference") and not data.get("relationship"):
            self.add_error("relationship", "Say how the representative is related to the victim.")
        if data.get("do_not_contact") and any(data.get(f"notify_by_{c}") for c in ("email", "mail", "phone")):
            self.add_error(
                "do_not_contact",
                "A victim who asked not to be contacted gets no notices: clear the channels or this box.",
            )
        requested = data.get("notification_requested_on")
        if requested and requested > timezone.localdate():
            self.add_error("notification_requested_on", "The request cannot be dated in the future.")
        return data


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


class PayeeLinkForm(Form):
    payee = forms.CharField(
        label="Restitution payee",
        max_length=200,
        help_text="The payee's reference (victim number), or its exact name.",
    )

    def __init__(self, *args, payee_model=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.payee_model = payee_model

    def clean_payee(self):
        text = self.cleaned_data["payee"].strip()
        matches = list(self.payee_model.objects.filter(kind="victim", reference=text)[:2]) or list(
            self.payee_model.objects.filter(kind="victim", name__iexact=text)[:2]
        )
        if not matches:
            raise forms.ValidationError("No victim payee has this reference or name.")
        if len(matches) > 1:
            raise forms.ValidationError("More than one payee has this name: enter its reference.")
        return matches[0]


class NotificationFilterForm(Form):
    status = forms.ChoiceField(
        choices=[("", "Any status"), *NoticeStatus.choices], required=False, initial=NoticeStatus.PENDING
    )
    channel = forms.ChoiceField(choices=[("", "Any channel"), *Channel.choices], required=False)
    victim = forms.CharField(required=False, max_length=16, label="Victim reference")


class CallForm(Form):
    outcome = forms.ChoiceField(
        label="How the call went", choices=[(o.value, o.label) for o in CALL_OUTCOMES], widget=forms.RadioSelect
    )
    note = forms.CharField(
        required=False,
        max_length=300,
        help_text="What was said or left, without the number called.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class MailedForm(Form):
    note = forms.CharField(required=False, max_length=300, label="Note", help_text="For example: sent certified.")


class CancelForm(Form):
    reason = forms.CharField(max_length=300, help_text="Why the notice will not be sent.")


class SubmissionLinkForm(Form):
    """Victim services makes a statement link for one of the victim's cases."""

    case = forms.ModelChoiceField(queryset=CourtCase.objects.none(), label="Court case")
    language = forms.ChoiceField(choices=Language.choices, initial=Language.ENGLISH, label="Language of the page")
    days = forms.IntegerField(
        label="Days the link works", min_value=1, max_value=60, initial=14, help_text="From 1 to 60 days."
    )

    def __init__(self, *args, victim=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = victim.cases.order_by("case_number") if victim else CourtCase.objects.none()


LOSS_ROWS = (1, 2, 3)
DOCUMENTS = (1, 2, 3)
TEXT_FIELDS = ("physical_injury", "psychological_harm", "welfare_changes", "view_on_sentence", "statement_text")


class OnlineStatementForm(Form):
    """The victim's own page (no account), in English or Spanish (``submission_text``): the statement's
    questions in plain words, up to three losses and three documents. Every box is optional, but
    something must be written or attached."""

    def __init__(self, *args, language="en", **kwargs):
        super().__init__(*args, **kwargs)
        t = self.text = TEXT[language]
        self.language = language
        area = {"rows": 3}
        for name in TEXT_FIELDS:
            self.fields[name] = forms.CharField(
                label=t[name], required=False, max_length=DRAFT_MAX_CHARS, widget=forms.Textarea(attrs=area)
            )
        self.fields["injury_seriousness"] = forms.ChoiceField(
            label=t["injury_seriousness"], choices=SERIOUSNESS[language], initial="none"
        )
        self.fields["counselling_requested"] = forms.BooleanField(label=t["counselling_requested"], required=False)
        self.fields["consent"] = forms.ChoiceField(
            label=t["consent"],
            choices=[("court_only", t["consent_court_only"]), ("board", t["consent_board"])],
            initial="court_only",
            widget=forms.RadioSelect,
        )
        self.fields["board_mode"] = forms.ChoiceField(
            label=t["board_mode"], choices=[("", "—"), *BOARD_MODES[language]], required=False
        )
        for n in LOSS_ROWS:
            self.fields[f"loss_{n}_category"] = forms.ChoiceField(
                label=f"{t['loss_category']} ({t['loss_row'].format(n=n).lower()})",
                choices=[("", "—"), *LOSS_CATEGORIES[language]],
                required=False,
            )
            self.fields[f"loss_{n}_amount"] = forms.CharField(
                label=f"{t['loss_amount']} ({t['loss_row'].format(n=n).lower()})",
                required=False,
                max_length=14,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            self.fields[f"loss_{n}_description"] = forms.CharField(
                label=f"{t['loss_description']} ({t['loss_row'].format(n=n).lower()})", required=False, max_length=200
            )
        for n in DOCUMENTS:
            self.fields[f"document_{n}"] = forms.FileField(label=t["document"].format(n=n), required=False)

    def full_clean(self):
        with translation.override(self.language):  # Django's own messages in the reader's language
            super().full_clean()

    def clean(self):
        data = super().clean()
        t = self.text
        self.losses = []
        for n in LOSS_ROWS:
            category, raw = data.get(f"loss_{n}_category"), (data.get(f"loss_{n}_amount") or "").strip()
            if not category and not raw:
                continue
            if not category:
                self.add_error(f"loss_{n}_category", t["amount_without_kind"])
                continue
            if not raw:
                self.add_error(f"loss_{n}_amount", t["kind_without_amount"])
                continue
            try:
                amount = Decimal(raw.replace("$", "").replace(",", ""))
            except InvalidOperation:
                self.add_error(f"loss_{n}_amount", t["amount_invalid"])
                continue
            if not amount.is_finite() or amount.as_tuple().exponent < -2 or amount >= Decimal("1e10"):
                self.add_error(f"loss_{n}_amount", t["amount_invalid"])
            elif amount <= 0:
                self.add_error(f"loss_{n}_amount", t["amount_positive"])
            else:
                self.losses.append((category, amount, data.get(f"loss_{n}_description", "")))
        self.documents = []
        for n in DOCUMENTS:
            upload = data.get(f"document_{n}")
            if not upload:
                continue
            problem = attachment_problem(upload)
            if problem:
                self.add_error(f"document_{n}", t["file_size" if problem == "size" else "file_type"])
            else:
                self.documents.append(upload)
        if data.get("consent") == "board" and not data.get("board_mode"):
            self.add_error("board_mode", t["board_mode_needed"])
        written = any((data.get(name) or "").strip() for name in TEXT_FIELDS)
        if not (written or self.losses or self.documents or self.errors):
            raise forms.ValidationError(t["empty"])
        return data

    def statement_fields(self) -> dict:
        data = self.cleaned_data
        board = data["consent"] == "board"
        return {
            **{name: data[name].strip() for name in TEXT_FIELDS},
            "injury_seriousness": data["injury_seriousness"],
            "injury_permanence": "none" if data["injury_seriousness"] == "none" else "unknown",
            "counselling_requested": data["counselling_requested"],
            "consent": data["consent"],
            "board_mode": data["board_mode"] if board else "",
        }
