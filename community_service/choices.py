"""Choice lists of the community service app, and the numbers of its rules."""

from decimal import Decimal

from django.db import models


class OrderSource(models.TextChoices):
    COURT = "court", "Court order"
    BOARD = "board", "Board agreement"
    FINE = "fine", "In lieu of a fine"


class OrderStatus(models.TextChoices):
    OPEN = "open", "Open"
    COMPLETED = "completed", "Completed"
    REVOKED = "revoked", "Revoked"
    CONVERTED = "converted", "Converted"


class OrderSchedule(models.TextChoices):
    CONCURRENT = "concurrent", "Concurrent with other orders"
    CONSECUTIVE = "consecutive", "Consecutive: after the order it follows"


class LogSource(models.TextChoices):
    OFFICER = "officer", "Entered by the officer"
    AGENCY = "agency", "Reported by the agency"
    IMPORTED = "imported", "Imported"


class Verification(models.TextChoices):
    PENDING = "pending", "Pending"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"


class VerificationMethod(models.TextChoices):
    AGENCY_LINK = "agency_link", "The agency's contact, through the e-mailed link"
    SIGNED_SHEET = "signed_sheet", "The officer, with the signed sheet"
    AGENCY_REPORT = "agency_report", "The officer, on the agency's own report through its link"
    IMPORTED = "imported", "Imported with the verifier named"


class PaceStatus(models.TextChoices):
    PAST_DUE = "past_due", "Past due"
    BEHIND = "behind", "Behind"
    ON_PACE = "on_pace", "On pace"
    COMPLETED = "completed", "Completed"


# Worst first, for the caseload.
PACE_SEVERITY = {PaceStatus.PAST_DUE: 0, PaceStatus.BEHIND: 1, PaceStatus.ON_PACE: 2, PaceStatus.COMPLETED: 3}

# Nobody is credited more than this in one day (the rule).
MAX_HOURS_PER_DAY = Decimal("16")
# An order is BEHIND when more than this share of its hours is behind the even pace.
BEHIND_SHARE = Decimal("0.10")
# The projected completion date uses the credited hours of this many days ending on the day (8 weeks).
RECENT_DAYS = 56
