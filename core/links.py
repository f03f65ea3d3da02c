"""Links for people without an account (an agency's contact verifying hours, a victim writing an impact
statement): signed, expiring, used once.

The token is ``django.core.signing`` over the ids of the link row and what it belongs to (its agency,
its victim), so a token altered by one character, or naming another link's owner, is refused before
any row is read. The row keeps the dates: ``expires_at``, and ``used_at`` once it did its work. An app
keeps its own model and calls :func:`link_token` and :func:`link_open`; a refusal is a
:class:`LinkRefused` whose ``reason`` the page turns into plain words (in the reader's language where
the page has two) and that changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.utils import timezone

from core.dates import format_datetime

INVALID, USED, EXPIRED = "invalid", "used", "expired"


class LinkRefused(Exception):
    """A link that cannot be used. ``reason`` is ``invalid`` (tampered, unknown: 404), ``used`` or
    ``expired`` (410, with ``when``: the date it was used or ran out); ``title`` and ``message`` say
    so in English."""

    STATUS = {INVALID: 404, USED: 410, EXPIRED: 410}

    def __init__(self, reason: str, title: str, message: str, when: dt.datetime | None = None):
        super().__init__(message)
        self.reason, self.title, self.message, self.when = reason, title, message, when
        self.status = self.STATUS[reason]


def link_token(salt: str, **ids: int) -> str:
    """The signed token of a link: ``link_token(SALT, link=link.pk, victim=link.victim_id)``."""
    return signing.dumps(ids, salt=salt)


def link_open(
    queryset,
    token: str,
    *,
    salt: str,
    fields: dict[str, str],
    who_to_ask: str,
    used_words: str = "It was already used on {when}.",
    now: dt.datetime | None = None,
):
    """The row of ``queryset`` a token names, if it may still be used; else ``LinkRefused``.

    ``fields`` maps each key signed in the token to the model's field (``{"link": "pk", "agency":
    "agency_id"}``); ``who_to_ask`` ends each refusal ("ask the officer for a new link")."""
    invalid = LinkRefused(
        INVALID,
        "This link is not valid",
        "This address is not one we sent, or part of it is missing. Copy the whole address from the "
        f"message, or {who_to_ask}.",
    )
    try:
        data = signing.loads(token, salt=salt)
    except signing.BadSignature:
        raise invalid from None
    if not isinstance(data, dict) or set(data) != set(fields):
        raise invalid
    link = queryset.filter(**{fields[key]: value for key, value in data.items()}).first()
    if link is None:
        raise invalid
    if link.used_at is not None:
        raise LinkRefused(
            USED,
            "This link was already used",
            f"{used_words.format(when=format_datetime(link.used_at))} Each link works once; {who_to_ask}.",
            when=link.used_at,
        )
    if (now or timezone.now()) >= link.expires_at:
        raise LinkRefused(
            EXPIRED,
            "This link has expired",
            f"It could be used until {format_datetime(link.expires_at)}. Nothing was changed; {who_to_ask}.",
            when=link.expires_at,
        )
    return link
