"""Choices and constants of the reparation boards."""

from django.db import models

MIN_TERM_YEARS, MAX_TERM_YEARS = 1, 3
CHAIR_MAX_YEARS = 1  # a chair serves at most one year without a break
AGREEMENT_DAYS = 90  # the default agreement period


class ReferralSource(models.TextChoices):
    COURT = "court", "Court"
    PP = "pp", "Probation and Parole"
    PROSECUTOR = "prosecutor", "Prosecutor"


class ReferralStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class Priority(models.TextChoices):
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


class AgreementStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    PARTIAL = "partial", "Partially completed"
    FAILED = "failed", "Failed, returned to court"


class ConditionKind(models.TextChoices):
    RESTITUTION = "restitution", "Restitution payment"
    SERVICE_HOURS = "service_hours", "Community service hours"
    CLASS = "class", "Class completion"
    APOLOGY = "apology", "Apology letter"
    OTHER = "other", "Other"


# Met from other apps' records, never by hand (stage 3).
TRACKED_KINDS = frozenset({ConditionKind.RESTITUTION, ConditionKind.SERVICE_HOURS, ConditionKind.CLASS})


class ConditionStatus(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Met"
    UNMET = "unmet", "Unmet"


class MeetingKind(models.TextChoices):
    INITIAL = "initial", "First meeting (the agreement)"
    MID_TERM = "mid_term", "Mid-term review"
    CLOSURE = "closure", "Closure meeting"


class VictimMode(models.TextChoices):
    """How the victim takes part in the meeting: the four modes of the victims app's ``BoardMode`` (the
    same values; a test keeps them equal), chosen by the coordinator from what victim services says."""

    NONE = "", "Not recorded"
    ATTEND = "attend", "Attends the board"
    WRITTEN_SHARED = "written_shared", "Written, shared with the person"
    WRITTEN_BOARD_ONLY = "written_board_only", "Written, for the board only"
    NO_PARTICIPATION = "no_participation", "No participation"


CLOSING_STATUSES = (AgreementStatus.COMPLETED, AgreementStatus.PARTIAL, AgreementStatus.FAILED)
