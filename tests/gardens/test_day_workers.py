"""Who worked this day: after the quick day entry, one page names who worked each of the day's harvests at
a garden (the roster, a box, the hours and, with more than one crop, the crop per person), saved all at once
through ``harvest_workers_set`` or not at all."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.services import entry_void
from gardens import services
from gardens.models import HarvestWorker
from tests.factories import FacilityFactory
from tests.factories.gardens import GardenFactory, HarvestFactory, inmate_at
from tests.gardens.test_quick_entry import post_day
from tests.queries import page_queries

DAY = dt.date(2026, 7, 1)


@pytest.fixture
def dw(gw):
    """At JCCC's East garden on Jul 1, 2026: tomatoes (3 volunteers, 9 hours) and kale (2 volunteers,
    4 hours); three people held at JCCC and one at ACC."""
    gw.tomatoes_h = HarvestFactory(
        garden=gw.garden_jccc, crop=gw.tomatoes, date=DAY, volunteers=3, volunteer_hours=Decimal("9.0"),
        entered_by=gw.staff_jccc,
    )  # fmt: skip
    gw.kale_h = HarvestFactory(
        garden=gw.garden_jccc, crop=gw.greens, date=DAY, volunteers=2, volunteer_hours=Decimal("4.0"),
        entered_by=gw.staff_jccc,
    )  # fmt: skip
    gw.p1 = gw.inmate
    gw.p2 = inmate_at(gw.jccc, last_name="Baker")
    gw.p3 = inmate_at(gw.jccc, last_name="Cole")
    gw.at_acc = inmate_at(gw.acc, last_name="Acorn")
    return gw


def url(garden, day=DAY):
    return reverse("gardens:harvest_day_workers", args=[garden.pk, day])


def list_url(garden, day=DAY):
    return f"/gardens/harvests/?garden={garden.pk}&date_from={day.isoformat()}&date_to={day.isoformat()}"


def data(harvests, **people):
    """The form's post: ``people`` maps "p<pk>" to (hours, harvest or None, ticked)."""
    body = {"shown": ",".join(str(h.pk) for h in harvests)}
    for key, (hours, harvest, ticked) in people.items():
        pk = key[1:]
        if ticked:
            body[f"w{pk}"] = "on"
        body[f"h{pk}"] = "" if hours is None else hours
        if harvest is not None:
            body[f"c{pk}"] = harvest if isinstance(harvest, int) else harvest.pk
    return body


def stored():
    """Every named worker and every history row: what "nothing is stored" compares."""
    rows = sorted(HarvestWorker.objects.values_list("harvest_id", "offender_id", "hours"))
    return rows, HarvestWorker.history.count()


def name(harvest, user, workers):
    services.harvest_workers_set(harvest=harvest, user=user, workers=workers)


def test_one_harvest_has_no_crop_select(dw, client_for):
    entry_void(entry=dw.kale_h, user=dw.staff_jccc, reason="Entered twice")
    client = client_for(dw.staff_jccc)
    page = client.get(url(dw.garden_jccc))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Who worked this day" in html and "Jul 1, 2026" in html
    assert dw.p1.doc_id in html and dw.p2.doc_id in html and dw.at_acc.doc_id not in html
    assert f'name="c{dw.p1.pk}"' not in html and "Crop<span" not in html
    assert "Kale" not in html  # the voided harvest is not offered
    response = client.post(url(dw.garden_jccc), data([dw.tomatoes_h], **{f"p{dw.p1.pk}": ("3.5", None, True)}))
    assert response.status_code == 302
    assert response["Location"] == list_url(dw.garden_jccc)
    assert stored()[0] == [(dw.tomatoes_h.pk, dw.p1.pk, Decimal("3.50"))]
    followed = client.get(response["Location"]).content.decode()
    assert "Saved who worked on Jul 1, 2026: 1 people, 3.50 hours." in followed


def test_two_harvests_people_assigned_to_each(dw, client_for):
    client = client_for(dw.staff_jccc)
    page = client.get(url(dw.garden_jccc))
    html = page.content.decode()
    assert f'name="c{dw.p1.pk}"' in html
    assert page.context["form"][f"c{dw.p1.pk}"].value() == dw.tomatoes_h.pk  # the first harvest by default
    assert [label for _, label in page.context["harvests"]] == ["Tomatoes", "Kale"]
    body = data(
        [dw.tomatoes_h, dw.kale_h],
        **{f"p{dw.p1.pk}": ("3", dw.tomatoes_h, True), f"p{dw.p2.pk}": ("2.25", dw.kale_h, True)},
    )
    response = client.post(url(dw.garden_jccc), body)
    assert response.status_code == 302
    assert stored()[0] == sorted(
        [(dw.tomatoes_h.pk, dw.p1.pk, Decimal("3.00")), (dw.kale_h.pk, dw.p2.pk, Decimal("2.25"))]
    )
    worker = HarvestWorker.objects.get(offender=dw.p2)
    assert worker.history.first().history_user_id == dw.staff_jccc.pk
    assert "Saved who worked on Jul 1, 2026: 2 people, 5.25 hours." in client.get(response["Location"]).content.decode()


