"""Property-based: under any sequence of moves, handler assignments and ends, transfers and releases of
handlers, removals, CGC attempts, approvals and adoptions, the dogs' records stay whole:

- each dog has exactly one open movement, and its status and location are that movement's;
- a dog away from a facility has no open handler; one open handler per role, one role per person;
- every open handler is held at the dog's facility (a transfer or release ended the others);
- a dog that lost a handler and has none eligible left has an open return task;
- at most one reservation per dog, and only on a reserved dog.

A state machine drives the real services (a refused write is a ValidationError, never a broken row); the
invariants are read straight from the tables after every step.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from core.choices import OffenderStatus
from core.services import offender_release_to_supervision, offender_transfer
from puppies import services
from puppies.choices import AT_FACILITY, DogStatus, HandlerRole, TaskKind
from puppies.models import AdoptionApplication, Dog, HandlerAssignment, HandlerTask, Movement
from tests.factories import puppies as f

pytestmark = pytest.mark.django_db


@pytest.mark.django_db
def test_dogs_and_handlers_stay_whole(pw, django_capture_on_commit_callbacks):
    w = pw.w
    sites = [w.jccc, w.acc]
    pool = [f.inmate(w.jccc) for _ in range(4)] + [f.inmate(w.acc) for _ in range(3)]
    dogs = [pw.dog, pw.dog_acc]
    Dog.objects.filter(pk__in=[d.pk for d in dogs]).update(released_for_adoption=True)
    day = st.integers(min_value=0, max_value=20).map(lambda n: dt.date(2026, 2, 1) + dt.timedelta(days=n))

    class Dogs(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            self.capture = django_capture_on_commit_callbacks(execute=True)
            self.callbacks = self.capture.__enter__()
            for person in pool:  # the last example's writes were rolled back: read each person afresh
                person.refresh_from_db()
            for d in dogs:
                d.refresh_from_db()

        def teardown(self):
            self.capture.__exit__(None, None, None)
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

        def run(self, write):
            try:
                with transaction.atomic():
                    write()
            except ValidationError:
                pass
            # Deliver the offender events queued by the write (core runs them after commit).
            from core.events import deliver

            deliver()

        @rule(
            d=st.sampled_from(dogs), status=st.sampled_from(list(services.MOVABLE)), site=st.sampled_from(sites), on=day
        )
        def move(self, d, status, site, on):
            self.run(lambda: services.dog_move(dog=d, status=status, on=on, user=w.admin, facility=site, note="moved"))

        @rule(d=st.sampled_from(dogs), person=st.sampled_from(pool), role=st.sampled_from(list(HandlerRole)), on=day)
        def assign(self, d, person, role, on):
            self.run(lambda: services.handler_assign(dog=d, offender=person, role=role, on=on, user=w.admin))

        @rule(person=st.sampled_from(pool), site=st.sampled_from(sites))
        def transfer(self, person, site):
            person.refresh_from_db()
            if person.status == OffenderStatus.INCARCERATED and person.facility_id != site.pk:
                self.run(lambda: offender_transfer(offender=person, facility=site, user=w.admin))

        @rule(person=st.sampled_from(pool))
        def release(self, person):
            person.refresh_from_db()
            if person.status == OffenderStatus.INCARCERATED:
                self.run(
                    lambda: offender_release_to_supervision(offender=person, district=w.d9, officer=None, user=w.admin)
                )

        @rule(person=st.sampled_from(pool), on=day)
        def remove(self, person, on):
            person.refresh_from_db()
            if person.facility_id:
                self.run(
                    lambda: services.program_remove(
                        offender=person, facility=person.facility, on=on, reason="Fight", user=w.admin
                    )
                )

        @rule(d=st.sampled_from(dogs), fail=st.booleans(), on=day)
        def cgc(self, d, fail, on):
            self.run(lambda: f.cgc(d, user=w.admin, date=on, fail=(5,) if fail else ()))

        @rule(d=st.sampled_from(dogs), n=st.integers(min_value=1, max_value=3), adopt=st.booleans())
        def apply_and_approve(self, d, n, adopt):
            def write():
                app = f.application(d, n=n)
                services.application_approve(application=app, user=w.admin)
                if adopt:
                    services.adoption_record(application=app, adopted_on=f.TODAY, fee=0, user=w.admin)

            self.run(write)

        @invariant()
        def whole(self):
            for d in Dog.objects.filter(pk__in=[x.pk for x in dogs]):
                open_moves = list(Movement.objects.filter(dog=d, ended_on__isnull=True))
                assert len(open_moves) == 1
                m = open_moves[0]
                assert (d.status, d.facility_id, d.housing_unit) == (m.status, m.facility_id, m.housing_unit)
                handlers = list(
                    HandlerAssignment.objects.filter(dog=d, ended_on__isnull=True).select_related("offender")
                )
                if d.status not in AT_FACILITY:
                    assert handlers == []
                assert len({h.role for h in handlers}) == len(handlers)
                assert len({h.offender_id for h in handlers}) == len(handlers)
                for h in handlers:
                    assert h.offender.status == OffenderStatus.INCARCERATED
                    assert h.offender.facility_id == d.facility_id == h.facility_id
                # The current stay at this facility: the open movement and the ones before it at the same place.
                stay_start = m.started_on
                for prior in Movement.objects.filter(dog=d).order_by("-started_on", "-pk"):
                    if prior.facility_id != d.facility_id:
                        break
                    stay_start = prior.started_on
                lost = HandlerAssignment.objects.filter(
                    dog=d,
                    facility_id=d.facility_id,
                    ended_on__gte=stay_start,
                    end_reason__in=["transferred", "released", "removed"],
                )
                eligible = [
                    h
                    for h in handlers
                    if services.handler_eligibility(offender=h.offender, facility=d.facility).eligible
                ]
                if d.status in AT_FACILITY and lost.exists() and not eligible:
                    assert HandlerTask.objects.filter(dog=d, kind=TaskKind.RETURN, resolved_at__isnull=True).exists()
                reserved = AdoptionApplication.objects.filter(dog=d, reserved=True).count()
                assert reserved <= 1
                assert (reserved == 1) == (d.status == DogStatus.RESERVED)

    run_state_machine_as_test(
        Dogs,
        settings=settings(
            max_examples=12,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
