"""CSV imports: a dry-run preview with every row's errors by column, then an all-or-nothing commit.

An importer declares its columns, checks one row at a time against lookups it loads once
(``prepare``), and applies the checked rows (``apply_rows``). By default each row is applied with
the app's services inside one transaction, even for a preview, which is rolled back unless it was
asked to commit and nothing failed: so a preview finds every error a commit would meet (database
constraints and scope included). An importer of large files (the payments import) overrides
``apply_rows`` to post the whole file at once, and on a dry run only works out in memory what the
commit would write, under the same rules: its preview is cheaper than its commit.

Uploads are kept as an ``ImportBatch``: the dry run's findings are stored on it once
(``import_batch_create``), and a file of more than ``settings.IMPORT_BACKGROUND_ROWS`` rows is
checked and committed by a Celery task that writes its progress on the batch (``import_batch_work``).

Apps register importers from their ``importers.py`` (or ``registrations.py``) with ``register_importer``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from core.choices import ImportStatus, OffenderStatus
from core.models import District, Facility, ImportBatch, Offender, User
from core.querysets import ADD, CHANGE, can
from core.validators import control_character_message

log = logging.getLogger(__name__)

ROW = "__row__"  # the error key for a problem with the row as a whole
PREVIEW_ROWS = 500  # rows kept in a stored preview: the rows with errors first, else the file's first rows

# progress(done, total, note): how far a long import has gone (a no-op unless a task reports it).
Progress = Callable[[int, int, str], None]


def _no_progress(done: int, total: int, note: str) -> None:
    return None


class RowError(Exception):
    """Raised by an importer with ``{column: message}`` for one row."""

    def __init__(self, errors: dict[str, str] | str):
        self.errors = errors if isinstance(errors, dict) else {ROW: errors}
        super().__init__(str(self.errors))


@dataclass(slots=True)
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
            if r.action and not r.errors:
                out[r.action] = out.get(r.action, 0) + 1
        return out

    def preview(self) -> dict:
        """What the preview page shows, as stored on the batch: counts, file errors, and up to
        ``PREVIEW_ROWS`` rows (every row of a short file; of a longer one, the rows with errors, or
        without errors its first rows)."""
        bad = [r for r in self.rows if r.errors]
        shown = (bad if bad and len(self.rows) > PREVIEW_ROWS else self.rows)[:PREVIEW_ROWS]
        return {
            "file_errors": self.file_errors,
            "row_count": len(self.rows),
            "error_rows": len(bad),
            "counts": self.counts(),
            "committed": self.committed,
            "shown": "errors" if bad and len(self.rows) > PREVIEW_ROWS else "rows",
            "rows": [{"line": r.line, "values": r.values, "errors": r.errors, "action": r.action} for r in shown],
        }


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

    def apply_rows(self, checked: list[tuple[RowResult, object]], *, commit: bool, progress: Progress) -> dict:
        """Write the checked rows inside ``import_run``'s transaction (rolled back for a dry run), each
        in a savepoint; a row that fails gets its errors. Returns the saved objects by line.

        An importer of large files overrides this to write the whole file at once and, when ``commit``
        is false, to find in memory what the commit would meet without writing."""
        saved: dict[int, object] = {}
        for done, (row, payload) in enumerate(checked, 1):
            try:
                with transaction.atomic():
                    obj = self.apply(payload)
            except (RowError, ValidationError, DatabaseError) as exc:
                add_row_error(row, exc, self)
            else:
                if obj is not None and getattr(obj, "pk", None):
                    saved[row.line] = obj
            if done % 1000 == 0:
                progress(done, len(checked), f"Applied {done:,} of {len(checked):,} rows")
        return saved

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
    return header, rows


def add_row_error(row: RowResult, exc: Exception, importer: Importer) -> None:
    """Record why a row failed, under its column where the error names one."""
    if isinstance(exc, RowError):
        for column, message in exc.errors.items():
            row.add(column, message)
    elif isinstance(exc, ValidationError):
        _add_validation_error(row, exc, importer)
    else:
        row.add(ROW, f"The database refused this row: {exc}".splitlines()[0][:300])


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


def import_run(
    *, kind: str, content: str, user=None, commit: bool = False, progress: Progress = _no_progress
) -> ImportResult:
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
    if result.file_errors:
        return result
    total = len(rows)
    progress(0, total, f"Read {total:,} rows")

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
    progress(0, total, "Checking the rows")
    checked: list[tuple[RowResult, object]] = []
    for done, row in enumerate(result.rows, 1):
        if done % 5000 == 0:
            progress(done, total, f"Checked {done:,} of {total:,} rows")
        if row.errors:
            continue
        try:
            row.action, payload = importer.check(row.values)
        except (RowError, ValidationError) as exc:
            add_row_error(row, exc, importer)
            continue
        checked.append((row, payload))

    # Apply inside one transaction; roll back unless committing a clean file.
    with transaction.atomic():
        progress(total, total, "Posting the rows" if commit else "Working out what a commit would write")
        saved = importer.apply_rows(checked, commit=commit and result.ok, progress=progress)
        by_line = {r.line: r for r in result.rows}
        for line, message in importer.scope_errors(saved).items():
            by_line[line].add(ROW, message)
        if commit and result.ok:
            result.committed = True
        else:
            transaction.set_rollback(True)
    return result


# Batches: an upload kept from its preview to its commit -----------------------------------------


def background(row_count: int) -> bool:
    """Whether a file of this many rows is checked and committed by a worker rather than in the request."""
    return row_count > settings.IMPORT_BACKGROUND_ROWS


def _estimate_rows(content: str) -> int:
    return max(0, content.count("\n") - 1 + (0 if content.endswith("\n") else 1))


def preview_data(batch: ImportBatch) -> dict | None:
    """The stored findings of the batch's last dry run or commit, unsealed; None before the first.
    (A batch previewed before findings were stored is checked once, now.)"""
    if not batch.preview and batch.status == ImportStatus.PREVIEWED:
        _check(batch)
    if not batch.preview:
        return None
    return json.loads(IMPORTERS[batch.kind].unseal(batch.preview))


def _store(batch: ImportBatch, result: ImportResult, **fields) -> None:
    """Write the result's findings on the batch, unless it left the step it was in (discarded meanwhile)."""
    fields.update(
        preview=IMPORTERS[batch.kind].seal(json.dumps(result.preview())),
        row_count=len(result.rows),
        error_count=result.error_count,
        progress=100,
        progress_note="",
        started_at=None,
    )
    updated = ImportBatch.objects.filter(pk=batch.pk, status=batch.status).update(**fields)
    if updated:
        for name, value in fields.items():
            setattr(batch, name, value)


