"""Background jobs: job_run and its JobRun record and lock, the commands, supervision_review, the schedule and the page.

Dates come from a frozen clock (time-machine); Celery runs eagerly here (see conftest).
"""

import datetime as dt
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from core.choices import JobOutcome, OffenderStatus
from core.jobs import JOBS, JobAlreadyRunning, UnknownJob, job_run, register_job
from core.models import Alert, JobRun, Offender
from core.registry import registry
from tests.factories import OffenderFactory

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
NOON = dt.time(12, 0)


def at(day: dt.date, time: dt.time = NOON) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=CHICAGO)


@pytest.fixture
def test_jobs():
    """Two jobs of the tests' own: one writes an alert and counts, one writes and then fails."""
    from core.models import User

    @register_job("test_counting", description="Counts (a test job).")
    def counting(run_date):
        return User.objects.count()

    @register_job("test_failing", description="Fails (a test job).", hour=4, minute=5)
    def failing(run_date):
        user = User.objects.order_by("pk").first()
        Alert.objects.create(user=user, title="half done", key=f"test_failing:{run_date}")
        raise ValueError(f"no data for {run_date}")

    yield
    JOBS.pop("test_counting")
    JOBS.pop("test_failing")


@pytest.fixture
def lock_elsewhere():
    """Hold a job's advisory lock from a second database connection, as a live worker running it would."""
    import contextlib

    import psycopg
    from django.db import connection

    from core.jobs import run_lock_key

    @contextlib.contextmanager
    def hold(name, run_date):
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        with psycopg.connect(**params, autocommit=True) as other:
            other.execute("SELECT pg_advisory_lock(%s, %s)", run_lock_key(name, run_date))
            try:
                yield
            finally:  # at once: a closed connection's backend frees its locks a moment later
                other.execute("SELECT pg_advisory_unlock(%s, %s)", run_lock_key(name, run_date))

    return hold


# job_run ------------------------------------------------------------------------------------------
def test_job_run_records_start_end_rows_outcome(world, test_jobs):
    with time_machine.travel(at(dt.date(2026, 11, 28)), tick=False):
        run = job_run(name="test_counting", run_date=dt.date(2026, 11, 27), user=world.admin)
    run.refresh_from_db()
    assert (run.job, run.run_date, run.outcome) == ("test_counting", dt.date(2026, 11, 27), JobOutcome.SUCCESS)
    assert run.rows == 11  # the world's users
    assert run.started_at == run.finished_at == at(dt.date(2026, 11, 28))
    assert run.error == ""
    assert run.triggered_by == world.admin


def test_job_run_defaults_to_today_in_chicago(world, test_jobs):
    # 03:30 UTC on March 1 is still February 28 in Chicago (and 2028 is a leap year: the 29th).
    with time_machine.travel(dt.datetime(2026, 3, 1, 3, 30, tzinfo=dt.UTC), tick=False):
        assert job_run(name="test_counting").run_date == dt.date(2026, 2, 28)
    with time_machine.travel(dt.datetime(2028, 3, 1, 5, 59, tzinfo=dt.UTC), tick=False):
        assert job_run(name="test_counting").run_date == dt.date(2028, 2, 29)


def test_job_run_failure_is_recorded_and_rolled_back(world, test_jobs):
    run = job_run(name="test_failing", run_date=dt.date(2026, 11, 28))
    run.refresh_from_db()
    assert run.outcome == JobOutcome.FAILED
    assert "ValueError: no data for 2026-11-28" in run.error
    assert run.finished_at is not None
    assert run.rows == 0
    # What the job wrote before it failed is not left half done.
    assert not Alert.objects.filter(key="test_failing:2026-11-28").exists()
    # A failed run does not hold the lock: the date can be run again.
    assert job_run(name="test_failing", run_date=dt.date(2026, 11, 28)).outcome == JobOutcome.FAILED
    assert JobRun.objects.filter(job="test_failing").count() == 2


