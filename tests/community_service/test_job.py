"""The nightly pace job: one snapshot row per open order and date, a rerun replaces it, alerts and one
e-mail per officer only for orders newly BEHIND or PAST DUE."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from community_service import services
from community_service.models import Order, PaceSnapshot
from community_service.services import pace_snapshot_run
from core.choices import JobOutcome
from core.jobs import JOBS, job_run
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


def _sheet():
    return ContentFile(b"%PDF-1.4 signed sheet", name="sheet.pdf")


def credited_total(order):
    order.refresh_from_db()
    return order.credited_total


def test_each_decision_and_void_keeps_the_orders_credited_total(world, cs):
    assert credited_total(cs.order) == 0
    first = log(cs.order, cs.place, dt.date(2026, 5, 1), "12.00", user=world.officer)
    pending = log(cs.order, cs.place, dt.date(2026, 5, 2), "3.50", user=world.officer, verified=False)
    assert credited_total(cs.order) == Decimal("12.00")  # reported hours count nowhere
    services.hour_log_decide(log=pending, approve=True, method="signed_sheet", user=world.officer, sheet=_sheet())
    assert credited_total(cs.order) == Decimal("15.50")
    services.hour_log_void(log=first, user=world.officer, reason="Entered on the wrong order")
    assert credited_total(cs.order) == Decimal("3.50")
    rejected = log(cs.order, cs.place, dt.date(2026, 5, 3), "2.00", user=world.officer, verified=False)
    services.hour_log_decide(log=rejected, approve=False, method="signed_sheet", user=world.officer, note="Absent")
    assert credited_total(cs.order) == Decimal("3.50")
    assert credited_total(cs.order_d10) == 0  # another order's total is untouched
    # Every total agrees with the logs: the nightly check finds nothing.
    assert job_run(name="hours_check", run_date=dt.date(2026, 6, 1)).rows == Order.objects.count()
    assert not Alert.objects.filter(key__contains="hours-check").exists()


def test_the_pace_reads_the_total_less_the_hours_dated_after_its_day(world, cs):
    log(cs.order, cs.place, dt.date(2026, 3, 2), "10.00", user=world.officer)
    log(cs.order, cs.place, dt.date(2026, 6, 1), "6.00", user=world.officer)
    pace_snapshot_run(as_of=dt.date(2026, 5, 1), notify=False)  # a night rerun after the June hours came in
    row = PaceSnapshot.objects.get(as_of=dt.date(2026, 5, 1), order=cs.order)
    assert (row.credited, row.recent) == (Decimal("10.00"), Decimal("0.00"))
    pace_snapshot_run(as_of=dt.date(2026, 6, 1), notify=False)
    row = PaceSnapshot.objects.get(as_of=dt.date(2026, 6, 1), order=cs.order)
    assert (row.credited, row.recent) == (Decimal("16.00"), Decimal("6.00"))


def test_the_hours_check_sets_right_a_total_that_differs_and_tells_the_administrators(world, cs):
    assert JOBS["hours_check"].hour == 2 and JOBS["hours_check"].minute < JOBS["community_service"].minute
    log(cs.order, cs.place, dt.date(2026, 5, 1), "12.00", user=world.officer)
    Order.objects.filter(pk=cs.order.pk).update(credited_total=Decimal("40.00"))
    Order.objects.filter(pk=cs.order_d10.pk).update(credited_total=Decimal("1.00"))
    run = job_run(name="hours_check", run_date=dt.date(2026, 6, 16))
    assert run.outcome == JobOutcome.SUCCESS
    assert (credited_total(cs.order), credited_total(cs.order_d10)) == (Decimal("12.00"), 0)
    alert = Alert.objects.get(key="community_service:hours-check:2026-06-16")
    assert alert.user == world.admin
    assert f"{cs.order.pk}, {cs.order_d10.pk}." in alert.body
    job_run(name="hours_check", run_date=dt.date(2026, 6, 17))
    assert not Alert.objects.filter(key="community_service:hours-check:2026-06-17").exists()
