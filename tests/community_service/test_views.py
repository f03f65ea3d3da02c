"""Pages: scope (an officer's people only, a supervisor's district), bad input under its field with
nothing written, locked logs, the agency's page, and lists that hold their query count."""

import datetime as dt
from decimal import Decimal

import pytest

from community_service.models import Agency, HourLog, Order, Placement
from tests.factories import OrganizationFactory
from tests.factories.community_service import AgencyFactory, OrderFactory, log
from tests.queries import queries_at_1_and_20

pytestmark = pytest.mark.django_db


def test_an_officer_sees_only_their_caseloads_orders(world, cs, client_for):
    html = client_for(world.officer).get("/community-service/orders/").content.decode()
    assert world.case.case_number in html
    assert world.case_d10.case_number not in html
    assert client_for(world.officer).get(cs.order_d10.get_absolute_url()).status_code == 404


def test_a_supervisor_sees_their_district_only(world, cs, client_for):
    client = client_for(world.supervisor)
    assert client.get(cs.order.get_absolute_url()).status_code == 200
    assert client.get(cs.order_d10.get_absolute_url()).status_code == 404
    assert client_for(world.supervisor_d10).get(cs.order.get_absolute_url()).status_code == 404


def test_facility_staff_see_nothing_of_community_service(world, cs, client_for):
    client = client_for(world.staff_jccc)
    assert client.get(cs.agency.get_absolute_url()).status_code == 404
    assert client.get(cs.order.get_absolute_url()).status_code == 404
    assert world.case.case_number not in client.get("/community-service/orders/").content.decode()


def test_the_agency_page_shows_pending_hours_and_people_only_in_scope(world, cs, client_for):
    mine = log(cs.order, cs.place, dt.date(2026, 6, 1), "3.00", user=world.officer, verified=False, task="Painting")
    log(cs.order_d10, cs.place_d10, dt.date(2026, 6, 1), "2.00", user=world.admin, verified=False, task="Mowing")
    html = client_for(world.officer).get(cs.agency.get_absolute_url()).content.decode()
    assert "Painting" in html and mine.get_absolute_url() in html
    assert "Mowing" not in html
    assert world.supervised.full_name in html and world.supervised_d10.full_name not in html
    admin_html = client_for(world.admin).get(cs.agency.get_absolute_url()).content.decode()
    assert "Painting" in admin_html and "Mowing" in admin_html


