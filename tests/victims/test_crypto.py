"""Encryption at rest: values round-trip, a new key takes over and the old one can then be dropped."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from tests.factories.victims import ADDRESS, DOB, PHONE
from victims import crypto
from victims.models import VictimIdentity

pytestmark = pytest.mark.django_db


def raw_address(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT address FROM victims_victimidentity WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_each_encryption_differs_and_reads_back():
    one, two = crypto.encrypt(PHONE), crypto.encrypt(PHONE)
    assert one != two and one.startswith("fernet:")
    assert crypto.decrypt(one) == PHONE and crypto.encrypt("") == ""


def test_a_plain_value_in_a_protected_column_is_refused():
    with pytest.raises(ValueError, match="not encrypted"):
        crypto.decrypt("4417 Persimmon Hollow Road")


def test_the_keyed_hash_depends_on_the_key(settings):
    first = crypto.keyed_hash("5735550143")
    settings.VICTIMS_HASH_KEY = "another key"
    assert crypto.keyed_hash("5735550143") != first
    assert crypto.keyed_hash("") == ""


def test_key_rotation_re_encrypts_and_the_old_key_can_then_go(world, victim, settings):
    old = list(settings.VICTIMS_ENCRYPTION_KEYS)
    before = raw_address(victim.identity.pk)
    new = Fernet.generate_key().decode()
    settings.VICTIMS_ENCRYPTION_KEYS = [new, *old]
    assert VictimIdentity.objects.get(pk=victim.identity.pk).address == ADDRESS  # old key still reads it
    call_command("victims_rotate_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = raw_address(victim.identity.pk)
    assert after != before
    settings.VICTIMS_ENCRYPTION_KEYS = [new]
    identity = VictimIdentity.objects.get(pk=victim.identity.pk)
    assert (identity.address, identity.phone, identity.date_of_birth) == (ADDRESS, PHONE, DOB)
    assert identity.history.first().address == ADDRESS  # history rotated too
    settings.VICTIMS_ENCRYPTION_KEYS = old  # the old key alone no longer reads the rotated rows
    with pytest.raises(ImproperlyConfigured):
        VictimIdentity.objects.get(pk=victim.identity.pk)
