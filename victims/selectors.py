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
