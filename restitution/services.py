"""Writes with rules: obligations, plans, waivers, posting and reversing payments, disbursements, the nightly job.

Every write that touches an offender's money first locks that offender and their obligations
(``select_for_update``), so two postings for one person run one after the other and the
allocations always see the balances the other left. The ledger is append-only.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.bulk import copy_created_history, copy_rows, reserve_ids
from core.choices import Role
from core.dates import entry_date_problem, format_days
from core.models import Alert, CourtCase, Offender, User
from core.money import ZERO, format_money, quantize
from core.partitions import night_write
from core.services import NewAlert, administrators_alert, alerts_create, ids_listed, set_history

from .choices import (
    CVCF_PAYEE_NAME,
    ObligationKind,
    ObligationStatus,
    PayeeKind,
    PaymentSource,
)
from .compliance import (
    LEDGER_MISMATCH_SQL,
    installments,
    snapshot_select_query,
)
from .models import (
    Allocation,
    ComplianceSnapshot,
    Disbursement,
    DisbursementLine,
    Obligation,
    Payee,
    Payment,
    PaymentPlan,
    PaymentReversal,
    obligation_priority,
)

log = logging.getLogger(__name__)


def _by(obj, user):
    """Name the user in the record's history (the middleware does it for web requests)."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    return obj


def _today() -> dt.date:
    return timezone.localdate()


def _lock(offender_id: int) -> list[Obligation]:
    """Lock the offender and every obligation of theirs until the transaction ends."""
    Offender.objects.select_for_update().filter(pk=offender_id).values_list("pk", flat=True).first()
    return list(Obligation.objects.select_for_update().filter(offender_id=offender_id).order_by("pk"))


def _paid_totals(obligation_ids) -> dict[int, tuple[Decimal, dt.date | None]]:
    rows = (
        Allocation.objects.filter(obligation_id__in=list(obligation_ids))
        .values("obligation_id")
        .annotate(total=Sum("amount"), last=Max("allocated_on"))
    )
    return {r["obligation_id"]: (quantize(r["total"]), r["last"]) for r in rows}


def ledger_totals_refresh(obligations: list[Obligation]) -> dict[int, tuple[Decimal, dt.date | None]]:
    """Set each obligation's ``paid_total`` and ``last_allocated_on`` from its allocations (the
    caller holds the offender's lock) and return them. Written with ``update()``: the allocations
    are their history."""
    totals = _paid_totals(o.pk for o in obligations)
    for o in obligations:
        paid, last = totals.get(o.pk, (ZERO, None))
        if (paid, last) != (o.paid_total, o.last_allocated_on):
            o.paid_total, o.last_allocated_on = paid, last
            Obligation.objects.filter(pk=o.pk).update(paid_total=paid, last_allocated_on=last)
    return totals


def _refresh_status(obligations: list[Obligation], user=None) -> None:
    """Open or paid in full, from the ledger; closed_on is the last allocation's date.

    Also the ledger's running figures on each obligation (``paid_total``, ``last_allocated_on``),
    recomputed here from the allocations after every write to them, under the offender's lock. They
    are written with ``update()``: the allocations are their history."""
    totals = ledger_totals_refresh(obligations)
    for o in obligations:
        paid, last = totals.get(o.pk, (ZERO, None))
        if o.status == ObligationStatus.WAIVED:
            continue
        status, closed_on = (ObligationStatus.PAID, last) if paid >= o.ordered_amount else (ObligationStatus.OPEN, None)
        if (status, closed_on) != (o.status, o.closed_on):
            o.status, o.closed_on = status, closed_on
            _by(o, user).save(update_fields=["status", "closed_on"])


def _by_priority(obligations: list[Obligation], named: Obligation | None = None) -> list[Obligation]:
    """Restitution before CVCF before other, oldest order first; a named obligation goes first."""
    open_ = sorted((o for o in obligations if o.status == ObligationStatus.OPEN), key=lambda o: o.priority)
    if named is not None:
        open_.sort(key=lambda o: o.pk != named.pk)
    return open_


def _apply_credit(offender_id: int, obligations: list[Obligation], on: dt.date, user=None) -> None:
    """Use the credit an offender holds (oldest payment first) on balances that are still open."""
    credits = list(
        Allocation.objects.filter(payment__offender_id=offender_id, obligation__isnull=True)
        .values("payment_id", "payment__received_on")
        .annotate(credit=Sum("amount"))
        .filter(credit__gt=0)
        .order_by("payment__received_on", "payment_id")
    )
    if not credits:
        return
    totals = _paid_totals(o.pk for o in obligations)
    balances = {o.pk: o.ordered_amount - totals.get(o.pk, (ZERO, None))[0] for o in obligations}
    lines = []
    for target in _by_priority(obligations):
        for credit in credits:
            if balances[target.pk] <= 0:
                break
            available = quantize(credit["credit"])
            if available <= 0:
                continue
            amount = min(available, balances[target.pk])
            day = max(on, credit["payment__received_on"])
            lines += [
                Allocation(payment_id=credit["payment_id"], obligation=None, amount=-amount, allocated_on=day),
                Allocation(payment_id=credit["payment_id"], obligation=target, amount=amount, allocated_on=day),
            ]
            credit["credit"] = available - amount
            balances[target.pk] -= amount
    if lines:
        Allocation.objects.bulk_create(lines)
        _refresh_status(obligations, user)


