"""Staff pages of Puppies for Parole beyond the declared ones: dogs' richer pages, the action pages that call
a service (move a dog, assign or end a handler, resolve a task, decide an application, record an adoption,
a follow-up or a return), and the apprenticeship hours (page and PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from core.audit import audit_log
from core.conflicts import REFER
from core.errors import form_errors_from
from core.querysets import CHANGE, VIEW, can
from core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectVoidView,
    ServiceErrorMixin,
    scoped_object_or_404,
)

from . import forms, selectors, services
from .choices import AT_FACILITY, OPEN_APPLICATION, ApplicationStatus, DogStatus
from .models import (
    Adoption,
    AdoptionApplication,
    CgcAttempt,
    Dog,
    HandlerAssignment,
    HandlerTask,
    TrainingLog,
    TrainingMilestone,
)


class DetailView(ObjectDetailView):
    """A detail page whose record may have no edit page (a service writes it): ``can_act`` says whether the
    user may act on it (end, resolve, decide); the header's Edit button shows only where there is an edit page."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_act"] = context["can_change"]
        if self.resource is not None and "edit" not in self.resource.pages:
            context["can_change"] = False
        return context


# Dogs -------------------------------------------------------------------------------------------------------
class DogDetailView(DetailView):
    queryset = Dog.objects.select_related("shelter__organization", "facility")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dog, user = self.object, self.request.user
        context["movements"] = dog.movements.select_related("facility").order_by("-started_on", "-pk")
        context["vaccinations"] = dog.vaccinations.order_by("-given_on")
        context["handlers"] = HandlerAssignment.objects.restrict(user, VIEW).filter(dog=dog).order_by("-started_on")
        context["logs"] = TrainingLog.objects.restrict(user, VIEW).filter(dog=dog).select_related("handler")[:20]
        context["cgc"] = CgcAttempt.objects.restrict(user, VIEW).filter(dog=dog)
        context["milestones"] = TrainingMilestone.objects.restrict(user, VIEW).filter(dog=dog)
        context["tasks"] = HandlerTask.objects.restrict(user, VIEW).filter(dog=dog, resolved_at__isnull=True)
        context["applications"] = AdoptionApplication.objects.restrict(user, VIEW).filter(dog=dog)
        context["rabies_current"] = services.rabies_current(dog, timezone.localdate())
        context["at_facility"] = dog.status in AT_FACILITY
        context["can_assign"] = context["can_change"] and dog.status in AT_FACILITY
        context["listed"] = selectors.public_dog(dog.pk) is not None
        return context


class DogEditView(ServiceErrorMixin, ObjectEditView):
    """Add (intake, at the shelter) or edit a dog's details, through the services."""

    def save(self, form):
        dog = form.save(commit=False)
        if self.object is None:
            return services.dog_intake(user=self.request.user, dog=dog)
        return services.dog_save(user=self.request.user, dog=dog)


