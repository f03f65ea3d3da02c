"""A catalog record (crop, season, craft item) is written by administrators only; every role reads it.

Checked at the three places a write could come from: the scope rule (``.restrict()`` and ``can()``),
the web pages (add is 403, edit is 404, a forged POST changes nothing) and the API (POST and PATCH
refused, DELETE not offered to anyone).
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.querysets import ADD, CHANGE, VIEW, can
from donations.models import Item
from gardens.models import Crop, Season
from tests.factories.donations import ItemFactory

pytestmark = pytest.mark.django_db

NOT_ADMINISTRATORS = ["auditor", "victims", "staff_jccc", "officer", "supervisor", "boards"]


@pytest.fixture
def catalog(gw):
    gw.quilt = ItemFactory(name="Quilt", estimated_value=Decimal("60.00"))
    # model, record, URL names' prefix, API basename, a valid change (form field: value)
    return [
        (Crop, gw.tomatoes, "gardens:crop", "crop", {"value_per_lb": "9.99"}),
        (Season, gw.season, "gardens:season", "season", {"goal_tons": "999.0"}),
        (Item, gw.quilt, "donations:item", "item", {"estimated_value": "999.00"}),
    ]


def _form_data(record, changes):
    data = {
        Crop: lambda r: {"name": r.name, "category": r.category, "value_per_lb": r.value_per_lb, "active": "on"},
        Season: lambda r: {
            "year": r.year,
            "start_date": r.start_date.isoformat(),
            "end_date": r.end_date.isoformat(),
            "goal_tons": r.goal_tons,
        },
        Item: lambda r: {
            "name": r.name,
            "category": r.category,
            "estimated_value": r.estimated_value,
            "active": "on",
        },
    }[type(record)](record)
    return {**data, **changes}


@pytest.mark.parametrize("who", NOT_ADMINISTRATORS)
def test_only_administrators_may_write_the_catalog_scope_rule(gw, catalog, who):
    user = getattr(gw, who)
    for model, record, *_ in catalog:
        assert model.objects.restrict(user, VIEW).filter(pk=record.pk).exists(), (model, who)
        assert can(user, model, VIEW)
        for action in (ADD, CHANGE):
            assert not can(user, model, action), (model, who, action)
            assert not model.objects.restrict(user, action).exists(), (model, who, action)
    for model, record, *_ in catalog:
        assert can(gw.admin, model, ADD) and can(gw.admin, model, CHANGE)
        assert model.objects.restrict(gw.admin, CHANGE).filter(pk=record.pk).exists()


@pytest.mark.parametrize("who", NOT_ADMINISTRATORS)
def test_catalog_pages_refuse_writes_but_for_administrators(gw, catalog, client_for, who):
    client = client_for(getattr(gw, who))
    for model, record, prefix, _basename, changes in catalog:
        assert client.get(reverse(f"{prefix}_detail", args=[record.pk])).status_code == 200, prefix
        assert client.get(reverse(f"{prefix}_add")).status_code == 403, prefix
        edit = reverse(f"{prefix}_edit", args=[record.pk])
        assert client.get(edit).status_code == 404, prefix
        before = model.objects.values().get(pk=record.pk)
        assert client.post(edit, _form_data(record, changes)).status_code == 404, prefix
        assert (
            client.post(reverse(f"{prefix}_add"), _form_data(record, {"name": "Forged", "year": 2031})).status_code
            == 403
        )
        assert model.objects.values().get(pk=record.pk) == before, prefix
    assert not Crop.objects.filter(name="Forged").exists()
    assert not Item.objects.filter(name="Forged").exists()
    assert not Season.objects.filter(year=2031).exists()


@pytest.mark.parametrize("who", NOT_ADMINISTRATORS)
def test_catalog_api_refuses_writes_but_for_administrators(gw, catalog, client_for, who):
    client = client_for(getattr(gw, who))
    for model, record, _prefix, basename, changes in catalog:
        detail = reverse(f"{basename}-detail", args=[record.pk])
        assert client.get(detail).status_code == 200, basename
        before = model.objects.values().get(pk=record.pk)
        assert client.patch(detail, changes, content_type="application/json").status_code == 403, basename
        assert client.put(detail, changes, content_type="application/json").status_code == 403, basename
        response = client.post(
            reverse(f"{basename}-list"), {"name": "Forged", **changes}, content_type="application/json"
        )
        assert response.status_code == 403, basename
        assert client.delete(detail).status_code in (403, 405), basename
        assert model.objects.values().get(pk=record.pk) == before, basename


def test_administrators_keep_the_catalog(gw, catalog, client_for):
    client = client_for(gw.admin)
    for model, record, prefix, basename, changes in catalog:
        assert client.get(reverse(f"{prefix}_add")).status_code == 200, prefix
        edit = reverse(f"{prefix}_edit", args=[record.pk])
        response = client.post(edit, _form_data(record, changes))
        assert response.status_code == 302, (
            prefix,
            getattr(response, "context", None) and response.context["form"].errors,
        )
        field, value = next(iter(changes.items()))
        record.refresh_from_db()
        assert str(getattr(record, field)) == value, prefix
        detail = reverse(f"{basename}-detail", args=[record.pk])
        assert client.patch(detail, changes, content_type="application/json").status_code == 200, basename
        # Nothing is deleted through the API, not even by an administrator: a record is made inactive.
        assert client.delete(detail).status_code == 405, basename
        assert model.objects.filter(pk=record.pk).exists()
