"""Pages of the victims app.

Identity is put in a template's context only for a role that may read it, and each such read is
logged (``services.read_log``) in the view that reads it: a template cannot leak what it never got.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.generic import TemplateView, View

from core.audit import audit_log
from core.errors import form_errors_from
from core.forms import Form
from core.links import LinkRefused
from core.models import CourtCase
from core.pdf import pdf_response
from core.querysets import ADD, CHANGE, VIEW
from core.views.generic import scoped_object_or_404

from .choices import Channel, MatchStatus, NoticeStatus, ReadSource, ReadWhat
from .forms import (
    AttachmentForm,
    CallForm,
    CancelForm,
    ConflictFilterForm,
    ConflictReviewForm,
    IdentityForm,
    LossForm,
    MailedForm,
    NotificationFilterForm,
    OnlineStatementForm,
    PayeeLinkForm,
    ReadLogFilterForm,
    StatementForm,
    SubmissionLinkForm,
    VictimForm,
)
from .models import (
    LIST_ROLES,
    ConflictMatch,
    CourtReportSection,
    ImpactStatement,
    Notification,
    ReadLog,
    StatementAttachment,
    SubmissionLink,
    Victim,
    VictimIdentity,
    VictimPayee,
    can_read_identity,
)
from .selectors import itemized_loss, read_log_for, victim_money, victims_for, victims_of_case
from .services import (
    DRAFT_FIELDS,
    attachment_add,
    chosen_channels,
    conflict_review,
    court_section_produce,
    letter_address,
    loss_add,
    notification_basis,
    notification_cancel,
    notification_mark_mailed,
    notification_record_call,
    notification_retry,
    payee_link,
    read_log,
    statement_accept,
    statement_record,
    submission_link_create,
    submission_link_open,
    submission_save,
    submission_submit,
    victim_save,
)
from .submission_text import TEXT
from .submission_text import when as submission_when

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
            statements=victim.statements.restrict(user).select_related("case"),
            money=victim_money(user, victim),
            can_change=can_read_identity(user),
            links=SubmissionLink.objects.restrict(user)
            .filter(victim=victim)
            .select_related("case", "created_by", "statement")[:10],
            **self.notifications(user, victim),
            **kwargs,
        )

    @staticmethod
    def notifications(user, victim) -> dict:
        if Notification.scope_q(user, VIEW) is None and not user.is_superuser:
            return {"notices": None}
        labels = dict(Channel.choices)
        return {
            "rights": notification_basis(victim),
            "channels": ", ".join(labels[c].lower() for c in chosen_channels(victim)),
            "notices": list(victim.notifications.restrict(user).order_by("-created_at", "-pk")[:10]),
        }


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
                cases=victim_form.cleaned_data["case_numbers"],
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
            title=f"Victims on case {case.case_number}",
            case=case,
            victims=victims_of_case(user, case),
            loss=itemized_loss(user, case),
            sections=CourtReportSection.objects.restrict(user).filter(case=case).select_related("produced_by"),
            can_produce=user.is_superuser or CourtReportSection.scope_q(user, ADD) is not None,
            **kwargs,
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


# Impact statements ---------------------------------------------------------------------------------
class _ServiceForm(LoginRequiredMixin, TemplateView):
    """A form whose save is one service call; the page is core's generic form page."""

    template_name = "core/object_form.html"
    form_class = None

    def target(self):
        raise NotImplementedError

    def form(self, target, data=None, files=None):
        return (
            self.form_class(data, files, user=self.request.user)
            if files is not None
            else self.form_class(data, user=self.request.user)
        )

    def get(self, request, *args, **kwargs):
        target = self.target()
        return self.show(target, self.form(target))

    def post(self, request, *args, **kwargs):
        target = self.target()
        form = self.form(target, request.POST, request.FILES)
        if form.is_valid():
            try:
                done = self.save(target, form)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"{done} is saved.")
                return redirect(self.success_url(target, done))
        return self.show(target, form)

    def show(self, target, form):
        return self.render_to_response(
            self.get_context_data(
                title=self.title(target), form=form, cancel_url=target.get_absolute_url(), model_meta=self.model._meta
            )
        )

    def success_url(self, target, done):
        return done.get_absolute_url()


