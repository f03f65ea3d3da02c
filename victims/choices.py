"""Choice lists of the victims app."""

from django.db import models


class VictimKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organization"


class StatutoryCategory(models.TextChoices):
    """RSMo 595.226: court records redact identifying information of victims of these offenses."""

    NONE = "", "None"
    SEXUAL_OFFENSE = "sexual_offense", "Sexual offense (RSMo chapter 566)"
    DOMESTIC_ASSAULT = "domestic_assault", "Domestic assault"
    STALKING = "stalking", "Stalking"


class ReadWhat(models.TextChoices):
    IDENTITY = "identity", "Identity and contact"
    STATEMENT = "statement", "Impact statement"
    ATTACHMENT = "attachment", "Attachment"


class ReadSource(models.TextChoices):
    PAGE = "page", "Page"
    LIST = "list", "List"
    EXPORT = "export", "Export"
    PDF = "pdf", "PDF"
    API = "api", "API"


class MatchStatus(models.TextChoices):
    OPEN = "open", "To review"
    CLEARED = "cleared", "Cleared: not the victim"
    CONFIRMED = "confirmed", "Confirmed: the victim"


class ReceivedMethod(models.TextChoices):
    FORM = "form", "Form"
    LETTER = "letter", "Letter"
    INTERVIEW = "interview", "Interview"
    RECORDING = "recording", "Recording"


class Seriousness(models.TextChoices):
    NONE = "none", "No physical injury"
    MINOR = "minor", "Minor"
    SERIOUS = "serious", "Serious"
    LIFE_THREATENING = "life_threatening", "Life-threatening"


class Permanence(models.TextChoices):
    NONE = "none", "Not applicable"
    TEMPORARY = "temporary", "Temporary"
    PERMANENT = "permanent", "Permanent"
    UNKNOWN = "unknown", "Not yet known"


class Consent(models.TextChoices):
    COURT_ONLY = "court_only", "The court only"
    BOARD = "board", "The court and a reparation board"


class BoardMode(models.TextChoices):
    """How a victim who consented to a reparation board takes part (issue 13)."""

    NONE = "", "Not applicable"
    ATTEND = "attend", "Attend the board"
    WRITTEN_SHARED = "written_shared", "Written, shared with the offender"
    WRITTEN_BOARD_ONLY = "written_board_only", "Written, for the board only"
    NO_PARTICIPATION = "no_participation", "No participation"


class LossCategory(models.TextChoices):
    MEDICAL = "medical", "Medical and dental"
    COUNSELLING = "counselling", "Counselling"
    PROPERTY = "property", "Property lost or damaged"
    WAGES = "wages", "Lost wages"
    FUNERAL = "funeral", "Funeral"
    TRAVEL = "travel", "Travel to court or treatment"
    OTHER = "other", "Other"
