"""Running a meeting on the tablet, through the pages: attendance and recusals with the quorum after them
(live, by htmx), the victim's participation, the conditions, the two signatures (typed name and a ticked
box; time and device recorded), the mid-term review and closure. Every form's bad input says what is wrong
and stores nothing; another district's coordinator gets 404 on each page."""

import datetime as dt

import pytest
from django.urls import reverse

from boards import services
from boards.choices import AgreementStatus, ConditionKind, ConditionStatus, MeetingKind, VictimMode
from boards.models import Agreement, Condition, Meeting
from tests.factories import boards as bf

pytestmark = pytest.mark.django_db

TABLET = "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) Tablet test"
BOARD_ONLY = "I am still afraid to walk past the shop at night."
SHARED = "I want him to understand what the broken window cost my family."


@pytest.fixture
def setup(world):
    board = bf.board(world.d9, world.boards, quorum=2, name="Cole County board")
    chair = bf.member(board, user=world.boards, name="Pat Chair")
    second = bf.member(board, user=world.boards, name="Lee Second")
    third = bf.member(board, user=world.boards, name="Sam Third")
    services.chair_appoint(
        user=world.boards, member=chair, starts_on=dt.date(2026, 1, 15), ends_on=dt.date(2026, 12, 31)
    )
    referral = bf.accepted(board, world.case, user=world.boards)
    return type("S", (), {"board": board, "chair": chair, "second": second, "third": third, "referral": referral})


def meeting_data(s, **over):
    data = {
        "date": "2026-03-02",
        "place": "Library",
        "kind": MeetingKind.INITIAL,
        "present": [s.chair.pk, s.second.pk, s.third.pk],
        "recused": [s.third.pk],
        "person_attended": "on",
        "victim_mode": VictimMode.WRITTEN_BOARD_ONLY,
        "victim_shared_text": "",
        "victim_board_only_text": BOARD_ONLY,
        "minutes": "The person explained what happened.",
    }
    data.update(over)
    return data


def test_a_coordinator_runs_a_meeting_end_to_end(world, client_for, setup):
    s = setup
    client = client_for(world.boards)
    run = reverse("boards:meeting_run", args=[s.referral.pk])
    assert "Run a meeting" in client.get(s.referral.get_absolute_url()).content.decode()
    page = client.get(run).content.decode()
    assert "Pat Chair" in page and "0 members voting after recusals" in page
    # the quorum after recusals, live: htmx posts the form on each change and gets the count back
    live = client.post(run, meeting_data(s), headers={"HX-Request": "true"}).content.decode()
    assert "2 members voting after recusals" in live and "quorum met" in live
    assert not Meeting.objects.exists()
    live = client.post(run, meeting_data(s, recused=[s.second.pk, s.third.pk]), headers={"HX-Request": "true"})
    assert "no quorum" in live.content.decode()

    response = client.post(run, meeting_data(s))
    meeting = Meeting.objects.get()
    assert response.url == reverse("boards:meeting_agreement", args=[meeting.pk])
    assert meeting.person_attended and meeting.voting_count == 2 and meeting.victim_board_only_text == BOARD_ONLY
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert BOARD_ONLY in detail and "For the board only" in detail

    conditions = {
        "days": "90",
        "c0-kind": ConditionKind.APOLOGY,
        "c0-description": "A letter to the shop owner",
        "c0-due_on": "2026-03-30",
        "c1-kind": ConditionKind.SERVICE_HOURS,
        "c1-description": "Food bank",
        "c1-hours": "10",
        "c2-kind": ConditionKind.RESTITUTION,
        "c2-description": "The window",
        "c2-amount": "250.00",
    }
    response = client.post(reverse("boards:meeting_agreement", args=[meeting.pk]), conditions)
    agreement = Agreement.objects.get()
    assert response.url == reverse("boards:agreement_sign", args=[agreement.pk])
    assert agreement.due_on == dt.date(2026, 5, 31)
    assert sorted(agreement.conditions.values_list("kind", flat=True)) == sorted(
        [ConditionKind.APOLOGY, ConditionKind.SERVICE_HOURS, ConditionKind.RESTITUTION]
    )

    sign = reverse("boards:agreement_sign", args=[agreement.pk])
    page = client.get(sign).content.decode()
    assert "The chair: Pat Chair" in page and BOARD_ONLY not in page
    person = world.supervised
    client.post(
        sign,
        {"person-who": "person", "person-typed_name": f"{person.first_name} {person.last_name}", "person-agreed": "on"},
        headers={"User-Agent": TABLET},
    )
    client.post(
        sign,
        {"chair-who": "chair", "chair-typed_name": "pat chair", "chair-agreed": "on"},
        headers={"User-Agent": TABLET},
    )
    agreement.refresh_from_db()
    assert agreement.signed and agreement.chair == s.chair
    assert agreement.person_signed_device == TABLET and agreement.chair_signed_device == TABLET
    assert agreement.person_signed_name == f"{person.first_name} {person.last_name}"

    review = reverse("boards:agreement_review", args=[agreement.pk])
    client.post(review, {"on": "2026-04-16", "note": "Halfway: the letter is written."})
    agreement.refresh_from_db()
    assert agreement.mid_term_reviewed_on == dt.date(2026, 4, 16)

    apology = agreement.conditions.get(kind=ConditionKind.APOLOGY)
    services.condition_record(
        user=world.boards, condition=apology, met=True, on=dt.date(2026, 3, 20), evidence="Letter"
    )
    close = reverse("boards:agreement_close", args=[agreement.pk])
    response = client.post(close, {"on": "2026-06-01", "outcome": AgreementStatus.COMPLETED, "assessment": "Tried."})
    assert "Only 1 of 3 conditions are met: not completed." in response.content.decode()
    response = client.post(close, {"on": "2026-06-01", "outcome": AgreementStatus.PARTIAL, "assessment": "Tried."})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.PARTIAL and agreement.closed_on == dt.date(2026, 6, 1)
    assert set(agreement.conditions.values_list("status", flat=True)) == {ConditionStatus.MET, ConditionStatus.UNMET}
    assert client.get(close).status_code == 404  # closed: no step any more


