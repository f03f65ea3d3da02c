"""CSV imports: obligations, payment plans, payments and reversals (core's preview and all-or-nothing commit).

Rows are applied with the same services as the pages. A receipt already posted, a payment already
reversed or an obligation already recorded with the same figures is reported as ``ignore`` and not
applied again, so re-importing a file changes nothing.
"""

from __future__ import annotations

import re
from collections import namedtuple

from django.db.models import Q

from core.imports import Importer, RowError, register_importer
from core.models import CourtCase, Offender
from core.money import quantize
from core.querysets import ADD, CHANGE, can

from . import services
from .choices import ObligationKind, ObligationStatus, PaymentMethod
from .models import Obligation, Payment, PaymentPlan, PaymentReversal

KINDS = {k.value: k for k in ObligationKind}
METHODS = {**{m.value: m for m in PaymentMethod}, **{m.label.lower(): m for m in PaymentMethod}}
METHODS.update({"cashier's check": PaymentMethod.CASHIERS_CHECK, "cashiers check": PaymentMethod.CASHIERS_CHECK})
Named = namedtuple("Named", "pk offender_id status")  # an obligation a payment row names
RECEIPT_LENGTH = Payment._meta.get_field("receipt_number").max_length
COUNTY = re.compile(r"\(([^)]+?)(?: County)?\)\s*$")


def parse_kind(value: str) -> str:
    kind = KINDS.get(value.strip().lower())
    if kind is None:
        raise RowError({"kind": f"'{value}' is not one of: restitution, cvcf, other."})
    return kind


def _case_pairs(rows) -> set[tuple[str, str]]:
    """The (court, case_number) pairs the rows name."""
    return {(r["court"], r["case_number"]) for r in rows if r.get("court") and r.get("case_number")}


class _RestitutionImporter(Importer):
    def _offender_ids_changeable(self, doc_ids) -> set[str]:
        qs = Offender.objects.filter(doc_id__any=doc_ids)
        if self.user is not None:
            qs = qs.restrict(self.user, CHANGE)
        return set(qs.values_list("doc_id", flat=True))

    def _obligations(self, rows):
        """Obligations named by (court, case_number, kind) in the file, keyed that way (one query
        by case number, however long the file)."""
        pairs = _case_pairs(rows)
        numbers = sorted({number for _, number in pairs})
        found = Obligation.objects.filter(case__case_number__any=numbers).select_related("case")
        return {
            (o.case.court, o.case.case_number, o.kind): o for o in found if (o.case.court, o.case.case_number) in pairs
        }

    def _changeable_obligations(self, obligations) -> set[int]:
        qs = Obligation.objects.filter(pk__in=[o.pk for o in obligations])
        if self.user is not None:
            qs = qs.restrict(self.user, CHANGE)
        return set(qs.values_list("pk", flat=True))


