"""Who worked on a craft production entry: the rules, scope, the selectors, the timeline, the report, the
page and the API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.services import entry_void
from core.timeline import timeline_for
from donations import selectors, services
from donations.models import ProductionWorker
from donations.registrations import participation_report
from tests.factories.donations import ItemFactory, ProductionLogFactory
from tests.factories.gardens import inmate_at
from tests.queries import page_queries


@pytest.fixture
def pw(gw):
    gw.quilt = ItemFactory(name="Quilt")
    gw.entry = ProductionLogFactory(
        facility=gw.jccc, item=gw.quilt, volunteer_hours=Decimal("6.0"), entered_by=gw.staff_jccc
    )
    gw.entry_acc = ProductionLogFactory(facility=gw.acc, item=gw.quilt, shop="Knitting group", entered_by=gw.staff_acc)
    gw.p1 = gw.inmate
    gw.p2 = inmate_at(gw.jccc, last_name="Baker")
    gw.at_acc = inmate_at(gw.acc, last_name="Acorn")
    return gw


def name(pw, workers, entry=None, user=None):
    return services.production_workers_set(entry=entry or pw.entry, user=user or pw.staff_jccc, workers=workers)


def test_workers_set_saves_with_history(pw):
    name(pw, {pw.p1: Decimal("2.50"), pw.p2: Decimal("3.5")})
    assert sorted(ProductionWorker.objects.values_list("hours", flat=True)) == [Decimal("2.50"), Decimal("3.50")]
    assert ProductionWorker.history.filter(history_user=pw.staff_jccc).count() == 2


@pytest.mark.parametrize(
    ("workers", "message"),
    [
        ("zero", "enter hours above 0"),
        ("seventeen", "more than 16 hours in a day"),
        ("three_decimals", "use at most 2 decimal places"),
        ("elsewhere", "is not held at JCCC"),
        ("twice", "is named twice"),
        ("too_many_hours", "more than the entry's volunteer hours (6.0)"),
    ],
)
def test_workers_set_refuses_bad_input(pw, workers, message):
    cases = {
        "zero": [(pw.p1.pk, Decimal("0"))],
        "seventeen": [(pw.p1.pk, Decimal("17"))],
        "three_decimals": [(pw.p1.pk, Decimal("1.005"))],
        "elsewhere": [(pw.at_acc.pk, Decimal("1"))],
        "twice": [(pw.p1.pk, Decimal("1")), (pw.p1.pk, Decimal("1"))],
        "too_many_hours": [(pw.p1.pk, Decimal("4")), (pw.p2.pk, Decimal("2.5"))],
    }
    with pytest.raises(ValidationError) as exc:
        name(pw, cases[workers])
    assert any(message in m for m in exc.value.messages), exc.value.messages
    assert not ProductionWorker.objects.exists()


def test_correction_keeps_volunteer_hours_at_least_the_named_ones(pw):
    name(pw, {pw.p1: Decimal("4")})
    with pytest.raises(ValidationError, match="more than the entry's volunteer hours"):
        services.production_correct(entry=pw.entry, user=pw.staff_jccc, volunteer_hours=Decimal("3.5"))
    with pytest.raises(ValidationError, match="remove them before moving it"):
        services.production_correct(entry=pw.entry, user=pw.admin, facility=pw.acc)


def test_selectors_sum_standing_entries_only_and_are_scoped(pw):
    name(pw, {pw.p1: Decimal("3.5")})
    later = ProductionLogFactory(facility=pw.jccc, item=pw.quilt, date=dt.date(2026, 8, 2), entered_by=pw.staff_jccc)
    name(pw, {pw.p1: Decimal("1.25")}, entry=later)
    void = ProductionLogFactory(facility=pw.jccc, item=pw.quilt, entered_by=pw.staff_jccc)
    name(pw, {pw.p1: Decimal("5")}, entry=void)
    entry_void(entry=void, user=pw.staff_jccc, reason="Entered twice")
    services.production_workers_set(entry=pw.entry_acc, user=pw.staff_acc, workers={pw.at_acc: Decimal("2")})
    ids = [pw.p1.pk, pw.at_acc.pk]
    assert selectors.participation_hours(ids) == {pw.p1.pk: Decimal("4.75"), pw.at_acc.pk: Decimal("2.00")}
    assert selectors.participation_hours(ids, start=dt.date(2026, 8, 1)) == {pw.p1.pk: Decimal("1.25")}
    assert selectors.participation_hours(ids, user=pw.staff_jccc) == {pw.p1.pk: Decimal("4.75")}
    assert selectors.participation_hours(ids, user=pw.officer) == {}
    items = selectors.participation_items(pw.p1, pw.staff_jccc)
    assert [(i.date, i.hours, i.where) for i in items] == [
        (dt.date(2026, 8, 2), Decimal("1.25"), "Sewing shop (JCCC)"),
        (dt.date(2026, 7, 1), Decimal("3.50"), "Sewing shop (JCCC)"),
    ]
    assert selectors.participation_items(pw.at_acc, pw.staff_jccc) == []


def test_timeline_lines(pw):
    name(pw, {pw.p1: Decimal("3.5")})
    lines = [(i.kind, i.text) for i in timeline_for(pw.p1, pw.staff_jccc) if i.program == "donations"]
    assert lines == [("Craft production", "Craft production: 3.50 hours at Sewing shop (JCCC)")]
    assert [i for i in timeline_for(pw.p1, pw.staff_acc) if i.program == "donations"] == []


def test_report_by_facility_and_month(pw):
    name(pw, {pw.p1: Decimal("3.5"), pw.p2: Decimal("1")})
    services.production_workers_set(entry=pw.entry_acc, user=pw.staff_acc, workers={pw.at_acc: Decimal("2")})
    assert participation_report(pw.admin, {})["tables"][0]["rows"] == [
        ["ACC", "Jul 2026", 1, Decimal("2.00")],
        ["JCCC", "Jul 2026", 2, Decimal("4.50")],
        ["All facilities", "", "", Decimal("6.50")],
    ]
    assert participation_report(pw.staff_acc, {"by": "year"})["tables"][0]["rows"][0] == [
        "ACC",
        "2026",
        1,
        Decimal("2.00"),
    ]


def test_workers_page(pw, client_for):
    client = client_for(pw.staff_jccc)
    url = reverse("donations:production_workers", args=[pw.entry.pk])
    html = client.get(url).content.decode()
    assert pw.p1.doc_id in html and pw.at_acc.doc_id not in html
    bad = client.post(url, {f"w{pw.p1.pk}": "on", f"h{pw.p1.pk}": "0"})
    assert bad.status_code == 400 and "Enter hours above 0." in bad.content.decode()
    assert client.post(url, {f"w{pw.p1.pk}": "on", f"h{pw.p1.pk}": "2.5"}).status_code == 302
    assert "2.50" in client.get(pw.entry.get_absolute_url()).content.decode()
    for user in (pw.staff_acc, pw.officer, pw.auditor):
        assert client_for(user).get(url).status_code == 404


def test_api_shows_workers_read_only(pw, client_for):
    name(pw, {pw.p1: Decimal("3.5")})
    body = client_for(pw.staff_jccc).get(f"/api/v1/production/{pw.entry.pk}/").json()
    assert body["workers"] == [{"offender": pw.p1.pk, "hours": "3.50"}]
    assert client_for(pw.staff_acc).get(f"/api/v1/production/{pw.entry.pk}/").status_code == 404


@pytest.mark.parametrize("username", ["staff_jccc", "admin"])
def test_pages_and_selectors_run_constant_queries_with_1_and_30_workers(
    pw, client_for, username, django_assert_num_queries
):
    client = client_for(getattr(pw, username))
    few = ProductionLogFactory(facility=pw.jccc, item=pw.quilt, volunteer_hours=Decimal("60"), entered_by=pw.staff_jccc)
    many = ProductionLogFactory(
        facility=pw.jccc, item=pw.quilt, volunteer_hours=Decimal("60"), entered_by=pw.staff_jccc
    )
    name(pw, {pw.p1: Decimal("1")}, entry=few, user=pw.admin)
    name(pw, {inmate_at(pw.jccc): Decimal("1.5") for _ in range(30)}, entry=many, user=pw.admin)
    for page in ("donations:productionlog_detail", "donations:production_workers"):
        client.get(reverse(page, args=[few.pk]))
        one, _ = page_queries(client, reverse(page, args=[few.pk]))
        thirty, _ = page_queries(client, reverse(page, args=[many.pk]))
        assert one == thirty, page
    entries = [ProductionLogFactory(facility=pw.jccc, item=pw.quilt, entered_by=pw.staff_jccc) for _ in range(30)]
    for e in entries:
        name(pw, {pw.p2: Decimal("1")}, entry=e, user=pw.admin)
    user = getattr(pw, username)
    assert user.facility_ids is not None  # read once per request (a cached property)
    for person in (pw.p1, pw.p2):
        with django_assert_num_queries(1):
            selectors.participation_items(person, user)
        with django_assert_num_queries(1):
            selectors.participation_hours([person.pk], user=user)
    with django_assert_num_queries(1):
        selectors.participation_by_facility(user=user)
