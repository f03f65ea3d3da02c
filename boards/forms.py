"""Forms of the reparation boards. Dropdowns go through ``.restrict()`` (core's ScopedModelForm); every
write goes through a service (its refusals land under the field: ServiceErrorMixin)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from core.choices import Role
from core.forms import DateInput, Form, ScopedModelForm
from core.models import CourtCase, District, User

from . import services
from .choices import (
    AGREEMENT_DAYS,
    CLOSING_STATUSES,
    ConditionKind,
    MeetingKind,
    Priority,
    ReferralSource,
    ReferralStatus,
    VictimMode,
)
from .models import Board, BoardReferral, Member


class BoardForm(ScopedModelForm):
    """A board of a district the user may act on; its coordinator a board coordinator of that district."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        coordinators = User.objects.filter(is_active=True, role=Role.BOARD_COORDINATOR).order_by("last_name")
        districts = District.objects.order_by("number")
        if self.user is not None and not (self.user.is_administrator or self.user.is_superuser):
            coordinators = coordinators.filter(district_id=self.user.district_id)
            districts = districts.filter(pk=self.user.district_id)
        self.fields["coordinator"].queryset = coordinators
        self.fields["district"].queryset = districts

    def save(self, commit=True):
        return services.board_save(user=self.user, board=super().save(commit=False))


class MemberForm(ScopedModelForm):
    """A citizen member: added or changed after the conflict check (``member_add``, ``member_update``)."""

    def save(self, commit=True):
        member = super().save(commit=False)
        if member.pk:
            return services.member_update(user=self.user, member=member)
        return services.member_add(user=self.user, member=member)


