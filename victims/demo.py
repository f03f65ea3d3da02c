"""Demo data: fictional victims on the demo officers' cases, with statements and losses (idempotent).

Every person, address and number here is invented (555-01xx numbers are reserved for fiction).
A victim's fixed reference ("V-DEMO…") makes a second load change nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from core.models import CourtCase, OffenderEvent, User

from .models import EconomicLoss, ImpactStatement, Notification, Victim, VictimIdentity
from .services import loss_add, statement_record, victim_save

# (name, address, phone, e-mail, statutory category, Safe at Home, statement text, losses)
VICTIMS = [
    (
        "Maribel Ostrander",
        "1207 Cedar Ridge Dr, Jefferson City, MO 65109",
        "573-555-0101",
        "m.ostrander@example.com",
        "",
        False,
        "The break-in left my children afraid to sleep in their rooms.",
        [("property", "1840.00", "Insurance estimate"), ("counselling", "360.00", "Counsellor's invoice")],
    ),
    (
        "Desmond Achterberg",
        "44 Old Route 54, Holts Summit, MO 65043",
        "573-555-0102",
        "",
        "",
        False,
        "I lost three weeks of work while my arm healed.",
        [("medical", "2210.75", "Hospital bill"), ("wages", "1650.00", "Pay stubs")],
    ),
    (
        "Lucinda Faraway-Pruitt",
        "",
        "573-555-0103",
        "",
        "stalking",
        True,
        "I moved twice in a year. I want the court to know I still look over my shoulder.",
        [],
    ),
    (
        "Capital City Hardware",
        "310 E High St, Jefferson City, MO 65101",
        "573-555-0104",
        "office@example.org",
        "",
        False,
        "Our front window and two registers were destroyed.",
        [("property", "4125.00", "Contractor invoice")],
    ),
]
DESIGNATED = "PO Box 7700, Jefferson City, MO 65102"
# Who asked to be told, and how: (victim index, written request date, e-mail, letter, phone).
NOTIFY = [(0, dt.date(2026, 1, 12), True, True, False), (2, dt.date(2026, 1, 26), False, True, True)]


def seed() -> None:
    clerk = User.objects.filter(username="victims").first()
    cases = list(CourtCase.objects.filter(offender__supervising_officer__username="officer.d9").order_by("pk")[:4])
    if clerk is None or not cases:
        return
    for n, (name, address, phone, email, category, safe, text, losses) in enumerate(VICTIMS):
        reference = f"V-DEMO{n + 1:04d}"
        if Victim.objects.filter(reference=reference).exists():
            continue
        with transaction.atomic():
            identity = VictimIdentity(name=name, address=address, phone=phone, email=email)
            if safe:
                identity.safe_at_home = True
                identity.designated_address = DESIGNATED
                identity.safe_at_home_card_verified = True
                identity.safe_at_home_card_expires = dt.date(2029, 6, 30)
            victim = victim_save(
                user=clerk,
                victim=Victim(
                    reference=reference,
                    kind="organization" if name.endswith("Hardware") else "person",
                    statutory_category=category,
                ),
                identity=identity,
                cases=[cases[n % len(cases)]],
            )
            statement = statement_record(
                user=clerk,
                statement=ImpactStatement(
                    victim=victim,
                    case=cases[n % len(cases)],
                    received_on=dt.date(2026, 1, 10) + dt.timedelta(days=7 * n),
                    method="letter",
                    statement_text=text,
                    consent="board" if n == 0 else "court_only",
                    board_mode="written_shared" if n == 0 else "",
                ),
            )
            for category_code, amount, doc in losses:
                loss_add(
                    user=clerk,
                    statement=statement,
                    loss=EconomicLoss(category=category_code, amount=amount, documentation=doc),
                )

    _notifications(clerk, cases)


def _notifications(clerk, cases) -> None:
    """Two victims asked to be told; a parole hearing of each one's offender gives them notices (an
    e-mail sent, letters to print, a call to make)."""
    from django.utils import timezone

    from core.services import parole_hearing_record

    from .services import notifications_for_event

    for index, requested, email, letter, phone in NOTIFY:
        Victim.objects.filter(reference=f"V-DEMO{index + 1:04d}", notification_requested_on__isnull=True).update(
            notification_requested_on=requested, notify_by_email=email, notify_by_mail=letter, notify_by_phone=phone
        )
    if Notification.objects.exists():
        return
    day = timezone.localdate() - dt.timedelta(days=3)
    offenders = {
        case.offender
        for case in CourtCase.objects.filter(victims__reference__in=[f"V-DEMO{i + 1:04d}" for i, *_ in NOTIFY])
        .select_related("offender")
        .order_by("pk")
    }
    for offender in sorted(offenders, key=lambda o: o.pk):
        if offender.parole_hearings.filter(hearing_date=day).exists():
            continue
        with transaction.atomic():
            hearing = parole_hearing_record(
                offender=offender,
                hearing_date=day,
                outcome="continued",
                next_hearing_date=day + dt.timedelta(days=180),
                user=clerk,
                notes="Demo hearing.",
            )
        event = OffenderEvent.objects.filter(hearing=hearing).first()
        if event is not None:
            notifications_for_event(event)