# Payees and obligations -------------------------------------------------------------------------


def payee_cvcf() -> Payee:
    """The Crime Victims' Compensation Fund: one payee for every CVCF judgment."""
    payee, _ = Payee.objects.get_or_create(kind=PayeeKind.CVCF, defaults={"name": CVCF_PAYEE_NAME})
    return payee


@transaction.atomic
def payee_create(*, name: str, kind: str, reference: str = "", user=None) -> Payee:
    """Add a payee (the CVCF fund exists once and is never added again)."""
    if kind == PayeeKind.CVCF:
        return payee_cvcf()
    payee = Payee(name=name.strip(), kind=kind, reference=reference.strip())
    payee.full_clean()
    _by(payee, user).save()
    return payee


@transaction.atomic
def payee_for_name(*, name: str, obligation_kind: str, user=None) -> Payee:
    """The payee an officer names when recording an obligation: the one already on file with this name
    (case-insensitive; never the CVCF fund), else a new victim payee for restitution or an "other"
    payee. The name is typed from the court order and matched here, never shown back: a victim payee is
    shown by its label everywhere but to victim services and administrators (``Payee.name_for``)."""
    name = name.strip()
    payee = Payee.objects.filter(name__iexact=name).exclude(kind=PayeeKind.CVCF).order_by("pk").first()
    if payee is not None:
        return payee
    kind = PayeeKind.VICTIM if obligation_kind == ObligationKind.RESTITUTION else PayeeKind.OTHER
    return payee_create(name=name, kind=kind, user=user)


@transaction.atomic
def obligation_create(
    *,
    case: CourtCase,
    kind: str,
    ordered_amount: Decimal,
    ordered_on: dt.date,
    payee: Payee | None = None,
    user=None,
    monthly_amount: Decimal | None = None,
    first_due_on: dt.date | None = None,
) -> Obligation:
    """Record a court's order on a case; with an installment and first due date, its first plan too.

    Credit the offender already holds is applied to the new balance at once.
    """
    if kind == ObligationKind.CVCF and payee is None:
        payee = payee_cvcf()
    if payee is None:
        raise ValidationError({"payee": "Choose who receives this money."})
    if (monthly_amount is None) != (first_due_on is None):
        raise ValidationError({"first_due_on": "A plan needs both a monthly amount and a first due date."})
    dates = {
        "ordered_on": entry_date_problem(ordered_on),
        "first_due_on": entry_date_problem(first_due_on, future=True),
    }
    if errors := {name: problem for name, problem in dates.items() if problem}:
        raise ValidationError(errors)
    obligations = _lock(case.offender_id)
    obligation = Obligation(
        case=case,
        offender_id=case.offender_id,
        kind=kind,
        payee=payee,
        ordered_amount=quantize(ordered_amount),
        ordered_on=ordered_on,
        entered_by=user if getattr(user, "is_authenticated", False) else None,
    )
    obligation.full_clean()
    _by(obligation, user).save()
    if monthly_amount is not None:
        plan_create(obligation=obligation, monthly_amount=monthly_amount, first_due_on=first_due_on, user=user)
    _apply_credit(case.offender_id, [*obligations, obligation], on=ordered_on, user=user)
    return obligation


@transaction.atomic
def plan_create(
    *, obligation: Obligation, monthly_amount: Decimal, first_due_on: dt.date, user=None, note: str = ""
) -> PaymentPlan:
    """A new plan replaces the old from its own first due date; plans that start on or after that
    date are marked replaced (kept, not deleted)."""
    _lock(obligation.offender_id)
    obligation.refresh_from_db(fields=["status"])
    if obligation.status != ObligationStatus.OPEN:
        raise ValidationError(f"This obligation is {obligation.get_status_display().lower()}: it needs no plan.")
    now = timezone.now()
    replaced = list(
        PaymentPlan.objects.filter(obligation=obligation, replaced_at__isnull=True, first_due_on__gte=first_due_on)
    )
    for old in replaced:
        old.replaced_at = now
        _by(old, user).save(update_fields=["replaced_at"])
    # Every plan left active starts before the new one, which is therefore the last: the latest of
    # them now ends where the new one takes over (the others still end where they did).
    latest = (
        PaymentPlan.objects.filter(obligation=obligation, replaced_at__isnull=True).order_by("-first_due_on").first()
    )
    if latest is not None:
        PaymentPlan.objects.filter(pk=latest.pk).update(ends_on=first_due_on)
    plan = PaymentPlan(
        obligation=obligation,
        monthly_amount=quantize(monthly_amount),
        first_due_on=first_due_on,
        note=note,
        entered_by=user if getattr(user, "is_authenticated", False) else None,
    )
    plan.full_clean()
    _by(plan, user).save()
    for old in replaced:
        old.replaced_by = plan
        _by(old, user).save(update_fields=["replaced_by"])
    schedule_summary_refresh(obligation)
    return plan


