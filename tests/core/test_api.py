"""The REST API at /api/v1/: session and token auth, the scope rule on every endpoint, the schema and docs.

Every endpoint is checked with the record's owner, its supervisor and an outsider (healthchecks'
alice/bob/charlie): the outsider gets 404 on the record and does not see it in the list.
"""

import re

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.choices import OffenderStatus
from core.models import CourtCase, District, Facility, Offender, Organization
from core.resources import resource_for

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def api():
    """``api(user)``: a DRF client signed in with a session (or anonymous when user is None)."""

    def make(user=None):
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def token_api():
    """``token_api(user)``: a DRF client that sends ``Authorization: Token ...`` and has no session."""

    def make(user):
        token, _ = Token.objects.get_or_create(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def offender_payload(**overrides):
    data = {
        "doc_id": "2000001",
        "last_name": "Doe",
        "first_name": "Jane",
        "date_of_birth": "1990-04-02",
        "status": OffenderStatus.SUPERVISED,
        "facility": None,
        "district": None,
        "supervising_officer": None,
        "supervision_end_date": None,
    }
    data.update(overrides)
    return data


# Authentication -------------------------------------------------------------------------------
def test_api_anonymous_is_refused_everywhere(world, api):
    client = api()
    for endpoint in ("offenders", "cases", "facilities", "districts", "organizations"):
        response = client.get(f"{API}/{endpoint}/")
        assert response.status_code in (401, 403), endpoint
    assert client.get(f"{API}/offenders/{world.supervised.pk}/").status_code in (401, 403)
    assert client.post(f"{API}/offenders/", offender_payload(), format="json").status_code in (401, 403)
    assert not Offender.objects.filter(doc_id="2000001").exists()


def test_api_session_auth_lists_in_scope(world, api):
    assert ids(api(world.officer).get(f"{API}/offenders/")) == {world.supervised.pk}


def test_api_token_auth_lists_in_scope(world, token_api):
    client = token_api(world.officer_d10)
    assert ids(client.get(f"{API}/offenders/")) == {world.supervised_d10.pk}
    assert client.get(f"{API}/offenders/{world.supervised_d10.pk}/").json()["doc_id"] == "1000002"


def test_api_bad_token_is_refused(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get(f"{API}/offenders/").status_code in (401, 403)


def test_api_token_write_needs_no_csrf(world, token_api):
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.officer).key}")
    response = client.patch(f"{API}/offenders/{world.supervised.pk}/", {"last_name": "Tokened"}, format="json")
    assert response.status_code == 200, response.content
    world.supervised.refresh_from_db()
    assert world.supervised.last_name == "Tokened"


def test_api_session_write_needs_csrf(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.officer)
    response = client.patch(f"{API}/offenders/{world.supervised.pk}/", {"last_name": "Forged"}, format="json")
    assert response.status_code == 403
    world.supervised.refresh_from_db()
    assert world.supervised.last_name != "Forged"


# Offenders: owner, supervisor, outsider ------------------------------------------------------------
def test_api_offender_owner_supervisor_outsider(world, api):
    w = world
    url = f"{API}/offenders/{w.supervised.pk}/"
    assert api(w.officer).get(url).status_code == 200  # owner
    assert api(w.supervisor).get(url).status_code == 200  # supervisor
    for outsider in (w.officer_d10, w.supervisor_d10, w.officer2, w.staff_jccc):
        assert api(outsider).get(url).status_code == 404, outsider.username
    # An officer of district 9 gets 404 on a district-10 offender and does not see it listed.
    assert api(w.officer).get(f"{API}/offenders/{w.supervised_d10.pk}/").status_code == 404
    assert w.supervised_d10.pk not in ids(api(w.officer).get(f"{API}/offenders/"))
    assert ids(api(w.supervisor).get(f"{API}/offenders/")) == {w.supervised.pk}
    assert ids(api(w.staff_jccc).get(f"{API}/offenders/")) == {w.inmate.pk}
    assert ids(api(w.auditor).get(f"{API}/offenders/")) == {w.supervised.pk, w.supervised_d10.pk, w.inmate.pk}


def test_api_offender_filter_cannot_widen_scope(world, api):
    response = api(world.officer).get(f"{API}/offenders/", {"district": world.d10.pk})
    assert ids(response) == set()
    response = api(world.officer).get(f"{API}/offenders/", {"doc_id": "1000002"})
    assert ids(response) == set()


def test_api_officer_creates_offender_on_own_caseload(world, api):
    w = world
    data = offender_payload(district=w.d9.pk, supervising_officer=w.officer.pk)
    response = api(w.officer).post(f"{API}/offenders/", data, format="json")
    assert response.status_code == 201, response.content
    created = Offender.objects.get(doc_id="2000001")
    assert (created.district, created.supervising_officer) == (w.d9, w.officer)
    assert created.history.count() == 1


