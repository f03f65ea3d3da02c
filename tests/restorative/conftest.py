"""A person with records in every program (restitution, community service, the class, a board agreement),
supervised by officer.d9 until Aug 31, 2026, the clock stopped on Jun 15, 2026."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from boards import services as board_services
from boards.choices import ConditionKind
from core.services import offender_save
from tests.factories import boards as bf
from tests.factories import classes as cf
from tests.factories.community_service import AgencyFactory, OrderFactory, log, placement
from tests.factories.restitution import obligation, pay

TODAY = dt.date(2026, 6, 15)
SUPERVISION_ENDS = dt.date(2026, 8, 31)
PAYEE = "Harriet Quimby-Vance"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def frozen():
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))), tick=False):
        yield TODAY


@pytest.fixture
def story(world, frozen):
    w = world
    person = w.supervised
    person.supervision_end_date = SUPERVISION_ENDS
    offender_save(offender=person, user=w.admin)
    s = type("Story", (), {})()
    s.person = person
    # Restitution: $1,000 at $50 a month from Feb 2026, $100 paid (a victim payee with a name that must
    # never print), and CVCF of $60 paid in full.
    s.obligation = obligation(
        w.case,
        amount="1000.00",
        ordered_on=dt.date(2026, 1, 15),
        monthly_amount=Decimal("50.00"),
        first_due_on=dt.date(2026, 2, 1),
    )
    s.obligation.payee.name = PAYEE
    s.obligation.payee.save()
    s.payments = [pay(person, "50.00", dt.date(2026, 3, 1), user=w.officer), pay(person, "50.00", dt.date(2026, 5, 1))]
    # Community service: 100 hours from Jan 1 to Dec 31, 2026; 20 credited, the last 8 weeks slow.
    s.agency = AgencyFactory(organization__name="Samaritan Center")
    s.order = OrderFactory(
        case=w.case, hours_ordered="100.00", ordered_on=dt.date(2026, 1, 1), due_on=dt.date(2026, 12, 31)
    )
    s.place = placement(person, s.agency, start_on=dt.date(2026, 2, 1), user=w.admin)
    s.logs = [
        log(s.order, s.place, dt.date(2026, 3, 2), "12.00", user=w.officer),
        log(s.order, s.place, dt.date(2026, 6, 1), "8.00", user=w.officer),
    ]
    # The class: enrolled at JCCC, two of ten topics attended.
    s.offering = cf.offering(w.jccc, start=dt.date(2026, 5, 4), user=w.admin)
    s.enrollment = cf.enroll(s.offering, person, user=w.admin, on=dt.date(2026, 5, 4))
    for session in s.offering.sessions.order_by("date")[:2]:
        cf.mark(session, person, user=w.admin)
    # A board agreement: an apology and 20 hours, due within the agreement.
    board = bf.board(w.d9, w.boards, quorum=1, name="Cole County board")
    member = bf.member(board, user=w.boards)
    referral = bf.accepted(board, w.case, user=w.boards, on=dt.date(2026, 5, 20))
    meeting = board_services.meeting_record(
        user=w.boards, referral=referral, date=dt.date(2026, 6, 1), place="Hall", present=[member]
    )
    s.agreement = board_services.agreement_approve(
        user=w.boards,
        meeting=meeting,
        conditions=[
            board_services.NewCondition(kind=ConditionKind.APOLOGY, description="A letter to the store owner"),
            board_services.NewCondition(kind=ConditionKind.SERVICE_HOURS, description="Food bank", hours=Decimal(20)),
        ],
    )
    return s
