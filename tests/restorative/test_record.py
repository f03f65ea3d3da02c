"""The person's restorative record: one block per program, scoped as each part already is; the progress
report PDF (a copy kept, no victim identity); the page's query count whatever the history."""

import datetime as dt
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import AuditEvent, ProgressReport
from tests.restorative.conftest import PAYEE

pytestmark = pytest.mark.django_db


def page(client, person):
    return client.get(reverse("core:offender_record", args=[person.pk]))


def test_the_officer_sees_every_program_with_its_figures(world, story, client_for):
    response = page(client_for(world.officer), story.person)
    assert response.status_code == 200
    html = response.content.decode()
    blocks = response.context["record"].blocks
    # Board agreements are the coordinators' (an officer sees the referral, not the agreement).
    assert [b.program for b in blocks] == ["restitution", "community_service", "classes"]
    assert "$100.00 paid of $1,000.00 ordered; $900.00 owed." in html
    assert "100.00 hours, case 26AC-CR00001: 20.00 credited, 80.00 left" in html
    assert "2 of 10 topics done, 8 left" in html
    # At $16.67 a month over six months, $900 is not paid by Aug 31: at risk, and the page says so.
    restitution = blocks[0]
    assert restitution.late and "after supervision ends (Aug 31, 2026)" in restitution.projection
    assert PAYEE not in html


def test_scope_follows_each_part(world, story, client_for):
    assert page(client_for(world.supervisor), story.person).status_code == 200
    assert page(client_for(world.officer_d10), story.person).status_code == 404
    assert page(client_for(world.staff_jccc), story.person).status_code == 404  # supervised, not at JCCC
    auditor = page(client_for(world.auditor), story.person)
    assert [b.program for b in auditor.context["record"].blocks] == [
        "restitution",
        "community_service",
        "classes",
        "boards",
    ]
    assert "0 of 2 conditions met" in auditor.content.decode()
    coordinator = page(client_for(world.boards), story.person)
    assert "boards" in [b.program for b in coordinator.context["record"].blocks]
    assert not auditor.context["may_print"] and "Print report" not in auditor.content.decode()


def pdf_text(report) -> str:
    with report.file.open("rb") as f:
        data = f.read()
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_the_officer_prints_the_progress_report_and_a_copy_is_kept(world, story, client_for):
    client = client_for(world.officer)
    url = reverse("core:offender_progress", args=[story.person.pk])
    response = client.post(url, {"version": "court", "purpose": "Court date Jul 1, 2026"})
    report = ProgressReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert (report.produced_by, report.version, report.purpose) == (world.officer, "court", "Court date Jul 1, 2026")
    assert AuditEvent.objects.filter(action="progress_report", object_id=str(report.pk), user=world.officer).exists()
    text = pdf_text(report)
    assert "Restorative progress report" in text and "Court date Jul 1, 2026" in text
    assert story.payments[0].receipt_number in text  # a verified source
    assert "verified by" in text and "Samaritan Center" in text
    assert PAYEE not in text and "Quimby" not in text
    file = client.get(report.get_absolute_url())
    assert file.status_code == 200 and file["Content-Type"] == "application/pdf"
    assert client_for(world.officer_d10).get(report.get_absolute_url()).status_code == 404
    # The page lists the copy.
    assert "printed by" in page(client_for(world.officer), story.person).content.decode()


def test_the_persons_version_leaves_the_sources_out_and_bad_input_stores_nothing(world, story, client_for):
    client = client_for(world.officer)
    url = reverse("core:offender_progress", args=[story.person.pk])
    bad = client.post(url, {"version": "judge", "purpose": "x" * 121})
    assert bad.status_code == 400 and not ProgressReport.objects.exists()
    html = bad.content.decode()
    assert "Select a valid choice" in html and "at most 120 characters" in html
    client.post(url, {"version": "person"})
    text = pdf_text(ProgressReport.objects.get())
    assert "Your progress" in text and story.payments[0].receipt_number not in text
    assert client_for(world.auditor).post(url, {"version": "court"}).status_code == 404