def test_job_run_unknown_job():
    with pytest.raises(UnknownJob):
        job_run(name="no_such_job")


def test_job_run_second_start_while_running_raises(world, lock_elsewhere):
    day = dt.date(2026, 11, 28)
    running = JobRun.objects.create(job="supervision_review", run_date=day)
    with lock_elsewhere("supervision_review", day):  # a live worker runs it
        with pytest.raises(JobAlreadyRunning):
            job_run(name="supervision_review", run_date=day)
        assert JobRun.objects.filter(job="supervision_review").count() == 1
        # Another date runs beside it.
        assert job_run(name="supervision_review", run_date=day - dt.timedelta(days=1)).outcome == JobOutcome.SUCCESS
    running.outcome = JobOutcome.SUCCESS
    running.save()
    assert job_run(name="supervision_review", run_date=day).outcome == JobOutcome.SUCCESS


def test_job_run_holds_its_lock_for_the_whole_run(world):
    from core.jobs import held_run_locks, run_lock_key

    day = dt.date(2026, 11, 28)
    seen = []

    @register_job("test_lock_probe", description="Looks at its own lock (a test job).")
    def probe(run_date):
        seen.append(run_lock_key("test_lock_probe", run_date)[1] in held_run_locks())
        return 0

    try:
        job_run(name="test_lock_probe", run_date=day)
    finally:
        JOBS.pop("test_lock_probe")
    assert seen == [True]
    assert run_lock_key("test_lock_probe", day)[1] not in held_run_locks()  # released at the end


def test_job_run_killed_run_is_taken_over_at_once(world):
    """A run whose process died (its lock is free) blocks nothing: the next start marks it failed."""
    day = dt.date(2026, 11, 28)
    with time_machine.travel(at(day, dt.time(1, 45)), tick=False):
        stale = JobRun.objects.create(job="supervision_review", run_date=day)
    with time_machine.travel(at(day, dt.time(1, 50)), tick=False):
        run = job_run(name="supervision_review", run_date=day)
    assert run.outcome == JobOutcome.SUCCESS
    stale.refresh_from_db()
    assert stale.outcome == JobOutcome.FAILED
    assert "Abandoned" in stale.error


def test_stale_runs_are_those_whose_lock_is_free(world, lock_elsewhere):
    from core.jobs import stale_runs

    day = dt.date(2026, 11, 28)
    alive = JobRun.objects.create(job="supervision_review", run_date=day)
    dead = JobRun.objects.create(job="compliance", run_date=day)
    done = JobRun.objects.create(job="brochure", run_date=day, outcome=JobOutcome.SUCCESS)
    with lock_elsewhere("supervision_review", day):
        assert stale_runs([alive, dead, done]) == {dead.pk}
    assert stale_runs([alive, dead, done]) == {alive.pk, dead.pk}


def test_job_run_mark_failed_closes_a_stale_run_and_audits(world):
    from core.jobs import job_run_mark_failed
    from core.models import AuditEvent

    run = JobRun.objects.create(job="supervision_review", run_date=dt.date(2026, 11, 28))
    job_run_mark_failed(run=run, user=world.admin)
    run.refresh_from_db()
    assert run.outcome == JobOutcome.FAILED and run.finished_at is not None
    assert "Marked failed by" in run.error
    event = AuditEvent.objects.get(action="jobrun_mark_failed")
    assert (event.user, event.object_id) == (world.admin, str(run.pk))


def test_job_run_mark_failed_refuses_a_live_or_ended_run(world, lock_elsewhere):
    from django.core.exceptions import ValidationError

    from core.jobs import job_run_mark_failed

    day = dt.date(2026, 11, 28)
    run = JobRun.objects.create(job="supervision_review", run_date=day)
    with lock_elsewhere("supervision_review", day), pytest.raises(ValidationError, match="still running"):
        job_run_mark_failed(run=run, user=world.admin)
    run.refresh_from_db()
    assert run.outcome == JobOutcome.RUNNING
    ended = JobRun.objects.create(job="compliance", run_date=day, outcome=JobOutcome.SUCCESS)
    with pytest.raises(ValidationError, match="already ended"):
        job_run_mark_failed(run=ended, user=world.admin)


