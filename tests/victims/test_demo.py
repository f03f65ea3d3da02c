"""The demo victims: loading twice changes nothing, and no page shows their contact to a role without access."""

import pytest
from django.urls import reverse

from victims import demo
from victims.models import EconomicLoss, ImpactStatement, Notification, Victim

pytestmark = pytest.mark.django_db

SECRETS = [
    value
    for name, address, phone, email, *_ in demo.VICTIMS
    for value in (name, address, phone, email, address.split(",")[0])
    if value
] + [demo.DESIGNATED]


def test_seed_twice_changes_nothing(world):
    demo.seed()
    counts = (Victim.objects.count(), ImpactStatement.objects.count(), EconomicLoss.objects.count())
    assert counts == (4, 4, 5)
    notices = sorted(Notification.objects.values_list("victim__reference", "channel"))
    assert notices == [
        ("V-DEMO0001", "email"),
        ("V-DEMO0001", "mail"),
        ("V-DEMO0003", "mail"),
        ("V-DEMO0003", "phone"),
    ]
    demo.seed()
    assert (Victim.objects.count(), ImpactStatement.objects.count(), EconomicLoss.objects.count()) == counts
    assert sorted(Notification.objects.values_list("victim__reference", "channel")) == notices


@pytest.mark.parametrize("role", ["auditor", "officer", "supervisor", "boards", "staff_jccc"])
def test_no_demo_victims_contact_reaches_a_role_without_access(world, client_for, role):
    demo.seed()
    client = client_for(getattr(world, role))
    urls = [reverse("victims:victim_list"), reverse("victims:case_victims", args=[world.case.pk])]
    for victim in Victim.objects.all():
        urls.append(victim.get_absolute_url())
        urls += [s.get_absolute_url() for s in victim.statements.all()]
    urls += [reverse("core:offender_timeline", args=[world.supervised.pk]), reverse("core:dashboard")]
    opened = 0
    for url in urls:
        response = client.get(url)
        opened += response.status_code == 200
        body = response.content.decode()
        assert [s for s in SECRETS if s in body] == [], (role, url)
    assert opened >= (1 if role in ("supervisor", "boards", "staff_jccc") else 5)
