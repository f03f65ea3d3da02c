"""CSV imports: the offender roster through ``import_run``, the web pages and the ``import_csv`` command.

A preview writes nothing; a commit writes every row or, if any row is bad, nothing at all; every
error is reported by line and column.
"""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from core.choices import ImportStatus, OffenderStatus
from core.imports import IMPORTERS, ROW, Importer, import_run, register_importer
from core.models import Facility, ImportBatch, Offender

pytestmark = pytest.mark.django_db

HEADER = "doc_id,last_name,first_name,date_of_birth,status,facility_code,district_number,officer_username"
CLEAN = f"""{HEADER}
3000001,Adams,Amy,1980-01-31,incarcerated,JCCC,,
3000002,Baker,Ben,1976-02-29,supervised,,9,officer.d9
3000003,Clark,Cal,1992-07-04,Discharged,,,
"""
# The same people again: Adams moved to Algoa, Baker renamed and handed to another officer.
CHANGED = f"""{HEADER}
3000001,Adams,Amy,1980-01-31,incarcerated,acc,,
3000002,Baker-Hill,Ben,1976-02-29,supervised,,9,officer2.d9
3000003,Clark,Cal,1992-07-04,discharged,,,
"""
DISTRICT_9 = f"""{HEADER}
3000011,Evans,Eve,1988-03-01,supervised,,9,officer.d9
3000012,Ford,Finn,1990-10-10,supervised,,9,
"""

GOOD_1 = "3000001,Adams,Amy,1980-01-31,incarcerated,JCCC,,"
GOOD_3 = "3000003,Clark,Cal,1992-07-04,discharged,,,"


def roster(*lines: str) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


def errors_by_line(result) -> dict[int, dict[str, list[str]]]:
    return {r.line: r.errors for r in result.rows if r.errors}


def doc_ids() -> set[str]:
    return set(Offender.objects.values_list("doc_id", flat=True))


# The service: preview, commit, update ------------------------------------------------------------
def test_import_clean_file_previews_without_writing(world):
    before = doc_ids()
    result = import_run(kind="offenders", content=CLEAN, commit=False)
    assert result.ok, errors_by_line(result)
    assert not result.committed
    assert result.counts() == {"create": 3}
    assert [r.line for r in result.rows] == [2, 3, 4]
    assert doc_ids() == before


def test_import_clean_file_commits_then_reimport_updates(world):
    result = import_run(kind="offenders", content=CLEAN, commit=True)
    assert result.committed, errors_by_line(result)
    adams = Offender.objects.get(doc_id="3000001")
    baker = Offender.objects.get(doc_id="3000002")
    assert (adams.status, adams.facility) == (OffenderStatus.INCARCERATED, world.jccc)
    assert (baker.district, baker.supervising_officer) == (world.d9, world.officer)
    assert str(baker.date_of_birth) == "1976-02-29"
    assert Offender.objects.get(doc_id="3000003").status == OffenderStatus.DISCHARGED

    result = import_run(kind="offenders", content=CHANGED, commit=True)
    assert result.committed, errors_by_line(result)
    assert result.counts() == {"update": 3}
    assert Offender.objects.filter(doc_id__startswith="3").count() == 3
    adams.refresh_from_db()
    baker.refresh_from_db()
    assert adams.facility == world.acc  # the code is matched whatever its case
    assert (baker.last_name, baker.supervising_officer) == ("Baker-Hill", world.officer2)
    assert baker.history.count() == 2


def test_import_same_file_twice_creates_nothing_new(world):
    assert import_run(kind="offenders", content=CLEAN, commit=True).committed
    result = import_run(kind="offenders", content=CLEAN, commit=True)
    assert result.committed
    assert result.counts() == {"update": 3}
    assert Offender.objects.filter(doc_id__startswith="3").count() == 3


