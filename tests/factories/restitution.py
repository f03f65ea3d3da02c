"""Factories for restitution records. Money moves only through the services, as in the app."""

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from restitution import services
from restitution.choices import ObligationKind, PayeeKind, PaymentMethod
from restitution.models import Obligation, Payee
from tests.factories import CourtCaseFactory


class PayeeFactory(DjangoModelFactory):
    class Meta:
        model = Payee
        django_get_or_create = ("kind", "name", "reference")

    name = factory.Sequence(lambda n: f"Victim {n}")
    kind = PayeeKind.VICTIM
    reference = ""


class ObligationFactory(DjangoModelFactory):
    """An open obligation (no plan); use ``obligation(...)`` for one with a plan and credit applied."""

    class Meta:
        model = Obligation

    case = factory.SubFactory(CourtCaseFactory)
    offender = factory.LazyAttribute(lambda o: o.case.offender)
    kind = ObligationKind.RESTITUTION
    payee = factory.SubFactory(PayeeFactory)
    ordered_amount = Decimal("1000.00")
    ordered_on = dt.date(2025, 1, 15)


def obligation(case, *, kind=ObligationKind.RESTITUTION, amount="1000.00", ordered_on=dt.date(2025, 1, 15), **plan):
    """Create through the service (``monthly_amount=``, ``first_due_on=`` add a plan)."""
    payee = None if kind == ObligationKind.CVCF else PayeeFactory()
    return services.obligation_create(
        case=case, kind=kind, payee=payee, ordered_amount=Decimal(amount), ordered_on=ordered_on, **plan
    )


_keys = iter(range(10**9))


def pay(
    offender,
    amount,
    received_on,
    *,
    user=None,
    obligation=None,
    key=None,
    method=PaymentMethod.MONEY_ORDER,
    confirmed=True,
):
    """Post a payment; ``confirmed``: an amount far above the balance is meant (tests of credit)."""
    return services.payment_post(
        offender=offender,
        amount=Decimal(str(amount)),
        received_on=received_on,
        method=method,
        idempotency_key=key or f"test:{next(_keys)}",
        entered_by=user,
        obligation=obligation,
        over_balance_confirmed=confirmed,
    )
