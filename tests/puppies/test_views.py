"""Staff pages: a dog from intake through training, CGC, graduation, an application and an adoption, all through
the pages; every form's bad input under its field with nothing written; scope (facility staff see their
facilities' dogs; applications and adoptions are program staff's only)."""

import datetime as dt

import pytest
from django.urls import reverse

from puppies.choices import ApplicationStatus, DogStatus, TaskKind
from puppies.models import Adoption, AdoptionApplication, CgcAttempt, Dog, HandlerAssignment, HandlerTask, TrainingLog
from tests.factories import puppies as f

pytestmark = pytest.mark.django_db


def _dog_post(shelter, **overrides):
    data = {
        "shelter": shelter.pk,
        "shelter_ref": "CMHS-2026-0042",
        "name": "Juniper",
        "breed": "Border collie mix",
        "sex": "female",
        "birth_estimate": "2024-09-01",
        "colour": "Black and white",
        "intake_on": "2026-01-15",
        "spayed_neutered": "on",
        "spay_neuter_on": "2026-01-20",
        "behaviour_notes": "Shy with men at first.",
        "good_with_dogs": "yes",
        "good_with_cats": "unknown",
        "good_with_children": "yes",
        "training_level": "foundation",
        "bio": "Juniper is a quick learner who loves to fetch.",
        "released_for_adoption": "on",
    }
    data.update(overrides)
    return data


def _errors(response):
    assert response.status_code in (200, 400), response.status_code
    return response.context["form"].errors