BAD_ROWS = {
    "bad date": ("3000002,Baker,Ben,1975-02-29,supervised,,9,officer.d9", "date_of_birth", "not a date"),
    "unknown facility": ("3000002,Baker,Ben,1976-02-29,incarcerated,XYZ,,", "facility_code", "No facility"),
    "unknown status": ("3000002,Baker,Ben,1976-02-29,paroled,,9,officer.d9", "status", "not one of"),
    "unknown district": ("3000002,Baker,Ben,1976-02-29,supervised,,99,", "district_number", "No district"),
    "unknown officer": ("3000002,Baker,Ben,1976-02-29,supervised,,9,nobody", "officer_username", "No user"),
    "duplicate doc_id": ("3000001,Baker,Ben,1976-02-29,supervised,,9,officer.d9", "doc_id", "on line 2"),
    # The database's constraints: an incarcerated person needs a facility, a supervised one a district.
    "incarcerated without facility": ("3000002,Baker,Ben,1976-02-29,incarcerated,,,", "facility_code", "facility"),
    "supervised without district": ("3000002,Baker,Ben,1976-02-29,supervised,,,", "district_number", "district"),
    "officer of another district": (
        "3000002,Baker,Ben,1976-02-29,supervised,,9,officer.d10",
        "officer_username",
        "another district",
    ),
    "malformed doc_id": ("30-02,Baker,Ben,1976-02-29,supervised,,9,officer.d9", "doc_id", "5 to 12 digits"),
    "missing last name": ("3000002,,Ben,1976-02-29,supervised,,9,officer.d9", "last_name", "Required"),
    "name too long": (f"3000002,{'B' * 81},Ben,1976-02-29,supervised,,9,", "last_name", "at most 80"),
    "NUL character": ("3000002,Ba\x00ker,Ben,1976-02-29,supervised,,9,", "last_name", "NUL"),
    "control character": ("3000002,Ba\x1bker,Ben,1976-02-29,supervised,,9,", "last_name", "control character (U+001B)"),
    "extra value": ("3000002,Baker,Jr.,Ben,1976-02-29,supervised,,9,officer.d9", ROW, "more than the header"),
}


@pytest.mark.parametrize("case", BAD_ROWS, ids=list(BAD_ROWS))
def test_import_one_bad_row_changes_nothing(world, case):
    line, column, message = BAD_ROWS[case]
    before = doc_ids()
    supervised_before = Offender.objects.get(pk=world.supervised.pk).last_name
    # A good update of an existing person, then the bad row, then a good new person.
    content = roster(GOOD_1, line, GOOD_3, "1000001,Renamed,Person,1985-06-15,supervised,,9,officer.d9")
    result = import_run(kind="offenders", content=content, commit=True)
    assert not result.committed
    assert doc_ids() == before
    assert Offender.objects.get(pk=world.supervised.pk).last_name == supervised_before
    errors = errors_by_line(result)
    assert list(errors) == [3], errors  # only line 3, and the other rows are reported good
    assert column in errors[3], errors
    assert any(message in m for m in errors[3][column]), errors
    assert result.error_count == 1


def test_import_reports_every_error_of_a_row_by_column(world):
    content = roster("3000002,Baker,Ben,1976-13-01,paroled,XYZ,99,nobody")
    result = import_run(kind="offenders", content=content)
    errors = errors_by_line(result)[2]
    assert set(errors) == {"date_of_birth", "status", "facility_code", "district_number", "officer_username"}


def test_import_line_numbers_count_blank_lines_and_quoted_line_breaks(world):
    content = f'{HEADER}\n{GOOD_1}\n\n"3000002",Baker,"Ben\nJr.",1976-02-29,paroled,,9,\n{GOOD_3}\n'
    result = import_run(kind="offenders", content=content)
    assert list(errors_by_line(result)) == [5]
    assert [r.line for r in result.rows] == [2, 5, 6]


@pytest.fixture
def raw_facility_importer():
    """An importer that writes without the model's checks, so the database itself refuses a row."""

    @register_importer
    class RawFacilityImporter(Importer):
        kind = "test_raw_facilities"
        label = "Facilities (test)"
        columns = ["name", "code"]
        required = {"name", "code"}
        model = Facility

        def check(self, values):
            return "create", values

        def apply(self, values):
            return Facility.objects.create(name=values["name"], code=values["code"], town="Fulton", region="central")

    yield RawFacilityImporter
    IMPORTERS.pop(RawFacilityImporter.kind)


def test_import_database_error_on_one_row_rolls_back_every_row(world, raw_facility_importer):
    content = "name,code\nFulton Reception,FRDC\nBad Code Center,b-1\nBoonville Center,BCC\n"
    result = import_run(kind="test_raw_facilities", content=content, commit=True)
    assert not result.committed
    errors = errors_by_line(result)
    assert list(errors) == [3]
    assert "database refused" in errors[3][ROW][0]
    assert not Facility.objects.filter(code__in=["FRDC", "BCC"]).exists()
    # Without the bad row the same importer writes.
    result = import_run(kind="test_raw_facilities", content=content.replace("b-1", "BCD"), commit=True)
    assert result.committed
    assert Facility.objects.filter(code__in=["FRDC", "BCD", "BCC"]).count() == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (CLEAN.replace(",officer_username", ""), "Missing column(s): officer_username"),
        (CLEAN.replace("doc_id,", "doc_number,", 1), "Missing column(s): doc_id"),
        (CLEAN.replace("officer_username", "officer_username,notes"), "Unknown column(s): notes"),
        (CLEAN.replace(",status,", ",doc_id,", 1), "Column(s) named twice: doc_id"),
        (HEADER + "\n", "The file has no rows"),
        ("", "Missing column(s)"),
    ],
    ids=["missing", "renamed", "unknown", "twice", "no rows", "empty"],
)
def test_import_file_errors(world, content, message):
    before = doc_ids()
    result = import_run(kind="offenders", content=content, commit=True)
    assert not result.committed
    assert any(message in e for e in result.file_errors), result.file_errors
    assert result.rows == []
    assert doc_ids() == before


