"""The nightly job: one snapshot row per open obligation and date, alerts and one email per officer."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from core.choices import JobOutcome
from core.jobs import JOBS, job_run
from core.models import Alert, JobRun
from restitution.models import ComplianceSnapshot, Obligation
from restitution.selectors import compliance_for
from tests.factories.restitution import pay

pytestmark = pytest.mark.django_db


def snapshot_rows(day):
    return list(
        ComplianceSnapshot.objects.filter(as_of=day)
        .order_by("obligation_id")
        .values_list(
            "obligation_id", "paid", "balance", "expected", "arrears", "days_past_due", "past_due_since", "status"
        )
    )


def test_the_job_is_registered_for_two_in_the_morning():
    job = JOBS["compliance"]
    assert (job.hour, job.minute) == (2, 0)


def test_running_a_date_twice_gives_the_same_snapshot_and_no_duplicate_alerts(world, book, mailoutbox):
    day = dt.date(2026, 6, 15)
    call_command("run_job", "compliance", "--date", day.isoformat())
    first = snapshot_rows(day)
    assert len(first) == 3  # every open obligation: two of officer.d9's person, one of officer.d10's
    assert {r[0]: r[7] for r in first} == {
        book.restitution.pk: "delinquent",
        book.cvcf.pk: "delinquent",
        book.other.pk: "current",
    }
    alerts = list(Alert.objects.filter(user=world.officer))
    assert len(alerts) == 2
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [world.officer.email]
    assert "2 new restitution delinquencies" in mailoutbox[0].subject
    assert "$400.00 past due since Mar 15, 2026 (on Jun 15, 2026)" in mailoutbox[0].body
    # Issue 17, item 11: the alert says which night its figures are from, and what the arrears are.
    alert = Alert.objects.filter(user=world.officer).order_by("pk").first()
    assert "On Jun 15, 2026, the night it turned delinquent:" in alert.body
    assert "The caseload shows the arrears as of the day you open it." in alert.body

    call_command("run_job", "compliance", "--date", day.isoformat())
    assert snapshot_rows(day) == first
    assert Alert.objects.filter(user=world.officer).count() == 2
    assert len(mailoutbox) == 1
    assert list(JobRun.objects.filter(job="compliance").values_list("outcome", "rows")) == [
        (JobOutcome.SUCCESS, 3),
        (JobOutcome.SUCCESS, 3),
    ]


def test_a_rerun_replaces_the_dates_rows_with_what_the_ledger_now_says(world, book):
    day = dt.date(2026, 6, 15)
    job_run(name="compliance", run_date=day)
    pay(world.supervised, "400.00", day, user=world.officer)
    job_run(name="compliance", run_date=day)
    rows = {r[0]: r for r in snapshot_rows(day)}
    assert len(rows) == 3
    assert rows[book.restitution.pk][1] == Decimal("600.00")
    assert rows[book.restitution.pk][7] == "current"
    assert ComplianceSnapshot.objects.filter(as_of=day).count() == 3


def test_only_obligations_that_became_delinquent_raise_an_alert(world, book, mailoutbox):
    # May 13: the restitution is 59 days past due (late); the CVCF judgment is already delinquent.
    job_run(name="compliance", run_date=dt.date(2026, 5, 13))
    assert [a.key.rsplit(":", 1)[1] for a in Alert.objects.all()] == [str(book.cvcf.pk)]
    mailoutbox.clear()
    job_run(name="compliance", run_date=dt.date(2026, 5, 14))
    keys = list(Alert.objects.order_by("pk").values_list("key", flat=True))
    assert keys == [
        f"restitution:delinquent:2026-05-13:{book.cvcf.pk}",
        f"restitution:delinquent:2026-05-14:{book.restitution.pk}",
    ]
    assert len(mailoutbox) == 1
    assert "1 new restitution delinquency" in mailoutbox[0].subject


def test_the_snapshot_agrees_with_the_live_figures(world, book):
    day = dt.date(2026, 6, 15)
    job_run(name="compliance", run_date=day)
    live = {f.obligation_id: f for f in compliance_for(day, Obligation.objects.all())}
    for s in ComplianceSnapshot.objects.filter(as_of=day):
        f = live[s.obligation_id]
        assert (s.paid, s.balance, s.expected, s.arrears, s.days_past_due, s.past_due_since, s.status) == (
            f.paid,
            f.balance,
            f.expected,
            f.arrears,
            f.days_past_due,
            f.past_due_since,
            f.status,
        )


def test_obligations_closed_before_the_date_are_left_out(world, book):
    pay(world.supervised_d10, "250.00", dt.date(2026, 6, 2), user=world.officer_d10)  # pays the rest
    job_run(name="compliance", run_date=dt.date(2026, 6, 2))
    job_run(name="compliance", run_date=dt.date(2026, 6, 3))
    assert ComplianceSnapshot.objects.get(as_of=dt.date(2026, 6, 2), obligation=book.other).status == "paid_in_full"
    assert not ComplianceSnapshot.objects.filter(as_of=dt.date(2026, 6, 3), obligation=book.other).exists()


def test_each_row_keeps_the_status_of_the_snapshot_before(world, book):
    job_run(name="compliance", run_date=dt.date(2026, 5, 13))
    job_run(name="compliance", run_date=dt.date(2026, 5, 14))
    first = ComplianceSnapshot.objects.get(as_of=dt.date(2026, 5, 13), obligation=book.restitution)
    second = ComplianceSnapshot.objects.get(as_of=dt.date(2026, 5, 14), obligation=book.restitution)
    assert (first.previous_status, first.status) == ("", "late")
    assert (second.previous_status, second.status) == ("late", "delinquent")
    became = ComplianceSnapshot.objects.filter(ComplianceSnapshot.BECAME_DELINQUENT)
    assert sorted(became.values_list("as_of", "obligation_id")) == [
        (dt.date(2026, 5, 13), book.cvcf.pk),
        (dt.date(2026, 5, 14), book.restitution.pk),
    ]


def test_a_person_with_no_officer_is_reported_to_the_districts_supervisors(world, book, mailoutbox):
    world.supervised.supervising_officer = None
    world.supervised.save()
    job_run(name="compliance", run_date=dt.date(2026, 6, 15))
    alerts = Alert.objects.filter(key__startswith="restitution:delinquent:")
    assert sorted(alerts.values_list("user__username", flat=True)) == ["supervisor.d9", "supervisor.d9"]
    assert all("No supervising officer is assigned" in a.body for a in alerts)
    assert [m.to for m in mailoutbox] == [[world.supervisor.email]]
    assert not Alert.objects.filter(user=world.officer).exists()


def test_the_running_totals_are_read_only_up_to_the_date(world, book):
    # A payment dated after the snapshot's date is not counted in it, although the total includes it.
    book.restitution.refresh_from_db()
    totals = (book.restitution.paid_total, book.restitution.last_allocated_on)
    assert totals == (Decimal("200.00"), dt.date(2026, 2, 15))
    job_run(name="compliance", run_date=dt.date(2026, 2, 1))
    snap = ComplianceSnapshot.objects.get(as_of=dt.date(2026, 2, 1), obligation=book.restitution)
    assert snap.paid == Decimal("100.00")


def test_history_reads_the_latest_nights_by_date(world, book):
    from restitution.selectors import snapshot_dates, snapshot_history

    for day in (dt.date(2026, 5, 12), dt.date(2026, 5, 13), dt.date(2026, 5, 14)):
        job_run(name="compliance", run_date=day)
    assert snapshot_dates(2) == [dt.date(2026, 5, 14), dt.date(2026, 5, 13)]
    assert snapshot_dates(5, before=dt.date(2026, 5, 13)) == [dt.date(2026, 5, 13), dt.date(2026, 5, 12)]
    rows = list(snapshot_history([book.restitution, book.cvcf], nights=2).values_list("as_of", "obligation_id"))
    assert rows == [
        (dt.date(2026, 5, 14), book.restitution.pk),
        (dt.date(2026, 5, 14), book.cvcf.pk),
        (dt.date(2026, 5, 13), book.restitution.pk),
        (dt.date(2026, 5, 13), book.cvcf.pk),
    ]


def test_the_ledger_check_finds_and_sets_right_a_running_total_that_differs(world, book):
    assert job_run(name="ledger_check", run_date=dt.date(2026, 6, 15)).rows == 3
    assert not Alert.objects.filter(key__startswith="restitution:ledger-check:").exists()
    Obligation.objects.filter(pk=book.restitution.pk).update(paid_total=Decimal("900.00"))
    run = job_run(name="ledger_check", run_date=dt.date(2026, 6, 16))
    assert run.outcome == JobOutcome.SUCCESS
    book.restitution.refresh_from_db()
    assert book.restitution.paid_total == Decimal("200.00")
    alert = Alert.objects.get(key="restitution:ledger-check:2026-06-16")
    assert alert.user == world.admin
    assert str(book.restitution.pk) in alert.body
    # A last allocation date that went missing is found too; a clean ledger raises nothing.
    Obligation.objects.filter(pk=book.restitution.pk).update(last_allocated_on=None)
    job_run(name="ledger_check", run_date=dt.date(2026, 6, 17))
    book.restitution.refresh_from_db()
    assert book.restitution.last_allocated_on == dt.date(2026, 2, 15)
    assert Alert.objects.filter(key="restitution:ledger-check:2026-06-17").exists()
    job_run(name="ledger_check", run_date=dt.date(2026, 6, 18))
    assert not Alert.objects.filter(key="restitution:ledger-check:2026-06-18").exists()


def test_the_job_runs_with_sql_logging_on(world, book):
    # DEBUG (make run) logs each statement with its parameters interpolated: the SQL must survive it.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert job_run(name="compliance", run_date=dt.date(2026, 6, 15)).rows == 3
        compliance_for(dt.date(2026, 6, 15), Obligation.objects.all())
    assert any("restitution_compliancesnapshot" in q["sql"] for q in ctx.captured_queries)


def partitions():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i
               JOIN pg_class c ON c.oid = i.inhrelid
               WHERE i.inhparent = 'restitution_compliancesnapshot'::regclass ORDER BY 1"""
        )
        return cursor.fetchall()