@register_importer
class ObligationImporter(_RestitutionImporter):
    """Court orders: one obligation per row, with its first plan when monthly_amount and first_due_on are given."""

    kind = "obligations"
    label = "Restitution and CVCF obligations"
    columns = [
        "court",
        "case_number",
        "doc_id",
        "kind",
        "payee",
        "ordered_amount",
        "ordered_on",
        "monthly_amount",
        "first_due_on",
    ]
    required = {"court", "case_number", "doc_id", "kind", "ordered_amount", "ordered_on"}
    help_text = (
        "kind is restitution, cvcf or other. payee is the victim's or payee's name, blank for a CVCF judgment. "
        "monthly_amount and first_due_on start a payment plan; leave both blank if there is none yet. "
        "A case not yet known is created for the person with that DOC ID."
    )
    model = Obligation

    @classmethod
    def allowed(cls, user) -> bool:
        return user is None or can(user, Obligation, ADD)

    def key(self, values):
        return "|".join((values.get("court", ""), values.get("case_number", ""), values.get("kind", "").lower()))

    def prepare(self, rows):
        doc_ids = {r.get("doc_id", "") for r in rows} - {""}
        self.offenders = {o.doc_id: o for o in Offender.objects.filter(doc_id__in=doc_ids)}
        self.changeable = self._offender_ids_changeable(doc_ids)
        query = Q(pk__in=[])
        for r in rows:
            if r.get("court") and r.get("case_number"):
                query |= Q(court=r["court"], case_number=r["case_number"])
        self.cases = {(c.court, c.case_number): c for c in CourtCase.objects.filter(query).select_related("offender")}
        self.existing = self._obligations(rows)

    def check(self, values):
        errors = {}
        kind = None
        try:
            kind = parse_kind(values["kind"])
        except RowError as exc:
            errors.update(exc.errors)
        parsed = {}
        for column, parse in (
            ("ordered_amount", self.parse_decimal),
            ("ordered_on", self.parse_date),
            ("monthly_amount", self.parse_decimal),
            ("first_due_on", self.parse_date),
        ):
            if values.get(column):
                try:
                    parsed[column] = parse(values[column], column)
                except RowError as exc:
                    errors.update(exc.errors)
        if parsed.get("ordered_amount") is not None and parsed["ordered_amount"] <= 0:
            errors["ordered_amount"] = "The ordered amount must be more than zero."
        if parsed.get("monthly_amount") is not None and parsed["monthly_amount"] <= 0:
            errors["monthly_amount"] = "The monthly amount must be more than zero."
        if bool(values.get("monthly_amount")) != bool(values.get("first_due_on")):
            errors["first_due_on"] = "Give both monthly_amount and first_due_on, or neither."
        if kind == ObligationKind.CVCF and values.get("payee"):
            errors["payee"] = "Leave the payee blank for a CVCF judgment: the fund is the payee."
        if kind in (ObligationKind.RESTITUTION, ObligationKind.OTHER) and not values.get("payee"):
            errors["payee"] = "Required for restitution and other obligations."
        offender = self.offenders.get(values["doc_id"])
        if offender is None:
            errors["doc_id"] = f"No person has the DOC ID {values['doc_id']}."
        elif values["doc_id"] not in self.changeable:
            errors["doc_id"] = "This DOC ID belongs to a person you cannot update."
        case = self.cases.get((values["court"], values["case_number"]))
        if case is not None and offender is not None and case.offender_id != offender.pk:
            errors["case_number"] = f"This case belongs to another person (DOC ID {case.offender.doc_id})."
        if errors:
            raise RowError(errors)
        existing = self.existing.get((values["court"], values["case_number"], kind))
        if existing is not None:
            if existing.ordered_amount == parsed["ordered_amount"] and existing.ordered_on == parsed["ordered_on"]:
                return "ignore", None
            raise RowError(
                {
                    "kind": f"This case already has a {kind} obligation of ${existing.ordered_amount:,}; enter an "
                    "amended order by hand."
                }
            )
        return "create", {"values": values, "offender": offender, "kind": kind, **parsed}

    def apply(self, payload):
        if payload is None:
            return None
        values, offender = payload["values"], payload["offender"]
        case = CourtCase.objects.filter(court=values["court"], case_number=values["case_number"]).first()
        if case is None:
            match = COUNTY.search(values["court"])
            case = CourtCase(
                court=values["court"],
                case_number=values["case_number"],
                county=(match.group(1) if match else "Unknown")[:60],
                offender=offender,
                sentencing_date=payload["ordered_on"],
            )
            # The offense class is not in the file: the officer completes the case later.
            case.full_clean(exclude=["offense_class"])
            if self.user is not None:
                case._history_user = self.user
            case.save()
        elif case.offender_id != offender.pk:
            raise RowError({"case_number": "This case belongs to another person."})
        payee = None
        if payload["kind"] != ObligationKind.CVCF:
            payee = services.payee_for_name(name=values["payee"], obligation_kind=payload["kind"], user=self.user)
        return services.obligation_create(
            case=case,
            kind=payload["kind"],
            payee=payee,
            ordered_amount=payload["ordered_amount"],
            ordered_on=payload["ordered_on"],
            user=self.user,
            monthly_amount=payload.get("monthly_amount"),
            first_due_on=payload.get("first_due_on"),
        )


