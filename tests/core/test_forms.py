"""Form rules for core records, through the forms and through the pages that use them."""

import re

import pytest
from django.urls import reverse

from core.choices import AgencyStatus, FacilityKind, OffenderStatus, Region, Role
from core.models import CourtCase, Facility, Offender, Organization, OrganizationKind
from core.resources import resource_for
from tests.factories import FacilityFactory, UserFactory

pytestmark = pytest.mark.django_db

# The forms the pages use: the declarations' field lists with core.forms' rules.
CourtCaseForm, FacilityForm, OffenderForm, OrganizationForm = (
    resource_for(model).get_form_class() for model in (CourtCase, Facility, Offender, Organization)
)


def _kinds(*codes):
    return [str(pk) for pk in OrganizationKind.objects.filter(code__in=codes).values_list("pk", flat=True)]


def _org_data(**changes):
    data = {"name": "Cole County Habitat", "county": "Cole", "town": "Jefferson City", "active": "on"}
    data.update(changes)
    return data


# Organizations -----------------------------------------------------------------------------------
def test_organization_service_agency_needs_status(world):
    form = OrganizationForm(data=_org_data(kinds=_kinds("service_agency")), user=world.admin)
    assert not form.is_valid()
    assert form.errors["agency_status"] == ["A community service agency must be non-profit or tax-supported."]


@pytest.mark.parametrize("status", [AgencyStatus.NON_PROFIT, AgencyStatus.TAX_SUPPORTED])
def test_organization_service_agency_with_status_is_valid(world, status):
    form = OrganizationForm(
        data=_org_data(kinds=_kinds("service_agency", "nonprofit"), agency_status=status), user=world.admin
    )
    assert form.is_valid(), form.errors
    org = form.save()
    assert org.agency_status == status
    assert {k.code for k in org.kinds.all()} == {"service_agency", "nonprofit"}


def test_organization_other_kinds_must_not_have_status(world):
    form = OrganizationForm(
        data=_org_data(kinds=_kinds("food_bank", "church"), agency_status=AgencyStatus.NON_PROFIT), user=world.admin
    )
    assert not form.is_valid()
    assert form.errors["agency_status"] == ["Only a community service agency has a non-profit or tax-supported status."]


def test_organization_needs_at_least_one_kind(world):
    form = OrganizationForm(data=_org_data(), user=world.admin)
    assert not form.is_valid()
    assert form.errors["kinds"] == ["Choose at least one kind."]


def test_organization_several_kinds_are_kept(world):
    form = OrganizationForm(data=_org_data(kinds=_kinds("church", "food_pantry")), user=world.admin)
    assert form.is_valid(), form.errors
    assert set(form.save().kinds.values_list("code", flat=True)) == {"church", "food_pantry"}


def test_organization_name_is_unique_per_county(world):
    Organization.objects.create(name="Cole County Habitat", county="Cole")
    form = OrganizationForm(data=_org_data(kinds=_kinds("nonprofit")), user=world.admin)
    assert not form.is_valid()
    assert form.non_field_errors()
    form = OrganizationForm(data=_org_data(kinds=_kinds("nonprofit"), county="Boone"), user=world.admin)
    assert form.is_valid(), form.errors


def test_organization_kind_rules_apply_through_the_page(world, client_for):
    client = client_for(world.staff_jccc)  # facility staff may add partners
    response = client.post(reverse("core:organization_add"), _org_data(kinds=_kinds("service_agency")))
    assert response.status_code == 200
    assert "must be non-profit or tax-supported" in response.content.decode()
    assert not Organization.objects.filter(name="Cole County Habitat").exists()
    response = client.post(
        reverse("core:organization_add"),
        _org_data(kinds=_kinds("service_agency"), agency_status=AgencyStatus.TAX_SUPPORTED),
    )
    assert response.status_code == 302
    assert Organization.objects.get(name="Cole County Habitat").agency_status == AgencyStatus.TAX_SUPPORTED


# Offenders ---------------------------------------------------------------------------------------
def _offender_data(**changes):
    data = {
        "doc_id": "2000001",
        "last_name": "Quill",
        "first_name": "Avery",
        "date_of_birth": "1990-04-02",
        "status": OffenderStatus.SUPERVISED,
        "facility": "",
        "district": "",
        "supervising_officer": "",
        "supervision_end_date": "",
    }
    data.update(changes)
    return data


def test_offender_incarcerated_needs_facility(world):
    form = OffenderForm(data=_offender_data(status=OffenderStatus.INCARCERATED), user=world.admin)
    assert not form.is_valid()
    assert form.errors["facility"] == ["An incarcerated person must have a facility."]
    form = OffenderForm(
        data=_offender_data(status=OffenderStatus.INCARCERATED, facility=world.jccc.pk), user=world.admin
    )
    assert form.is_valid(), form.errors


