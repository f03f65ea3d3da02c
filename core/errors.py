"""A model's or a service's ``ValidationError`` shown where the user reads it: on a form, or as an
API error. Every view and API endpoint translates errors through these two helpers.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.settings import api_settings


def form_errors_from(form, exc: ValidationError, *, default_field: str | None = None) -> None:
    """Put ``exc``'s messages on ``form``: each under its field when the form has that field, the
    rest under ``default_field`` (``None``: the form's non-field errors at the top)."""
    if hasattr(exc, "error_dict"):
        # The ValidationError instances themselves, so that a view can read their codes.
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else default_field, errors)
    else:
        form.add_error(default_field, exc.messages)


def api_error_detail(exc: ValidationError) -> dict[str, list[str]]:
    """``exc``'s messages keyed as DRF keys them: by field, the rest under ``non_field_errors``."""
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else key): messages
        for key, messages in exc.message_dict.items()
    }


def api_error_from(exc: ValidationError) -> DRFValidationError:
    """The API's 400 for ``exc``: ``raise api_error_from(exc) from exc``."""
    return DRFValidationError(api_error_detail(exc))