@register_importer
class PlanImporter(_RestitutionImporter):
    """New payment plans: each takes over its obligation's schedule from its first due date."""

    kind = "plans"
    label = "Restitution payment plans"
    columns = ["court", "case_number", "kind", "monthly_amount", "first_due_on"]
    required = set(columns)
    help_text = "One new plan for the obligation of that case and kind; it replaces the old from first_due_on."
    model = PaymentPlan

    @classmethod
    def allowed(cls, user) -> bool:
        return user is None or can(user, PaymentPlan, ADD)

    def key(self, values):
        return "|".join(values.get(c, "") for c in self.columns)

    def prepare(self, rows):
        self.existing = self._obligations(rows)
        self.changeable = self._changeable_obligations(self.existing.values())
        self.active = {
            (p.obligation_id, p.first_due_on): p.monthly_amount
            for p in PaymentPlan.objects.filter(obligation__in=list(self.existing.values()), replaced_at__isnull=True)
        }

    def check(self, values):
        kind = parse_kind(values["kind"])
        monthly = self.parse_decimal(values["monthly_amount"], "monthly_amount")
        first = self.parse_date(values["first_due_on"], "first_due_on")
        if monthly <= 0:
            raise RowError({"monthly_amount": "The monthly amount must be more than zero."})
        obligation = self.existing.get((values["court"], values["case_number"], kind))
        if obligation is None:
            raise RowError({"case_number": f"No {kind} obligation is recorded on this case."})
        if obligation.pk not in self.changeable:
            raise RowError({"case_number": "This obligation belongs to a person you cannot update."})
        if obligation.status != ObligationStatus.OPEN:
            raise RowError({"kind": f"This obligation is {obligation.get_status_display().lower()}."})
        if self.active.get((obligation.pk, first)) == monthly:
            return "ignore", None
        return "create", {"obligation": obligation, "monthly_amount": monthly, "first_due_on": first}

    def apply(self, payload):
        if payload is None:
            return None
        return services.plan_create(user=self.user, **payload)


@register_importer
class PaymentImporter(_RestitutionImporter):
    """Payments received elsewhere (court clerk, inmate accounts, payroll). A receipt posts once.

    Built for files of 100,000 rows: every lookup is loaded once, and the checked rows are posted
    together by ``services.payments_post_bulk`` (the same allocation and rules as posting one at a
    time, under the same locks). The dry run works out the allocations in memory and writes nothing."""

    kind = "payments"
    label = "Restitution payments"
    columns = ["receipt_number", "doc_id", "amount", "received_on", "method", "court", "case_number", "kind"]
    required = {"receipt_number", "doc_id", "amount", "received_on", "method"}
    help_text = (
        "method is money_order, cashiers_check, electronic, inmate_account or payroll_deduction. Leave court, "
        "case_number and kind blank to allocate by priority (restitution, then CVCF, then other). A receipt number "
        "already posted is reported and not posted again."
    )
    model = Payment
    key_column = "receipt_number"
    # Where a rule of posting is shown (``services.payment_rule_errors`` names the model's fields).
    field_columns = {"obligation": "kind"}

    @classmethod
    def allowed(cls, user) -> bool:
        return user is None or can(user, Payment, ADD)

    def key(self, values):
        return values.get("receipt_number") or None

    def prepare(self, rows):
        receipts = {r.get("receipt_number", "") for r in rows} - {""}
        doc_ids = {r.get("doc_id", "") for r in rows} - {""}
        self.posted = {
            receipt: (doc_id, amount)
            for receipt, doc_id, amount in Payment.objects.filter(receipt_number__any=receipts).values_list(
                "receipt_number", "offender__doc_id", "amount"
            )
        }
        self.offenders = dict(Offender.objects.filter(doc_id__any=doc_ids).values_list("doc_id", "pk"))
        self.changeable = self._offender_ids_changeable(doc_ids)
        self.obligations = self._named(rows)

    def _named(self, rows) -> dict:
        """The obligations the rows name, keyed by (court, case_number, kind), as (pk, offender_id, status)."""
        pairs = _case_pairs(rows)
        if not pairs:
            return {}
        found = Obligation.objects.filter(case__case_number__any={number for _, number in pairs}).values_list(
            "case__court", "case__case_number", "kind", "pk", "offender_id", "status"
        )
        return {
            (court, number, kind): Named(pk, offender_id, status)
            for court, number, kind, pk, offender_id, status in found
            if (court, number) in pairs
        }

    def check(self, values):
        errors = {}
        parsed = {}
        for column, parse in (("amount", self.parse_decimal), ("received_on", self.parse_date)):
            try:
                parsed[column] = parse(values[column], column)
            except RowError as exc:
                errors.update(exc.errors)
        if parsed.get("amount") is not None and parsed["amount"] <= 0:
            errors["amount"] = "The amount must be more than zero."
        method = METHODS.get(values["method"].strip().lower())
        if method is None:
            errors["method"] = f"'{values['method']}' is not one of: {', '.join(PaymentMethod.values)}."
        receipt = values["receipt_number"].strip()
        if len(receipt) > RECEIPT_LENGTH:
            errors["receipt_number"] = f"A receipt number has at most {RECEIPT_LENGTH} characters."
        posted = self.posted.get(receipt)
        if posted is not None and not errors:
            if posted == (values["doc_id"], parsed["amount"]):
                return "ignore", None
            raise RowError({"receipt_number": f"Receipt {receipt} was already posted for another payment."})
        offender = self.offenders.get(values["doc_id"])
        if offender is None:
            errors["doc_id"] = f"No person has the DOC ID {values['doc_id']}."
        elif values["doc_id"] not in self.changeable:
            errors["doc_id"] = "This DOC ID belongs to a person you cannot update."
        named = None
        target = [values.get("court", ""), values.get("case_number", ""), values.get("kind", "")]
        if any(target):
            if not all(target):
                errors["case_number"] = "Give court, case_number and kind together, or none of them."
            else:
                try:
                    named = self.obligations.get((target[0], target[1], parse_kind(target[2])))
                except RowError as exc:
                    errors.update(exc.errors)
                else:
                    if named is None:
                        errors["case_number"] = f"No {target[2]} obligation is recorded on this case."
                    elif offender is not None and named.offender_id != offender:
                        errors["case_number"] = "This obligation belongs to another person."
                    elif named.status != ObligationStatus.OPEN:
                        errors["kind"] = f"This obligation is {ObligationStatus(named.status).label.lower()}."
        if errors:
            raise RowError(errors)
        return "create", services.PaymentIn(
            offender_id=offender,
            amount=quantize(parsed["amount"]),
            received_on=parsed["received_on"],
            method=method,
            receipt_number=receipt,
            obligation_id=named.pk if named else None,
        )

    def apply_rows(self, checked, *, commit, progress):
        posts = [(row, payload) for row, payload in checked if payload is not None]
        errors, ids = services.payments_post_bulk(
            [payload for _, payload in posts], entered_by=self.user, commit=commit, progress=progress
        )
        for index, problems in errors.items():
            row = posts[index][0]
            for name, message in problems.items():
                row.add(self.field_columns.get(name, name), message)
        return {row.line: pk for (row, _), pk in zip(posts, ids, strict=False)}

    def scope_errors(self, saved):
        """``saved`` holds the new payments' ids (``apply_rows``): each must be the user's to change."""
        if self.user is None or not saved:
            return {}
        allowed = set(
            Payment.objects.restrict(self.user, CHANGE).filter(pk__in=list(saved.values())).values_list("pk", flat=True)
        )
        return {line: "This record would be outside your scope." for line, pk in saved.items() if pk not in allowed}


