"""Every list and page of the classes runs the same number of queries at 1 row and at 20 rows; the grid
the same for 5 and 40 people."""

import datetime as dt

import pytest

from classes import services
from core.choices import OffenderStatus
from tests.factories import OffenderFactory
from tests.factories.classes import enroll, mark, offering, speaker
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

LISTS = [
    "/classes/offerings/",
    "/classes/offerings/?_export=csv",
    "/classes/sessions/",
    "/classes/enrollments/",
    "/classes/attendance/",
    "/classes/attendance/?status=all",
    "/classes/referrals/",
    "/classes/bookings/",
    "/classes/speakers/",
    "/classes/topics/",
    "/classes/curriculum/",
    "/classes/waiting/?facility={jccc}",
    "/classes/statewide/",
    "/api/v1/classes/enrollments/",
    "/api/v1/classes/attendance/",
    "/api/v1/classes/offerings/",
]


def person(i, facility):
    return OffenderFactory(
        doc_id=f"{5000000 + i}", status=OffenderStatus.INCARCERATED, facility=facility, district=None
    )


def add_rows(w, start, n):
    for i in range(start, start + n):
        o = offering(w.jccc, title=f"Class {i}", weekly=False)
        p = person(i, w.jccc)
        e = enroll(o, p)
        first = o.sessions.order_by("date").first()
        mark(first, p)
        waiting = person(1000 + i, w.jccc)
        services.referral_create(user=w.admin, offender=waiting, facility=w.jccc, source="facility")
        services.speaker_book(user=w.admin, speaker=speaker(name=f"Speaker {i}"), session=first)
        assert e.pk


@pytest.mark.parametrize("username", ["admin", "staff_jccc"])
def test_lists_run_constant_queries(world, client_for, username):
    client = client_for(getattr(world, username))
    urls = [u.format(jccc=world.jccc.pk) for u in LISTS]
    urls = [u for u in urls if client.get(u).status_code == 200]  # the pages this role opens
    assert len(urls) >= 10
    add_rows(world, 0, 1)
    one = {u: page_queries(client, u)[0] for u in urls}
    add_rows(world, 1, 19)
    twenty = {u: page_queries(client, u)[0] for u in urls}
    assert one == twenty


def test_grid_page_same_queries_for_5_and_40_people(world, client_for):
    o = offering(world.jccc, capacity=40, weekly=False)
    client = client_for(world.staff_jccc)

    def fill(start, n):
        for i in range(start, start + n):
            p = person(2000 + i, world.jccc)
            enroll(o, p)
            for s in o.sessions.order_by("date")[: 1 + i % 3]:
                mark(s, p)

    fill(0, 5)
    client.get(o.get_absolute_url())
    at_5, response = page_queries(client, o.get_absolute_url())
    assert response.content.decode().count('<th scope="row">') == 5
    fill(5, 35)
    at_40, response = page_queries(client, o.get_absolute_url())
    assert at_5 == at_40
    assert response.content.decode().count('<th scope="row">') == 40


def test_roster_and_session_pages_same_queries_for_1_and_20_people(world, client_for, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 18, 0, tzinfo=dt.UTC))
    o = offering(world.jccc, capacity=40)
    other = offering(world.acc, title="ACC", capacity=40)
    client = client_for(world.staff_jccc)
    session = o.sessions.order_by("date").first()

    def fill(start, n):
        for i in range(start, start + n):
            p = person(3000 + i, world.jccc)
            enroll(o, p)
            mark(session, p)
            q = person(3500 + i, world.acc)
            enroll(other, q)
            mark(session, q)  # a make-up from ACC

    fill(0, 1)
    urls = ["/classes/roster/", session.get_absolute_url()]
    client.get(urls[0])
    one = [page_queries(client, u)[0] for u in urls]
    fill(1, 19)
    twenty = [page_queries(client, u)[0] for u in urls]
    assert one == twenty


def test_person_page_same_queries_however_much_attendance(world, client_for):
    a_class, b_class = offering(world.jccc), offering(world.acc, title="ACC")
    e = enroll(a_class, world.inmate)
    client = client_for(world.admin)
    url = f"/classes/people/{world.inmate.pk}/"
    mark(a_class.sessions.order_by("date").first(), world.inmate)
    client.get(url)
    few = page_queries(client, url)[0]
    for s in list(a_class.sessions.order_by("date"))[1:] + list(b_class.sessions.order_by("date"))[:5]:
        mark(s, world.inmate)
    assert page_queries(client, url)[0] == few
    assert page_queries(client, e.get_absolute_url())[0] > 0