def test_facility_staff_see_only_their_facilitys_parts_of_a_person_held_there(world, frozen, client_for):
    from tests.factories import classes as cf
    from tests.factories.restitution import obligation

    obligation(_inmate_case(world), amount="500.00")
    offering = cf.offering(world.jccc, start=dt.date(2026, 5, 4), user=world.admin)
    cf.enroll(offering, world.inmate, user=world.admin, on=dt.date(2026, 5, 4))
    staff = page(client_for(world.staff_jccc), world.inmate)
    assert staff.status_code == 200
    assert [b.program for b in staff.context["record"].blocks] == ["classes"]  # no ledger for facility staff
    assert page(client_for(world.staff_acc), world.inmate).status_code == 404
    admin = page(client_for(world.admin), world.inmate)
    assert [b.program for b in admin.context["record"].blocks] == ["restitution", "classes"]


def _inmate_case(world):
    from tests.factories import CourtCaseFactory

    return CourtCaseFactory(offender=world.inmate, case_number="26AC-CR00003")


def test_participation_hours_show_as_given_not_owed(world, frozen, client_for):
    from gardens.services import harvest_workers_set
    from tests.factories.gardens import GardenFactory, HarvestFactory

    harvest = HarvestFactory(garden=GardenFactory(facility=world.jccc, name="East garden"), date=dt.date(2026, 6, 1))
    harvest_workers_set(harvest=harvest, user=world.admin, workers={world.inmate: Decimal("3.50")})
    response = page(client_for(world.staff_jccc), world.inmate)
    blocks = response.context["record"].blocks
    assert [(b.program, b.tone, b.headline) for b in blocks] == [
        ("participation", "recorded", "Gardens: 3.50 hours over 1 entry.")
    ]
    html = response.content.decode()
    assert "Participation in the programs" in html and "Everything recorded is done." in html


def test_the_details_tab_sums_up_participation_as_the_viewer_may_see_it(world, frozen, client_for):
    from gardens.services import harvest_workers_set
    from tests.factories.gardens import GardenFactory, HarvestFactory

    details = reverse("core:offender_detail", args=[world.inmate.pk])
    empty = client_for(world.staff_jccc).get(details)
    assert empty.context["participation"] == []
    assert "No hours in the gardens, the craft shops or dog training" in empty.content.decode()
    harvest = HarvestFactory(garden=GardenFactory(facility=world.jccc, name="East garden"), date=dt.date(2026, 6, 1))
    harvest_workers_set(harvest=harvest, user=world.admin, workers={world.inmate: Decimal("3.50")})
    html = client_for(world.staff_jccc).get(details).content.decode()
    assert "Gardens: 3.50 hours over 1 entry." in html
    assert reverse("core:offender_record", args=[world.inmate.pk]) in html
    # Staff of another facility do not see the person at all; an administrator sees the same hours.
    assert client_for(world.staff_acc).get(details).status_code == 404
    assert "Gardens: 3.50 hours over 1 entry." in client_for(world.admin).get(details).content.decode()


def test_the_opening_line_names_what_will_not_be_met_in_time(world, story, client_for):
    client = client_for(world.officer)
    html = page(client, story.person).content.decode()
    record = page(client, story.person).context["record"]
    # Each of the three will not be met in time (the story's paces); each is named once, in the record's order.
    named = "Restitution and CVCF, Community service and Impact of Crime on Victims class"
    assert [b.program for b in record.late] == ["restitution", "community_service", "classes"]
    assert record.late_titles == named
    assert f"will not be met before supervision ends at today's pace: {named}." in html
    url = reverse("core:offender_progress", args=[story.person.pk])
    client.post(url, {"version": "person"})
    client.post(url, {"version": "court"})
    person, court = (pdf_text(r) for r in ProgressReport.objects.order_by("pk"))
    assert f"if you keep your current pace: {named}." in " ".join(person.split())
    assert f"at the current pace: {named}." in " ".join(court.split())


def test_titles_are_named_once_each_in_words():
    from core.restorative import Block, titles_joined

    def block(title):
        return Block(program=title, title=title, tone="owed", headline="")

    assert titles_joined([]) == ""
    assert titles_joined([block("A"), block("A")]) == "A"
    assert titles_joined([block("A"), block("B")]) == "A and B"
    assert titles_joined([block("A"), block("B"), block("A"), block("C")]) == "A, B and C"
