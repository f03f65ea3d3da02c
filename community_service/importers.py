"""CSV imports: ``cs_orders`` (court orders of hours) and ``cs_hours`` (hour logs; credited only with the
verifier named). Each row goes through the services, so every rule of the pages applies."""

from __future__ import annotations

import datetime as dt

from core.imports import Importer, RowError, register_importer
from core.models import CourtCase, Offender

from . import services
from .choices import LogSource, OrderSource, OrderStatus, VerificationMethod
from .models import HourLog, Order, Placement

YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


def _bool(value: str, column: str) -> bool:
    text = value.strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise RowError({column: f"'{value}' is not yes or no."})


@register_importer
class OrderImporter(Importer):
    """Orders of community service hours from the courts' lists. The person and the case must exist."""

    kind = "cs_orders"
    label = "Community service orders"
    model = Order
    columns = [
        "doc_id",
        "court",
        "case_number",
        "hours_ordered",
        "ordered_on",
        "due_on",
        "source",
        "fine_rate",
        "minors_barred",
    ]
    required = {"doc_id", "court", "case_number", "hours_ordered", "ordered_on", "due_on"}
    field_columns = {"case": "case_number", "offender": "doc_id"}
    help_text = (
        "One row per order. source is court (the default), board or fine; fine_rate (dollars an hour) only for "
        "fine; minors_barred yes or no. An order already recorded (same case, hours and order date) is ignored."
    )

    def key(self, values):
        return "|".join(
            values.get(c, "").strip().lower() for c in ("court", "case_number", "hours_ordered", "ordered_on")
        )

    def prepare(self, rows):
        doc_ids = {r.get("doc_id", "").strip() for r in rows}
        people = Offender.objects.filter(doc_id__in=doc_ids)
        self.people = {o.doc_id: o for o in people}
        self.cases = {
            (c.court.lower(), c.case_number.lower()): c for c in CourtCase.objects.filter(offender__in=people)
        }
        self.existing = set(
            Order.objects.filter(offender__in=people).values_list("case_id", "hours_ordered", "ordered_on")
        )

    def check(self, values):
        errors, parsed = {}, {}
        person = self.people.get(values["doc_id"].strip())
        if person is None:
            errors["doc_id"] = f"No person has the DOC ID '{values['doc_id']}'."
        case = self.cases.get((values["court"].strip().lower(), values["case_number"].strip().lower()))
        if person is not None and (case is None or case.offender_id != person.pk):
            errors["case_number"] = f"{person.full_name} has no case {values['case_number']} in {values['court']}."
        for column, parse in (
            ("hours_ordered", lambda v: self.parse_decimal(v, "hours_ordered")),
            ("ordered_on", lambda v: self.parse_date(v, "ordered_on")),
            ("due_on", lambda v: self.parse_date(v, "due_on")),
            ("fine_rate", lambda v: self.parse_decimal(v, "fine_rate") if v.strip() else None),
            ("minors_barred", lambda v: _bool(v, "minors_barred")),
        ):
            try:
                parsed[column] = parse(values.get(column, ""))
            except RowError as exc:
                errors.update(exc.errors)
        source = values.get("source", "").strip().lower() or OrderSource.COURT
        if source not in OrderSource.values:
            errors["source"] = f"'{values['source']}' is not court, board or fine."
        if errors:
            raise RowError(errors)
        fields = {"offender": person, "case": case, "source": source, **parsed}
        Order(**fields).clean()
        if (case.pk, parsed["hours_ordered"], parsed["ordered_on"]) in self.existing:
            return "ignore", None
        return "create", fields

    def apply(self, payload):
        if payload is None:
            return None
        return services.order_create(user=self.user, **payload)


