"""Validators every edge shares (forms, the API, imports)."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError

# The C0 control characters but tab, line feed and carriage return, and DEL. NUL is refused first by
# Django's and DRF's own CharField validator (PostgreSQL cannot store it), so it is not repeated here.
CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_character_message(value: str) -> str | None:
    """Why a text is refused, in plain words, or None when it is fine."""
    match = CONTROL_CHARACTERS.search(value)
    if match is None:
        return None
    return (
        f"This text holds an invisible control character (U+{ord(match.group()):04X}), often pasted in by "
        "accident; delete it and type the text again."
    )


def no_control_characters(value) -> None:
    """Refuse text holding a control character: it cannot be printed, and it breaks exports."""
    if isinstance(value, str) and (message := control_character_message(value)):
        raise ValidationError(message, code="control_character")


# A scan or a photo of a paper: what people upload as proof (signed sheets, evidence).
SCAN_TYPES = {b"%PDF-": "pdf", b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}
PDF_TYPES = {b"%PDF-": "pdf"}


def file_type(data: bytes, types: dict[bytes, str]) -> str | None:
    """The extension of the first of ``types`` (magic bytes to extension) that ``data`` starts with."""
    return next((ext for magic, ext in types.items() if data.startswith(magic)), None)


def upload_problem(
    data: bytes, *, limit: int, name: str, wrong_type: str, types: dict[bytes, str] = SCAN_TYPES, size=None
) -> str | None:
    """Why an uploaded file is refused, in plain words, or None: empty, larger than ``limit`` bytes
    ("{name} may be at most ..."), or not of ``types`` as read from its first bytes (never its name or
    what the browser said): ``wrong_type``. ``size`` is the upload's whole size when only its
    beginning was read."""
    size = len(data) if size is None else size
    if not size:
        return "The file is empty."
    if size > limit:
        return f"The file is {size / 1048576:.1f} MB; {name} may be at most {limit / 1048576:.0f} MB."
    if file_type(data, types) is None:
        return wrong_type
    return None


def add_edge_checks(fields) -> None:
    """The checks every field at the edge gets (a form's or a serializer's): text refuses control
    characters, and a number too large or too precise says so in plain words ("Enter at most
    99,999.9.") instead of "Ensure that there are no more than 6 digits in total."."""
    from django import forms
    from rest_framework import serializers

    for field in fields:
        if isinstance(field, forms.CharField | serializers.CharField) and no_control_characters not in field.validators:
            field.validators.append(no_control_characters)
        if isinstance(field, forms.DecimalField | serializers.DecimalField):
            field.error_messages.update(number_limit_messages(field.max_digits, field.decimal_places))


def number_limit_messages(max_digits: int | None, decimal_places: int | None) -> dict[str, str]:
    """Messages for a decimal's digit limits, saying the largest number and the decimals allowed."""
    if max_digits is None or decimal_places is None:
        return {}
    largest = Decimal(10) ** (max_digits - decimal_places) - Decimal(1).scaleb(-decimal_places)
    at_most = f"Enter at most {largest:,.{decimal_places}f}."
    if decimal_places == 0:
        places = "Enter a whole number."
    else:
        places = f"Use at most {decimal_places} decimal place{'s' if decimal_places > 1 else ''}."
    return {"max_digits": at_most, "max_whole_digits": at_most, "max_decimal_places": places}


class GuessablePasswordValidator:
    """Refuses a password an attacker's word lists would find soon: a dictionary word or a name with
    a year or a few symbols added, a keyboard pattern, a common password (zxcvbn's estimate below
    ``min_score``, 0 to 4). A phrase of several unrelated words passes. Django's own validators still
    refuse the 20,000 most common passwords, short ones and ones like the user's name.
    """

    # Words of this system that make a password easy to guess for someone who knows where it is used.
    CONTEXT_WORDS = ("rjadmin", "restorative", "justice", "missouri", "corrections", "probation", "parole")
    # zxcvbn's time grows with the length; what is past this is not looked at (it only adds strength).
    LOOKED_AT = 100

    def __init__(self, min_score: int = 4):
        self.min_score = min_score

    def validate(self, password, user=None):
        from zxcvbn import zxcvbn

        inputs = list(self.CONTEXT_WORDS)
        if user is not None:
            inputs += [value for value in (user.username, user.first_name, user.last_name, user.email) if value]
        result = zxcvbn(password[: self.LOOKED_AT], user_inputs=inputs)
        if result["score"] < self.min_score:
            hint = result["feedback"].get("warning") or ""
            raise ValidationError(
                "This password is too easy to guess"
                + (f" ({hint.rstrip('.').lower()})" if hint else "")
                + ". A phrase of three or four unrelated words is easy to remember and hard to guess.",
                code="password_guessable",
            )

    def get_help_text(self):
        return "Not a dictionary word or a name with numbers added: a phrase of three or four unrelated words is best."


def storable_datetime(value) -> None:
    """Refuse a date and time PostgreSQL cannot compare with: an offset of 16 hours or more (its
    limit is 15:59), or one that moves the moment out of the years 1 to 9999."""
    import datetime as dt

    offset = value.utcoffset() if isinstance(value, dt.datetime) else None
    if offset is None:
        return
    if abs(offset) >= dt.timedelta(hours=16):
        raise ValidationError(
            "The time zone offset is out of range: use one between -15:59 and +15:59, or Z for UTC.",
            code="offset_range",
        )
    try:
        value.astimezone(dt.UTC)
    except OverflowError:
        raise ValidationError("The date and time are out of range.", code="datetime_range") from None
