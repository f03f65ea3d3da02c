"""Choice lists of the Impact of Crime on Victims classes, and the numbers of their rules."""

from decimal import Decimal

from django.db import models

# Missouri's curriculum: ten classes, one topic each, four hours each (40 hours in all).
MISSOURI_TOPICS = (
    ("overview", "Overview of victimization"),
    ("property", "Property crimes"),
    ("child-elder-abuse", "Child and elder abuse"),
    ("domestic-violence", "Domestic violence"),
    ("assault", "Assault"),
    ("sexual-assault", "Sexual assault"),
    ("drunk-driving", "Drunk driving"),
    ("robbery", "Robbery"),
    ("drugs", "Drugs"),
    ("homicide", "Homicide"),
)
MISSOURI_HOURS = Decimal("4.00")
MAX_SESSION_HOURS = Decimal("8.00")
MAX_CAPACITY = 60


class OfferingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    FINISHED = "finished", "Finished"
    CANCELLED = "cancelled", "Cancelled"


class ReferralSource(models.TextChoices):
    OFFICER = "officer", "Probation officer"
    FACILITY = "facility", "Facility staff"
    BOARD = "board", "Board agreement"
    TRANSFER = "transfer", "Transfer (continuing a course)"


class ReferralStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    ENROLLED = "enrolled", "Enrolled"
    CANCELLED = "cancelled", "Cancelled"


class EnrollmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "Enrolled"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    FAILED = "failed", "Did not complete"
    TRANSFERRED = "transferred", "Transferred (continues elsewhere)"


ENDED = (EnrollmentStatus.WITHDRAWN, EnrollmentStatus.FAILED, EnrollmentStatus.TRANSFERRED)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    LATE = "late", "Late"
    ABSENT = "absent", "Absent"
    EXCUSED = "excused", "Excused"
    NOT_HELD = "not_held", "Not held"


# The statuses that credit the session's hours toward its topic.
CREDITED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class NotHeldReason(models.TextChoices):
    LOCKDOWN = "lockdown", "Lockdown"
    COUNT = "count", "Count"
    CANCELLED = "cancelled", "Cancelled"
    OTHER = "other", "Other"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    BLOCKED = "blocked", "Blocked: waiting for victim services"
    CANCELLED = "cancelled", "Cancelled"