def test_api_officer_cannot_create_offender_outside_caseload(world, api):
    """Created without an officer, the record would be outside the officer's scope: refused, not saved."""
    w = world
    response = api(w.officer).post(f"{API}/offenders/", offender_payload(district=w.d9.pk), format="json")
    assert response.status_code == 400
    assert "outside your scope" in str(response.json())
    assert not Offender.objects.filter(doc_id="2000001").exists()


def test_api_supervisor_creates_offender_in_district(world, api):
    w = world
    data = offender_payload(district=w.d9.pk, supervising_officer=w.officer2.pk)
    response = api(w.supervisor).post(f"{API}/offenders/", data, format="json")
    assert response.status_code == 201, response.content
    assert Offender.objects.get(doc_id="2000001").supervising_officer == w.officer2


def test_api_supervisor_cannot_create_offender_in_another_district(world, api):
    w = world
    response = api(w.supervisor).post(f"{API}/offenders/", offender_payload(district=w.d10.pk), format="json")
    assert response.status_code == 400
    assert not Offender.objects.filter(doc_id="2000001").exists()


def test_api_officer_patches_own_offender(world, api):
    w = world
    response = api(w.officer).patch(
        f"{API}/offenders/{w.supervised.pk}/", {"supervision_end_date": "2027-01-31"}, format="json"
    )
    assert response.status_code == 200, response.content
    w.supervised.refresh_from_db()
    assert str(w.supervised.supervision_end_date) == "2027-01-31"