def test_job_run_lock_is_the_database_constraint(world):
    day = dt.date(2026, 11, 28)
    JobRun.objects.create(job="supervision_review", run_date=day)
    with pytest.raises(IntegrityError), transaction.atomic():
        JobRun.objects.create(job="supervision_review", run_date=day)
    # Finished runs of the same job and date are many.
    for _ in range(2):
        JobRun.objects.create(job="supervision_review", run_date=day, outcome=JobOutcome.SUCCESS)


# The run_job command -------------------------------------------------------------------------------
def test_run_job_command_with_date(world):
    out = StringIO()
    call_command("run_job", "supervision_review", "--date", "2026-11-28", stdout=out)
    run = JobRun.objects.get()
    assert (run.run_date, run.outcome, run.triggered_by) == (dt.date(2026, 11, 28), JobOutcome.SUCCESS, None)
    assert "supervision_review for 2026-11-28" in out.getvalue()


def test_run_job_command_without_date_uses_chicago_today(world):
    with time_machine.travel(dt.datetime(2027, 1, 1, 5, 0, tzinfo=dt.UTC), tick=False):
        call_command("run_job", "supervision_review", stdout=StringIO())
    assert JobRun.objects.get().run_date == dt.date(2026, 12, 31)


def test_run_job_command_errors(world, test_jobs, lock_elsewhere):
    with pytest.raises(CommandError, match="Unknown job"):
        call_command("run_job", "no_such_job")
    err = StringIO()
    with pytest.raises(CommandError, match="test_failing for 2026-11-28 failed"):
        call_command("run_job", "test_failing", "--date", "2026-11-28", stderr=err, stdout=StringIO())
    assert "ValueError" in err.getvalue()
    JobRun.objects.create(job="supervision_review", run_date=dt.date(2026, 11, 28))
    with (
        lock_elsewhere("supervision_review", dt.date(2026, 11, 28)),
        pytest.raises(CommandError, match="already running"),
    ):
        call_command("run_job", "supervision_review", "--date", "2026-11-28")
    with pytest.raises(CommandError):
        call_command("run_job", "supervision_review", "--date", "2026-02-30")


def test_run_job_command_lists_jobs(world):
    out = StringIO()
    call_command("run_job", stdout=out)
    assert "supervision_review" in out.getvalue()
    assert "daily at 01:45" in out.getvalue()


# supervision_review ----------------------------------------------------------------------------------
def ending(officer, end, **kwargs):
    return OffenderFactory(
        status=OffenderStatus.SUPERVISED,
        district=officer.district,
        supervising_officer=officer,
        supervision_end_date=end,
        **kwargs,
    )


