"""Validators every edge shares (forms, the API, imports)."""

import re

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


def add_text_validator(fields) -> None:
    """Give every text field among ``fields`` (a form's or a serializer's) the control-character check."""
    from django import forms
    from rest_framework import serializers

    for field in fields:
        if isinstance(field, forms.CharField | serializers.CharField) and no_control_characters not in field.validators:
            field.validators.append(no_control_characters)