def test_api_supervisor_reassigns_within_district(world, api):
    w = world
    response = api(w.supervisor).patch(
        f"{API}/offenders/{w.supervised.pk}/", {"supervising_officer": w.officer2.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    w.supervised.refresh_from_db()
    assert w.supervised.supervising_officer == w.officer2


def test_api_patch_moving_record_out_of_scope_changes_nothing(world, api):
    """A supervisor moves a district-9 person to district 10: the save is rolled back, history too."""
    w = world
    before = w.supervised.history.count()
    response = api(w.supervisor).patch(
        f"{API}/offenders/{w.supervised.pk}/",
        {"district": w.d10.pk, "supervising_officer": None, "last_name": "Moved"},
        format="json",
    )
    assert response.status_code == 400
    assert "outside your scope" in str(response.json())
    w.supervised.refresh_from_db()
    assert (w.supervised.district, w.supervised.supervising_officer) == (w.d9, w.officer)
    assert w.supervised.last_name != "Moved"
    assert w.supervised.history.count() == before


def test_api_officer_cannot_hand_offender_to_another_officer(world, api):
    """Handing a person to another officer takes them off the caseload: refused, nothing changes."""
    w = world
    response = api(w.officer).patch(
        f"{API}/offenders/{w.supervised.pk}/", {"supervising_officer": w.officer2.pk}, format="json"
    )
    assert response.status_code == 400
    w.supervised.refresh_from_db()
    assert w.supervised.supervising_officer == w.officer


def test_api_outsider_patch_is_404_and_changes_nothing(world, api):
    w = world
    for outsider in (w.officer_d10, w.officer2, w.supervisor_d10):
        response = api(outsider).patch(f"{API}/offenders/{w.supervised.pk}/", {"last_name": "X"}, format="json")
        assert response.status_code == 404, outsider.username
    w.supervised.refresh_from_db()
    assert w.supervised.last_name != "X"


def test_api_read_only_roles_get_403_on_writes(world, api):
    w = world
    for user in (w.auditor, w.victims, w.boards, w.staff_jccc):
        client = api(user)
        data = offender_payload(district=w.d9.pk)
        assert client.post(f"{API}/offenders/", data, format="json").status_code == 403, user.username
        response = client.patch(f"{API}/offenders/{w.supervised.pk}/", {"last_name": "X"}, format="json")
        assert response.status_code == 403, user.username
        response = client.put(f"{API}/cases/{w.case.pk}/", {"county": "X"}, format="json")
        assert response.status_code == 403, user.username
    assert not Offender.objects.filter(doc_id="2000001").exists()
    w.supervised.refresh_from_db()
    assert w.supervised.last_name != "X"


def test_api_delete_is_not_allowed(world, api):
    w = world
    cases = [
        (w.admin, f"offenders/{w.inmate.pk}/"),
        (w.officer, f"offenders/{w.supervised.pk}/"),
        (w.officer, f"cases/{w.case.pk}/"),
        (w.admin, f"facilities/{w.jccc.pk}/"),
        (w.admin, f"districts/{w.d9.pk}/"),
        (w.auditor, f"offenders/{w.supervised.pk}/"),
    ]
    for user, path in cases:
        assert api(user).delete(f"{API}/{path}").status_code == 405, (user.username, path)
    assert Offender.objects.filter(pk__in=[w.inmate.pk, w.supervised.pk]).count() == 2
    assert CourtCase.objects.filter(pk=w.case.pk).exists()
    assert Facility.objects.filter(pk=w.jccc.pk).exists()
    assert District.objects.filter(pk=w.d9.pk).exists()


# Related fields are restricted to the user's scope ---------------------------------------------------
def test_api_officer_cannot_pick_officer_outside_scope(world, api):
    w = world
    data = offender_payload(district=w.d10.pk, supervising_officer=w.officer_d10.pk)
    response = api(w.officer).post(f"{API}/offenders/", data, format="json")
    assert response.status_code == 400
    assert "supervising_officer" in response.json()
    assert not Offender.objects.filter(doc_id="2000001").exists()


def test_api_supervisor_cannot_pick_officer_of_another_district(world, api):
    w = world
    data = offender_payload(district=w.d9.pk, supervising_officer=w.officer_d10.pk)
    response = api(w.supervisor).post(f"{API}/offenders/", data, format="json")
    assert response.status_code == 400
    assert "supervising_officer" in response.json()


def test_api_case_for_offender_outside_scope_fails_validation(world, api):
    w = world
    data = {
        "court": "31st Judicial Circuit (Greene County)",
        "case_number": "26GR-CR09999",
        "county": "Greene",
        "offender": w.supervised_d10.pk,
        "offense": "Stealing",
        "offense_class": "felony_d",
        "sentencing_date": "2025-05-01",
    }
    response = api(w.officer).post(f"{API}/cases/", data, format="json")
    assert response.status_code == 400
    assert "offender" in response.json()
    assert not CourtCase.objects.filter(case_number="26GR-CR09999").exists()
    # The same case for the officer's own person is created.
    response = api(w.officer).post(f"{API}/cases/", {**data, "offender": w.supervised.pk}, format="json")
    assert response.status_code == 201, response.content


def test_api_facility_choice_is_restricted_for_facility_staff(world, rf):
    """Facility staff see only their facilities, so a facility outside them is not a valid choice."""
    w = world
    request = rf.post("/")
    request.user = w.staff_jccc
    data = offender_payload(status=OffenderStatus.INCARCERATED, facility=w.acc.pk)
    OffenderSerializer = resource_for(Offender).get_serializer_class()
    serializer = OffenderSerializer(data=data, context={"request": request})
    assert not serializer.is_valid()
    assert "facility" in serializer.errors
    serializer = OffenderSerializer(data={**data, "facility": w.jccc.pk}, context={"request": request})
    assert serializer.is_valid(), serializer.errors
    # A facility's district choice is restricted the same way (districts are readable by every role).
    request.user = w.officer
    FacilitySerializer = resource_for(Facility).get_serializer_class()
    assert FacilitySerializer(context={"request": request}).fields["district"].queryset.count() == 2


# Cases, facilities, districts, organizations ------------------------------------------------------
def test_api_cases_owner_supervisor_outsider(world, api):
    w = world
    url = f"{API}/cases/{w.case.pk}/"
    assert api(w.officer).get(url).status_code == 200
    assert api(w.supervisor).get(url).status_code == 200
    assert api(w.officer_d10).get(url).status_code == 404
    assert api(w.staff_jccc).get(url).status_code == 404
    assert ids(api(w.officer).get(f"{API}/cases/")) == {w.case.pk}
    assert ids(api(w.supervisor_d10).get(f"{API}/cases/")) == {w.case_d10.pk}
    response = api(w.officer).patch(url, {"offense": "Tampering"}, format="json")
    assert response.status_code == 200, response.content
    assert api(w.officer_d10).patch(url, {"offense": "X"}, format="json").status_code == 404
    # Moving a case to a person outside scope is a validation error; nothing changes.
    response = api(w.supervisor).patch(url, {"offender": w.supervised_d10.pk}, format="json")
    assert response.status_code == 400
    w.case.refresh_from_db()
    assert (w.case.offender, w.case.offense) == (w.supervised, "Tampering")


def test_api_facilities_scope_and_writes(world, api):
    w = world
    assert ids(api(w.staff_jccc).get(f"{API}/facilities/")) == {w.jccc.pk}
    assert api(w.staff_jccc).get(f"{API}/facilities/{w.jccc.pk}/").status_code == 200
    assert api(w.staff_acc).get(f"{API}/facilities/{w.jccc.pk}/").status_code == 404
    assert ids(api(w.officer).get(f"{API}/facilities/")) == {w.jccc.pk, w.acc.pk}
    # Only administrators change facilities.
    assert api(w.staff_jccc).patch(f"{API}/facilities/{w.jccc.pk}/", {"town": "X"}, format="json").status_code == 403
    data = {"name": "Boonville Correctional Center", "code": "BCC", "town": "Boonville", "region": "central"}
    assert api(w.supervisor).post(f"{API}/facilities/", data, format="json").status_code == 403
    response = api(w.admin).post(f"{API}/facilities/", {**data, "code": "bcc"}, format="json")
    assert response.status_code == 201, response.content
    assert Facility.objects.get(name=data["name"]).code == "BCC"  # normalized by the model's clean()
    response = api(w.admin).patch(f"{API}/facilities/{w.acc.pk}/", {"town": "Jefferson City"}, format="json")
    assert response.status_code == 200
    # The database's code format is checked as a validation error, not a crash.
    bad = {**data, "name": "Other", "code": "b-1"}
    response = api(w.admin).post(f"{API}/facilities/", bad, format="json")
    assert response.status_code == 400
    assert "core_facility_code_format" in str(response.json())
    assert not Facility.objects.filter(name="Other").exists()


def test_api_districts_readable_by_all_roles_written_by_admin(world, api):
    w = world
    for user in (w.officer, w.staff_jccc, w.auditor, w.victims):
        assert ids(api(user).get(f"{API}/districts/")) == {w.d9.pk, w.d10.pk}
    data = {"number": 11, "name": "Hannibal", "region": "northeast"}
    assert api(w.supervisor).post(f"{API}/districts/", data, format="json").status_code == 403
    assert api(w.supervisor).patch(f"{API}/districts/{w.d9.pk}/", {"name": "X"}, format="json").status_code == 403
    assert api(w.admin).post(f"{API}/districts/", data, format="json").status_code == 201
    w.d9.refresh_from_db()
    assert w.d9.name == "Jefferson City"


def test_api_organizations(world, api):
    w = world
    data = {"name": "Food Bank of Central Missouri", "kinds": ["food_bank"], "county": "Boone"}
    # Facility staff may add an organization (they record donations to it) but not change one.
    response = api(w.staff_jccc).post(f"{API}/organizations/", data, format="json")
    assert response.status_code == 201, response.content
    org = Organization.objects.get(name="Food Bank of Central Missouri")
    assert [k.code for k in org.kinds.all()] == ["food_bank"]
    url = f"{API}/organizations/{org.pk}/"
    assert api(w.staff_jccc).patch(url, {"town": "Columbia"}, format="json").status_code == 403
    assert api(w.officer).post(f"{API}/organizations/", {**data, "name": "Other"}, format="json").status_code == 403
    assert api(w.auditor).get(url).status_code == 200
    assert org.pk in ids(api(w.officer).get(f"{API}/organizations/", {"kind": "food_bank"}))
    # A service agency needs its status: the model's rule is checked through the API.
    response = api(w.admin).patch(url, {"kinds": ["service_agency"]}, format="json")
    assert response.status_code == 400
    assert "agency_status" in response.json()
    response = api(w.admin).patch(url, {"kinds": ["service_agency"], "agency_status": "non_profit"}, format="json")
    assert response.status_code == 200, response.content
    org.refresh_from_db()
    assert org.agency_status == "non_profit"
    assert api(w.admin).post(f"{API}/organizations/", {**data, "kinds": []}, format="json").status_code == 400


def test_api_invalid_offender_is_a_validation_error(world, api):
    w = world
    # Incarcerated without a facility (a database constraint) and a malformed DOC ID.
    data = offender_payload(doc_id="12", status=OffenderStatus.INCARCERATED)
    response = api(w.admin).post(f"{API}/offenders/", data, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert "doc_id" in errors
    data = offender_payload(status=OffenderStatus.INCARCERATED)
    errors = api(w.admin).post(f"{API}/offenders/", data, format="json").json()
    assert "facility" in errors
    # A DOC ID already used is a validation error too.
    errors = api(w.admin).post(f"{API}/offenders/", offender_payload(doc_id="1000001"), format="json").json()
    assert "doc_id" in errors


# Schema and docs ---------------------------------------------------------------------------------
def test_api_schema_is_openapi(world, api):
    response = api(world.officer).get(f"{API}/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for endpoint in ("offenders", "cases", "facilities", "districts", "organizations"):
        assert f"/api/v1/{endpoint}/" in schema["paths"]
        assert "delete" not in schema["paths"][f"/api/v1/{endpoint}/{{id}}/"]


def test_api_docs_render_without_a_cdn(world, api):
    response = api(world.officer).get(f"{API}/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html.lower()
    assert not re.search(r"(cdn\.|jsdelivr|unpkg|cdnjs|googleapis)", html), "the docs page loads from a CDN"
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not src.startswith(("http://", "https://", "//")), src


def test_api_schema_validates_without_warnings(tmp_path):
    """Every app's viewsets and serializers give a valid OpenAPI document, with no warning to hide a wrong one."""
    from django.core.management import call_command

    path = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    assert "openapi: 3" in path.read_text()