def test_supervision_review_alerts_the_right_officer_once(world):
    w = world
    day = dt.date(2026, 11, 28)
    mine = ending(w.officer, day + dt.timedelta(days=30))
    theirs = ending(w.officer_d10, day + dt.timedelta(days=90))  # the last day of the window
    later = ending(w.officer2, day + dt.timedelta(days=91))  # past the window
    ending(w.officer2, day - dt.timedelta(days=1))  # already ended
    OffenderFactory(status=OffenderStatus.SUPERVISED, district=w.d9, supervision_end_date=day)  # no officer
    OffenderFactory(
        status=OffenderStatus.DISCHARGED,
        district=w.d9,
        supervising_officer=w.officer2,
        supervision_end_date=day + dt.timedelta(days=5),
    )
    first = job_run(name="supervision_review", run_date=day)
    assert first.outcome == JobOutcome.SUCCESS, first.error
    assert first.rows == 3  # the person with no officer is checked, and listed for the district
    assert set(Alert.objects.values_list("user__username", flat=True)) == {"officer.d9", "officer.d10"}
    alert = Alert.objects.get(user=w.officer)
    assert alert.link == reverse("core:readiness")
    assert alert.title == "1 of your people end supervision within 90 days: check what is left"
    assert alert.body == f"{mine.first_name} {mine.last_name}, supervision ends Dec 28, 2026: nothing left to do"
    assert f"{theirs.first_name} {theirs.last_name}" in Alert.objects.get(user=w.officer_d10).body
    # Run again for the same date: no duplicate alert.
    job_run(name="supervision_review", run_date=day)
    assert Alert.objects.count() == 2
    assert not Alert.objects.filter(user__in=[w.officer2, w.supervisor]).exists()
    # The next day the window reaches officer2's person (day + 91); the others are not raised again.
    job_run(name="supervision_review", run_date=day + dt.timedelta(days=1))
    assert Alert.objects.count() == 3
    assert f"{later.first_name} {later.last_name}" in Alert.objects.get(user=w.officer2).body
    assert JobRun.objects.filter(job="supervision_review", outcome=JobOutcome.SUCCESS).count() == 3


def test_supervision_review_window_across_month_end_and_leap_day(world):
    w = world
    # From Jan 31, 2028 the 90-day window ends on Apr 30 (February 2028 has 29 days).
    inside = ending(w.officer, dt.date(2028, 4, 30))
    outside = ending(w.officer, dt.date(2028, 5, 1))
    leap = ending(w.officer, dt.date(2028, 2, 29))
    job_run(name="supervision_review", run_date=dt.date(2028, 1, 31))
    body = Alert.objects.get(user=w.officer).body
    assert f"{leap.last_name}, supervision ends Feb 29, 2028" in body
    assert f"{inside.last_name}, supervision ends Apr 30, 2028" in body
    assert outside.last_name not in body


def test_supervision_review_new_officer_and_new_end_date_alert_again(world):
    w = world
    day = dt.date(2026, 11, 28)
    person = ending(w.officer, day + dt.timedelta(days=10))
    job_run(name="supervision_review", run_date=day)
    Offender.objects.filter(pk=person.pk).update(supervising_officer=w.officer2)
    job_run(name="supervision_review", run_date=day)  # a rerun after the officer changed: the new officer's
    job_run(name="supervision_review", run_date=day + dt.timedelta(days=1))  # nothing new
    Offender.objects.filter(pk=person.pk).update(supervision_end_date=day + dt.timedelta(days=20))
    job_run(name="supervision_review", run_date=day + dt.timedelta(days=2))  # a new end date: listed again
    assert Alert.objects.filter(user=w.officer).count() == 1
    assert Alert.objects.filter(user=w.officer2).count() == 2


# load_schedule --------------------------------------------------------------------------------------
def scheduled():
    return {t.name: t for t in PeriodicTask.objects.select_related("crontab").filter(name__startswith="rjadmin:")}


def test_load_schedule_creates_crontab_tasks_in_chicago(world):
    call_command("load_schedule", stdout=StringIO())
    tasks = scheduled()
    expected = {f"rjadmin:{j.name}" for j in JOBS.values() if j.hour is not None}
    frequent = {f"rjadmin:{entry.slug}" for entry in registry.frequent_tasks.values()}
    assert set(tasks) == expected | {"rjadmin:offender_events"} | frequent
    assert "rjadmin:victims_notifications" in frequent  # an app's sweep, from the registry
    # Offender event deliveries are retried every 5 minutes: an interval, not a dated job.
    events_task = tasks["rjadmin:offender_events"]
    assert events_task.task == "core.deliver_offender_events"
    assert (events_task.interval.every, events_task.interval.period, events_task.crontab) == (5, "minutes", None)
    task = tasks["rjadmin:supervision_review"]
    assert task.task == "core.run_job"
    assert json.loads(task.args) == ["supervision_review"]
    assert task.enabled
    assert task.interval is None
    assert (task.crontab.minute, task.crontab.hour) == ("45", "1")
    assert (task.crontab.day_of_week, task.crontab.day_of_month, task.crontab.month_of_year) == ("*", "*", "*")
    assert str(task.crontab.timezone) == "America/Chicago"
    # The schedule fires at 01:45 Chicago time, whatever the season (07:45 UTC in winter, 06:45 in summer).
    schedule = task.crontab.schedule
    assert schedule.tz.key == "America/Chicago"