def test_import_header_is_case_and_space_insensitive_and_bom_is_ignored(world):
    content = "\ufeff" + CLEAN.replace(HEADER, " DOC_ID ," + HEADER.split(",", 1)[1].upper())
    result = import_run(kind="offenders", content=content, commit=True)
    assert result.committed, (result.file_errors, errors_by_line(result))


# Scope ------------------------------------------------------------------------------------------
def test_import_supervisor_cannot_import_into_another_district(world):
    before = doc_ids()
    content = roster(
        "3000011,Evans,Eve,1988-03-01,supervised,,9,officer.d9",
        "3000012,Ford,Finn,1990-10-10,supervised,,10,officer.d10",
    )
    result = import_run(kind="offenders", content=content, user=world.supervisor, commit=True)
    assert not result.committed
    errors = errors_by_line(result)
    assert list(errors) == [3]
    assert "outside your scope" in errors[3][ROW][0]
    assert doc_ids() == before


def test_import_supervisor_cannot_update_a_person_of_another_district(world):
    content = roster("1000002,Moved,Person,1985-06-15,supervised,,9,")
    result = import_run(kind="offenders", content=content, user=world.supervisor, commit=True)
    assert not result.committed
    assert "cannot update" in errors_by_line(result)[2]["doc_id"][0]
    world.supervised_d10.refresh_from_db()
    assert world.supervised_d10.district == world.d10


def test_import_supervisor_imports_into_own_district(world):
    result = import_run(kind="offenders", content=DISTRICT_9, user=world.supervisor, commit=True)
    assert result.committed, errors_by_line(result)
    evans = Offender.objects.get(doc_id="3000011")
    assert evans.history.get().history_user == world.supervisor


def test_import_officer_can_only_import_own_caseload(world):
    result = import_run(kind="offenders", content=DISTRICT_9, user=world.officer, commit=True)
    assert not result.committed
    assert list(errors_by_line(result)) == [3]  # Ford has no officer: outside officer.d9's caseload
    assert not Offender.objects.filter(doc_id="3000011").exists()


# The web pages ------------------------------------------------------------------------------------
def upload(client, content, name="roster.csv"):
    return client.post(
        reverse("core:import_start"),
        {"kind": "offenders", "file": SimpleUploadedFile(name, content.encode(), content_type="text/csv")},
    )


def cell(page: str, line: int, column: str) -> str:
    """The text of one cell of the preview table (columns after Line and Result)."""
    from core.imports import OffenderImporter

    row = re.search(rf'<tr>\s*<th scope="row">{line}</th>(.*?)</tr>', page, re.S)
    assert row, f"line {line} is not in the table"
    cells = re.findall(r"<td([^>]*)>(.*?)</td>", row.group(1), re.S)
    attrs, text = cells[1 + OffenderImporter.columns.index(column)]
    return attrs + " " + html.unescape(re.sub(r"<[^>]+>", " ", text))


def test_import_web_bad_file_shows_errors_by_row_and_column(world, client_for):
    client = client_for(world.supervisor)
    assert client.get(reverse("core:import_start")).status_code == 200
    content = roster(
        "3000011,Evans,Eve,1988-03-01,supervised,,9,officer.d9", "3000012,Ford,Finn,1990-02-30,paroled,,9,"
    )
    response = upload(client, content)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("core:import_preview", args=[batch.pk])
    assert (batch.status, batch.row_count, batch.error_count) == (ImportStatus.PREVIEWED, 2, 1)
    page = client.get(response["Location"]).content.decode()
    assert "1 of 2 rows have errors" in page
    assert 'class="cell-error"' in cell(page, 3, "date_of_birth")
    assert "'1990-02-30' is not a date" in cell(page, 3, "date_of_birth")
    assert "'paroled' is not one of" in cell(page, 3, "status")
    assert "cell-error" not in cell(page, 2, "date_of_birth")
    assert "Commit" not in page
    # Committing anyway (a crafted POST) imports nothing.
    response = client.post(reverse("core:import_preview", args=[batch.pk]), follow=True)
    assert "Nothing was imported" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED
    assert not Offender.objects.filter(doc_id__in=["3000011", "3000012"]).exists()