def _progress_writer(batch_id: int, start: int, end: int) -> Progress:
    """A progress callback that writes ``start``..``end`` percent on the batch (at most every 2%)."""
    last = [-1]

    def write(done: int, total: int, note: str) -> None:
        percent = start + int((end - start) * min(done, total) / total) if total else start
        if percent - last[0] >= 2 or not done:
            last[0] = percent
            ImportBatch.objects.filter(pk=batch_id, status__in=(ImportStatus.CHECKING, ImportStatus.COMMITTING)).update(
                progress=percent, progress_note=note[:200]
            )

    return write


def _run(batch: ImportBatch, *, commit: bool, progress: Progress) -> ImportResult:
    """The batch's file, checked (and with ``commit`` applied) as its uploader."""
    content = IMPORTERS[batch.kind].unseal(batch.content)
    return import_run(kind=batch.kind, content=content, user=batch.uploaded_by, commit=commit, progress=progress)


def _check(batch: ImportBatch, progress: Progress = _no_progress) -> ImportResult:
    result = _run(batch, commit=False, progress=progress)
    _store(batch, result, status=ImportStatus.PREVIEWED)
    return result


def _commit(batch: ImportBatch, progress: Progress = _no_progress) -> ImportResult:
    """Apply the file as its uploader; a file that meets errors now (the data changed since the
    preview) changes nothing and goes back to its preview with those errors."""
    result = _run(batch, commit=True, progress=progress)
    if result.committed:
        _store(batch, result, status=ImportStatus.COMMITTED, committed_at=timezone.now())
    else:
        _store(batch, result, status=ImportStatus.PREVIEWED)
    return result


