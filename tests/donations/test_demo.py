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


def test_demo_names_who_worked_within_the_rules_once(db):
    from django.db.models import Count, Sum

    from donations.models import ProductionWorker
    from gardens.models import HarvestWorker

    demo_seed(offenders=60)
    codes = {"JCCC", "ACC"}
    gardens_demo.seed(codes=codes)
    donations_demo.seed(codes=codes)
    counts = (HarvestWorker.objects.count(), ProductionWorker.objects.count())
    assert all(counts)
    gardens_demo.seed(codes=codes)
    donations_demo.seed(codes=codes)
    assert counts == (HarvestWorker.objects.count(), ProductionWorker.objects.count())
    for harvest in Harvest.objects.annotate(n=Count("workers"), h=Sum("workers__hours")).filter(n__gt=0):
        assert harvest.n <= harvest.volunteers and harvest.h <= harvest.volunteer_hours
    for entry in ProductionLog.objects.annotate(h=Sum("workers__hours")).filter(h__isnull=False):
        assert entry.h <= entry.volunteer_hours
    for worker in [
        *HarvestWorker.objects.select_related("harvest", "offender"),
        *ProductionWorker.objects.select_related("production", "offender"),
    ]:
        entry = getattr(worker, "harvest", None) or worker.production
        assert worker.offender.facility_id == entry.facility_id
        assert 0 < worker.hours <= 16
