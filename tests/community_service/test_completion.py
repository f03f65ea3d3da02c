"""Closing an order and its completion letter (PDF): hours by agency and date, who verified each."""

import datetime as dt

import pytest

from community_service.models import Order
from tests.factories.community_service import AgencyFactory, OrderFactory, log, placement
from tests.pdfs import pdf_words, words_past_the_edge

pytestmark = pytest.mark.django_db


@pytest.fixture
def done(world, cs):
    order = OrderFactory(
        case=world.case, hours_ordered="6.00", ordered_on=dt.date(2026, 3, 1), due_on=dt.date(2026, 9, 1)
    )
    parks = AgencyFactory(organization__name="Jefferson City Parks")
    parks_place = placement(world.supervised, parks, start_on=dt.date(2026, 3, 1), user=world.admin)
    log(order, cs.place, dt.date(2026, 5, 4), "4.00", user=world.officer, task="Sorting")
    log(order, parks_place, dt.date(2026, 5, 9), "2.00", user=world.officer, task="Trail upkeep")
    return order


def test_an_order_is_closed_and_its_letter_printed(world, cs, done, client_for, tmp_path):
    client = client_for(world.officer)
    assert client.get(f"/community-service/orders/{done.pk}/letter.pdf").status_code == 404  # not completed yet
    response = client.post(
        f"/community-service/orders/{done.pk}/close/", {"status": "completed", "closed_on": "2026-06-15", "note": ""}
    )
    assert response.status_code == 302
    done.refresh_from_db()
    assert (done.status, done.closed_on) == ("completed", dt.date(2026, 6, 15))
    pdf = client.get(f"/community-service/orders/{done.pk}/letter.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = " ".join(w for _, _, _, w in pdf_words(pdf.content, tmp_path))
    for expected in (
        "Community service completed",
        "Jefferson City Parks",
        "Samaritan Center",
        "Trail upkeep",
        world.officer.last_name,
        world.case.case_number,
    ):
        assert expected in text, expected
    assert words_past_the_edge(pdf.content, tmp_path) == []
    assert client.get(f"/community-service/orders/{done.pk}/close/").status_code == 404  # closed
    assert client_for(world.officer_d10).get(f"/community-service/orders/{done.pk}/letter.pdf").status_code == 404


def test_an_order_is_not_completed_before_every_hour_is_credited(world, cs, client_for):
    response = client_for(world.officer).post(
        f"/community-service/orders/{cs.order.pk}/close/", {"status": "completed", "closed_on": "2026-06-15"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Only 0.00 of 100.00 hours are credited: the order cannot be completed yet."
    ]
    assert Order.objects.get(pk=cs.order.pk).status == "open"
    response = client_for(world.officer).post(
        f"/community-service/orders/{cs.order.pk}/close/", {"status": "revoked", "closed_on": "2026-07-15"}
    )
    assert response.context["form"].errors["closed_on"] == ["The date is in the future."]
