"""CSV imports: a dry-run preview with every row's errors by column, then an all-or-nothing commit.

An importer declares its columns, checks one row at a time against lookups it loads once
(``prepare``), and applies a checked row with services. ``import_run`` applies every row inside
one transaction even for a preview and rolls back unless it was asked to commit and nothing failed,
so a preview finds every error a commit would meet (database constraints and scope included).

Apps register importers from their ``importers.py`` (or ``registrations.py``) with ``register_importer``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction

from core.choices import OffenderStatus
from core.models import District, Facility, Offender, User
from core.querysets import ADD, CHANGE, can
from core.validators import control_character_message

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
    # Where a model field's validation error is shown, when the column is named otherwise.
    field_columns: ClassVar[dict[str, str]] = {}
    # The column that holds a row's identity (see ``key``): where a duplicate is reported.
    key_column: ClassVar[str] = ROW
    # A file of protected data (victims' contact): kept between preview and commit only as ``seal``
    # makes it (encrypted by the app), and its preview shown only to users the importer allows.
    sensitive: ClassVar[bool] = False

    def __init__(self, user=None):
        # user None means the command line: the server's operator, not scoped.
        self.user = user

    @classmethod
    def allowed(cls, user) -> bool:
        return user is None or can(user, cls.model, ADD) or can(user, cls.model, CHANGE)

    @classmethod
    def seal(cls, content: str) -> str:
        """The file as the ImportBatch keeps it until the commit (as it is, unless overridden)."""
        return content

    @classmethod
    def unseal(cls, stored: str) -> str:
        return stored

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


EXTRA = object()  # DictReader's key for values beyond the header's columns
NOT_TEXT = "The file is not text: save it as CSV (UTF-8)."


def decode_csv(raw: bytes) -> str:
    """A CSV file's text, however a spreadsheet saved it: UTF-8 with or without a byte order mark,
    UTF-16 (Excel's "Unicode text") with or without one, else Windows-1252. ``ValueError`` when the
    bytes are none of these."""
    try:
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return raw.decode("utf-16")
        if raw.startswith(codecs.BOM_UTF8):
            return raw.decode("utf-8-sig")
        # UTF-16 without a mark: text in the Latin alphabet has a NUL byte beside every letter.
        if len(raw) >= 4 and raw[1] == 0 and raw[3] == 0 and raw[0] and raw[2]:
            return raw.decode("utf-16-le")
        if len(raw) >= 4 and raw[0] == 0 and raw[2] == 0 and raw[1] and raw[3]:
            return raw.decode("utf-16-be")
    except UnicodeDecodeError:
        raise ValueError(NOT_TEXT) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise ValueError(NOT_TEXT) from None


def _read(content: str) -> tuple[list[str], list[tuple[int, dict[str, str], int]]]:
    """The header and each row: its line in the file, its values, how many values it has beyond the header."""
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")), restkey=EXTRA)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    rows = []
    for raw in reader:
        extra = [v for v in raw.pop(EXTRA, []) if v.strip()]
        # line_num counts the file's lines, so blank lines and quoted line breaks keep the numbers true.
        rows.append((reader.line_num, {k: (v or "").strip() for k, v in raw.items()}, len(extra)))
        if len(rows) > MAX_ROWS:
            break
    return header, rows


def _add_validation_error(result: RowResult, exc: ValidationError, importer: Importer):
    """Show each of a model's errors under the column it came from (``field_columns`` maps the names)."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            result.add(ROW, message)
        return
    for name, errors in exc.message_dict.items():
        column = importer.field_columns.get(name, name)
        if column in importer.columns:
            result.add(column, "; ".join(errors))
        elif name == NON_FIELD_ERRORS:
            result.add(ROW, "; ".join(errors))
        else:
            result.add(ROW, f"{name}: " + "; ".join(errors))


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
    twice = sorted({c for c in header if c and header.count(c) > 1})
    if twice:
        result.file_errors.append("Column(s) named twice: " + ", ".join(twice) + ".")
    if not rows:
        result.file_errors.append("The file has no rows.")
    if len(rows) > MAX_ROWS:
        result.file_errors.append(f"The file has more than {MAX_ROWS:,} rows; split it.")
    if result.file_errors:
        return result

    seen: dict[str, int] = {}
    for line, values, extra in rows:
        row = RowResult(line=line, values=values)
        result.rows.append(row)
        if extra:
            # An unquoted comma inside a value shifts every value after it.
            row.add(ROW, f"The row has {extra} value(s) more than the header has columns; quote values with commas.")
        for column, value in values.items():
            # PostgreSQL refuses NUL in text, and no control character is ever meant: report them before
            # any query sees them, under their column.
            if "\x00" in value:
                row.add(column, "Contains a NUL character.")
            elif message := control_character_message(value):
                row.add(column, message)
        if row.errors:
            continue
        for column in importer.required:
            if not values.get(column):
                row.add(column, "Required.")
        key = importer.key(values)
        if key is not None:
            if key in seen:
                row.add(importer.key_column, f"The same record is on line {seen[key]}.")
            seen.setdefault(key, line)

    importer.prepare([r.values for r in result.rows if not r.errors])
    checked: list[tuple[RowResult, object]] = []
    for row in result.rows:
        if row.errors:
            continue
        values = row.values
        try:
            row.action, payload = importer.check(values)
        except RowError as exc:
            for column, message in exc.errors.items():
                row.add(column, message)
            continue
        except ValidationError as exc:
            _add_validation_error(row, exc, importer)
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
                _add_validation_error(row, exc, importer)
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
    field_columns = {
        "facility": "facility_code",
        "district": "district_number",
        "supervising_officer": "officer_username",
    }
    key_column = "doc_id"

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
        from core.services import offender_save

        # check() ran full_clean; the service emits the events of what the row changed.
        return offender_save(offender=offender, user=self.user, clean=False)
