"""Victims' contact details encrypted at rest, and keyed hashes for exact matching.

Values are encrypted with Fernet (AES-128-CBC with HMAC-SHA256, from the ``cryptography`` package)
under ``settings.VICTIMS_ENCRYPTION_KEYS``, newest first: the first key encrypts, every key decrypts
(``MultiFernet``), so a new key is put first and ``manage.py victims_rotate_keys`` re-encrypts the
stored values before the old key is dropped (docs/victims.md).

A ciphertext cannot be searched, so each value that must be matched (address, phone, e-mail) has a
companion column holding HMAC-SHA256 of its normalized form under ``settings.VICTIMS_HASH_KEY``
(core.conflicts' normalizers), so the conflict check finds an equal value without decrypting and
without a dictionary attack being possible for anyone who lacks the key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"  # marks a stored ciphertext, so a plain value can never be mistaken for one


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("VICTIMS_ENCRYPTION_KEYS is empty.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured("A key in VICTIMS_ENCRYPTION_KEYS is not a Fernet key.") from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.VICTIMS_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    """The stored form of ``value``; an empty value stays empty (so "not given" needs no key)."""
    if value in (None, ""):
        return ""
    return PREFIX + fernet().encrypt(value.encode()).decode()


def decrypt(stored: str) -> str:
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        raise ValueError("A protected column holds a value that is not encrypted.")
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured("A victim's contact detail cannot be read with VICTIMS_ENCRYPTION_KEYS.") from exc


def rotate(stored: str) -> str:
    """``stored`` re-encrypted under the newest key (unchanged when empty)."""
    if not stored:
        return ""
    return PREFIX + fernet().rotate(stored[len(PREFIX) :].encode()).decode()


def keyed_hash(normalized: str) -> str:
    """HMAC-SHA256 of an already normalized value, hex; empty for an empty value."""
    if not normalized:
        return ""
    return hmac.new(settings.VICTIMS_HASH_KEY.encode(), normalized.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column that holds only ciphertext: encrypted on the way in, decrypted on the way out.

    Lookups other than ``isnull`` and equality with "" mean nothing on a ciphertext: match on the
    companion hash column instead.
    """

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def formfield(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)


class EncryptedDateField(EncryptedTextField):
    """A date kept as the ciphertext of its ISO form."""

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        return dt.date.fromisoformat(text) if text else None

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, dt.date):
            return value
        return forms.DateField().clean(value)

    def get_prep_value(self, value):
        if value in (None, ""):
            return ""
        if isinstance(value, dt.date):
            value = value.isoformat()
        return encrypt(str(value))

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return value.isoformat() if value else ""

    def formfield(self, **kwargs):
        return models.Field.formfield(self, **{"form_class": forms.DateField, **kwargs})
