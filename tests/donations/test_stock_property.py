"""Property-based: under any sequence of harvests, corrections, gifts, spoilage, production and voids,
no facility's stock of any crop or item is ever below zero on any day.

A state machine drives the real services. Beside it, a plain-Python model of every record predicts
whether each write must be accepted (it fits what is on hand on every day from its date on) or
refused; after every step the dated balances read straight from the database are checked.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, rule, run_state_machine_as_test

from donations import selectors, services
from donations.models import DonationLine, ProductionLog, Spoilage
from gardens import services as garden_services
from gardens.models import Harvest
from tests.factories import OrganizationFactory
from tests.factories.donations import ItemFactory

START = dt.date(2026, 6, 1)
days = st.integers(min_value=0, max_value=9).map(lambda n: START + dt.timedelta(days=n))
pounds = st.decimals(min_value=Decimal("0.1"), max_value=Decimal("300"), places=1)
counts = st.integers(min_value=1, max_value=20)
# PostgreSQL refuses NUL characters in text; blank reasons must be refused by the services.
reasons = st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=40)


def balances_ok(flows: dict) -> bool:
    """Every running balance by day, for every key, is at least zero."""
    for per_day in flows.values():
        running = Decimal(0)
        for day in sorted(per_day):
            running += per_day[day]
            if running < 0:
                return False
    return True


def database_flows():
    """Dated flows per (facility, crop) and (facility, item), read straight from the tables."""
    flows = defaultdict(lambda: defaultdict(Decimal))
    for r in Harvest.objects.active().values("facility_id", "crop_id", "date").annotate(w=Sum("weight_lb")):
        flows[("crop", r["facility_id"], r["crop_id"])][r["date"]] += r["w"]
    for r in Spoilage.objects.active().values("facility_id", "crop_id", "date").annotate(w=Sum("weight_lb")):
        flows[("crop", r["facility_id"], r["crop_id"])][r["date"]] -= r["w"]
    lines = DonationLine.objects.filter(donation__voided_at__isnull=True)
    for r in (
        lines.filter(crop__isnull=False)
        .values("donation__facility_id", "crop_id", "donation__date")
        .annotate(w=Sum("weight_lb"))
    ):
        flows[("crop", r["donation__facility_id"], r["crop_id"])][r["donation__date"]] -= r["w"]
    for r in ProductionLog.objects.active().values("facility_id", "item_id", "date").annotate(n=Sum("quantity")):
        flows[("item", r["facility_id"], r["item_id"])][r["date"]] += r["n"]
    for r in (
        lines.filter(item__isnull=False)
        .values("donation__facility_id", "item_id", "donation__date")
        .annotate(n=Sum("quantity"))
    ):
        flows[("item", r["donation__facility_id"], r["item_id"])][r["donation__date"]] -= r["n"]
    return flows


@pytest.mark.django_db
def test_stock_never_negative(gw):
    food_bank = OrganizationFactory(name="Food Bank", county="Boone")
    quilt = ItemFactory(name="Quilt")
    gardens = [gw.garden_jccc, gw.garden_acc]
    crops = [gw.tomatoes, gw.squash]
    user = gw.admin

    class Stock(RuleBasedStateMachine):
        harvests = Bundle("harvests")
        donations = Bundle("donations")
        spoiled = Bundle("spoiled")
        made = Bundle("made")

        def __init__(self):
            super().__init__()
            # Each example runs in a savepoint that is rolled back when it ends.
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            # The model: id -> (kind key, day, signed amount) for every standing record.
            self.records: dict[tuple, tuple] = {}

        def teardown(self):
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

        def model_flows(self, extra=(), without=()):
            flows = defaultdict(lambda: defaultdict(Decimal))
            for rid, (key, day, amount) in self.records.items():
                if rid not in without:
                    flows[key][day] += amount
            for key, day, amount in extra:
                flows[key][day] += amount
            return flows

        def attempt(self, write, *, extra=(), without=()):
            """Run a write; it must succeed exactly when the model says every balance stays >= 0."""
            expected = balances_ok(self.model_flows(extra, without))
            try:
                with transaction.atomic():
                    result = write()
            except ValidationError:
                assert not expected, "a write that fits the stock was refused"
                return None
            assert expected, "a write beyond the stock was accepted"
            return result

        @rule(target=harvests, garden=st.sampled_from(gardens), crop=st.sampled_from(crops), day=days, weight=pounds)
        def harvest(self, garden, crop, day, weight):
            h = garden_services.harvest_record(user=user, garden=garden, crop=crop, date=day, weight_lb=weight)
            self.records[("h", h.pk)] = (("crop", garden.facility_id, crop.pk), day, weight)
            return h.pk

        @rule(pk=harvests, weight=pounds, day=days)
        def correct_harvest(self, pk, weight, day):
            key = self.records.get(("h", pk))
            if key is None:
                return
            h = Harvest.objects.get(pk=pk)
            done = self.attempt(
                lambda: garden_services.harvest_correct(harvest=h, user=user, weight_lb=weight, date=day),
                extra=[(key[0], day, weight)],
                without={("h", pk)},
            )
            if done is not None:
                self.records[("h", pk)] = (key[0], day, weight)

        @rule(pk=consumes(harvests), reason=reasons)
        def void_harvest(self, pk, reason):
            if ("h", pk) not in self.records:
                return
            h = Harvest.objects.get(pk=pk)
            if not reason.strip():
                with pytest.raises(ValidationError):
                    garden_services.harvest_void(harvest=h, user=user, reason=reason)
                return
            if self.attempt(
                lambda: garden_services.harvest_void(harvest=h, user=user, reason=reason), without={("h", pk)}
            ):
                del self.records[("h", pk)]

        @rule(
            target=donations,
            garden=st.sampled_from(gardens),
            lines=st.lists(st.tuples(st.sampled_from(crops), pounds), min_size=0, max_size=3),
            quilts=st.integers(min_value=0, max_value=20),
            day=days,
        )
        def give(self, garden, lines, quilts, day):
            facility = garden.facility
            if not lines and not quilts:
                return None
            extra = [(("crop", facility.pk, c.pk), day, -w) for c, w in lines]
            if quilts:
                extra.append((("item", facility.pk, quilt.pk), day, Decimal(-quilts)))
            donation = self.attempt(
                lambda: services.donation_create(
                    user=user,
                    facility=facility,
                    recipient=food_bank,
                    date=day,
                    produce=lines,
                    items=[(quilt, quilts)] if quilts else [],
                ),
                extra=extra,
            )
            if donation is None:
                return None
            for i, (key, d, amount) in enumerate(extra):
                self.records[("d", donation.pk, i)] = (key, d, amount)
            return donation.pk

        @rule(pk=consumes(donations), reason=reasons)
        def void_donation(self, pk, reason):
            if pk is None:
                return
            from donations.models import Donation

            donation = Donation.objects.get(pk=pk)
            if not reason.strip():
                with pytest.raises(ValidationError):
                    services.donation_void(donation=donation, user=user, reason=reason)
                return
            services.donation_void(donation=donation, user=user, reason=reason)
            for rid in [r for r in self.records if r[:2] == ("d", pk)]:
                del self.records[rid]

        @rule(target=spoiled, garden=st.sampled_from(gardens), crop=st.sampled_from(crops), day=days, weight=pounds)
        def spoil(self, garden, crop, day, weight):
            key = ("crop", garden.facility_id, crop.pk)
            entry = self.attempt(
                lambda: services.spoilage_record(
                    user=user, facility=garden.facility, crop=crop, date=day, weight_lb=weight, reason="Rot"
                ),
                extra=[(key, day, -weight)],
            )
            if entry is None:
                return None
            self.records[("s", entry.pk)] = (key, day, -weight)
            return entry.pk

        @rule(pk=consumes(spoiled))
        def void_spoilage(self, pk):
            if pk is None:
                return
            services.spoilage_void(entry=Spoilage.objects.get(pk=pk), user=user, reason="It was fine")
            del self.records[("s", pk)]

        @rule(target=made, garden=st.sampled_from(gardens), quantity=counts, day=days)
        def make_quilts(self, garden, quantity, day):
            entry = services.production_record(
                user=user, facility=garden.facility, shop="Sewing shop", item=quilt, quantity=quantity, date=day
            )
            self.records[("p", entry.pk)] = (("item", garden.facility_id, quilt.pk), day, Decimal(quantity))
            return entry.pk

        @rule(pk=consumes(made))
        def void_production(self, pk):
            entry = ProductionLog.objects.get(pk=pk)
            if self.attempt(
                lambda: services.production_void(entry=entry, user=user, reason="Never made"), without={("p", pk)}
            ):
                del self.records[("p", pk)]

        @invariant()
        def never_negative(self):
            flows = database_flows()
            assert balances_ok(flows)
            # The database agrees with the model, and the stock page's selector with both.
            model = self.model_flows()
            for key in set(flows) | set(model):
                assert sum(flows[key].values(), Decimal(0)) == sum(model[key].values(), Decimal(0)), key
            for row in selectors.produce_on_hand(user=None, on=START + dt.timedelta(days=30)):
                assert row.on_hand > 0
                key = ("crop", row.facility.pk, row.key)
                assert row.on_hand == sum(model[key].values(), Decimal(0))
            for row in selectors.items_on_hand(user=None, on=START + dt.timedelta(days=30)):
                assert row.on_hand > 0

    run_state_machine_as_test(
        Stock,
        settings=settings(
            max_examples=40,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            database=None,
        ),
    )
