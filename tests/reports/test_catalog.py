"""The report catalog: who may run what, every format, scope applied, and large reports as tasks."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook

from core.choices import OffenderStatus
from core.jobs import job_run
from core.models import AuditEvent
from core.registry import ReportEntry
from reports.choices import ReportStatus
from reports.models import GeneratedReport
from tests.factories import OffenderFactory
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def two_facilities(world):
    """One more person held at ACC, so each facility has its own number."""
    OffenderFactory(doc_id="1000004", status=OffenderStatus.INCARCERATED, facility=world.acc, district=None)
    OffenderFactory(doc_id="1000005", status=OffenderStatus.INCARCERATED, facility=world.acc, district=None)
    return world


def test_catalog_lists_the_reports_each_role_may_run(world, client_for):
    admin = client_for(world.admin).get("/reports/catalog/").content.decode()
    assert "People by status" in admin and "Annual report" in admin and "Offender roster" in admin
    staff = client_for(world.staff_jccc).get("/reports/catalog/").content.decode()
    assert "People by status" in staff
    assert "Annual report" not in staff
    assert client_for(world.staff_jccc).get("/reports/run/annual-report/").status_code == 404
    assert client_for(world.staff_jccc).get("/reports/run/no-such-report/").status_code == 404


def test_catalog_needs_sign_in(client):
    response = client.get("/reports/catalog/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_scope_applies_facility_staff_get_their_facility_numbers_only(two_facilities, client_for):
    w = two_facilities
    url = "/reports/run/people-by-status/?format=csv"
    staff_jccc = rows_of(client_for(w.staff_jccc).get(url))
    assert ["Incarcerated", "1"] in staff_jccc
    assert any(r[:2] == ["Jefferson City Correctional Center", "JCCC"] for r in staff_jccc)
    assert not any("ACC" in r for r in staff_jccc)
    assert ["Supervised", "0"] in staff_jccc

    staff_acc = rows_of(client_for(w.staff_acc).get(url))
    assert ["Incarcerated", "2"] in staff_acc
    assert not any("JCCC" in r for r in staff_acc)

    admin = rows_of(client_for(w.admin).get(url))
    assert ["Incarcerated", "3"] in admin and ["Supervised", "2"] in admin

    officer = rows_of(client_for(w.officer).get(url))
    assert ["Supervised", "1"] in officer and ["Incarcerated", "0"] in officer


def test_staff_cannot_ask_for_another_facility(two_facilities, client_for):
    w = two_facilities
    response = client_for(w.staff_jccc).get(f"/reports/run/people-by-status/?format=csv&facility={w.acc.pk}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html"), "the form refuses a facility outside the scope"
    assert "Select a valid choice" in response.content.decode()


def test_roster_scope_in_every_format(two_facilities, client_for, tmp_path):
    w = two_facilities
    client = client_for(w.staff_jccc)
    html = client.get("/reports/run/offender-roster/?format=html").content.decode()
    assert w.inmate.doc_id in html and "1000004" not in html
    pdf = client.get("/reports/run/offender-roster/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content, tmp_path)
    assert w.inmate.doc_id in text and "1000004" not in text
    assert "Page 1 of 1" in text and "Generated" in text
    xlsx = client.get("/reports/run/offender-roster/?format=xlsx")
    assert "attachment" in xlsx["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "DOC ID"
    assert [r[0] for r in values[1:]] == [w.inmate.doc_id]
    assert AuditEvent.objects.filter(action="report_xlsx", object_id="offender-roster", user=w.staff_jccc).exists()


def test_html_report_numbers_match_the_pages_they_come_from(two_facilities, client_for):
    w = two_facilities
    client = client_for(w.admin)
    html = client.get(f"/reports/run/people-by-status/?format=html&facility={w.acc.pk}").content.decode()
    assert "Algoa Correctional Center" in html
    # The offender list filtered the same way counts the same people.
    listing = client.get(f"/offenders/?facility={w.acc.pk}")
    assert listing.status_code == 200
    assert listing.content.decode().count("1000004") + listing.content.decode().count("1000005") >= 2


def test_spreadsheet_cells_cannot_become_formulas(world, client_for, register_report):
    register_report(
        ReportEntry(
            "formula-test",
            "Formula test",
            "core",
            "",
            lambda user, params: {"columns": ["Name"], "rows": [['=HYPERLINK("http://x")'], ["-5"], [-5]]},
            "reports/reports/tables.html",
        )
    )
    client = client_for(world.admin)
    rows = rows_of(client.get("/reports/run/formula-test/?format=csv"))
    assert rows[1] == ['\'=HYPERLINK("http://x")'] and rows[2] == ["'-5"] and rows[3] == ["-5"]
    sheet = load_workbook(io.BytesIO(client.get("/reports/run/formula-test/?format=xlsx").content)).active
    # XLSX: a string cell holding exactly what was typed, never a formula.
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == '=HYPERLINK("http://x")'
    assert sheet["A3"].value == "-5"
    assert sheet["A4"].value == -5


def test_large_report_runs_as_a_task_with_progress_and_is_downloadable(
    two_facilities, client_for, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_ASYNC_ROWS = 2  # the admin's roster has 5 rows: "large"
    client = client_for(two_facilities.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/reports/run/offender-roster/?format=csv&status=")
    report = GeneratedReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()

    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.progress == 100 and report.rows == 5
    assert report.expires_at - report.finished_at == dt.timedelta(days=7)

    page = client.get(report.get_absolute_url())
    assert "Download" in page.content.decode()
    partial = client.get(report.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="report-progress"' in partial and "hx-trigger" not in partial, "polling stops when it is ready"

    download = client.get(f"/reports/generated/{report.key}/download/")
    assert download.status_code == 200
    body = b"".join(download.streaming_content).decode("utf-8-sig")
    doc_ids = {row[0] for row in csv.reader(io.StringIO(body))}
    assert doc_ids == {"DOC ID", "1000001", "1000002", "1000003", "1000004", "1000005"}
    assert "My generated reports" in client.get("/reports/generated/").content.decode()


def test_progress_is_stored_on_the_row_while_the_task_runs(
    world, client_for, settings, register_report, django_capture_on_commit_callbacks
):
    seen = []

    def build(user, params, progress=None):
        for done in (1, 2, 3):
            progress(done, 4, f"Step {done}")
            row = GeneratedReport.objects.get()
            seen.append((row.status, row.progress, row.progress_note))
        return {"columns": ["n"], "rows": [[1], [2], [3]]}

    register_report(
        ReportEntry(
            "slow-test", "Slow test", "core", "", build, "reports/reports/tables.html", count=lambda u, p: 10**6
        )
    )
    client = client_for(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/reports/run/slow-test/?format=xlsx")
    assert [s[0] for s in seen] == [ReportStatus.RUNNING] * 3
    percents = [s[1] for s in seen]
    assert percents == sorted(percents) and 5 < percents[0] < percents[-1] < 100
    assert seen[1][2] == "Step 2"
    report = GeneratedReport.objects.get()
    assert report.status == ReportStatus.READY and report.progress == 100


def test_page_shows_progress_while_queued(world, client_for, settings):
    settings.REPORTS_ASYNC_ROWS = 1
    client = client_for(world.admin)
    client.get("/reports/run/offender-roster/?format=pdf")  # queued: on_commit never runs in this test
    report = GeneratedReport.objects.get()
    assert report.status == ReportStatus.QUEUED
    partial = client.get(report.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'role="progressbar"' in partial and 'hx-trigger="every 1s"' in partial
    assert client.get(f"/reports/generated/{report.key}/download/").status_code == 404


def test_html_of_a_large_report_points_to_the_files(world, client_for, settings):
    settings.REPORTS_ASYNC_ROWS = 1
    html = client_for(world.admin).get("/reports/run/offender-roster/?format=html").content.decode()
    assert "too many for a web page" in html
    assert not GeneratedReport.objects.exists()


def test_generated_report_belongs_to_its_owner(
    two_facilities, client_for, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_ASYNC_ROWS = 0
    with django_capture_on_commit_callbacks(execute=True):
        client_for(two_facilities.staff_jccc).get("/reports/run/offender-roster/?format=csv")
    report = GeneratedReport.objects.get()
    assert report.rows == 1, "the task builds the report with its owner's scope"
    for outsider in (two_facilities.staff_acc, two_facilities.officer, two_facilities.auditor):
        client = client_for(outsider)
        assert client.get(report.get_absolute_url()).status_code == 404
        assert client.get(f"/reports/generated/{report.key}/download/").status_code == 404
    assert client_for(two_facilities.admin).get(report.get_absolute_url()).status_code == 200


def test_generated_files_expire_after_the_set_days(world, client_for, settings, django_capture_on_commit_callbacks):
    settings.REPORTS_ASYNC_ROWS = 0
    settings.REPORTS_KEEP_DAYS = 3
    client = client_for(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/reports/run/offender-roster/?format=csv")
    report = GeneratedReport.objects.get()
    storage, name = report.file.storage, report.file.name
    assert storage.exists(name)

    with time_machine.travel(timezone.now() + dt.timedelta(days=2), tick=False):
        assert job_run(name="reports_cleanup").rows == 0
    assert storage.exists(name)
    with time_machine.travel(timezone.now() + dt.timedelta(days=3, minutes=1), tick=False):
        assert job_run(name="reports_cleanup").rows == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.EXPIRED and not report.file
    assert not storage.exists(name)
    assert client.get(f"/reports/generated/{report.key}/download/").status_code == 404
    assert "expired" in client.get(report.get_absolute_url()).content.decode()


def test_failed_task_is_recorded(world, client_for, register_report, django_capture_on_commit_callbacks):
    def broken(user, params):
        raise RuntimeError("the database went away")

    register_report(
        ReportEntry(
            "broken-test", "Broken", "core", "", broken, "reports/reports/tables.html", count=lambda u, p: 10**6
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.admin).get("/reports/run/broken-test/?format=csv")
    report = GeneratedReport.objects.get()
    assert report.status == ReportStatus.FAILED and "the database went away" in report.error


def test_entry_with_a_whole_document_template_csv_rows_and_its_own_parameters(
    world, client_for, register_report, tmp_path
):
    """An app's report written before the catalog existed: a whole HTML document, ``csv_rows``, and a
    build that reads its own parameters from the query."""
    from django.utils.safestring import mark_safe

    seen = []

    def build(user, params):
        seen.append(params.get("season"))
        document = "<!DOCTYPE html><html><head><style>@page { size: letter }</style></head>"
        document += f"<body><h2>Whole document for {params.get('season')}</h2></body></html>"
        return {"document": mark_safe(document), "csv_rows": [["crop", "pounds"], ["Kale", 12.5]]}

    register_report(ReportEntry("legacy-test", "Legacy", "core", "", build, "reports/print/document.html"))
    client = client_for(world.admin)
    html = client.get("/reports/run/legacy-test/?format=html&season=2025").content.decode()
    assert "Whole document for 2025" in html and html.count("<html") == 1
    text = pdf_text(client.get("/reports/run/legacy-test/?format=pdf&season=2025").content, tmp_path)
    assert text.strip().startswith("Whole document for 2025"), "printed as it is, not inside the print layout"
    assert rows_of(client.get("/reports/run/legacy-test/?format=csv")) == [["crop", "pounds"], ["Kale", "12.5"]]
    assert seen == ["2025", "2025", None]


def test_a_plain_link_runs_the_report_with_its_default_parameters(world, client_for):
    response = client_for(world.admin).get("/reports/run/annual-report/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert str(timezone.localdate().year) in response.content.decode()


def test_every_report_in_the_catalog_prints_inside_its_margins(two_facilities, client_for, tmp_path):
    """Issue 17, item 10, for every report: each PDF keeps its words inside the page's margins (a table
    of more than WIDE_TABLE_COLUMNS columns prints on a landscape page)."""
    from core.registry import registry
    from tests.pdfs import words_past_the_edge

    client = client_for(two_facilities.admin)
    printed = 0
    for slug, entry in registry.reports.items():
        if "pdf" not in entry.formats:
            continue
        response = client.get(f"/reports/run/{slug}/", {"format": "pdf"})
        assert response.status_code == 200, slug
        assert words_past_the_edge(response.content, tmp_path, margin_pt=0.6 * 72) == [], slug
        printed += 1
    assert printed >= 9
