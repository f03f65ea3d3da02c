"""Reads of the victims app, each through ``.restrict(user)``."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from core.models import CourtCase

from .models import ReadLog, Victim


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