def test_prefilled_from_named_workers_and_moved_to_another_crop(dw, client_for):
    name(dw.kale_h, dw.staff_jccc, {dw.p1: Decimal("2")})
    client = client_for(dw.staff_jccc)
    form = client.get(url(dw.garden_jccc)).context["form"]
    assert form[f"w{dw.p1.pk}"].value() is True
    assert form[f"h{dw.p1.pk}"].value() == Decimal("2.00")
    assert form[f"c{dw.p1.pk}"].value() == dw.kale_h.pk
    assert form[f"w{dw.p2.pk}"].value() is False
    # Moved to the tomatoes: off the kale (with its history row), on the tomatoes.
    body = data([dw.tomatoes_h, dw.kale_h], **{f"p{dw.p1.pk}": ("2", dw.tomatoes_h, True)})
    assert client.post(url(dw.garden_jccc), body).status_code == 302
    assert stored()[0] == [(dw.tomatoes_h.pk, dw.p1.pk, Decimal("2.00"))]
    assert HarvestWorker.history.filter(offender_id=dw.p1.pk, harvest_id=dw.kale_h.pk, history_type="-").exists()


def test_a_person_named_on_two_crops_is_read_only_and_kept(dw, client_for):
    name(dw.tomatoes_h, dw.staff_jccc, {dw.p1: Decimal("2")})
    name(dw.kale_h, dw.staff_jccc, {dw.p1: Decimal("1.5")})
    client = client_for(dw.staff_jccc)
    page = client.get(url(dw.garden_jccc))
    html = page.content.decode()
    assert "named on 2 crops this day: change this on each harvest" in html
    for harvest in (dw.tomatoes_h, dw.kale_h):
        assert f'href="{reverse("gardens:harvest_workers", args=[harvest.pk])}"' in html
    assert f"w{dw.p1.pk}" not in page.context["form"].fields
    before = stored()
    # The others are saved; the person on two crops stays as is (a forged box for them is ignored).
    body = data([dw.tomatoes_h, dw.kale_h], **{f"p{dw.p2.pk}": ("3", dw.tomatoes_h, True)})
    body[f"w{dw.p1.pk}"], body[f"h{dw.p1.pk}"] = "on", "9"
    response = client.post(url(dw.garden_jccc), body)
    assert response.status_code == 302
    assert stored()[0] == sorted([*before[0], (dw.tomatoes_h.pk, dw.p2.pk, Decimal("3.00"))])
    assert stored()[1] == before[1] + 1  # one row written: the new one
    assert "Saved who worked on Jul 1, 2026: 2 people, 6.50 hours." in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("hours", "ticked", "harvest", "message"),
    [
        ("0", True, None, "Enter hours above 0."),
        ("17", True, None, "17 hours is more than 16 hours in a day."),
        ("1.234", True, None, "use at most 2 decimal places"),
        (None, True, None, "Enter their hours."),
        ("2", False, None, "Tick the person, or clear their hours."),
        ("2", True, 2_000_000_000, "Choose one of this day&#x27;s crops."),
    ],
)
def test_bad_input_says_why_and_stores_nothing(dw, client_for, hours, ticked, harvest, message):
    name(dw.kale_h, dw.staff_jccc, {dw.p3: Decimal("1")})
    before = stored()
    client = client_for(dw.staff_jccc)
    body = data(
        [dw.tomatoes_h, dw.kale_h],
        **{
            f"p{dw.p1.pk}": ("2", dw.tomatoes_h, True),
            f"p{dw.p2.pk}": (hours, harvest or dw.kale_h, ticked),
            f"p{dw.p3.pk}": ("1", dw.kale_h, True),
        },
    )
    response = client.post(url(dw.garden_jccc), body)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Nothing was saved" in html
    assert stored() == before
    # The form keeps what was entered.
    form = response.context["form"]
    assert form[f"h{dw.p1.pk}"].value() == "2" and form[f"w{dw.p1.pk}"].value() is True


