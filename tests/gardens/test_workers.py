"""Who worked a harvest: the rules, scope, the selectors, the timeline, the report, the page and the API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.services import entry_void
from core.timeline import timeline_for
from gardens import selectors, services
from gardens.models import HarvestWorker
from gardens.registrations import participation_report
from tests.factories.gardens import HarvestFactory, inmate_at
from tests.queries import page_queries


@pytest.fixture
def hw(gw):
    gw.harvest = HarvestFactory(
        garden=gw.garden_jccc, crop=gw.tomatoes, volunteers=3, volunteer_hours=Decimal("9.0"), entered_by=gw.staff_jccc
    )
    gw.harvest_acc = HarvestFactory(garden=gw.garden_acc, crop=gw.squash, entered_by=gw.staff_acc)
    gw.p1 = gw.inmate
    gw.p2 = inmate_at(gw.jccc, last_name="Baker")
    gw.at_acc = inmate_at(gw.acc, last_name="Acorn")
    return gw


def name(hw, workers, harvest=None, user=None):
    return services.harvest_workers_set(harvest=harvest or hw.harvest, user=user or hw.staff_jccc, workers=workers)


def test_workers_set_saves_people_and_hours_with_history(hw):
    saved = name(hw, {hw.p1: Decimal("3.50"), hw.p2: Decimal("2.25")})
    assert sorted(w.hours for w in saved) == [Decimal("2.25"), Decimal("3.50")]
    worker = HarvestWorker.objects.get(offender=hw.p1)
    assert worker.history.first().history_user_id == hw.staff_jccc.pk
    # Replacing the list removes who is left out and changes hours, each with a history row.
    name(hw, {hw.p1: Decimal("4")})
    assert list(HarvestWorker.objects.values_list("offender_id", "hours")) == [(hw.p1.pk, Decimal("4.00"))]
    assert HarvestWorker.history.filter(offender_id=hw.p2.pk, history_type="-").exists()


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (Decimal("0"), "enter hours above 0"),
        (Decimal("17"), "17 hours is more than 16 hours in a day"),
        (Decimal("2.125"), "use at most 2 decimal places"),
        (None, "enter their hours"),
    ],
)
def test_workers_set_refuses_bad_hours(hw, hours, message):
    with pytest.raises(ValidationError) as exc:
        name(hw, [(hw.p1.pk, hours)])
    assert any(message in m for m in exc.value.messages)
    assert not HarvestWorker.objects.exists()


def test_workers_set_refuses_a_person_not_at_the_facility(hw):
    with pytest.raises(ValidationError) as exc:
        name(hw, {hw.p1: Decimal("1"), hw.at_acc: Decimal("1")})
    assert exc.value.messages == [
        f"Acorn, {hw.at_acc.first_name} ({hw.at_acc.doc_id}) is not held at JCCC: only its people can be named."
    ]
    assert not HarvestWorker.objects.exists()


def test_workers_set_refuses_a_supervised_person(hw):
    with pytest.raises(ValidationError, match="is not held at JCCC"):
        name(hw, {hw.supervised: Decimal("1")})


def test_workers_set_refuses_duplicates(hw):
    with pytest.raises(ValidationError) as exc:
        name(hw, [(hw.p1.pk, Decimal("1")), (hw.p1.pk, Decimal("2"))])
    assert any("is named twice" in m for m in exc.value.messages)
    assert not HarvestWorker.objects.exists()


def test_workers_set_refuses_more_people_than_volunteers(hw):
    hw.harvest.volunteers = 1
    hw.harvest.save()
    with pytest.raises(ValidationError) as exc:
        name(hw, {hw.p1: Decimal("1"), hw.p2: Decimal("1")})
    assert exc.value.messages == [
        "You named 2 people but the harvest counts 1 volunteer(s). "
        "Raise the harvest's volunteers first, or name fewer people."
    ]
    assert not HarvestWorker.objects.exists()


def test_workers_set_refuses_more_hours_than_the_harvest(hw):
    with pytest.raises(ValidationError) as exc:
        name(hw, {hw.p1: Decimal("6"), hw.p2: Decimal("3.5")})
    assert "The named people's hours (9.5) are more than the harvest's volunteer hours (9.0)" in exc.value.messages[0]
    assert not HarvestWorker.objects.exists()


def test_correction_keeps_totals_at_least_the_named_ones(hw):
    name(hw, {hw.p1: Decimal("4"), hw.p2: Decimal("4")})
    with pytest.raises(ValidationError, match="more than the harvest's volunteer hours"):
        services.harvest_correct(harvest=hw.harvest, user=hw.staff_jccc, volunteer_hours=Decimal("7.5"))
    with pytest.raises(ValidationError, match="counts 1 volunteer"):
        services.harvest_correct(harvest=hw.harvest, user=hw.staff_jccc, volunteers=1)
    services.harvest_correct(harvest=hw.harvest, user=hw.staff_jccc, volunteer_hours=Decimal("8.0"))


def test_correction_to_another_facility_is_refused_while_people_are_named(hw):
    name(hw, {hw.p1: Decimal("1")})
    with pytest.raises(ValidationError) as exc:
        services.harvest_correct(harvest=hw.harvest, user=hw.admin, garden=hw.garden_acc)
    assert "remove them before moving it" in str(exc.value)


def test_a_void_harvest_takes_no_workers(hw):
    entry_void(entry=hw.harvest, user=hw.staff_jccc, reason="Entered twice")
    with pytest.raises(ValidationError, match="voided entry"):
        name(hw, {hw.p1: Decimal("1")})


def test_participation_hours_sum_standing_harvests_only(hw):
    name(hw, {hw.p1: Decimal("3.50"), hw.p2: Decimal("2")})
    other = HarvestFactory(garden=hw.garden_jccc, crop=hw.greens, date=dt.date(2026, 8, 3), entered_by=hw.staff_jccc)
    name(hw, {hw.p1: Decimal("1.25")}, harvest=other)
    void = HarvestFactory(garden=hw.garden_jccc, crop=hw.squash, entered_by=hw.staff_jccc)
    name(hw, {hw.p1: Decimal("5")}, harvest=void)
    entry_void(entry=void, user=hw.staff_jccc, reason="Wrong garden")
    ids = [hw.p1.pk, hw.p2.pk, hw.at_acc.pk]
    assert selectors.participation_hours(ids) == {hw.p1.pk: Decimal("4.75"), hw.p2.pk: Decimal("2.00")}
    assert selectors.participation_hours(ids, start=dt.date(2026, 8, 1)) == {hw.p1.pk: Decimal("1.25")}
    assert selectors.participation_hours(ids, end=dt.date(2026, 7, 31)) == {
        hw.p1.pk: Decimal("3.50"),
        hw.p2.pk: Decimal("2.00"),
    }
    items = selectors.participation_items(hw.p1, hw.staff_jccc)
    assert [(i.date, i.hours) for i in items] == [
        (dt.date(2026, 8, 3), Decimal("1.25")),
        (dt.date(2026, 7, 1), Decimal("3.50")),
    ]
    assert items[0].where == "East garden (JCCC)"
    assert items[0].what == "Harvest: Kale"


def test_participation_is_scoped(hw):
    name(hw, {hw.p1: Decimal("3")})
    moved = inmate_at(hw.acc)
    services.harvest_workers_set(harvest=hw.harvest_acc, user=hw.staff_acc, workers={moved: Decimal("2")})
    ids = [hw.p1.pk, moved.pk]
    assert selectors.participation_hours(ids, user=hw.staff_jccc) == {hw.p1.pk: Decimal("3.00")}
    assert selectors.participation_hours(ids, user=hw.staff_acc) == {moved.pk: Decimal("2.00")}
    assert selectors.participation_hours(ids, user=hw.admin) == {hw.p1.pk: Decimal("3.00"), moved.pk: Decimal("2.00")}
    assert selectors.participation_hours(ids, user=hw.officer) == {}
    assert selectors.participation_items(moved, hw.staff_jccc) == []
    assert list(HarvestWorker.objects.restrict(hw.staff_jccc).values_list("offender_id", flat=True)) == [hw.p1.pk]


def test_timeline_lines(hw):
    name(hw, {hw.p1: Decimal("3.5")})
    lines = [i for i in timeline_for(hw.p1, hw.staff_jccc) if i.program == "gardens"]
    assert [(i.kind, i.text) for i in lines] == [("Harvest", "Harvest: 3.50 hours at East garden (JCCC)")]
    assert lines[0].url == hw.harvest.get_absolute_url()
    entry_void(entry=hw.harvest, user=hw.staff_jccc, reason="Entered twice")
    assert [i for i in timeline_for(hw.p1, hw.staff_jccc) if i.program == "gardens"] == []


def test_report_hours_and_people_by_facility_and_month(hw):
    name(hw, {hw.p1: Decimal("3.5"), hw.p2: Decimal("1")})
    other = HarvestFactory(garden=hw.garden_jccc, crop=hw.greens, date=dt.date(2026, 7, 20), entered_by=hw.staff_jccc)
    name(hw, {hw.p1: Decimal("2")}, harvest=other)
    services.harvest_workers_set(harvest=hw.harvest_acc, user=hw.staff_acc, workers={hw.at_acc: Decimal("2")})
    table = participation_report(hw.admin, {})["tables"][0]
    assert table["rows"] == [
        ["ACC", "Jul 2026", 1, Decimal("2.00")],
        ["JCCC", "Jul 2026", 2, Decimal("6.50")],
        ["All facilities", "", "", Decimal("8.50")],
    ]
    staff = participation_report(hw.staff_jccc, {"by": "year"})["tables"][0]
    assert staff["rows"][0] == ["JCCC", "2026", 2, Decimal("6.50")]
    assert len(staff["rows"]) == 2
    assert participation_report(hw.admin, {"start": dt.date(2026, 8, 1)})["tables"][0]["rows"] == [
        ["All facilities", "", "", 0]
    ]


def test_workers_page_saves_and_refuses(hw, client_for):
    client = client_for(hw.staff_jccc)
    url = reverse("gardens:harvest_workers", args=[hw.harvest.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert hw.p1.doc_id in html and hw.p2.doc_id in html and hw.at_acc.doc_id not in html
    bad = client.post(url, {f"w{hw.p1.pk}": "on", f"h{hw.p1.pk}": "17"})
    assert bad.status_code == 400
    assert "more than 16 hours in a day" in bad.content.decode()
    unticked = client.post(url, {f"h{hw.p2.pk}": "2"})
    assert "Tick the person, or clear their hours." in unticked.content.decode()
    too_much = client.post(url, {f"w{hw.p1.pk}": "on", f"h{hw.p1.pk}": "8", f"w{hw.p2.pk}": "on", f"h{hw.p2.pk}": "2"})
    assert too_much.status_code == 400
    assert "more than the harvest&#x27;s volunteer hours" in too_much.content.decode()
    assert not HarvestWorker.objects.exists()
    ok = client.post(url, {f"w{hw.p1.pk}": "on", f"h{hw.p1.pk}": "3.5"})
    assert ok.status_code == 302
    detail = client.get(hw.harvest.get_absolute_url()).content.decode()
    assert hw.p1.doc_id in detail and "3.50" in detail


def test_workers_page_is_out_of_scope_for_others(hw, client_for):
    url = reverse("gardens:harvest_workers", args=[hw.harvest.pk])
    for user in (hw.staff_acc, hw.officer, hw.auditor):
        assert client_for(user).get(url).status_code == 404
    assert client_for(hw.admin).get(url).status_code == 200


def test_api_shows_workers_read_only_and_scoped(hw, client_for):
    name(hw, {hw.p1: Decimal("3.5")})
    body = client_for(hw.staff_jccc).get(f"/api/v1/harvests/{hw.harvest.pk}/").json()
    assert body["workers"] == [{"offender": hw.p1.pk, "hours": "3.50"}]
    assert client_for(hw.staff_acc).get(f"/api/v1/harvests/{hw.harvest.pk}/").status_code == 404
    client_for(hw.staff_jccc).patch(
        f"/api/v1/harvests/{hw.harvest.pk}/", {"workers": []}, content_type="application/json"
    )
    assert HarvestWorker.objects.count() == 1


def _workers(hw, harvest, n):
    people = [inmate_at(hw.jccc) for _ in range(n)]
    harvest.volunteers = n
    harvest.volunteer_hours = Decimal(n * 2)
    harvest.save()
    services.harvest_workers_set(harvest=harvest, user=hw.admin, workers={p: Decimal("1.5") for p in people})
    return people


@pytest.mark.parametrize("username", ["staff_jccc", "admin"])
def test_harvest_pages_run_constant_queries_with_1_and_30_workers(hw, client_for, username):
    client = client_for(getattr(hw, username))
    few = HarvestFactory(garden=hw.garden_jccc, crop=hw.greens, entered_by=hw.staff_jccc)
    many = HarvestFactory(garden=hw.garden_jccc, crop=hw.squash, entered_by=hw.staff_jccc)
    _workers(hw, few, 1)
    _workers(hw, many, 30)
    for page in ("gardens:harvest_detail", "gardens:harvest_workers"):
        client.get(reverse(page, args=[few.pk]))
        one, _ = page_queries(client, reverse(page, args=[few.pk]))
        thirty, _ = page_queries(client, reverse(page, args=[many.pk]))
        assert one == thirty, page
    api_one, _ = page_queries(client, f"/api/v1/harvests/?id={few.pk}")
    api_all, _ = page_queries(client, "/api/v1/harvests/")
    assert api_one == api_all


def test_participation_selectors_run_constant_queries(hw, django_assert_num_queries):
    few = _workers(hw, hw.harvest, 1)
    many_harvests = [HarvestFactory(garden=hw.garden_jccc, crop=hw.greens, entered_by=hw.staff_jccc) for _ in range(30)]
    for h in many_harvests:
        services.harvest_workers_set(harvest=h, user=hw.admin, workers={hw.p2: Decimal("1")})
    for person in (few[0], hw.p2):
        with django_assert_num_queries(1):
            selectors.participation_items(person, hw.admin)
        with django_assert_num_queries(1):
            selectors.participation_hours([person.pk], user=hw.admin)
    assert hw.staff_jccc.facility_ids == [hw.jccc.pk]  # read once per request (a cached property)
    with django_assert_num_queries(1):
        selectors.participation_by_facility(user=hw.staff_jccc)
    with django_assert_num_queries(1):
        selectors.participation_items(hw.p2, hw.staff_jccc)


@pytest.mark.parametrize("username", ["staff_jccc", "admin"])
def test_timeline_page_runs_constant_queries_with_1_and_30_harvests(hw, client_for, username):
    client = client_for(getattr(hw, username))
    for i in range(30):
        h = HarvestFactory(garden=hw.garden_jccc, crop=hw.greens, date=dt.date(2026, 6, 1) + dt.timedelta(days=i))
        services.harvest_workers_set(harvest=h, user=hw.admin, workers={hw.p2: Decimal("1")})
    services.harvest_workers_set(harvest=hw.harvest, user=hw.admin, workers={hw.p1: Decimal("1")})
    url = reverse("core:offender_timeline", args=[hw.p1.pk])
    client.get(url)
    one, response = page_queries(client, url)
    assert "Harvest: 1.00 hours at East garden (JCCC)" in response.content.decode()
    thirty, _ = page_queries(client, reverse("core:offender_timeline", args=[hw.p2.pk]))
    assert one == thirty
