"""A large upload in the browser: the progress bar while the import task checks it, the preview the
page reloads into when the task is done, the commit with its own progress, and axe at 1280 and 768 px
on each step. The task is queued on the real broker and run here (no worker consumes it)."""

import pytest

from tests.browser.conftest import both_widths

pytestmark = pytest.mark.browser

ROSTER = (
    "doc_id,last_name,first_name,date_of_birth,status,facility_code,district_number,officer_username\n"
    "2000101,Quinn,Ada,1981-03-01,supervised,,9,officer.d9\n"
    "2000102,Quinn,Bo,1982-04-02,supervised,,9,officer.d9\n"
    "2000103,Quinn,Cy,1983-05-03,supervised,,9,officer.d9\n"
)


@pytest.fixture
def queued_tasks(settings):
    """Uploads of more than two rows go to the task, and tasks are queued, not run in the request."""
    from rjadmin.celery import app

    settings.IMPORT_BACKGROUND_ROWS = 2
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True
    app.control.purge()


def test_a_large_upload_shows_its_progress_then_its_preview_and_commits(
    site, page_as, tmp_path, queued_tasks, django_db_blocker
):
    from core.choices import ImportStatus
    from core.imports import import_batch_work
    from core.models import ImportBatch, Offender

    page = page_as("admin")
    page.goto(site("/imports/"))
    csv_file = tmp_path / "quinn.csv"
    csv_file.write_text(ROSTER)
    page.get_by_label("What the file holds").select_option("offenders")
    page.get_by_label("CSV file").set_input_files(csv_file)
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and preview").click()
    bar = page.get_by_role("progressbar", name="Progress of quinn.csv")
    assert bar.is_visible()
    assert "Checking 3 rows" in page.get_by_role("status").first.inner_text()
    both_widths(page)

    with django_db_blocker.unblock():
        batch = ImportBatch.objects.get(filename="quinn.csv")
        import_batch_work(batch_id=batch.pk)
    # The bar's poll sees the step is over and the page reloads into the preview.
    page.get_by_text("All 3 rows are good: 3 to create").wait_for()
    both_widths(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Commit 3 rows").click()
    assert page.get_by_text("Committing quinn.csv: this page shows how far it has gone").is_visible()
    assert page.get_by_role("progressbar", name="Progress of quinn.csv").is_visible()
    both_widths(page)
    with django_db_blocker.unblock():
        import_batch_work(batch_id=batch.pk)
        page.get_by_text("This file was committed").wait_for()
        assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.COMMITTED
        assert Offender.objects.filter(doc_id__in=["2000101", "2000102", "2000103"]).count() == 3
    both_widths(page)
