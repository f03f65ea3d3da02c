"""The nightly readiness check (``supervision_review``): everyone whose supervision ends within 90 days,
what they still owe each program and what will not be met in time; one alert and one e-mail per officer
for people newly in the window or newly at risk; the page for officers and supervisors."""

import datetime as dt

import pytest
from django.urls import reverse

from core.jobs import job_run
from core.models import Alert, Readiness
from tests.restorative.conftest import PAYEE, TODAY

pytestmark = pytest.mark.django_db


def night(day=TODAY):
    run = job_run(name="supervision_review", run_date=day)
    assert run.outcome == "success", run.error
    return run


def test_each_kind_of_unmet_obligation_is_found_with_what_will_not_be_met_in_time(world, story, mailoutbox):
    assert night().rows == 1  # only the story's person ends within 90 days
    row = Readiness.objects.get(as_of=TODAY)
    assert row.offender_id == story.person.pk and row.officer_id == world.officer.pk
    found = {u["program"]: (u["text"], u["late"]) for u in row.unmet}
    assert found == {
        # $900 owed at $16.67 a month: not paid by Aug 31.
        "restitution": ("Restitution: $900.00 owed", True),
        # 80 hours left at 8 hours in 8 weeks: 560 days.
        "community_service": ("Community service: 80.00 of 100.00 hours left", True),
        # Eight topics lacking; five of them were held before today and are not scheduled again.
        "classes": ("Class: 8 topics left", True),
        # Both conditions due by the agreement's end, before supervision ends.
        "boards": ("Board agreement: 2 conditions still open", False),
    }
    assert row.late and row.unmet_count == 4
    alert = Alert.objects.get(user=world.officer, key__startswith="supervision_review:")
    assert alert.title == "1 of your people end supervision within 90 days: check what is left"
    assert f"{story.person.first_name} {story.person.last_name}, supervision ends Aug 31, 2026" in alert.body
    assert "(will not be met in time)" in alert.body
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [world.officer.email]
    assert PAYEE not in alert.body and PAYEE not in mailoutbox[0].body


def test_a_rerun_and_the_next_night_raise_nothing_twice(world, story, mailoutbox):
    night()
    night()
    assert Readiness.objects.filter(as_of=TODAY).count() == 1
    assert Alert.objects.filter(key__startswith="supervision_review:").count() == 1 and len(mailoutbox) == 1
    night(TODAY + dt.timedelta(days=1))  # nothing new: the person was already in the window, already late
    assert Alert.objects.filter(key__startswith="supervision_review:").count() == 1 and len(mailoutbox) == 1


def test_someone_with_everything_met_is_listed_as_ready_and_people_outside_the_window_are_not(world, frozen):
    from core.services import offender_save

    person = world.supervised_d10
    person.supervision_end_date = TODAY + dt.timedelta(days=30)
    offender_save(offender=person, user=world.admin)
    later = world.supervised
    later.supervision_end_date = TODAY + dt.timedelta(days=91)
    offender_save(offender=later, user=world.admin)
    assert night().rows == 1
    row = Readiness.objects.get()
    assert (row.offender_id, row.unmet, row.late) == (person.pk, [], False)
    assert "nothing left to do" in Alert.objects.get(user=world.officer_d10).body


def test_the_page_lists_the_officers_people_and_the_supervisors_district(world, story, client_for):
    url = reverse("core:readiness")
    empty = client_for(world.officer).get(url).content.decode()
    assert "The nightly readiness check has not run yet." in empty
    night()
    html = client_for(world.officer).get(url).content.decode()
    assert story.person.last_name in html and "Restitution: $900.00 owed" in html
    assert "will not be met in time" in html
    assert story.person.last_name in client_for(world.supervisor).get(url, {"show": "late"}).content.decode()
    assert story.person.last_name not in client_for(world.officer_d10).get(url).content.decode()
    # An unknown filter shows everyone rather than failing.
    assert story.person.last_name in client_for(world.supervisor).get(url, {"show": "bogus"}).content.decode()


def csv_rows(response):
    import csv
    import io

    assert response.status_code == 200, response.status_code
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_outcome_reports_read_the_nightly_rows(world, story, client_for):
    from core.models import Offender

    # Supervision ended on Jun 10; the check ran on the nights of Jun 8 and 9 (the last before the end).
    Offender.objects.filter(pk=story.person.pk).update(supervision_end_date=dt.date(2026, 6, 10))
    night(dt.date(2026, 6, 8))
    night(dt.date(2026, 6, 9))
    client = client_for(world.supervisor)
    now = csv_rows(client.get("/reports/run/readiness-now/?format=csv"))
    assert ["District 9", "1", "0", "1", "1", "100%"] in now
    after = csv_rows(client.get("/reports/run/readiness-at-discharge/?format=csv"))
    assert ["District 9", "2026", "1", "0", "0%"] in after
    assert client_for(world.staff_jccc).get("/reports/run/readiness-now/").status_code == 404
    html = client_for(world.admin).get("/reports/run/readiness-now/?format=html").content.decode()
    assert "As checked on the night of Jun 9, 2026" in html


def test_time_from_order_to_completion_per_program(world, story, client_for):
    from community_service.services import order_close
    from tests.factories.community_service import log

    # The story's order: 100 hours ordered Jan 1; the rest credited and the order completed Jun 15.
    log(story.order, story.place, dt.date(2026, 6, 12), "16.00", user=world.officer)
    for day in range(2, 12):
        log(story.order, story.place, dt.date(2026, 5, day), "8.00", user=world.officer)
    order_close(order=story.order, user=world.officer, status="completed", closed_on=dt.date(2026, 6, 15))
    rows = csv_rows(client_for(world.officer).get("/reports/run/completion-times/?format=csv&year=2026"))
    assert ["Community service orders completed", "1", "165", "165"] in rows  # Jan 1 to Jun 15
    assert ["Restitution and CVCF paid in full", "0", "—", "—"] in rows
    nothing = csv_rows(client_for(world.officer_d10).get("/reports/run/completion-times/?format=csv&year=2026"))
    assert ["Community service orders completed", "0", "—", "—"] in nothing
    bad = client_for(world.officer).get("/reports/run/completion-times/?format=csv&year=1850")
    assert bad.status_code == 200 and "Ensure this value is greater than or equal to 2000" in bad.content.decode()
