"""The quick entry of a day's harvest: rows come from htmx, the whole day is saved at once or not at all."""

import re
from decimal import Decimal

from django.urls import reverse

from gardens.models import Harvest

URL = "/gardens/harvests/day/"


def post_day(client, gw, rows, garden=None, date="2026-07-01"):
    data = {"garden": (garden or gw.garden_jccc).pk, "date": date, "row": []}
    for i, (crop, weight, extra) in enumerate(rows):
        key = f"r{i:08x}"
        data["row"].append(key)
        data[f"{key}-crop"] = crop.pk if crop else ""
        data[f"{key}-weight_lb"] = weight
        for name, value in extra.items():
            data[f"{key}-{name}"] = value
    return client.post(URL, data)


def test_page_preselects_the_only_garden_and_today(gw, client_for):
    page = client_for(gw.staff_jccc).get(reverse("gardens:harvest_quick"))
    assert page.status_code == 200
    assert page.context["header"].initial["garden"] == gw.garden_jccc.pk
    assert len(page.context["rows"]) == 1
    html = page.content.decode()
    assert 'hx-get="/gardens/harvests/day/row/"' in html
    assert 'name="row"' in html


def test_htmx_row_has_a_fresh_key_and_labelled_fields(gw, client_for):
    client = client_for(gw.staff_jccc)
    first = client.get(reverse("gardens:harvest_quick_row"), HTTP_HX_REQUEST="true")
    second = client.get(reverse("gardens:harvest_quick_row"), HTTP_HX_REQUEST="true")
    keys = [re.search(r'name="row" value="(r[0-9a-f]{8})"', r.content.decode()).group(1) for r in (first, second)]
    assert keys[0] != keys[1]
    html = first.content.decode()
    assert f'for="id_{keys[0]}-crop"' in html and f'for="id_{keys[0]}-weight_lb"' in html
    assert "<html" not in html  # a fragment, not a page


def test_three_crops_are_saved_at_once(gw, client_for):
    client = client_for(gw.staff_jccc)
    response = post_day(
        client,
        gw,
        [
            (gw.tomatoes, "120.5", {"volunteers": "4", "volunteer_hours": "8"}),
            (gw.squash, "80", {}),
            (gw.greens, "15.2", {"note": "first picking"}),
        ],
    )
    assert response.status_code == 302
    # Next: who worked this day (the harvest list, filtered to the day, is its Skip).
    assert response["Location"] == reverse("gardens:harvest_day_workers", args=[gw.garden_jccc.pk, "2026-07-01"])
    assert Harvest.objects.count() == 3
    assert sum(h.weight_lb for h in Harvest.objects.all()) == Decimal("215.7")
    followed = client.get(response["Location"])
    assert "215.7 lb in all. Name who worked below, or choose Skip." in followed.content.decode()
    assert len(followed.context["harvests"]) == 3
    skip = client.get(followed.context["skip_url"])
    assert len(skip.context["table"].rows) == 3


def test_blank_rows_are_ignored(gw, client_for):
    response = post_day(client_for(gw.staff_jccc), gw, [(gw.tomatoes, "10", {}), (None, "", {})])
    assert response.status_code == 302
    assert Harvest.objects.count() == 1


def test_one_bad_row_saves_nothing_and_says_why(gw, client_for):
    response = post_day(
        client_for(gw.staff_jccc),
        gw,
        [(gw.tomatoes, "10", {}), (gw.squash, "6000", {}), (gw.greens, "", {"volunteers": "2"})],
    )
    assert response.status_code == 400
    assert not Harvest.objects.exists()
    rows = response.context["rows"]
    assert len(rows) == 3  # every row comes back, with what was typed
    assert "not plausible" in rows[1].errors["weight_lb"][0]
    assert rows[2].errors["weight_lb"] == ["This field is required."]
    assert "Nothing was saved" in response.content.decode()


def test_model_rule_error_lands_on_its_row(gw, client_for):
    response = post_day(
        client_for(gw.staff_jccc), gw, [(gw.tomatoes, "10", {}), (gw.squash, "5", {"volunteer_hours": "3"})]
    )
    assert response.status_code == 400
    assert response.context["rows"][1].errors["volunteers"] == ["Enter how many volunteers worked those hours."]
    assert not Harvest.objects.exists()


def test_no_rows_at_all(gw, client_for):
    response = post_day(client_for(gw.staff_jccc), gw, [])
    assert response.status_code == 400
    assert "Add at least one crop" in response.content.decode()


def test_future_date_is_refused(gw, client_for):
    response = post_day(client_for(gw.staff_jccc), gw, [(gw.tomatoes, "10", {})], date="2999-01-01")
    assert response.status_code == 400
    assert response.context["header"].errors["date"] == ["The date is in the future."]


def test_auditor_cannot_enter(gw, client_for):
    client = client_for(gw.auditor)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("gardens:harvest_quick_row")).status_code == 403
