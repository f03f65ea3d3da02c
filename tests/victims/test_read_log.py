"""Every read of a victim's identity is logged exactly once: who, when, which record, from which page."""

import pytest
from django.urls import reverse

from tests.factories.victims import NAME, make_victim
from victims.models import ReadLog

pytestmark = pytest.mark.django_db


def test_opening_a_victims_page_logs_one_read(world, victim, client_for):
    url = reverse("victims:victim_detail", args=[victim.pk])
    response = client_for(world.victims).get(url)
    assert NAME in response.content.decode()
    rows = list(ReadLog.objects.all())
    assert len(rows) == 1
    row = rows[0]
    assert (row.user, row.victim, row.what, row.source, row.path) == (world.victims, victim, "identity", "page", url)
    assert row.record_id == str(victim.identity.pk)


def test_the_edit_page_logs_one_read_and_the_list_one_per_name_shown(world, victim, client_for):
    other = make_victim(cases=[world.case_d10], user=world.victims, identity={"name": "Second Person"})
    client = client_for(world.admin)
    client.get(reverse("victims:victim_edit", args=[victim.pk]))
    assert ReadLog.objects.filter(user=world.admin, victim=victim).count() == 1
    client.get(reverse("victims:victim_list"))
    assert ReadLog.objects.filter(source="list").count() == 2
    assert set(ReadLog.objects.filter(source="list").values_list("victim", flat=True)) == {victim.pk, other.pk}


@pytest.mark.parametrize("role", ["officer", "auditor"])
def test_a_role_that_sees_no_identity_reads_nothing_to_log(world, victim, client_for, role):
    client = client_for(getattr(world, role))
    assert client.get(reverse("victims:victim_detail", args=[victim.pk])).status_code == 200
    assert ReadLog.objects.count() == 0


def test_victim_services_and_auditors_read_and_filter_the_log(world, victim, client_for):
    other = make_victim(cases=[world.case_d10], user=world.victims)
    client_for(world.victims).get(reverse("victims:victim_detail", args=[victim.pk]))
    client_for(world.admin).get(reverse("victims:victim_detail", args=[other.pk]))
    client = client_for(world.auditor)
    body = client.get(reverse("victims:readlog_list")).content.decode()
    assert victim.reference in body and other.reference in body
    body = client.get(reverse("victims:readlog_list"), {"victim": victim.reference.lower()}).content.decode()
    assert victim.reference in body and other.reference not in body
    body = client.get(reverse("victims:readlog_list"), {"user": world.admin.pk}).content.decode()
    assert other.reference in body and victim.reference not in body
    assert NAME not in body
    # Reading the log is not a read of identity.
    assert ReadLog.objects.count() == 2
    for role in ("officer", "supervisor", "boards", "staff_jccc"):
        assert client_for(getattr(world, role)).get(reverse("victims:readlog_list")).status_code == 404