def test_a_dog_from_intake_to_adoption_through_the_pages(pw, client_for, django_capture_on_commit_callbacks):
    staff = client_for(pw.w.staff_jccc)
    # Intake
    response = staff.post(reverse("puppies:dog_add"), _dog_post(pw.shelter))
    assert response.status_code == 302
    dog = Dog.objects.get(name="Juniper")
    assert dog.status == DogStatus.AT_SHELTER
    # Into JCCC: refused without rabies, then with it
    move = reverse("puppies:dog_move", args=[dog.pk])
    data = {"status": "in_training", "on": "2026-01-22", "facility": pw.w.jccc.pk, "housing_unit": "HU 3", "note": ""}
    assert "rabies" in str(_errors(staff.post(move, data))["facility"])
    response = staff.post(
        reverse("puppies:vaccination_add"),
        {"dog": dog.pk, "kind": "rabies", "given_on": "2026-01-16", "expires_on": "2027-01-16", "note": ""},
    )
    assert response.status_code == 302
    assert staff.post(move, data).status_code == 302
    # Handlers
    people = [f.inmate(pw.w.jccc), f.inmate(pw.w.jccc)]
    for person, role in zip(people, ("primary", "secondary"), strict=True):
        response = staff.post(
            reverse("puppies:handlerassignment_add"),
            {"dog": dog.pk, "offender": person.pk, "role": role, "started_on": "2026-01-23"},
        )
        assert response.status_code == 302, response.context["form"].errors
    # Training and the CGC test
    response = staff.post(
        reverse("puppies:traininglog_add"),
        {
            "dog": dog.pk,
            "handler": people[0].pk,
            "date": "2026-02-02",
            "skills": "Loose-leash walking",
            "minutes": "50",
            "notes": "",
        },
    )
    assert response.status_code == 302
    cgc = {f"item_{i}": "on" for i in range(1, 11)}
    response = staff.post(
        reverse("puppies:cgcattempt_add"),
        {
            "dog": dog.pk,
            "date": "2026-02-25",
            "evaluator_name": "Dana Evaluator",
            "evaluator_akc_number": "CGC-4411",
            **cgc,
            "dismissal_reason": "",
        },
    )
    assert response.status_code == 302 and CgcAttempt.objects.get(dog=dog).passed
    response = staff.post(
        reverse("puppies:graduation_add"),
        {"facility": pw.w.jccc.pk, "date": "2026-02-26", "name": "Winter 2026", "dogs": [dog.pk]},
    )
    assert response.status_code == 302, response.context["form"].errors
    # A public photo, an application from the public page, approval and adoption
    f.approved_photo(dog, staff=pw.w.staff_jccc, admin=pw.w.admin)
    from django.test import Client

    public = Client()
    from tests.puppies.test_public import _form

    with django_capture_on_commit_callbacks(execute=True):
        assert public.post(reverse("puppies_public:apply", args=[dog.pk]), _form()).status_code == 302
    app = AdoptionApplication.objects.get(dog=dog)
    decide = reverse("puppies:adoptionapplication_decide", args=[app.pk])
    assert staff.post(decide, {"decision": "screening", "note": "Called"}).status_code == 302
    assert staff.post(decide, {"decision": "approve", "note": ""}).status_code == 302
    dog.refresh_from_db()
    assert dog.status == DogStatus.RESERVED
    adopt = reverse("puppies:adoptionapplication_adopt", args=[app.pk])
    assert "fee" in _errors(staff.post(adopt, {"adopted_on": "2026-03-02", "fee": "-5"}))
    response = staff.post(adopt, {"adopted_on": "2026-03-02", "fee": "75.00"})
    assert response.status_code == 302
    adoption = Adoption.objects.get(dog=dog)
    page = staff.get(adoption.get_absolute_url()).content.decode()
    assert app.email in page  # program staff read the adopter's contact
    followup = reverse("puppies:adoption_followup", args=[adoption.pk])
    assert "done_on" in _errors(staff.post(followup, {"days": "30", "done_on": "2026-02-01", "note": "Good"}))
    assert staff.post(followup, {"days": "30", "done_on": "2026-03-02", "note": "Good"}).status_code == 302
    dog.refresh_from_db()
    assert (
        dog.status == DogStatus.ADOPTED
        and app.email not in public.get(reverse("puppies_public:dog_list")).content.decode()
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"birth_estimate": "2030-01-01"}, "birth_estimate"),
        ({"intake_on": "2023-01-01"}, "intake_on"),
        ({"spayed_neutered": "", "spay_neuter_on": "2026-01-20"}, "spayed_neutered"),
        ({"sex": "unknown"}, "sex"),
        ({"name": ""}, "name"),
        ({"breed": "Lab\x07"}, "breed"),
    ],
)
def test_dog_form_bad_input(pw, client_for, overrides, field):
    staff = client_for(pw.w.staff_jccc)
    assert field in _errors(staff.post(reverse("puppies:dog_add"), _dog_post(pw.shelter, **overrides)))
    assert not Dog.objects.filter(name="Juniper").exists()


def test_a_bio_naming_a_person_or_a_doc_id_is_refused(pw, client_for):
    staff = client_for(pw.w.staff_jccc)
    handler = pw.handlers[0]
    for bio in (f"Trained by {handler.first_name} {handler.last_name}.", f"Handler {handler.doc_id} says hi."):
        assert "bio" in _errors(staff.post(reverse("puppies:dog_add"), _dog_post(pw.shelter, bio=bio)))
    assert not Dog.objects.filter(name="Juniper").exists()


def test_the_same_shelter_id_twice_is_refused(pw, client_for):
    staff = client_for(pw.w.staff_jccc)
    errors = _errors(staff.post(reverse("puppies:dog_add"), _dog_post(pw.shelter, shelter_ref=pw.dog.shelter_ref)))
    assert errors


def test_handler_form_bad_input(pw, client_for):
    from tests.factories import CourtCaseFactory

    staff = client_for(pw.w.staff_jccc)
    excluded = f.inmate(pw.w.jccc)
    CourtCaseFactory(offender=excluded, offense="Animal cruelty")
    url = reverse("puppies:handlerassignment_add")
    before = HandlerAssignment.objects.count()
    assert "offender" in _errors(
        staff.post(url, {"dog": pw.dog.pk, "offender": excluded.pk, "role": "primary", "started_on": "2026-02-01"})
    )
    # A person held at ACC is not in JCCC staff's dropdown.
    assert "offender" in _errors(
        staff.post(
            url, {"dog": pw.dog.pk, "offender": pw.handlers_acc[0].pk, "role": "primary", "started_on": "2026-02-01"}
        )
    )
    assert "role" in _errors(
        staff.post(url, {"dog": pw.dog.pk, "offender": excluded.pk, "role": "third", "started_on": "2026-02-01"})
    )
    assert HandlerAssignment.objects.count() == before