@register_importer
class HourImporter(Importer):
    """Hours worked, from an agency's sign-in sheets. Credited only with the person who verified them named."""

    kind = "cs_hours"
    label = "Community service hours"
    model = HourLog
    columns = ["doc_id", "case_number", "agency_ein", "date", "start_time", "end_time", "hours", "task", "verified_by"]
    required = {"doc_id", "case_number", "agency_ein", "date", "task"}
    field_columns = {"order": "case_number", "placement": "agency_ein", "offender": "doc_id"}
    help_text = (
        "One row per person and shift: start_time and end_time as HH:MM, or hours (two decimals). The person "
        "must have an open order on the case and a placement at the agency (its EIN) covering the date. With "
        "verified_by (who verified them at the agency) the hours are credited; without, they wait for verification."
    )

    def key(self, values):
        return "|".join(
            values.get(c, "").strip() for c in ("doc_id", "date", "start_time", "end_time", "hours", "agency_ein")
        )

    def prepare(self, rows):
        people = Offender.objects.filter(doc_id__in={r.get("doc_id", "").strip() for r in rows})
        self.people = {o.doc_id: o for o in people}
        self.orders: dict[tuple[int, str], list[Order]] = {}
        for order in Order.objects.filter(offender__in=people, status=OrderStatus.OPEN).order_by("due_on", "pk"):
            self.orders.setdefault((order.offender_id, order.case.case_number.lower()), []).append(order)
        self.placements: dict[tuple[int, str], list[Placement]] = {}
        for place in Placement.objects.filter(offender__in=people):
            self.placements.setdefault((place.offender_id, place.agency.ein), []).append(place)

    def _time(self, value: str, column: str) -> dt.time | None:
        if not value.strip():
            return None
        try:
            return dt.time.fromisoformat(value.strip())
        except ValueError:
            raise RowError({column: f"'{value}' is not a time as HH:MM."}) from None

    def check(self, values):
        errors, parsed = {}, {}
        person = self.people.get(values["doc_id"].strip())
        if person is None:
            raise RowError({"doc_id": f"No person has the DOC ID '{values['doc_id']}'."})
        for column, parse in (
            ("date", lambda v: self.parse_date(v, "date")),
            ("start_time", lambda v: self._time(v, "start_time")),
            ("end_time", lambda v: self._time(v, "end_time")),
            ("hours", lambda v: self.parse_decimal(v, "hours") if v.strip() else None),
        ):
            try:
                parsed[column] = parse(values.get(column, ""))
            except RowError as exc:
                errors.update(exc.errors)
        orders = self.orders.get((person.pk, values["case_number"].strip().lower()))
        if not orders:
            errors["case_number"] = f"{person.full_name} has no open order on case {values['case_number']}."
        places = self.placements.get((person.pk, values["agency_ein"].strip()), [])
        day = parsed.get("date")
        place = next((p for p in places if day and p.covers(day)), None)
        if not places:
            errors["agency_ein"] = f"{person.full_name} is not placed at the agency with EIN {values['agency_ein']}."
        elif day and place is None:
            errors["agency_ein"] = f"{person.full_name}'s placement there does not cover {day:%b %-d, %Y}."
        if errors:
            raise RowError(errors)
        return "create", {
            "order": orders[0],
            "placement": place,
            "date": day,
            "start_time": parsed["start_time"],
            "end_time": parsed["end_time"],
            "hours": parsed["hours"],
            "task": values["task"].strip(),
            "verified_by": values.get("verified_by", "").strip(),
        }

    def apply(self, payload):
        if self.user is None:
            raise RowError("Import hours as a user (--user): each log records who entered it.")
        verifier = payload.pop("verified_by")
        log = services.hour_log_record(user=self.user, source=LogSource.IMPORTED, **payload)
        if verifier:
            log = services.hour_log_decide(
                log=log, approve=True, method=VerificationMethod.IMPORTED, decided_by_name=verifier, user=self.user
            )
        return log

    def scope_errors(self, saved):
        if self.user is None or not saved:
            return {}
        allowed = set(
            HourLog.objects.restrict(self.user, "add")
            .filter(pk__in=[o.pk for o in saved.values()])
            .values_list("pk", flat=True)
        )
        return {line: "This person is outside your scope." for line, o in saved.items() if o.pk not in allowed}