class ActionView(LoginRequiredMixin, View):
    """A form on one record the user may change, which calls one service (``perform``)."""

    model = None
    form_class = None
    action = CHANGE
    title = ""
    intro = ""
    submit_label = "Save"
    template_name = "puppies/action.html"

    def get_object(self):
        obj = scoped_object_or_404(self.model, self.request.user, self.kwargs["pk"], self.action)
        if not self.applies(obj):
            raise Http404
        return obj

    def applies(self, obj) -> bool:
        return True

    def initial(self, obj) -> dict:
        return {}

    def make_form(self, obj, data=None):
        kwargs = {"initial": self.initial(obj)}
        if getattr(self.form_class, "base_fields", None) is not None and issubclass(
            self.form_class, forms.ScopedFormMixin
        ):
            kwargs["user"] = self.request.user
        return self.form_class(data, **kwargs)

    def render_form(self, obj, form, status=200):
        context = {
            "object": obj,
            "form": form,
            "title": self.title.format(object=obj),
            "intro": self.intro,
            "submit_label": self.submit_label,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        obj = self.get_object()
        return self.render_form(obj, self.make_form(obj))

    def post(self, request, pk):
        obj = self.get_object()
        form = self.make_form(obj, request.POST)
        if form.is_valid():
            try:
                message = self.perform(obj, form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, message)
                return redirect(self.success_url(obj))
        return self.render_form(obj, form, status=400)

    def success_url(self, obj):
        return obj.get_absolute_url()


class DogMoveView(ActionView):
    model = Dog
    form_class = forms.DogMoveForm
    title = "Move {object}"
    intro = (
        "Every move is dated: into a facility (with a current rabies vaccination), to another housing unit or "
        "facility, to extended training, or back to the shelter. Handlers end when the dog leaves a facility."
    )
    submit_label = "Record the move"

    def applies(self, dog):
        return dog.status not in (DogStatus.ADOPTED, DogStatus.RESERVED)

    def initial(self, dog):
        return {
            "on": timezone.localdate(),
            "status": DogStatus.IN_TRAINING if dog.status == DogStatus.AT_SHELTER else dog.status,
            "facility": dog.facility_id,
            "housing_unit": dog.housing_unit,
        }

    def perform(self, dog, data):
        dog = services.dog_move(dog=dog, user=self.request.user, **data)
        return f"{dog.name}: {dog.get_status_display().lower()}."


# Handlers ---------------------------------------------------------------------------------------------------
class HandlerAssignView(ServiceErrorMixin, ObjectEditView):
    """Add a handler through ``handler_assign`` (eligibility, one open per role)."""

    def save(self, form):
        data = form.cleaned_data
        return services.handler_assign(
            dog=data["dog"], offender=data["offender"], role=data["role"], on=data["started_on"], user=self.request.user
        )


class HandlerEndView(ActionView):
    model = HandlerAssignment
    form_class = forms.HandlerEndForm
    title = "End: {object}"
    intro = "The dog keeps its training log. Without a primary handler it gets a reassign task on the dashboard."
    submit_label = "End the assignment"

    def applies(self, obj):
        return obj.ended_on is None

    def initial(self, obj):
        return {"ended_on": timezone.localdate()}

    def perform(self, obj, data):
        services.handler_end(assignment=obj, on=data["ended_on"], user=self.request.user)
        return "The assignment ended."


class ProgramRemovalAddView(ServiceErrorMixin, ObjectEditView):
    def save(self, form):
        data = form.cleaned_data
        return services.program_remove(
            offender=data["offender"],
            facility=data["facility"],
            on=data["removed_on"],
            reason=data["reason"],
            user=self.request.user,
        )


class ViolationEditView(ServiceErrorMixin, ObjectEditView):
    def save(self, form):
        violation = form.save(commit=False)
        if violation.pk is None:
            violation.entered_by = self.request.user
        violation.full_clean()
        violation.save()
        return violation


class ViolationVoidView(ObjectVoidView):
    form_class = forms.ViolationVoidForm


class TaskResolveView(ActionView):
    model = HandlerTask
    form_class = forms.TaskResolveForm
    title = "Resolve: {object}"
    intro = "Assigning a handler resolves the task by itself; resolve it here when the dog went back to its shelter."
    submit_label = "Resolve"

    def applies(self, obj):
        return obj.resolved_at is None

    def perform(self, obj, data):
        services.task_resolve(task=obj, user=self.request.user, resolution=data["resolution"])
        return "The task is resolved."


# Training ---------------------------------------------------------------------------------------------------
class TrainingLogAddView(ServiceErrorMixin, ObjectEditView):
    def save(self, form):
        data = form.cleaned_data
        return services.training_log_record(user=self.request.user, **data)


class MilestoneAddView(ServiceErrorMixin, ObjectEditView):
    def save(self, form):
        return services.milestone_record(user=self.request.user, **form.cleaned_data)


class TrainingLogVoidView(ObjectVoidView):
    form_class = forms.TrainingVoidForm


class CgcAttemptAddView(ServiceErrorMixin, ObjectEditView):
    def save(self, form):
        return services.cgc_record(user=self.request.user, attempt=form.save(commit=False))


class GraduationAddView(ServiceErrorMixin, ObjectEditView):
    def save(self, form):
        data = form.cleaned_data
        return services.graduation_record(
            user=self.request.user, facility=data["facility"], date=data["date"], name=data["name"], dogs=data["dogs"]
        )


class ApprenticeshipView(LoginRequiredMixin, View):
    """Apprenticeship hours per handler from the training log; one handler's as a PDF for the reentry file."""

    template_name = "puppies/apprenticeship.html"

    def get(self, request):
        if not can(request.user, TrainingLog, VIEW):
            raise Http404
        form = forms.ApprenticeshipForm(request.GET or None, user=request.user)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        rows = selectors.apprenticeship_hours(
            request.user, start=data.get("start"), end=data.get("end"), offender=data.get("offender")
        )
        if request.GET.get("format") == "pdf" and data.get("offender"):
            from core.pdf import pdf_response

            person = data["offender"]
            logs = selectors.handler_logs(request.user, person, start=data.get("start"), end=data.get("end"))
            audit_log(user=request.user, action="puppies_hours_pdf", obj=person)
            return pdf_response(
                "puppies/apprenticeship_pdf.html",
                {"person": person, "rows": rows, "logs": logs, "start": data.get("start"), "end": data.get("end")},
                f"apprenticeship-hours-{person.doc_id}.pdf",
            )
        return render(
            request, self.template_name, {"form": form, "rows": rows, "title": "Apprenticeship hours", "data": data}
        )


# Applications and adoptions -------------------------------------------------------------------------------------
class ApplicationDetailView(DetailView):
    queryset = AdoptionApplication.objects.select_related("dog", "facility")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["program_staff"] = user.is_administrator or user.role == "facility_staff"
        context["mails"] = self.object.mails.all()
        context["conflict_message"] = REFER
        context["can_clear"] = self.object.held and (user.is_administrator or user.role == "victim_services")
        adoption = Adoption.objects.filter(application=self.object).first()
        context["adoption"] = adoption
        if context["program_staff"]:
            audit_log(user=user, action="puppies_application_view", obj=self.object)
        return context


class ApplicationDecideView(ActionView):
    model = AdoptionApplication
    form_class = forms.ApplicationDecisionForm
    title = "Decide: {object}"
    intro = (
        "Approving reserves the dog for this household alone; declining a reservation makes the dog available again."
    )
    submit_label = "Save the decision"

    def applies(self, obj):
        return obj.status in OPEN_APPLICATION and self.request.user.role != "victim_services"

    def perform(self, obj, data):
        decision, note, user = data["decision"], data.get("note", ""), self.request.user
        if decision == "approve":
            services.application_approve(application=obj, user=user, note=note)
            return f"Approved: {obj.dog.name} is reserved for this household."
        if decision in (ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN):
            services.application_close(application=obj, status=decision, user=user, note=note)
        else:
            services.application_advance(application=obj, status=decision, user=user, note=note)
        return "The application is updated."


class ConflictClearView(ActionView):
    model = AdoptionApplication
    form_class = forms.ConflictClearForm
    title = "Clear the possible conflict: {object}"
    intro = "Only after reviewing the match at Victims → Conflict matches. The application then goes on as usual."
    submit_label = "Clear it"

    def applies(self, obj):
        return obj.held

    def perform(self, obj, data):
        services.application_conflict_clear(application=obj, user=self.request.user, note=data.get("note", ""))
        return "Cleared: the application goes on."


class AdoptionRecordView(ActionView):
    model = AdoptionApplication
    form_class = forms.AdoptionForm
    title = "Record the adoption: {object}"
    intro = (
        "The adoption goes through the shelter that owns the dog. The other open applications for the dog are "
        "closed and each applicant gets a polite e-mail."
    )
    submit_label = "Record the adoption"

    def applies(self, obj):
        return obj.reserved and self.request.user.role != "victim_services"

    def initial(self, obj):
        return {"adopted_on": timezone.localdate()}

    def perform(self, obj, data):
        self.adoption = services.adoption_record(application=obj, user=self.request.user, **data)
        return f"{obj.dog.name} is adopted."

    def success_url(self, obj):
        return self.adoption.get_absolute_url()


class AdoptionDetailView(DetailView):
    queryset = Adoption.objects.select_related("dog", "shelter__organization", "facility", "application")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        audit_log(user=self.request.user, action="puppies_adopter_view", obj=self.object)
        return context


class AdoptionFollowupView(ActionView):
    model = Adoption
    form_class = forms.FollowupForm
    title = "Follow-up: {object}"
    submit_label = "Save the follow-up"

    def applies(self, obj):
        return obj.returned_on is None

    def initial(self, obj):
        return {"days": 90 if obj.followup_30_on else 30, "done_on": timezone.localdate()}

    def perform(self, obj, data):
        services.adoption_followup(adoption=obj, user=self.request.user, **data)
        return "Follow-up saved."


class AdoptionReturnView(ActionView):
    model = Adoption
    form_class = forms.ReturnForm
    title = "Return to the shelter: {object}"
    submit_label = "Record the return"

    def applies(self, obj):
        return obj.returned_on is None

    def initial(self, obj):
        return {"returned_on": timezone.localdate()}

    def perform(self, obj, data):
        services.adoption_return(adoption=obj, user=self.request.user, **data)
        return "The return is recorded."