def test_import_web_commit_applies_once(world, client_for):
    client = client_for(world.supervisor)
    response = upload(client, DISTRICT_9)
    preview = response["Location"]
    assert not Offender.objects.filter(doc_id="3000011").exists()  # uploading writes no offender
    page = client.get(preview).content.decode()
    assert "All 2 rows are good: 2 to create" in page
    assert "Commit 2 rows" in page
    response = client.post(preview, follow=True)
    assert "Imported roster.csv: 2 created." in response.content.decode()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.COMMITTED
    assert batch.committed_at is not None
    # The second click of a double-submitted form changes nothing.
    response = client.post(preview, follow=True)
    assert "already handled" in response.content.decode()
    evans = Offender.objects.get(doc_id="3000011")
    assert evans.history.count() == 1
    assert Offender.objects.filter(doc_id__in=["3000011", "3000012"]).count() == 2
    page = client.get(preview).content.decode()
    assert "This file was committed" in page


def test_import_web_discard(world, client_for):
    client = client_for(world.supervisor)
    preview = upload(client, DISTRICT_9)["Location"]
    batch = ImportBatch.objects.get()
    response = client.post(reverse("core:import_discard", args=[batch.pk]), follow=True)
    assert "Nothing was imported" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.REJECTED
    client.post(preview)  # a commit after the discard does nothing
    batch.refresh_from_db()
    assert batch.status == ImportStatus.REJECTED
    assert not Offender.objects.filter(doc_id__in=["3000011", "3000012"]).exists()


def test_import_web_batch_is_the_uploaders(world, client_for):
    client = client_for(world.supervisor)
    preview = upload(client, DISTRICT_9)["Location"]
    batch = ImportBatch.objects.get()
    # Another supervisor: 404 on the preview, the commit and the discard.
    other = client_for(world.supervisor_d10)
    assert other.get(preview).status_code == 404
    assert other.post(preview).status_code == 404
    assert other.post(reverse("core:import_discard", args=[batch.pk])).status_code == 404
    # The auditor reads every batch but commits none.
    auditor = client_for(world.auditor)
    page = auditor.get(preview)
    assert page.status_code == 200
    assert "Commit" not in page.content.decode()
    assert auditor.post(preview).status_code == 403
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED
    assert not Offender.objects.filter(doc_id="3000011").exists()


def test_import_web_page_is_404_for_roles_that_import_nothing(world, client_for):
    # Auditors import nothing (victim services import victims: tests/victims/test_import.py).
    assert client_for(world.auditor).get(reverse("core:import_start")).status_code == 404


def test_import_web_kind_outside_the_users_importers_is_refused(world, client_for):
    client = client_for(world.staff_jccc)  # facility staff may import organizations' kinds only, if any
    response = upload(client, CLEAN)
    assert response.status_code in (200, 404)
    assert not ImportBatch.objects.exists()


# The command ----------------------------------------------------------------------------------------
def run_command(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command("import_csv", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_import_command_prints_every_error_and_exits_1(world, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(roster(GOOD_1, "3000002,Baker,Ben,1976-02-30,paroled,,9,", "3000001,Again,Amy,1980-01-31,x,,,"))
    before = doc_ids()
    for extra in ([], ["--commit"]):
        code, _, err = run_command("offenders", str(path), *extra)
        assert code == 1
        assert f"{path}: line 3, column date_of_birth: '1976-02-30' is not a date" in err
        assert f"{path}: line 3, column status: 'paroled' is not one of" in err
        assert f"{path}: line 4, column doc_id: The same record is on line 2." in err
        assert "3 error(s) in 2 of 3 row(s); nothing was imported." in err
        assert doc_ids() == before


def test_import_command_file_error_exits_1(world, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(CLEAN.replace(",officer_username", ""))
    code, _, err = run_command("offenders", str(path), "--commit")
    assert code == 1
    assert "Missing column(s): officer_username" in err
    assert "1 error(s) in the file; nothing was imported." in err


def test_import_command_writes_only_with_commit(world, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(CLEAN)
    before = doc_ids()
    code, out, _ = run_command("offenders", str(path))
    assert code == 0
    assert "is good (3 to create). Run again with --commit" in out
    assert doc_ids() == before
    code, out, _ = run_command("offenders", str(path), "--commit")
    assert code == 0
    assert "Imported" in out
    assert doc_ids() == before | {"3000001", "3000002", "3000003"}


def test_import_command_as_user_applies_scope(world, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(CLEAN)
    code, _, err = run_command("offenders", str(path), "--commit", "--user", "supervisor.d9")
    assert code == 1
    assert "outside your scope" in err
    assert not Offender.objects.filter(doc_id__startswith="3").exists()


def test_import_command_unknown_kind_or_file(world, tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Unknown kind"):
        call_command("import_csv", "nothing", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_csv", "offenders", str(tmp_path / "missing.csv"))
