"""A real Celery worker process runs a job against the test database.

The worker is started by the test with the same broker as the test process (Redis when REDIS_URL
is set, otherwise kombu's filesystem transport in the folders the settings name) on a queue of its
own, and stopped by its PID. Under CI=true a missing Redis fails the run (see conftest).
"""

import datetime as dt
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from core.choices import JobOutcome, OffenderStatus
from core.models import Alert, JobRun
from tests.factories import OffenderFactory

pytestmark = [pytest.mark.celery_worker]

TIMEOUT = 60


def test_database_url() -> str:
    """DATABASE_URL of the database this test runs against (pytest-django's test database)."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    if host.startswith("/"):  # a Unix-socket folder (the embedded server)
        return f"postgres://{auth}@/{db['NAME']}?host={quote(host)}"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


def worker_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}
    env["DJANGO_SETTINGS_MODULE"] = "rjadmin.settings"
    env["DATABASE_URL"] = test_database_url()
    env["CELERY_TASK_ALWAYS_EAGER"] = "false"
    env["PYTHONUNBUFFERED"] = "1"
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    else:
        env.pop("REDIS_URL", None)
        env["CELERY_FS_DIR"] = str(settings.CELERY_FS_DIR)
    return env


@pytest.fixture
def worker(tmp_path):
    """A worker process consuming a queue of its own; yields the queue name, then stops it by its PID."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    log_path = tmp_path / "worker.log"
    log = log_path.open("wb")
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "rjadmin",
        "worker",
        "--pool=solo",
        "-Q",
        queue,
        "-n",
        f"{queue}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=INFO",
    ]
    process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=worker_env(), stdout=log, stderr=subprocess.STDOUT)
    try:
        yield type("Worker", (), {"queue": queue, "process": process, "log_path": log_path})
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
        log.close()
        if not settings.REDIS_URL:
            # The filesystem transport keeps a file per declared exchange: the queue's is ours.
            (Path(settings.CELERY_FS_DIR) / "control" / f"{queue}.exchange").unlink(missing_ok=True)
        else:
            import redis

            # The queue's bindings stay in Redis after the worker is gone: remove them.
            client = redis.Redis.from_url(settings.REDIS_URL)
            client.delete(queue, *client.scan_iter(match=f"_kombu.binding*.{queue}"))
            client.close()


def wait_for(result, process, log_path):
    deadline = time.monotonic() + TIMEOUT
    while not result.ready():
        if process.poll() is not None:
            pytest.fail(f"the worker exited with {process.returncode}:\n{log_path.read_text()}")
        if time.monotonic() > deadline:
            pytest.fail(f"no result in {TIMEOUT} s; worker log:\n{log_path.read_text()}")
        time.sleep(0.1)
    return result.get(timeout=5)


def test_celery_worker_runs_job_in_its_own_process(transactional_db, world, worker):
    from core.tasks import run_job_task
    from rjadmin.celery import app

    app.conf.task_always_eager = False  # the autouse fixture turns it back on for other tests
    person = OffenderFactory(
        status=OffenderStatus.SUPERVISED,
        district=world.d9,
        supervising_officer=world.officer,
        supervision_end_date=dt.date(2026, 12, 15),
    )
    started = time.monotonic()
    result = run_job_task.apply_async(args=["supervision_review", "2026-11-28"], queue=worker.queue)
    value = wait_for(result, worker.process, worker.log_path)
    elapsed = time.monotonic() - started
    result.forget()

    run = JobRun.objects.get(pk=value["id"])
    assert (run.job, run.run_date, run.outcome, run.rows) == ("supervision_review", dt.date(2026, 11, 28), "success", 1)
    assert run.outcome == JobOutcome.SUCCESS
    assert run.finished_at is not None
    assert person.last_name in Alert.objects.get(user=world.officer).body
    log = worker.log_path.read_text()
    assert "core.run_job" in log, log
    assert os.getpid() != worker.process.pid
    print(f"worker round trip {elapsed:.2f} s")


@pytest.fixture
def mail_dir(tmp_path, monkeypatch):
    """The worker's mail goes to files in this folder (Django's file backend, set through EMAIL_URL)."""
    folder = tmp_path / "mail"
    folder.mkdir()
    # django-environ drops one slash of the path: four in all give an absolute folder.
    monkeypatch.setenv("EMAIL_URL", f"filemail:///{folder}")
    return folder


def test_the_worker_sends_a_victim_notice_and_records_the_attempt(transactional_db, world, mail_dir, worker):
    """A notice to a victim goes out from the worker process (victims.send_notification), not the web."""
    from core.events import emit
    from rjadmin.celery import app
    from tests.factories.victims import EMAIL, make_victim
    from victims.models import Notification
    from victims.tasks import send_notification_task

    app.conf.task_always_eager = False
    victim = make_victim(cases=[world.case], user=world.victims, statutory_category="sexual_offense")
    event = emit(offender=world.supervised, kind="status", before="supervised", after="escaped")
    notice = Notification.objects.create(
        victim=victim,
        event=event,
        offender=world.supervised,
        channel="email",
        subject="Notice about a person: escaped",
        body="Worker round trip.",
        next_attempt_at=event.occurred_at,
    )
    result = send_notification_task.apply_async(args=[notice.pk], queue=worker.queue)
    assert wait_for(result, worker.process, worker.log_path) == "sent"
    result.forget()
    notice.refresh_from_db()
    assert notice.status == "sent" and notice.attempt_log.get().outcome == "sent"
    sent = "".join(path.read_text() for path in mail_dir.iterdir())
    assert "Worker round trip." in sent and f"To: {EMAIL}" in sent
    assert "victims.send_notification" in worker.log_path.read_text()


def test_the_worker_checks_and_commits_a_large_import(transactional_db, world, worker):
    """An upload past the background threshold: the worker process runs the check, then the commit,
    and the batch carries the findings and the progress the page shows."""
    from core.choices import ImportStatus
    from core.imports import preview_data
    from core.models import ImportBatch, Offender
    from core.tasks import import_batch_task
    from rjadmin.celery import app

    app.conf.task_always_eager = False
    header = "doc_id,last_name,first_name,date_of_birth,status,facility_code,district_number,officer_username"
    rows = [f"{3200000 + n},Worker{n},Wes,1985-06-0{n + 1},supervised,,9,officer.d9" for n in range(3)]
    batch = ImportBatch.objects.create(
        kind="offenders",
        filename="worker.csv",
        content="\n".join([header, *rows]) + "\n",
        uploaded_by=world.supervisor,
        status=ImportStatus.CHECKING,
    )
    value = wait_for(
        import_batch_task.apply_async(args=[batch.pk], queue=worker.queue), worker.process, worker.log_path
    )
    batch.refresh_from_db()
    assert (value["status"], batch.status, batch.progress) == ("previewed", ImportStatus.PREVIEWED, 100)
    assert preview_data(batch)["counts"] == {"create": 3}
    assert not Offender.objects.filter(doc_id__startswith="32000").exists()

    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.COMMITTING, started_at=None)
    value = wait_for(
        import_batch_task.apply_async(args=[batch.pk], queue=worker.queue), worker.process, worker.log_path
    )
    batch.refresh_from_db()
    assert (value["status"], batch.status) == ("committed", ImportStatus.COMMITTED)
    assert Offender.objects.filter(doc_id__startswith="32000").count() == 3
    assert "core.import_batch" in worker.log_path.read_text()
