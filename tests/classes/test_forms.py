"""The classes' forms with wrong values: each error under its field, nothing written."""

import datetime as dt

import pytest
from django.utils import timezone

from classes.models import Offering, Referral, ScheduledSession
from core.choices import OffenderStatus
from tests.factories import OffenderFactory, UserFactory
from tests.factories.classes import missouri, offering

pytestmark = pytest.mark.django_db


def errors_of(response):
    return response.context["form"].errors


def test_offering_form_refuses_bad_values(world, client_for):
    v = missouri()
    other_staff = UserFactory(username="staff.acc2", role="facility_staff", facilities=[world.acc])
    client = client_for(world.staff_jccc)
    base = {"facility": world.jccc.pk, "version": v.pk, "title": "Evening class", "status": "planned"}
    cases = [
        ({**base, "capacity": 0, "starts_on": "2026-03-02"}, "capacity"),
        ({**base, "capacity": 61, "starts_on": "2026-03-02"}, "capacity"),
        ({**base, "capacity": 10, "starts_on": "not a date"}, "starts_on"),
        ({**base, "capacity": 10, "starts_on": "1899-03-02"}, "starts_on"),
        ({**base, "capacity": 10, "starts_on": "2026-03-02", "facility": world.acc.pk}, "facility"),
        ({**base, "capacity": 10, "starts_on": "2026-03-02", "title": "Bad\x00title"}, "title"),
    ]
    for data, field in cases:
        response = client.post("/classes/offerings/add/", data)
        assert response.status_code == 200, data
        assert field in errors_of(response), (data, errors_of(response))
    # a facilitator who does not work there is listed nowhere for JCCC staff
    response = client.post(
        "/classes/offerings/add/", {**base, "capacity": 10, "starts_on": "2026-03-02", "facilitators": [other_staff.pk]}
    )
    assert "facilitators" in errors_of(response)
    assert not Offering.objects.exists()
    response = client.post("/classes/offerings/add/", {**base, "capacity": 10, "starts_on": "2026-03-02"})
    assert response.status_code == 302 and Offering.objects.get().facility == world.jccc


def test_session_form_refuses_bad_values(world, client_for):
    from classes.models import Topic

    o = offering(world.jccc)
    count = ScheduledSession.objects.count()
    stranger = Topic.objects.create(code="not-in-version", name="Not in the version")
    overview = Topic.objects.get(code="overview")
    client = client_for(world.staff_jccc)
    base = {"offering": o.pk, "topic": overview.pk, "date": "2026-06-02", "start_time": "13:00", "end_time": "17:00"}
    for data, field in [
        ({**base, "end_time": "12:00"}, "end_time"),
        ({**base, "topic": stranger.pk}, "topic"),
        ({**base, "hours": "9"}, "hours"),
        ({**base, "hours": "0"}, "hours"),
        ({**base, "date": "June 2"}, "date"),
    ]:
        response = client.post("/classes/sessions/add/", data)
        assert response.status_code == 200 and field in errors_of(response), (data, errors_of(response))
    assert ScheduledSession.objects.count() == count
    assert client.post("/classes/sessions/add/", base).status_code == 302
    assert ScheduledSession.objects.latest("pk").hours == 4


def test_referral_form_refuses_bad_values(world, client_for):
    p = OffenderFactory(doc_id="9100001", status=OffenderStatus.INCARCERATED, facility=world.jccc, district=None)
    client = client_for(world.staff_jccc)
    base = {"offender": p.pk, "facility": world.jccc.pk, "source": "facility", "referred_on": "2026-03-02"}
    for data, field in [
        ({**base, "source": "rumour"}, "source"),
        ({**base, "referred_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat()}, "referred_on"),
        ({**base, "offender": world.supervised.pk}, "offender"),  # not a person JCCC staff may see
    ]:
        response = client.post("/classes/referrals/add/", data)
        assert response.status_code == 200 and field in errors_of(response), (data, errors_of(response))
    assert not Referral.objects.exists()
    assert client.post("/classes/referrals/add/", base).status_code == 302
    response = client.post("/classes/referrals/add/", base)
    assert "already on the waiting list" in str(errors_of(response))
    assert Referral.objects.count() == 1
