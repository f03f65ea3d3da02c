"""Several clerks posting for the same person at the same moment (real PostgreSQL row locks).

Always runs: locally on the embedded server, in CI on the system PostgreSQL.
"""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection
from django.db.models import Sum

from restitution import services
from restitution.choices import ObligationKind, ObligationStatus
from restitution.models import Allocation, Obligation, Payment
from tests.factories import CourtCaseFactory
from tests.factories.restitution import obligation

pytestmark = [pytest.mark.django_db(transaction=True)]
THREADS = 8


def run_at_once(target, count):
    """Start ``count`` threads that wait at one barrier, then all call ``target(i)``."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def work(i):
        try:
            barrier.wait(timeout=10)
            results[i] = target(i)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results


def test_concurrent_payments_for_one_person_end_with_exact_totals(world):
    person = world.supervised
    first = obligation(world.case, amount="500.00", ordered_on=dt.date(2025, 1, 1))
    second = obligation(
        CourtCaseFactory(offender=person), kind=ObligationKind.CVCF, amount="120.00", ordered_on=dt.date(2025, 1, 1)
    )
    amounts = [Decimal("37.13") * (i + 1) for i in range(THREADS)]  # $1,336.68 in all: $716.68 more than owed

    def post(i):
        return services.payment_post(
            offender=person,
            amount=amounts[i],
            received_on=dt.date(2025, 6, 1),
            method="electronic",
            idempotency_key=f"concurrent:{i}",
            over_balance_confirmed=True,
        )

    payments = run_at_once(post, THREADS)
    assert len({p.pk for p in payments}) == THREADS
    assert len({p.receipt_number for p in payments}) == THREADS
    lines = Allocation.objects.filter(payment__offender=person)
    assert lines.aggregate(s=Sum("amount"))["s"] == sum(amounts)
    assert lines.filter(obligation=first).aggregate(s=Sum("amount"))["s"] == Decimal("500.00")
    assert lines.filter(obligation=second).aggregate(s=Sum("amount"))["s"] == Decimal("120.00")
    assert lines.filter(obligation__isnull=True).aggregate(s=Sum("amount"))["s"] == sum(amounts) - Decimal("620.00")
    assert set(Obligation.objects.filter(offender=person).values_list("status", flat=True)) == {ObligationStatus.PAID}


def test_the_same_idempotency_key_posted_at_once_posts_once(world):
    obligation(world.case, amount="500.00", ordered_on=dt.date(2025, 1, 1))

    def post(i):
        return services.payment_post(
            offender=world.supervised,
            amount=Decimal("25.00"),
            received_on=dt.date(2025, 6, 1),
            method="money_order",
            idempotency_key="double-click",
            over_balance_confirmed=True,
        )

    payments = run_at_once(post, THREADS)
    assert {p.pk for p in payments} == {Payment.objects.get().pk}
    assert sum(not p.replayed for p in payments) == 1
    assert Allocation.objects.aggregate(s=Sum("amount"))["s"] == Decimal("25.00")
