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


class Channel(models.TextChoices):
    """How a victim chose to be told of an offender's release, escape, death or parole hearing."""

    EMAIL = "email", "E-mail"
    MAIL = "mail", "Letter"
    PHONE = "phone", "Phone call"


class NoticeStatus(models.TextChoices):
    PENDING = "pending", "To send"
    SENT = "sent", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class AttemptOutcome(models.TextChoices):
    SENT = "sent", "E-mail sent"
    FAILED = "failed", "E-mail failed"
    MAILED = "mailed", "Letter mailed"
    REACHED = "reached", "Call: told the victim"
    MESSAGE = "message", "Call: left a message"
    NO_ANSWER = "no_answer", "Call: no answer"
    WRONG_NUMBER = "wrong_number", "Call: wrong or disconnected number"
    NO_CONTACT = "no_contact", "Nothing on file to reach the victim by"
    CANCELLED = "cancelled", "Cancelled"


# A call that told the victim or left a message completes the notice; the rest leave it to try again.
CALL_DONE = {AttemptOutcome.REACHED, AttemptOutcome.MESSAGE}
CALL_OUTCOMES = [AttemptOutcome.REACHED, AttemptOutcome.MESSAGE, AttemptOutcome.NO_ANSWER, AttemptOutcome.WRONG_NUMBER]


class StatementStatus(models.TextChoices):
    RECORDED = "recorded", "Recorded"
    DRAFT = "draft", "Submitted online, to review"


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    SPANISH = "es", "Español"