def test_the_meeting_form_refuses_bad_input_and_stores_nothing(world, client_for, setup):
    s = setup
    client = client_for(world.boards)
    run = reverse("boards:meeting_run", args=[s.referral.pk])
    cases = [
        ({"date": "", "place": ""}, ["Date", "Place"]),
        ({"recused": [s.third.pk], "present": [s.chair.pk]}, ["Only a member present can recuse themselves."]),
        (
            {"victim_mode": VictimMode.ATTEND},
            ["Leave what the victim wrote for the board only empty unless the victim&#x27;s participation is"],
        ),
        (
            {"victim_mode": VictimMode.NO_PARTICIPATION, "victim_board_only_text": "", "victim_shared_text": SHARED},
            ["Leave what the victim shares with the person empty"],
        ),
        ({"kind": MeetingKind.CLOSURE}, ["A mid-term review or a closure meeting needs an active agreement."]),
        ({"kind": "party"}, ["Select a valid choice."]),
    ]
    for change, messages in cases:
        html = client.post(run, meeting_data(s, **change)).content.decode()
        assert "Nothing was saved." in html, change
        for message in messages:
            assert message in html, (change, message)
    assert not Meeting.objects.exists()


def test_conditions_and_signatures_refuse_bad_input_and_store_nothing(world, client_for, setup):
    s = setup
    client = client_for(world.boards)
    # no quorum after recusals: the conditions page refuses the agreement
    low = services.meeting_record(
        user=world.boards, referral=s.referral, date=dt.date(2026, 3, 1), place="Hall", present=[s.chair]
    )
    url = reverse("boards:meeting_agreement", args=[low.pk])
    html = client.post(url, {"days": "90", "c0-kind": ConditionKind.OTHER, "c0-description": "Essay"}).content.decode()
    assert "No quorum: 1 member(s) after recusals, 2 needed." in html
    meeting = services.meeting_record(
        user=world.boards,
        referral=s.referral,
        date=dt.date(2026, 3, 2),
        place="Hall",
        present=[s.chair, s.second],
    )
    url = reverse("boards:meeting_agreement", args=[meeting.pk])
    for data, message in (
        ({"days": "90"}, "Enter at least one condition."),
        ({"days": "90", "c0-kind": ConditionKind.SERVICE_HOURS, "c0-description": "Hours"}, "Give the hours"),
        ({"days": "90", "c0-kind": ConditionKind.RESTITUTION, "c0-description": "Pay"}, "Give the amount to pay."),
        ({"days": "90", "c0-kind": ConditionKind.OTHER, "c0-description": "X", "c0-amount": "5"}, "An amount goes"),
        ({"days": "900", "c0-kind": ConditionKind.OTHER, "c0-description": "Essay"}, "less than or equal to 365"),
        (
            {"days": "90", "c0-kind": ConditionKind.OTHER, "c0-description": "Essay", "c0-due_on": "2026-12-01"},
            "A condition is due after the meeting and by the agreement",
        ),
    ):
        html = client.post(url, data).content.decode()
        assert message in html, data
    assert not Agreement.objects.exists() and not Condition.objects.exists()

    agreement = services.agreement_approve(user=world.boards, meeting=meeting, conditions=bf.conditions())
    sign = reverse("boards:agreement_sign", args=[agreement.pk])
    for data, message in (
        ({"person-who": "person", "person-typed_name": "Someone Else", "person-agreed": "on"}, "as the record has"),
        ({"person-who": "person", "person-typed_name": "", "person-agreed": "on"}, "This field is required."),
        (
            {"person-who": "person", "person-typed_name": world.supervised.last_name},
            "Tick the box to sign.",
        ),
        ({"chair-who": "chair", "chair-typed_name": "Lee Second", "chair-agreed": "on"}, "(Pat Chair)"),
    ):
        html = client.post(sign, data).content.decode()
        assert message in html and "Not signed." in html, data
    agreement.refresh_from_db()
    assert agreement.person_signed_at is None and agreement.chair_signed_at is None
    review = reverse("boards:agreement_review", args=[agreement.pk])
    html = client.post(review, {"on": "2026-04-16", "note": "Fine"}).content.decode()
    assert "not signed by the person and the chair yet" in html
    close = reverse("boards:agreement_close", args=[agreement.pk])
    html = client.post(
        close, {"on": "2026-06-01", "outcome": AgreementStatus.FAILED, "assessment": ""}
    ).content.decode()
    assert "This field is required." in html
    html = client.post(close, {"on": "2099-06-01", "outcome": "failed", "assessment": "No."}).content.decode()
    assert "cannot be in the future" in html
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE and agreement.mid_term_reviewed_on is None