def _queue(batch: ImportBatch) -> None:
    from core.tasks import import_batch_task

    transaction.on_commit(lambda: import_batch_task.delay(batch.pk))


@transaction.atomic
def import_batch_create(*, user, kind: str, filename: str, content: str) -> ImportBatch:
    """Keep an uploaded file and run its dry run once: now for a small file, by a worker for a large one."""
    importer = IMPORTERS[kind]
    if not importer.allowed(user):
        raise ValidationError(f"You cannot import {importer.label.lower()}.")
    rows = _estimate_rows(content)
    batch = ImportBatch.objects.create(
        kind=kind,
        filename=filename[:255],
        content=importer.seal(content),
        uploaded_by=user,
        status=ImportStatus.CHECKING,
        row_count=rows,
        progress_note="Waiting for a worker",
    )
    if background(rows):
        _queue(batch)
    else:
        _check(batch)
    return batch


def import_batch_commit(*, batch: ImportBatch, user) -> ImportResult | None:
    """Commit a previewed file as its uploader: at once for a small file (the result is returned),
    by a worker for a large one (None; the batch shows its progress). Raises ``ValidationError``
    when the file was already handled, ``PermissionError`` for anyone but the uploader."""
    with transaction.atomic():
        # The lock makes a double-submitted commit apply the file once.
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.uploaded_by_id != user.pk:
            # Those who may read another's upload (administrators, auditors) do not commit it.
            raise PermissionError("Only the person who uploaded a file commits it.")
        if locked.status != ImportStatus.PREVIEWED:
            raise ValidationError("This file was already handled.")
        if background(locked.row_count):
            locked.status = ImportStatus.COMMITTING
            locked.progress, locked.progress_note, locked.started_at = 0, "Waiting for a worker", None
            locked.save(update_fields=["status", "progress", "progress_note", "started_at"])
            _queue(locked)
            return None
        locked.status = ImportStatus.COMMITTING  # rolled back with the rest if the commit raises
        locked.save(update_fields=["status"])
        return _commit(locked)


def import_batch_discard(*, batch: ImportBatch) -> bool:
    """Reject a file not yet committed (a check still running is abandoned: its findings are not stored)."""
    return bool(
        ImportBatch.objects.filter(pk=batch.pk, status__in=(ImportStatus.PREVIEWED, ImportStatus.CHECKING)).update(
            status=ImportStatus.REJECTED, progress_note=""
        )
    )


def import_batch_work(*, batch_id: int) -> ImportBatch | None:
    """The worker's step for a large file: its dry run or its commit. Idempotent: the step is claimed
    with a conditional update, so a task delivered twice runs it once."""
    claimed = ImportBatch.objects.filter(
        pk=batch_id, status__in=(ImportStatus.CHECKING, ImportStatus.COMMITTING), started_at__isnull=True
    ).update(started_at=timezone.now(), progress=1, progress_note="Starting")
    if not claimed:
        return None
    batch = ImportBatch.objects.select_related("uploaded_by").get(pk=batch_id)
    try:
        if batch.status == ImportStatus.CHECKING:
            _check(batch, _progress_writer(batch_id, 2, 95))
        else:
            _commit(batch, _progress_writer(batch_id, 2, 95))
    except Exception as exc:
        importer = IMPORTERS.get(batch.kind)
        if importer is not None and importer.sensitive:
            # A message may quote a row's values (a database error names the key): keep only its kind.
            log.error("Import batch %s failed: %s", batch_id, type(exc).__name__)
            error = f"{type(exc).__name__} (the message is not kept: the file holds protected data)"
        else:
            log.exception("Import batch %s failed", batch_id)
            error = traceback.format_exc()[-4000:]
        ImportBatch.objects.filter(pk=batch_id, status=batch.status).update(
            status=ImportStatus.FAILED, progress_note="Failed", error=error
        )
    batch.refresh_from_db()
    return batch


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
