"""Views of the reparation boards beyond the declarations' generic pages."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from core.audit import audit_log
from core.errors import form_errors_from
from core.models import Offender
from core.querysets import ADD, CHANGE, VIEW, can, save_in_scope
from core.rows import row_is_blank
from core.views.generic import ObjectDetailView, ObjectEditView, ServiceErrorMixin, scoped_object_or_404
from victims import selectors as victim_selectors

from . import forms, selectors, services
from .choices import TRACKED_KINDS, AgreementStatus, MeetingKind, ReferralStatus
from .models import CONTACT_ROLES, Agreement, Board, BoardReferral, Condition, Meeting, Member


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
        user = self.request.user
        agreement = Agreement.objects.filter(meeting=self.object).first()
        voting = sum(1 for m in present if m.pk not in recused_ids)
        context.update(
            present=present,
            recused_ids=recused_ids,
            voting=voting,
            agreement=agreement,
            # What the victim wrote for the board only: the coordinator and administrators, on this page only.
            show_board_only=user.role in CONTACT_ROLES,
            can_run_agreement=(
                agreement is None
                and self.object.kind == MeetingKind.INITIAL
                and voting >= self.object.board.quorum
                and Meeting.objects.restrict(user, CHANGE).filter(pk=self.object.pk).exists()
            ),
        )
        return context


class AgreementDetailView(ReadOnlyDetailView):
    """The agreement and its conditions' progress."""

    queryset = Agreement.objects.select_related("board", "referral__offender", "referral__board", "meeting__board")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        progress = selectors.condition_progress(self.object, timezone.localdate())
        conditions = list(self.object.conditions.order_by("due_on", "pk"))
        today = timezone.localdate()
        for c in conditions:
            c.progress = progress.get(c.pk, "")
            c.record_form = None
            if c.kind not in TRACKED_KINDS:
                c.record_form = forms.ConditionRecordForm(prefix=f"c{c.pk}", initial={"on": today})
        context["conditions"] = conditions
        context["show_progress"] = True
        context["can_act"] = (
            self.object.status == AgreementStatus.ACTIVE
            and Agreement.objects.restrict(self.request.user, CHANGE).filter(pk=self.object.pk).exists()
        )
        return context


class BoardReferralDetailView(ObjectDetailView):
    queryset = BoardReferral.objects.select_related("board", "offender", "case", "referred_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_decide"] = context["can_change"] and self.object.status == ReferralStatus.PENDING
        context["can_run_meeting"] = context["can_change"] and self.object.status == ReferralStatus.ACCEPTED
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
        context["conflicts"] = self.object.conflicts.select_related("referral__offender", "referral__case")
        context["conflict_form"] = forms.ConflictForm(
            member=self.object, prefix="conflict", initial={"on": timezone.localdate()}
        )
        return context


