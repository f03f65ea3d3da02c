"""Factories for victims: a victim and their identity are written through the service, as in the app."""

from __future__ import annotations

import datetime as dt

from core.choices import Role
from victims.models import Victim, VictimIdentity
from victims.services import victim_save

# Fictional details the leak tests search every response body for.
NAME = "Rosalind Quintero-Whitfield"
ADDRESS = "4417 Persimmon Hollow Road, Fulton, MO 65251"
PHONE = "(573) 555-0143"
EMAIL = "rosalind.qw@example.net"
DOB = dt.date(1979, 3, 14)
EMPLOYER = "Callaway Feed and Seed"
DESIGNATED = "PO Box 1409, Jefferson City, MO 65102"


def _clerk():
    from core.models import User
    from tests.factories import UserFactory

    return User.objects.filter(role=Role.VICTIM_SERVICES).first() or UserFactory(
        username="victims.clerk", role=Role.VICTIM_SERVICES
    )


def make_victim(*, cases=(), user=None, identity: dict | None = None, **fields) -> Victim:
    """A victim with an identity (by default the fictional details above) on ``cases``."""
    details = {
        "name": NAME,
        "address": ADDRESS,
        "phone": PHONE,
        "email": EMAIL,
        "date_of_birth": DOB,
        "employer": EMPLOYER,
    }
    details.update(identity or {})
    return victim_save(
        user=user or _clerk(), victim=Victim(**fields), identity=VictimIdentity(**details), cases=list(cases)
    )


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_statement(victim, *, user=None, case=None, board_mode: str = "", losses=(), **fields):
    """A statement on the victim's first case (the court only unless ``board_mode`` is given)."""
    from decimal import Decimal

    from victims.models import EconomicLoss, ImpactStatement
    from victims.services import statement_record

    statement = ImpactStatement(
        victim=victim,
        case=case or victim.cases.first(),
        received_on=fields.pop("received_on", dt.date(2026, 2, 2)),
        method=fields.pop("method", "letter"),
        consent="board" if board_mode else "court_only",
        board_mode=board_mode,
        statement_text=fields.pop("statement_text", "Since that night I cannot sleep."),
        **fields,
    )
    items = [EconomicLoss(category=c, amount=Decimal(a), documentation=d) for c, a, d in losses]
    return statement_record(user=user or _clerk(), statement=statement, losses=items)


def make_attachment(statement, *, user=None, data: bytes = PDF_BYTES, title="Hospital bill"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from victims.services import attachment_add

    upload = SimpleUploadedFile("bill.pdf", data, content_type="application/pdf")
    return attachment_add(user=user or _clerk(), statement=statement, upload=upload, title=title)
