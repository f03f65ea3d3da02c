"""Continuity through core's offender-event hook: a handler transferred or released (by core's own services,
delivered after commit) leaves each dog they handled with a blocking task on the facility's dashboard that day."""

import datetime as dt

import pytest
from django.urls import reverse

from core.choices import DeliveryStatus
from core.models import Alert, OffenderEventDelivery
from core.services import offender_release_to_supervision, offender_transfer
from puppies.choices import HandlerEndReason, TaskKind
from puppies.models import HandlerAssignment, HandlerTask
from tests.factories import puppies as f

pytestmark = pytest.mark.django_db


def _open_tasks(dog):
    return sorted(HandlerTask.objects.filter(dog=dog, resolved_at__isnull=True).values_list("kind", flat=True))


def test_a_transferred_handler_gives_the_dog_a_reassign_task_the_same_day(
    pw, client_for, django_capture_on_commit_callbacks
):
    primary = pw.handlers[0]
    with django_capture_on_commit_callbacks(execute=True):
        offender_transfer(offender=primary, facility=pw.w.acc, user=pw.w.admin)
    assignment = HandlerAssignment.objects.get(dog=pw.dog, offender=primary)
    assert (assignment.ended_on, assignment.end_reason) == (f.TODAY, HandlerEndReason.TRANSFERRED)
    task = HandlerTask.objects.get(dog=pw.dog, resolved_at__isnull=True)
    assert (task.kind, task.opened_on, task.facility) == (TaskKind.REASSIGN, f.TODAY, pw.w.jccc)
    assert OffenderEventDelivery.objects.get(handler="puppies").status == DeliveryStatus.DELIVERED
    # The JCCC staff's dashboard shows it, and they were alerted; ACC's staff were not.
    page = client_for(pw.w.staff_jccc).get(reverse("core:dashboard")).content.decode()
    assert "Reassign handler" in page and "Biscuit" in page
    assert Alert.objects.filter(user=pw.w.staff_jccc, key=f"puppies:task:{task.pk}").exists()
    assert not Alert.objects.filter(user=pw.w.staff_acc).exists()
    # The other handler is still eligible: no return flag.
    assert _open_tasks(pw.dog) == [TaskKind.REASSIGN]


def test_a_released_handler_and_then_the_other_leaves_the_dog_flagged_for_return(
    pw, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        offender_release_to_supervision(
            offender=pw.handlers[0],
            district=pw.w.d9,
            officer=pw.w.officer,
            user=pw.w.admin,
            end_date=dt.date(2028, 1, 1),
        )
    assert _open_tasks(pw.dog) == [TaskKind.REASSIGN]
    with django_capture_on_commit_callbacks(execute=True):
        offender_transfer(offender=pw.handlers[1], facility=pw.w.acc, user=pw.w.admin)
    assert _open_tasks(pw.dog) == [TaskKind.REASSIGN, TaskKind.RETURN]
    assert not HandlerAssignment.objects.filter(dog=pw.dog, ended_on__isnull=True).exists()
    reasons = set(HandlerAssignment.objects.filter(dog=pw.dog).values_list("end_reason", flat=True))
    assert reasons == {HandlerEndReason.RELEASED, HandlerEndReason.TRANSFERRED}


def test_the_handler_is_idempotent(pw, django_capture_on_commit_callbacks):
    from core.models import OffenderEvent
    from puppies.services import on_offender_event

    with django_capture_on_commit_callbacks(execute=True):
        offender_transfer(offender=pw.handlers[0], facility=pw.w.acc, user=pw.w.admin)
    event = OffenderEvent.objects.get(offender=pw.handlers[0])
    on_offender_event(event)  # a retry after a partial run
    assert HandlerTask.objects.filter(dog=pw.dog).count() == 1


def test_an_event_for_someone_who_handles_no_dog_changes_nothing(pw, django_capture_on_commit_callbacks):
    person = f.inmate(pw.w.jccc)
    with django_capture_on_commit_callbacks(execute=True):
        offender_transfer(offender=person, facility=pw.w.acc, user=pw.w.admin)
    assert not HandlerTask.objects.exists()


def test_assigning_a_new_handler_resolves_the_tasks(pw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        offender_transfer(offender=pw.handlers[0], facility=pw.w.acc, user=pw.w.admin)
    f.assign(pw.dog, f.inmate(pw.w.jccc), user=pw.w.staff_jccc, on=f.TODAY)
    assert _open_tasks(pw.dog) == []