def schedule_summary_refresh(obligation: Obligation) -> None:
    """Set the obligation's schedule in brief from its active plans (the caller holds the lock): the
    last plan's installment and first due date, and the installments of the plans before it."""
    active = [(p.first_due_on, p.monthly_amount) for p in obligation.plans.filter(replaced_at__isnull=True)]
    if not active:
        summary = {"plan_monthly": None, "plan_first_due_on": None, "plan_prior_due": ZERO}
    else:
        first, monthly = max(active)
        before = list(installments(active, first - dt.timedelta(days=1)))
        summary = {
            "plan_monthly": monthly,
            "plan_first_due_on": first,
            "plan_prior_due": sum((m for _, m in before), ZERO),
        }
    Obligation.objects.filter(pk=obligation.pk).update(**summary)
    for field, value in summary.items():
        setattr(obligation, field, value)


@transaction.atomic
def obligation_waive(*, obligation: Obligation, waived_on: dt.date, reference: str, user=None) -> Obligation:
    """The court waived what is left: the obligation closes on that date with the order's reference."""
    _lock(obligation.offender_id)
    obligation.refresh_from_db()
    if obligation.status != ObligationStatus.OPEN:
        raise ValidationError(f"This obligation is already {obligation.get_status_display().lower()}.")
    if not reference.strip():
        raise ValidationError({"reference": "Give the reference of the court's order."})
    if waived_on > _today():
        raise ValidationError({"waived_on": "The waiver cannot be dated in the future."})
    obligation.status = ObligationStatus.WAIVED
    obligation.closed_on = waived_on
    obligation.waiver_reference = reference.strip()
    obligation.full_clean()
    _by(obligation, user).save(update_fields=["status", "closed_on", "waiver_reference"])
    return obligation


@transaction.atomic
def obligation_amend(
    *, obligation: Obligation, ordered_amount: Decimal, amended_on: dt.date, reference: str, user=None
) -> Obligation:
    """The court amended the ordered amount (an amended judgment or order).

    The new amount cannot be less than what has already been paid to it: returning money is a refund,
    which RJ Admin does not record. An obligation paid in full whose amount goes up is open again,
    and credit the person holds is applied to it at once. The change is kept in the obligation's
    history with the order's reference. The nightly snapshots already taken keep the amount of their
    night; figures computed from now on, for any date, use the amended amount."""
    obligations = _lock(obligation.offender_id)
    obligation = next(o for o in obligations if o.pk == obligation.pk)
    amount = quantize(ordered_amount)
    reference = reference.strip()
    if obligation.status == ObligationStatus.WAIVED:
        raise ValidationError("The court waived this obligation: there is no amount left to amend.")
    errors = {}
    if not reference:
        errors["reference"] = "Give the reference of the court's amended order."
    if amended_on > _today():
        errors["amended_on"] = "The amended order cannot be dated in the future."
    elif amended_on < obligation.ordered_on:
        errors["amended_on"] = f"The amended order cannot come before the order of {obligation.ordered_on:%b %-d, %Y}."
    paid = _paid_totals([obligation.pk]).get(obligation.pk, (ZERO, None))[0]
    if amount <= 0:
        errors["ordered_amount"] = "The amended amount must be more than $0.00."
    elif amount == obligation.ordered_amount:
        errors["ordered_amount"] = f"The ordered amount is already {format_money(amount)}."
    elif amount < paid:
        errors["ordered_amount"] = (
            f"{format_money(paid)} has already been paid to it, so the amended amount cannot be less than that "
            "(returning money is a refund, which RJ Admin does not record)."
        )
    if errors:
        raise ValidationError(errors)
    before = obligation.ordered_amount
    obligation.ordered_amount = amount
    obligation.full_clean()
    set_history(
        obligation,
        user if getattr(user, "is_authenticated", False) else None,
        f"Amended {amended_on:%b %-d, %Y} ({reference}): {format_money(before)} to {format_money(amount)}",
    )
    obligation.save(update_fields=["ordered_amount"])
    _refresh_status(obligations, user)
    _apply_credit(obligation.offender_id, obligations, on=amended_on, user=user)
    return obligation


# Payments -----------------------------------------------------------------------------------------


def new_idempotency_key(prefix: str = "form") -> str:
    return f"{prefix}:{uuid.uuid4().hex}"


def _same_payment(existing: Payment, offender_id: int, amount: Decimal) -> Payment:
    if existing.offender_id != offender_id or existing.amount != amount:
        raise ValidationError("This idempotency key was already used for a different payment.")
    existing.replayed = True
    return existing


def payment_date_problem(received_on: dt.date) -> str | None:
    """Why a payment cannot have been received on this date, or None."""
    if received_on > _today():
        return "A payment cannot be received in the future."
    return entry_date_problem(received_on)