class ReferralForm(ScopedModelForm):
    """A referral of a person and one of their cases to a board; an edit changes the reason and priority."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("board", "offender", "case", "source", "referred_on"):
                self.fields[name].disabled = True

    def save(self, commit=True):
        referral = super().save(commit=False)
        if referral.pk:
            return services.referral_update(user=self.user, referral=referral)
        return services.referral_create(user=self.user, referral=referral)


class DecideForm(Form):
    """Accept a referral, or decline it with a reason."""

    decision = forms.ChoiceField(label="Decision", choices=[("accept", "Accept"), ("decline", "Decline")])
    on = forms.DateField(label="Decided on", widget=DateInput())
    reason = forms.CharField(label="Reason (when declining)", max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason for declining.")
        return data


class RemoveForm(Form):
    """Remove a member for cause: the date and the reason."""

    on = forms.DateField(label="Removed on", widget=DateInput())
    reason = forms.CharField(label="Reason", max_length=300)


# Running a meeting on the tablet ---------------------------------------------------------------------
class MeetingForm(Form):
    """A meeting as the coordinator runs it: attendance and recusals (the quorum after them shown live),
    whether the person came, the victim's participation and what they shared, the minutes."""

    date = forms.DateField(label="Date", widget=DateInput())
    place = forms.CharField(label="Place", max_length=120)
    kind = forms.ChoiceField(label="Meeting", choices=MeetingKind.choices)
    present = forms.ModelMultipleChoiceField(
        label="Members present", queryset=Member.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    recused = forms.ModelMultipleChoiceField(
        label="Members who recused themselves",
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="A member with a conflict in this case: present, but not counted for the quorum.",
    )
    person_attended = forms.BooleanField(label="The person attended", required=False)
    victim_mode = forms.ChoiceField(label="The victim's participation", choices=VictimMode.choices, required=False)
    victim_shared_text = forms.CharField(
        label="What the victim shares with the person",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text="An excerpt the victim agreed to share: it may appear on the agreement and the members' packet.",
    )
    victim_board_only_text = forms.CharField(
        label="What the victim wrote for the board only",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text="Seen by the coordinator and administrators on this meeting's page, never on any document.",
    )
    minutes = forms.CharField(
        label="Minutes", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=8000
    )

    def __init__(self, *args, board, **kwargs):
        super().__init__(*args, **kwargs)
        members = board.members.filter(removed_on__isnull=True).order_by("name", "pk")
        self.fields["present"].queryset = members
        self.fields["recused"].queryset = members
        self.board = board

    def voting(self) -> tuple[int, int]:
        """Members present less those recused, from the data as posted (for the live quorum)."""
        present = set(self.data.getlist("present")) if self.is_bound else set()
        recused = set(self.data.getlist("recused")) if self.is_bound else set()
        return len(present - recused), self.board.quorum


class ConditionRowForm(Form):
    """One condition of the agreement, as entered at the meeting."""

    kind = forms.ChoiceField(label="Condition", choices=[("", "Choose"), *ConditionKind.choices])
    description = forms.CharField(label="What it asks", max_length=300)
    hours = forms.DecimalField(
        label="Hours (community service)", required=False, min_value=Decimal("0.25"), max_digits=6, decimal_places=2
    )
    amount = forms.DecimalField(
        label="Amount (restitution)", required=False, min_value=Decimal("0.01"), max_digits=12, decimal_places=2
    )
    due_on = forms.DateField(label="Due (empty: the agreement's end)", required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("kind") == ConditionKind.SERVICE_HOURS and not data.get("hours"):
            self.add_error("hours", "Give the hours of community service.")
        if data.get("kind") == ConditionKind.RESTITUTION and not data.get("amount"):
            self.add_error("amount", "Give the amount to pay.")
        if data.get("kind") != ConditionKind.SERVICE_HOURS and data.get("hours"):
            self.add_error("hours", "Hours go with a community service condition only.")
        if data.get("kind") != ConditionKind.RESTITUTION and data.get("amount"):
            self.add_error("amount", "An amount goes with a restitution condition only.")
        return data


class AgreementForm(Form):
    days = forms.IntegerField(label="Agreement period (days)", min_value=1, max_value=365, initial=AGREEMENT_DAYS)


class SignForm(Form):
    """A signature on the tablet: the name typed and the box ticked."""

    who = forms.ChoiceField(choices=[("person", "The person"), ("chair", "The chair")], widget=forms.HiddenInput)
    typed_name = forms.CharField(label="Type your full name", max_length=120)
    agreed = forms.BooleanField(label="I have read the agreement and I sign it", required=False)


class ReviewForm(Form):
    on = forms.DateField(label="Reviewed on", widget=DateInput())
    note = forms.CharField(label="What the board found", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class CloseForm(Form):
    on = forms.DateField(label="Closed on", widget=DateInput())
    outcome = forms.ChoiceField(label="Outcome", choices=[(s.value, s.label) for s in CLOSING_STATUSES])
    assessment = forms.CharField(
        label="The board's assessment for the court", widget=forms.Textarea(attrs={"rows": 5}), max_length=8000
    )


class ConflictForm(Form):
    """A conflict a member declares in a case referred to their board."""

    referral = forms.ModelChoiceField(label="The case", queryset=BoardReferral.objects.none())
    on = forms.DateField(label="Declared on", widget=DateInput())
    description = forms.CharField(label="What the conflict is", max_length=300)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral"].queryset = (
            member.board.referrals.exclude(status=ReferralStatus.DECLINED)
            .select_related("offender", "case")
            .order_by("-referred_on", "pk")
        )
        self.fields["referral"].label_from_instance = lambda r: (
            f"{r.offender.last_name}, {r.offender.first_name}: case {r.case.case_number}"
        )


class ReferForm(Form):
    """An officer refers a person of their caseload and one of the person's cases to a board of the
    person's district."""

    board = forms.ModelChoiceField(label="Board", queryset=Board.objects.none())
    case = forms.ModelChoiceField(label="Case", queryset=CourtCase.objects.none())
    source = forms.ChoiceField(label="Referred by", choices=ReferralSource.choices, initial=ReferralSource.PP)
    reason = forms.CharField(label="Reason", max_length=300)
    priority = forms.ChoiceField(label="Priority", choices=Priority.choices, initial=Priority.NORMAL)
    referred_on = forms.DateField(label="Referred on", widget=DateInput())

    def __init__(self, *args, offender, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = Board.objects.filter(district_id=offender.district_id, active=True).order_by(
            "name"
        )
        self.fields["case"].queryset = offender.cases.order_by("-sentencing_date", "pk")


class YearForm(Form):
    """A report's year (empty: every year)."""

    year = forms.IntegerField(label="Year", min_value=1990, max_value=2100, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class BylawsForm(Form):
    """A board's bylaws: a PDF, its type read from its bytes."""

    bylaws = forms.FileField(label="Bylaws (PDF, at most 10 MB)")

    def clean_bylaws(self):
        upload = self.cleaned_data["bylaws"]
        head = upload.read(services.BYLAWS_MAX_BYTES + 1)
        if problem := services.bylaws_problem(head, size=upload.size):
            raise forms.ValidationError(problem)
        self.cleaned_data["bylaws_bytes"] = head
        return upload


class ConditionRecordForm(Form):
    """The coordinator records an apology letter or another condition: met (with what shows it, and a scan
    or photo) or unmet."""

    outcome = forms.ChoiceField(label="Outcome", choices=[("met", "Met"), ("unmet", "Not met")])
    on = forms.DateField(label="On", widget=DateInput())
    evidence = forms.CharField(label="What shows it", max_length=300, required=False)
    evidence_file = forms.FileField(label="A scan or photo (PDF, PNG or JPEG, optional)", required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("evidence_file")
        if upload:
            head = upload.read(services.BYLAWS_MAX_BYTES + 1)
            if problem := services.evidence_problem(head, size=upload.size):
                self.add_error("evidence_file", problem)
            data["evidence_bytes"] = head
        if data.get("outcome") == "met" and not (data.get("evidence") or "").strip():
            self.add_error("evidence", "Say what shows the condition met.")
        return data
