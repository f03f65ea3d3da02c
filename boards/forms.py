"""Forms of the reparation boards. Dropdowns go through ``.restrict()`` (core's ScopedModelForm); every
write goes through a service (its refusals land under the field: ServiceErrorMixin)."""

from __future__ import annotations

from django import forms

from core.choices import Role
from core.forms import DateInput, Form, ScopedModelForm
from core.models import District, User

from . import services


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