@register_importer
class ReversalImporter(_RestitutionImporter):
    """Corrections: each row reverses the payment with that receipt number."""

    kind = "reversals"
    label = "Restitution payment reversals"
    columns = ["receipt_number", "reversed_on", "reason"]
    required = set(columns)
    help_text = "A payment already reversed is reported and not reversed again."
    model = PaymentReversal

    @classmethod
    def allowed(cls, user) -> bool:
        return user is None or can(user, PaymentReversal, ADD)

    def key(self, values):
        return values.get("receipt_number") or None

    def prepare(self, rows):
        receipts = {r.get("receipt_number", "") for r in rows} - {""}
        payments = Payment.objects.filter(receipt_number__in=receipts).select_related("reversal")
        self.payments = {p.receipt_number: p for p in payments}
        changeable = Payment.objects.filter(receipt_number__in=receipts)
        if self.user is not None:
            changeable = changeable.restrict(self.user, CHANGE)
        self.changeable = set(changeable.values_list("receipt_number", flat=True))

    def check(self, values):
        reversed_on = self.parse_date(values["reversed_on"], "reversed_on")
        payment = self.payments.get(values["receipt_number"].strip())
        if payment is None:
            raise RowError({"receipt_number": f"No payment has the receipt number {values['receipt_number']}."})
        if payment.receipt_number not in self.changeable:
            raise RowError({"receipt_number": "This payment belongs to a person you cannot update."})
        if hasattr(payment, "reversal"):
            return "ignore", None
        return "reverse", {"payment": payment, "reversed_on": reversed_on, "reason": values["reason"]}

    def apply(self, payload):
        if payload is None:
            return None
        return services.payment_reverse(entered_by=self.user, **payload)
