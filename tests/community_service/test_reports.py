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