class StatementCreateView(_ServiceForm):
    """Victim services records a statement received from a victim."""

    model = Victim

    def target(self):
        _require(can_read_identity(self.request.user))
        return scoped_object_or_404(Victim, self.request.user, self.kwargs["pk"], CHANGE)

    def form(self, target, data=None, files=None):
        return StatementForm(data, user=self.request.user, victim=target, instance=ImpactStatement(victim=target))

    def title(self, target):
        return f"Record an impact statement of {target}"

    def save(self, target, form):
        return statement_record(user=self.request.user, statement=form.instance)


class LossCreateView(_ServiceForm):
    model = ImpactStatement

    def target(self):
        _require(can_read_identity(self.request.user))
        return scoped_object_or_404(ImpactStatement, self.request.user, self.kwargs["pk"], CHANGE)

    def form(self, target, data=None, files=None):
        return LossForm(data, user=self.request.user)

    def title(self, target):
        return "Add an economic loss"

    def save(self, target, form):
        return loss_add(user=self.request.user, statement=target, loss=form.instance)

    def success_url(self, target, done):
        return target.get_absolute_url()


class AttachmentCreateView(_ServiceForm):
    model = ImpactStatement

    def target(self):
        _require(can_read_identity(self.request.user))
        return scoped_object_or_404(ImpactStatement, self.request.user, self.kwargs["pk"], CHANGE)

    def form(self, target, data=None, files=None):
        return AttachmentForm(data, files)

    def title(self, target):
        return "Attach a document"

    def save(self, target, form):
        data = form.cleaned_data
        return attachment_add(user=self.request.user, statement=target, upload=data["file"], title=data["title"])

    def success_url(self, target, done):
        return target.get_absolute_url()


class StatementDetailView(LoginRequiredMixin, TemplateView):
    """A statement's content and losses (each read logged): no contact or locating data on this page."""

    model = ImpactStatement
    template_name = "victims/statement_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        statement = get_object_or_404(
            ImpactStatement.objects.restrict(user).select_related("victim", "case"), pk=self.kwargs["pk"]
        )
        read_log(
            user=user,
            victims=[statement.victim_id],
            what=ReadWhat.STATEMENT,
            record_id=str(statement.pk),
            path=self.request.get_full_path(),
        )
        losses = list(statement.losses.restrict(user))
        return super().get_context_data(
            title=str(statement),
            statement=statement,
            losses=losses,
            total=sum((loss.amount for loss in losses), Decimal("0.00")),
            attachments=statement.attachments.restrict(user),
            can_change=can_read_identity(user),
            **kwargs,
        )


