"""Multi-row quick entry: a page of rows (a day's crops, a donation's lines) that come and go with
htmx and are saved all at once.

Each row is a form whose prefix is a key of its own (``r`` and eight hex digits), so rows can be
added and removed in any order. The page posts one hidden ``<input name="{name}" value="{key}">``
per row; the view reads the keys back with :func:`bound_rows`, which drops unknown keys, repeats,
rows beyond :data:`MAX_ROWS` and rows left blank. The htmx endpoint that adds a row renders
``form_class(prefix=new_row_key())``.
"""

from __future__ import annotations

import re
import secrets

ROW_KEY = re.compile(r"^r[0-9a-f]{8}$")
MAX_ROWS = 40


def new_row_key() -> str:
    """A fresh row's prefix."""
    return "r" + secrets.token_hex(4)


def row_keys(data, name: str = "row", *, limit: int = MAX_ROWS) -> list[str]:
    """The posted row keys, in order: well-formed ones only, each once, at most ``limit``."""
    return [k for k in dict.fromkeys(data.getlist(name)) if ROW_KEY.match(k)][:limit]


def row_is_blank(data, key: str, form_class) -> bool:
    """Whether the user left every field of the row ``key`` empty (such a row is ignored)."""
    return not any((data.get(f"{key}-{field}") or "").strip() for field in form_class.base_fields)


def bound_rows(data, name: str, form_class, *, limit: int = MAX_ROWS, **form_kwargs) -> list:
    """One bound ``form_class`` per posted row that is not blank (``form_kwargs`` go to each form)."""
    return [
        form_class(data, prefix=key, **form_kwargs)
        for key in row_keys(data, name, limit=limit)
        if not row_is_blank(data, key, form_class)
    ]


def blank_row(form_class, **form_kwargs):
    """An empty row with a fresh key."""
    return form_class(prefix=new_row_key(), **form_kwargs)
