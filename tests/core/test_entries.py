"""core.entries and its companions, tested on a real voidable entry (a harvest): the correction
window's boundary, void and restrict, the status filter, the void page and the API's void action."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from core.entries import CORRECTION_WINDOW, VoidableEntry, entry_scope_q
from core.filters import EntryFilterSet
from core.querysets import ADD, CHANGE, VIEW, can
from core.services import entry_void
from donations.models import DonationLine, ProductionLog, Spoilage
from gardens.models import Harvest
from tests.factories.donations import DonationFactory, ProduceLineFactory, ProductionLogFactory, SpoilageFactory
from tests.factories.gardens import HarvestFactory, make_garden_world

ENTERED = dt.datetime(2026, 7, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def gw(world):
    return make_garden_world(world)


@pytest.fixture
def harvest(gw):
    return HarvestFactory(garden=gw.garden_jccc, crop=gw.tomatoes, entered_by=gw.staff_jccc, entered_at=ENTERED)


def pks(user, action, qs=None):
    qs = Harvest.objects.all() if qs is None else qs
    return set(qs.restrict(user, action).values_list("pk", flat=True))


def test_a_harvest_is_a_voidable_entry():
    assert issubclass(Harvest, VoidableEntry)
    assert Harvest.facility_path == "facility" and Harvest.correction_window is True
    assert dt.timedelta(days=7) == CORRECTION_WINDOW
    names = {c.name for c in Harvest._meta.constraints}
    assert "gardens_harvest_void_has_reason" in names


def test_correction_window_boundary(gw, harvest, time_machine):
    time_machine.move_to(ENTERED + CORRECTION_WINDOW, tick=False)
    assert pks(gw.staff_jccc, CHANGE) == {harvest.pk}  # to the microsecond: still inside
    time_machine.move_to(ENTERED + CORRECTION_WINDOW + dt.timedelta(microseconds=1), tick=False)
    assert pks(gw.staff_jccc, CHANGE) == set()
    # Only facility staff are held to the window; seeing is never limited by it.
    assert pks(gw.admin, CHANGE) == {harvest.pk}
    assert pks(gw.staff_jccc, VIEW) == {harvest.pk}
    assert pks(gw.auditor, VIEW) == {harvest.pk}
    assert can(gw.staff_jccc, Harvest, ADD)


def test_without_a_window_staff_change_their_entries_at_any_age(gw, harvest, time_machine):
    time_machine.move_to(ENTERED + dt.timedelta(days=365), tick=False)
    late = Harvest.objects.filter(entry_scope_q(gw.staff_jccc, CHANGE, window=False))
    assert set(late.values_list("pk", flat=True)) == {harvest.pk}
    assert pks(gw.staff_jccc, CHANGE) == set()


def test_the_facility_rule_holds_for_every_action(gw, harvest):
    assert pks(gw.staff_acc, VIEW) == set()
    assert pks(gw.staff_acc, CHANGE) == set()
    assert pks(gw.officer, VIEW) == set()
    assert pks(gw.auditor, CHANGE) == set()
    assert not can(gw.auditor, Harvest, ADD)


def test_a_facility_path_names_a_facility():
    with pytest.raises(ImproperlyConfigured):
        entry_scope_q(None, VIEW, facility_path="garden")


def test_void_is_final_for_everyone_and_counts_nowhere(gw, harvest):
    entry_void(entry=harvest, user=gw.staff_jccc, reason="Entered twice")
    harvest.refresh_from_db()
    assert harvest.is_voided and harvest.voided_by == gw.staff_jccc and harvest.void_reason == "Entered twice"
    assert pks(gw.staff_jccc, VIEW) == {harvest.pk}
    assert pks(gw.staff_jccc, CHANGE) == set()
    assert pks(gw.admin, CHANGE) == set()
    assert list(Harvest.objects.active()) == []
    assert list(Harvest.objects.voided()) == [harvest]


def test_between_is_inclusive(gw, harvest):
    day = harvest.date
    assert list(Harvest.objects.between(day, day)) == [harvest]
    assert list(Harvest.objects.between(None, day - dt.timedelta(days=1))) == []
    assert list(Harvest.objects.between(None, None)) == [harvest]


class HarvestEntries(EntryFilterSet):
    class Meta:
        model = Harvest
        fields = ["status"]


@pytest.mark.parametrize(
    ("status", "standing", "voided"), [("", 1, 0), ("active", 1, 0), ("voided", 0, 1), ("all", 1, 1)]
)
def test_status_filter_shows_standing_entries_unless_asked(gw, status, standing, voided):
    kept = HarvestFactory(garden=gw.garden_jccc, crop=gw.tomatoes, entered_by=gw.staff_jccc)
    gone = HarvestFactory(garden=gw.garden_jccc, crop=gw.squash, entered_by=gw.staff_jccc)
    entry_void(entry=gone, user=gw.staff_jccc, reason="Wrong crop")
    request = RequestFactory().get("/", {"status": status} if status else {})
    request.user = gw.staff_jccc
    rows = set(HarvestEntries(request.GET, queryset=Harvest.objects.all(), request=request).qs)
    assert (kept in rows, gone in rows) == (bool(standing), bool(voided))


def test_void_page_uses_the_core_template_with_the_apps_wording(gw, harvest, client_for, time_machine):
    time_machine.move_to(ENTERED + dt.timedelta(days=1), tick=False)
    client = client_for(gw.staff_jccc)
    url = reverse("gardens:harvest_void", args=[harvest.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "core/object_void.html" in [t.name for t in page.templates]
    html = page.content.decode()
    assert f"Void harvest: {harvest}" in html and "Void this entry" in html
    assert "weighed at the wrong garden" in html  # gardens' own help text
    blank = client.post(url, {"reason": "   "})
    assert blank.status_code == 400 and blank.context["form"].errors["reason"]
    harvest.refresh_from_db()
    assert not harvest.is_voided
    done = client.post(url, {"reason": "Entered twice"})
    assert done.status_code == 302
    assert client.get(url).status_code == 404  # a void entry is out of reach


def test_api_void_action(gw, harvest, client_for, time_machine):
    time_machine.move_to(ENTERED + dt.timedelta(days=1), tick=False)
    url = f"/api/v1/harvests/{harvest.pk}/void/"

    def post(user, body):
        return client_for(user).post(url, body, content_type="application/json")

    assert post(gw.staff_acc, {"reason": "Not mine"}).status_code == 404  # outsider: out of scope
    assert post(gw.auditor, {"reason": "Audit"}).status_code == 403  # read only: refused
    assert post(gw.staff_jccc, {"reason": ""}).status_code == 400
    harvest.refresh_from_db()
    assert not harvest.is_voided
    response = post(gw.staff_jccc, {"reason": "Entered twice"})
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == harvest.pk and body["void_reason"] == "Entered twice" and body["voided_at"]
    assert body["weight_lb"] == str(harvest.weight_lb)
    assert post(gw.admin, {"reason": "Again"}).status_code == 404  # void is final


def test_api_void_past_the_window_is_for_administrators(gw, harvest, client_for, time_machine):
    time_machine.move_to(ENTERED + CORRECTION_WINDOW + dt.timedelta(seconds=1), tick=False)
    url = f"/api/v1/harvests/{harvest.pk}/void/"
    staff = client_for(gw.staff_jccc).post(url, {"reason": "Late"}, content_type="application/json")
    assert staff.status_code == 404
    admin = client_for(gw.admin).post(url, {"reason": "Late"}, content_type="application/json")
    assert admin.status_code == 200


def test_each_model_says_whether_the_window_holds(gw, time_machine):
    made = ProductionLogFactory(facility=gw.jccc, entered_by=gw.staff_jccc, entered_at=ENTERED)
    spoiled = SpoilageFactory(facility=gw.jccc, crop=gw.tomatoes, entered_by=gw.staff_jccc, entered_at=ENTERED)
    donation = DonationFactory(facility=gw.jccc, entered_by=gw.staff_jccc, entered_at=ENTERED)
    line = ProduceLineFactory(donation=donation, crop=gw.tomatoes)
    time_machine.move_to(ENTERED + dt.timedelta(days=30), tick=False)
    staff = gw.staff_jccc
    assert not ProductionLog.objects.restrict(staff, CHANGE).filter(pk=made.pk).exists()
    assert Spoilage.objects.restrict(staff, CHANGE).filter(pk=spoiled.pk).exists()
    assert DonationLine.objects.restrict(staff, CHANGE).filter(pk=line.pk).exists()
    entry_void(entry=donation, user=staff, reason="Refused", noun="donation")
    # A donation's lines follow their donation's rule: a void donation's lines are final too.
    assert not DonationLine.objects.restrict(staff, CHANGE).filter(pk=line.pk).exists()
    assert DonationLine.objects.restrict(staff, VIEW).filter(pk=line.pk).exists()
    assert not DonationLine.objects.restrict(gw.staff_acc, VIEW).filter(pk=line.pk).exists()


def test_donations_void_page_keeps_its_wording(gw, client_for):
    spoiled = SpoilageFactory(facility=gw.jccc, crop=gw.tomatoes, entered_by=gw.staff_jccc)
    page = client_for(gw.staff_jccc).get(reverse("donations:spoilage_void", args=[spoiled.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "Void it" in html and "Why is this void?" in html
    assert "A void record stays on file" in html