def test_load_schedule_is_idempotent_and_removes_stale_entries(world, test_jobs):
    call_command("load_schedule", stdout=StringIO())
    assert "rjadmin:test_failing" in scheduled()
    assert "rjadmin:test_counting" not in scheduled()  # on demand only
    counts = (PeriodicTask.objects.count(), CrontabSchedule.objects.count())
    call_command("load_schedule", stdout=StringIO())
    assert (PeriodicTask.objects.count(), CrontabSchedule.objects.count()) == counts
    # A job no longer declared is removed; an entry not ours is left alone.
    other = PeriodicTask.objects.create(
        name="celery.backend_cleanup", task="celery.backend_cleanup", crontab=CrontabSchedule.objects.first()
    )
    declared = JOBS.pop("test_failing")
    try:
        out = StringIO()
        call_command("load_schedule", stdout=out)
    finally:
        JOBS[declared.name] = declared
    assert "rjadmin:test_failing" not in scheduled()
    assert "1 stale entry removed" in out.getvalue()
    assert PeriodicTask.objects.filter(pk=other.pk).exists()


def test_load_schedule_updates_a_changed_schedule(world):
    call_command("load_schedule", stdout=StringIO())
    task = scheduled()["rjadmin:supervision_review"]
    task.enabled = False
    task.crontab = CrontabSchedule.objects.create(minute="0", hour="9", timezone="UTC")
    task.save()
    call_command("load_schedule", stdout=StringIO())
    task = scheduled()["rjadmin:supervision_review"]
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("1", "45", "America/Chicago")


# The jobs page ------------------------------------------------------------------------------------------
def test_jobs_page_polls_while_a_run_is_in_progress(world, client_for, lock_elsewhere):
    day = dt.date(2026, 11, 28)
    client = client_for(world.admin)
    JobRun.objects.create(job="brochure", run_date=day, outcome=JobOutcome.SUCCESS)
    assert 'hx-trigger="every' not in client.get(reverse("core:jobrun_list")).content.decode()
    run = JobRun.objects.create(job="supervision_review", run_date=day)
    with lock_elsewhere("supervision_review", day):
        page = client.get(reverse("core:jobrun_list")).content.decode()
        assert 'id="job-runs"' in page and 'hx-trigger="every 3s"' in page
        assert reverse("core:jobrun_mark_failed", args=[run.pk]) not in page  # it is really running
    page = client.get(reverse("core:jobrun_list")).content.decode()
    assert "has stopped" in page
    assert reverse("core:jobrun_mark_failed", args=[run.pk]) in page


def test_jobs_page_mark_failed_asks_then_closes_the_run(world, client_for):
    run = JobRun.objects.create(job="supervision_review", run_date=dt.date(2026, 11, 28))
    url = reverse("core:jobrun_mark_failed", args=[run.pk])
    client = client_for(world.admin)
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Mark this run failed" in confirm.content.decode()
    run.refresh_from_db()
    assert run.outcome == JobOutcome.RUNNING  # a GET changes nothing
    response = client.post(url, follow=True)
    assert "was marked failed" in response.content.decode()
    run.refresh_from_db()
    assert run.outcome == JobOutcome.FAILED


