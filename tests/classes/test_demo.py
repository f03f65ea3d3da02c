"""The demo classes: offerings in progress, a make-up, a transfer, completions; a second load changes nothing."""

import datetime as dt

import pytest
import time_machine

from classes.demo import demo_seed
from classes.models import Attendance, Enrollment, Referral, SpeakerBooking
from core.services import demo_seed as core_demo_seed

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 11, 24, 18, tzinfo=dt.UTC), tick=False)
def test_demo_classes_tell_every_story_and_load_once(django_capture_on_commit_callbacks):
    core_demo_seed(offenders=160)
    with django_capture_on_commit_callbacks(execute=True):
        assert demo_seed() > 0
    counts = (Enrollment.objects.count(), Attendance.objects.count(), Referral.objects.count())
    assert Enrollment.objects.filter(status="completed", certificate_code__isnull=False).count() == 6
    assert Enrollment.objects.filter(status="enrolled", offering__status="in_progress").exists()
    assert Attendance.objects.filter(makeup=True).exists()
    assert Attendance.objects.filter(status="not_held", not_held_reason="lockdown").exists()
    moved = Enrollment.objects.get(continues__isnull=False)
    assert moved.continues.status == "transferred" and moved.offering.facility.code == "ACC"
    assert moved.offender.facility.code == "ACC"
    assert Referral.objects.filter(status="waiting", facility__code="JCCC").count() == 5
    assert SpeakerBooking.objects.filter(status="booked").count() == 1
    assert demo_seed() == 0
    assert (Enrollment.objects.count(), Attendance.objects.count(), Referral.objects.count()) == counts
