"""Hours the agency reports itself on its link's page: recorded as the agency's report (the link, the
contact's name, entered in the name of the officer who sent the link), pending the officer's decision.
The link's rules hold (expired, used, tampered: nothing stored), only people placed at the agency whom
the sender follows can be reported, every integrity rule applies, and nobody approves their own report."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from community_service import services
from community_service.choices import VerificationMethod
from community_service.models import HourLog, VerificationLink
from core.links import LinkRefused
from tests.factories.community_service import AgencyFactory, OrderFactory, log, placement

pytestmark = pytest.mark.django_db


@pytest.fixture
def link_page(world, cs, client_for, client, mailoutbox, django_capture_on_commit_callbacks):
    """A link sent by officer.d9 for the agency (one pending entry of theirs), its path, the client logged out."""
    log(cs.order, cs.place, dt.date(2026, 6, 1), "3.00", user=world.officer, verified=False, task="Painting")
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client_for(world.officer).post(f"/community-service/agencies/{cs.agency.pk}/send-link/").status_code == 302
        )
    client.logout()
    return re.search(r"https?://[^/\s]+(/community-service/verify/[^\s]+/)", mailoutbox[-1].body).group(1)


def report(client, path, place, **fields):
    data = {"action": "report", "placement": place.pk, "date": "2026-06-10", "task": "Sorting donations"}
    data.update(fields)
    return client.post(path, {k: v for k, v in data.items() if v is not None})


def agency_logs():
    return HourLog.objects.filter(source="agency")


def test_the_contact_reports_hours_recorded_as_the_agencys_and_pending(world, cs, link_page, client):
    page = client.get(link_page)
    html = page.content.decode()
    assert page.status_code == 200 and "Report hours worked" in html
    options = page.context["report_form"].fields["placement"].queryset
    assert list(options) == [cs.place]  # not officer.d10's person placed at the same agency
    response = report(client, link_page, cs.place, start_time="09:00", end_time="12:30", task="Sorting donations")
    assert response.status_code == 302 and response["Location"] == link_page
    entry = agency_logs().get()
    assert (entry.hours, entry.credited_hours, entry.verification, entry.source) == (
        Decimal("3.50"),
        0,
        "pending",
        "agency",
    )
    link = VerificationLink.objects.get()
    assert entry.reported_through == link and entry.reported_by_name == cs.agency.verifier_name
    assert entry.entered_by == world.officer and entry.order == cs.order and entry.placement == cs.place
    assert link.used_at is None  # reporting keeps the link open: a second day in the same visit
    assert report(client, link_page, cs.place, date="2026-06-11", hours="2").status_code == 302
    assert agency_logs().count() == 2
    again = client.get(link_page).content.decode()
    assert "Reported: " in again and "Hours you reported through this link" in again
    assert not link.logs.filter(source="agency").exists()  # the link decides only the officer's entries
    # Sending the decisions uses the link up, for reporting too.
    done = client.post(link_page, {"action": "decide"})
    assert done.status_code == 200 and "wait for the officer's decision" in done.content.decode()
    refused = report(client, link_page, cs.place, date="2026-06-12", hours="1")
    assert refused.status_code == 410 and agency_logs().count() == 2


def test_an_expired_link_reports_nothing(world, cs, link_page, client):
    with time_machine.travel(dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        response = report(client, link_page, cs.place, hours="2")
    assert response.status_code == 410 and "This link has expired" in response.content.decode()
    assert not agency_logs().exists()


def test_a_used_link_reports_nothing(world, cs, link_page, client):
    client.post(link_page, {"action": "decide"})
    response = report(client, link_page, cs.place, hours="2")
    assert response.status_code == 410 and "This link was already used" in response.content.decode()
    assert not agency_logs().exists()


def test_a_tampered_link_reports_nothing(world, cs, link_page, client):
    token = link_page.rstrip("/").rsplit("/", 1)[1]
    bad = f"/community-service/verify/{token[:-2]}xx/"
    response = report(client, bad, cs.place, hours="2")
    assert response.status_code == 404 and "This link is not valid" in response.content.decode()
    with pytest.raises(LinkRefused):
        services.verification_link_report(
            token=token[:-2] + "xx", placement_id=cs.place.pk, date=dt.date(2026, 6, 10), task="x", hours=Decimal(2)
        )
    assert not agency_logs().exists()


def test_another_agencys_person_or_a_person_the_sender_does_not_follow_is_refused(world, cs, link_page, client):
    elsewhere = placement(world.supervised, AgencyFactory(), start_on=dt.date(2026, 3, 1), user=world.admin)
    for place in (elsewhere, cs.place_d10):  # another agency; officer.d10's person at this agency
        response = report(client, link_page, place, hours="2")
        assert response.status_code == 200
        assert response.context["report_form"].errors["placement"] == [
            "Choose one of the people listed: only people placed at your agency can be reported here."
        ]
        token = link_page.rstrip("/").rsplit("/", 1)[1]
        with pytest.raises(ValidationError) as exc:
            services.verification_link_report(
                token=token, placement_id=place.pk, date=dt.date(2026, 6, 10), task="x", hours=Decimal(2)
            )
        assert "is not placed at Samaritan Center" in exc.value.message_dict["placement"][0]
    assert not agency_logs().exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"date": "2026-06-16", "hours": "2"}, "date", "in the future"),
        ({"date": "2026-01-20", "hours": "2"}, "date", "This is before the placement starts (Feb 1, 2026)."),
        ({"hours": None}, "hours", "Enter the hours worked, or the start and end times."),
        ({"start_time": "12:00", "end_time": "09:00"}, "end_time", "The end time must be after the start time."),
        ({"start_time": "09:00"}, "end_time", "Give both the start and the end time, or neither."),
        ({"hours": "abc"}, "hours", "Enter a number."),
        ({"hours": "1.234"}, "hours", "decimal"),
        ({"hours": "17"}, "hours", "At most 16 hours"),
        ({"date": "not a date", "hours": "2"}, "date", "Enter a valid date."),
        ({"hours": "2", "task": ""}, "task", "This field is required."),
        ({"hours": "2", "task": "Sorting\x00"}, "task", "Null characters are not allowed."),
        ({"date": "2026-06-01", "hours": "14"}, "hours", "more than 16 hours in one day"),
        ({"date": "2026-06-02", "start_time": "10:00", "end_time": "11:00"}, "start_time", "overlap"),
    ],
)
def test_bad_reports_are_refused_under_their_field_and_store_nothing(
    world, cs, link_page, client, fields, field, message
):
    log(
        cs.order,
        cs.place,
        dt.date(2026, 6, 2),
        None,
        user=world.officer,
        verified=False,
        start=dt.time(9, 0),
        end=dt.time(12, 0),
    )
    before = HourLog.objects.count()
    response = report(client, link_page, cs.place, **fields)
    assert response.status_code == 200
    errors = response.context["report_form"].errors
    assert any(message.lower() in e.lower() for e in errors.get(field, [])), errors
    assert HourLog.objects.count() == before and not agency_logs().exists()
    assert VerificationLink.objects.get().used_at is None


def test_no_order_yet_on_that_day_is_explained(world, cs, link_page, client):
    cs.order.status, cs.order.closed_on = "revoked", dt.date(2026, 3, 1)
    cs.order.save()
    OrderFactory(case=world.case, ordered_on=dt.date(2026, 6, 12), due_on=dt.date(2026, 12, 31))
    response = report(client, link_page, cs.place, date="2026-06-10", hours="2")
    assert response.context["report_form"].errors["date"] == [
        "This is before the person's order starts (Jun 12, 2026)."
    ]
    assert not agency_logs().exists()


def test_the_officer_decides_the_agencys_report_not_the_agency(world, cs, link_page, client, client_for, mailoutbox):
    report(client, link_page, cs.place, hours="2")
    entry = agency_logs().get()
    agency_page = client_for(world.officer).get(cs.agency.get_absolute_url()).content.decode()
    assert "Reported by the agency: yours to decide" in agency_page
    client.logout()
    for method, extra in (
        (VerificationMethod.AGENCY_LINK, {"decided_by_name": "Pat Verifier"}),
        (VerificationMethod.SIGNED_SHEET, {"user": world.officer, "sheet": ContentFile(b"%PDF-1.4", name="s.pdf")}),
    ):
        with pytest.raises(ValidationError) as exc:
            services.hour_log_decide(log=entry, approve=True, method=method, **extra)
        assert "the officer decides them" in exc.value.messages[0]
    with pytest.raises(ValidationError):  # the agency-report route is only for the agency's reports
        officer_entry = HourLog.objects.get(source="officer")
        services.hour_log_decide(
            log=officer_entry, approve=True, method=VerificationMethod.AGENCY_REPORT, user=world.officer
        )
    officer = client_for(world.officer)
    assert "Decide the agency's report" in officer.get(entry.get_absolute_url()).content.decode()
    form = officer.get(f"/community-service/hours/{entry.pk}/verify/").context["form"]
    assert not form.sheet_required
    response = officer.post(f"/community-service/hours/{entry.pk}/verify/", {"decision": "approve"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.verification, entry.credited_hours, entry.method, entry.decided_by) == (
        "verified",
        Decimal("2.00"),
        "agency_report",
        world.officer,
    )
    # A new link never lists the agency's own reports.
    client_for(world.officer).post(f"/community-service/agencies/{cs.agency.pk}/send-link/")
    assert not VerificationLink.objects.order_by("-pk").first().logs.filter(source="agency").exists()


def test_a_link_for_reporting_only_when_nothing_waits(
    world, cs, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    page = client_for(world.officer).get(cs.agency.get_absolute_url()).content.decode()
    assert f"E-mail {cs.agency.verifier_name} a link to report hours" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.officer).post(f"/community-service/agencies/{cs.agency.pk}/send-link/")
    assert response.status_code == 302
    assert mailoutbox[-1].subject == "Please report the community service hours worked at your agency"
    assert not VerificationLink.objects.get().logs.exists()