def test_jobs_page_mark_failed_refuses_a_live_run(world, client_for, lock_elsewhere):
    day = dt.date(2026, 11, 28)
    run = JobRun.objects.create(job="supervision_review", run_date=day)
    with lock_elsewhere("supervision_review", day):
        response = client_for(world.admin).post(reverse("core:jobrun_mark_failed", args=[run.pk]), follow=True)
    assert "still running" in response.content.decode()
    run.refresh_from_db()
    assert run.outcome == JobOutcome.RUNNING


def test_jobs_page_mark_failed_is_for_administrators_only(world, client_for):
    run = JobRun.objects.create(job="supervision_review", run_date=dt.date(2026, 11, 28))
    url = reverse("core:jobrun_mark_failed", args=[run.pk])
    assert client_for(world.auditor).post(url).status_code == 403
    assert client_for(world.officer).post(url).status_code == 404
    run.refresh_from_db()
    assert run.outcome == JobOutcome.RUNNING


def test_jobs_page_lists_runs_for_admin_and_auditor(world, client_for):
    JobRun.objects.create(job="supervision_review", run_date=dt.date(2026, 11, 27), outcome=JobOutcome.SUCCESS, rows=7)
    for user in (world.admin, world.auditor):
        response = client_for(user).get(reverse("core:jobrun_list"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Supervision review" in page or "supervision_review" in page
        assert "daily at 01:45" in page
        assert ("Run now" in page) == (user == world.admin)


@pytest.mark.parametrize("username", ["officer", "supervisor", "staff_jccc", "victims", "boards"])
def test_jobs_page_is_404_for_other_roles(world, client_for, username):
    client = client_for(getattr(world, username))
    assert client.get(reverse("core:jobrun_list")).status_code == 404
    assert client.post(reverse("core:jobrun_list"), {"job": "supervision_review"}).status_code == 404
    assert not JobRun.objects.exists()


def test_jobs_page_anonymous_is_sent_to_login(client):
    response = client.get(reverse("core:jobrun_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_jobs_page_run_now_by_admin_runs_the_job(world, client_for, django_capture_on_commit_callbacks):
    ending(world.officer, dt.date(2026, 12, 1))
    client = client_for(world.admin)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("core:jobrun_list"), {"job": "supervision_review", "run_date": "2026-11-28"}, follow=True
        )
    assert len(callbacks) == 1  # queued once the request's transaction commits
    assert "Queued supervision review for Nov 28, 2026" in response.content.decode()
    run = JobRun.objects.get()
    assert (run.job, run.run_date, run.outcome, run.rows) == ("supervision_review", dt.date(2026, 11, 28), "success", 1)
    assert run.triggered_by == world.admin
    assert Alert.objects.filter(user=world.officer).count() == 1


def test_jobs_page_run_now_without_date_is_today(world, client_for, django_capture_on_commit_callbacks):
    client = client_for(world.admin)
    with (
        time_machine.travel(dt.datetime(2026, 7, 1, 4, 0, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(reverse("core:jobrun_list"), {"job": "supervision_review"})
    assert JobRun.objects.get().run_date == dt.date(2026, 6, 30)


def test_jobs_page_run_now_refused_for_auditor(world, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(world.auditor).post(
            reverse("core:jobrun_list"), {"job": "supervision_review", "run_date": "2026-11-28"}
        )
    assert response.status_code == 403
    assert callbacks == []
    assert not JobRun.objects.exists()


def test_jobs_page_run_now_unknown_job_runs_nothing(world, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(world.admin).post(reverse("core:jobrun_list"), {"job": "rm_rf"}, follow=True)
    assert "Choose a job and a valid date." in response.content.decode()
    assert callbacks == []
    assert not JobRun.objects.exists()


def test_run_job_task_eager(world):
    from core.tasks import run_job_task

    result = run_job_task.delay("supervision_review", "2026-11-28", world.admin.pk).get()
    run = JobRun.objects.get(pk=result["id"])
    assert (result["outcome"], run.triggered_by, run.run_date) == ("success", world.admin, dt.date(2026, 11, 28))
