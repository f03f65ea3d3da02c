"""Pages of the victims app.

Identity is put in a template's context only for a role that may read it, and each such read is
logged (``services.read_log``) in the view that reads it: a template cannot leak what it never got.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from core.errors import form_errors_from
from core.models import CourtCase
from core.querysets import ADD, CHANGE, VIEW
from core.views.generic import scoped_object_or_404

from .choices import MatchStatus, ReadSource, ReadWhat
from .forms import ConflictFilterForm, ConflictReviewForm, IdentityForm, ReadLogFilterForm, VictimForm
from .models import LIST_ROLES, ConflictMatch, ReadLog, Victim, VictimIdentity, can_read_identity
from .selectors import read_log_for, victims_for, victims_of_case
from .services import conflict_review, read_log, victim_save

PAGE_SIZE = 25


def _require(allowed: bool):
    if not allowed:
        raise Http404


class VictimListView(LoginRequiredMixin, TemplateView):
    """Victim services and administrators: victims with names (each read logged); auditors: without."""

    model = Victim
    template_name = "victims/victim_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        _require(user.is_superuser or user.role in LIST_ROLES)
        page = Paginator(victims_for(user), PAGE_SIZE).get_page(self.request.GET.get("page"))
        rows = list(page.object_list)
        names = {}
        if can_read_identity(user) and rows:
            names = dict(VictimIdentity.objects.restrict(user).filter(victim__in=rows).values_list("victim_id", "name"))
            read_log(
                user=user,
                victims=[v for v in rows if v.pk in names],
                source=ReadSource.LIST,
                path=self.request.get_full_path(),
            )
        return super().get_context_data(
            title="Victims",
            page=page,
            rows=[(v, names.get(v.pk)) for v in rows],
            show_identity=can_read_identity(user),
            can_add=can_read_identity(user),
            **kwargs,
        )


class VictimDetailView(LoginRequiredMixin, TemplateView):
    """A victim's page. Identity and contact for victim services and administrators (logged once);
    for a supervising officer and an auditor, the record without them."""

    model = Victim
    template_name = "victims/victim_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        victim = scoped_object_or_404(Victim, user, self.kwargs["pk"])
        identity = None
        if can_read_identity(user):
            identity = VictimIdentity.objects.restrict(user).filter(victim=victim).first()
            if identity is not None:
                read_log(user=user, victims=[victim], record_id=str(identity.pk), path=self.request.get_full_path())
        cases = victim.cases.restrict(user).select_related("offender")
        return super().get_context_data(
            title=str(victim),
            victim=victim,
            identity=identity,
            cases=cases,
            representatives=victim.representatives.restrict(user).order_by("reference"),
            can_change=can_read_identity(user),
            **kwargs,
        )


class VictimEditView(LoginRequiredMixin, TemplateView):
    """Add or edit a victim and their identity on one page (victim services and administrators)."""

    model = Victim
    template_name = "victims/victim_form.html"

    def setup_objects(self):
        user = self.request.user
        _require(can_read_identity(user))
        pk = self.kwargs.get("pk")
        if pk is None:
            return Victim(), VictimIdentity()
        victim = scoped_object_or_404(Victim, user, pk, CHANGE)
        identity = VictimIdentity.objects.restrict(user, CHANGE).filter(victim=victim).first() or VictimIdentity()
        return victim, identity

    def forms(self, victim, identity, data=None):
        user = self.request.user
        return (
            VictimForm(data, instance=victim, user=user, prefix="victim"),
            IdentityForm(data, instance=identity, user=user, prefix="identity"),
        )

    def get(self, request, *args, **kwargs):
        victim, identity = self.setup_objects()
        if identity.pk:
            read_log(user=request.user, victims=[victim], record_id=str(identity.pk), path=request.get_full_path())
        victim_form, identity_form = self.forms(victim, identity)
        return self.render_to_response(self.context(victim, victim_form, identity_form))

    def post(self, request, *args, **kwargs):
        victim, identity = self.setup_objects()
        victim_form, identity_form = self.forms(victim, identity, request.POST)
        if victim_form.is_valid() and identity_form.is_valid():
            victim = victim_save(
                user=request.user,
                victim=victim_form.instance,
                identity=identity_form.instance,
                cases=victim_form.cleaned_data["cases"],
            )
            messages.success(request, f"{victim} is saved.")
            return redirect(victim.get_absolute_url())
        return self.render_to_response(self.context(victim, victim_form, identity_form), status=200)

    def context(self, victim, victim_form, identity_form):
        return self.get_context_data(
            title=f"Edit {victim}" if victim.pk else "Add a victim",
            victim=victim,
            victim_form=victim_form,
            identity_form=identity_form,
        )


class VictimCreateView(VictimEditView):
    action = ADD


class CaseVictimsView(LoginRequiredMixin, TemplateView):
    """A case's victims as the supervising officer sees them: that they exist and their flags, no contact."""

    model = CourtCase
    template_name = "victims/case_victims.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        _require(Victim.scope_q(user, VIEW) is not None or user.is_superuser)
        case = scoped_object_or_404(CourtCase, user, self.kwargs["pk"])
        return super().get_context_data(
            title=f"Victims on case {case.case_number}", case=case, victims=victims_of_case(user, case), **kwargs
        )


