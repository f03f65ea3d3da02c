"""CSV imports: a dry-run preview with every row's errors by column, then an all-or-nothing commit.

An importer declares its columns, checks one row at a time against lookups it loads once
(``prepare``), and applies a checked row with services. ``import_run`` applies every row inside
one transaction even for a preview and rolls back unless it was asked to commit and nothing failed,
so a preview finds every error a commit would meet (database constraints and scope included).

Apps register importers from their ``importers.py`` (or ``reports.py``) with ``register_importer``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from core.choices import OffenderStatus
from core.models import District, Facility, Offender, User
from core.querysets import ADD, CHANGE, can

MAX_ROWS = 50_000
ROW = "__row__"  # the error key for a problem with the row as a whole


class RowError(Exception):
    """Raised by an importer with ``{column: message}`` for one row."""

    def __init__(self, errors: dict[str, str] | str):
        self.errors = errors if isinstance(errors, dict) else {ROW: errors}
        super().__init__(str(self.errors))


@dataclass
class RowResult:
    line: int
    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    action: str = ""

    def add(self, column: str, message: str):
        self.errors.setdefault(column, []).append(message)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def row_errors(self) -> list[str]:
        return self.errors.get(ROW, [])


@dataclass
class ImportResult:
    kind: str
    columns: list[str]
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    committed: bool = False

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(1 for r in self.rows if r.errors)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.rows:
            if r.action:
                out[r.action] = out.get(r.action, 0) + 1
        return out


class Importer:
    """One kind of CSV file. Subclasses set ``kind``, ``label``, ``columns`` and ``model``."""

    kind: ClassVar[str]
    label: ClassVar[str]
    columns: ClassVar[list[str]]
    required: ClassVar[set[str]] = set()
    model: ClassVar[type]
    help_text: ClassVar[str] = ""

    def __init__(self, user=None):
        # user None means the command line: the server's operator, not scoped.
        self.user = user

    @classmethod
    def allowed(cls, user) -> bool:
        return user is None or can(user, cls.model, ADD) or can(user, cls.model, CHANGE)

    def prepare(self, rows: list[dict[str, str]]) -> None:
        """Load every lookup the rows need, once."""

    def check(self, values: dict[str, str]) -> tuple[str, object]:
        """Validate one row without writing; return (action, payload) or raise RowError."""
        raise NotImplementedError

    def apply(self, payload) -> object:
        """Write one checked row; may raise RowError or ValidationError. Returns the saved object."""
        raise NotImplementedError

    def key(self, values: dict[str, str]) -> str | None:
        """A row's identity, so the same record twice in one file is reported."""
        return None

    def scope_errors(self, saved: dict[int, object]) -> dict[int, str]:
        """After applying: the rows whose result the user may not hold. ``saved`` maps line to object."""
        if self.user is None or not saved:
            return {}
        allowed = set(
            self.model.objects.restrict(self.user, CHANGE)
            .filter(pk__in=[o.pk for o in saved.values()])
            .values_list("pk", flat=True)
        )
        return {line: "This record would be outside your scope." for line, o in saved.items() if o.pk not in allowed}

    # Parsing helpers for subclasses -----------------------------------------------------------
    @staticmethod
    def parse_date(value: str, column: str) -> dt.date:
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise RowError({column: f"'{value}' is not a date as YYYY-MM-DD."}) from None

    @staticmethod
    def parse_decimal(value: str, column: str, places: int = 2) -> Decimal:
        try:
            number = Decimal(value.strip().replace(",", "").lstrip("$"))
        except InvalidOperation:
            raise RowError({column: f"'{value}' is not a number."}) from None
        if not number.is_finite() or number.as_tuple().exponent < -places:
            raise RowError({column: f"'{value}' has more than {places} decimal places."})
        return number

    @staticmethod
    def parse_int(value: str, column: str) -> int:
        try:
            return int(value.strip())
        except ValueError:
            raise RowError({column: f"'{value}' is not a whole number."}) from None


IMPORTERS: dict[str, type[Importer]] = {}


def register_importer(cls: type[Importer]) -> type[Importer]:
    IMPORTERS[cls.kind] = cls
    return cls


def importers_for(user) -> list[type[Importer]]:
    return [cls for cls in IMPORTERS.values() if cls.allowed(user)]