def test_offender_supervised_needs_district(world):
    form = OffenderForm(data=_offender_data(status=OffenderStatus.SUPERVISED), user=world.admin)
    assert not form.is_valid()
    assert form.errors["district"] == ["A supervised person must have a district."]
    form = OffenderForm(data=_offender_data(district=world.d9.pk), user=world.admin)
    assert form.is_valid(), form.errors


def test_offender_officer_must_work_in_the_district(world):
    form = OffenderForm(
        data=_offender_data(district=world.d9.pk, supervising_officer=world.officer_d10.pk), user=world.admin
    )
    assert not form.is_valid()
    assert form.errors["supervising_officer"] == [f"{world.officer_d10} works in another district."]
    form = OffenderForm(
        data=_offender_data(district=world.d10.pk, supervising_officer=world.officer_d10.pk), user=world.admin
    )
    assert form.is_valid(), form.errors


def test_offender_officer_needs_a_district(world):
    form = OffenderForm(
        data=_offender_data(
            status=OffenderStatus.INCARCERATED, facility=world.jccc.pk, supervising_officer=world.officer.pk
        ),
        user=world.admin,
    )
    assert not form.is_valid()
    assert "district" in form.errors


def test_offender_discharged_has_no_officer(world):
    form = OffenderForm(
        data=_offender_data(
            status=OffenderStatus.DISCHARGED, district=world.d9.pk, supervising_officer=world.officer.pk
        ),
        user=world.admin,
    )
    assert not form.is_valid()
    assert form.errors["supervising_officer"] == ["A discharged person has no supervising officer."]


def test_offender_officer_choices_are_active_officers_only(world):
    inactive = UserFactory(username="gone.d9", role=Role.PROBATION_OFFICER, district=world.d9, is_active=False)
    form = OffenderForm(user=world.admin)
    officers = set(form.fields["supervising_officer"].queryset)
    assert world.officer in officers
    assert world.supervisor in officers
    assert inactive not in officers
    assert world.staff_jccc not in officers  # not an officer at all
    assert world.auditor not in officers
    labels = dict(form.fields["supervising_officer"].choices)
    assert any(str(label) == f"{world.officer} (District 9)" for label in labels.values())


def test_offender_doc_id_must_be_digits(world):
    form = OffenderForm(data=_offender_data(doc_id="A12", district=world.d9.pk), user=world.admin)
    assert not form.is_valid()
    assert form.errors["doc_id"] == ["A DOC ID is 5 to 12 digits."]


def test_form_without_user_offers_no_choices(world):
    form = OffenderForm()
    assert not form.fields["district"].queryset.exists()
    assert not form.fields["supervising_officer"].queryset.exists()


# Facilities --------------------------------------------------------------------------------------
def _facility_data(**changes):
    data = {
        "name": "Fulton Reception and Diagnostic Center",
        "code": "frdc",
        "town": "Fulton",
        "kind": FacilityKind.INSTITUTION,
        "region": Region.NORTHEAST,
        "district": "",
        "active": "on",
    }
    data.update(changes)
    return data


def test_facility_code_is_upper_cased(world):
    form = FacilityForm(data=_facility_data(code="  frdc "), user=world.admin)
    assert form.is_valid(), form.errors
    assert form.save().code == "FRDC"


def test_facility_code_is_upper_cased_through_the_page(world, client_for):
    response = client_for(world.admin).post(reverse("core:facility_add"), _facility_data(code="frdc"))
    assert response.status_code == 302
    assert Facility.objects.get(name="Fulton Reception and Diagnostic Center").code == "FRDC"


def test_facility_code_in_other_case_is_a_duplicate(world):
    form = FacilityForm(data=_facility_data(code="jccc"), user=world.admin)
    assert not form.is_valid()
    assert "code" in form.errors


def test_facility_code_with_bad_characters_gets_a_clear_message(world):
    form = FacilityForm(data=_facility_data(code="fr-dc"), user=world.admin)
    assert not form.is_valid()
    assert form.errors["code"] == ["A facility code is 2 to 10 letters or digits, such as JCCC."]


def test_facility_district_office_needs_district(world):
    form = FacilityForm(data=_facility_data(kind=FacilityKind.DISTRICT_OFFICE), user=world.admin)
    assert not form.is_valid()
    assert form.errors["district"] == ["A district office or supervision center serves a district: choose it."]
    form = FacilityForm(data=_facility_data(kind=FacilityKind.CSC, district=world.d9.pk), user=world.admin)
    assert form.is_valid(), form.errors


