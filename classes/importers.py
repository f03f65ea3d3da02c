"""CSV imports: ``class_enrollments`` (seats in an offering) and ``class_attendance`` (a roster kept on
paper). Each row goes through the services, so every rule of the pages applies (capacity, one class at a
time, make-ups, the hours of late arrivals)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from core.imports import Importer, RowError, register_importer
from core.models import Offender

from . import services
from .choices import AttendanceStatus
from .models import Attendance, Enrollment, Offering, ScheduledSession


def _offerings(rows) -> dict[tuple[str, str], Offering]:
    codes = {r.get("facility_code", "").strip().upper() for r in rows}
    return {
        (o.facility.code, o.title.strip().lower()): o
        for o in Offering.objects.filter(facility__code__in=codes).select_related("facility", "version")
    }


def _offering(importer, values, errors):
    key = (values["facility_code"].strip().upper(), values["offering_title"].strip().lower())
    offering = importer.offerings.get(key)
    if offering is None:
        errors["offering_title"] = f"No class '{values['offering_title']}' at {values['facility_code']}."
    return offering


@register_importer
class EnrollmentImporter(Importer):
    """Seats in a class, from a facility's list. The person and the class must exist."""

    kind = "class_enrollments"
    label = "Victim impact class enrollments"
    model = Enrollment
    columns = ["doc_id", "facility_code", "offering_title", "enrolled_on"]
    required = {"doc_id", "facility_code", "offering_title", "enrolled_on"}
    field_columns = {"offender": "doc_id", "offering": "offering_title", "enrolled_on": "enrolled_on"}
    key_column = "doc_id"
    help_text = (
        "One row per person: the class by its facility code and title, the date of enrollment (YYYY-MM-DD). "
        "A person already in that class is ignored; capacity and one class at a time apply."
    )

    def key(self, values):
        return "|".join(values.get(c, "").strip().lower() for c in ("doc_id", "facility_code", "offering_title"))

    def prepare(self, rows):
        self.people = {
            o.doc_id: o for o in Offender.objects.filter(doc_id__in={r.get("doc_id", "").strip() for r in rows})
        }
        self.offerings = _offerings(rows)
        self.existing = set(
            Enrollment.objects.filter(offender__in=self.people.values()).values_list("offender_id", "offering_id")
        )

    def check(self, values):
        errors = {}
        person = self.people.get(values["doc_id"].strip())
        if person is None:
            errors["doc_id"] = f"No person has the DOC ID '{values['doc_id']}'."
        offering = _offering(self, values, errors)
        try:
            enrolled_on = self.parse_date(values["enrolled_on"], "enrolled_on")
        except RowError as exc:
            errors.update(exc.errors)
        if errors:
            raise RowError(errors)
        if (person.pk, offering.pk) in self.existing:
            return "ignore", None
        return "create", {"offender": person, "offering": offering, "enrolled_on": enrolled_on}

    def apply(self, payload):
        if payload is None:
            return None
        return services.enrollment_enroll(user=self.user, **payload)


@register_importer
class AttendanceImporter(Importer):
    """Attendance from a roster kept on paper: one row per person and session."""

    kind = "class_attendance"
    label = "Victim impact class attendance"
    model = Attendance
    columns = ["doc_id", "facility_code", "offering_title", "session_date", "topic_code", "status", "hours", "remark"]
    required = {"doc_id", "facility_code", "offering_title", "session_date", "topic_code", "status"}
    field_columns = {"offender": "doc_id", "status": "status", "hours": "hours", "date": "session_date"}
    help_text = (
        "One row per person and session: the session by its class (facility code, title), date and topic code; "
        "status present, late, absent, excused or not_held; hours only for late (at most the session's). "
        "A person not enrolled in the class is recorded as a make-up from their own class."
    )

    def key(self, values):
        return "|".join(
            values.get(c, "").strip().lower()
            for c in ("doc_id", "facility_code", "offering_title", "session_date", "topic_code")
        )

    def prepare(self, rows):
        self.people = {
            o.doc_id: o for o in Offender.objects.filter(doc_id__in={r.get("doc_id", "").strip() for r in rows})
        }
        self.offerings = _offerings(rows)
        self.sessions = {
            (s.offering_id, s.date, s.topic.code): s
            for s in ScheduledSession.objects.filter(offering__in=self.offerings.values()).select_related("topic")
        }

    def check(self, values):
        errors = {}
        person = self.people.get(values["doc_id"].strip())
        if person is None:
            errors["doc_id"] = f"No person has the DOC ID '{values['doc_id']}'."
        offering = _offering(self, values, errors)
        day = None
        try:
            day = self.parse_date(values["session_date"], "session_date")
        except RowError as exc:
            errors.update(exc.errors)
        status = values["status"].strip().lower()
        if status not in AttendanceStatus.values:
            errors["status"] = f"'{values['status']}' is not present, late, absent, excused or not_held."
        hours = None
        if values.get("hours", "").strip():
            try:
                hours = self.parse_decimal(values["hours"], "hours")
            except RowError as exc:
                errors.update(exc.errors)
        session = None
        if offering is not None and day is not None:
            session = self.sessions.get((offering.pk, day, values["topic_code"].strip().lower()))
            if session is None:
                errors["topic_code"] = f"{offering} has no session on {day} on '{values['topic_code']}'."
        if errors:
            raise RowError(errors)
        return "create", {
            "session": session,
            "offender": person,
            "status": status,
            "hours": hours,
            "remark": values.get("remark", "").strip(),
            "not_held_reason": "other" if status == AttendanceStatus.NOT_HELD else "",
        }

    def apply(self, payload):
        if self.user is None:
            raise ValidationError("Import attendance as a user (--user): each entry records who entered it.")
        try:
            return services.attendance_mark(user=self.user, **payload)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "offender" in exc.error_dict:
                raise RowError({"doc_id": exc.error_dict["offender"][0].messages}) from exc
            raise
