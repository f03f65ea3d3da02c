"""The boards' reports for the catalog (``reports:run``): referrals, completion rates and time to closure,
by district and year, each through ``.restrict(user)``; and the public figure (statewide, no person)."""

from __future__ import annotations

from django.db.models import Avg, Count, F, Q
from django.db.models.functions import ExtractYear

from core.querysets import VIEW

from .choices import AgreementStatus, ReferralStatus
from .models import Agreement, BoardReferral


def referrals_report(user, params) -> dict:
    """Referrals by district, year and source, with how many were accepted and declined."""
    year = params.get("year")
    qs = BoardReferral.objects.restrict(user, VIEW)
    if year:
        qs = qs.filter(referred_on__year=year)
    rows = (
        qs.annotate(year=ExtractYear("referred_on"))
        .values("year", "board__district__name", "source")
        .annotate(
            n=Count("pk"),
            accepted=Count("pk", filter=Q(status=ReferralStatus.ACCEPTED)),
            declined=Count("pk", filter=Q(status=ReferralStatus.DECLINED)),
        )
        .order_by("-year", "board__district__name", "source")
    )
    sources = dict(BoardReferral._meta.get_field("source").choices)
    return {
        "tables": [
            {
                "title": "Referrals by year, district and source" + (f" ({year})" if year else ""),
                "columns": ["Year", "District", "Referred by", "Referrals", "Accepted", "Declined"],
                "rows": [
                    [r["year"], r["board__district__name"], sources[r["source"]], r["n"], r["accepted"], r["declined"]]
                    for r in rows
                ],
            }
        ]
    }


def _closed(user, year):
    qs = Agreement.objects.restrict(user, VIEW).exclude(status=AgreementStatus.ACTIVE)
    if year:
        qs = qs.filter(closed_on__year=year)
    return qs.annotate(year=ExtractYear("closed_on"))


def completion_report(user, params) -> dict:
    """Closed agreements by district and year of closure: completed, partially completed, failed, the rate
    completed, and the average days from approval to closure."""
    year = params.get("year")
    rows = (
        _closed(user, year)
        .values("year", "board__district__name")
        .annotate(
            n=Count("pk"),
            completed=Count("pk", filter=Q(status=AgreementStatus.COMPLETED)),
            partial=Count("pk", filter=Q(status=AgreementStatus.PARTIAL)),
            failed=Count("pk", filter=Q(status=AgreementStatus.FAILED)),
            days=Avg(F("closed_on") - F("approved_on")),
        )
        .order_by("-year", "board__district__name")
    )

    def days(value):
        if value is None:
            return "—"
        return f"{value.days + value.seconds / 86400:.0f}" if hasattr(value, "days") else f"{value:.0f}"

    return {
        "intro": "Agreements closed in the year: completed (every condition met), partially completed, or failed "
        "and returned to court; the time to closure counts the days from the approval to the closure.",
        "tables": [
            {
                "title": "Completion and time to closure by year and district" + (f" ({year})" if year else ""),
                "columns": [
                    "Year",
                    "District",
                    "Closed",
                    "Completed",
                    "Partially completed",
                    "Failed",
                    "Completion rate",
                    "Average days to closure",
                ],
                "rows": [
                    [
                        r["year"],
                        r["board__district__name"],
                        r["n"],
                        r["completed"],
                        r["partial"],
                        r["failed"],
                        f"{100 * r['completed'] / r['n']:.1f}%",
                        days(r["days"]),
                    ]
                    for r in rows
                ],
            }
        ],
    }


# The public figure (statewide, no person) ----------------------------------------------------------------
def agreements_completed_total() -> int | None:
    n = Agreement.objects.filter(status=AgreementStatus.COMPLETED).count()
    return n or None


def agreements_completed_in_year(year: int) -> int:
    return Agreement.objects.filter(status=AgreementStatus.COMPLETED, closed_on__year=year).count()