def test_facility_edit_keeps_its_own_code(world):
    facility = FacilityFactory(code="WERDCC", name="Women's Eastern")
    form = FacilityForm(data=_facility_data(name=facility.name, code="werdcc"), instance=facility, user=world.admin)
    assert form.is_valid(), form.errors


# Court cases -------------------------------------------------------------------------------------
def test_court_case_sentencing_before_birth_is_refused(world):
    form = CourtCaseForm(
        data={
            "court": "19th Judicial Circuit (Cole County)",
            "case_number": "26AC-CR07777",
            "county": "Cole",
            "offender": world.supervised.pk,
            "offense_class": "felony_d",
            "sentencing_date": "1950-01-01",
        },
        user=world.admin,
    )
    assert not form.is_valid()
    assert form.errors["sentencing_date"] == ["The sentencing date is before the date of birth."]


def test_court_case_number_is_unique_per_court(world):
    form = CourtCaseForm(
        data={
            "court": world.case.court,
            "case_number": world.case.case_number,
            "county": "Cole",
            "offender": world.supervised.pk,
            "offense_class": "felony_d",
            "sentencing_date": "2025-01-01",
        },
        user=world.admin,
    )
    assert not form.is_valid()
    assert form.non_field_errors()


# A bad POST keeps what the user typed ------------------------------------------------------------
def _value_of(html, name):
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, name
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else None


def _selected(html, name):
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(1))


def test_bad_offender_post_keeps_input(world, client_for):
    client = client_for(world.supervisor)
    data = _offender_data(
        doc_id="2000777",
        last_name="O'Keeffe-Input",
        first_name="Marisol",
        date_of_birth="1991-07-31",
        status=OffenderStatus.INCARCERATED,  # without a facility: refused
        district=world.d9.pk,
        supervising_officer=world.officer2.pk,
        supervision_end_date="2027-12-31",
    )
    response = client.post(reverse("core:offender_add"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "An incarcerated person must have a facility." in html
    assert _value_of(html, "doc_id") == "2000777"
    assert _value_of(html, "last_name") == "O&#x27;Keeffe-Input"
    assert _value_of(html, "first_name") == "Marisol"
    assert _value_of(html, "date_of_birth") == "1991-07-31"
    assert _value_of(html, "supervision_end_date") == "2027-12-31"
    assert _selected(html, "status") == [OffenderStatus.INCARCERATED.value]
    assert _selected(html, "district") == [str(world.d9.pk)]
    assert _selected(html, "supervising_officer") == [str(world.officer2.pk)]
    assert not Offender.objects.filter(doc_id="2000777").exists()


def test_bad_edit_keeps_input_not_database_values(world, client_for):
    offender = world.supervised
    client = client_for(world.officer)
    data = _offender_data(
        doc_id=offender.doc_id,
        last_name="Typed-Name",
        first_name=offender.first_name,
        date_of_birth="not a date",
        district=world.d9.pk,
        supervising_officer=world.officer.pk,
    )
    response = client.post(reverse("core:offender_edit", args=[offender.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert _value_of(html, "last_name") == "Typed-Name"
    assert _value_of(html, "date_of_birth") == "not a date"
    offender.refresh_from_db()
    assert offender.last_name != "Typed-Name"


def test_bad_organization_post_keeps_checked_kinds(world, client_for):
    kinds = _kinds("service_agency", "church")
    response = client_for(world.admin).post(
        reverse("core:organization_add"), _org_data(kinds=kinds, contact_name="Pastor Input")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert _value_of(html, "contact_name") == "Pastor Input"
    checked = set(re.findall(r'<input[^>]*name="kinds"[^>]*value="(\d+)"[^>]*checked', html))
    assert checked == set(kinds)


def test_bad_user_post_keeps_input_but_not_passwords(world, client_for):
    response = client_for(world.admin).post(
        reverse("core:user_add"),
        {
            "username": "kept.name",
            "first_name": "Kept",
            "last_name": "Input",
            "email": "kept@example.org",
            "role": Role.DISTRICT_SUPERVISOR,  # without a district: refused
            "is_active": "on",
            "password1": "Plaza-Drive-2729-garden",
            "password2": "Plaza-Drive-2729-garden",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert _value_of(html, "username") == "kept.name"
    assert _value_of(html, "email") == "kept@example.org"
    assert _selected(html, "role") == [Role.DISTRICT_SUPERVISOR.value]
    assert "Plaza-Drive-2729-garden" not in html
