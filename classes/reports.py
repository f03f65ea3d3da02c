"""The classes' reports for the catalog (``reports:run``): completions, attendance rates, waiting lists."""

from __future__ import annotations

from django.db.models import Avg, Count, F
from django.db.models.functions import ExtractYear
from django.utils import timezone

from core.querysets import VIEW

from . import selectors
from .choices import EnrollmentStatus, ReferralStatus
from .models import Enrollment, Referral

BASELINE_NOTE = (
    "These are the completions recorded in RJ Admin. The completions from before RJ Admin (more than 50,000 "
    "since the class began) are the historical baseline an administrator keeps under Reports, Historical "
    "baselines (figure “classes-completions”); the public figure adds the two, and they are never mixed here."
)


def completions_report(user, params) -> dict:
    """Completions by the facility of the class, the person's district and the year."""
    year = params.get("year")
    qs = Enrollment.objects.restrict(user, VIEW).filter(status=EnrollmentStatus.COMPLETED)
    if year:
        qs = qs.filter(ended_on__year=year)
    rows = (
        qs.annotate(year=ExtractYear("ended_on"))
        .values("year", "offering__facility__code", "offender__district__name")
        .annotate(n=Count("pk"))
        .order_by("-year", "offering__facility__code", "offender__district__name")
    )
    by_facility = qs.values("offering__facility__code").annotate(n=Count("pk")).order_by("offering__facility__code")
    return {
        "intro": BASELINE_NOTE,
        "tables": [
            {
                "title": "Completions by year, facility and district" + (f" ({year})" if year else ""),
                "columns": ["Year", "Facility", "District", "Completions"],
                "rows": [
                    [r["year"], r["offering__facility__code"], r["offender__district__name"] or "—", r["n"]]
                    for r in rows
                ],
            },
            {
                "title": "Completions by facility",
                "columns": ["Facility", "Completions"],
                "rows": [[r["offering__facility__code"], r["n"]] for r in by_facility],
            },
        ],
    }


def attendance_report(user, params) -> dict:
    year = params.get("year")
    rows = selectors.attendance_rates(user, year)
    out = []
    for r in rows:
        rate = f"{100 * r['attended'] / r['entries']:.1f}%" if r["entries"] else "—"
        out.append([r["facility__code"], r["entries"], r["attended"], rate, r["not_held"], r["makeups"]])
    return {
        "intro": "A session not held (lockdown, count, cancelled) is left out of the rate: it counts against nobody.",
        "tables": [
            {
                "title": "Attendance by facility" + (f" ({year})" if year else ""),
                "columns": ["Facility", "Entries (held)", "Present or late", "Rate", "Not held", "Make-ups"],
                "rows": out,
            }
        ],
    }


def waiting_report(user, params) -> dict:
    today = timezone.localdate()
    waiting = Referral.objects.restrict(user, VIEW).filter(status=ReferralStatus.WAITING)
    rows = []
    for r in waiting.values("facility__code").annotate(n=Count("pk")).order_by("facility__code"):
        dates = waiting.filter(facility__code=r["facility__code"]).values_list("referred_on", flat=True)
        days = [(today - d).days for d in dates]
        rows.append([r["facility__code"], r["n"], round(sum(days) / len(days)) if days else 0, max(days, default=0)])
    enrolled = (
        Enrollment.objects.restrict(user, VIEW)
        .filter(referral__isnull=False)
        .annotate(wait=F("enrolled_on") - F("referral__referred_on"))
        .values("offering__facility__code")
        .annotate(n=Count("pk"), avg_wait=Avg("wait"))
        .order_by("offering__facility__code")
    )
    tests = (
        Enrollment.objects.restrict(user, VIEW)
        .filter(pretest_score__isnull=False, posttest_score__isnull=False)
        .aggregate(n=Count("pk"), pre=Avg("pretest_score"), post=Avg("posttest_score"))
    )
    return {
        "tables": [
            {
                "title": f"Waiting today ({today:%b %-d, %Y})",
                "columns": ["Facility", "People waiting", "Average days waiting", "Longest wait (days)"],
                "rows": rows,
            },
            {
                "title": "Referral to enrollment",
                "columns": ["Facility", "Enrolled from a referral", "Average days waited"],
                "rows": [
                    [r["offering__facility__code"], r["n"], r["avg_wait"].days if r["avg_wait"] is not None else "—"]
                    for r in enrolled
                ],
            },
            {
                "title": "Pre-test and post-test",
                "columns": ["People with both", "Average pre-test", "Average post-test", "Change"],
                "rows": [
                    [
                        tests["n"],
                        f"{tests['pre']:.1f}" if tests["pre"] is not None else "—",
                        f"{tests['post']:.1f}" if tests["post"] is not None else "—",
                        f"{tests['post'] - tests['pre']:+.1f}" if tests["n"] else "—",
                    ]
                ],
            },
        ]
    }
