"""The court report's victim section: impact, injury, itemized loss and its total, the statements;
never a victim's name, address, phone, e-mail or birth date; 595.226 victims redacted; drafts and one final."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from tests.factories.victims import ADDRESS, DOB, EMAIL, EMPLOYER, NAME, PHONE, make_statement, make_victim
from tests.pdfs import pdf_text
from victims.models import CourtReportSection

pytestmark = pytest.mark.django_db


FORBIDDEN = [
    "Rosalind",
    "Quintero",
    "Whitfield",
    "Persimmon",
    "4417",
    "65251",
    "555",
    "0143",
    "rosalind.qw",
    "example.net",
    "1979",
    "Callaway",
    "@",
]


@pytest.fixture
def victims_on_case(world):
    """A victim who wrote their own address, phone and e-mail into the statement, and a stalking victim."""
    plain = make_victim(cases=[world.case])
    make_statement(
        plain,
        statement_text=f"Write to me at {ADDRESS} or call {PHONE}, {EMAIL}. I work at {EMPLOYER}, born {DOB:%m/%d/%Y}.",
        physical_injury="A broken wrist",
        injury_seriousness="serious",
        injury_permanence="permanent",
        losses=[("medical", "1250.40", "Hospital bill"), ("property", "300.00", "Receipt")],
    )
    stalked = make_victim(cases=[world.case], statutory_category="stalking", identity={"name": "Marguerite Oyelaran"})
    make_statement(
        stalked,
        statement_text="Marguerite Oyelaran here: he followed me for a year.",
        losses=[("wages", "99.60", "Pay stubs")],
    )
    board_only = make_victim(cases=[world.case], identity={"name": "Someone Third"})
    make_statement(board_only, board_mode="written_board_only", statement_text="Only for the board: SECRET-BOARD-TEXT")
    return plain, stalked


def produce(client, world, final=False):
    return client.post(reverse("victims:section_produce", args=[world.case.pk]), {"final": "1" if final else "0"})


def test_the_officer_produces_a_section_with_impact_and_loss_and_nothing_that_locates_a_victim(
    world, victims_on_case, client_for, tmp_path
):
    client = client_for(world.officer)
    assert produce(client, world).status_code == 302
    section = CourtReportSection.objects.get()
    assert (section.status, section.produced_by, section.statements, str(section.total_loss)) == (
        "draft",
        world.officer,
        2,
        "1650.00",
    )
    response = client.get(section.get_absolute_url())
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content), tmp_path)
    assert "A broken wrist" in text and "$1,250.40" in text and "$1,650.00" in text and "DRAFT" in text
    assert "Victim 1" in text and "Victim 2" in text
    assert "withheld under RSMo 595.226" in text and "followed me for a year" in text
    assert [word for word in FORBIDDEN if word.lower() in text.lower()] == []
    assert "Marguerite" not in text and "Oyelaran" not in text  # the stalking victim's own name in their text
    assert "SECRET-BOARD-TEXT" not in text and "Victim 3" not in text  # written for the board only
    assert AuditEvent.objects.filter(object_id=str(section.pk), action="download").count() == 1


def test_one_final_is_kept_and_drafts_stay(world, victims_on_case, client_for, tmp_path):
    client = client_for(world.officer)
    produce(client, world)
    produce(client, world, final=True)
    response = produce(client, world, final=True)
    assert response.status_code == 302
    assert list(CourtReportSection.objects.order_by("pk").values_list("status", flat=True)) == ["draft", "final"]
    final = CourtReportSection.objects.get(status="final")
    text = pdf_text(final.file.read(), tmp_path)
    assert "DRAFT" not in text and "$1,650.00" in text
    body = client.get(reverse("victims:case_victims", args=[world.case.pk])).content.decode()
    assert "already produced and kept" in body


@pytest.mark.parametrize("role", ["officer2", "officer_d10", "supervisor", "boards", "staff_jccc", "auditor"])
def test_no_one_else_produces_it(world, victims_on_case, client_for, role):
    response = produce(client_for(getattr(world, role)), world)
    assert response.status_code == 404
    assert CourtReportSection.objects.count() == 0


def test_a_section_reads_only_for_who_may_see_it(world, victims_on_case, client_for):
    produce(client_for(world.officer), world)
    url = CourtReportSection.objects.get().get_absolute_url()
    assert client_for(world.auditor).get(url).status_code == 200
    for role in ("officer2", "supervisor", "boards", "staff_jccc"):
        assert client_for(getattr(world, role)).get(url).status_code == 404
    assert (
        NAME
        not in client_for(world.officer).get(reverse("victims:case_victims", args=[world.case.pk])).content.decode()
    )
