"""Views of the reparation boards beyond the declarations' generic pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View

from core.querysets import CHANGE
from core.views.generic import ObjectDetailView, ObjectEditView, ServiceErrorMixin, scoped_object_or_404

from . import forms, services
from .choices import ReferralStatus
from .models import Agreement, BoardReferral, Meeting, Member


class ServiceEditView(ServiceErrorMixin, ObjectEditView):
    """An add or edit page whose form saves through a service."""


class ReadOnlyDetailView(ObjectDetailView):
    """A record a service writes: the header offers no Edit."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = False
        return context


class MeetingDetailView(ReadOnlyDetailView):
    """The meeting: who was present, who recused, whether the quorum was met after recusals."""

    queryset = Meeting.objects.select_related("board", "referral__offender", "referral__board")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        present = list(self.object.present.order_by("name", "pk"))
        recused_ids = set(self.object.recused.values_list("pk", flat=True))
        context.update(
            present=present, recused_ids=recused_ids, voting=sum(1 for m in present if m.pk not in recused_ids)
        )
        return context


class AgreementDetailView(ReadOnlyDetailView):
    """The agreement and its conditions' progress."""

    queryset = Agreement.objects.select_related("board", "referral__offender", "referral__board", "meeting__board")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["conditions"] = self.object.conditions.order_by("due_on", "pk")
        return context


class BoardReferralDetailView(ObjectDetailView):
    queryset = BoardReferral.objects.select_related("board", "offender", "case", "referred_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_decide"] = context["can_change"] and self.object.status == ReferralStatus.PENDING
        context["decide_form"] = forms.DecideForm(initial={"on": timezone.localdate()})
        return context


class ReferralDecideView(LoginRequiredMixin, View):
    """Accept (after the conflict check of every serving member) or decline with a reason. A possible
    conflict shows only the platform's opaque message."""

    def post(self, request, pk):
        referral = scoped_object_or_404(BoardReferral, request.user, pk, CHANGE)
        form = forms.DecideForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect(referral.get_absolute_url())
        data = form.cleaned_data
        try:
            if data["decision"] == "accept":
                services.referral_accept(user=request.user, referral=referral, on=data["on"])
                messages.success(request, "Referral accepted.")
            else:
                services.referral_decline(user=request.user, referral=referral, on=data["on"], reason=data["reason"])
                messages.success(request, "Referral declined.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(referral.get_absolute_url())


class MemberDetailView(ObjectDetailView):
    queryset = Member.objects.select_related("board")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_remove"] = context["can_change"] and self.object.removed_on is None
        context["remove_form"] = forms.RemoveForm(initial={"on": timezone.localdate()})
        return context


class MemberRemoveView(LoginRequiredMixin, View):
    """Remove a member for cause, with the reason (``member_remove``); the record stays."""

    def post(self, request, pk):
        member = scoped_object_or_404(Member, request.user, pk, CHANGE)
        form = forms.RemoveForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect(member.get_absolute_url())
        try:
            services.member_remove(
                user=request.user, member=member, on=form.cleaned_data["on"], reason=form.cleaned_data["reason"]
            )
            messages.success(request, "Member removed.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(member.get_absolute_url())
