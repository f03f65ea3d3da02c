"""Pages of the classes beyond what the declarations give: an offering with its attendance grid, a
facilitator's roster for today (one tap per person, htmx), a person's progress by topic, the waiting list
per facility, the statewide view, the certificate and its public verification page."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from core.audit import audit_log
from core.choices import STATEWIDE_ROLES
from core.conflicts import REFER
from core.errors import form_errors_from
from core.models import Facility, Offender
from core.querysets import ADD, CHANGE, VIEW, can
from core.views.generic import ObjectDetailView, ObjectEditView, ObjectVoidView, ServiceErrorMixin, scoped_object_or_404

from . import forms, selectors, services
from .choices import AttendanceStatus, BookingStatus, EnrollmentStatus, ReferralStatus
from .models import (
    COORDINATORS,
    Attendance,
    CurriculumVersion,
    Enrollment,
    Offering,
    Referral,
    ScheduledSession,
    SpeakerBooking,
)


class ServiceEditView(ServiceErrorMixin, ObjectEditView):
    """An add or edit page whose form saves through a service."""


class ReadOnlyDetailView(ObjectDetailView):
    """A record with no edit page (a service writes it): the header offers no Edit."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_void"] = context["can_change"]
        context["can_change"] = False
        return context


class AttendanceDetailView(ReadOnlyDetailView):
    queryset = Attendance.objects.select_related("session__offering__facility", "offender", "topic", "entered_by")


