"""Reads of Puppies for Parole: the public dog pages (what may be shown, and their cache version), the
facility dashboard's tasks, apprenticeship hours, the reports' figures and the public figure.

The public reads take no user: they return only dogs the shelter released, with a bio and an approved
photo, and only the dog's own fields. No person's name, DOC ID or facility reaches them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth, TruncYear
from django.utils import timezone

from core.querysets import VIEW

from .choices import PUBLIC_STATUSES, DogStatus, TaskKind
from .models import Adoption, CgcAttempt, Dog, Graduation, HandlerAssignment, HandlerTask, PublicVersion, TrainingLog


# The approved photo of a dog -------------------------------------------------------------------------------
def _photo_model():
    """The reports app's Photo, read by name: photos of dogs go through its approval (a program app does not
    import the reports app; see docs/puppies.md for the hook core should offer instead)."""
    return apps.get_model("reports", "Photo")


def _approved_photos():
    Photo = _photo_model()
    return Photo.objects.filter(
        content_type=ContentType.objects.get_for_model(Dog), status="approved", consent_confirmed=True
    )


def public_version() -> str:
    """What the cached public pages depend on, in one query: the dogs' version (bumped by every write that
    changes them), the newest photo review of any dog and how many dog photos are approved (a photo approved or
    withdrawn in the reports app)."""
    Photo = _photo_model()
    dog_type = ContentType.objects.get_for_model(Dog)  # cached by Django after the first read
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT counter FROM {PublicVersion._meta.db_table} WHERE id = 1), "
            "max(reviewed_at), count(*) FILTER (WHERE status = 'approved' AND consent_confirmed) "
            f"FROM {Photo._meta.db_table} WHERE content_type_id = %s",
            [dog_type.pk],
        )
        counter, reviewed, approved = cursor.fetchone()
    return f"{counter or 0}-{int(reviewed.timestamp() * 1000) if reviewed else 0}-{approved}"


def public_dogs():
    """Dogs the public may see: released by the shelter, in training, graduated or reserved, with a bio and an
    approved photo. ``photo_key``, ``photo_alt`` annotated."""
    photos = _approved_photos().filter(object_id=OuterRef("pk")).order_by("-reviewed_at", "-pk")
    return (
        Dog.objects.filter(released_for_adoption=True, status__in=sorted(PUBLIC_STATUSES))
        .exclude(bio="")
        .annotate(photo_key=Subquery(photos.values("key")[:1]), photo_alt=Subquery(photos.values("alt_text")[:1]))
        .filter(photo_key__isnull=False)
        .select_related("shelter__organization")
        .order_by("status", "name", "pk")
    )


def public_dog(pk: int) -> Dog | None:
    return public_dogs().filter(pk=pk).first()


def age_text(birth: dt.date, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    months = (today.year - birth.year) * 12 + today.month - birth.month - (today.day < birth.day)
    months = max(months, 0)
    if months < 24:
        return f"about {months} month{'s' if months != 1 else ''}"
    return f"about {months // 12} years"


# Staff reads ---------------------------------------------------------------------------------------------------
def open_tasks(user):
    """Open handler tasks the user may see, return-to-shelter first, oldest first."""
    return (
        HandlerTask.objects.restrict(user, VIEW)
        .filter(resolved_at__isnull=True)
        .select_related("dog", "facility")
        .order_by("-kind", "opened_at", "pk")
    )


def dogs_for(user):
    return Dog.objects.restrict(user, VIEW)


def current_handlers(dogs) -> dict[int, list[HandlerAssignment]]:
    """The open assignments of these dogs, by dog, in one query."""
    out: dict[int, list[HandlerAssignment]] = {}
    for a in HandlerAssignment.objects.filter(dog__in=dogs, ended_on__isnull=True).select_related("offender"):
        out.setdefault(a.dog_id, []).append(a)
    return out


@dataclass(frozen=True)
class HandlerHours:
    offender_id: int
    name: str
    doc_id: str
    minutes: int
    sessions: int
    dogs: int
    first: dt.date | None
    last: dt.date | None

    @property
    def hours(self) -> str:
        return f"{self.minutes // 60}:{self.minutes % 60:02d}"


def apprenticeship_hours(user, *, start: dt.date | None = None, end: dt.date | None = None, offender=None):
    """Standing training minutes per handler (the training log), for the reentry file."""
    logs = TrainingLog.objects.restrict(user, VIEW).active().between(start, end)
    if offender is not None:
        logs = logs.filter(handler=offender)
    rows = (
        logs.values("handler_id", "handler__first_name", "handler__last_name", "handler__doc_id")
        .annotate(
            minutes=Sum("minutes"),
            sessions=Count("pk"),
            dogs=Count("dog", distinct=True),
            first=Min("date"),
            last=Max("date"),
        )
        .order_by("handler__last_name", "handler__first_name", "handler_id")
    )
    return [
        HandlerHours(
            offender_id=r["handler_id"],
            name=f"{r['handler__first_name']} {r['handler__last_name']}",
            doc_id=r["handler__doc_id"],
            minutes=r["minutes"] or 0,
            sessions=r["sessions"],
            dogs=r["dogs"],
            first=r["first"],
            last=r["last"],
        )
        for r in rows
    ]


def handler_logs(user, offender, *, start=None, end=None):
    return (
        TrainingLog.objects.restrict(user, VIEW)
        .active()
        .between(start, end)
        .filter(handler=offender)
        .select_related("dog", "facility")
        .order_by("date", "pk")
    )


# Reports ------------------------------------------------------------------------------------------------------
def in_training_by_facility(user):
    return list(
        Dog.objects.restrict(user, VIEW)
        .filter(
            status__in=[DogStatus.IN_TRAINING, DogStatus.EXTENDED_TRAINING, DogStatus.GRADUATED, DogStatus.RESERVED]
        )
        .values("facility__code", "facility__name")
        .annotate(
            training=Count("pk", filter=Q(status=DogStatus.IN_TRAINING)),
            extended=Count("pk", filter=Q(status=DogStatus.EXTENDED_TRAINING)),
            graduated=Count("pk", filter=Q(status__in=[DogStatus.GRADUATED, DogStatus.RESERVED])),
        )
        .order_by("facility__code")
    )


def graduations(user, start=None, end=None):
    qs = Graduation.objects.restrict(user, VIEW).annotate(count=Count("dogs")).order_by("-date")
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    return qs


def adoptions_by_month(user, start=None, end=None):
    qs = Adoption.objects.restrict(user, VIEW)
    if start:
        qs = qs.filter(adopted_on__gte=start)
    if end:
        qs = qs.filter(adopted_on__lte=end)
    return list(
        qs.annotate(month=TruncMonth("adopted_on"))
        .values("month", "shelter__organization__name")
        .annotate(count=Count("pk"), returned=Count("pk", filter=Q(returned_on__isnull=False)), fees=Sum("fee"))
        .order_by("month", "shelter__organization__name")
    )


def days_to_adoption(user, start=None, end=None):
    qs = Adoption.objects.restrict(user, VIEW).select_related("dog", "shelter__organization")
    if start:
        qs = qs.filter(adopted_on__gte=start)
    if end:
        qs = qs.filter(adopted_on__lte=end)
    return [(a, (a.adopted_on - a.dog.intake_on).days) for a in qs.order_by("adopted_on", "pk")]


def returns(user):
    return Adoption.objects.restrict(user, VIEW).filter(returned_on__isnull=False).select_related("dog")


def cgc_attempts_for(user):
    return CgcAttempt.objects.restrict(user, VIEW)


# Public figures (statewide, no user) -------------------------------------------------------------------------------
def dogs_adopted(start: dt.date | None = None, end: dt.date | None = None) -> int | None:
    """Adoptions recorded (a dog returned and adopted again counts twice: two adoptions)."""
    qs = Adoption.objects.all()
    if start:
        qs = qs.filter(adopted_on__gte=start)
    if end:
        qs = qs.filter(adopted_on__lte=end)
    count = qs.count()
    return count or None


def adoptions_by_year(user) -> list[tuple[int, int]]:
    """(year, adoptions) recorded in RJ Admin that ``user`` may see, oldest first."""
    from django.db.models.functions import ExtractYear

    rows = (
        Adoption.objects.restrict(user, VIEW)
        .annotate(year=ExtractYear("adopted_on"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    return [(r["year"], r["n"]) for r in rows]


def dogs_in_training() -> int | None:
    count = Dog.objects.filter(status__in=[DogStatus.IN_TRAINING, DogStatus.EXTENDED_TRAINING]).count()
    return count or None


def task_counts(user) -> dict:
    qs = HandlerTask.objects.restrict(user, VIEW).filter(resolved_at__isnull=True)
    return qs.aggregate(
        reassign=Count("pk", filter=Q(kind=TaskKind.REASSIGN)), ret=Count("pk", filter=Q(kind=TaskKind.RETURN))
    )


# Participation: handlers' training hours, from the training log ------------------------------------------
HOURS = Decimal("0.01")


def minutes_to_hours(minutes) -> Decimal:
    """Minutes as hours with two decimals (half up): 95 minutes is 1.58 hours."""
    return (Decimal(minutes or 0) / 60).quantize(HOURS, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ParticipationItem:
    """One training session a person logged as a handler, for their record: newest first."""

    date: dt.date
    what: str  # "Dog training: Biscuit"
    hours: Decimal
    where: str  # the facility's code
    url: str
    source: str
    sort_key: tuple = ()


def standing_training(user=None):
    """Standing training logs (void ones count nowhere), scoped when ``user`` is given."""
    qs = TrainingLog.objects.active()
    return qs.restrict(user, VIEW) if user is not None else qs


def participation_hours(offender_ids, *, user=None, start=None, end=None) -> dict[int, Decimal]:
    """Training hours each handler logged (standing logs; one query), from ``start`` to ``end`` when given."""
    qs = standing_training(user).filter(handler_id__in=list(offender_ids)).between(start, end)
    rows = qs.order_by().values("handler_id").annotate(minutes=Sum("minutes"))
    return {r["handler_id"]: minutes_to_hours(r["minutes"]) for r in rows}


def participation_items(offender, user) -> list[ParticipationItem]:
    """The training sessions ``offender`` logged as a handler, as ``user`` may see them, newest first (one query)."""
    qs = standing_training(user).filter(handler=offender).select_related("dog", "facility").order_by("-date", "-pk")
    return [
        ParticipationItem(
            date=log.date,
            what=f"Dog training: {log.dog.name}",
            hours=minutes_to_hours(log.minutes),
            where=log.facility.code,
            url=log.get_absolute_url(),
            source=f"puppies.TrainingLog:{log.pk}",
            sort_key=(log.date.isoformat(), log.pk),
        )
        for log in qs
    ]


def training_hours_by_facility(*, user, start=None, end=None, by: str = "month") -> list[dict]:
    """Training hours and handlers (distinct) by facility and month (or year), standing logs, scoped to ``user``."""
    trunc = TruncYear if by == "year" else TruncMonth
    rows = (
        standing_training(user)
        .between(start, end)
        .order_by()
        .annotate(period=trunc("date"))
        .values("facility__code", "facility__name", "period")
        .annotate(people=Count("handler_id", distinct=True), minutes=Sum("minutes"))
        .order_by("facility__code", "period")
    )
    return [
        {
            "facility": r["facility__code"],
            "facility_name": r["facility__name"],
            "period": r["period"],
            "people": r["people"],
            "hours": minutes_to_hours(r["minutes"]),
        }
        for r in rows
    ]