def test_recording_hours_from_the_form(world, cs, client_for):
    response = client_for(world.officer).post(
        "/community-service/hours/add/",
        {
            "order": cs.order.pk,
            "placement": cs.place.pk,
            "date": "2026-06-10",
            "start_time": "09:00",
            "end_time": "11:30",
            "hours": "",
            "task": "Shelving books",
        },
    )
    entry = HourLog.objects.get()
    assert response.status_code == 302 and response["Location"] == entry.get_absolute_url()
    assert (entry.hours, entry.credited_hours, entry.entered_by, entry.offender) == (
        Decimal("2.50"),
        0,
        world.officer,
        world.supervised,
    )


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"date": "2026-07-01", "hours": "2"}, "date", "The date is in the future."),
        ({"date": "2026-01-15", "hours": "2"}, "date", "This is before the placement starts (Feb 1, 2026)."),
        ({"hours": "17"}, "hours", "At most 16 hours can be logged for one day."),
        ({"hours": "2.555"}, "hours", "Use at most 2 decimal places."),
        ({"hours": "123"}, "hours", "Enter at most 99.99."),
        ({"start_time": "09:00"}, "end_time", "Give both the start and the end time, or neither."),
        ({"task": "Sort\x07ing", "hours": "2"}, "task", "invisible control character"),
    ],
)
def test_bad_hours_are_refused_under_their_field(world, cs, client_for, values, field, message):
    data = {"order": cs.order.pk, "placement": cs.place.pk, "date": "2026-06-10", "task": "Sorting", "hours": ""}
    data.update(values)
    response = client_for(world.officer).post("/community-service/hours/add/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    assert not HourLog.objects.exists()


def test_an_officer_cannot_record_hours_for_anothers_person(world, cs, client_for):
    data = {"order": cs.order_d10.pk, "placement": cs.place_d10.pk, "date": "2026-06-10", "task": "x", "hours": "2"}
    response = client_for(world.officer).post("/community-service/hours/add/", data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"order", "placement"}
    assert not HourLog.objects.exists()


def test_a_decided_log_has_no_edit_page_but_can_be_voided(world, cs, client_for):
    entry = log(cs.order, cs.place, dt.date(2026, 6, 1), "3.00", user=world.officer)
    client = client_for(world.officer)
    assert client.get(f"/community-service/hours/{entry.pk}/edit/").status_code == 404
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "locked" in page and f"/community-service/hours/{entry.pk}/edit/" not in page
    response = client.post(f"/community-service/hours/{entry.pk}/void/", {"reason": "Wrong order"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.is_voided and entry.void_reason == "Wrong order"


def test_a_pending_log_can_be_corrected(world, cs, client_for):
    entry = log(cs.order, cs.place, dt.date(2026, 6, 1), "3.00", user=world.officer, verified=False)
    data = {"order": cs.order.pk, "placement": cs.place.pk, "date": "2026-06-01", "task": "Sorting", "hours": "3.25"}
    assert client_for(world.officer).post(f"/community-service/hours/{entry.pk}/edit/", data).status_code == 302
    entry.refresh_from_db()
    assert entry.hours == Decimal("3.25")


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"due_on": "2025-12-01"}, "due_on", "The due date must be after the order date."),
        ({"hours_ordered": "10.123"}, "hours_ordered", "Use at most 2 decimal places."),
        ({"hours_ordered": "0"}, "hours_ordered", "greater than or equal to 0.01"),
        ({"source": "fine"}, "fine_rate", "An order in lieu of a fine needs the dollars each hour pays off."),
        ({"fine_rate": "10.00"}, "fine_rate", "Only an order in lieu of a fine has a rate: leave it empty."),
        ({"schedule": "consecutive"}, "follows", "A consecutive order names the order it starts after."),
    ],
)
def test_bad_orders_are_refused_under_their_field(world, cs, client_for, values, field, message):
    data = {
        "offender": world.supervised.pk,
        "case": world.case.pk,
        "hours_ordered": "40",
        "ordered_on": "2026-01-01",
        "due_on": "2026-07-01",
        "source": "court",
        "schedule": "concurrent",
    }
    data.update(values)
    before = Order.objects.count()
    response = client_for(world.officer).post("/community-service/orders/add/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors[field]), errors
    assert Order.objects.count() == before


def test_an_order_for_another_persons_case_is_refused(world, cs, client_for):
    from tests.factories import CourtCaseFactory

    other_case = CourtCaseFactory(offender=world.supervised_d10)
    data = {
        "offender": world.supervised.pk,
        "case": other_case.pk,
        "hours_ordered": "40",
        "ordered_on": "2026-01-01",
        "due_on": "2026-07-01",
        "source": "court",
        "schedule": "concurrent",
    }
    response = client_for(world.admin).post("/community-service/orders/add/", data)
    assert response.context["form"].errors["case"] == ["This case is another person's."]


def test_a_placement_without_agreement_is_refused_on_the_form(world, cs, client_for):
    lapsed = AgencyFactory(agreement_end=dt.date(2025, 1, 1))
    data = {"offender": world.supervised.pk, "agency": lapsed.pk, "start_on": "2026-06-01", "note": ""}
    before = Placement.objects.count()
    response = client_for(world.officer).post("/community-service/placements/add/", data)
    assert response.status_code == 200
    assert "cannot take a new placement" in response.context["form"].errors["agency"][0]
    assert Placement.objects.count() == before


def test_the_agency_catalog_is_kept_by_administrators_and_supervisors(world, cs, client_for):
    org = OrganizationFactory(name="Parks Department", kinds=["service_agency"], agency_status="tax_supported")
    plain = OrganizationFactory(name="Plain Pantry")
    data = {
        "organization": org.pk,
        "ein": "43-7654321",
        "agreement_start": "2026-01-01",
        "verifier_name": "Lee Park",
        "verifier_email": "lee@parks.example.org",
        "kinds_of_work": "Trail upkeep",
        "active": "on",
    }
    assert client_for(world.officer).get("/community-service/agencies/add/").status_code == 403
    response = client_for(world.supervisor).post("/community-service/agencies/add/", {**data, "ein": "431234567"})
    assert "An EIN is two digits, a dash and seven digits: 43-1234567." in response.context["form"].errors["ein"]
    response = client_for(world.supervisor).post("/community-service/agencies/add/", {**data, "organization": plain.pk})
    assert "organization" in response.context["form"].errors
    assert client_for(world.supervisor).post("/community-service/agencies/add/", data).status_code == 302
    assert Agency.objects.get(organization=org).verifier_name == "Lee Park"


LISTS = [
    "/community-service/orders/",
    "/community-service/hours/",
    "/community-service/placements/",
    "/community-service/agencies/",
    "/community-service/hours/?_export=csv",
]


@pytest.mark.parametrize("url", LISTS)
def test_lists_run_constant_queries(world, cs, client_for, url):
    client = client_for(world.admin)

    def make_row(i):
        agency = AgencyFactory()
        order = OrderFactory(case=world.case, hours_ordered="50.00")
        from tests.factories.community_service import placement

        place = placement(world.supervised, agency, start_on=dt.date(2026, 2, 1), user=world.admin)
        log(order, place, dt.date(2026, 3, 1) + dt.timedelta(days=i), "1.00", user=world.admin)

    at_1, at_20 = queries_at_1_and_20(client, url, make_row)
    assert at_1 == at_20