class CurriculumVersionDetailView(ReadOnlyDetailView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sessions"] = self.object.sessions.select_related("topic").order_by("position")
        context["can_revise"] = can(self.request.user, CurriculumVersion, CHANGE) and _is_latest(self.object)
        return context


def _is_latest(version) -> bool:
    return not CurriculumVersion.objects.filter(name=version.name, number__gt=version.number).exists()


class CurriculumReviseView(LoginRequiredMixin, View):
    """Revise the latest version of a curriculum: its sessions (topic and hours, in order) and tests. A
    revision is a new version (``services.curriculum_revise``): previewed first, then created; the old
    version stops being offered for new classes and every enrollment on it keeps it."""

    template_name = "classes/curriculum_revise.html"

    def get_object(self):
        version = scoped_object_or_404(CurriculumVersion, self.request.user, self.kwargs["pk"], CHANGE)
        if not _is_latest(version):
            raise Http404
        return version

    def render(self, version, form, formset, preview=None):
        enrolled = Enrollment.objects.filter(version=version, status=EnrollmentStatus.ENROLLED).count()
        context = {
            "object": version,
            "form": form,
            "formset": formset,
            "preview": preview,
            "next_number": version.number + 1,
            "enrolled": enrolled,
            "current": version.sessions.select_related("topic").order_by("position"),
        }
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        version = self.get_object()
        form = forms.CurriculumReviseForm(
            initial={
                "effective_on": timezone.localdate(),
                "has_pretest": version.has_pretest,
                "has_posttest": version.has_posttest,
            }
        )
        rows = [{"topic": s.topic_id, "hours": s.hours} for s in version.sessions.order_by("position")]
        return self.render(version, form, forms.CurriculumSessionFormSet(initial=rows, prefix="sessions"))

    def post(self, request, pk):
        version = self.get_object()
        form = forms.CurriculumReviseForm(request.POST)
        formset = forms.CurriculumSessionFormSet(request.POST, prefix="sessions")
        if not (form.is_valid() and formset.is_valid()):
            return self.render(version, form, formset)
        data = form.cleaned_data
        if "confirm" not in request.POST:
            return self.render(version, form, formset, preview=formset.sessions())
        try:
            new = services.curriculum_revise(
                user=request.user,
                version=version,
                effective_on=data["effective_on"],
                sessions=formset.sessions(),
                has_pretest=data["has_pretest"],
                has_posttest=data["has_posttest"],
                note=data.get("note", ""),
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
            return self.render(version, form, formset)
        messages.success(
            request, f"Created {new}. New classes use it; people enrolled on version {version.number} keep theirs."
        )
        return redirect(new.get_absolute_url())


# Offerings and the grid ------------------------------------------------------------------------------------
class OfferingDetailView(ObjectDetailView):
    """The offering, its sessions x people grid (what each person still lacks), enrolling from the list."""

    queryset = Offering.objects.select_related("facility", "version")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offering, user = self.object, self.request.user
        sessions, rows = selectors.offering_grid(offering)
        context.update(
            sessions=sessions,
            rows=rows,
            facilitators=offering.facilitators.order_by("last_name", "first_name"),
            seats_taken=sum(1 for r in rows if r.enrollment.status == EnrollmentStatus.ENROLLED),
            waiting=selectors.waiting_count(offering.facility_id),
            can_enroll=context["can_change"] and can(user, Enrollment, CHANGE),
            enroll_form=forms.EnrollForm(user=user),
            can_schedule=context["can_change"],
        )
        return context


class OfferingEnrollView(LoginRequiredMixin, View):
    """POST: enroll from the waiting list (in its order) or one person by DOC ID."""

    def post(self, request, pk):
        offering = scoped_object_or_404(Offering, request.user, pk, CHANGE)
        form = forms.EnrollForm(request.POST, user=request.user)
        if not form.is_valid():
            for error in form.errors.values():
                messages.error(request, " ".join(error))
            return redirect(offering.get_absolute_url())
        try:
            if form.cleaned_data.get("doc_id"):
                services.enrollment_enroll(user=request.user, offering=offering, offender=form.cleaned_data["doc_id"])
                messages.success(request, f"Enrolled {form.cleaned_data['doc_id']}.")
            else:
                done = services.enroll_from_waiting_list(
                    user=request.user, offering=offering, count=form.cleaned_data["count"]
                )
                messages.success(request, f"Enrolled {len(done)} from the waiting list.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(offering.get_absolute_url())


class OfferingScheduleView(LoginRequiredMixin, View):
    """Generate an offering's sessions from its curriculum version: a start date, weekdays, a time and a
    room; previewed first (which topics get which day, which already have a session), then created. A
    rerun adds only the topics still without a session."""

    template_name = "classes/offering_schedule.html"

    def get_object(self):
        offering = scoped_object_or_404(Offering, self.request.user, self.kwargs["pk"], CHANGE)
        if not can(self.request.user, ScheduledSession, ADD):
            raise Http404
        return offering

    def render(self, offering, form, plan=None):
        context = {"object": offering, "form": form, "plan": plan}
        if plan is not None:
            context["to_create"] = sum(1 for p in plan if p.existing is None)
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        offering = self.get_object()
        start = max(offering.starts_on, timezone.localdate())
        form = forms.SessionsGenerateForm(initial={"starts_on": start, "weekdays": [start.weekday()]})
        return self.render(offering, form)

    def post(self, request, pk):
        offering = self.get_object()
        form = forms.SessionsGenerateForm(request.POST)
        if not form.is_valid():
            return self.render(offering, form)
        data = form.cleaned_data
        try:
            if "confirm" in request.POST:
                created = services.sessions_generate(user=request.user, offering=offering, **data)
            else:
                plan = services.sessions_plan(
                    offering=offering,
                    starts_on=data["starts_on"],
                    weekdays=data["weekdays"],
                    start_time=data["start_time"],
                    end_time=data["end_time"],
                )
                return self.render(offering, form, plan)
        except ValidationError as exc:
            form_errors_from(form, exc)
            return self.render(offering, form)
        messages.success(
            request, f"Scheduled {len(created)} session{'' if len(created) == 1 else 's'} for {offering.title}."
        )
        return redirect(offering.get_absolute_url())


# Sessions and the roster ------------------------------------------------------------------------------------
def _roster_rows(session):
    roster = services.session_roster(session)
    entries = {a.offender_id: a for a in session.attendance.active()}
    return [{"enrollment": e, "entry": entries.get(e.offender_id)} for e in roster]


STATUSES = [(s.value, s.label) for s in AttendanceStatus if s != AttendanceStatus.NOT_HELD]


class SessionDetailView(ObjectDetailView):
    """A session: its roster with one tap per person, not held for everyone, make-ups, the speaker."""

    queryset = ScheduledSession.objects.select_related("offering__facility", "topic")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session, user = self.object, self.request.user
        context.update(
            rows=_roster_rows(session),
            statuses=STATUSES,
            can_mark=can(user, Attendance, ADD) and session.date <= timezone.localdate(),
            not_held_form=forms.NotHeldForm(),
            makeup_form=forms.MakeupForm(),
            bookings=SpeakerBooking.objects.restrict(user, VIEW).filter(session=session).select_related("speaker"),
            can_book=user.is_superuser or user.role in COORDINATORS,
            book_form=forms.SpeakerBookForm(user=user) if (user.is_superuser or user.role in COORDINATORS) else None,
        )
        return context


class RosterView(LoginRequiredMixin, TemplateView):
    """A facilitator's roster for today: each session of the day, one tap per person."""

    template_name = "classes/roster.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if not can(user, Attendance, ADD):
            raise Http404
        day = timezone.localdate()
        if self.request.GET.get("date"):
            try:
                day = dt.date.fromisoformat(self.request.GET["date"])
            except ValueError:
                day = timezone.localdate()
        sessions = list(selectors.sessions_on(user, day))
        context.update(
            day=day,
            title=f"Class roster for {day:%A, %B %-d, %Y}",
            sessions=[(s, _roster_rows(s)) for s in sessions],
            statuses=STATUSES,
            can_mark=day <= timezone.localdate(),
        )
        return context


class SessionMarkView(LoginRequiredMixin, View):
    """POST (htmx): one tap marks one person's attendance; answers with the person's row."""

    def post(self, request, pk):
        session = scoped_object_or_404(ScheduledSession, request.user, pk, CHANGE)
        if not can(request.user, Attendance, ADD):
            raise PermissionDenied
        form = forms.MarkForm(request.POST)
        raw = request.POST.get("offender", "")
        # Only someone already on the roster (a new make-up comes through the make-up form, by DOC ID in scope).
        on_roster = {e.offender_id for e in services.session_roster(session)}
        offender = Offender.objects.filter(pk=raw).first() if raw.isdigit() and int(raw) in on_roster else None
        error = None
        if offender is None:
            raise Http404
        if not form.is_valid():
            error = "Choose a status: present, late, absent or excused."
        else:
            existing = Attendance.objects.active().filter(session=session, offender=offender).first()
            if existing and not Attendance.objects.restrict(request.user, CHANGE).filter(pk=existing.pk).exists():
                error = "This entry is past the correction window: void it and mark again."
            else:
                try:
                    services.attendance_mark(
                        user=request.user,
                        session=session,
                        offender=offender,
                        status=form.cleaned_data["status"],
                        hours=form.cleaned_data.get("hours"),
                        remark=form.cleaned_data.get("remark") or "",
                    )
                except ValidationError as exc:
                    error = " ".join(exc.messages)
        if not request.htmx:
            if error:
                messages.error(request, error)
            return redirect(request.POST.get("next") or session.get_absolute_url())
        row = next((r for r in _roster_rows(session) if r["enrollment"].offender_id == offender.pk), None)
        if row is None:
            raise Http404
        return render(
            request,
            "classes/includes/roster_row.html",
            {"session": session, "row": row, "statuses": STATUSES, "can_mark": True, "error": error},
        )


class SessionNotHeldView(LoginRequiredMixin, View):
    def post(self, request, pk):
        session = scoped_object_or_404(ScheduledSession, request.user, pk, CHANGE)
        if not can(request.user, Attendance, ADD):
            raise PermissionDenied
        form = forms.NotHeldForm(request.POST)
        if form.is_valid():
            try:
                n = services.session_not_held(user=request.user, session=session, **form.cleaned_data)
                messages.success(request, f"Marked not held for {n} people: it counts against nobody.")
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, "Choose why the session was not held.")
        return redirect(session.get_absolute_url())


class SessionMakeupView(LoginRequiredMixin, View):
    """POST: a person enrolled in another class (any facility) attends this session to make up its topic."""

    def post(self, request, pk):
        session = scoped_object_or_404(ScheduledSession, request.user, pk, CHANGE)
        if not can(request.user, Attendance, ADD):
            raise PermissionDenied
        form = forms.MakeupForm(request.POST)
        if form.is_valid():
            offender = (
                Offender.objects.restrict(request.user).filter(doc_id=form.cleaned_data["doc_id"].strip()).first()
            )
            if offender is None:
                messages.error(request, "No person you may see has this DOC ID.")
            else:
                try:
                    services.attendance_mark(
                        user=request.user, session=session, offender=offender, status=AttendanceStatus.PRESENT
                    )
                    messages.success(request, f"{offender} marked present for a make-up.")
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, "Give the DOC ID.")
        return redirect(session.get_absolute_url())


class AttendanceVoidView(ObjectVoidView):
    form_class = forms.AttendanceVoidForm
    intro = "A void entry stays on record with its reason and history and credits no hours."


# Enrollments, completion, the certificate ---------------------------------------------------------------------
class EnrollmentDetailView(ReadOnlyDetailView):
    queryset = Enrollment.objects.select_related("offender", "offering__facility", "version", "continues__offering")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        e = self.object
        active = e.status == EnrollmentStatus.ENROLLED
        can_change = Enrollment.objects.restrict(self.request.user, CHANGE).filter(pk=e.pk).exists()
        context.update(
            topics=selectors.enrollment_progress_rows(e),
            can_act=active and can_change,
            end_form=forms.EnrollmentEndForm(initial={"on": timezone.localdate()}),
            test_form=forms.TestScoreForm(),
            has_tests=e.version.has_pretest or e.version.has_posttest,
        )
        return context


class EnrollmentActionView(LoginRequiredMixin, View):
    """POST: complete (checked by the service), end (withdrawn, failed, with a reason) or record a test."""

    def post(self, request, pk, action):
        enrollment = scoped_object_or_404(Enrollment, request.user, pk, CHANGE)
        try:
            if action == "complete":
                services.enrollment_complete(enrollment=enrollment, user=request.user)
                messages.success(request, "Completed: the certificate is ready.")
            elif action == "end":
                form = forms.EnrollmentEndForm(request.POST)
                if not form.is_valid():
                    raise ValidationError([f"{k}: {' '.join(v)}" for k, v in form.errors.items()])
                services.enrollment_end(enrollment=enrollment, user=request.user, **form.cleaned_data)
                messages.success(request, "The enrollment has ended.")
            elif action == "test":
                form = forms.TestScoreForm(request.POST)
                if not form.is_valid():
                    raise ValidationError([f"{k}: {' '.join(v)}" for k, v in form.errors.items()])
                services.enrollment_test_record(enrollment=enrollment, user=request.user, **form.cleaned_data)
                messages.success(request, "Test score recorded.")
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(enrollment.get_absolute_url())


class CertificateView(LoginRequiredMixin, View):
    """The certificate of completion (PDF) with its verification code."""

    def get(self, request, pk):
        from core.pdf import pdf_response

        enrollment = scoped_object_or_404(Enrollment, request.user, pk, VIEW)
        if enrollment.status != EnrollmentStatus.COMPLETED:
            raise Http404
        audit_log(user=request.user, action="classes_certificate", obj=enrollment)
        verify_url = request.build_absolute_uri(f"/classes/verify/{enrollment.certificate_code}/")
        return pdf_response(
            "classes/certificate_pdf.html",
            {"e": enrollment, "verify_url": verify_url, "hours": services.enrollment_progress(enrollment).hours_needed},
            f"certificate-{enrollment.certificate_code}.pdf",
            request,
        )


class VerifyView(View):
    """Public: whether a certificate's code is valid, the course, the completion date and the facility.
    Never a name or a DOC ID."""

    def get(self, request, code):
        enrollment = selectors.completion_for_code(code)
        context = {"valid": enrollment is not None, "code": code[:12]}
        if enrollment is not None:
            context.update(
                course=enrollment.version.name,
                completed_on=enrollment.ended_on,
                facility=enrollment.offering.facility.name,
            )
        return render(request, "classes/verify.html", context, status=200 if enrollment else 404)


# A person's progress ------------------------------------------------------------------------------------------
class PersonProgressView(LoginRequiredMixin, TemplateView):
    """A person's class progress by topic (from every offering), their enrollments and attendance."""

    template_name = "classes/person.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if not can(user, Enrollment, VIEW):
            raise Http404
        offender = get_object_or_404(Offender.objects.restrict(user, VIEW), pk=self.kwargs["pk"])
        enrollments = list(selectors.person_enrollments(user, offender))
        current = enrollments[0] if enrollments else None
        context.update(
            offender=offender,
            title=f"Victim impact class: {offender.first_name} {offender.last_name}",
            enrollments=enrollments,
            current=current,
            topics=selectors.enrollment_progress_rows(current) if current else [],
            attendance=selectors.person_attendance(user, offender)[:50],
            referrals=Referral.objects.restrict(user, VIEW).filter(offender=offender).select_related("facility"),
        )
        return context


# The waiting list ------------------------------------------------------------------------------------------------
class WaitingListView(LoginRequiredMixin, TemplateView):
    """A facility's waiting list, in its order: the soonest release or supervision end first, then the
    oldest referral."""

    template_name = "classes/waiting.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        allowed = can(user, Referral, VIEW) and user.role in (*STATEWIDE_ROLES, "facility_staff")
        if not (allowed or user.is_superuser):
            raise Http404
        facilities = Facility.objects.restrict(user, VIEW).filter(active=True).order_by("code")
        chosen = None
        if self.request.GET.get("facility"):
            chosen = (
                facilities.filter(pk=self.request.GET["facility"]).first()
                if self.request.GET["facility"].isdigit()
                else None
            )
        elif facilities.count() == 1:
            chosen = facilities.first()
        rows = []
        if chosen is not None:
            rows = list(
                services.waiting_list(chosen.pk).filter(pk__in=Referral.objects.restrict(user, VIEW).values("pk"))
            )
        context.update(
            title="Class waiting list" + (f": {chosen.name}" if chosen else ""),
            facilities=facilities,
            chosen=chosen,
            rows=rows,
            cancel_form=forms.ReasonForm(),
            can_cancel=can(user, Referral, CHANGE),
        )
        return context


class ReferralDetailView(ObjectDetailView):
    queryset = Referral.objects.select_related("offender", "facility", "referred_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_cancel"] = context["can_change"] and self.object.status == ReferralStatus.WAITING
        context["cancel_form"] = forms.ReasonForm()
        return context


class ReferralCancelView(LoginRequiredMixin, View):
    def post(self, request, pk):
        referral = scoped_object_or_404(Referral, request.user, pk, CHANGE)
        form = forms.ReasonForm(request.POST)
        if form.is_valid():
            try:
                services.referral_cancel(referral=referral, user=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, "Taken off the waiting list.")
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            messages.error(request, "Say why the referral is cancelled.")
        return redirect(referral.get_absolute_url())


# Statewide ------------------------------------------------------------------------------------------------------
class StatewideView(LoginRequiredMixin, TemplateView):
    """The coordinator's statewide view: each facility's classes, seats, waiting list and completions,
    and how many people still lack each topic."""

    template_name = "classes/statewide.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if not (user.is_superuser or user.role in STATEWIDE_ROLES):
            raise Http404
        context.update(
            title="Victim impact classes statewide",
            facilities=selectors.facility_summary(user),
            lacking=selectors.lacking_statewide(user),
        )
        return context


# Guest speakers ---------------------------------------------------------------------------------------------------
class SpeakerBookView(LoginRequiredMixin, View):
    def post(self, request, pk):
        session = scoped_object_or_404(ScheduledSession, request.user, pk, VIEW)
        if not (request.user.is_superuser or request.user.role in COORDINATORS):
            raise Http404
        form = forms.SpeakerBookForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                booking = services.speaker_book(
                    user=request.user, speaker=form.cleaned_data["speaker"], session=session
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
                messages.error(request, " ".join(exc.messages))
            else:
                if booking.status == BookingStatus.BLOCKED:
                    messages.warning(
                        request,
                        f"Not booked yet: {REFER} ({booking.conflict_references})",
                    )
                else:
                    messages.success(request, "Speaker booked.")
        else:
            messages.error(request, "Choose a speaker.")
        return redirect(session.get_absolute_url())


class BookingDetailView(ReadOnlyDetailView):
    queryset = SpeakerBooking.objects.select_related("speaker", "session__offering", "session__topic")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["can_clear"] = self.object.status == BookingStatus.BLOCKED and (
            user.is_superuser or user.role in ("victim_services", "administrator")
        )
        return context


class BookingClearView(LoginRequiredMixin, View):
    def post(self, request, pk):
        booking = scoped_object_or_404(SpeakerBooking, request.user, pk, CHANGE)
        try:
            services.speaker_booking_clear(booking=booking, user=request.user, note=request.POST.get("note", "")[:200])
            messages.success(request, "Cleared: the speaker is booked.")
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(booking.get_absolute_url())