class ReadLogView(LoginRequiredMixin, TemplateView):
    """Who read which victim's identity, statement or attachment, and from where."""

    model = ReadLog
    template_name = "victims/readlog_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        _require(ReadLog.scope_q(user, VIEW) is not None or user.is_superuser)
        form = ReadLogFilterForm(self.request.GET or None, user=user)
        rows = read_log_for(user)
        if form.is_valid():
            data = form.cleaned_data
            if data["user"]:
                rows = rows.filter(user=data["user"])
            if data["victim"]:
                rows = rows.filter(victim__reference=data["victim"].strip().upper())
            if data["what"]:
                rows = rows.filter(what=data["what"])
            if data["start"]:
                rows = rows.filter(at__date__gte=data["start"])
            if data["end"]:
                rows = rows.filter(at__date__lt=data["end"] + dt.timedelta(days=1))
        page = Paginator(rows, 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(title="Victims' read log", form=form, page=page, what=ReadWhat, **kwargs)


class ConflictMatchListView(LoginRequiredMixin, TemplateView):
    """Possible conflicts the check found, open ones first: victim services and administrators."""

    model = ConflictMatch
    template_name = "victims/conflictmatch_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        _require(can_read_identity(user))
        form = ConflictFilterForm(self.request.GET or None)
        rows = ConflictMatch.objects.restrict(user).select_related("offender", "victim")
        status = MatchStatus.OPEN
        if form.is_valid():
            status = form.cleaned_data["status"]
            if form.cleaned_data["reference"]:
                rows = rows.filter(reference=form.cleaned_data["reference"].strip().upper())
        if status:
            rows = rows.filter(status=status)
        page = Paginator(rows.order_by("-found_at", "pk"), PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(title="Possible conflicts", form=form, page=page, **kwargs)


class ConflictMatchDetailView(LoginRequiredMixin, TemplateView):
    """One possible conflict: who was being added, which victim, what matched; clear or confirm it."""

    model = ConflictMatch
    template_name = "victims/conflictmatch_detail.html"

    def get_match(self):
        _require(can_read_identity(self.request.user))
        return scoped_object_or_404(ConflictMatch, self.request.user, self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        return self.show(self.get_match(), ConflictReviewForm())

    def post(self, request, *args, **kwargs):
        match = self.get_match()
        form = ConflictReviewForm(request.POST)
        if form.is_valid():
            try:
                conflict_review(user=request.user, match=match, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc, default_field="status")
            else:
                messages.success(request, f"{match} is reviewed.")
                return redirect("victims:conflictmatch_list")
        return self.show(match, form)

    def show(self, match, form):
        user = self.request.user
        identity = VictimIdentity.objects.restrict(user).filter(victim=match.victim_id).first()
        if identity is not None:
            read_log(user=user, victims=[match.victim], record_id=str(identity.pk), path=self.request.get_full_path())
        return self.render_to_response(
            self.get_context_data(title=str(match), match=match, identity=identity, form=form)
        )
