"""The nightly job ``boards``: tracked conditions refreshed for every active agreement, alerts for
conditions past due and agreements at mid-term to the coordinator and the supervising officer; a rerun of
a date gives the same result and no duplicate alert."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from boards import services
from boards.choices import ConditionKind, ConditionStatus
from core.choices import JobOutcome
from core.jobs import JOBS
from core.models import Alert, JobRun
from tests.factories import boards as bf
from tests.factories.classes import attend_all, enroll, offering

pytestmark = pytest.mark.django_db


def test_the_job_runs_at_half_past_two():
    job = JOBS["boards"]
    assert (job.hour, job.minute) == (2, 30)


def _agreement(world, case, coordinator, district, conditions):
    board = bf.board(district, coordinator, quorum=1)
    member = bf.member(board, user=coordinator)
    referral = bf.accepted(board, case, user=coordinator)
    meeting = services.meeting_record(
        user=coordinator, referral=referral, date=dt.date(2026, 3, 1), place="Library", present=[member]
    )
    # 90 days: due May 30, mid-term Apr 15
    return services.agreement_approve(user=coordinator, meeting=meeting, conditions=conditions)


def alerts(user):
    return sorted(Alert.objects.filter(user=user).values_list("key", "title"))


def test_the_job_meets_conditions_and_alerts_once_per_date(world):
    from classes import services as classes
    from core.choices import Role
    from tests.factories import UserFactory

    agreement = _agreement(
        world,
        world.case,
        world.boards,
        world.d9,
        [
            services.NewCondition(kind=ConditionKind.APOLOGY, description="Letter", due_on=dt.date(2026, 3, 20)),
            services.NewCondition(kind=ConditionKind.CLASS, description="Victim impact class"),
            services.NewCondition(kind=ConditionKind.SERVICE_HOURS, description="Food bank", hours=Decimal("5")),
        ],
    )
    boards_d10 = UserFactory(username="boards.d10", role=Role.BOARD_COORDINATOR, district=world.d10)
    other = _agreement(
        world,
        world.case_d10,
        boards_d10,
        world.d10,
        [services.NewCondition(kind=ConditionKind.OTHER, description="Essay", due_on=dt.date(2026, 3, 10))],
    )
    o = offering(world.acc)
    e = enroll(o, world.supervised)
    attend_all(o, world.supervised)
    classes.enrollment_complete(enrollment=e, user=world.admin, on=dt.date(2026, 3, 15))

    call_command("run_job", "boards", "--date", "2026-03-21")
    by_kind = dict(agreement.conditions.values_list("kind", "status"))
    assert by_kind == {
        ConditionKind.APOLOGY: ConditionStatus.OPEN,
        ConditionKind.CLASS: ConditionStatus.MET,
        ConditionKind.SERVICE_HOURS: ConditionStatus.OPEN,
    }
    apology = agreement.conditions.get(kind=ConditionKind.APOLOGY)
    name = f"{world.supervised.first_name} {world.supervised.last_name}"
    expected = [
        (f"boards:past-due:{apology.pk}", f"{name}: a board agreement's condition is past due (apology letter)")
    ]
    assert alerts(world.boards) == expected
    assert alerts(world.officer) == expected
    assert Alert.objects.get(user=world.officer).link == agreement.get_absolute_url()
    essay = other.conditions.get()
    assert [k for k, _ in alerts(boards_d10)] == [f"boards:past-due:{essay.pk}"]
    assert [k for k, _ in alerts(world.officer_d10)] == [f"boards:past-due:{essay.pk}"]

    state = sorted(Alert.objects.values_list("user_id", "key"))
    conditions = sorted(services.Condition.objects.values_list("pk", "status", "met_on"))
    call_command("run_job", "boards", "--date", "2026-03-21")  # rerun: the same
    assert sorted(Alert.objects.values_list("user_id", "key")) == state
    assert sorted(services.Condition.objects.values_list("pk", "status", "met_on")) == conditions

    call_command("run_job", "boards", "--date", "2026-04-14")  # a day before mid-term: nothing new
    assert sorted(Alert.objects.values_list("user_id", "key")) == state
    call_command("run_job", "boards", "--date", "2026-04-15")
    call_command("run_job", "boards", "--date", "2026-04-16")
    mid = f"boards:mid-term:{agreement.pk}"
    assert (mid, f"{name}: a board agreement is at mid-term") in alerts(world.boards)
    assert Alert.objects.filter(key=mid).count() == 2  # the coordinator and the officer, once
    assert not Alert.objects.filter(user=boards_d10, key=mid).exists()
    assert set(JobRun.objects.filter(job="boards").values_list("outcome", flat=True)) == {JobOutcome.SUCCESS}


def test_a_closed_agreement_is_left_alone(world):
    agreement = _agreement(
        world,
        world.case,
        world.boards,
        world.d9,
        [services.NewCondition(kind=ConditionKind.OTHER, description="Essay", due_on=dt.date(2026, 3, 10))],
    )
    services.agreement_close(
        user=world.boards, agreement=agreement, on=dt.date(2026, 3, 5), outcome="failed", assessment="Did not come."
    )
    assert services.nightly_run(as_of=dt.date(2026, 5, 1)) == 0
    assert not Alert.objects.exists()
