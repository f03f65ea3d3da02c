"""Many requests for the last seats of one class at the same moment (real PostgreSQL row locks, threads)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from classes import services
from classes.choices import EnrollmentStatus
from classes.models import Enrollment
from core.choices import OffenderStatus
from tests.factories import OffenderFactory
from tests.factories.classes import offering

pytestmark = [pytest.mark.django_db(transaction=True)]
THREADS = 8


def run_at_once(target, count):
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def work(i):
        try:
            barrier.wait(timeout=10)
            results[i] = target(i)
        except ValidationError as exc:
            results[i] = exc
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results


def test_concurrent_enrollment_never_overbooks(world):
    o = offering(world.jccc, capacity=3)
    people = [
        OffenderFactory(doc_id=f"30000{i}", status=OffenderStatus.INCARCERATED, facility=world.jccc, district=None)
        for i in range(THREADS)
    ]

    results = run_at_once(
        lambda i: services.enrollment_enroll(user=world.staff_jccc, offering=o, offender=people[i]), THREADS
    )
    enrolled = [r for r in results if isinstance(r, Enrollment)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(enrolled) == 3 and len(refused) == THREADS - 3
    assert all("full" in " ".join(r.messages) for r in refused)
    assert Enrollment.objects.filter(offering=o, status=EnrollmentStatus.ENROLLED).count() == 3


def test_one_person_enrolled_at_once_in_two_classes_gets_one_seat(world):
    classes = [offering(world.jccc, title=f"Class {i}", capacity=5) for i in range(4)]
    person = OffenderFactory(doc_id="3000100", status=OffenderStatus.INCARCERATED, facility=world.jccc, district=None)
    results = run_at_once(
        lambda i: services.enrollment_enroll(user=world.staff_jccc, offering=classes[i], offender=person), 4
    )
    assert sum(isinstance(r, Enrollment) for r in results) == 1
    assert Enrollment.objects.filter(offender=person, status=EnrollmentStatus.ENROLLED).count() == 1
