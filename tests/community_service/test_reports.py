"""Reports through the catalog: one order's hours for the court with the verification trail; hours by
agency, district and month; the public figure of hours this year."""

import datetime as dt

import pytest

from community_service import services
from community_service.choices import VerificationMethod
from tests.factories.community_service import log

pytestmark = pytest.mark.django_db


def test_the_order_hours_report_has_the_verification_trail(world, cs, client_for):
    log(cs.order, cs.place, dt.date(2026, 6, 1), "4.00", user=world.officer, task="Sorting")
    rejected = log(cs.order, cs.place, dt.date(2026, 6, 2), "2.00", user=world.officer, verified=False, task="Mowing")
    services.hour_log_decide(
        log=rejected, approve=False, method=VerificationMethod.AGENCY_LINK, decided_by_name="Pat", note="Not here"
    )
    void = log(cs.order, cs.place, dt.date(2026, 6, 3), "1.00", user=world.officer, task="Painting")
    services.hour_log_void(log=void, user=world.officer, reason="Entered twice")
    client = client_for(world.officer)
    html = client.get("/reports/run/community-service-order-hours/", {"format": "html", "order": cs.order.pk})
    text = html.content.decode()
    assert html.status_code == 200
    for expected in (
        "Every entry and its verification",
        "the officer, with the signed sheet",
        "Rejected",
        "the agency, by e-mailed link",
        "Void: Entered twice",
        world.case.case_number,
    ):
        assert expected in text, expected
    csv = client.get("/reports/run/community-service-order-hours/", {"format": "csv", "order": cs.order.pk})
    assert "Sorting" in csv.content.decode()
    pdf = client.get("/reports/run/community-service-order-hours/", {"format": "pdf", "order": cs.order.pk})
    assert pdf["Content-Type"] == "application/pdf"


def test_another_officers_order_is_refused_in_the_form(world, cs, client_for):
    response = client_for(world.officer).get(
        "/reports/run/community-service-order-hours/", {"format": "html", "order": cs.order_d10.pk}
    )
    assert "No order with that number is yours to see." in response.content.decode()
    assert world.supervised_d10.last_name not in response.content.decode()


def test_hours_by_agency_district_and_month_in_scope(world, cs, client_for):
    log(cs.order, cs.place, dt.date(2026, 5, 1), "4.00", user=world.officer)
    log(cs.order_d10, cs.place_d10, dt.date(2026, 5, 2), "3.00", user=world.admin)
    params = {"format": "csv", "start": "2026-01-01", "end": "2026-06-15"}
    officer = client_for(world.officer).get("/reports/run/community-service-hours-by-agency/", params)
    rows = officer.content.decode().splitlines()
    assert any("May 2026" in r and "Jefferson City" in r and "4.00" in r for r in rows), rows
    assert not any("Springfield" in r for r in rows)
    admin = client_for(world.admin).get("/reports/run/community-service-hours-by-agency/", params).content.decode()
    assert "Springfield" in admin and "3.00" in admin


def test_hours_this_year_is_a_public_figure(world, cs):
    from core.registry import registry

    log(cs.order, cs.place, dt.date(2026, 5, 1), "4.00", user=world.officer)
    log(cs.order, cs.place, dt.date(2026, 5, 2), "2.00", user=world.officer, verified=False)  # not credited
    figure = registry.figures["community-service-hours-year"]
    assert figure.compute() == 4
    assert figure.compute_year(2025) is None


def test_statewide_hours_and_value_at_the_rate_of_each_day(world, cs, client_for):
    from decimal import Decimal

    from community_service.models import HourValueRate
    from core.registry import registry

    log(cs.order, cs.place, dt.date(2026, 2, 10), "4.00", user=world.officer)  # before any rate
    log(cs.order, cs.place, dt.date(2026, 5, 1), "4.00", user=world.officer)
    log(cs.order_d10, cs.place_d10, dt.date(2026, 6, 1), "2.00", user=world.admin)
    assert registry.figures["community-service-value-year"].compute() is None  # February has no rate
    HourValueRate.objects.create(effective_on=dt.date(2026, 1, 1), dollars_per_hour=Decimal("10.00"))
    HourValueRate.objects.create(effective_on=dt.date(2026, 6, 1), dollars_per_hour=Decimal("12.50"))
    assert registry.figures["community-service-value-year"].compute() == Decimal("105.00")  # 8 x 10 + 2 x 12.50
    params = {"format": "csv", "start": "2026-01-01", "end": "2026-06-15"}
    csv = client_for(world.admin).get("/reports/run/community-service-hours-value/", params).content.decode()
    assert "Feb 2026,4.00,$40.00" in csv and "Jun 2026,2.00,$25.00" in csv and "Total,10.00,$105.00" in csv
    assert client_for(world.officer).get("/reports/run/community-service-hours-value/", params).status_code == 404


def test_only_administrators_set_the_hour_value(world, client_for):
    data = {"effective_on": "2026-01-01", "dollars_per_hour": "13.75", "note": "Minimum wage"}
    assert client_for(world.supervisor).post("/community-service/hour-values/add/", data).status_code == 403
    assert client_for(world.admin).post("/community-service/hour-values/add/", data).status_code == 302
    response = client_for(world.admin).post("/community-service/hour-values/add/", {**data, "dollars_per_hour": "0"})
    assert "dollars_per_hour" in response.context["form"].errors
