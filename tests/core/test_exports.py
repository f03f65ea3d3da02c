"""Exports of lists and reports go through one path (core.exports): what a person typed opens as text.

Issue 17, items 1 and 2: a name typed as a formula came out of the list exports as a live formula,
and a court case holding control characters crashed ``/cases/?_export=xlsx``.
"""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from core.exports import csv_text, to_csv, to_xlsx
from tests.factories import CourtCaseFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/","x")'


def _csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_text_neutralizes_every_formula_start(start):
    assert csv_text(f"{start}1+2") == f"'{start}1+2"
    assert csv_text("Samaritan Center") == "Samaritan Center"


def test_list_csv_export_keeps_a_typed_formula_as_text(world, client_for):
    OrganizationFactory(name=FORMULA, kinds=["food_pantry"])
    rows = _csv_rows(client_for(world.admin).get("/organizations/", {"_export": "csv"}))
    assert rows[0][0] == "Name"
    names = [r[0] for r in rows[1:]]
    assert "'" + FORMULA in names
    assert FORMULA not in names


def test_list_xlsx_export_writes_a_typed_formula_as_a_string_cell(world, client_for):
    OrganizationFactory(name=FORMULA, kinds=["food_pantry"])
    response = client_for(world.admin).get("/organizations/", {"_export": "xlsx"})
    assert response.status_code == 200
    assert "<f>" not in _sheet_xml(response.content)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [(c.value, c.data_type) for c in cells if c.value == FORMULA] == [(FORMULA, "s")]


def test_case_with_control_characters_exports_without_crashing(world, client_for):
    # Stored through the API before the edge refused such text; PostgreSQL itself refuses only NUL.
    CourtCaseFactory(offender=world.supervised, case_number="26AC-CR09999", court="19th\x01\x07 Circuit\x1b (Cole)")
    client = client_for(world.officer)
    response = client.get("/cases/", {"_export": "xlsx", "q": "26AC-CR09999"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert any(row[0].value == "26AC-CR09999" for row in sheet.iter_rows(min_row=2))
    rows = _csv_rows(client.get("/cases/", {"_export": "csv", "q": "26AC-CR09999"}))
    assert any(r[0] == "26AC-CR09999" for r in rows[1:])


def test_export_keeps_numbers_and_dates_typed():
    import datetime as dt
    from decimal import Decimal

    table = {
        "title": "T",
        "columns": ["a", "b", "c", "d"],
        "rows": [[Decimal("-5.50"), dt.date(2026, 3, 5), None, True]],
    }
    assert list(csv.reader(io.StringIO(to_csv([table]).decode("utf-8-sig")))) == [
        ["a", "b", "c", "d"],
        ["-5.50", "2026-03-05", "", "Yes"],
    ]
    sheet = load_workbook(io.BytesIO(to_xlsx([table]))).active
    assert sheet["A2"].value == Decimal("-5.50") or sheet["A2"].value == -5.5
    assert sheet["A2"].data_type == "n"
    assert sheet["B2"].is_date


def test_restitution_caseload_exports_through_the_same_path(world, client_for):
    response = client_for(world.officer).get("/restitution/", {"_export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(response.content)).active.max_row >= 1
