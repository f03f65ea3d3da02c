"""Reads of the victims app, each through ``.restrict(user)``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet

from core.models import CourtCase
from core.querysets import VIEW

from .choices import BoardMode, Consent, ReadSource, ReadWhat
from .models import BOARD_SHARED_MODES, ImpactStatement, ReadLog, Victim


def victims_for(user) -> QuerySet:
    """The victims ``user`` may see, with their case count (never their identity)."""
    return (
        Victim.objects.restrict(user).annotate(case_count=Count("cases", distinct=True)).order_by("-created_at", "pk")
    )


def victims_of_case(user, case: CourtCase) -> QuerySet:
    """A case's victims as ``user`` may see them (no identity: the page shows references and flags)."""
    return Victim.objects.restrict(user).filter(cases=case).order_by("reference")


def read_log_for(user) -> QuerySet:
    return ReadLog.objects.restrict(user).select_related("user", "victim")


def victim_money(user, victim) -> list:
    """The restitution payees of ``victim`` with what was paid to each, disbursed and still held
    (restitution's own figures, through its selector): victim services and administrators only."""
    from restitution.selectors import payees_with_owed

    from .models import VictimPayee, can_read_identity

    if not can_read_identity(user):
        return []
    payee_ids = VictimPayee.objects.restrict(user).filter(victim=victim).values("payee_id")
    Payee = VictimPayee._meta.get_field("payee").related_model
    rows = []
    for payee in payees_with_owed(Payee.objects.filter(pk__in=payee_ids)).order_by("name", "pk"):
        rows.append(
            {"payee": payee, "paid": payee.allocated, "held": payee.owed, "disbursed": payee.allocated - payee.owed}
        )
    return rows


STATEMENT_HORIZON_DAYS = 30


def dashboard(user) -> dict:
    """Victim services' dashboard: statements due before upcoming sentencing dates, statements sent
    online to review, notices to send and failed, possible conflicts to review, money held for victims.
    A handful of queries whatever the size."""
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from restitution.selectors import owed_to_victims

    from .choices import Channel, MatchStatus, NoticeStatus, StatementStatus
    from .models import ConflictMatch, ImpactStatement, Notification

    today = timezone.localdate()
    recorded = ImpactStatement.objects.filter(case=OuterRef("pk"), status=StatementStatus.RECORDED)
    due = (
        CourtCase.objects.restrict(user)
        .filter(
            sentencing_date__gte=today,
            sentencing_date__lte=today + dt.timedelta(days=STATEMENT_HORIZON_DAYS),
            victims__do_not_contact=False,
        )
        .annotate(victim_count=Count("victims", distinct=True), has_statement=Exists(recorded))
        .filter(has_statement=False)
        .order_by("sentencing_date", "pk")
    )
    counts = {
        (status, channel): n
        for status, channel, n in Notification.objects.restrict(user)
        .filter(status__in=[NoticeStatus.PENDING, NoticeStatus.FAILED])
        .values("status", "channel")
        .annotate(n=Count("pk"))
        .values_list("status", "channel", "n")
        .order_by()
    }
    return {
        "due": list(due[:5]),
        "due_count": due.count(),
        "horizon": STATEMENT_HORIZON_DAYS,
        "to_review": list(
            ImpactStatement.objects.restrict(user)
            .filter(status=StatementStatus.DRAFT)
            .select_related("victim")
            .order_by("created_at", "pk")[:10]
        ),
        "to_send": [
            (channel, counts.get((NoticeStatus.PENDING, channel.value), 0))
            for channel in (Channel.MAIL, Channel.PHONE, Channel.EMAIL)
        ],
        "failed": sum(n for (status, _c), n in counts.items() if status == NoticeStatus.FAILED),
        "conflicts": ConflictMatch.objects.restrict(user).filter(status=MatchStatus.OPEN).count(),
        "owed": owed_to_victims(user),
    }


def itemized_loss(user, case) -> dict:
    """The losses the victims itemized in the recorded statements on ``case`` that ``user`` may read
    (as the court section counts them: not what was written for a board only), with restitution's
    figures for the case, so the officer can propose the amount (and confirm it on restitution's form)."""
    from django.db.models import Sum

    from restitution.selectors import restitution_on_case

    from .choices import BoardMode, StatementStatus
    from .models import EconomicLoss, ImpactStatement

    statements = (
        ImpactStatement.objects.restrict(user)
        .filter(case=case, status=StatementStatus.RECORDED)
        .exclude(board_mode=BoardMode.WRITTEN_BOARD_ONLY)
    )
    row = (
        EconomicLoss.objects.restrict(user)
        .filter(statement__in=statements)
        .aggregate(total=Sum("amount"), items=Count("pk"))
    )
    return {"total": row["total"], "items": row["items"], **restitution_on_case(user, case)}


def board_statements(user, case, *, path: str = "") -> list[dict]:
    """The statements on ``case`` that their victims shared with a reparation board, as ``user`` may read
    them (board coordinators of the person's district, victim services, administrators; the scope of
    ``ImpactStatement``), for the board's meeting page. Each is numbered, never named ("Victim 1"), with
    its mode, its date and its text, and ``board_only`` when the victim wrote it for the board alone:
    the caller shows that one to the board and never puts it on anything the person or the court gets.
    Every statement returned is a read, logged once (``ReadLog``, what: statement)."""
    statements = list(
        ImpactStatement.objects.restrict(user, VIEW)
        .filter(case=case, consent=Consent.BOARD, board_mode__in=BOARD_SHARED_MODES)
        .order_by("received_on", "pk")
    )
    numbers: dict[int, int] = {}
    result = []
    for statement in statements:
        number = numbers.setdefault(statement.victim_id, len(numbers) + 1)
        result.append(
            {
                "victim": f"Victim {number}",
                "mode": statement.get_board_mode_display(),
                "received_on": statement.received_on,
                "text": statement.statement_text,
                "board_only": statement.board_mode == BoardMode.WRITTEN_BOARD_ONLY,
            }
        )
    ReadLog.objects.bulk_create(
        ReadLog(
            user=user,
            victim_id=s.victim_id,
            what=ReadWhat.STATEMENT,
            source=ReadSource.PAGE,
            path=path[:300],
            record_id=str(s.pk),
        )
        for s in statements
    )
    return result
