"""The rules of dogs, handlers, eligibility, the training log, the CGC test and graduations, through the services."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.models import CourtCase
from puppies import services
from puppies.choices import DogStatus, HandlerEndReason, HandlerRole, TaskKind, TrainingLevel
from puppies.models import EligibilityRule, HandlerAssignment, HandlerTask, Movement
from tests.factories import CourtCaseFactory
from tests.factories import puppies as f

pytestmark = pytest.mark.django_db


# Dogs and movements -------------------------------------------------------------------------------------------
def test_intake_opens_one_movement_at_the_shelter(pw):
    d = f.dog(pw.shelter, user=pw.w.admin)
    assert d.status == DogStatus.AT_SHELTER and d.facility is None
    assert list(Movement.objects.filter(dog=d).values_list("status", "ended_on")) == [(DogStatus.AT_SHELTER, None)]


def test_a_dog_without_current_rabies_cannot_enter_a_facility(pw):
    d = f.dog(pw.shelter, user=pw.w.admin)
    with pytest.raises(ValidationError) as exc:
        services.dog_move(
            dog=d, status=DogStatus.IN_TRAINING, on=dt.date(2026, 2, 1), user=pw.w.admin, facility=pw.w.jccc
        )
    assert "rabies" in exc.value.message_dict["facility"][0]
    f.rabies(d, given_on=dt.date(2024, 12, 1), years=1)  # expired on Dec 1, 2025
    with pytest.raises(ValidationError):
        services.dog_move(
            dog=d, status=DogStatus.IN_TRAINING, on=dt.date(2026, 2, 1), user=pw.w.admin, facility=pw.w.jccc
        )
    f.rabies(d, given_on=dt.date(2026, 1, 20))
    moved = services.dog_move(
        dog=d, status=DogStatus.IN_TRAINING, on=dt.date(2026, 2, 1), user=pw.w.admin, facility=pw.w.jccc
    )
    assert moved.status == DogStatus.IN_TRAINING and moved.facility == pw.w.jccc


def test_a_facility_the_shelter_does_not_work_with_is_refused(pw):
    from tests.factories import FacilityFactory

    other = FacilityFactory(code="WRDCC")
    d = f.dog(pw.shelter, user=pw.w.admin)
    f.rabies(d)
    with pytest.raises(ValidationError) as exc:
        services.dog_move(dog=d, status=DogStatus.IN_TRAINING, on=dt.date(2026, 2, 1), user=pw.w.admin, facility=other)
    assert "does not work with" in exc.value.message_dict["facility"][0]


def test_moves_keep_one_open_movement_and_the_database_refuses_two(pw):
    services.dog_move(
        dog=pw.dog,
        status=DogStatus.IN_TRAINING,
        on=dt.date(2026, 2, 1),
        user=pw.w.admin,
        facility=pw.w.jccc,
        housing_unit="HU 2",
    )
    rows = list(Movement.objects.filter(dog=pw.dog).order_by("started_on", "pk").values_list("ended_on", flat=True))
    assert rows.count(None) == 1 and rows[-1] is None
    pw.dog.refresh_from_db()
    assert pw.dog.housing_unit == "HU 2"
    with pytest.raises(IntegrityError), transaction.atomic():
        Movement.objects.create(
            dog=pw.dog, status=DogStatus.IN_TRAINING, facility=pw.w.jccc, started_on=f.TODAY, entered_by=pw.w.admin
        )


def test_a_move_before_the_current_one_began_is_refused(pw):
    with pytest.raises(ValidationError) as exc:
        services.dog_move(dog=pw.dog, status=DogStatus.RETURNED, on=dt.date(2026, 1, 8), user=pw.w.admin)
    assert "cannot be earlier" in exc.value.message_dict["on"][0]


def test_returning_a_dog_to_the_shelter_ends_its_handlers_and_location(pw):
    services.dog_move(dog=pw.dog, status=DogStatus.RETURNED, on=dt.date(2026, 2, 1), user=pw.w.admin, note="Vet care")
    pw.dog.refresh_from_db()
    assert pw.dog.facility is None and pw.dog.housing_unit == ""
    ended = HandlerAssignment.objects.filter(dog=pw.dog).values_list("end_reason", flat=True)
    assert set(ended) == {HandlerEndReason.DOG_LEFT}


def test_the_database_keeps_location_with_status(pw):
    from puppies.models import Dog

    with pytest.raises(IntegrityError), transaction.atomic():
        Dog.objects.filter(pk=pw.dog.pk).update(facility=None)


# Handlers and eligibility --------------------------------------------------------------------------------------
def test_one_open_handler_per_role_and_reassignment_ends_the_previous(pw):
    first = HandlerAssignment.objects.get(dog=pw.dog, role=HandlerRole.PRIMARY, ended_on__isnull=True)
    newcomer = f.inmate(pw.w.jccc)
    f.assign(pw.dog, newcomer, user=pw.w.staff_jccc, on=dt.date(2026, 2, 1))
    first.refresh_from_db()
    assert first.ended_on == dt.date(2026, 2, 1) and first.end_reason == HandlerEndReason.REASSIGNED
    with pytest.raises(IntegrityError), transaction.atomic():
        HandlerAssignment.objects.create(
            dog=pw.dog,
            offender=f.inmate(pw.w.jccc),
            facility=pw.w.jccc,
            role=HandlerRole.PRIMARY,
            started_on=f.TODAY,
            entered_by=pw.w.admin,
        )


def test_one_person_cannot_hold_both_roles(pw):
    with pytest.raises(ValidationError) as exc:
        f.assign(pw.dog, pw.handlers[0], user=pw.w.admin, role=HandlerRole.SECONDARY)
    assert "already the dog's primary" in exc.value.message_dict["offender"][0]


def test_a_handler_must_be_held_at_the_dogs_facility(pw):
    with pytest.raises(ValidationError) as exc:
        f.assign(pw.dog, f.inmate(pw.w.acc), user=pw.w.admin)
    assert "not held at the dog's facility" in exc.value.message_dict["offender"][0]


def test_excluded_offense_by_default_and_as_administrators_set_it(pw):
    person = f.inmate(pw.w.jccc)
    CourtCaseFactory(offender=person, offense="Animal abuse, 2nd degree")
    reasons = services.handler_eligibility(offender=person, facility=pw.w.jccc).reasons
    assert reasons == ("A court case for an offense the program excludes.",)
    EligibilityRule.objects.create(effective_on=dt.date(2026, 1, 1), excluded_offenses="arson", conduct_days=90)
    assert services.handler_eligibility(offender=person, facility=pw.w.jccc).eligible
    CourtCase.objects.filter(offender=person).update(offense="Arson 1st degree")
    assert not services.handler_eligibility(offender=person, facility=pw.w.jccc).eligible


def test_conduct_violation_bars_for_n_days(pw):
    from puppies.models import ConductViolation

    person = f.inmate(pw.w.jccc)
    ConductViolation.objects.create(
        offender=person, facility=pw.w.jccc, date=dt.date(2025, 11, 1), description="Fighting", entered_by=pw.w.admin
    )
    # Default 180 days: Nov 1 is within 180 days of Mar 2.
    assert (
        "A conduct violation in the last 180 days."
        in services.handler_eligibility(offender=person, facility=pw.w.jccc).reasons
    )
    EligibilityRule.objects.create(effective_on=dt.date(2026, 1, 1), excluded_offenses="sexual", conduct_days=90)
    assert services.handler_eligibility(offender=person, facility=pw.w.jccc).eligible  # 121 days ago > 90
    violation = ConductViolation.objects.create(
        offender=person, facility=pw.w.jccc, date=dt.date(2026, 2, 1), description="Contraband", entered_by=pw.w.admin
    )
    assert not services.handler_eligibility(offender=person, facility=pw.w.jccc).eligible
    services.violation_void(entry=violation, user=pw.w.admin, reason="Entered for the wrong person")
    assert services.handler_eligibility(offender=person, facility=pw.w.jccc).eligible


def test_an_ineligible_person_is_refused_as_handler(pw):
    person = f.inmate(pw.w.jccc)
    CourtCaseFactory(offender=person, offense="Sexual misconduct")
    with pytest.raises(ValidationError) as exc:
        f.assign(pw.dog, person, user=pw.w.admin, on=dt.date(2026, 2, 1))
    assert "excludes" in exc.value.message_dict["offender"][0]


# Continuity ---------------------------------------------------------------------------------------------------
def test_removal_by_staff_opens_a_reassign_task_the_same_day(pw):
    services.program_remove(
        offender=pw.handlers[0], facility=pw.w.jccc, on=f.TODAY, reason="Conduct violation", user=pw.w.staff_jccc
    )
    tasks = HandlerTask.objects.filter(dog=pw.dog, resolved_at__isnull=True)
    assert [(t.kind, t.opened_on, t.facility_id) for t in tasks] == [(TaskKind.REASSIGN, f.TODAY, pw.w.jccc.pk)]
    assert not services.handler_eligibility(offender=pw.handlers[0], facility=pw.w.jccc).eligible
    # Assigning a new primary resolves the task.
    f.assign(pw.dog, f.inmate(pw.w.jccc), user=pw.w.staff_jccc, on=f.TODAY)
    assert not HandlerTask.objects.filter(dog=pw.dog, resolved_at__isnull=True).exists()


def test_a_dog_left_without_an_eligible_handler_is_flagged_for_return(pw):
    from puppies.models import ConductViolation

    # The secondary handler became ineligible (a violation); then the primary is removed.
    ConductViolation.objects.create(
        offender=pw.handlers[1],
        facility=pw.w.jccc,
        date=dt.date(2026, 2, 20),
        description="Fight",
        entered_by=pw.w.admin,
    )
    services.program_remove(offender=pw.handlers[0], facility=pw.w.jccc, on=f.TODAY, reason="Fight", user=pw.w.admin)
    kinds = set(HandlerTask.objects.filter(dog=pw.dog, resolved_at__isnull=True).values_list("kind", flat=True))
    assert kinds == {TaskKind.REASSIGN, TaskKind.RETURN}


def test_training_log_and_level_stay_with_the_dog_after_reassignment(pw):
    log = services.training_log_record(
        user=pw.w.staff_jccc,
        dog=pw.dog,
        handler=pw.handlers[0],
        date=dt.date(2026, 2, 2),
        skills="Sit, down",
        minutes=45,
    )
    services.training_level_set(dog=pw.dog, level=TrainingLevel.INTERMEDIATE, user=pw.w.staff_jccc)
    services.program_remove(offender=pw.handlers[0], facility=pw.w.jccc, on=f.TODAY, reason="Fight", user=pw.w.admin)
    f.assign(pw.dog, f.inmate(pw.w.jccc), user=pw.w.staff_jccc, on=f.TODAY)
    pw.dog.refresh_from_db()
    assert pw.dog.training_level == TrainingLevel.INTERMEDIATE
    assert list(pw.dog.training_logs.all()) == [log]


def test_training_by_someone_who_was_not_the_handler_is_refused(pw):
    with pytest.raises(ValidationError) as exc:
        services.training_log_record(
            user=pw.w.staff_jccc,
            dog=pw.dog,
            handler=f.inmate(pw.w.jccc),
            date=dt.date(2026, 2, 2),
            skills="Sit",
            minutes=30,
        )
    assert "handler" in exc.value.message_dict


def test_training_minutes_out_of_range_are_refused(pw):
    with pytest.raises(ValidationError) as exc:
        services.training_log_record(
            user=pw.w.staff_jccc,
            dog=pw.dog,
            handler=pw.handlers[0],
            date=dt.date(2026, 2, 2),
            skills="Sit",
            minutes=900,
        )
    assert "minutes" in exc.value.message_dict


# CGC and graduation -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("failed_item", range(1, 11))
def test_cgc_passes_only_with_all_ten_items(pw, failed_item):
    attempt = f.cgc(pw.dog, user=pw.w.staff_jccc, fail=(failed_item,))
    pw.dog.refresh_from_db()
    assert not attempt.passed
    assert pw.dog.status == DogStatus.EXTENDED_TRAINING


def test_cgc_all_ten_pass_and_the_database_holds_to_the_rule(pw):
    from puppies.models import CgcAttempt

    attempt = f.cgc(pw.dog, user=pw.w.staff_jccc)
    assert attempt.passed
    pw.dog.refresh_from_db()
    assert pw.dog.status == DogStatus.IN_TRAINING and pw.dog.training_level == TrainingLevel.CGC_READY
    with pytest.raises(IntegrityError), transaction.atomic():
        CgcAttempt.objects.filter(pk=attempt.pk).update(item_7=False)


def test_a_dismissed_dog_does_not_pass_even_with_every_item(pw):
    attempt = f.cgc(pw.dog, user=pw.w.staff_jccc, dismissed=True)
    assert not attempt.passed
    pw.dog.refresh_from_db()
    assert pw.dog.status == DogStatus.EXTENDED_TRAINING


def test_graduation_needs_a_passed_cgc_and_moves_the_cohort(pw):
    with pytest.raises(ValidationError) as exc:
        f.graduate(pw.dog, user=pw.w.staff_jccc)
    assert "has not passed" in exc.value.message_dict["dogs"][0]
    f.cgc(pw.dog, user=pw.w.staff_jccc, fail=(3,), date=dt.date(2026, 2, 10))
    f.cgc(pw.dog, user=pw.w.staff_jccc, date=dt.date(2026, 2, 20))
    graduation = f.graduate(pw.dog, user=pw.w.staff_jccc)
    pw.dog.refresh_from_db()
    assert pw.dog.status == DogStatus.GRADUATED and list(graduation.dogs.all()) == [pw.dog]


def test_a_level_milestone_sets_the_training_level_and_stays_with_the_dog(pw):
    services.milestone_record(user=pw.w.staff_jccc, dog=pw.dog, date=dt.date(2026, 2, 1), milestone="intermediate")
    pw.dog.refresh_from_db()
    assert pw.dog.training_level == TrainingLevel.INTERMEDIATE
    services.milestone_record(user=pw.w.staff_jccc, dog=pw.dog, date=dt.date(2026, 2, 2), milestone="crate")
    pw.dog.refresh_from_db()
    assert pw.dog.training_level == TrainingLevel.INTERMEDIATE  # not a level
    with pytest.raises(ValidationError) as exc:
        services.milestone_record(user=pw.w.staff_jccc, dog=pw.dog, date=dt.date(2026, 2, 2), milestone="other")
    assert "note" in exc.value.message_dict
    services.program_remove(offender=pw.handlers[0], facility=pw.w.jccc, on=f.TODAY, reason="Fight", user=pw.w.admin)
    assert pw.dog.milestones.count() == 2
