"""Uploads kept as batches: the dry run's findings stored once, large files checked and committed by the
import task with a progress bar, a discard while checking, a failure, and a preview that never runs the
file again."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.choices import ImportStatus
from core.imports import PREVIEW_ROWS, import_batch_work, preview_data
from core.models import ImportBatch, Offender, User

pytestmark = pytest.mark.django_db

HEADER = "doc_id,last_name,first_name,date_of_birth,status,facility_code,district_number,officer_username"


def roster(count: int, *, bad: set[int] = frozenset()) -> str:
    """``count`` people for district 9; the rows numbered in ``bad`` have an impossible birth date."""
    lines = [
        f"{3100000 + n},Person{n},Pat,{'1990-02-30' if n in bad else '1990-01-01'},supervised,,9,officer.d9"
        for n in range(count)
    ]
    return "\n".join([HEADER, *lines]) + "\n"


def upload(client, content: str, name: str = "roster.csv"):
    data = {"kind": "offenders", "file": SimpleUploadedFile(name, content.encode(), content_type="text/csv")}
    return client.post(reverse("core:import_start"), data)


def test_a_small_file_is_checked_at_once_and_its_preview_is_stored_not_run_again(world, client_for):
    client = client_for(world.supervisor)
    response = upload(client, roster(3))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.PREVIEWED
    stored = preview_data(batch)
    assert (stored["row_count"], stored["error_rows"], stored["counts"]) == (3, 0, {"create": 3})
    # The page reads the stored findings: the same few queries for 3 rows as for 300, and a person
    # added since the upload does not change the preview (the commit checks the file again).
    with CaptureQueriesContext(connection) as small:
        page = client.get(response["Location"]).content.decode()
    assert "All 3 rows are good: 3 to create" in page
    Offender.objects.create(
        doc_id="3100000",
        last_name="Early",
        first_name="Pat",
        date_of_birth="1990-01-01",
        status="supervised",
        district=world.d9,
    )
    assert "All 3 rows are good: 3 to create" in client.get(response["Location"]).content.decode()
    upload(client, roster(300), name="big.csv")
    big = ImportBatch.objects.get(filename="big.csv")
    with CaptureQueriesContext(connection) as large:
        page = client.get(big.get_absolute_url()).content.decode()
    assert "All 300 rows are good" in page
    assert len(large) == len(small)


def test_a_long_file_with_errors_shows_its_bad_rows_first(world, client_for, settings):
    client = client_for(world.supervisor)
    count = PREVIEW_ROWS + 100
    upload(client, roster(count, bad={7, count - 1}))
    batch = ImportBatch.objects.get()
    stored = preview_data(batch)
    assert stored["shown"] == "errors"
    assert [row["line"] for row in stored["rows"]] == [9, count + 1]
    page = client.get(batch.get_absolute_url()).content.decode()
    assert f"2 of {count:,} rows have errors" in page
    assert "The rows with errors" in page


def test_a_large_file_is_checked_and_committed_by_the_task_with_progress(
    world, client_for, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_ROWS = 2
    client = client_for(world.supervisor)
    with django_capture_on_commit_callbacks() as queued:
        response = upload(client, roster(3))
    batch = ImportBatch.objects.get()
    assert (batch.status, len(queued)) == (ImportStatus.CHECKING, 1)
    page = client.get(response["Location"]).content.decode()
    assert 'role="progressbar"' in page and "Waiting for a worker" in page
    assert "Commit" not in page
    # The bar polls a fragment; while the task has not run it stays a fragment.
    poll = client.get(response["Location"], headers={"HX-Request": "true"})
    assert 'id="import-progress"' in poll.content.decode() and "HX-Refresh" not in poll
    queued[0]()  # the task, as a worker runs it
    poll = client.get(response["Location"], headers={"HX-Request": "true"})
    assert poll["HX-Refresh"] == "true"
    batch.refresh_from_db()
    assert (batch.status, batch.progress, batch.row_count) == (ImportStatus.PREVIEWED, 100, 3)
    assert "All 3 rows are good: 3 to create" in client.get(response["Location"]).content.decode()
    # A task delivered twice runs the step once.
    assert import_batch_work(batch_id=batch.pk) is None

    with django_capture_on_commit_callbacks() as queued:
        page = client.post(response["Location"], follow=True).content.decode()
    assert "this page shows how far it has gone" in page
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTING
    assert not Offender.objects.filter(doc_id="3100000").exists()
    assert "already handled" in client.post(response["Location"], follow=True).content.decode()
    queued[0]()
    batch.refresh_from_db()
    assert (batch.status, batch.committed_at is not None) == (ImportStatus.COMMITTED, True)
    assert Offender.objects.filter(doc_id__startswith="31000").count() == 3
    assert "This file was committed" in client.get(response["Location"]).content.decode()


def test_a_file_discarded_while_it_is_checked_is_never_previewed(
    world, client_for, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_ROWS = 2
    client = client_for(world.supervisor)
    with django_capture_on_commit_callbacks() as queued:
        upload(client, roster(3))
    batch = ImportBatch.objects.get()
    assert "Stop and discard" in client.get(batch.get_absolute_url()).content.decode()
    client.post(reverse("core:import_discard", args=[batch.pk]))
    queued[0]()
    batch.refresh_from_db()
    assert (batch.status, batch.preview) == (ImportStatus.REJECTED, "")


def test_a_step_that_fails_is_shown_as_failed_and_changes_nothing(world, client_for, settings):
    client = client_for(world.supervisor)
    settings.IMPORT_BACKGROUND_ROWS = 2
    upload(client, roster(3))
    batch = ImportBatch.objects.get()
    # The kind of file is no longer known (an importer removed since the upload): the step raises.
    ImportBatch.objects.filter(pk=batch.pk).update(kind="retired_kind")
    import_batch_work(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert "KeyError" in batch.error
    ImportBatch.objects.filter(pk=batch.pk).update(kind="offenders")
    page = client.get(batch.get_absolute_url()).content.decode()
    assert "could not be handled: nothing was imported" in page
    assert not Offender.objects.filter(doc_id__startswith="31000").exists()


def test_a_commit_that_meets_new_errors_goes_back_to_its_preview(world, client_for):
    """Between the preview and the commit the data changed: the commit checks again, writes nothing,
    and the preview shows the new errors."""
    client = client_for(world.supervisor)
    content = roster(2).replace("officer.d9", "officer2.d9")
    response = upload(client, content)
    assert "All 2 rows are good" in client.get(response["Location"]).content.decode()
    User.objects.filter(username="officer2.d9").update(username="officer2.d9.gone")
    page = client.post(response["Location"], follow=True).content.decode()
    assert "Nothing was imported" in page
    assert "No user is named" in page
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.error_count) == (ImportStatus.PREVIEWED, 2)
    assert not Offender.objects.filter(doc_id__startswith="31000").exists()
