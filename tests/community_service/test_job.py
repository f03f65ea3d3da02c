"""The nightly pace job: one snapshot row per open order and date, a rerun replaces it, alerts and one
e-mail per officer only for orders newly BEHIND or PAST DUE."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from community_service.models import PaceSnapshot
from core.choices import JobOutcome
from core.jobs import JOBS
from core.models import Alert, JobRun
from tests.factories.community_service import OrderFactory, log

pytestmark = pytest.mark.django_db


def rows(day):
    return list(
        PaceSnapshot.objects.filter(as_of=day)
        .order_by("order_id")
        .values_list("order_id", "expected", "credited", "behind", "projected_on", "status", "previous_status")
    )


def test_the_job_runs_at_a_quarter_past_two():
    job = JOBS["community_service"]
    assert (job.hour, job.minute) == (2, 15)


def test_rerunning_a_date_gives_the_same_snapshot_and_no_duplicate_alerts(world, cs, mailoutbox):
    # officer.d9's person: 100 hours over 2026; 20 credited by Jun 15 (45.33 expected): behind.
    log(cs.order, cs.place, dt.date(2026, 5, 1), "12.00", user=world.officer)
    log(cs.order, cs.place, dt.date(2026, 6, 1), "8.00", user=world.officer)
    log(cs.order, cs.place, dt.date(2026, 6, 2), "8.00", user=world.officer, verified=False)  # reported only
    # officer.d10's person: 40 hours, 30 credited: on pace.
    log(cs.order_d10, cs.place_d10, dt.date(2026, 6, 1), "15.00", user=world.admin)
    log(cs.order_d10, cs.place_d10, dt.date(2026, 6, 2), "15.00", user=world.admin)
    day = dt.date(2026, 6, 15)
    call_command("run_job", "community_service", "--date", day.isoformat())
    first = rows(day)
    assert [(r[0], r[2], r[5]) for r in first] == [
        (cs.order.pk, 20, "behind"),
        (cs.order_d10.pk, 30, "on_pace"),
    ]
    # 165 of 364 days: 45.33 expected, 25.33 behind (more than 10 of 100).
    assert (first[0][1], first[0][3]) == (Decimal("45.33"), Decimal("25.33"))
    alerts = list(Alert.objects.filter(user=world.officer))
    assert len(alerts) == 1
    assert alerts[0].title.startswith(f"{world.supervised.first_name} {world.supervised.last_name} is behind")
    assert alerts[0].link == cs.order.get_absolute_url()
    assert not Alert.objects.filter(user=world.officer_d10).exists()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [world.officer.email]
    assert "1 order newly behind on community service" in mailoutbox[0].subject

    call_command("run_job", "community_service", "--date", day.isoformat())
    assert rows(day) == first
    assert Alert.objects.filter(user=world.officer).count() == 1
    assert len(mailoutbox) == 1
    assert list(JobRun.objects.filter(job="community_service").values_list("outcome", "rows")) == [
        (JobOutcome.SUCCESS, 2),
        (JobOutcome.SUCCESS, 2),
    ]


def test_only_a_new_fall_alerts_and_past_due_is_new(world, cs, mailoutbox):
    short = OrderFactory(
        case=world.case, hours_ordered="10.00", ordered_on=dt.date(2026, 1, 1), due_on=dt.date(2026, 6, 1)
    )
    call_command("run_job", "community_service", "--date", "2026-05-31")
    assert Alert.objects.filter(user=world.officer).count() == 2  # both orders behind on the first night
    call_command("run_job", "community_service", "--date", "2026-06-01")
    assert Alert.objects.filter(user=world.officer).count() == 2  # still behind: nothing new
    call_command("run_job", "community_service", "--date", "2026-06-02")
    new = Alert.objects.filter(user=world.officer).order_by("-pk").first()
    assert Alert.objects.filter(user=world.officer).count() == 3
    assert "is past due on community service: 10.00 of 10.00 hours left" in new.title
    assert (
        dict(PaceSnapshot.objects.filter(as_of=dt.date(2026, 6, 2)).values_list("order_id", "previous_status"))[
            short.pk
        ]
        == "behind"
    )
    assert len(mailoutbox) == 3


def test_a_person_without_officer_alerts_the_district_supervisors(world, cs):
    world.supervised.supervising_officer = None
    world.supervised.save()
    call_command("run_job", "community_service", "--date", "2026-06-15")
    assert Alert.objects.filter(user=world.supervisor).count() == 1
    assert "No supervising officer is assigned" in Alert.objects.get(user=world.supervisor).body
    assert not Alert.objects.filter(user=world.supervisor_d10).exists()


def test_closed_orders_are_left_out(world, cs):
    from community_service.services import order_close

    order_close(order=cs.order, user=world.admin, status="converted", closed_on=dt.date(2026, 6, 1))
    call_command("run_job", "community_service", "--date", "2026-06-15")
    assert [r[0] for r in rows(dt.date(2026, 6, 15))] == [cs.order_d10.pk]