def test_another_district_and_other_roles_get_404(world, client_for, setup):
    from core.choices import Role
    from tests.factories import UserFactory

    s = setup
    meeting = services.meeting_record(
        user=world.boards, referral=s.referral, date=dt.date(2026, 3, 2), place="Hall", present=[s.chair, s.second]
    )
    agreement = services.agreement_approve(user=world.boards, meeting=meeting, conditions=bf.conditions())
    urls = [
        reverse("boards:meeting_run", args=[s.referral.pk]),
        reverse("boards:agreement_sign", args=[agreement.pk]),
        reverse("boards:agreement_review", args=[agreement.pk]),
        reverse("boards:agreement_close", args=[agreement.pk]),
    ]
    other = UserFactory(username="boards.d10", role=Role.BOARD_COORDINATOR, district=world.d10)
    for user in (other, world.officer, world.auditor):
        client = client_for(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
            assert client.post(url, {}).status_code == 404, (user, url)
    # the board-only text: the coordinator's and administrators' only
    services.Meeting.objects.filter(pk=meeting.pk).update(
        victim_mode=VictimMode.WRITTEN_BOARD_ONLY, victim_board_only_text=BOARD_ONLY
    )
    assert BOARD_ONLY not in client_for(world.auditor).get(meeting.get_absolute_url()).content.decode()
    assert BOARD_ONLY in client_for(world.admin).get(meeting.get_absolute_url()).content.decode()


def test_the_victim_modes_are_the_victims_apps(world):
    from victims.choices import BoardMode

    assert dict(VictimMode.choices).keys() == dict(BoardMode.choices).keys()


def test_the_meeting_page_reads_the_statements_the_victims_shared_with_the_board(world, setup, client_for):
    """Victim services' statements on the case, shared with a board, are on the coordinator's meeting
    page: numbered, never named, the board-only one marked so, and each read logged by the victims app.
    A statement for the court only is not there."""
    from tests.factories.victims import NAME, PHONE, make_statement, make_victim
    from victims.models import ReadLog

    victim = make_victim(cases=[world.case])
    make_statement(victim, board_mode="written_board_only", statement_text=BOARD_ONLY)
    make_statement(victim, board_mode="written_shared", statement_text=SHARED)
    make_statement(victim, statement_text="For the judge alone.")
    before = ReadLog.objects.filter(user=world.boards, what="statement").count()
    html = client_for(world.boards).get(reverse("boards:meeting_run", args=[setup.referral.pk])).content.decode()
    assert BOARD_ONLY in html and SHARED in html and "For the judge alone." not in html
    assert "Victim 1" in html and "for the board only: never in the agreement" in html
    assert NAME not in html and PHONE not in html
    assert ReadLog.objects.filter(user=world.boards, what="statement").count() == before + 2
