"""Text with control characters is refused at every edge with a clear message, and nothing is stored;
a CSV file saved as UTF-16 or with a byte order mark is read (issue 17, item 2).

Before: a court case whose text held control characters was accepted through the API (and then
crashed the XLSX export), and a UTF-16 file was read as Windows-1252 garbage.
"""

import codecs
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.forms import CleanTextMixin
from core.imports import decode_csv, import_run
from core.models import CourtCase, Offender
from core.validators import no_control_characters

pytestmark = pytest.mark.django_db

HEADER = "doc_id,last_name,first_name,date_of_birth,status,facility_code,district_number,officer_username"
ROW = "3000021,Núñez,Amy,1980-01-31,incarcerated,JCCC,,"
OUR_APPS = ("core", "gardens", "donations", "restitution", "reports")


def test_every_form_of_ours_refuses_control_characters():
    """A form written later that forgets the mixin fails here, naming itself."""
    missing = []
    for app in OUR_APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or info.name.endswith(("tests", "demo")):
                continue
            module = importlib.import_module(info.name)
            for name, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ != module.__name__ or not issubclass(cls, forms.BaseForm):
                    continue
                if not issubclass(cls, CleanTextMixin):
                    missing.append(f"{module.__name__}.{name}")
    assert missing == []


def test_a_form_refuses_a_control_character_under_its_field(world, client_for):
    client = client_for(world.admin)
    data = {
        "court": "19th Judicial Circuit\x07",
        "case_number": "26AC-CR07777",
        "county": "Cole",
        "offender": world.supervised.pk,
        "offense": "Theft",
        "offense_class": CourtCase._meta.get_field("offense_class").choices[0][0],
        "sentencing_date": "2026-01-05",
    }
    response = client.post(reverse("core:courtcase_add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "invisible control character (U+0007)" in page
    assert "Nothing was saved." in page
    assert not CourtCase.objects.filter(case_number="26AC-CR07777").exists()


def test_the_api_refuses_a_control_character_naming_the_field(world, client_for):
    client = client_for(world.admin)
    payload = {
        "court": "19th Judicial Circuit",
        "case_number": "26AC-CR07778",
        "county": "Co\x1ble",
        "offender": world.supervised.pk,
        "offense": "Theft",
        "offense_class": CourtCase._meta.get_field("offense_class").choices[0][0],
        "sentencing_date": "2026-01-05",
    }
    response = client.post("/api/v1/cases/", payload, content_type="application/json")
    assert response.status_code == 400
    assert "U+001B" in response.json()["county"][0]
    assert not CourtCase.objects.filter(case_number="26AC-CR07778").exists()


def test_void_reason_through_the_api_refuses_a_control_character(world, client_for):
    from tests.factories.gardens import HarvestFactory, make_garden_world

    w = make_garden_world(world)
    harvest = HarvestFactory(facility=w.jccc, garden=w.garden_jccc, crop=w.tomatoes, entered_by=w.admin)
    response = client_for(world.admin).post(
        f"/api/v1/harvests/{harvest.pk}/void/", {"reason": "typo\x08"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "control character" in str(response.json())
    harvest.refresh_from_db()
    assert harvest.voided_at is None


def test_validator_lets_tabs_and_line_breaks_through():
    no_control_characters("Line one\r\nLine\ttwo")
    with pytest.raises(Exception, match=r"U\+007F"):
        no_control_characters("rubout\x7f")


@pytest.mark.parametrize(
    "encoding,bom",
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),
        ("cp1252", b""),
    ],
)
def test_csv_files_are_read_however_they_were_saved(encoding, bom):
    text = f"{HEADER}\r\n{ROW}\r\n"
    assert decode_csv(bom + text.encode(encoding)) == text


def test_bytes_that_are_not_text_are_refused_in_plain_words():
    with pytest.raises(ValueError, match="not text"):
        decode_csv(b"\x81\x8d\x8f\x90\x9d" * 10)


def test_a_utf16_upload_imports_with_its_accents(world, client_for):
    client = client_for(world.admin)
    content = codecs.BOM_UTF16_LE + f"{HEADER}\r\n{ROW}\r\n".encode("utf-16-le")
    response = client.post(
        reverse("core:import_start"),
        {"kind": "offenders", "file": SimpleUploadedFile("roster.csv", content, content_type="text/csv")},
    )
    assert response.status_code == 302
    client.post(response["Location"])
    assert Offender.objects.get(doc_id="3000021").last_name == "Núñez"


def test_an_import_with_a_control_character_stores_nothing(world):
    row = ROW.replace("Amy", "A\x02my")
    result = import_run(kind="offenders", content=f"{HEADER}\n{row}\n", commit=True)
    assert not result.committed
    assert "U+0002" in result.rows[0].errors["first_name"][0]
    assert not Offender.objects.filter(doc_id="3000021").exists()
