"""The applications workflow and adoptions: statuses, one open application per dog and household, one exclusive
reservation per dog (also under concurrent approvals, on PostgreSQL with threads), adoption through the
owning shelter closing the other applications with a polite e-mail, follow-ups and returns."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from puppies import services
from puppies.choices import ApplicationStatus, DogStatus, HandlerEndReason, MailKind
from puppies.models import Adoption, AdoptionApplication, ApplicationMail, HandlerAssignment
from tests.factories import puppies as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(pw):
    from puppies.models import Dog

    Dog.objects.filter(pk=pw.dog.pk).update(released_for_adoption=True)
    pw.dog.refresh_from_db()
    return pw


def test_statuses_move_forward_and_approval_reserves(listed):
    app = f.application(listed.dog)
    staff = listed.w.staff_jccc
    for status in (ApplicationStatus.SCREENING, ApplicationStatus.MEET_AND_GREET, ApplicationStatus.HOME_CHECK):
        app = services.application_advance(application=app, status=status, user=staff, note=f"Step {status}")
        assert app.status == status
    services.application_approve(application=app, user=staff)
    app.refresh_from_db()
    listed.dog.refresh_from_db()
    assert (app.status, app.reserved, listed.dog.status) == (ApplicationStatus.APPROVED, True, DogStatus.RESERVED)
    assert listed.dog.facility == listed.w.jccc  # still at the facility until adopted
    with pytest.raises(ValidationError):
        services.application_advance(application=app, status=ApplicationStatus.SCREENING, user=staff)


def test_a_second_approval_for_the_same_dog_is_refused(listed):
    first, second = f.application(listed.dog), f.application(listed.dog)
    services.application_approve(application=first, user=listed.w.staff_jccc)
    with pytest.raises(ValidationError) as exc:
        services.application_approve(application=second, user=listed.w.staff_jccc)
    assert "already reserved" in exc.value.messages[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        AdoptionApplication.objects.filter(pk=second.pk).update(status=ApplicationStatus.APPROVED, reserved=True)


def test_declining_the_reservation_makes_the_dog_available_again(listed):
    app = f.application(listed.dog)
    services.application_approve(application=app, user=listed.w.staff_jccc)
    services.application_close(application=app, status=ApplicationStatus.DECLINED, user=listed.w.staff_jccc)
    listed.dog.refresh_from_db()
    assert listed.dog.status == DogStatus.IN_TRAINING
    assert services.dog_takes_applications(listed.dog)


def test_one_open_application_per_dog_and_household_then_a_new_one_after_withdrawal(listed):
    app = f.application(listed.dog, address="5 Birch Lane", zip_code="65201")
    with pytest.raises(ValidationError):
        f.application(listed.dog, address="5 birch ln", zip_code="65201", name="Another Member")
    services.application_close(application=app, status=ApplicationStatus.WITHDRAWN, user=listed.w.staff_jccc)
    again = f.application(listed.dog, address="5 birch ln", zip_code="65201")
    assert again.status == ApplicationStatus.NEW
    # The same household may apply for another dog.
    from puppies.models import Dog

    Dog.objects.filter(pk=listed.dog_acc.pk).update(released_for_adoption=True)
    listed.dog_acc.refresh_from_db()
    assert f.application(listed.dog_acc, address="5 Birch Lane", zip_code="65201").pk


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_reserve_the_dog_once(world):
    """Eight staff approve eight applications for one dog at the same moment: exactly one reservation."""
    shelter = f.shelter(world.jccc)
    dog, _ = f.placed_dog(shelter, world.jccc, user=world.staff_jccc, released_for_adoption=True)
    apps = [f.application(dog) for _ in range(8)]
    barrier = threading.Barrier(len(apps))
    outcomes = []

    def approve(app):
        try:
            barrier.wait(timeout=10)
            services.application_approve(application=app, user=world.staff_jccc)
            outcomes.append("approved")
        except (ValidationError, IntegrityError) as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(app,)) for app in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert outcomes.count("approved") == 1, outcomes
    assert len(outcomes) == 8
    assert AdoptionApplication.objects.filter(dog=dog, reserved=True).count() == 1
    dog.refresh_from_db()
    assert dog.status == DogStatus.RESERVED
    assert dog.movements.filter(status=DogStatus.RESERVED).count() == 1


def test_adoption_converts_the_reservation_and_closes_the_others_politely(listed, django_capture_on_commit_callbacks):
    winner, other, third = f.application(listed.dog), f.application(listed.dog), f.application(listed.dog)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        adoption = f.adopt(winner, user=listed.w.staff_jccc, fee=Decimal("85.00"))
    assert (adoption.shelter, adoption.fee, adoption.adopted_on) == (listed.shelter, Decimal("85.00"), f.TODAY)
    assert adoption.adopter_name == winner.name
    statuses = dict(AdoptionApplication.objects.values_list("pk", "status"))
    assert statuses == {
        winner.pk: ApplicationStatus.ADOPTED,
        other.pk: ApplicationStatus.DECLINED,
        third.pk: ApplicationStatus.DECLINED,
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted([other.email, third.email])
    assert all("found a home" in m.subject for m in mail.outbox)
    assert ApplicationMail.objects.filter(kind=MailKind.CLOSED).count() == 2
    listed.dog.refresh_from_db()
    assert (listed.dog.status, listed.dog.facility) == (DogStatus.ADOPTED, None)
    assert not HandlerAssignment.objects.filter(dog=listed.dog, ended_on__isnull=True).exists()
    assert set(HandlerAssignment.objects.filter(dog=listed.dog).values_list("end_reason", flat=True)) == {
        HandlerEndReason.DOG_LEFT
    }


def test_only_the_reserved_application_becomes_an_adoption(listed):
    app = f.application(listed.dog)
    with pytest.raises(ValidationError):
        services.adoption_record(application=app, adopted_on=f.TODAY, fee=Decimal("10"), user=listed.w.admin)
    assert not Adoption.objects.exists()


def test_a_negative_fee_is_refused(listed):
    app = f.application(listed.dog)
    services.application_approve(application=app, user=listed.w.admin)
    with pytest.raises(ValidationError) as exc:
        services.adoption_record(application=app, adopted_on=f.TODAY, fee=Decimal("-1"), user=listed.w.admin)
    assert "fee" in exc.value.message_dict


def test_follow_ups_and_a_return_with_its_reason(listed):
    adoption = f.adopt(f.application(listed.dog), user=listed.w.staff_jccc)
    with pytest.raises(ValidationError):
        services.adoption_followup(adoption=adoption, days=45, done_on=f.TODAY, note="Fine", user=listed.w.admin)
    with pytest.raises(ValidationError):
        services.adoption_followup(adoption=adoption, days=30, done_on=f.TODAY, note=" ", user=listed.w.admin)
    services.adoption_followup(adoption=adoption, days=30, done_on=f.TODAY, note="Settled in", user=listed.w.admin)
    adoption.refresh_from_db()
    assert adoption.followup_30_on == f.TODAY and adoption.followup_30_due == f.TODAY + dt.timedelta(days=30)
    with pytest.raises(ValidationError):
        services.adoption_return(adoption=adoption, returned_on=f.TODAY, reason="", user=listed.w.admin)
    services.adoption_return(adoption=adoption, returned_on=f.TODAY, reason="Allergies", user=listed.w.admin)
    listed.dog.refresh_from_db()
    assert listed.dog.status == DogStatus.RETURNED and listed.dog.facility is None
    with pytest.raises(IntegrityError), transaction.atomic():
        Adoption.objects.filter(pk=adoption.pk).update(return_reason="")