def payment_amount_problem(amount: Decimal) -> str | None:
    """Why one payment cannot be this much, or None."""
    if amount > settings.PAYMENT_MAX:
        return (
            f"{format_money(amount)} in one payment is not plausible: the limit is "
            f"{format_money(Decimal(settings.PAYMENT_MAX))}. Check the amount, or enter it as the payments "
            "that were made."
        )
    return None


def payment_rule_errors(*, amount: Decimal, received_on: dt.date, date_problem=payment_date_problem) -> dict[str, str]:
    """The first rule a payment breaks, as ``{field: message}``; empty when it breaks none. Posting one
    payment and posting a file of them (``payments_post_bulk``, which passes ``date_problem`` remembered
    per date) both ask it."""
    if problem := date_problem(received_on):
        return {"received_on": problem}
    if problem := payment_amount_problem(amount):
        return {"amount": problem}
    return {}


def allocate(
    amount: Decimal, by_priority: list[Obligation], paid: dict[int, Decimal]
) -> list[tuple[Obligation | None, Decimal]]:
    """How a payment is split: each obligation in priority order takes what it still owes (ordered
    less ``paid``) until the money runs out; what is left is credit (``None``)."""
    left = amount
    lines: list[tuple[Obligation | None, Decimal]] = []
    for target in by_priority:
        balance = target.ordered_amount - paid.get(target.pk, ZERO)
        if balance <= 0:
            continue
        part = min(balance, left)
        lines.append((target, part))
        left -= part
        if left == 0:
            break
    if left > 0:
        lines.append((None, left))
    return lines


def _next_receipt_number(offender: Offender) -> str:
    """RJ-<DOC ID>-<n>: sequential per person, safe because the person is locked while posting."""
    prefix = f"RJ-{offender.doc_id}-"
    count = Payment.objects.filter(offender=offender, receipt_number__startswith=prefix).count()
    return f"{prefix}{count + 1:04d}"


def payment_post(
    *,
    offender: Offender,
    amount: Decimal,
    received_on: dt.date,
    method: str,
    idempotency_key: str,
    entered_by=None,
    receipt_number: str = "",
    obligation: Obligation | None = None,
    source: str = PaymentSource.ENTERED,
    note: str = "",
    over_balance_confirmed: bool = False,
) -> Payment:
    """Post a payment and allocate it: the named obligation first, then restitution before CVCF
    before other, oldest order first; what is left is held as credit.

    The same idempotency key posts once: a repeat returns the first payment (``replayed`` is True).
    A payment above ``PAYMENT_MAX`` is refused; one above everything the person still owes plus
    ``PAYMENT_CONFIRM_MARGIN`` dollars is refused (code ``over_balance``) unless
    ``over_balance_confirmed``: the person who enters it confirms the amount.
    """
    amount = quantize(amount)
    if not idempotency_key:
        raise ValidationError("A payment needs an idempotency key.")
    existing = Payment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _same_payment(existing, offender.pk, amount)
    try:
        with transaction.atomic():
            return _payment_post(
                offender=offender,
                amount=amount,
                received_on=received_on,
                method=method,
                idempotency_key=idempotency_key,
                entered_by=entered_by,
                receipt_number=receipt_number,
                obligation=obligation,
                source=source,
                note=note,
                over_balance_confirmed=over_balance_confirmed,
            )
    except IntegrityError:
        # Someone posted the same key at the same moment (for another person, or without the lock).
        existing = Payment.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return _same_payment(existing, offender.pk, amount)


def _payment_post(
    *,
    offender,
    amount,
    received_on,
    method,
    idempotency_key,
    entered_by,
    receipt_number,
    obligation,
    source,
    note,
    over_balance_confirmed,
) -> Payment:
    obligations = _lock(offender.pk)
    existing = Payment.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:  # posted by the transaction we waited for
        return _same_payment(existing, offender.pk, amount)
    if errors := payment_rule_errors(amount=amount, received_on=received_on):
        raise ValidationError(errors)
    totals = _paid_totals(o.pk for o in obligations)
    owed = sum(
        (max(ZERO, o.ordered_amount - totals.get(o.pk, (ZERO, None))[0]) for o in _by_priority(obligations)), ZERO
    )
    if not over_balance_confirmed and amount > owed + settings.PAYMENT_CONFIRM_MARGIN:
        raise ValidationError(
            {
                "amount": ValidationError(
                    f"{format_money(amount)} is more than everything this person still owes "
                    f"({format_money(owed)}). If the amount is right, confirm it: what is above the balance is held "
                    "as credit.",
                    code="over_balance",
                )
            }
        )
    named = None
    if obligation is not None:
        named = next((o for o in obligations if o.pk == obligation.pk), None)
        if named is None:
            raise ValidationError({"obligation": "This obligation belongs to another person."})
        if named.status != ObligationStatus.OPEN:
            raise ValidationError({"obligation": f"This obligation is {named.get_status_display().lower()}."})
    payment = Payment(
        offender=offender,
        amount=amount,
        received_on=received_on,
        method=method,
        receipt_number=receipt_number.strip() or _next_receipt_number(offender),
        idempotency_key=idempotency_key,
        obligation=named,
        source=source,
        note=note,
        entered_by=entered_by if getattr(entered_by, "is_authenticated", False) else None,
    )
    payment.full_clean()
    _by(payment, entered_by).save()

    paid = {pk: total for pk, (total, _) in totals.items()}
    Allocation.objects.bulk_create(
        Allocation(payment=payment, obligation=target, amount=part, allocated_on=received_on)
        for target, part in allocate(amount, _by_priority(obligations, named), paid)
    )
    _refresh_status(obligations, entered_by)
    payment.replayed = False
    return payment