class MemberConflictView(LoginRequiredMixin, View):
    """A member declares a conflict in a case of their board (``conflict_declare``): they recuse themselves
    at its meetings from then on."""

    def post(self, request, pk):
        member = scoped_object_or_404(Member, request.user, pk, CHANGE)
        form = forms.ConflictForm(request.POST, member=member, prefix="conflict")
        if form.is_valid():
            try:
                services.conflict_declare(
                    user=request.user,
                    member=member,
                    referral=form.cleaned_data["referral"],
                    on=form.cleaned_data["on"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "Conflict recorded: the member recuses themselves in this case.")
                return redirect(member.get_absolute_url())
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect(member.get_absolute_url())


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


# Running a meeting on the tablet ---------------------------------------------------------------------
class MeetingRunView(LoginRequiredMixin, View):
    """The coordinator runs a meeting about an accepted referral: attendance, recusals and the quorum after
    them (live: htmx posts the form on each change and swaps in the count), the person's attendance, the
    victim's participation, the minutes. Then on to the conditions."""

    template_name = "boards/meeting_run.html"

    def get_referral(self):
        referral = scoped_object_or_404(BoardReferral, self.request.user, self.kwargs["pk"], CHANGE)
        if referral.status != ReferralStatus.ACCEPTED:
            raise Http404
        return referral

    def render_page(self, referral, form):
        voting, quorum = form.voting()
        # What the case's victims gave victim services for a board (numbered, never named; each read
        # logged by the victims app), for the coordinator to read out or take an excerpt from.
        statements = victim_selectors.board_statements(self.request.user, referral.case, path=self.request.path)
        return render(
            self.request,
            self.template_name,
            {
                "referral": referral,
                "form": form,
                "voting": voting,
                "quorum": quorum,
                "victim_statements": statements,
                "title": "Run a meeting",
            },
        )

    def get(self, request, pk):
        referral = self.get_referral()
        kind = MeetingKind.INITIAL
        if referral.agreements.filter(status=AgreementStatus.ACTIVE).exists():
            kind = MeetingKind.MID_TERM
        form = forms.MeetingForm(board=referral.board, initial={"date": timezone.localdate(), "kind": kind})
        return self.render_page(referral, form)

    def post(self, request, pk):
        referral = self.get_referral()
        form = forms.MeetingForm(request.POST, board=referral.board)
        if request.headers.get("HX-Request"):
            voting, quorum = form.voting()
            return render(request, "boards/includes/quorum.html", {"voting": voting, "quorum": quorum})
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.meeting_record(
                    user=request.user,
                    referral=referral,
                    date=data["date"],
                    place=data["place"],
                    present=list(data["present"]),
                    recused=list(data["recused"]),
                    kind=data["kind"],
                    person_attended=data["person_attended"],
                    victim_mode=data["victim_mode"],
                    victim_shared_text=data["victim_shared_text"],
                    victim_board_only_text=data["victim_board_only_text"],
                    minutes=data["minutes"],
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "Meeting recorded.")
                if meeting.kind == MeetingKind.INITIAL and meeting.quorate:
                    return redirect("boards:meeting_agreement", meeting.pk)
                return redirect(meeting.get_absolute_url())
        return self.render_page(referral, form)


class MeetingAgreementView(LoginRequiredMixin, View):
    """The conditions agreed at the meeting, approved as the agreement (only with quorum after recusals):
    rows left blank are ignored."""

    template_name = "boards/meeting_agreement.html"
    ROWS = 5

    def get_meeting(self):
        meeting = scoped_object_or_404(Meeting, self.request.user, self.kwargs["pk"], CHANGE)
        if meeting.kind != MeetingKind.INITIAL or Agreement.objects.filter(meeting=meeting).exists():
            raise Http404
        return meeting

    def render_page(self, meeting, form, rows):
        return render(
            self.request,
            self.template_name,
            {
                "meeting": meeting,
                "form": form,
                "rows": rows,
                "row_errors": any(r.is_bound and r.errors for r in rows),
                "title": "The agreement's conditions",
            },
        )

    def get(self, request, pk):
        meeting = self.get_meeting()
        rows = [forms.ConditionRowForm(prefix=f"c{i}") for i in range(self.ROWS)]
        return self.render_page(meeting, forms.AgreementForm(), rows)

    def post(self, request, pk):
        meeting = self.get_meeting()
        form = forms.AgreementForm(request.POST)
        rows = [forms.ConditionRowForm(request.POST, prefix=f"c{i}") for i in range(self.ROWS)]
        filled = [r for r in rows if not row_is_blank(request.POST, r.prefix, forms.ConditionRowForm)]
        valid = form.is_valid()
        for row in filled:  # every row validated, so each shows its errors
            valid = row.is_valid() and valid
        if not filled:
            form.add_error(None, "Enter at least one condition.")
        elif valid:
            try:
                agreement = services.agreement_approve(
                    user=request.user,
                    meeting=meeting,
                    days=form.cleaned_data["days"],
                    conditions=[
                        services.NewCondition(
                            kind=r.cleaned_data["kind"],
                            description=r.cleaned_data["description"],
                            due_on=r.cleaned_data["due_on"],
                            hours=r.cleaned_data["hours"],
                            amount=r.cleaned_data["amount"],
                        )
                        for r in filled
                    ],
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "Agreement approved. Now the person and the chair sign it.")
                return redirect("boards:agreement_sign", agreement.pk)
        return self.render_page(meeting, form, rows)


class AgreementStepView(LoginRequiredMixin, View):
    """A step on an active agreement (sign, review, close): its page and its form, through a service."""

    template_name = ""
    title = ""

    def get_agreement(self):
        agreement = scoped_object_or_404(Agreement, self.request.user, self.kwargs["pk"], CHANGE)
        if agreement.status != AgreementStatus.ACTIVE:
            raise Http404
        return agreement

    def context(self, agreement, **extra):
        return {
            "object": agreement,
            "conditions": agreement.conditions.order_by("due_on", "pk"),
            "title": self.title,
            **extra,
        }


class AgreementSignView(AgreementStepView):
    """The person and the chair sign on the tablet, one after the other (typed name and a ticked box; the
    time and the browser's user agent are recorded)."""

    template_name = "boards/agreement_sign.html"
    title = "Sign the agreement"

    def page(self, agreement, person_form=None, chair_form=None):
        chair = services.board_chair_on(agreement.board, agreement.meeting.date)
        return render(
            self.request,
            self.template_name,
            self.context(
                agreement,
                chair=chair,
                person_form=person_form or forms.SignForm(prefix="person", initial={"who": "person"}),
                chair_form=chair_form or forms.SignForm(prefix="chair", initial={"who": "chair"}),
            ),
        )

    def get(self, request, pk):
        return self.page(self.get_agreement())

    def post(self, request, pk):
        agreement = self.get_agreement()
        who = "chair" if "chair-who" in request.POST else "person"
        form = forms.SignForm(request.POST, prefix=who)
        if form.is_valid():
            try:
                services.agreement_sign(
                    user=request.user,
                    agreement=agreement,
                    who=form.cleaned_data["who"],
                    typed_name=form.cleaned_data["typed_name"],
                    agreed=form.cleaned_data["agreed"],
                    device=request.headers.get("User-Agent", ""),
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                agreement.refresh_from_db()
                messages.success(request, "Signed by the person." if who == "person" else "Signed by the chair.")
                if agreement.signed:
                    return redirect(agreement.get_absolute_url())
                return redirect("boards:agreement_sign", agreement.pk)
        return self.page(agreement, **{f"{who}_form": form})


class AgreementFormStepView(AgreementStepView):
    template_name = "boards/agreement_step.html"
    form_class = None
    initial: dict = {}
    done = ""

    def get(self, request, pk):
        agreement = self.get_agreement()
        form = self.form_class(initial={"on": timezone.localdate(), **self.initial})
        return render(request, self.template_name, self.context(agreement, form=form))

    def post(self, request, pk):
        agreement = self.get_agreement()
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.save(agreement, form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, self.done)
                return redirect(agreement.get_absolute_url())
        return render(request, self.template_name, self.context(agreement, form=form))


class AgreementReviewView(AgreementFormStepView):
    """The mid-term review of a signed agreement."""

    form_class = forms.ReviewForm
    title = "Mid-term review"
    done = "Mid-term review recorded."

    def save(self, agreement, data):
        services.agreement_review(user=self.request.user, agreement=agreement, on=data["on"], note=data["note"])


class AgreementCloseView(AgreementFormStepView):
    """Closure: completed, partially completed, or failed and returned to court, with the assessment."""

    form_class = forms.CloseForm
    title = "Close the agreement"
    done = "Agreement closed."

    def save(self, agreement, data):
        services.agreement_close(
            user=self.request.user,
            agreement=agreement,
            on=data["on"],
            outcome=data["outcome"],
            assessment=data["assessment"],
        )


# Documents (PDF) ---------------------------------------------------------------------------------------
class MeetingPacketView(LoginRequiredMixin, View):
    """The members' packet for a meeting (PDF)."""

    def get(self, request, pk):
        from core.pdf import pdf_response

        meeting = scoped_object_or_404(Meeting, request.user, pk, VIEW)
        audit_log(user=request.user, action="boards_meeting_packet", obj=meeting)
        context = selectors.meeting_packet(meeting)
        return pdf_response("boards/pdf/packet.html", context, f"board-packet-{meeting.referral.case.case_number}.pdf")


class AgreementPdfView(LoginRequiredMixin, View):
    """The agreement for signature (PDF), with the signatures recorded so far."""

    def get(self, request, pk):
        from core.pdf import pdf_response

        agreement = scoped_object_or_404(Agreement, request.user, pk, VIEW)
        audit_log(user=request.user, action="boards_agreement_pdf", obj=agreement)
        context = selectors.agreement_document(agreement)
        return pdf_response(
            "boards/pdf/agreement.html", context, f"agreement-{agreement.referral.case.case_number}.pdf"
        )


class AgreementLetterView(LoginRequiredMixin, View):
    """The assessment letter to the court (PDF): a closed agreement's only."""

    def get(self, request, pk):
        from core.pdf import pdf_response

        agreement = scoped_object_or_404(Agreement, request.user, pk, VIEW)
        if agreement.status == AgreementStatus.ACTIVE:
            raise Http404
        audit_log(user=request.user, action="boards_court_letter", obj=agreement)
        context = selectors.court_letter(agreement)
        return pdf_response(
            "boards/pdf/letter.html", context, f"board-assessment-{agreement.referral.case.case_number}.pdf"
        )


# The officer's action: refer a person to a board ---------------------------------------------------------
class ReferView(LoginRequiredMixin, View):
    """An officer refers a person they may see (their caseload) to a board of the person's district; the
    referral is kept only if it stays in the officer's scope (``save_in_scope``)."""

    template_name = "boards/refer.html"

    def get_offender(self):
        if not can(self.request.user, BoardReferral, ADD):
            raise Http404
        return get_object_or_404(Offender.objects.restrict(self.request.user, VIEW), pk=self.kwargs["pk"])

    def page(self, offender, form):
        return render(
            self.request, self.template_name, {"offender": offender, "form": form, "title": "Refer to a board"}
        )

    def get(self, request, pk):
        offender = self.get_offender()
        return self.page(offender, forms.ReferForm(offender=offender, initial={"referred_on": timezone.localdate()}))

    def post(self, request, pk):
        offender = self.get_offender()
        form = forms.ReferForm(request.POST, offender=offender)
        if form.is_valid():
            data = form.cleaned_data
            referral = BoardReferral(offender=offender, **data)
            try:
                referral = save_in_scope(
                    lambda: services.referral_create(user=request.user, referral=referral),
                    user=request.user,
                    action=ADD,
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, f"Referred to {referral.board}; the coordinator accepts or declines it.")
                return redirect(referral.get_absolute_url())
        return self.page(offender, form)


# A board's bylaws -----------------------------------------------------------------------------------------
class BoardBylawsView(LoginRequiredMixin, View):
    """GET: the board's bylaws (PDF) for those who may see the board; POST: the coordinator uploads them."""

    def get(self, request, pk):
        board = scoped_object_or_404(Board, request.user, pk, VIEW)
        if not board.bylaws:
            raise Http404
        return FileResponse(board.bylaws.open("rb"), content_type="application/pdf", filename=f"bylaws-{board.pk}.pdf")

    def post(self, request, pk):
        board = scoped_object_or_404(Board, request.user, pk, CHANGE)
        form = forms.BylawsForm(request.POST, request.FILES)
        if form.is_valid():
            services.board_bylaws_upload(
                user=request.user, board=board, data=form.cleaned_data["bylaws_bytes"], on=timezone.localdate()
            )
            messages.success(request, "Bylaws uploaded.")
        else:
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
        return redirect(board.get_absolute_url())


# Recording a condition by hand, and its evidence -----------------------------------------------------------
class ConditionRecordView(LoginRequiredMixin, View):
    """POST: the coordinator records an apology letter or another condition met or unmet (``condition_record``);
    the agreement's page shows what went wrong."""

    def post(self, request, pk):
        condition = scoped_object_or_404(Condition, request.user, pk, CHANGE)
        agreement_url = reverse("boards:agreement_detail", args=[condition.agreement_id])
        form = forms.ConditionRecordForm(request.POST, request.FILES, prefix=f"c{condition.pk}")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.condition_record(
                    user=request.user,
                    condition=condition,
                    met=data["outcome"] == "met",
                    on=data["on"],
                    evidence=data["evidence"],
                    evidence_file=data.get("evidence_bytes"),
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, "Condition recorded.")
                return redirect(agreement_url)
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect(agreement_url)


class ConditionEvidenceView(LoginRequiredMixin, View):
    """The evidence file of a condition, for those who may see the agreement (each download audited)."""

    def get(self, request, pk):
        condition = scoped_object_or_404(Condition, request.user, pk, VIEW)
        if not condition.evidence_file:
            raise Http404
        audit_log(user=request.user, action="boards_evidence_download", obj=condition)
        name = condition.evidence_file.name.rsplit("/", 1)[-1]
        return FileResponse(condition.evidence_file.open("rb"), as_attachment=True, filename=name)


class BoardCalendarView(LoginRequiredMixin, View):
    """A board's month: meetings held, mid-term reviews, agreements and conditions due (``?month=2026-12``,
    this month by default; a month that is not one says so and shows this month)."""

    template_name = "boards/board_calendar.html"

    def get(self, request, pk):
        board = scoped_object_or_404(Board, request.user, pk, VIEW)
        today = timezone.localdate()
        month, error = today.replace(day=1), ""
        raw = request.GET.get("month", "")
        if raw:
            try:
                month = dt.date.fromisoformat(f"{raw}-01")
            except ValueError:
                error = f"“{raw[:20]}” is not a month: write it as 2026-12. Showing this month."
        end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        items = selectors.board_calendar(board, month, end)
        days: dict[dt.date, list] = {}
        for item in items:
            days.setdefault(item.day, []).append(item)
        previous = (month - dt.timedelta(days=1)).replace(day=1)
        following = end + dt.timedelta(days=1)
        return render(
            request,
            self.template_name,
            {
                "board": board,
                "month": month,
                "days": sorted(days.items()),
                "error": error,
                "previous": f"{previous:%Y-%m}",
                "following": f"{following:%Y-%m}",
                "today": today,
                "title": f"{board.name}: {month:%B %Y}",
            },
        )
