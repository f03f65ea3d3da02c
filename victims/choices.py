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