def test_each_night_is_a_partition_of_its_own_and_a_rerun_replaces_it(world, book):
    job_run(name="compliance", run_date=dt.date(2026, 5, 13))
    job_run(name="compliance", run_date=dt.date(2026, 5, 14))
    assert partitions() == [
        ("restitution_compliancesnapshot_20260513", "FOR VALUES IN ('2026-05-13')"),
        ("restitution_compliancesnapshot_20260514", "FOR VALUES IN ('2026-05-14')"),
    ]
    pay(world.supervised, "400.00", dt.date(2026, 5, 13), user=world.officer)
    assert job_run(name="compliance", run_date=dt.date(2026, 5, 13)).outcome == JobOutcome.SUCCESS
    assert len(partitions()) == 2
    rerun = ComplianceSnapshot.objects.get(as_of=dt.date(2026, 5, 13), obligation=book.restitution)
    assert (rerun.paid, rerun.status) == (Decimal("600.00"), "current")
    assert ComplianceSnapshot.objects.filter(as_of=dt.date(2026, 5, 13)).count() == 3
    # The later night keeps what it was given (a backfill does not rewrite the nights after it).
    later = ComplianceSnapshot.objects.get(as_of=dt.date(2026, 5, 14), obligation=book.restitution)
    assert (later.previous_status, later.status) == ("late", "delinquent")
    # Each partition carries the key and the alerts' partial index, attached to the table's.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT p.relname, c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
               JOIN pg_class p ON p.oid = i.inhparent
               WHERE p.relname IN ('restitution_compliancesnapshot_pkey', 'restitution_snap_new_delinq')
               ORDER BY 1, 2"""
        )
        assert [parent for parent, _ in cursor.fetchall()] == [
            "restitution_compliancesnapshot_pkey",
            "restitution_compliancesnapshot_pkey",
            "restitution_snap_new_delinq",
            "restitution_snap_new_delinq",
        ]
