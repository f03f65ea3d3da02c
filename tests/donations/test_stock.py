"""Stock is derived from the records, dated, and never negative: gifts and spoilage take no more than
is on hand on their day, and no correction or void elsewhere can leave a gift uncovered."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from donations import selectors, services
from donations.models import Donation
from gardens import services as garden_services
from tests.factories import OrganizationFactory
from tests.factories.donations import ItemFactory, ProductionLogFactory

D1, D2, D3 = dt.date(2026, 7, 1), dt.date(2026, 7, 2), dt.date(2026, 7, 3)


@pytest.fixture
def food_bank(db):
    return OrganizationFactory(name="Food Bank for Central & Northeast Missouri", county="Boone")


def harvest(gw, crop, pounds, day=D1, garden=None):
    return garden_services.harvest_record(
        user=gw.staff_jccc, garden=garden or gw.garden_jccc, crop=crop, date=day, weight_lb=Decimal(pounds)
    )


def give(gw, food_bank, day=D2, produce=(), items=(), facility=None):
    return services.donation_create(
        user=gw.staff_jccc,
        facility=facility or gw.jccc,
        recipient=food_bank,
        date=day,
        produce=[(c, Decimal(w)) for c, w in produce],
        items=list(items),
    )


def on_hand(gw, crop, facility=None):
    rows = selectors.produce_on_hand(user=None, facility=facility or gw.jccc, include_empty=True)
    return next((r.on_hand for r in rows if r.key == crop.pk), Decimal("0.0"))


def test_on_hand_is_harvested_minus_given_minus_spoiled(gw, food_bank):
    harvest(gw, gw.tomatoes, "100")
    harvest(gw, gw.tomatoes, "50.5", day=D2)
    give(gw, food_bank, produce=[(gw.tomatoes, "60")])
    services.spoilage_record(
        user=gw.staff_jccc, facility=gw.jccc, crop=gw.tomatoes, date=D3, weight_lb=Decimal("5.5"), reason="Rot"
    )
    row = next(r for r in selectors.produce_on_hand(user=gw.staff_jccc) if r.key == gw.tomatoes.pk)
    assert (row.came_in, row.given, row.spoiled, row.on_hand) == (
        Decimal("150.5"),
        Decimal("60.0"),
        Decimal("5.5"),
        Decimal("85.0"),
    )
    assert selectors.produce_on_hand(user=gw.staff_acc) == []


def test_a_gift_beyond_stock_is_refused_and_says_how_much_is_there(gw, food_bank):
    harvest(gw, gw.tomatoes, "40")
    with pytest.raises(services.ShortageError) as exc:
        give(gw, food_bank, produce=[(gw.tomatoes, "40.1")])
    assert exc.value.messages == ["Tomatoes: 40.1 lb asked for, but only 40.0 lb is on hand at JCCC on Jul 2, 2026."]
    assert exc.value.shortages == {("crop", gw.tomatoes.pk): Decimal("40.0")}
    assert not Donation.objects.exists()
    give(gw, food_bank, produce=[(gw.tomatoes, "40")])
    assert on_hand(gw, gw.tomatoes) == 0


def test_two_lines_of_the_same_crop_count_together(gw, food_bank):
    harvest(gw, gw.tomatoes, "40")
    with pytest.raises(services.ShortageError):
        give(gw, food_bank, produce=[(gw.tomatoes, "30"), (gw.tomatoes, "20")])


def test_stock_is_dated_a_gift_cannot_take_what_was_grown_later(gw, food_bank):
    harvest(gw, gw.tomatoes, "40", day=D3)
    with pytest.raises(services.ShortageError) as exc:
        give(gw, food_bank, day=D1, produce=[(gw.tomatoes, "10")])
    assert "only 0.0 lb was on hand" in exc.value.messages[0]


def test_an_earlier_gift_cannot_leave_a_later_one_uncovered(gw, food_bank):
    harvest(gw, gw.tomatoes, "100", day=D1)
    give(gw, food_bank, day=D3, produce=[(gw.tomatoes, "80")])
    assert selectors.produce_available(facility_id=gw.jccc.pk, crop_id=gw.tomatoes.pk, on=D2) == Decimal("20.0")
    with pytest.raises(services.ShortageError):
        give(gw, food_bank, day=D2, produce=[(gw.tomatoes, "30")])
    give(gw, food_bank, day=D2, produce=[(gw.tomatoes, "20")])


def test_stock_is_per_facility(gw, food_bank):
    harvest(gw, gw.tomatoes, "100", garden=gw.garden_acc)
    with pytest.raises(services.ShortageError):
        give(gw, food_bank, produce=[(gw.tomatoes, "1")])


def test_voiding_a_gift_puts_it_back(gw, food_bank):
    harvest(gw, gw.tomatoes, "100")
    donation = give(gw, food_bank, produce=[(gw.tomatoes, "100")])
    assert on_hand(gw, gw.tomatoes) == 0
    services.donation_void(donation=donation, user=gw.staff_jccc, reason="Truck never came")
    assert on_hand(gw, gw.tomatoes) == Decimal("100.0")
    assert Donation.objects.filter(pk=donation.pk).exists()


def test_a_harvest_that_was_given_cannot_be_voided_or_lowered(gw, food_bank):
    h = harvest(gw, gw.tomatoes, "100")
    give(gw, food_bank, produce=[(gw.tomatoes, "70")])
    with pytest.raises(ValidationError) as exc:
        garden_services.harvest_void(harvest=h, user=gw.admin, reason="Entered twice")
    assert "This would leave -70.0 lb of Tomatoes on hand on Jul 2, 2026" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        garden_services.harvest_correct(harvest=h, user=gw.admin, weight_lb=Decimal("69.9"))
    with pytest.raises(ValidationError):
        garden_services.harvest_correct(harvest=h, user=gw.admin, crop=gw.squash)
    with pytest.raises(ValidationError):
        garden_services.harvest_correct(harvest=h, user=gw.admin, date=D3)
    garden_services.harvest_correct(harvest=h, user=gw.admin, weight_lb=Decimal("70"))
    h.refresh_from_db()
    assert h.weight_lb == Decimal("70.0") and not h.is_voided
    assert on_hand(gw, gw.tomatoes) == 0


def test_spoilage_takes_no_more_than_is_on_hand(gw):
    harvest(gw, gw.greens, "10")
    with pytest.raises(services.ShortageError):
        services.spoilage_record(
            user=gw.staff_jccc, facility=gw.jccc, crop=gw.greens, date=D2, weight_lb=Decimal("11"), reason="Frost"
        )
    entry = services.spoilage_record(
        user=gw.staff_jccc, facility=gw.jccc, crop=gw.greens, date=D2, weight_lb=Decimal("10"), reason="Frost"
    )
    assert on_hand(gw, gw.greens) == 0
    services.spoilage_void(entry=entry, user=gw.staff_jccc, reason="It was fine")
    assert on_hand(gw, gw.greens) == Decimal("10.0")


def test_items_on_hand_are_made_minus_given(gw, food_bank):
    quilt = ItemFactory(name="Quilt", estimated_value=Decimal("60.00"))
    entry = ProductionLogFactory(facility=gw.jccc, item=quilt, quantity=5, date=D1, entered_by=gw.staff_jccc)
    with pytest.raises(services.ShortageError) as exc:
        give(gw, food_bank, items=[(quilt, 6)])
    assert exc.value.messages == ["Quilt: 6 asked for, but only 5 on hand at JCCC on Jul 2, 2026."]
    donation = give(gw, food_bank, items=[(quilt, 4)])
    (row,) = selectors.items_on_hand(user=gw.staff_jccc)
    assert (row.came_in, row.given, row.on_hand) == (5, 4, 1)
    with pytest.raises(ValidationError):
        services.production_void(entry=entry, user=gw.admin, reason="never made")
    with pytest.raises(ValidationError):
        services.production_correct(entry=entry, user=gw.admin, quantity=3)
    services.donation_void(donation=donation, user=gw.admin, reason="wrong facility")
    services.production_void(entry=entry, user=gw.admin, reason="never made")
    assert selectors.items_on_hand(user=gw.admin) == []


def test_line_values_are_fixed_from_the_catalog(gw, food_bank):
    harvest(gw, gw.tomatoes, "10")
    quilt = ItemFactory(name="Quilt", estimated_value=Decimal("60.00"))
    ProductionLogFactory(facility=gw.jccc, item=quilt, quantity=2, date=D1, entered_by=gw.staff_jccc)
    donation = give(gw, food_bank, produce=[(gw.tomatoes, "10")], items=[(quilt, 2)])
    gw.tomatoes.value_per_lb = Decimal("9.99")
    gw.tomatoes.save()
    totals = Donation.objects.with_totals().get(pk=donation.pk)
    assert (totals.total_lb, totals.total_items, totals.total_value) == (Decimal("10.0"), 2, Decimal("138.00"))


def test_available_to_give_lists_what_is_there(gw, food_bank):
    harvest(gw, gw.tomatoes, "10")
    harvest(gw, gw.greens, "5", day=D3)
    produce, items = selectors.available_to_give(facility=gw.jccc, on=D2)
    assert [(a.label, a.amount) for a in produce] == [("Tomatoes", Decimal("10.0"))]
    assert items == []


def test_a_donation_needs_a_line_and_an_active_recipient(gw, food_bank):
    with pytest.raises(ValidationError):
        give(gw, food_bank)
    food_bank.active = False
    food_bank.save()
    harvest(gw, gw.tomatoes, "10")
    with pytest.raises(ValidationError):
        give(gw, food_bank, produce=[(gw.tomatoes, "1")])


def test_on_hand_totals_agree_with_the_stock_rows(gw, food_bank):
    harvest(gw, gw.tomatoes, "100")
    harvest(gw, gw.greens, "30.5")
    harvest(gw, gw.squash, "7", garden=gw.garden_acc)
    give(gw, food_bank, produce=[(gw.tomatoes, "60")])
    quilt = ItemFactory(name="Quilt")
    ProductionLogFactory(facility=gw.jccc, item=quilt, quantity=5, date=D1, entered_by=gw.staff_jccc)
    for user in (gw.staff_jccc, gw.staff_acc, gw.admin):
        totals = selectors.on_hand_totals(user=user)
        assert totals.pounds == sum((r.on_hand for r in selectors.produce_on_hand(user=user)), Decimal(0))
        assert totals.items == sum((r.on_hand for r in selectors.items_on_hand(user=user)), Decimal(0))
    assert selectors.on_hand_totals(user=gw.staff_jccc).pounds == Decimal("70.5")
