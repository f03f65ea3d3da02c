"""The ``dogs`` and ``dog_conduct`` CSV imports: a preview with row errors by column, then all or nothing."""

import pytest

from core.imports import import_run
from puppies import services
from puppies.choices import DogStatus, ViolationSource
from puppies.models import ConductViolation, Dog, Vaccination

pytestmark = pytest.mark.django_db

HEADER = (
    "shelter,shelter_ref,name,breed,sex,birth_estimate,colour,intake_on,spayed_neutered,spay_neuter_on,"
    "rabies_given_on,rabies_expires_on,good_with_dogs,good_with_cats,good_with_children,behaviour_notes\n"
)
GOOD = (
    "Central Missouri Humane Society,CM-1,Rosie,Pit mix,female,2024-05-01,Brindle,2026-01-02,yes,2026-01-05,"
    "2026-01-03,2027-01-03,yes,,unknown,Calm\n"
    "central missouri humane society,CM-2,Duke,Hound,male,2023-11-01,Red,2026-01-04,no,,,,,,,\n"
)


def test_good_file_previews_then_commits_once(pw):
    preview = import_run(kind="dogs", content=HEADER + GOOD, user=pw.w.staff_jccc)
    assert preview.ok and not preview.committed and preview.counts() == {"create": 2}
    assert not Dog.objects.filter(name__in=["Rosie", "Duke"]).exists()
    result = import_run(kind="dogs", content=HEADER + GOOD, user=pw.w.staff_jccc, commit=True)
    assert result.committed
    rosie = Dog.objects.get(shelter_ref="CM-1")
    assert rosie.status == DogStatus.AT_SHELTER and rosie.spayed_neutered
    assert services.rabies_current(rosie, rosie.intake_on.replace(month=6))
    assert not Vaccination.objects.filter(dog__shelter_ref="CM-2").exists()
    again = import_run(kind="dogs", content=HEADER + GOOD, user=pw.w.staff_jccc, commit=True)
    assert again.counts() == {"ignore": 2}
    assert Dog.objects.filter(shelter_ref__in=["CM-1", "CM-2"]).count() == 2


def test_errors_by_column_and_nothing_written(pw):
    content = (
        HEADER
        + GOOD.splitlines()[0]
        + "\n"
        + "Nowhere Shelter,X-1,Ace,Lab,male,2024-01-01,Black,2026-01-01,no,,,,,,,\n"
        + "Central Missouri Humane Society,X-2,Bo,Lab,unknown,01/02/2024,Black,2026-01-01,maybe,,,,,,sometimes,\n"
        + "Central Missouri Humane Society,X-3,Cy,Lab,male,2024-01-01,Black,2026-01-01,no,,2026-01-02,,,,,\n"
        + "Central Missouri Humane Society,X-4,Di,Lab,male,2024-01-01,Black,2030-01-01,no,,2026-01-02,2025-01-01,,,,\n"
        + "Central Missouri Humane Society,X-5,Ed,Lab,male,2024-01-01,Black,2026-01-01,no,,2026-01-02,2025-01-01,,,,\n"
        + "Central Missouri Humane Society,CM-1,Rosie again,Lab,male,2024-01-01,Black,2026-01-01,no,,,,,,,\n"
    )
    result = import_run(kind="dogs", content=content, user=pw.w.staff_jccc, commit=True)
    assert not result.committed
    errors = {row.line: row.errors for row in result.rows}
    assert errors[2] == {}
    assert "No partner shelter" in errors[3]["shelter"][0]
    assert set(errors[4]) == {"sex", "birth_estimate", "spayed_neutered", "good_with_children"}
    assert "both" in errors[5]["rabies_expires_on"][0]
    assert (set(errors[6]) >= {"intake_on"} and "rabies_expires_on" in errors[6]) or "intake_on" in errors[6]
    assert "expires before" in errors[7]["rabies_expires_on"][0]
    assert errors[8], errors[8]  # the same dog twice in one file
    assert not Dog.objects.filter(shelter_ref__startswith="CM-").exists()
    assert not Dog.objects.filter(shelter_ref__startswith="X-").exists()


def test_staff_of_a_facility_the_shelter_does_not_work_with_cannot_import(pw, world):
    from tests.factories import FacilityFactory, UserFactory
    from tests.factories import puppies as f

    other = FacilityFactory(code="WRDCC")
    stranger = UserFactory(role="facility_staff", facilities=[other])
    f.shelter(other, name="Far Away Rescue")
    result = import_run(kind="dogs", content=HEADER + GOOD, user=stranger, commit=True)
    assert not result.committed
    assert "does not work with your facilities" in result.rows[0].errors["shelter"][0]


CONDUCT = "doc_id,facility_code,date,description\n"


def test_conduct_import_bars_the_person_and_reports_bad_rows(pw):
    person = pw.handlers[0]
    good = CONDUCT + f"{person.doc_id},JCCC,2026-02-10,Contraband\n"
    result = import_run(kind="dog_conduct", content=good, user=pw.w.staff_jccc, commit=True)
    assert result.committed
    violation = ConductViolation.objects.get()
    assert violation.source == ViolationSource.IMPORTED and violation.entered_by == pw.w.staff_jccc
    assert not services.handler_eligibility(offender=person, facility=pw.w.jccc).eligible
    assert import_run(kind="dog_conduct", content=good, user=pw.w.staff_jccc, commit=True).counts() == {"ignore": 1}
    bad = CONDUCT + "0000000,JCCC,2026-02-10,x\n" + f"{person.doc_id},ACC,2026-13-01,x\n"
    result = import_run(kind="dog_conduct", content=bad, user=pw.w.staff_jccc, commit=True)
    errors = {row.line: row.errors for row in result.rows}
    assert "doc_id" in errors[2]
    assert set(errors[3]) == {"facility_code", "date"}
    assert ConductViolation.objects.count() == 1