@dataclass(frozen=True, slots=True)
class PaymentIn:
    """One payment of a file to post (``payments_post_bulk``)."""

    offender_id: int
    amount: Decimal
    received_on: dt.date
    method: str
    receipt_number: str
    obligation_id: int | None = None


@dataclass(slots=True)
class _Owed:
    """An obligation as the bulk posting needs it (a model instance each would cost 1 KB and 15 µs)."""

    pk: int
    offender_id: int
    kind: str
    ordered_amount: Decimal
    ordered_on: dt.date
    status: str

    @property
    def priority(self) -> tuple:
        return obligation_priority(self.kind, self.ordered_on, self.pk)


PAYMENT_COLUMNS = [
    "id",
    "offender_id",
    "amount",
    "received_on",
    "method",
    "receipt_number",
    "idempotency_key",
    "obligation_id",
    "source",
    "note",
    "entered_by_id",
    "created_at",
]
ALLOCATION_COLUMNS = ["payment_id", "obligation_id", "amount", "allocated_on", "created_at"]


def _bulk_obligations(offender_ids: list[int], *, lock: bool) -> list[_Owed]:
    """Every obligation of these people, each person locked first (in id order, so two files never
    wait on each other in a circle) when ``lock``: the lock ``payment_post`` takes, for all at once."""
    obligations = Obligation.objects.filter(offender_id__any=offender_ids).order_by("pk")
    if lock:
        locked = Offender.objects.select_for_update().filter(pk__any=offender_ids).order_by("pk")
        list(locked.values_list("pk", flat=True))
        obligations = obligations.select_for_update()
    fields = ("pk", "offender_id", "kind", "ordered_amount", "ordered_on", "status")
    return [_Owed(*row) for row in obligations.values_list(*fields)]


def _bulk_paid(offender_ids: list[int]) -> dict[int, tuple[Decimal, dt.date | None]]:
    rows = (
        Allocation.objects.filter(obligation__offender_id__any=offender_ids)
        .values("obligation_id")
        .annotate(total=Sum("amount"), last=Max("allocated_on"))
        .order_by()
    )
    return {r["obligation_id"]: (quantize(r["total"]), r["last"]) for r in rows}


BULK_PEOPLE = 10_000  # people whose payments are worked out (and written) together: bounds the memory


