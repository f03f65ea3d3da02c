"""Issue 15 item 9: a board coordinator sees restitution only through the agreement's condition (paid
toward it, due, met), never the person's ledger, receipts or payees."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from boards import services
from boards.choices import ConditionKind
from tests.factories import boards as bf
from tests.factories.restitution import obligation, pay

pytestmark = pytest.mark.django_db


def test_the_coordinator_sees_the_sum_paid_toward_the_condition_and_nothing_of_the_ledger(world, client_for):
    debt = obligation(world.case, amount="1000.00")
    board = bf.board(world.d9, world.boards, quorum=1)
    member = bf.member(board, user=world.boards)
    referral = bf.accepted(board, world.case, user=world.boards)
    meeting = services.meeting_record(
        user=world.boards, referral=referral, date=dt.date(2026, 2, 20), place="Hall", present=[member]
    )
    agreement = services.agreement_approve(
        user=world.boards,
        meeting=meeting,
        conditions=[services.NewCondition(kind=ConditionKind.RESTITUTION, description="Window", amount=Decimal("250"))],
    )
    payment = pay(world.supervised, "75.00", dt.date(2026, 3, 1), user=world.officer)
    client = client_for(world.boards)
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "$75.00 of $250.00 paid toward it" in page
    assert payment.receipt_number not in page and debt.payee.name not in page
    for url in (
        reverse("restitution:offender", args=[world.supervised.pk]),
        reverse("restitution:payment_receipt", args=[payment.pk]),
        reverse("restitution:payment_detail", args=[payment.pk]),
        reverse("restitution:obligation_detail", args=[debt.pk]),
        reverse("restitution:caseload"),
    ):
        assert client.get(url).status_code == 404, url
    # the person's timeline carries no restitution line for the coordinator; the officer's does
    timeline = reverse("core:offender_timeline", args=[world.supervised.pk])
    assert payment.receipt_number not in client.get(timeline).content.decode()
    assert payment.receipt_number in client_for(world.officer).get(timeline).content.decode()
