"""Scope for garden records: the owner (staff.jccc), an administrator, and staff of another facility
(staff.acc), who gets 404 or zero rows in pages, exports and the API."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from core.querysets import ADD, CHANGE, VIEW, can
from gardens.models import Garden, Harvest
from tests.factories.gardens import HarvestFactory


@pytest.fixture
def harvest(gw):
    return HarvestFactory(garden=gw.garden_jccc, crop=gw.tomatoes, weight_lb=Decimal("123.4"), entered_by=gw.staff_jccc)


def visible(model, user, action=VIEW):
    return set(model.objects.restrict(user, action).values_list("pk", flat=True))


def test_queryset_scope_per_role(gw, harvest):
    assert visible(Harvest, gw.staff_jccc) == {harvest.pk}
    assert visible(Harvest, gw.admin) == {harvest.pk}
    assert visible(Harvest, gw.auditor) == {harvest.pk}
    assert visible(Harvest, gw.staff_acc) == set()
    assert visible(Harvest, gw.officer) == set()
    assert visible(Harvest, gw.auditor, CHANGE) == set()
    assert not can(gw.auditor, Harvest, ADD)
    assert visible(Garden, gw.staff_acc) == {gw.garden_acc.pk}


@pytest.mark.parametrize(
    ("username", "status"), [("staff.jccc", 200), ("admin", 200), ("auditor", 200), ("staff.acc", 404)]
)
def test_detail_and_history_pages(gw, harvest, client_for, username, status):
    client = client_for(getattr(gw, username.replace(".", "_")))
    assert client.get(reverse("gardens:harvest_detail", args=[harvest.pk])).status_code == status
    assert client.get(reverse("gardens:harvest_history", args=[harvest.pk])).status_code == status


@pytest.mark.parametrize(
    ("username", "status"), [("staff.jccc", 200), ("admin", 200), ("auditor", 404), ("staff.acc", 404)]
)
def test_edit_and_void_pages(gw, harvest, client_for, username, status):
    client = client_for(getattr(gw, username.replace(".", "_")))
    assert client.get(reverse("gardens:harvest_edit", args=[harvest.pk])).status_code == status
    assert client.get(reverse("gardens:harvest_void", args=[harvest.pk])).status_code == status


def test_outsider_cannot_void_by_post(gw, harvest, client_for):
    response = client_for(gw.staff_acc).post(reverse("gardens:harvest_void", args=[harvest.pk]), {"reason": "mine now"})
    assert response.status_code == 404
    harvest.refresh_from_db()
    assert not harvest.is_voided


@pytest.mark.parametrize(("username", "rows"), [("staff.jccc", 1), ("admin", 1), ("staff.acc", 0)])
def test_list_and_csv_export(gw, harvest, client_for, username, rows):
    client = client_for(getattr(gw, username.replace(".", "_")))
    page = client.get(reverse("gardens:harvest_list"))
    assert page.status_code == 200
    assert len(page.context["table"].rows) == rows
    export = client.get(reverse("gardens:harvest_list") + "?_export=csv")
    data = list(csv.reader(io.StringIO(export.content.decode())))
    assert len(data) == 1 + rows
    if rows:
        assert "123.4" in data[1]
    xlsx = client.get(reverse("gardens:harvest_list") + "?_export=xlsx")
    assert xlsx.status_code == 200


@pytest.mark.parametrize(
    ("username", "count", "detail"), [("staff.jccc", 1, 200), ("admin", 1, 200), ("staff.acc", 0, 404)]
)
def test_api(gw, harvest, client_for, username, count, detail):
    client = client_for(getattr(gw, username.replace(".", "_")))
    assert client.get("/api/v1/harvests/").json()["count"] == count
    assert client.get(f"/api/v1/harvests/{harvest.pk}/").status_code == detail
    void = client.post(f"/api/v1/harvests/{harvest.pk}/void/", {"reason": "test"}, content_type="application/json")
    assert void.status_code == (200 if detail == 200 else 404)


def test_outsider_cannot_add_to_another_facilitys_garden(gw, client_for):
    client = client_for(gw.staff_acc)
    page = client.get(reverse("gardens:harvest_quick"))
    assert list(page.context["header"].fields["garden"].queryset) == [gw.garden_acc]
    response = client.post(
        reverse("gardens:harvest_quick"),
        {
            "garden": gw.garden_jccc.pk,
            "date": "2026-07-01",
            "row": "r00000001",
            "r00000001-crop": gw.tomatoes.pk,
            "r00000001-weight_lb": "5",
        },
    )
    assert response.status_code == 400
    assert "garden" in response.context["header"].errors
    assert not Harvest.objects.exists()
    api = client.post(
        "/api/v1/harvests/",
        {"garden": gw.garden_jccc.pk, "crop": gw.tomatoes.pk, "date": "2026-07-01", "weight_lb": "5.0"},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert not Harvest.objects.exists()


def test_api_creates_through_the_service(gw, client_for):
    client = client_for(gw.staff_jccc)
    response = client.post(
        "/api/v1/harvests/",
        {
            "garden": gw.garden_jccc.pk,
            "crop": gw.tomatoes.pk,
            "date": "2026-07-01",
            "weight_lb": "12.5",
            "volunteers": 2,
            "volunteer_hours": "4",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    harvest = Harvest.objects.get()
    assert harvest.facility == gw.jccc and harvest.entered_by == gw.staff_jccc
    too_big = client.post(
        "/api/v1/harvests/",
        {"garden": gw.garden_jccc.pk, "crop": gw.tomatoes.pk, "date": "2026-07-01", "weight_lb": "5001"},
        content_type="application/json",
    )
    assert too_big.status_code == 400
    assert "not plausible" in str(too_big.json())


def test_staff_correct_for_seven_days_then_only_administrators(gw, harvest, client_for, time_machine):
    time_machine.move_to(harvest.entered_at + dt.timedelta(days=6, hours=23))
    assert visible(Harvest, gw.staff_jccc, CHANGE) == {harvest.pk}
    time_machine.move_to(harvest.entered_at + dt.timedelta(days=7, minutes=1))
    assert visible(Harvest, gw.staff_jccc, CHANGE) == set()
    assert visible(Harvest, gw.admin, CHANGE) == {harvest.pk}
    staff = client_for(gw.staff_jccc)
    assert staff.get(reverse("gardens:harvest_edit", args=[harvest.pk])).status_code == 404
    detail = staff.get(reverse("gardens:harvest_detail", args=[harvest.pk]))
    assert b"ask an administrator" in detail.content


def test_correction_through_the_page_keeps_history(gw, harvest, client_for):
    client = client_for(gw.staff_jccc)
    response = client.post(
        reverse("gardens:harvest_edit", args=[harvest.pk]),
        {
            "garden": gw.garden_jccc.pk,
            "crop": gw.squash.pk,
            "date": "2026-07-01",
            "weight_lb": "120.0",
            "volunteers": "4",
            "volunteer_hours": "8",
            "note": "",
            "reason": "Wrong crop",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    harvest.refresh_from_db()
    assert harvest.crop == gw.squash and harvest.weight_lb == Decimal("120.0")
    history = client.get(reverse("gardens:harvest_history", args=[harvest.pk]))
    assert b"Wrong crop" in history.content


def test_outsider_cannot_move_a_harvest_into_their_scope(gw, client_for):
    """An edit that would move a record out of the editor's scope is rolled back."""
    harvest = HarvestFactory(garden=gw.garden_jccc, crop=gw.tomatoes, entered_by=gw.staff_jccc)
    response = client_for(gw.staff_jccc).post(
        reverse("gardens:harvest_edit", args=[harvest.pk]),
        {
            "garden": gw.garden_acc.pk,
            "crop": gw.tomatoes.pk,
            "date": "2026-07-01",
            "weight_lb": "100",
            "volunteers": "4",
            "volunteer_hours": "8",
            "reason": "x",
        },
    )
    # ACC's garden is not even a choice for staff.jccc.
    assert response.status_code == 200
    assert "garden" in response.context["form"].errors
    harvest.refresh_from_db()
    assert harvest.facility == gw.jccc