def test_training_and_cgc_bad_input(pw, client_for):
    staff = client_for(pw.w.staff_jccc)
    log = {
        "dog": pw.dog.pk,
        "handler": pw.handlers[0].pk,
        "date": "2026-02-02",
        "skills": "Sit",
        "minutes": "0",
        "notes": "",
    }
    assert "minutes" in _errors(staff.post(reverse("puppies:traininglog_add"), log))
    assert "date" in _errors(
        staff.post(reverse("puppies:traininglog_add"), {**log, "minutes": "30", "date": "2027-01-01"})
    )
    assert not TrainingLog.objects.exists()
    cgc = {
        "dog": pw.dog.pk,
        "date": "2026-02-25",
        "evaluator_name": "Dana",
        "evaluator_akc_number": "no spaces!",
        "dismissal_reason": "",
    }
    assert "evaluator_akc_number" in _errors(staff.post(reverse("puppies:cgcattempt_add"), cgc))
    assert "dismissal_reason" in _errors(
        staff.post(reverse("puppies:cgcattempt_add"), {**cgc, "evaluator_akc_number": "CGC-1", "dismissed": "on"})
    )
    assert not CgcAttempt.objects.exists()


def test_removal_page_puts_the_task_on_the_dashboard_and_resolving_it(pw, client_for):
    staff = client_for(pw.w.staff_jccc)
    response = staff.post(
        reverse("puppies:programremoval_add"),
        {"offender": pw.handlers[0].pk, "facility": pw.w.jccc.pk, "removed_on": "2026-03-02", "reason": "Fight"},
    )
    assert response.status_code == 302
    task = HandlerTask.objects.get(dog=pw.dog, kind=TaskKind.REASSIGN)
    assert "Biscuit" in staff.get(reverse("core:dashboard")).content.decode()
    resolve = reverse("puppies:handlertask_resolve", args=[task.pk])
    assert "resolution" in _errors(staff.post(resolve, {"resolution": ""}))
    assert staff.post(resolve, {"resolution": "Dog returned to the shelter"}).status_code == 302
    assert staff.get(resolve).status_code == 404  # resolved once


def test_scope_facility_staff_see_their_facilitys_dogs_only(pw, client_for):
    acc = client_for(pw.w.staff_acc)
    assert acc.get(pw.dog.get_absolute_url()).status_code == 404
    assert acc.get(pw.dog_acc.get_absolute_url()).status_code == 200
    names = acc.get(reverse("puppies:dog_list")).content.decode()
    assert "Pepper" in names and "Biscuit" not in names
    assert acc.get(reverse("puppies:dog_move", args=[pw.dog.pk])).status_code == 404


def test_applications_are_for_program_staff_only(pw, client_for):
    Dog.objects.filter(pk=pw.dog.pk).update(released_for_adoption=True)
    app = f.application(pw.dog)
    for user in (pw.w.auditor, pw.w.officer, pw.w.staff_acc, pw.w.victims, pw.w.boards):
        assert client_for(user).get(app.get_absolute_url()).status_code == 404
    assert client_for(pw.w.staff_jccc).get(app.get_absolute_url()).status_code == 200
    # The API lists none of them to an auditor.
    response = client_for(pw.w.auditor).get("/api/v1/puppies/applications/")
    assert response.status_code == 200 and response.json()["count"] == 0


