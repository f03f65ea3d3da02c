"""Large list exports through the reports app's task path (reports.list_exports): above the threshold a
list's export is queued as a generated report, built by replaying the list's request as its owner."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from core.models import AuditEvent
from reports.choices import ReportStatus
from reports.list_exports import ListExportForm
from reports.models import GeneratedReport
from reports.services import generated_report_run
from tests.factories.gardens import GardenFactory, HarvestFactory

pytestmark = pytest.mark.django_db

HARVESTS = "/gardens/harvests/"


@pytest.fixture
def harvests(world):
    """Six harvests at JCCC (three of them kale) and two at ACC."""
    jccc, acc = GardenFactory(facility=world.jccc, name="North"), GardenFactory(facility=world.acc, name="South")
    for i in range(6):
        HarvestFactory(garden=jccc, date=dt.date(2026, 7, 1 + i), weight_lb=Decimal(f"{10 + i}.5"))
    for i in range(2):
        HarvestFactory(garden=acc, date=dt.date(2026, 7, 1 + i), weight_lb=Decimal("99.0"))
    return world


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def downloaded(client, report) -> bytes:
    response = client.get(f"/reports/generated/{report.key}/download/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_small_export_is_still_written_in_the_request(harvests, client_for, settings):
    settings.REPORTS_ASYNC_ROWS = 100
    response = client_for(harvests.staff_jccc).get(HARVESTS, {"_export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert len(csv_rows(response.content)) == 1 + 6 and not GeneratedReport.objects.exists()


def test_a_large_export_is_prepared_in_the_background_as_the_same_file(
    harvests, client_for, settings, django_capture_on_commit_callbacks
):
    client = client_for(harvests.staff_jccc)
    query = {"_export": "csv", "sort": "weight_lb"}
    settings.REPORTS_ASYNC_ROWS = 100
    inline = client.get(HARVESTS, query).content
    settings.REPORTS_ASYNC_ROWS = 5
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(HARVESTS, query)
    report = GeneratedReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    report.refresh_from_db()
    assert (report.slug, report.title, report.fmt, report.status) == (
        "list-export",
        "Harvests: 6 rows",
        "csv",
        ReportStatus.READY,
    )
    assert report.rows == 6 and report.file.name.endswith(f"harvests-{timezone.localdate():%Y-%m-%d}.csv")
    # The same rows, columns and order as the export written in the request: the staff's facility only.
    file = downloaded(client, report)
    assert file == inline
    rows = csv_rows(file)
    weight = [c.lower() for c in rows[0]].index("pounds")
    assert sorted(row[weight] for row in rows[1:]) == ["10.5", "11.5", "12.5", "13.5", "14.5", "15.5"]
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Harvests: 6 rows is being prepared" in page and "Download" in page
    # Each export asked for is audited once, in the request (the task's replay is not a second export).
    assert AuditEvent.objects.filter(action="export_csv", user=harvests.staff_jccc).count() == 2


def test_a_large_export_follows_the_filters_and_writes_a_workbook(
    harvests, client_for, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_ASYNC_ROWS = 2
    client = client_for(harvests.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(HARVESTS, {"_export": "xlsx", "date_from": "2026-07-02", "date_to": "2026-07-04"})
    report = GeneratedReport.objects.get()
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.title == "Harvests: 4 rows"
    sheet = load_workbook(io.BytesIO(downloaded(client, report))).active
    rows = list(sheet.iter_rows(values_only=True))
    # Jul 2 to 4: three at JCCC and one at ACC (Jul 2); the administrator sees both facilities.
    assert len(rows) == 1 + 4 and report.file.name.endswith(".xlsx")
    weight = [str(c).lower() for c in rows[0]].index("pounds")
    assert sorted(float(row[weight]) for row in rows[1:]) == [11.5, 12.5, 13.5, 99.0]


def test_the_task_runs_in_the_owners_scope_at_run_time(harvests, client_for, settings):
    settings.REPORTS_ASYNC_ROWS = 1
    staff = harvests.staff_jccc
    client_for(staff).get(HARVESTS, {"_export": "csv"})  # queued; its task has not run (no commit callbacks)
    client_for(staff).get(HARVESTS, {"_export": "csv", "sort": "date"})
    moved, gone = GeneratedReport.objects.order_by("pk")
    assert moved.status == gone.status == ReportStatus.QUEUED
    # Moved to ACC before the first ran: the file holds what the person may see when it runs.
    staff.facilities.set([harvests.acc])
    generated_report_run(report_id=moved.pk)
    moved.refresh_from_db()
    assert moved.status == ReportStatus.READY
    with moved.file.open("rb") as f:
        rows = csv_rows(f.read())
    weight = [c.lower() for c in rows[0]].index("pounds")
    assert [row[weight] for row in rows[1:]] == ["99.0", "99.0"]
    # Deactivated before the second ran: refused, and no file.
    staff.is_active = False
    staff.save()
    generated_report_run(report_id=gone.pk)
    gone.refresh_from_db()
    assert gone.status == ReportStatus.FAILED and not gone.file
    assert "no longer signs in" in gone.error


@pytest.mark.parametrize(
    "path, message",
    [
        ("/offenders/1/", "That page is not a list"),
        ("https://example.org/gardens/harvests/", "Only a list page of this site"),
        ("gardens/harvests/", "Only a list page of this site"),
        ("/no/such/page/", "No page of this site has that address"),
        ("", "This field is required"),
        ("/" + "a" * 2000, "at most 2000 characters"),
    ],
)
def test_only_a_list_page_of_this_site_can_be_replayed(world, path, message):
    form = ListExportForm({"path": path}, user=world.admin)
    assert not form.is_valid()
    assert message in " ".join(form.errors["path"])


def test_the_export_entry_is_neither_in_the_catalog_nor_run_from_its_page(harvests, client_for):
    client = client_for(harvests.admin)
    assert "List export" not in client.get("/reports/").content.decode()
    response = client.get("/reports/run/list-export/", {"format": "csv", "path": HARVESTS})
    assert response.status_code == 404 and not GeneratedReport.objects.exists()
