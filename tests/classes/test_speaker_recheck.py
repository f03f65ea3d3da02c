"""The guest speaker conflict check runs again when someone joins a session's roster after a speaker was
booked (an enrollment, a make-up): a hit blocks the booking, even one victim services had cleared, until
victim services clears it again. Only the sessions whose roster the person joins are checked."""

import datetime as dt

import pytest

from classes import services
from classes.choices import BookingStatus
from classes.models import SpeakerBooking
from core.choices import OffenderStatus
from tests.factories import OffenderFactory
from tests.factories.classes import enroll, mark, offering, speaker
from tests.factories.victims import NAME, make_victim

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(world, time_machine):
    """An ACC class starting Mar 2, 2026 (clock on Mar 1), with a person enrolled who is no conflict, and
    a volunteer who is the victim on officer.d9's and officer.d10's people's cases booked for its first
    two sessions: booked at once."""
    time_machine.move_to(dt.datetime(2026, 3, 1, 15, 0, tzinfo=dt.UTC))
    o = offering(world.acc)
    enroll(o, OffenderFactory(doc_id="4200001", status=OffenderStatus.INCARCERATED, facility=world.acc, district=None))
    make_victim(cases=[world.case, world.case_d10])
    volunteer = speaker(name=NAME.upper(), phone="573 555 9999")
    first, second = o.sessions.order_by("date")[:2]
    bookings = [services.speaker_book(user=world.victims, speaker=volunteer, session=s) for s in (first, second)]
    assert [b.status for b in bookings] == [BookingStatus.BOOKED, BookingStatus.BOOKED]
    return o, bookings


def states(bookings):
    return [SpeakerBooking.objects.values_list("status", flat=True).get(pk=b.pk) for b in bookings]


def test_an_enrollment_after_the_booking_blocks_it_until_victim_services_clears_it(world, booked, time_machine):
    o, bookings = booked
    enroll(o, world.supervised)
    assert states(bookings) == [BookingStatus.BLOCKED, BookingStatus.BLOCKED]
    first = SpeakerBooking.objects.get(pk=bookings[0].pk)
    assert first.conflict_references.startswith("victims:C-")
    assert first.history.first().history_change_reason.startswith("Blocked again")
    services.speaker_booking_clear(booking=first, user=world.victims, note="Reviewed")
    # Another person who is no conflict changes nothing; the cleared booking stays booked.
    enroll(o, OffenderFactory(doc_id="4200002", status=OffenderStatus.INCARCERATED, facility=world.acc, district=None))
    assert states(bookings) == [BookingStatus.BOOKED, BookingStatus.BLOCKED]


def test_a_cleared_booking_is_blocked_again_by_a_new_conflict(world, booked):
    o, bookings = booked
    enroll(o, world.supervised)
    services.speaker_booking_clear(booking=bookings[0], user=world.victims, note="Reviewed")
    first = SpeakerBooking.objects.get(pk=bookings[0].pk)
    assert first.cleared_by == world.victims
    before = first.conflict_references
    enroll(o, world.supervised_d10)
    first.refresh_from_db()
    assert first.status == BookingStatus.BLOCKED and first.cleared_by is None and first.cleared_at is None
    assert first.conflict_references.startswith(before + ", victims:C-")  # the new reference added


def test_a_makeup_joining_a_session_blocks_its_speaker(world, booked, time_machine):
    _offering, bookings = booked
    elsewhere = offering(world.jccc, title="JCCC class")
    enroll(elsewhere, world.supervised_d10)
    time_machine.move_to(dt.datetime(2026, 3, 9, 15, 0, tzinfo=dt.UTC))  # the day of the second session
    mark(bookings[1].session, world.supervised_d10)  # a make-up of the second session's topic at ACC
    assert states(bookings) == [BookingStatus.BOOKED, BookingStatus.BLOCKED]


def test_sessions_before_the_enrollment_are_not_checked_again(world, booked, time_machine):
    o, bookings = booked
    time_machine.move_to(dt.datetime(2026, 3, 5, 15, 0, tzinfo=dt.UTC))  # the first session was Mar 2
    enroll(o, world.supervised, on=dt.date(2026, 3, 3))
    assert states(bookings) == [BookingStatus.BOOKED, BookingStatus.BLOCKED]
