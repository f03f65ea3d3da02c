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
