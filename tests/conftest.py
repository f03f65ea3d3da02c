"""Shared fixtures: a small world with two districts and two facilities, and a user per role.

healthchecks' alice/bob/charlie idea: for every record there is an owner, a supervisor and an
outsider. Nothing skips: a missing Chromium or pdftotext fails its tests, and under CI=true a
missing PostgreSQL or Redis fails the run at its start.
"""

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server with Playwright's sync API

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _ci_problems() -> list[str]:
    problems = []
    db = os.environ.get("DATABASE_URL", "")
    if not db.startswith(("postgres://", "postgresql://", "pgsql://")):
        problems.append("DATABASE_URL must point at PostgreSQL under CI=true")
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        problems.append("REDIS_URL must be set under CI=true")
    else:
        try:
            import redis

            redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
        except Exception as exc:
            problems.append(f"Redis at REDIS_URL does not answer: {exc}")
    if not CHROMIUM.exists():
        problems.append(f"Chromium is missing at {CHROMIUM}")
    if shutil.which("pdftotext") is None:
        problems.append("pdftotext (poppler-utils) is missing: the PDF tests read their text with it")
    return problems


def pytest_configure(config):
    from django.conf import settings

    # Hashing a password the production way costs ~0.3 s; tests make hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


_SKIPPED: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        _SKIPPED.append(report.nodeid)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    """No server left behind: the embedded PostgreSQL this run started (DATABASE_URL unset) stops
    with it; one that was already running (``make run`` beside the tests) is left running."""
    from rjadmin import embedded_pg

    if embedded_pg.started_here:
        from django.conf import settings
        from django.db import connections

        connections.close_all()
        embedded_pg.stop(settings.VAR_DIR)
    if _SKIPPED:  # a skipped test is a defect here: it hides what it was meant to check
        print(f"\n{len(_SKIPPED)} test(s) skipped, which this suite does not allow: {_SKIPPED[:10]}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_sessionstart(session):
    if IN_CI:
        problems = _ci_problems()
        if problems:
            pytest.exit("CI=true but: " + "; ".join(problems), returncode=3)


@pytest.fixture(autouse=True)
def _fresh_figures():
    """Each test starts on a new data version: figures cached by an earlier test (whose rows were
    rolled back) are never served to this one. Rolled-back rows do not bump it, commits do."""
    from core import freshness

    freshness.bump()


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Unit tests run tasks in-process; the integration test starts a real worker instead."""
    from rjadmin.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def world(db):
    """Two districts, two institutions, one user per role (and outsiders), offenders in each scope."""
    from core.choices import OffenderStatus, Role
    from tests.factories import CourtCaseFactory, DistrictFactory, FacilityFactory, OffenderFactory, UserFactory

    d9 = DistrictFactory(number=9, name="Jefferson City")
    d10 = DistrictFactory(number=10, name="Springfield")
    jccc = FacilityFactory(name="Jefferson City Correctional Center", code="JCCC")
    acc = FacilityFactory(name="Algoa Correctional Center", code="ACC")
    w = type("World", (), {})()
    w.d9, w.d10, w.jccc, w.acc = d9, d10, jccc, acc
    w.admin = UserFactory(username="admin", role=Role.ADMINISTRATOR)
    w.auditor = UserFactory(username="auditor", role=Role.AUDITOR)
    w.victims = UserFactory(username="victims", role=Role.VICTIM_SERVICES)
    w.staff_jccc = UserFactory(username="staff.jccc", role=Role.FACILITY_STAFF, facilities=[jccc])
    w.staff_acc = UserFactory(username="staff.acc", role=Role.FACILITY_STAFF, facilities=[acc])
    w.officer = UserFactory(username="officer.d9", role=Role.PROBATION_OFFICER, district=d9)
    w.officer2 = UserFactory(username="officer2.d9", role=Role.PROBATION_OFFICER, district=d9)
    w.officer_d10 = UserFactory(username="officer.d10", role=Role.PROBATION_OFFICER, district=d10)
    w.supervisor = UserFactory(username="supervisor.d9", role=Role.DISTRICT_SUPERVISOR, district=d9)
    w.supervisor_d10 = UserFactory(username="supervisor.d10", role=Role.DISTRICT_SUPERVISOR, district=d10)
    w.boards = UserFactory(username="boards.d9", role=Role.BOARD_COORDINATOR, district=d9)
    # A supervised person on officer.d9's caseload, one on officer.d10's, one held at JCCC.
    w.supervised = OffenderFactory(
        doc_id="1000001", status=OffenderStatus.SUPERVISED, district=d9, supervising_officer=w.officer
    )
    w.supervised_d10 = OffenderFactory(
        doc_id="1000002", status=OffenderStatus.SUPERVISED, district=d10, supervising_officer=w.officer_d10
    )
    w.inmate = OffenderFactory(doc_id="1000003", status=OffenderStatus.INCARCERATED, facility=jccc, district=None)
    w.case = CourtCaseFactory(offender=w.supervised, case_number="26AC-CR00001")
    w.case_d10 = CourtCaseFactory(offender=w.supervised_d10, case_number="26GR-CR00002")
    return w


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client signed in as that user (force_login: django-axes wants a request)."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium; it cannot download its own browser here."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: `make system-deps` installs it (make test does)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--headless",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


def require_program(program: str, why: str) -> str:
    """The path of a program the test needs; a missing one fails the test (never a skip)."""
    path = shutil.which(program)
    if path is None:
        pytest.fail(f"{program} is not installed: {why}. `make system-deps` installs it (make test does).")
    return path


# The rows the data migrations write (catalogs the demo and the pages need). A transactional test
# (threads, the live server) ends with a flush that empties them for every later test.
MIGRATION_ROWS = (
    ("core.OrganizationKind", "core.migrations.0002_organization_kinds"),
    ("donations.Item", "donations.migrations.0002_item_catalog"),
    ("gardens.Crop", "gardens.migrations.0002_crop_catalog"),
    ("classes.CurriculumVersion", "classes.migrations.0002_missouri_curriculum"),
)


def restore_migration_rows():
    """Write again what a data migration wrote, where a flush emptied it (each only if its table is empty)."""
    import importlib

    from django.apps import apps
    from django.db.migrations.operations.special import RunPython

    for label, module in MIGRATION_ROWS:
        if not apps.get_model(label).objects.exists():
            for operation in importlib.import_module(module).Migration.operations:
                if isinstance(operation, RunPython):
                    operation.code(apps, None)
