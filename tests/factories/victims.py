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