class AttachmentDownloadView(LoginRequiredMixin, View):
    """The only way to an attachment's bytes: in scope, logged, never inline as HTML."""

    model = StatementAttachment

    def get(self, request, pk):
        attachment = get_object_or_404(
            StatementAttachment.objects.restrict(request.user).select_related("statement"), pk=pk
        )
        read_log(
            user=request.user,
            victims=[attachment.statement.victim_id],
            what=ReadWhat.ATTACHMENT,
            record_id=str(attachment.pk),
            path=request.get_full_path(),
        )
        extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
            attachment.content_type, "audio"
        )
        response = FileResponse(
            attachment.file.open("rb"),
            content_type=attachment.content_type,
            as_attachment=True,
            filename=f"attachment-{attachment.pk}.{extension}",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


# The court report's victim section -----------------------------------------------------------------
class SectionProduceView(LoginRequiredMixin, View):
    """POST: the officer (or victim services) produces a draft or the final victim section of a case."""

    model = CourtCase

    def post(self, request, pk):
        case = scoped_object_or_404(CourtCase, request.user, pk)
        _require(CourtReportSection.scope_q(request.user, ADD) is not None or request.user.is_superuser)
        try:
            section = court_section_produce(user=request.user, case=case, final=request.POST.get("final") == "1")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{section} is produced.")
        return redirect("victims:case_victims", pk=case.pk)


class SectionPdfView(LoginRequiredMixin, View):
    """A produced version, as stored: in scope only, and its download recorded in the audit log."""

    model = CourtReportSection

    def get(self, request, pk):
        section = get_object_or_404(CourtReportSection.objects.restrict(request.user).select_related("case"), pk=pk)
        audit_log(user=request.user, action="download", obj=section, detail="victim section of a court report")
        response = FileResponse(
            section.file.open("rb"),
            content_type="application/pdf",
            filename=f"victim-section-{section.case.case_number}-{section.status}-{section.pk}.pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class PayeeLinkView(_ServiceForm):
    """Victim services links a victim to the restitution payee that receives their money."""

    model = Victim

    def target(self):
        _require(can_read_identity(self.request.user))
        return scoped_object_or_404(Victim, self.request.user, self.kwargs["pk"], CHANGE)

    def form(self, target, data=None, files=None):
        return PayeeLinkForm(data, payee_model=VictimPayee._meta.get_field("payee").related_model)

    def title(self, target):
        return f"Link {target} to a restitution payee"

    def save(self, target, form):
        payee_link(user=self.request.user, victim=target, payee=form.cleaned_data["payee"])
        return target


class StatementEditView(_ServiceForm):
    """Victim services corrects a statement (history keeps each version); opening it is a logged read."""

    model = ImpactStatement

    def target(self):
        _require(can_read_identity(self.request.user))
        return scoped_object_or_404(ImpactStatement, self.request.user, self.kwargs["pk"], CHANGE)

    def get(self, request, *args, **kwargs):
        statement = self.target()
        read_log(
            user=request.user,
            victims=[statement.victim_id],
            what=ReadWhat.STATEMENT,
            record_id=str(statement.pk),
            path=request.get_full_path(),
        )
        return self.show(statement, self.form(statement))

    def form(self, target, data=None, files=None):
        return StatementForm(data, user=self.request.user, victim=target.victim, instance=target)

    def title(self, target):
        return f"Edit the {str(target)[0].lower()}{str(target)[1:]}"

    def save(self, target, form):
        return statement_record(user=self.request.user, statement=form.instance)


# Notifications --------------------------------------------------------------------------------------
class NotificationListView(LoginRequiredMixin, TemplateView):
    """Notices owed to victims, those still to send first: victim services, administrators, auditors."""

    model = Notification
    template_name = "victims/notification_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        _require(Notification.scope_q(user, VIEW) is not None or user.is_superuser)
        form = NotificationFilterForm(self.request.GET or None)
        rows = Notification.objects.restrict(user).select_related("victim", "offender")
        status = NoticeStatus.PENDING
        if form.is_valid():
            data = form.cleaned_data
            status = data["status"]
            if data["channel"]:
                rows = rows.filter(channel=data["channel"])
            if data["victim"]:
                rows = rows.filter(victim__reference=data["victim"].strip().upper())
        if status:
            rows = rows.filter(status=status)
        page = Paginator(rows.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(title="Victim notifications", form=form, page=page, **kwargs)


class NotificationDetailView(LoginRequiredMixin, TemplateView):
    """One notice: what the victim is told, each attempt, and victim services' next step (print and mail
    the letter, record the call, try a failed e-mail again, cancel). The number to call is shown, and its
    read logged, only while a call is still to make."""

    model = Notification
    template_name = "victims/notification_detail.html"
    forms = {"call": CallForm, "mailed": MailedForm, "cancel": CancelForm, "retry": Form}

    def notice(self):
        user = self.request.user
        _require(Notification.scope_q(user, VIEW) is not None or user.is_superuser)
        return get_object_or_404(
            Notification.objects.restrict(user).select_related("victim", "offender", "event"), pk=self.kwargs["pk"]
        )

    def get(self, request, *args, **kwargs):
        return self.show(self.notice())

    def post(self, request, *args, **kwargs):
        notice = self.notice()
        _require(can_read_identity(request.user))
        action = request.POST.get("action", "")
        _require(action in self.forms)
        form = self.forms[action](request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "call":
                    notification_record_call(user=request.user, notification=notice, **data)
                elif action == "mailed":
                    notification_mark_mailed(user=request.user, notification=notice, **data)
                elif action == "cancel":
                    notification_cancel(user=request.user, notification=notice, **data)
                else:
                    notification_retry(user=request.user, notification=notice)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"{notice.get_channel_display()} to {notice.victim.reference} is updated.")
                return redirect(notice.get_absolute_url())
        return self.show(notice, **{action: form})

    def show(self, notice, **bound):
        user = self.request.user
        actionable = can_read_identity(user)
        phone = ""
        if actionable and notice.channel == Channel.PHONE and notice.status == NoticeStatus.PENDING:
            identity = VictimIdentity.objects.restrict(user).filter(victim=notice.victim_id).first()
            if identity is not None:
                phone = identity.phone or identity.alternate_phone
                read_log(
                    user=user, victims=[notice.victim], record_id=str(identity.pk), path=self.request.get_full_path()
                )
        forms = {name: bound.get(name) or cls() for name, cls in self.forms.items()}
        return self.render_to_response(
            self.get_context_data(
                title=f"Notice to {notice.victim.reference}",
                notice=notice,
                attempts=notice.attempt_log.select_related("by"),
                actionable=actionable,
                phone=phone,
                forms=forms,
                has_errors=any(f.errors for f in bound.values()),
                error_form=next((f for f in bound.values() if f.errors), None),
            )
        )


class NotificationLetterView(LoginRequiredMixin, View):
    """The letter to print and mail, addressed to the Safe at Home designated address for a participant
    (services.letter_address); opening it is a logged read of the victim's identity."""

    model = Notification

    def get(self, request, pk):
        _require(can_read_identity(request.user))
        notice = get_object_or_404(
            Notification.objects.restrict(request.user).select_related("victim", "offender"), pk=pk
        )
        _require(notice.channel == Channel.MAIL)
        identity = VictimIdentity.objects.restrict(request.user).filter(victim=notice.victim_id).first()
        if identity is not None:
            read_log(
                user=request.user,
                victims=[notice.victim],
                record_id=str(identity.pk),
                source=ReadSource.PDF,
                path=request.get_full_path(),
            )
        response = pdf_response(
            "victims/notification_letter.html",
            {
                "notice": notice,
                "name": identity.name if identity else "",
                "address": letter_address(identity),
                "title": notice.subject,
            },
            f"notice-{notice.victim.reference}-{notice.pk}.pdf",
        )
        response["Cache-Control"] = "private, no-store"
        return response


# The online statement link ------------------------------------------------------------------------
class SubmissionLinkCreateView(LoginRequiredMixin, TemplateView):
    """Victim services makes a link for the victim to write their statement online; the address is shown
    once, here, for them to send (by e-mail, text or letter)."""

    model = SubmissionLink
    template_name = "victims/submission_link_form.html"

    def victim(self):
        _require(can_read_identity(self.request.user))
        return scoped_object_or_404(Victim, self.request.user, self.kwargs["pk"], CHANGE)

    def get(self, request, *args, **kwargs):
        victim = self.victim()
        return self.render_to_response(self.context(victim, SubmissionLinkForm(victim=victim)))

    def post(self, request, *args, **kwargs):
        victim = self.victim()
        form = SubmissionLinkForm(request.POST, victim=victim)
        if form.is_valid():
            try:
                link, url = submission_link_create(user=request.user, victim=victim, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                return self.render_to_response(self.context(victim, None, link=link, url=url))
        return self.render_to_response(self.context(victim, form))

    def context(self, victim, form, **extra):
        return self.get_context_data(
            title=f"A statement link for {victim.reference}", victim=victim, form=form, **extra
        )


class SubmissionView(View):
    """The victim's page, without an account, in the link's language (``?lang=`` switches): the
    statement's questions, kept as they type (``static/js/autosave.js`` posts ``action=save``; without
    script, the "save" button does the same), and sent once. A tampered, expired or used link gets a
    page that says so in both languages and changes nothing."""

    template_name = "victims/submission.html"

    def language(self, request, link=None):
        asked = request.GET.get("lang") or request.POST.get("lang")
        if asked in TEXT:
            return asked
        return link.language if link is not None else "en"

    def refused(self, request, exc):
        language = self.language(request)
        texts = [
            (code, TEXT[code][f"refused_{exc.reason}_title"], TEXT[code][f"refused_{exc.reason}"])
            for code in ([language] + [c for c in TEXT if c != language])
        ]
        moments = {code: submission_when(exc.when, code) if exc.when else "" for code in TEXT}
        return render(
            request,
            "victims/submission_refused.html",
            {
                "texts": [(code, title, message.format(when=moments[code])) for code, title, message in texts],
                "language": language,
            },
            status=exc.status,
        )

    def page(self, request, link, form, *, saved=False, status=200):
        language = form.language
        with translation.override(language):  # Django's own messages (a form's errors) in the reader's language
            response = self.render_page(request, link, form, language, saved, status)
        response["Cache-Control"] = "private, no-store"
        # The token never leaves in a Referer header to another site (same-origin, not no-referrer: with no
        # referrer at all the browser posts Origin: null, which the CSRF check refuses).
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex"
        return response

    def render_page(self, request, link, form, language, saved, status):
        return render(
            request,
            self.template_name,
            {
                "link": link,
                "form": form,
                "t": TEXT[language],
                "language": language,
                "other": "es" if language == "en" else "en",
                "expires_line": TEXT[language]["expires"].format(when=submission_when(link.expires_at, language)),
                "saved_line": TEXT[language]["saved_at"].format(when=submission_when(link.saved_at, language))
                if link.saved_at
                else "",
                "saved": saved,
            },
            status=status,
        )

    def get(self, request, token):
        try:
            link = submission_link_open(token)
        except LinkRefused as exc:
            return self.refused(request, exc)
        form = OnlineStatementForm(initial=link.draft, language=self.language(request, link))
        return self.page(request, link, form)

    def post(self, request, token):
        try:
            link = submission_link_open(token)
        except LinkRefused as exc:
            return self.refused(request, exc)
        language = self.language(request, link)
        if request.POST.get("action") == "save":
            draft = {key: request.POST.get(key, "") for key in DRAFT_FIELDS}
            draft["counselling_requested"] = bool(request.POST.get("counselling_requested"))
            try:
                link = submission_save(token=token, draft=draft)
            except LinkRefused as exc:
                return self.refused(request, exc)
            if request.headers.get("X-Autosave"):
                return JsonResponse(
                    {"saved": TEXT[language]["saved_at"].format(when=submission_when(link.saved_at, language))}
                )
            form = OnlineStatementForm(initial=link.draft, language=language)
            return self.page(request, link, form, saved=True)
        form = OnlineStatementForm(request.POST, request.FILES, language=language)
        if not form.is_valid():
            return self.page(request, link, form)
        try:
            statement = submission_submit(
                token=token, fields=form.statement_fields(), losses=form.losses, files=form.documents
            )
        except LinkRefused as exc:
            return self.refused(request, exc)
        except ValidationError as exc:
            form_errors_from(form, exc)
            return self.page(request, link, form)
        response = render(
            request,
            "victims/submission_done.html",
            {
                "t": TEXT[language],
                "language": language,
                "done": TEXT[language]["done"].format(
                    when=submission_when(statement.submission_link.used_at, language)
                ),
            },
        )
        response["Cache-Control"] = "private, no-store"
        return response


class StatementAcceptView(LoginRequiredMixin, View):
    """Victim services records a statement sent online after reviewing it (POST only)."""

    model = ImpactStatement

    def post(self, request, pk):
        _require(can_read_identity(request.user))
        statement = get_object_or_404(ImpactStatement.objects.restrict(request.user, CHANGE), pk=pk)
        try:
            statement_accept(user=request.user, statement=statement)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{statement} is recorded.")
        return redirect(statement.get_absolute_url())