def test_a_person_moved_to_another_facility_is_not_newly_named(dw, client_for):
    name(dw.tomatoes_h, dw.staff_jccc, {dw.p2: Decimal("1")})
    dw.p2.facility = dw.acc
    dw.p2.save()
    before = stored()
    client = client_for(dw.staff_jccc)
    assert dw.p2.doc_id in client.get(url(dw.garden_jccc)).content.decode()  # named already: still listed
    body = data([dw.tomatoes_h, dw.kale_h], **{f"p{dw.p2.pk}": ("1", dw.kale_h, True)})
    response = client.post(url(dw.garden_jccc), body)
    assert response.status_code == 400
    assert (
        f"Kale: Baker, {dw.p2.first_name} ({dw.p2.doc_id}) is not held at JCCC: only its people can be named."
        in response.content.decode()
    )
    assert stored() == before
    # Kept where they were named, they may stay.
    body = data([dw.tomatoes_h, dw.kale_h], **{f"p{dw.p2.pk}": ("1.5", dw.tomatoes_h, True)})
    assert client.post(url(dw.garden_jccc), body).status_code == 302
    assert stored()[0] == [(dw.tomatoes_h.pk, dw.p2.pk, Decimal("1.50"))]


def test_totals_over_each_harvest_are_refused_with_the_crop_named(dw, client_for):
    p4 = inmate_at(dw.jccc, last_name="Dunn")
    name(dw.tomatoes_h, dw.staff_jccc, {p4: Decimal("1")})
    before = stored()
    body = data(
        [dw.tomatoes_h, dw.kale_h],
        **{
            f"p{dw.p1.pk}": ("6", dw.tomatoes_h, True),
            f"p{p4.pk}": ("4", dw.tomatoes_h, True),
            f"p{dw.p2.pk}": ("1", dw.kale_h, True),
            f"p{dw.p3.pk}": ("1", dw.kale_h, True),
        },
    )
    p5 = inmate_at(dw.jccc, last_name="Eads")
    body.update({f"w{p5.pk}": "on", f"h{p5.pk}": "1", f"c{p5.pk}": dw.kale_h.pk})
    response = client_for(dw.staff_jccc).post(url(dw.garden_jccc), body)
    assert response.status_code == 400
    errors = response.context["form"].non_field_errors()
    assert list(errors) == [
        "Tomatoes: The named people's hours (10) are more than the harvest's volunteer hours (9.0). "
        "Raise the harvest's volunteer hours first, or enter fewer hours.",
        "Kale: You named 3 people but the harvest counts 2 volunteer(s). "
        "Raise the harvest's volunteers first, or name fewer people.",
    ]
    assert stored() == before
    assert response.context["form"][f"h{p4.pk}"].value() == "4"  # what was typed stays


def test_a_harvest_voided_meanwhile_stores_nothing(dw, client_for):
    name(dw.kale_h, dw.staff_jccc, {dw.p3: Decimal("1")})
    client = client_for(dw.staff_jccc)
    shown = client.get(url(dw.garden_jccc)).context["form"]["shown"].value()
    entry_void(entry=dw.kale_h, user=dw.admin, reason="Weighed at the wrong garden")
    before = stored()
    body = data([dw.tomatoes_h, dw.kale_h], **{f"p{dw.p1.pk}": ("2", dw.tomatoes_h, True)})
    assert body["shown"] == shown
    response = client.post(url(dw.garden_jccc), body)
    assert response.status_code == 400
    assert "The day&#x27;s harvests changed since this page was opened" in response.content.decode()
    assert stored() == before
    # Between the page's read and the write (the service's lock): every harvest is refused, named by its crop.
    with pytest.raises(ValidationError) as exc:
        services.harvest_day_workers_set(
            harvests=[dw.tomatoes_h, dw.kale_h], user=dw.staff_jccc, assigned={dw.tomatoes_h.pk: [(dw.p1.pk, 2)]}
        )
    assert exc.value.messages == ["Kale: this harvest was voided meanwhile; it takes no workers."]
    assert stored() == before


def test_the_service_refuses_a_harvest_that_is_not_the_days(dw):
    other = HarvestFactory(garden=dw.garden_jccc, crop=dw.squash, date=DAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match=f"Harvest #{other.pk} is not one of this day's harvests"):
        services.harvest_day_workers_set(
            harvests=[dw.tomatoes_h], user=dw.admin, assigned={other.pk: [(dw.p1.pk, Decimal("1"))]}
        )
    assert stored() == ([], 0)


def test_staff_are_not_offered_harvests_past_the_correction_window(dw, client_for):
    dw.kale_h.entered_at = timezone.now() - dt.timedelta(days=30)
    dw.kale_h.save()
    page = client_for(dw.staff_jccc).get(url(dw.garden_jccc))
    assert [h for h, _ in page.context["harvests"]] == [dw.tomatoes_h]
    page = client_for(dw.admin).get(url(dw.garden_jccc))
    assert [h for h, _ in page.context["harvests"]] == [dw.tomatoes_h, dw.kale_h]