def test_apprenticeship_hours_page_and_pdf(pw, client_for):
    from puppies import services

    services.training_log_record(
        user=pw.w.staff_jccc, dog=pw.dog, handler=pw.handlers[0], date=dt.date(2026, 2, 2), skills="Sit", minutes=90
    )
    services.training_log_record(
        user=pw.w.staff_jccc, dog=pw.dog, handler=pw.handlers[0], date=dt.date(2026, 2, 3), skills="Down", minutes=45
    )
    staff = client_for(pw.w.staff_jccc)
    page = staff.get(reverse("puppies:apprenticeship")).content.decode()
    assert "2:15" in page and pw.handlers[0].doc_id in page
    assert (
        "end"
        in staff.get(reverse("puppies:apprenticeship"), {"start": "2026-03-01", "end": "2026-02-01"})
        .context["form"]
        .errors
    )
    pdf = staff.get(reverse("puppies:apprenticeship"), {"offender": pw.handlers[0].pk, "format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    # Another facility's staff cannot print this person's hours.
    other = client_for(pw.w.staff_acc).get(reverse("puppies:apprenticeship"), {"offender": pw.handlers[0].pk})
    assert pw.handlers[0].doc_id not in other.content.decode()


@pytest.mark.parametrize("slug", ["puppies-in-training", "puppies-graduations", "puppies-adoptions"])
def test_reports_run_through_the_catalog(pw, client_for, slug):
    Dog.objects.filter(pk=pw.dog.pk).update(released_for_adoption=True)
    f.adopt(f.application(pw.dog), user=pw.w.staff_jccc)
    response = client_for(pw.w.admin).get(reverse("reports:run", args=[slug]), {"format": "html"})
    assert response.status_code == 200
    if slug == "puppies-adoptions":
        body = response.content.decode()
        assert "Central Missouri Humane Society" in body
        # Adopted since the program began: the recorded adoptions by year, the baseline named apart.
        assert "recorded in RJ Admin, by year" in body and "historical baseline" in body
        assert "Recorded in all</td><td" in body.replace('<td class="num text-end">', "<td")


def test_victim_services_cannot_decide_an_application(pw, client_for):
    Dog.objects.filter(pk=pw.dog.pk).update(released_for_adoption=True)
    app = f.application(pw.dog)
    AdoptionApplication.objects.filter(pk=app.pk).update(conflict_reference="victims:C-TEST")
    victims = client_for(pw.w.victims)
    assert victims.get(reverse("puppies:adoptionapplication_decide", args=[app.pk])).status_code == 404
    assert victims.post(reverse("puppies:adoptionapplication_clear", args=[app.pk]), {"note": ""}).status_code == 302
    app.refresh_from_db()
    assert not app.held and app.status == ApplicationStatus.NEW


def test_ending_a_handler_on_its_page_opens_the_reassign_task(pw, client_for):
    staff = client_for(pw.w.staff_jccc)
    primary = HandlerAssignment.objects.get(dog=pw.dog, role="primary")
    url = reverse("puppies:handlerassignment_end", args=[primary.pk])
    assert "ended_on" in _errors(staff.post(url, {"ended_on": "2025-01-01"}))
    assert staff.post(url, {"ended_on": "2026-03-01"}).status_code == 302
    assert HandlerTask.objects.filter(dog=pw.dog, kind=TaskKind.REASSIGN, resolved_at__isnull=True).exists()
    assert staff.get(url).status_code == 404  # ended once


def test_move_page_bad_input(pw, client_for):
    staff = client_for(pw.w.staff_jccc)
    url = reverse("puppies:dog_move", args=[pw.dog.pk])
    assert "note" in _errors(staff.post(url, {"status": "other", "on": "2026-03-01", "note": ""}))
    assert "on" in _errors(staff.post(url, {"status": "returned", "on": "2027-03-01"}))
    assert "status" in _errors(staff.post(url, {"status": "adopted", "on": "2026-03-01"}))
    assert "facility" in _errors(staff.post(url, {"status": "extended_training", "on": "2026-03-01"}))
    pw.dog.refresh_from_db()
    assert pw.dog.status == DogStatus.IN_TRAINING


def test_conduct_violation_page_and_its_void(pw, client_for):
    from puppies.models import ConductViolation

    staff = client_for(pw.w.staff_jccc)
    url = reverse("puppies:conductviolation_add")
    data = {
        "offender": pw.handlers[0].pk,
        "facility": pw.w.jccc.pk,
        "date": "2026-02-27",
        "description": "Late",
        "source": "staff",
    }
    assert "date" in _errors(staff.post(url, {**data, "date": "2030-01-01"}))
    assert "facility" in _errors(staff.post(url, {**data, "facility": pw.w.acc.pk}))
    assert staff.post(url, data).status_code == 302
    violation = ConductViolation.objects.get()
    assert violation.entered_by == pw.w.staff_jccc
    void = reverse("puppies:conductviolation_void", args=[violation.pk])
    assert staff.post(void, {"reason": ""}).status_code == 400
    assert staff.post(void, {"reason": "Wrong person"}).status_code == 302
    violation.refresh_from_db()
    assert violation.is_voided


def test_eligibility_rule_page_is_for_administrators_with_bad_input(pw, client_for):
    from puppies.models import EligibilityRule

    url = reverse("puppies:eligibilityrule_add")
    admin = client_for(pw.w.admin)
    data = {
        "effective_on": "2026-01-01",
        "excluded_offenses": "animal cruelty\nsexual",
        "conduct_days": "90",
        "note": "",
    }
    assert "conduct_days" in _errors(admin.post(url, {**data, "conduct_days": "0"}))
    assert "excluded_offenses" in _errors(admin.post(url, {**data, "excluded_offenses": "  \n "}))
    assert admin.post(url, data).status_code == 302
    assert EligibilityRule.objects.get().terms == ["animal cruelty", "sexual"]
    assert client_for(pw.w.staff_jccc).get(url).status_code in (403, 404)


def test_shelter_page_refuses_an_organization_that_is_not_a_shelter(pw, client_for):
    from puppies.models import Shelter
    from tests.factories import OrganizationFactory

    pantry = OrganizationFactory(name="Samaritan Pantry", kinds=["food_pantry"])
    admin = client_for(pw.w.admin)
    url = reverse("puppies:shelter_add")
    errors = _errors(admin.post(url, {"organization": pantry.pk, "facilities": [pw.w.jccc.pk], "active": "on"}))
    assert "organization" in errors
    assert not Shelter.objects.filter(organization=pantry).exists()


def test_decide_page_bad_input_and_a_held_application(pw, client_for):
    Dog.objects.filter(pk=pw.dog.pk).update(released_for_adoption=True)
    app = f.application(pw.dog)
    staff = client_for(pw.w.staff_jccc)
    url = reverse("puppies:adoptionapplication_decide", args=[app.pk])
    assert "decision" in _errors(staff.post(url, {"decision": "adopted"}))
    AdoptionApplication.objects.filter(pk=app.pk).update(conflict_reference="victims:C-1")
    response = staff.post(url, {"decision": "approve"})
    assert response.status_code == 400 and "victim services" in response.content.decode()
    app.refresh_from_db()
    assert app.status == ApplicationStatus.NEW and not app.reserved


def test_milestone_page_with_bad_input(pw, client_for):
    staff = client_for(pw.w.staff_jccc)
    url = reverse("puppies:trainingmilestone_add")
    data = {"dog": pw.dog.pk, "date": "2026-02-10", "milestone": "basic", "note": ""}
    assert "date" in _errors(staff.post(url, {**data, "date": "2030-01-01"}))
    assert "note" in _errors(staff.post(url, {**data, "milestone": "other"}))
    assert "dog" in _errors(staff.post(url, {**data, "dog": pw.dog_acc.pk}))
    assert staff.post(url, data).status_code == 302
    assert pw.dog.milestones.get().milestone == "basic"
    assert "Basic obedience" in staff.get(pw.dog.get_absolute_url()).content.decode()
