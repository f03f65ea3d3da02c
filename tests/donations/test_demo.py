"""The demo data: idempotent, within stock, and a realistic season."""

from decimal import Decimal

from core.services import demo_seed
from donations import demo as donations_demo
from donations import selectors
from donations.models import Donation, Fundraiser, ProductionLog
from gardens import demo as gardens_demo
from gardens import selectors as garden_selectors
from gardens.models import Harvest, Season


def test_demo_seed_is_idempotent_and_keeps_the_stock_rule(db):
    demo_seed(offenders=0)
    codes = {"JCCC", "ACC"}
    gardens_demo.seed(codes=codes)
    donations_demo.seed(codes=codes)
    counts = (
        Harvest.objects.count(),
        Donation.objects.count(),
        ProductionLog.objects.count(),
        Fundraiser.objects.count(),
    )
    assert all(counts)
    gardens_demo.seed(codes=codes)
    donations_demo.seed(codes=codes)
    assert counts == (
        Harvest.objects.count(),
        Donation.objects.count(),
        ProductionLog.objects.count(),
        Fundraiser.objects.count(),
    )
    assert {s.year for s in Season.objects.all()} == {2025, 2026}
    season = Season.objects.get(year=2025)
    totals = garden_selectors.season_totals(user=None, season=season)
    # JCCC and ACC are 26 of the demo's ~97 tons a season.
    assert Decimal("20") < totals.tons < Decimal("32")
    given = selectors.donation_totals(user=None, start=season.start_date, end=season.end_date)
    assert given.pounds > totals.pounds * Decimal("0.85")
    assert {
        d.recipient.name for d in Donation.objects.filter(lines__crop__isnull=False).select_related("recipient")
    } <= {
        "Food Bank for Central & Northeast Missouri",
        "Samaritan Center Food Pantry",
    }
    assert all(r.on_hand > 0 for r in selectors.produce_on_hand(user=None))