def payments_post_bulk(
    items: list[PaymentIn], *, entered_by=None, source: str = PaymentSource.IMPORTED, commit: bool, progress=None
) -> tuple[dict[int, dict[str, str]], list[int]]:
    """Post many payments at once, with the allocations, statuses and running figures that posting
    them one by one with ``payment_post``, in this order, would write (the amount above a balance
    confirmed: a file comes from the court's or the agency's books). Each payment's idempotency key
    is ``import:<receipt number>``.

    Returns the rules each item breaks, by its index (the same rules and words as ``payment_post``),
    and the new payments' ids in the items' order. Nothing is written when any item breaks a rule, or
    when ``commit`` is false: then it only works out, in memory and without locks, what a commit would
    meet (a dry run, cheaper than the commit). A commit locks every person in the file, as
    ``payment_post`` locks one, until the caller's transaction ends.

    The people are taken ``BULK_PEOPLE`` at a time, in id order (so two files never wait on each other
    in a circle): each group's obligations and balances are loaded, its payments worked out in the
    file's order and, on a commit, written with ``COPY`` (``core.bulk``) with the history rows
    ``save()`` would write. A group that fails rolls back the groups written before it."""
    progress = progress or (lambda done, total, note: None)
    by_person: dict[int, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        by_person[item.offender_id].append(index)
    people = sorted(by_person)
    errors: dict[int, dict[str, str]] = {}
    ids: list[int | None] = [None] * len(items)
    done = 0
    with transaction.atomic():
        for start in range(0, len(people), BULK_PEOPLE):
            group = people[start : start + BULK_PEOPLE]
            indexes = sorted(index for person in group for index in by_person[person])
            _bulk_group(
                items, indexes, group, errors=errors, ids=ids, entered_by=entered_by, source=source, commit=commit
            )
            done += len(indexes)
            progress(done, len(items), f"{'Posted' if commit and not errors else 'Checked'} {done:,} payments")
        if errors or not commit:
            transaction.set_rollback(True)
            return errors, []
    return errors, ids


def _bulk_group(items, indexes, people, *, errors, ids, entered_by, source, commit) -> None:
    """Work out (and, on a commit with no error so far, write) the payments ``indexes`` of ``items``,
    those of ``people``; record each item's broken rules in ``errors`` and its new id in ``ids``."""
    obligations = _bulk_obligations(people, lock=commit)
    totals = _bulk_paid(people)
    paid = {pk: total for pk, (total, _) in totals.items()}
    last = {pk: day for pk, (_, day) in totals.items()}
    by_offender: dict[int, list[_Owed]] = defaultdict(list)
    for o in obligations:
        by_offender[o.offender_id].append(o)
    by_pk = {o.pk: o for o in obligations}
    # Posted since the file was checked (the check reports those posted before as already posted).
    receipts = [items[index].receipt_number for index in indexes]
    taken = set(
        Payment.objects.filter(
            Q(receipt_number__any=receipts) | Q(idempotency_key__any=[f"import:{r}" for r in receipts])
        ).values_list("receipt_number", flat=True)
    )
    date_problem = functools.cache(payment_date_problem)  # the date rules, asked once a date

    plans: list[list[tuple[int | None, Decimal]]] = []
    closed: set[int] = set()
    touched: set[int] = set()
    for index in indexes:
        item = items[index]
        problems = payment_rule_errors(amount=item.amount, received_on=item.received_on, date_problem=date_problem)
        if item.receipt_number in taken:
            problems.setdefault(
                "receipt_number", f"Receipt {item.receipt_number} was posted after this file was checked."
            )
        named = None
        if item.obligation_id is not None:
            named = by_pk.get(item.obligation_id)
            if named is None or named.offender_id != item.offender_id:
                problems.setdefault("obligation", "This obligation belongs to another person.")
            elif named.status != ObligationStatus.OPEN:
                label = ObligationStatus(named.status).label.lower()
                problems.setdefault("obligation", f"This obligation is {label}.")
        if problems:
            errors[index] = problems
            plans.append([])
            continue
        lines = allocate(item.amount, _by_priority(by_offender[item.offender_id], named), paid)
        for target, part in lines:
            if target is None:
                continue
            touched.add(target.pk)
            paid[target.pk] = paid.get(target.pk, ZERO) + part
            last[target.pk] = max(filter(None, (last.get(target.pk), item.received_on)))
            if paid[target.pk] >= target.ordered_amount and target.status == ObligationStatus.OPEN:
                target.status = ObligationStatus.PAID
                closed.add(target.pk)
        plans.append([(target.pk if target else None, part) for target, part in lines])
    if errors or not commit:
        return

    now = timezone.now()
    user = entered_by if getattr(entered_by, "is_authenticated", False) else None
    new_ids = reserve_ids(Payment, len(indexes))
    for index, pk in zip(indexes, new_ids, strict=True):
        ids[index] = pk

    def payment_rows():
        for index, pk in zip(indexes, new_ids, strict=True):
            item = items[index]
            yield (
                pk,
                item.offender_id,
                item.amount,
                item.received_on,
                item.method,
                item.receipt_number,
                f"import:{item.receipt_number}",
                item.obligation_id,
                source,
                "",
                user.pk if user else None,
                now,
            )

    copy_rows(Payment, PAYMENT_COLUMNS, payment_rows())
    copy_created_history(
        Payment, (dict(zip(PAYMENT_COLUMNS, row, strict=True)) for row in payment_rows()), user=user, when=now
    )
    copy_rows(
        Allocation,
        ALLOCATION_COLUMNS,
        (
            (pk, target, part, items[index].received_on, now)
            for pk, index, lines in zip(new_ids, indexes, plans, strict=True)
            for target, part in lines
        ),
    )
    changed = sorted(touched)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE restitution_obligation o
               SET paid_total = v.paid, last_allocated_on = v.last, status = v.status,
                   closed_on = CASE WHEN v.status = 'paid' THEN v.last ELSE o.closed_on END
              FROM unnest(%s::bigint[], %s::numeric[], %s::date[], %s::text[]) AS v(id, paid, last, status)
             WHERE o.id = v.id
            """,
            [changed, [paid[pk] for pk in changed], [last[pk] for pk in changed], [by_pk[pk].status for pk in changed]],
        )
    # A status that changed has its history row, as ``save()`` writes one when posting one by one.
    Obligation.history.bulk_history_create(
        list(Obligation.objects.filter(pk__any=sorted(closed))), update=True, default_user=user
    )


@transaction.atomic
def payment_reverse(*, payment: Payment, reversed_on: dt.date, reason: str, entered_by=None) -> PaymentReversal:
    """Correct a payment: one negative allocation per obligation (and credit) it reached, dated the
    day of the reversal. The credit other payments hold then goes to the balances this reopened."""
    obligations = _lock(payment.offender_id)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if PaymentReversal.objects.filter(payment=payment).exists():
        raise ValidationError(f"Receipt {payment.receipt_number} is already reversed.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the payment is reversed."})
    last = payment.allocations.aggregate(last=Max("allocated_on"))["last"] or payment.received_on
    if reversed_on < last:
        raise ValidationError({"reversed_on": f"The reversal cannot be dated before {last:%b %-d, %Y}."})
    if reversed_on > _today():
        raise ValidationError({"reversed_on": "The reversal cannot be dated in the future."})
    reversal = PaymentReversal(
        payment=payment,
        reversed_on=reversed_on,
        reason=reason.strip(),
        entered_by=entered_by if getattr(entered_by, "is_authenticated", False) else None,
    )
    reversal.full_clean()
    _by(reversal, entered_by).save()
    nets = payment.allocations.values("obligation_id").annotate(net=Sum("amount")).order_by("obligation_id")
    lines = [
        Allocation(
            payment=payment,
            obligation_id=row["obligation_id"],
            amount=-quantize(row["net"]),
            allocated_on=reversed_on,
            reversal=reversal,
        )
        for row in nets
        if quantize(row["net"]) != 0
    ]
    Allocation.objects.bulk_create(lines)
    _refresh_status(obligations, entered_by)
    _apply_credit(payment.offender_id, obligations, on=reversed_on, user=entered_by)
    return reversal


# Disbursements ------------------------------------------------------------------------------------


def undisbursed(payee: Payee, on: dt.date | None = None):
    """Allocations to this payee's obligations not yet paid out (reversals included, as negatives)."""
    qs = Allocation.objects.filter(obligation__payee=payee, disbursement_line__isnull=True)
    if on is not None:
        qs = qs.filter(allocated_on__lte=on)
    return qs


@transaction.atomic
def disbursement_create(*, payee: Payee, disbursed_on: dt.date, reference: str, user=None) -> Disbursement:
    """Pay out everything allocated to the payee up to ``disbursed_on`` and not yet disbursed.

    Each allocation can sit on one disbursement line only (a one-to-one key): the same money is
    never disbursed twice, even by two clerks at once.
    """
    Payee.objects.select_for_update().filter(pk=payee.pk).values_list("pk", flat=True).first()
    if disbursed_on > _today():
        raise ValidationError({"disbursed_on": "A disbursement cannot be dated in the future."})
    lines = list(undisbursed(payee, disbursed_on).values_list("pk", "amount"))
    total = quantize(sum((quantize(a) for _, a in lines), ZERO))
    if total <= 0:
        raise ValidationError("Nothing is owed to this payee as of that date.")
    disbursement = Disbursement(
        payee=payee,
        disbursed_on=disbursed_on,
        reference=reference.strip(),
        amount=total,
        entered_by=user if getattr(user, "is_authenticated", False) else None,
    )
    disbursement.full_clean()
    _by(disbursement, user).save()
    DisbursementLine.objects.bulk_create(
        [DisbursementLine(disbursement=disbursement, allocation_id=pk, amount=quantize(a)) for pk, a in lines]
    )
    return disbursement


# The ledger check ---------------------------------------------------------------------------------


def ledger_check(as_of: dt.date) -> int:
    """Check every obligation's running figures (``paid_total``, ``last_allocated_on``) against its
    allocations, the ledger they are kept from. The compliance engine reads the running figures, so a
    difference would misstate someone's arrears: each one found is set right from the ledger (under
    the offender's lock) and reported to every active administrator. Returns the obligations checked.
    """
    with connection.cursor() as cursor:
        cursor.execute(LEDGER_MISMATCH_SQL)
        wrong = cursor.fetchall()
    checked = Obligation.objects.count()
    for pk, offender_id in wrong:
        with transaction.atomic():
            ledger_totals_refresh([o for o in _lock(offender_id) if o.pk == pk])
    if wrong:
        log.error(
            "Ledger check on %s: the running totals of %d obligations differed from the ledger (first ids: %s)",
            as_of,
            len(wrong),
            [pk for pk, _ in wrong[:50]],
        )
        administrators_alert(
            title=f"Ledger check: {len(wrong)} obligation total{'s' if len(wrong) != 1 else ''} set right",
            body=(
                "The running paid totals of these obligations differed from their allocations and were "
                f"recomputed from the ledger on {as_of:%b %-d, %Y}: {ids_listed([pk for pk, _ in wrong])}"
            ),
            link=reverse("restitution:obligation_list"),
            key=f"restitution:ledger-check:{as_of.isoformat()}",
        )
    return checked


# The nightly compliance job -----------------------------------------------------------------------


def compliance_snapshot_run(*, as_of: dt.date, notify: bool = True) -> int:
    """Store every open obligation's figures for ``as_of`` (replacing that date's rows, in one
    transaction), raise an alert for each obligation that became DELINQUENT since the previous
    snapshot, and send each officer one email listing their new delinquencies.

    The snapshot is partitioned by date, one partition a night: the night is written as a whole into
    a fresh table and attached in place of that night's partition, if a rerun finds one
    (``core.partitions.night_write``).

    Idempotent for its date: a re-run gives the same rows, and alerts are keyed by obligation and
    date, so it raises no alert and sends no email twice.
    """
    with transaction.atomic():
        previous = ComplianceSnapshot.objects.filter(as_of__lt=as_of).aggregate(d=Max("as_of"))["d"]
        sql, params = snapshot_select_query(as_of, previous)
        rows, rerun = night_write(
            table=ComplianceSnapshot._meta.db_table,
            key="as_of",
            night=as_of,
            select_sql=sql,
            params=params,
            work_mem=settings.RESTITUTION_JOB_WORK_MEM,
        )
        new_alerts = _delinquency_alerts(as_of, rerun=rerun)
    if notify:
        _email_officers(as_of, new_alerts)
    return rows


ALERT_PREFIX = "restitution:delinquent:"


def _url_format(name: str) -> str:
    """``reverse(name, args=[pk])`` as a format string with ``{}`` for the pk: reversed once, not once
    per alert (reverse takes about 90 microseconds; a first night raises hundreds of thousands)."""
    marker = 987654321
    return reverse(name, args=[marker]).replace(str(marker), "{}")


def _delinquency_alerts(as_of: dt.date, *, rerun: bool = True) -> list[NewAlert]:
    """One alert per obligation that is DELINQUENT on ``as_of`` and was not in the previous snapshot
    (the snapshot row says so, and a partial index holds just those rows), for the person's
    supervising officer or, when they have none, for their district's supervisors, so that nobody
    falls behind unseen. Read as plain values: the first night may raise many.

    The alerts of the date already raised are looked up only on a ``rerun`` (the night was stored
    before): only this job raises them, with the night. The look-up reads every alert ever raised
    (no index serves ``key`` alone), a quarter of a second a night with 450,000 of them."""
    became = ComplianceSnapshot.objects.filter(ComplianceSnapshot.BECAME_DELINQUENT, as_of=as_of)
    prefix = f"{ALERT_PREFIX}{as_of.isoformat()}:"
    done = set(Alert.objects.filter(key__startswith=prefix).values_list("key", flat=True)) if rerun else set()
    kinds = {k.value: k.label.lower() for k in ObligationKind}
    supervisors = _district_supervisors()
    offender_link = _url_format("restitution:offender")
    alerts = []
    rows = became.order_by("obligation__offender__last_name", "obligation_id").values_list(
        "obligation_id",
        "arrears",
        "days_past_due",
        "past_due_since",
        "balance",
        "ordered_amount",
        "obligation__kind",
        "obligation__case__case_number",
        "obligation__offender_id",
        "obligation__offender__first_name",
        "obligation__offender__last_name",
        "obligation__offender__supervising_officer_id",
        "obligation__offender__district_id",
    )
    for row in rows.iterator(chunk_size=5000):
        oid, arrears, days, since, balance, ordered, kind, case, person, first, last, officer, district = row
        key = f"{prefix}{oid}"
        if key in done:
            continue
        unassigned = officer is None
        owed = format_money(arrears)
        # The figures are the night's: the caseload shows arrears as of the day it is opened, which grows
        # with each installment missed and falls with each payment, so the alert says which night.
        night = f"{as_of:%b %-d, %Y}"
        title = f"{first} {last} is delinquent on {kinds[kind]}: {owed} past due since {since:%b %-d, %Y} (on {night})"
        body = (
            f"Case {case}. On {night}, the night it turned delinquent: {owed} in arrears (installments due and "
            f"unpaid), {format_days(days)} past due; balance {format_money(balance)} of {format_money(ordered)}. "
            "The caseload shows the arrears as of the day you open it."
        )
        if unassigned:
            body += " No supervising officer is assigned: please assign one."
        link = offender_link.format(person)
        for user_id in [officer] if not unassigned else supervisors.get(district, []):
            alerts.append(NewAlert(user_id, title, body, link, key))
    alerts_create(alerts)
    return alerts


def _district_supervisors() -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    for pk, district in User.objects.filter(
        role=Role.DISTRICT_SUPERVISOR, is_active=True, district__isnull=False
    ).values_list("pk", "district_id"):
        found[district].append(pk)
    return found


def _email_officers(as_of: dt.date, alerts: list[NewAlert]) -> None:
    by_officer: dict[int, list[NewAlert]] = defaultdict(list)
    for alert in alerts:
        by_officer[alert.user_id].append(alert)
    officers = User.objects.filter(pk__in=list(by_officer), is_active=True).exclude(email="")
    messages = []
    for officer in officers.only("pk", "email", "first_name", "username"):
        items = by_officer[officer.pk]
        lines = [f"- {a.title}\n  {a.body}\n  {settings.SITE_URL}{a.link}" for a in items]
        context = {
            "officer": officer,
            "as_of": as_of,
            "count": len(items),
            "lines": lines,
            "site_url": settings.SITE_URL,
        }
        messages.append(
            EmailMessage(
                subject=f"RJ Admin: {len(items)} new restitution delinquenc{'y' if len(items) == 1 else 'ies'}",
                body=render_to_string("restitution/email/new_delinquencies.txt", context),
                to=[officer.email],
            )
        )
    if not messages:
        return
    try:  # one connection to the mail server for the night's messages
        get_connection().send_messages(messages)
    except Exception:  # a mail server outage must not undo the night's snapshot (the alerts stay in the app)
        log.exception("Could not email %d officers about new delinquencies", len(messages))
