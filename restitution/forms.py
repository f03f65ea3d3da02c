"""Forms of the restitution app. They collect input; the services hold the rules."""

from django import forms
from django.utils import timezone

from core.forms import DateInput, Form, ScopedFormMixin, ScopedModelForm
from core.models import CourtCase
from core.money import CENT

from .choices import ObligationKind, ObligationStatus, PayeeKind, PaymentMethod
from .models import Obligation, Payee
from .services import new_idempotency_key


def money_field(**kwargs):
    return forms.DecimalField(max_digits=12, decimal_places=2, min_value=CENT, **kwargs)


class ObligationForm(ScopedFormMixin, forms.Form):
    """A court's order of restitution, a CVCF judgment or another payment, with its first plan if known."""

    case = forms.ModelChoiceField(queryset=CourtCase.objects.all(), label="Court case")
    kind = forms.ChoiceField(choices=ObligationKind.choices)
    payee = forms.ModelChoiceField(
        queryset=Payee.objects.filter(active=True).exclude(kind=PayeeKind.CVCF),
        required=False,
        help_text="Leave empty for a CVCF judgment: the fund is the payee.",
    )
    new_payee = forms.CharField(
        label="Or the payee's name",
        required=False,
        max_length=200,
        help_text="As the court order gives it. A name already on file is matched to its payee; "
        "a victim payee is then shown by its reference, never by name.",
    )
    ordered_amount = money_field(label="Ordered amount ($)")
    ordered_on = forms.DateField(label="Ordered on", widget=DateInput())
    monthly_amount = money_field(label="Monthly installment ($)", required=False)
    first_due_on = forms.DateField(
        label="First due date",
        widget=DateInput(),
        required=False,
        help_text="Leave both empty if there is no plan yet.",
    )

    def __init__(self, *args, offender=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = self.fields["case"].queryset.filter(offender=offender)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == ObligationKind.CVCF:
            if data.get("payee") or data.get("new_payee"):
                self.add_error("payee", "A CVCF judgment is paid to the fund: leave the payee empty.")
        elif kind and not data.get("payee") and not data.get("new_payee", "").strip():
            self.add_error("payee", "Choose the payee or type a new payee's name.")
        if bool(data.get("monthly_amount")) != bool(data.get("first_due_on")):
            self.add_error("first_due_on", "A plan needs both a monthly installment and a first due date.")
        return data


class PlanForm(Form):
    monthly_amount = money_field(label="Monthly installment ($)")
    first_due_on = forms.DateField(
        label="First due date",
        widget=DateInput(),
        help_text="The plan takes over from this date; any plan starting on or after it is replaced.",
    )
    note = forms.CharField(max_length=300, required=False, help_text="For example: amended by the court on …")


class AmendmentForm(Form):
    ordered_amount = money_field(label="Amended ordered amount ($)")
    amended_on = forms.DateField(label="Amended on", widget=DateInput(), help_text="The date of the court's order.")
    reference = forms.CharField(label="Court order reference", max_length=100)


class WaiverForm(Form):
    waived_on = forms.DateField(label="Waived on", widget=DateInput())
    reference = forms.CharField(label="Court order reference", max_length=100)


class PaymentForm(ScopedFormMixin, forms.Form):
    """A payment as it arrives. The hidden key makes a double-submitted form post once."""

    amount = money_field(label="Amount ($)")
    # Shown only when the amount is above the balance by more than the margin (ask_confirmation).
    over_balance_confirmed = forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,
        label="The amount is right: record it, and hold what is above the balance as credit",
    )
    received_on = forms.DateField(label="Received on", widget=DateInput())
    method = forms.ChoiceField(choices=PaymentMethod.choices)
    obligation = forms.ModelChoiceField(
        queryset=Obligation.objects.filter(status=ObligationStatus.OPEN).select_related("case"),
        required=False,
        label="Apply to",
        empty_label="By priority: restitution, then CVCF, then other; oldest first",
    )
    note = forms.CharField(max_length=300, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=120)

    def __init__(self, *args, offender=None, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("received_on", timezone.localdate())
        kwargs["initial"].setdefault("idempotency_key", new_idempotency_key())
        super().__init__(*args, **kwargs)
        self.fields["obligation"].queryset = self.fields["obligation"].queryset.filter(offender=offender)
        self.fields["obligation"].label_from_instance = lambda o: (
            f"{o.get_kind_display()} on {o.case.case_number} (${o.ordered_amount:,})"
        )
        if self.data.get(self.add_prefix("over_balance_confirmed")) in ("on", "true", "True"):
            self.ask_confirmation()

    def ask_confirmation(self):
        """The amount is far above the balance: show the box that confirms it."""
        self.fields["over_balance_confirmed"].widget = forms.CheckboxInput()


class ReversalForm(Form):
    reversed_on = forms.DateField(label="Reversed on", widget=DateInput())
    reason = forms.CharField(max_length=300, help_text="For example: money order returned unpaid.")


class DisbursementForm(Form):
    disbursed_on = forms.DateField(
        label="Disbursed on",
        widget=DateInput(),
        help_text="Pays out everything allocated to this payee up to this date and not yet disbursed.",
    )
    reference = forms.CharField(label="Check or transfer reference", max_length=60)


class PayeeForm(ScopedModelForm):
    class Meta:
        model = Payee
        fields = ["name", "kind", "reference", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [c for c in PayeeKind.choices if c[0] != PayeeKind.CVCF]


class CaseloadForm(Form):
    as_of = forms.DateField(label="As of", widget=DateInput(), required=False)
    district = forms.ModelChoiceField(queryset=None, required=False, empty_label="Every district")
    officer = forms.ModelChoiceField(queryset=None, required=False, empty_label="Every officer")
    status = forms.ChoiceField(required=False)

    def __init__(self, *args, officers=None, districts=None, **kwargs):
        from .choices import ComplianceStatus

        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["district"].queryset = districts
        self.fields["status"].choices = [("", "Any status"), *ComplianceStatus.choices]