def _read(content: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    rows = []
    for raw in reader:
        rows.append({k: (v or "").strip() for k, v in raw.items() if k is not None})
        if len(rows) > MAX_ROWS:
            break
    return header, rows


def _add_validation_error(result: RowResult, exc: ValidationError, columns: list[str]):
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            result.add(
                name if name in columns else ROW,
                "; ".join(errors) if name in columns else f"{name}: " + "; ".join(errors),
            )
    else:
        for message in exc.messages:
            result.add(ROW, message)


def import_run(*, kind: str, content: str, user=None, commit: bool = False) -> ImportResult:
    """Check (and with ``commit`` apply) a CSV file. Nothing is written unless every row is good."""
    if kind not in IMPORTERS:
        raise KeyError(kind)
    importer = IMPORTERS[kind](user)
    result = ImportResult(kind=kind, columns=list(importer.columns))
    try:
        header, rows = _read(content)
    except csv.Error as exc:
        result.file_errors.append(f"The file is not readable CSV: {exc}.")
        return result
    missing = [c for c in importer.columns if c not in header]
    if missing:
        result.file_errors.append("Missing column(s): " + ", ".join(missing) + ".")
    unknown = [c for c in header if c and c not in importer.columns]
    if unknown:
        result.file_errors.append("Unknown column(s): " + ", ".join(unknown) + ".")
    if not rows:
        result.file_errors.append("The file has no rows.")
    if len(rows) > MAX_ROWS:
        result.file_errors.append(f"The file has more than {MAX_ROWS:,} rows; split it.")
    if result.file_errors:
        return result

    importer.prepare(rows)
    checked: list[tuple[RowResult, object]] = []
    seen: dict[str, int] = {}
    for index, values in enumerate(rows, start=2):  # line 1 is the header
        row = RowResult(line=index, values=values)
        result.rows.append(row)
        for column in importer.required:
            if not values.get(column):
                row.add(column, "Required.")
        key = importer.key(values)
        if key is not None:
            if key in seen:
                row.add(ROW, f"The same record is on line {seen[key]}.")
            seen.setdefault(key, index)
        if row.errors:
            continue
        try:
            row.action, payload = importer.check(values)
        except RowError as exc:
            for column, message in exc.errors.items():
                row.add(column, message)
            continue
        except ValidationError as exc:
            _add_validation_error(row, exc, result.columns)
            continue
        checked.append((row, payload))

    # Apply inside one transaction; roll back unless committing a clean file.
    with transaction.atomic():
        saved: dict[int, object] = {}
        for row, payload in checked:
            try:
                with transaction.atomic():
                    obj = importer.apply(payload)
            except RowError as exc:
                for column, message in exc.errors.items():
                    row.add(column, message)
            except ValidationError as exc:
                _add_validation_error(row, exc, result.columns)
            except DatabaseError as exc:
                row.add(ROW, f"The database refused this row: {exc}".splitlines()[0][:300])
            else:
                if obj is not None and getattr(obj, "pk", None):
                    saved[row.line] = obj
        for line, message in importer.scope_errors(saved).items():
            next(r for r in result.rows if r.line == line).add(ROW, message)
        if commit and result.ok:
            result.committed = True
        else:
            transaction.set_rollback(True)
    return result


# Core's own importer: the offender roster ------------------------------------------------------


@register_importer
class OffenderImporter(Importer):
    """The offender roster; re-importing a file updates the people it names (by DOC ID)."""

    kind = "offenders"
    label = "Offender roster"
    columns = [
        "doc_id",
        "last_name",
        "first_name",
        "date_of_birth",
        "status",
        "facility_code",
        "district_number",
        "officer_username",
    ]
    required = {"doc_id", "last_name", "first_name", "date_of_birth", "status"}
    help_text = (
        "status is incarcerated, supervised or discharged. An incarcerated person needs facility_code; "
        "a supervised person needs district_number. officer_username is the supervising officer's sign-in name."
    )

    model = Offender

    def key(self, values):
        return values.get("doc_id") or None

    def prepare(self, rows):
        codes = {r.get("facility_code", "").upper() for r in rows} - {""}
        numbers = {r.get("district_number", "") for r in rows} - {""}
        usernames = {r.get("officer_username", "") for r in rows} - {""}
        doc_ids = {r.get("doc_id", "") for r in rows} - {""}
        self.facilities = {f.code: f for f in Facility.objects.filter(code__in=codes)}
        self.districts = {
            str(d.number): d for d in District.objects.filter(number__in=[n for n in numbers if n.isdigit()])
        }
        self.officers = {u.username: u for u in User.objects.filter(username__in=usernames)}
        self.existing = {o.doc_id: o for o in Offender.objects.filter(doc_id__in=doc_ids)}
        if self.user is not None:
            self.changeable = set(
                Offender.objects.restrict(self.user, CHANGE).filter(doc_id__in=doc_ids).values_list("doc_id", flat=True)
            )

    def check(self, values):
        errors = {}
        status = values["status"].lower()
        if status not in OffenderStatus.values:
            errors["status"] = f"'{values['status']}' is not one of: {', '.join(OffenderStatus.values)}."
        facility = district = officer = None
        if values.get("facility_code"):
            facility = self.facilities.get(values["facility_code"].upper())
            if facility is None:
                errors["facility_code"] = f"No facility has the code '{values['facility_code']}'."
        if values.get("district_number"):
            district = self.districts.get(values["district_number"])
            if district is None:
                errors["district_number"] = f"No district is numbered '{values['district_number']}'."
        if values.get("officer_username"):
            officer = self.officers.get(values["officer_username"])
            if officer is None:
                errors["officer_username"] = f"No user is named '{values['officer_username']}'."
        try:
            born = self.parse_date(values["date_of_birth"], "date_of_birth")
        except RowError as exc:
            errors.update(exc.errors)
            born = None
        if errors:
            raise RowError(errors)
        existing = self.existing.get(values["doc_id"])
        if existing is not None and self.user is not None and values["doc_id"] not in self.changeable:
            raise RowError({"doc_id": "This DOC ID belongs to a person you cannot update."})
        offender = existing or Offender(doc_id=values["doc_id"])
        offender.last_name = values["last_name"]
        offender.first_name = values["first_name"]
        offender.date_of_birth = born
        offender.status = status
        offender.facility = facility
        offender.district = district
        offender.supervising_officer = officer
        offender.full_clean()
        return ("update" if existing else "create"), offender

    def apply(self, offender):
        if self.user is not None:
            offender._history_user = self.user
        offender.save()
        return offender
