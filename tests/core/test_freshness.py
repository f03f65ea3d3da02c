"""The data version behind cached figures (core/freshness.py): every kind of write changes it, a
read or a quiet bookkeeping write does not, and the dashboard's panels follow it."""

import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from core import freshness
from core.choices import OffenderStatus, Role
from core.models import Facility, Offender
from core.registry import PanelEntry, registry
from tests.factories import FacilityFactory, OffenderFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("sql", "write"),
    [
        ('INSERT INTO "core_offender" ("doc_id") VALUES (%s)', True),
        ('UPDATE "gardens_harvest" SET "pounds" = 1', True),
        ('DELETE FROM "core_alert" WHERE id = 1', True),
        ("COPY new_alerts (user_id) FROM STDIN", True),
        ("TRUNCATE TABLE core_offender", True),
        ('  update "restitution_payment" set x = 1', True),
        ('SELECT * FROM "core_offender"', False),
        ('UPDATE "django_session" SET "expire_date" = now()', False),
        ('INSERT INTO "core_auditevent" ("action") VALUES (%s)', False),
        ('INSERT INTO "victims_readlog" ("user_id") VALUES (%s)', False),
        ("WITH x AS (SELECT 1) SELECT * FROM x", False),
    ],
)
def test_what_counts_as_a_write(sql, write):
    assert freshness.is_write(sql) is write


def test_orm_save_bulk_update_and_raw_sql_each_change_the_version():
    facility = FacilityFactory()
    before = freshness.version()
    Facility.objects.filter(pk=facility.pk).update(name="Renamed")
    after_update = freshness.version()
    assert after_update != before
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_facility SET code = code WHERE id = %s", [facility.pk])
    after_raw = freshness.version()
    assert after_raw != after_update
    OffenderFactory()
    assert freshness.version() != after_raw


def test_a_read_does_not_change_the_version():
    FacilityFactory()
    before = freshness.version()
    list(Offender.objects.all())
    Facility.objects.count()
    assert freshness.version() == before


def test_a_transaction_bumps_at_each_write_and_again_at_commit(django_capture_on_commit_callbacks):
    before = freshness.version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        FacilityFactory()
        first = freshness.version()
        FacilityFactory()
        second = freshness.version()
    assert len({before, first, second, freshness.version()}) == 4
    assert len([c for c in callbacks if getattr(c, "rj_bump", False)]) == 1


def test_a_rolled_back_block_leaves_the_next_transaction_its_commit_bump(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                FacilityFactory()
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        with transaction.atomic():
            FacilityFactory()
    assert len([c for c in callbacks if getattr(c, "rj_bump", False)]) == 1


def test_cached_keeps_a_value_until_the_next_write():
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    assert freshness.cached("test:count", build) == 1
    assert freshness.cached("test:count", build) == 1
    FacilityFactory()
    assert freshness.cached("test:count", build) == 2


def _incarcerated_card(html: str) -> int:
    return int(re.search(r'display-6 mb-0">([\d,]+)</p><p class="mb-0 text-body">Incarcerated<', html)[1])


def test_the_dashboard_shows_a_new_figure_right_after_the_write(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    facility = FacilityFactory()
    OffenderFactory(status=OffenderStatus.INCARCERATED, facility=facility)
    count = Offender.objects.filter(status=OffenderStatus.INCARCERATED).count()
    assert _incarcerated_card(client.get(reverse("core:dashboard")).content.decode()) == count
    OffenderFactory(status=OffenderStatus.INCARCERATED, facility=facility)
    assert _incarcerated_card(client.get(reverse("core:dashboard")).content.decode()) == count + 1
    Offender.objects.filter(status=OffenderStatus.INCARCERATED).update(status=OffenderStatus.DISCHARGED)
    assert _incarcerated_card(client.get(reverse("core:dashboard")).content.decode()) == 0


def test_a_cached_panel_renders_once_per_version_and_user():
    renders = []

    def render(request):
        renders.append(request.user.pk)
        return f"<section><h2>Test panel</h2><p>{len(renders)}</p></section>"

    entry = registry.panel(PanelEntry("test-counting", frozenset({Role.AUDITOR}), render, order=50))
    try:
        one, two = Client(), Client()
        one.force_login(UserFactory(role=Role.AUDITOR))
        two.force_login(UserFactory(role=Role.AUDITOR))
        renders.clear()
        for client in (one, two, one, two, one):
            assert client.get(reverse("core:dashboard")).status_code == 200
        assert len(renders) == 2 and renders[0] != renders[1]  # once per user, then from the cache
        FacilityFactory()
        one.get(reverse("core:dashboard"))
        assert len(renders) == 3  # a write: rendered again
        registry.panels["test-counting"] = PanelEntry(
            "test-counting", frozenset({Role.AUDITOR}), render, order=50, cached=False
        )
        one.get(reverse("core:dashboard"))
        one.get(reverse("core:dashboard"))
        assert len(renders) == 5
    finally:
        registry.panels.pop(entry.slug, None)
