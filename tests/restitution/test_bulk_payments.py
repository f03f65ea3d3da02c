"""The payments import posts a whole file at once (``services.payments_post_bulk``). For any file it
must write what posting its payments one by one with ``payment_post`` writes: the same allocations,
statuses, closing dates and running figures, and refuse the same rows, by the same rules. Its dry run
finds the same refusals and writes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.imports import import_run
from restitution import services
from restitution.choices import ObligationKind, ObligationStatus, PaymentSource
from restitution.models import Allocation, Obligation, Payment
from tests.factories import CourtCaseFactory, OffenderFactory
from tests.factories.restitution import PayeeFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)
NOON = dt.datetime(2026, 6, 15, 12, tzinfo=dt.UTC)

amounts = st.one_of(
    st.integers(min_value=1, max_value=80_000).map(lambda c: Decimal(c) / 100),
    st.just(Decimal("100000.01")),  # above PAYMENT_MAX: refused
)
payment = st.tuples(
    st.integers(0, 2),  # whose: one of three people
    amounts,
    st.integers(-3, 500),  # days before TODAY (negative: in the future, refused)
    st.one_of(st.none(), st.integers(0, 3)),  # the obligation named, if any
)
ledger = st.lists(
    st.tuples(st.sampled_from(list(ObligationKind)), st.integers(100, 120_000).map(lambda c: Decimal(c) / 100)),
    min_size=0,
    max_size=3,
)


def build(world, ledgers):
    """Three people, each with the obligations drawn (some already partly paid)."""
    payees = [PayeeFactory(name="Victim A"), PayeeFactory(name="Victim B")]
    people = []
    for n, obligations in enumerate(ledgers):
        person = OffenderFactory(district=world.d9, supervising_officer=world.officer)
        owed = []
        for i, (kind, amount) in enumerate(obligations):
            owed.append(
                services.obligation_create(
                    case=CourtCaseFactory(offender=person),
                    kind=kind,
                    payee=None if kind == ObligationKind.CVCF else payees[i % 2],
                    ordered_amount=amount,
                    ordered_on=TODAY - dt.timedelta(days=600 - 30 * i),
                )
            )
        if owed and n == 1:  # one person has paid something already
            services.payment_post(
                offender=person,
                amount=Decimal("55.55"),
                received_on=TODAY - dt.timedelta(days=200),
                method="money_order",
                idempotency_key=f"before:{person.pk}",
            )
        people.append((person, owed))
    return people


def items_for(people, draws):
    items = []
    for n, (whose, amount, ago, named) in enumerate(draws):
        person, owed = people[whose]
        items.append(
            services.PaymentIn(
                offender_id=person.pk,
                amount=amount,
                received_on=TODAY - dt.timedelta(days=ago),
                method="electronic",
                receipt_number=f"R-{n:04d}",
                obligation_id=owed[named % len(owed)].pk if named is not None and owed else None,
            )
        )
    return items


def state(people):
    """What the ledger holds for these people, in terms that do not depend on row ids."""
    keys = {o.pk: f"{p.doc_id}/{i}" for p, owed in people for i, o in enumerate(owed)}
    allocations = sorted(
        (a.payment.receipt_number, keys.get(a.obligation_id, "credit"), a.amount, a.allocated_on)
        for a in Allocation.objects.filter(payment__receipt_number__startswith="R-").select_related("payment")
    )
    obligations = sorted(
        (keys[o.pk], o.status, o.closed_on, o.paid_total, o.last_allocated_on)
        for o in Obligation.objects.filter(pk__in=keys)
    )
    payments = sorted(
        Payment.objects.filter(receipt_number__startswith="R-").values_list(
            "receipt_number", "idempotency_key", "amount", "received_on", "obligation_id", "source"
        )
    )
    return allocations, obligations, payments


def one_by_one(people, items):
    """Post each item with payment_post; return the indexes it refused."""
    by_pk = {p.pk: p for p, _ in people}
    refused = set()
    for index, item in enumerate(items):
        try:
            services.payment_post(
                offender=by_pk[item.offender_id],
                amount=item.amount,
                received_on=item.received_on,
                method=item.method,
                receipt_number=item.receipt_number,
                idempotency_key=f"import:{item.receipt_number}",
                obligation=Obligation.objects.get(pk=item.obligation_id) if item.obligation_id else None,
                source=PaymentSource.IMPORTED,
                over_balance_confirmed=True,
            )
        except ValidationError:
            refused.add(index)
    return refused


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ledgers=st.tuples(ledger, ledger, ledger), draws=st.lists(payment, min_size=1, max_size=12))
def test_bulk_posting_writes_what_posting_one_by_one_writes(world, ledgers, draws):
    with time_machine.travel(NOON, tick=False), transaction.atomic():
        people = build(world, ledgers)
        items = items_for(people, draws)

        with transaction.atomic():
            refused = one_by_one(people, items)
            expected = state(people)
            transaction.set_rollback(True)

        # The dry run refuses the same rows and writes nothing.
        before = state(people)
        with transaction.atomic():
            dry_errors, dry_ids = services.payments_post_bulk(items, commit=False)
        assert set(dry_errors) == refused
        assert dry_ids == []
        assert state(people) == before

        # A file with a refused row writes nothing; without those rows it writes what one by one wrote.
        with transaction.atomic():
            errors, ids = services.payments_post_bulk(items, commit=True)
        assert set(errors) == refused
        if refused:
            assert ids == []
            assert state(people) == before
            kept = [item for index, item in enumerate(items) if index not in refused]
            with transaction.atomic():
                errors, ids = services.payments_post_bulk(kept, commit=True)
            assert errors == {}
        assert len(ids) == len(items) - len(refused)
        assert state(people) == expected
        transaction.set_rollback(True)


def cvcf_of_50(person):
    """A $50 CVCF judgment ordered 90 days ago."""
    return services.obligation_create(
        case=CourtCaseFactory(offender=person),
        kind=ObligationKind.CVCF,
        payee=None,
        ordered_amount=Decimal("50.00"),
        ordered_on=TODAY - dt.timedelta(days=90),
    )


def test_bulk_posting_names_the_rule_each_row_breaks(world):
    with time_machine.travel(NOON, tick=False):
        person = OffenderFactory(district=world.d9, supervising_officer=world.officer)
        owed = cvcf_of_50(person)

        def item(n, amount, ago=1, named=None):
            return services.PaymentIn(
                offender_id=person.pk,
                amount=Decimal(amount),
                received_on=TODAY - dt.timedelta(days=ago),
                method="electronic",
                receipt_number=f"R-{n}",
                obligation_id=named,
            )

        with transaction.atomic():
            errors, ids = services.payments_post_bulk(
                [
                    item(1, "50.00", named=owed.pk),  # pays it in full
                    item(2, "10.00", named=owed.pk),  # names it once it is paid: refused
                    item(3, "5.00", ago=-1),
                    item(4, "100000.01"),
                    item(5, "5.00", ago=20000),
                ],
                commit=True,
            )
        assert ids == []
        assert errors == {
            1: {"obligation": "This obligation is paid in full."},
            2: {"received_on": "A payment cannot be received in the future."},
            3: {
                "amount": "$100,000.01 in one payment is not plausible: the limit is $100,000.00. Check the amount, "
                "or enter it as the payments that were made."
            },
            4: {"received_on": errors[4]["received_on"]},
        }
        assert "when the program's records begin" in errors[4]["received_on"]
        assert not Payment.objects.filter(offender=person).exists()
        owed.refresh_from_db()
        assert (owed.status, owed.paid_total) == (ObligationStatus.OPEN, Decimal("0"))


def test_a_receipt_posted_after_the_check_is_refused_at_the_commit(world):
    """The check reports receipts already posted; one posted by someone else between the check and
    the commit is caught under the lock."""
    with time_machine.travel(NOON, tick=False):
        person = OffenderFactory(district=world.d9, supervising_officer=world.officer)
        item = services.PaymentIn(
            offender_id=person.pk, amount=Decimal("5.00"), received_on=TODAY, method="electronic", receipt_number="R-9"
        )
        services.payment_post(
            offender=person,
            amount=Decimal("5.00"),
            received_on=TODAY,
            method="electronic",
            receipt_number="R-9",
            idempotency_key="form:elsewhere",
        )
        with transaction.atomic():
            errors, ids = services.payments_post_bulk([item], commit=True)
        assert errors == {0: {"receipt_number": "Receipt R-9 was posted after this file was checked."}}
        assert ids == []
        assert Payment.objects.filter(receipt_number="R-9").count() == 1


def test_the_payments_import_posts_a_file_in_bulk_with_history_and_scope(world, client_for):
    """Through the importer: the rows' payments, their allocations, each payment's history row naming
    the importer, and an obligation paid in full with its own history row."""
    with time_machine.travel(NOON, tick=False):
        person = world.supervised
        owed = cvcf_of_50(person)
        rows = [f"B-{n},{person.doc_id},10.00,2026-06-0{n},electronic,,," for n in range(1, 7)]
        content = "receipt_number,doc_id,amount,received_on,method,court,case_number,kind\n" + "\n".join(rows) + "\n"
        dry = import_run(kind="payments", content=content, user=world.officer)
        assert dry.ok and dry.counts() == {"create": 6}
        assert not Payment.objects.filter(receipt_number__startswith="B-").exists()
        result = import_run(kind="payments", content=content, user=world.officer, commit=True)
        assert result.committed, [r.errors for r in result.rows if r.errors]
        payments = Payment.objects.filter(receipt_number__startswith="B-").order_by("receipt_number")
        assert [p.amount for p in payments] == [Decimal("10.00")] * 6
        assert {p.source for p in payments} == {PaymentSource.IMPORTED}
        assert {h.history_user for p in payments for h in p.history.all()} == {world.officer}
        owed.refresh_from_db()
        assert (owed.status, owed.closed_on, owed.paid_total) == (ObligationStatus.PAID, dt.date(2026, 6, 5), 50)
        assert owed.history.first().status == ObligationStatus.PAID
        assert owed.history.first().history_user == world.officer
        # The sixth payment is credit: everything was paid.
        assert [(a.obligation_id, a.amount) for a in payments.last().allocations.all()] == [(None, Decimal("10.00"))]
        # Another officer's import of the same person is refused by scope, row by row.
        again = import_run(kind="payments", content=content.replace("B-", "C-"), user=world.officer_d10, commit=True)
        assert not again.committed
        assert {m for r in again.rows for m in r.errors.get("doc_id", [])} == {
            "This DOC ID belongs to a person you cannot update."
        }
