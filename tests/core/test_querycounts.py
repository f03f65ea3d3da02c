"""Every core list page and dashboard runs the same number of queries for 1 row as for 20 rows."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.choices import JobOutcome, OffenderStatus, Role
from core.models import Alert, JobRun
from tests.factories import (
    CourtCaseFactory,
    DistrictFactory,
    FacilityFactory,
    OffenderFactory,
    OrganizationFactory,
    UserFactory,
)
from tests.queries import page_queries, queries_at_1_and_20

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(username="qc.admin", role=Role.ADMINISTRATOR)
    client.force_login(admin)
    client.user = admin
    return client


def test_facility_list_query_count_is_constant(admin_client):
    def make(i):
        FacilityFactory(name=f"QC Facility {i:02d}", code=f"QC{i:02d}", district=DistrictFactory(number=100 + i))

    at_1, at_20 = queries_at_1_and_20(
        admin_client, reverse("core:facility_list"), make, lambda i: f"QC Facility {i:02d}"
    )
    assert at_1 == at_20


def test_district_list_query_count_is_constant(admin_client):
    def make(i):
        DistrictFactory(number=200 + i, name=f"QC District {i:02d}")

    at_1, at_20 = queries_at_1_and_20(
        admin_client, reverse("core:district_list"), make, lambda i: f"QC District {i:02d}"
    )
    assert at_1 == at_20


def test_organization_list_query_count_is_constant(admin_client):
    def make(i):
        OrganizationFactory(name=f"QC Pantry {i:02d}", kinds=["food_pantry", "church"])

    at_1, at_20 = queries_at_1_and_20(
        admin_client, reverse("core:organization_list"), make, lambda i: f"QC Pantry {i:02d}"
    )
    assert at_1 == at_20


def test_offender_list_query_count_is_constant(admin_client):
    def make(i):
        district = DistrictFactory(number=300 + i)
        officer = UserFactory(username=f"qc.officer{i}", role=Role.PROBATION_OFFICER, district=district)
        if i % 2:
            OffenderFactory(
                doc_id=f"55500{i:02d}", status=OffenderStatus.SUPERVISED, district=district, supervising_officer=officer
            )
        else:
            facility = FacilityFactory(code=f"QO{i:02d}")
            OffenderFactory(
                doc_id=f"55500{i:02d}", status=OffenderStatus.INCARCERATED, facility=facility, district=None
            )

    at_1, at_20 = queries_at_1_and_20(admin_client, reverse("core:offender_list"), make, lambda i: f"55500{i:02d}")
    assert at_1 == at_20


def test_court_case_list_query_count_is_constant(admin_client):
    def make(i):
        CourtCaseFactory(case_number=f"26QC-CR{i:05d}", offender=OffenderFactory(doc_id=f"66600{i:02d}"))

    at_1, at_20 = queries_at_1_and_20(admin_client, reverse("core:courtcase_list"), make, lambda i: f"26QC-CR{i:05d}")
    assert at_1 == at_20


def test_user_list_query_count_is_constant(admin_client):
    def make(i):
        if i % 2:
            UserFactory(
                username=f"qc.user{i:02d}", role=Role.PROBATION_OFFICER, district=DistrictFactory(number=400 + i)
            )
        else:
            UserFactory(
                username=f"qc.user{i:02d}",
                role=Role.FACILITY_STAFF,
                facilities=[FacilityFactory(code=f"QU{i:02d}"), FacilityFactory(code=f"QV{i:02d}")],
            )

    at_1, at_20 = queries_at_1_and_20(admin_client, reverse("core:user_list"), make, lambda i: f"qc.user{i:02d}")
    assert at_1 == at_20


def test_jobrun_list_query_count_is_constant(admin_client):
    def make(i):
        who = UserFactory(username=f"qc.runner{i:02d}", first_name="Runner", last_name=f"No{i:02d}")
        JobRun.objects.create(
            job=f"qc_job_{i:02d}", run_date=dt.date(2026, 1, 1), outcome=JobOutcome.SUCCESS, triggered_by=who
        )

    at_1, at_20 = queries_at_1_and_20(admin_client, reverse("core:jobrun_list"), make, lambda i: f"qc_job_{i:02d}")
    assert at_1 == at_20


def test_alert_list_query_count_is_constant(admin_client):
    def make(i):
        Alert.objects.create(user=admin_client.user, title=f"QC alert {i:02d}", key=f"qc:{i}", link="/offenders/")

    at_1, at_20 = queries_at_1_and_20(admin_client, reverse("core:alert_list"), make, lambda i: f"QC alert {i:02d}")
    assert at_1 == at_20


def test_admin_dashboard_query_count_is_constant(admin_client):
    def make(i):
        OffenderFactory(doc_id=f"77700{i:02d}")
        JobRun.objects.create(job=f"qc_job_{i:02d}", run_date=dt.date(2026, 1, 1), outcome=JobOutcome.FAILED)
        Alert.objects.create(user=admin_client.user, title=f"QC alert {i:02d}", key=f"qc:{i}")

    at_1, at_20 = queries_at_1_and_20(admin_client, reverse("core:dashboard"), make)
    assert at_1 == at_20


def test_officer_dashboard_query_count_is_constant(client):
    district = DistrictFactory(number=9)
    officer = UserFactory(username="qc.officer", role=Role.PROBATION_OFFICER, district=district)
    client.force_login(officer)

    def make(i):
        OffenderFactory(
            doc_id=f"88800{i:02d}",
            district=district,
            supervising_officer=officer,
            supervision_end_date=timezone.localdate() + dt.timedelta(days=10 + i),
        )
        Alert.objects.create(user=officer, title=f"QC alert {i:02d}", key=f"qc:{i}", link="/offenders/")

    at_1, at_20 = queries_at_1_and_20(client, reverse("core:dashboard"), make)
    assert at_1 == at_20
    html = client.get(reverse("core:dashboard")).content.decode()
    assert '<p class="display-6 mb-0">20</p><p class="mb-0 text-body">My caseload</p>' in html
    assert "QC alert 19" in html


def test_supervisor_dashboard_query_count_is_constant(client):
    district = DistrictFactory(number=9)
    supervisor = UserFactory(username="qc.supervisor", role=Role.DISTRICT_SUPERVISOR, district=district)
    client.force_login(supervisor)

    def make(i):
        officer = UserFactory(
            username=f"qc.officer{i:02d}", last_name=f"Officer{i:02d}", role=Role.PROBATION_OFFICER, district=district
        )
        OffenderFactory(doc_id=f"99900{i:02d}", district=district, supervising_officer=officer)

    at_1, at_20 = queries_at_1_and_20(client, reverse("core:dashboard"), make, lambda i: f"Officer{i:02d}")
    assert at_1 == at_20


def test_facility_staff_dashboard_query_count_is_constant(client):
    staff = UserFactory(username="qc.staff", role=Role.FACILITY_STAFF)
    client.force_login(staff)

    def make(i):
        facility = FacilityFactory(name=f"QC Center {i:02d}", code=f"QS{i:02d}")
        staff.facilities.add(facility)
        OffenderFactory(doc_id=f"44400{i:02d}", status=OffenderStatus.INCARCERATED, facility=facility, district=None)

    at_1, at_20 = queries_at_1_and_20(client, reverse("core:dashboard"), make, lambda i: f"QC Center {i:02d}")
    assert at_1 == at_20


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_query_count_is_constant(admin_client, fmt):
    """An export reads every row at once, so a per-row query would cost the most here."""

    def make(i):
        district = DistrictFactory(number=500 + i)
        officer = UserFactory(username=f"qx.officer{i:02d}", role=Role.PROBATION_OFFICER, district=district)
        UserFactory(username=f"qx.staff{i:02d}", role=Role.FACILITY_STAFF, facilities=[FacilityFactory()])
        offender = OffenderFactory(district=district, supervising_officer=officer)
        CourtCaseFactory(offender=offender)
        OrganizationFactory(kinds=["church", "school"])

    counts = {}
    make(0)
    for name in ("offender", "courtcase", "user", "organization", "facility"):
        url = reverse(f"core:{name}_list") + f"?_export={fmt}"
        admin_client.get(url)
        counts[name] = [page_queries(admin_client, url)[0]]
    for i in range(1, 20):
        make(i)
    for name in counts:
        url = reverse(f"core:{name}_list") + f"?_export={fmt}"
        counts[name].append(page_queries(admin_client, url)[0])
    assert all(at_1 == at_20 for at_1, at_20 in counts.values()), counts
