"""Every restitution list page runs the same number of queries at 1 row and at 20 rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from restitution import services
from tests.factories import CourtCaseFactory, OffenderFactory
from tests.factories.restitution import obligation, pay
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

PAGES = [
    ("restitution:caseload", "officer", {}),
    ("restitution:caseload", "supervisor", {"_export": "csv"}),
    ("restitution:obligation_list", "officer", {}),
    ("restitution:payment_list", "officer", {}),
    ("restitution:payee_list", "victims", {}),
    ("restitution:disbursement_list", "victims", {}),
    ("restitution:offender", "officer", {}),
]


def add_people(world, count):
    """More people on officer.d9's caseload, each with an obligation, a plan, a payment and a payout."""
    for _ in range(count):
        person = OffenderFactory(district=world.d9, supervising_officer=world.officer)
        o = obligation(
            CourtCaseFactory(offender=person),
            amount="500.00",
            ordered_on=dt.date(2026, 1, 1),
            monthly_amount=Decimal("50"),
            first_due_on=dt.date(2026, 2, 1),
        )
        pay(person, "50.00", dt.date(2026, 3, 1))
        pay(world.supervised, "1.00", dt.date(2026, 3, 1))  # the person's own ledger page grows too
        services.disbursement_create(payee=o.payee, disbursed_on=dt.date(2026, 3, 2), reference=f"CHK-{o.pk}")


def count_queries(client, name, params, world):
    args = [world.supervised.pk] if name == "restitution:offender" else []
    return page_queries(client, reverse(name, args=args), params)[0]


@pytest.mark.parametrize(("name", "who", "params"), PAGES)
def test_list_queries_do_not_grow_with_rows(world, frozen, client_for, name, who, params):
    obligation(world.case, amount="100.00", ordered_on=dt.date(2026, 1, 1))
    add_people(world, 1)
    client = client_for(getattr(world, who))
    count_queries(client, name, params, world)  # warm caches (content types, sessions)
    one = count_queries(client, name, params, world)
    add_people(world, 19)
    twenty = count_queries(client, name, params, world)
    assert one == twenty, f"{name}: {one} queries at 1 row, {twenty} at 20"