def test_scope(dw, client_for, client):
    target = url(dw.garden_jccc)
    body = data([dw.tomatoes_h], **{f"p{dw.p1.pk}": ("1", dw.tomatoes_h, True)})
    for user in (dw.staff_acc, dw.officer, dw.auditor, dw.victims):
        signed_in = client_for(user)
        assert signed_in.get(target).status_code == 404, user
        assert signed_in.post(target, body).status_code == 404, user
    assert not HarvestWorker.objects.exists()
    admin = client_for(dw.admin)
    assert admin.get(target).status_code == 200
    assert admin.get(url(dw.garden_acc)).status_code == 200
    staff = client_for(dw.staff_jccc)
    assert staff.get(url(dw.garden_acc)).status_code == 404
    assert staff.get("/gardens/harvests/day/2000000000/2026-07-01/workers/").status_code == 404
    assert staff.get(f"/gardens/harvests/day/{dw.garden_jccc.pk}/2026-02-30/workers/").status_code == 404
    assert staff.get(f"/gardens/harvests/day/{dw.garden_jccc.pk}/2026-7-1/workers/").status_code == 404
    client.logout()
    assert client.get(target)["Location"].startswith("/accounts/login/")


def test_a_day_without_harvests_says_so(dw, client_for):
    client = client_for(dw.staff_jccc)
    page = client.get(url(dw.garden_jccc, DAY + dt.timedelta(days=1)))
    assert page.status_code == 200
    html = page.content.decode()
    assert "No harvest at East garden on Jul 2, 2026 can take the names of who worked" in html
    assert f'href="/gardens/harvests/day/?garden={dw.garden_jccc.pk}"' in html
    assert "Save who worked" not in html


def test_nobody_held_at_the_facility(gw, client_for):
    empty = GardenFactory(facility=FacilityFactory(code="WRDCC"), name="West plot")
    HarvestFactory(garden=empty, crop=gw.tomatoes, date=DAY)
    page = client_for(gw.admin).get(url(empty))
    assert page.status_code == 200
    assert "Nobody is held at WRDCC that you can name." in page.content.decode()


def test_the_quick_day_entry_leads_here(dw, client_for):
    client = client_for(dw.staff_jccc)
    response = post_day(client, dw, [(dw.squash, "80", {"volunteers": "2", "volunteer_hours": "4"})], date="2026-07-02")
    assert response.status_code == 302
    assert response["Location"] == url(dw.garden_jccc, dt.date(2026, 7, 2))
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Saved 1 harvest at JCCC · East garden on Jul 2, 2026: 80.0 lb in all." in html
    assert "Name who worked below, or choose Skip." in html
    assert f'href="{list_url(dw.garden_jccc, dt.date(2026, 7, 2))}"'.replace("&", "&amp;") in html
    assert [h.crop for h, _ in page.context["harvests"]] == [dw.squash]


def test_the_harvest_page_links_to_its_day(dw, client_for):
    html = client_for(dw.staff_jccc).get(dw.kale_h.get_absolute_url()).content.decode()
    assert f'href="{url(dw.garden_jccc)}">Who worked this day</a>' in html


# Query counts ------------------------------------------------------------------------------------------
def _day(gw, n, day):
    return [
        HarvestFactory(garden=gw.garden_jccc, crop=crop, date=day, entered_by=gw.staff_jccc)
        for crop in (gw.tomatoes, gw.greens, gw.squash)[:n]
    ]


def _post_queries(client, gw, harvests, person):
    body = data(harvests, **{f"p{person.pk}": ("1.5", harvests[0], True)})
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url(gw.garden_jccc, harvests[0].date), body)
    assert response.status_code == 302, response.content.decode()[:2000]
    return len(ctx.captured_queries)


@pytest.mark.parametrize("username", ["staff_jccc", "admin"])
def test_page_and_save_run_constant_queries(gw, client_for, username):
    client = client_for(getattr(gw, username))
    days = iter(dt.date(2026, 6, 1) + dt.timedelta(days=i) for i in range(20))
    warm = _day(gw, 3, next(days))
    client.get(url(gw.garden_jccc, warm[0].date))
    _post_queries(client, gw, warm, gw.inmate)
    counts = {}
    for people in (1, 10):
        if people == 10:
            for _ in range(9):
                inmate_at(gw.jccc)
        for n in (1, 3):
            harvests = _day(gw, n, next(days))
            got, response = page_queries(client, url(gw.garden_jccc, harvests[0].date))
            assert len(response.context["form"].roster) == people
            counts[("get", people, n)] = got
            counts[("post", people, n)] = _post_queries(client, gw, harvests, gw.inmate)
    gets = {k: v for k, v in counts.items() if k[0] == "get"}
    posts = {k: v for k, v in counts.items() if k[0] == "post"}
    assert len(set(gets.values())) == 1, gets
    assert len(set(posts.values())) == 1, posts
