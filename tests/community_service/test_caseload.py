"""Hours beside restitution on the officer's caseload (one page, one row per person), the person's
community service page and timeline."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from community_service.choices import Verification, VerificationMethod
from community_service.models import HourLog, Order, Placement
from community_service.services import credited_totals_refresh
from tests.factories import CourtCaseFactory, OffenderFactory
from tests.factories.community_service import OrderFactory, log
from tests.factories.restitution import obligation
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def test_the_caseload_shows_hours_beside_restitution_one_row_per_person(world, cs, client_for):
    # officer.d9's person owes restitution and is behind on hours; a second person has hours only and
    # will not finish before supervision ends (nothing credited in 8 weeks).
    obligation(world.case, amount="100.00", ordered_on=dt.date(2026, 1, 1))
    log(cs.order, cs.place, dt.date(2026, 6, 1), "10.00", user=world.officer)
    hours_only = OffenderFactory(
        district=world.d9, supervising_officer=world.officer, supervision_end_date=dt.date(2026, 9, 30)
    )
    OrderFactory(case=CourtCaseFactory(offender=hours_only), hours_ordered="20.00")
    response = client_for(world.officer).get("/restitution/")
    html = response.content.decode()
    rows = {r.offender.pk: r for r in response.context["table"].data}
    assert set(rows) == {world.supervised.pk, hours_only.pk}
    assert rows[world.supervised.pk].programs["community_service"].status == "behind"
    assert rows[world.supervised.pk].programs["community_service"].credited == Decimal("10.00")
    assert rows[hours_only.pk].status_label == "No restitution"
    assert rows[hours_only.pk].programs["community_service"].after_supervision is True
    assert "10.00 of 100.00 h" in html and "0.00 of 20.00 h" in html and "None owed" in html
    assert "1 person will not finish their community service hours before supervision ends" in html
    assert world.supervised_d10.last_name not in html
    # The export carries the hours too.
    csv = client_for(world.officer).get("/restitution/", {"_export": "csv"}).content.decode()
    assert "Behind: 10.00 of 100.00 hours" in csv and "Not at this pace (after supervision ends)" in csv


def test_a_supervisor_sees_the_district_and_the_report_is_unchanged(world, cs, client_for):
    html = client_for(world.supervisor).get("/restitution/").content.decode()

    # Names as the caseload prints them ("Last, First"): a factory's last name alone can occur elsewhere on
    # the page (another user's name), which made this flaky.
    def row_name(person):
        from django.utils.html import escape

        return escape(f"{person.last_name}, {person.first_name}")

    assert row_name(world.supervised) in html and row_name(world.supervised_d10) not in html
    # The restitution report lists only people who owe restitution.
    from restitution import selectors

    assert selectors.caseload(world.supervisor, dt.date(2026, 6, 15)) == []


def bulk_people(world, count, *, hours: bool):
    """``count`` people on officer.d9's caseload, each with restitution and, with ``hours``, an order and
    two hour logs (written straight to the tables: this is about the page's queries)."""
    people = []
    for _ in range(count):
        person = OffenderFactory(district=world.d9, supervising_officer=world.officer)
        case = CourtCaseFactory(offender=person)
        obligation(case, amount="100.00", ordered_on=dt.date(2026, 1, 1))
        people.append((person, case))
    if hours:
        give_hours(world, people)
    return people


def give_hours(world, people):
    agency = Placement.objects.first().agency
    now = timezone.now()
    for person, case in people:
        order = Order.objects.create(
            offender=person,
            case=case,
            hours_ordered=Decimal("50"),
            ordered_on=dt.date(2026, 1, 1),
            due_on=dt.date(2026, 12, 31),
        )
        place = Placement.objects.create(offender=person, agency=agency, start_on=dt.date(2026, 1, 1))
        HourLog.objects.bulk_create(
            HourLog(
                offender=person,
                order=order,
                placement=place,
                date=dt.date(2026, 5, d),
                hours=Decimal("3.00"),
                credited_hours=Decimal("3.00"),
                verification=Verification.VERIFIED,
                decided_at=now,
                method=VerificationMethod.SIGNED_SHEET,
                task="Work",
                entered_by=world.officer,
            )
            for d in (1, 2)
        )
        credited_totals_refresh([order.pk])  # written straight to the table: keep the total as the services do


def test_the_caseload_runs_the_same_queries_with_hours_as_without(world, cs, client_for):
    client = client_for(world.officer)
    bulk_people(world, 1, hours=True)
    client.get("/restitution/")
    at_1, _ = page_queries(client, "/restitution/")
    bulk_people(world, 19, hours=True)
    at_20, response = page_queries(client, "/restitution/")
    assert at_1 == at_20
    assert len(response.context["table"].data) == 21  # and the person of the fixture's order


def test_three_hundred_people_with_hours_cost_the_same_queries_as_without(world, cs, client_for):
    """One officer's 300 people: the page runs as many queries once they all have hours as before
    (one query brings every person's hours)."""
    client = client_for(world.officer)
    people = bulk_people(world, 300, hours=False)
    client.get("/restitution/")
    without, response = page_queries(client, "/restitution/")
    assert len(response.context["table"].data) == 301
    give_hours(world, people)
    with_hours, response = page_queries(client, "/restitution/")
    rows = response.context["table"].data
    assert sum(1 for r in rows if r.programs["community_service"] is not None) == 301
    assert with_hours == without


def test_the_persons_community_service_page(world, cs, client_for):
    log(cs.order, cs.place, dt.date(2026, 6, 1), "10.00", user=world.officer, task="Painting")
    html = client_for(world.officer).get(f"/community-service/people/{world.supervised.pk}/").content.decode()
    assert "Painting" in html and cs.order.get_absolute_url() in html and "Behind" in html
    assert client_for(world.officer).get(f"/community-service/people/{world.supervised_d10.pk}/").status_code == 404
    assert client_for(world.staff_jccc).get(f"/community-service/people/{world.supervised.pk}/").status_code == 404


def test_the_timeline_has_orders_placements_and_hours(world, cs, client_for):
    entry = log(cs.order, cs.place, dt.date(2026, 6, 1), "10.00", user=world.officer)
    html = client_for(world.officer).get(f"/offenders/{world.supervised.pk}/timeline/").content.decode()
    assert "Community service ordered" in html and "Placed at an agency" in html
    assert "10.00 hours at Samaritan Center (verified)" in html and entry.get_absolute_url() in html
