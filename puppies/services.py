"""Writes with rules for Puppies for Parole.

- Dogs: intake, moves (dated movements, at most one open; no facility without a current rabies
  vaccination), CGC attempts (a failed dog to extended training), graduations.
- Handlers: eligibility (the administrators' rule: excluded offenses, days since a conduct violation),
  assignment, end; continuity when a handler is transferred, released or removed (``handlers_lose``): a
  blocking "reassign handler" task on the facility's dashboard the same day, and a dog with no eligible
  handler left flagged for return to its shelter.
- Adoptions: the public application (validated, the conflict check, mail stored before it is sent),
  statuses, the exclusive reservation (the dog's row locked, and a unique constraint behind it), the
  adoption through the owning shelter, follow-ups and returns.

Every write that changes what the public dog pages show calls ``public_changed()`` in its transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.choices import OffenderStatus, Role
from core.conflicts import PersonDetails, conflict_check, normalize_address
from core.models import CourtCase, Facility, Offender, User
from core.services import NewAlert, alerts_create, entry_void
from core.services import set_history as _set_history

from .choices import (
    AT_FACILITY,
    CGC_ITEMS,
    OPEN_APPLICATION,
    PUBLIC_STATUSES,
    STEPS,
    ApplicationStatus,
    DogStatus,
    HandlerEndReason,
    HandlerRole,
    MailKind,
    MailStatus,
    TaskKind,
    TrainingLevel,
    VaccineKind,
)
from .models import (
    Adoption,
    AdoptionApplication,
    ApplicationMail,
    ApplyThrottle,
    CgcAttempt,
    ConductViolation,
    Dog,
    EligibilityRule,
    Graduation,
    HandlerAssignment,
    HandlerTask,
    Movement,
    ProgramRemoval,
    PublicVersion,
    TrainingLog,
    TrainingMilestone,
    Vaccination,
)

log = logging.getLogger(__name__)

DEFAULT_EXCLUDED = ("animal cruelty", "animal abuse", "animal neglect", "sexual", "rape", "sodomy", "child molestation")
DEFAULT_CONDUCT_DAYS = 180
# The public application: this many posts per address per window.
APPLY_LIMIT = getattr(settings, "PUPPIES_APPLY_LIMIT", 5)
APPLY_WINDOW = dt.timedelta(seconds=getattr(settings, "PUPPIES_APPLY_WINDOW_SECONDS", 3600))


def _today() -> dt.date:
    return timezone.localdate()


# The public pages' version --------------------------------------------------------------------------
def public_changed() -> None:
    """Bump the public pages' version (inside the caller's transaction: a rollback keeps the old pages)."""
    if not PublicVersion.objects.filter(pk=1).update(counter=F("counter") + 1):
        PublicVersion.objects.get_or_create(pk=1)
        PublicVersion.objects.filter(pk=1).update(counter=F("counter") + 1)


# Dogs -------------------------------------------------------------------------------------------------
@transaction.atomic
def dog_intake(*, user, dog: Dog) -> Dog:
    """A dog from a partner shelter enters the program's records, at the shelter (not yet placed)."""
    dog.status = DogStatus.AT_SHELTER
    dog.facility = None
    dog.housing_unit = ""
    dog.full_clean()
    _set_history(dog, user, "Intake")
    dog.save()
    Movement.objects.create(
        dog=dog, status=DogStatus.AT_SHELTER, started_on=dog.intake_on, note="Intake", entered_by=user
    )
    public_changed()
    return dog


@transaction.atomic
def dog_save(*, user, dog: Dog, reason: str = "") -> Dog:
    """An edit of the dog's details (not its status or location, which only a movement changes)."""
    dog.full_clean()
    _set_history(dog, user, reason)
    dog.save()
    public_changed()
    return dog


def rabies_current(dog: Dog, on: dt.date) -> bool:
    return Vaccination.objects.filter(dog=dog, kind=VaccineKind.RABIES, given_on__lte=on, expires_on__gte=on).exists()


def _lock_dog(dog: Dog) -> Dog:
    return Dog.objects.select_for_update(of=("self",)).get(pk=dog.pk)


def _move(*, dog: Dog, status: str, on: dt.date, user, facility: Facility | None, housing_unit: str, note: str) -> Dog:
    """Close the open movement on ``on`` and open the new one; the dog's status and location follow.
    The caller holds the dog's row lock."""
    errors = {}
    if status in AT_FACILITY and facility is None:
        errors["facility"] = f"A dog {DogStatus(status).label.lower()} lives at a facility: choose it."
    if status not in AT_FACILITY:
        facility, housing_unit = None, ""
    if on > _today():
        errors["on"] = "The date is in the future."
    current = Movement.objects.select_for_update(of=("self",)).filter(dog=dog, ended_on__isnull=True).first()
    if current and on < current.started_on:
        errors["on"] = f"The dog's current status began on {current.started_on:%b %-d, %Y}: a move cannot be earlier."
    if on < dog.intake_on:
        errors["on"] = "The date is before the dog's intake."
    entering = facility is not None and facility.pk != dog.facility_id
    if entering:
        if not dog.shelter.facilities.filter(pk=facility.pk).exists():
            errors["facility"] = f"{dog.shelter} does not work with {facility}."
        if not rabies_current(dog, on):
            errors["facility"] = "The dog has no current rabies vaccination on that day: it cannot enter a facility."
    if errors:
        raise ValidationError(errors)
    leaving = dog.facility_id is not None and (facility is None or facility.pk != dog.facility_id)
    if current:
        current.ended_on = on
        _set_history(current, user)
        current.save(update_fields=["ended_on"])
    Movement.objects.create(
        dog=dog,
        status=status,
        facility=facility,
        housing_unit=(housing_unit or "").strip(),
        started_on=on,
        note=(note or "").strip()[:300],
        entered_by=user,
    )
    dog.status = status
    dog.facility = facility
    dog.housing_unit = (housing_unit or "").strip()
    _set_history(dog, user, f"{DogStatus(status).label}" + (f": {note}" if note else ""))
    dog.save(update_fields=["status", "facility", "housing_unit", "updated_at"])
    if leaving:
        for assignment in HandlerAssignment.objects.filter(dog=dog, ended_on__isnull=True):
            _end_assignment(assignment, on=max(on, assignment.started_on), reason=HandlerEndReason.DOG_LEFT, user=user)
        _resolve_tasks(dog, user=user, resolution="The dog left the facility.")
    public_changed()
    return dog


# Statuses staff set on the dog's move page; graduation, reservation and adoption have their own services.
MOVABLE = (
    DogStatus.IN_TRAINING,
    DogStatus.EXTENDED_TRAINING,
    DogStatus.RETURNED,
    DogStatus.OTHER,
    DogStatus.AT_SHELTER,
)


@transaction.atomic
def dog_move(
    *,
    dog: Dog,
    status: str,
    on: dt.date,
    user,
    facility: Facility | None = None,
    housing_unit: str = "",
    note: str = "",
) -> Dog:
    """Staff move a dog: into a facility (training), between housing units or facilities, back to the shelter."""
    if status not in MOVABLE:
        raise ValidationError({"status": "Graduation, reservation and adoption are recorded on their own pages."})
    dog = _lock_dog(dog)
    if dog.status in (DogStatus.RESERVED, DogStatus.ADOPTED):
        raise ValidationError(
            {"status": f"The dog is {dog.get_status_display().lower()}: decline the reservation or record the return."}
        )
    if status == DogStatus.OTHER and not (note or "").strip():
        raise ValidationError({"note": "Say what the other outcome is."})
    return _move(dog=dog, status=status, on=on, user=user, facility=facility, housing_unit=housing_unit, note=note)


# Eligibility ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    terms: tuple[str, ...]
    conduct_days: int
    effective_on: dt.date | None = None


def current_rule(on: dt.date | None = None) -> Rule:
    """The administrators' rule in effect on ``on``; the defaults before any is set."""
    on = on or _today()
    rule = EligibilityRule.objects.filter(effective_on__lte=on).order_by("-effective_on").first()
    if rule is None:
        return Rule(terms=DEFAULT_EXCLUDED, conduct_days=DEFAULT_CONDUCT_DAYS)
    return Rule(terms=tuple(rule.terms), conduct_days=rule.conduct_days, effective_on=rule.effective_on)


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)


def handler_eligibility(*, offender: Offender, facility: Facility | None, on: dt.date | None = None) -> Eligibility:
    """Whether ``offender`` may handle a dog at ``facility`` on ``on``: held there, no excluded offense, no
    conduct violation in the rule's number of days, not removed from the program."""
    on = on or _today()
    rule = current_rule(on)
    reasons = []
    if offender.status != OffenderStatus.INCARCERATED:
        reasons.append("The person is not incarcerated.")
    elif facility is not None and offender.facility_id != facility.pk:
        reasons.append("The person is not held at the dog's facility.")
    if rule.terms:
        offense = Q()
        for term in rule.terms:
            offense |= Q(offense__icontains=term)
        if CourtCase.objects.filter(offender=offender).filter(offense).exists():
            reasons.append("A court case for an offense the program excludes.")
    since = on - dt.timedelta(days=rule.conduct_days)
    if ConductViolation.objects.active().filter(offender=offender, date__gt=since, date__lte=on).exists():
        reasons.append(f"A conduct violation in the last {rule.conduct_days} days.")
    if ProgramRemoval.objects.filter(offender=offender, lifted_on__isnull=True, removed_on__lte=on).exists():
        reasons.append("Removed from the program.")
    return Eligibility(eligible=not reasons, reasons=tuple(reasons))


# Handlers ------------------------------------------------------------------------------------------------
def _end_assignment(assignment: HandlerAssignment, *, on: dt.date, reason: str, user) -> None:
    assignment.ended_on = on
    assignment.end_reason = reason
    _set_history(assignment, user, HandlerEndReason(reason).label)
    assignment.save(update_fields=["ended_on", "end_reason"])


def _resolve_tasks(dog: Dog, *, user, resolution: str, kinds=None) -> int:
    qs = HandlerTask.objects.filter(dog=dog, resolved_at__isnull=True)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    count = 0
    for task in qs:
        task.resolved_at = timezone.now()
        task.resolved_by = user if user is not None and getattr(user, "pk", None) else None
        task.resolution = resolution[:300]
        _set_history(task, user, "Resolved")
        task.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        count += 1
    return count


@transaction.atomic
def handler_assign(*, dog: Dog, offender: Offender, role: str, on: dt.date, user) -> HandlerAssignment:
    """Make ``offender`` the dog's primary or secondary handler from ``on``; whoever held that role ends
    (reassigned). The person must be eligible at the dog's facility. The training log stays with the dog."""
    dog = _lock_dog(dog)
    offender = Offender.objects.get(pk=offender.pk)  # where the person is held now, whatever the caller's copy says
    if dog.status not in AT_FACILITY:
        raise ValidationError({"dog": "The dog does not live at a facility now."})
    if role not in HandlerRole.values:
        raise ValidationError({"role": "Choose primary or secondary."})
    if on > _today():
        raise ValidationError({"started_on": "The date is in the future."})
    eligibility = handler_eligibility(offender=offender, facility=dog.facility, on=on)
    if not eligibility.eligible:
        raise ValidationError({"offender": " ".join(eligibility.reasons)})
    open_ = {
        a.role: a
        for a in HandlerAssignment.objects.select_for_update(of=("self",)).filter(dog=dog, ended_on__isnull=True)
    }
    for other_role, a in open_.items():
        if a.offender_id == offender.pk and other_role != role:
            raise ValidationError({"offender": f"This person is already the dog's {a.get_role_display().lower()}."})
        if a.offender_id == offender.pk and other_role == role:
            raise ValidationError({"offender": "This person already holds that role."})
    if role in open_:
        previous = open_[role]
        if on < previous.started_on:
            raise ValidationError({"started_on": "The date is before the current handler's start."})
        _end_assignment(previous, on=on, reason=HandlerEndReason.REASSIGNED, user=user)
    assignment = HandlerAssignment(
        dog=dog, offender=offender, facility=dog.facility, role=role, started_on=on, entered_by=user
    )
    assignment.full_clean()
    _set_history(assignment, user)
    assignment.save()
    _resolve_tasks(dog, user=user, resolution=f"{offender.full_name} assigned as {HandlerRole(role).label.lower()}.")
    return assignment


@transaction.atomic
def handler_end(*, assignment: HandlerAssignment, on: dt.date, user) -> HandlerAssignment:
    """Staff end a handler's assignment (reassigned); the dog gets a reassign task if it has no primary left."""
    assignment = HandlerAssignment.objects.select_for_update(of=("self",)).get(pk=assignment.pk)
    if assignment.ended_on is not None:
        raise ValidationError("This assignment has already ended.")
    if on < assignment.started_on or on > _today():
        raise ValidationError({"ended_on": "The end is before the start or in the future."})
    _end_assignment(assignment, on=on, reason=HandlerEndReason.REASSIGNED, user=user)
    _flag(assignment.dog, on=on, source=f"end:{assignment.pk}", user=user, why="A handler's assignment was ended.")
    return assignment


def _eligible_left(dog: Dog, on: dt.date) -> bool:
    for a in HandlerAssignment.objects.filter(dog=dog, ended_on__isnull=True).select_related("offender"):
        if handler_eligibility(offender=a.offender, facility=dog.facility, on=on).eligible:
            return True
    return False


def _open_task(dog: Dog, *, kind: str, on: dt.date, reason: str, source: str) -> HandlerTask | None:
    """The dog's open task of this kind, opened if there is none (a re-run opens nothing twice)."""
    existing = HandlerTask.objects.filter(dog=dog, kind=kind, resolved_at__isnull=True).first()
    if existing:
        return None
    try:
        with transaction.atomic():
            return HandlerTask.objects.create(
                dog=dog, facility=dog.facility, kind=kind, reason=reason[:300], opened_on=on, source=source[:60]
            )
    except IntegrityError:  # opened at the same moment by another delivery
        return None


def _flag(dog: Dog, *, on: dt.date, source: str, user, why: str) -> list[HandlerTask]:
    """A dog that lost a handler: a reassign task, and a return task when no eligible handler is left."""
    dog = Dog.objects.select_related("facility").get(pk=dog.pk)
    if dog.facility_id is None:
        return []
    opened = []
    if task := _open_task(dog, kind=TaskKind.REASSIGN, on=on, reason=why, source=source):
        opened.append(task)
    if not _eligible_left(dog, on):
        reason = "No eligible handler is left with the dog: assign one or return the dog to its shelter."
        if task := _open_task(dog, kind=TaskKind.RETURN, on=on, reason=reason, source=source):
            opened.append(task)
    _alert_staff(opened)
    return opened


def _alert_staff(tasks: list[HandlerTask]) -> None:
    if not tasks:
        return
    staff = User.facilities.through.objects.filter(
        facility_id__in={t.facility_id for t in tasks}, user__is_active=True, user__role=Role.FACILITY_STAFF
    ).values_list("user_id", "facility_id")
    by_facility: dict[int, list[int]] = {}
    for user_id, facility_id in staff:
        by_facility.setdefault(facility_id, []).append(user_id)
    alerts = []
    for task in tasks:
        for user_id in by_facility.get(task.facility_id, []):
            alerts.append(
                NewAlert(
                    user_id=user_id,
                    title=f"{task.get_kind_display()}: {task.dog.name}",
                    body=task.reason,
                    link=reverse("puppies:handlertask_detail", args=[task.pk]),
                    key=f"puppies:task:{task.pk}",
                )
            )
    alerts_create(alerts)


@transaction.atomic
def handlers_lose(*, offender: Offender, reason: str, on: dt.date, source: str, user=None) -> list[HandlerTask]:
    """``offender`` can no longer handle (transferred, released, removed): each dog they handle loses them and
    gets a blocking task at its facility. Idempotent: a second run finds no open assignment."""
    opened = []
    assignments = list(
        HandlerAssignment.objects.select_for_update(of=("self",))
        .filter(offender=offender, ended_on__isnull=True)
        .order_by("pk")
    )
    why = {
        HandlerEndReason.TRANSFERRED: "A handler was transferred to another facility.",
        HandlerEndReason.RELEASED: "A handler left custody (released).",
        HandlerEndReason.REMOVED: "A handler was removed from the program.",
    }.get(reason, "A handler can no longer handle the dog.")
    for assignment in assignments:
        _end_assignment(assignment, on=max(on, assignment.started_on), reason=reason, user=user)
    for dog_id in sorted({a.dog_id for a in assignments}):
        opened += _flag(Dog(pk=dog_id), on=on, source=source, user=user, why=why)
    return opened


def on_offender_event(event) -> None:
    """The offender-event hook: a person no longer incarcerated (released, escaped...) or transferred. The state
    read is the person's now, so a retry or a second event of the same change does nothing more."""
    from core.choices import OffenderEventKind

    offender = Offender.objects.get(pk=event.offender_id)
    on = timezone.localtime(event.occurred_at).date()
    source = f"event:{event.pk}"
    if offender.status != OffenderStatus.INCARCERATED:
        handlers_lose(offender=offender, reason=HandlerEndReason.RELEASED, on=on, source=source)
    elif event.kind == OffenderEventKind.FACILITY:
        moved = HandlerAssignment.objects.filter(offender=offender, ended_on__isnull=True).exclude(
            facility_id=offender.facility_id
        )
        if moved.exists():
            handlers_lose(offender=offender, reason=HandlerEndReason.TRANSFERRED, on=on, source=source)


@transaction.atomic
def program_remove(*, offender: Offender, facility: Facility, on: dt.date, reason: str, user) -> ProgramRemoval:
    """Staff remove a person from the program: every dog they handle gets its tasks the same day."""
    removal = ProgramRemoval(
        offender=offender, facility=facility, removed_on=on, reason=(reason or "").strip(), entered_by=user
    )
    if on > _today():
        raise ValidationError({"removed_on": "The date is in the future."})
    removal.full_clean()
    _set_history(removal, user)
    removal.save()
    handlers_lose(offender=offender, reason=HandlerEndReason.REMOVED, on=on, source=f"removal:{removal.pk}", user=user)
    return removal


@transaction.atomic
def task_resolve(*, task: HandlerTask, user, resolution: str) -> HandlerTask:
    task = HandlerTask.objects.select_for_update(of=("self",)).get(pk=task.pk)
    if task.resolved_at is not None:
        raise ValidationError("This task is already resolved.")
    if not (resolution or "").strip():
        raise ValidationError({"resolution": "Say how it was resolved."})
    task.resolved_at = timezone.now()
    task.resolved_by = user
    task.resolution = resolution.strip()[:300]
    _set_history(task, user, "Resolved")
    task.save()
    return task


def violation_void(*, entry: ConductViolation, user, reason: str) -> ConductViolation:
    with transaction.atomic():
        return entry_void(entry=entry, user=user, reason=reason, noun="conduct violation")


# Training -------------------------------------------------------------------------------------------------
@transaction.atomic
def training_log_record(
    *, user, dog: Dog, handler: Offender, date: dt.date, skills: str, minutes: int, notes: str = ""
) -> TrainingLog:
    """One session: the handler must have been the dog's handler that day."""
    dog = Dog.objects.get(pk=dog.pk)  # where the dog lives now, whatever the caller's copy says
    if dog.facility_id is None:
        raise ValidationError({"dog": "The dog does not live at a facility now."})
    handled = HandlerAssignment.objects.filter(dog=dog, offender=handler, started_on__lte=date).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=date)
    )
    if date and not handled.exists():
        raise ValidationError({"handler": "This person was not the dog's handler on that day."})
    entry = TrainingLog(
        dog=dog,
        facility_id=dog.facility_id,
        handler=handler,
        date=date,
        skills=(skills or "").strip(),
        minutes=minutes,
        notes=(notes or "").strip(),
        entered_by=user,
    )
    entry.full_clean()
    _set_history(entry, user)
    entry.save()
    return entry


def training_log_void(*, entry: TrainingLog, user, reason: str) -> TrainingLog:
    with transaction.atomic():
        return entry_void(entry=entry, user=user, reason=reason, noun="training entry")


@transaction.atomic
def training_level_set(*, dog: Dog, level: str, user) -> Dog:
    dog = _lock_dog(dog)
    if level not in TrainingLevel.values:
        raise ValidationError({"training_level": "Choose a level."})
    dog.training_level = level
    _set_history(dog, user, f"Training level: {TrainingLevel(level).label}")
    dog.save(update_fields=["training_level", "updated_at"])
    return dog


@transaction.atomic
def milestone_record(*, user, dog: Dog, date: dt.date, milestone: str, note: str = "") -> TrainingMilestone:
    """A milestone of a dog living at a facility; a level milestone sets the dog's training level."""
    dog = _lock_dog(dog)
    if dog.facility_id is None:
        raise ValidationError({"dog": "The dog does not live at a facility now."})
    if date and date > _today():
        raise ValidationError({"date": "The date is in the future."})
    if date and date < dog.intake_on:
        raise ValidationError({"date": "The date is before the dog's intake."})
    entry = TrainingMilestone(
        dog=dog, facility_id=dog.facility_id, date=date, milestone=milestone, note=(note or "").strip(), entered_by=user
    )
    if milestone == "other" and not entry.note:
        raise ValidationError({"note": "Say what the milestone is."})
    entry.full_clean()
    _set_history(entry, user)
    entry.save()
    if milestone in TrainingLevel.values:
        dog.training_level = milestone
        _set_history(dog, user, f"Milestone: {entry.get_milestone_display()}")
        dog.save(update_fields=["training_level", "updated_at"])
    return entry


@transaction.atomic
def cgc_record(*, user, attempt: CgcAttempt) -> CgcAttempt:
    """Record a CGC test. Passed only when all ten items pass and the dog was not dismissed; a dog that did
    not pass moves to extended training that day."""
    dog = _lock_dog(attempt.dog)
    if dog.status not in (DogStatus.IN_TRAINING, DogStatus.EXTENDED_TRAINING):
        raise ValidationError({"dog": "Only a dog in training takes the CGC test."})
    attempt.dog = dog
    attempt.facility_id = dog.facility_id
    attempt.entered_by = user
    attempt.passed = attempt.compute_passed()
    attempt.full_clean()
    if (
        attempt.date
        and attempt.date < dog.movements.filter(ended_on__isnull=True).values_list("started_on", flat=True).first()
    ):
        raise ValidationError({"date": "The date is before the dog's current status began."})
    _set_history(attempt, user)
    attempt.save()
    if attempt.passed:
        dog.training_level = TrainingLevel.CGC_READY
        dog.save(update_fields=["training_level", "updated_at"])
    elif dog.status == DogStatus.IN_TRAINING:
        _move(
            dog=dog,
            status=DogStatus.EXTENDED_TRAINING,
            on=attempt.date,
            user=user,
            facility=dog.facility,
            housing_unit=dog.housing_unit,
            note="Did not pass the CGC test",
        )
    return attempt


def cgc_passed(dog: Dog, on: dt.date | None = None) -> bool:
    qs = CgcAttempt.objects.filter(dog=dog, passed=True)
    if on:
        qs = qs.filter(date__lte=on)
    return qs.exists()


@transaction.atomic
def graduation_record(*, user, facility: Facility, date: dt.date, name: str, dogs) -> Graduation:
    """A cohort graduates: each dog lives at the facility and has passed the CGC test by that day."""
    dogs = list(Dog.objects.select_for_update(of=("self",)).filter(pk__in=[d.pk for d in dogs]).order_by("pk"))
    errors = []
    if not dogs:
        raise ValidationError({"dogs": "Choose the dogs that graduate."})
    if date > _today():
        raise ValidationError({"date": "The date is in the future."})
    for dog in dogs:
        if dog.facility_id != facility.pk or dog.status not in (DogStatus.IN_TRAINING, DogStatus.EXTENDED_TRAINING):
            errors.append(f"{dog.name} is not in training at {facility.code}.")
        elif not cgc_passed(dog, date):
            errors.append(f"{dog.name} has not passed the CGC test by that day.")
    if errors:
        raise ValidationError({"dogs": errors})
    graduation = Graduation(facility=facility, date=date, name=(name or "").strip(), entered_by=user)
    graduation.full_clean()
    _set_history(graduation, user)
    graduation.save()
    graduation.dogs.set(dogs)
    for dog in dogs:
        _move(
            dog=dog,
            status=DogStatus.GRADUATED,
            on=date,
            user=user,
            facility=dog.facility,
            housing_unit=dog.housing_unit,
            note=f"Graduated: {graduation.name}",
        )
    return graduation


# Public application ---------------------------------------------------------------------------------------
def household_key(address: str, zip_code: str) -> str:
    """One household: the normalized street address and the 5-digit ZIP code, hashed."""
    text = f"{normalize_address(address)}|{(zip_code or '').strip()[:5]}"
    return hashlib.sha256(text.encode()).hexdigest()


def address_hash(address: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}|{address}".encode()).hexdigest()


def throttle_hit(*, address: str, now: dt.datetime | None = None) -> bool:
    """Count one post from ``address``; False when it is over the limit for the window. One statement
    (an upsert), so every web worker counts in the same row."""
    from django.db import connection

    now = now or timezone.now()
    seconds = int(APPLY_WINDOW.total_seconds())
    start = dt.datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, tz=dt.UTC)
    table = ApplyThrottle._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (address_hash, window_start, count) VALUES (%s, %s, 1) "
            "ON CONFLICT (address_hash, window_start) DO UPDATE SET count = "
            f"{table}.count + 1 RETURNING count",
            [address_hash(address), start],
        )
        (count,) = cursor.fetchone()
    return count <= APPLY_LIMIT


def dog_takes_applications(dog: Dog) -> bool:
    return dog.released_for_adoption and dog.status in PUBLIC_STATUSES and dog.status != DogStatus.RESERVED


def _handlers_of(dog: Dog) -> list[Offender]:
    ids = HandlerAssignment.objects.filter(dog=dog).values_list("offender_id", flat=True).distinct()
    return list(Offender.objects.filter(pk__in=ids).order_by("pk"))


@transaction.atomic
def application_submit(*, application: AdoptionApplication) -> AdoptionApplication:
    """A member of the public applies for a dog. The conflict check runs on the applicant against the victims
    of every person who has handled the dog; a hit holds the application for victim services. The
    applicant is told the same ("under review") either way. The acknowledgement is stored, then sent."""
    dog = Dog.objects.select_for_update(of=("self",)).get(pk=application.dog_id)
    if not dog_takes_applications(dog):
        raise ValidationError("This dog is not taking applications now.")
    application.dog = dog
    application.facility_id = dog.facility_id
    application.status = ApplicationStatus.NEW
    for name in ("name", "email", "phone", "address", "town", "zip_code", "children_ages", "other_pets"):
        setattr(application, name, (getattr(application, name) or "").strip())
    application.household_key = household_key(application.address, application.zip_code)
    if AdoptionApplication.objects.filter(
        dog=dog, household_key=application.household_key, status__in=sorted(OPEN_APPLICATION)
    ).exists():
        raise ValidationError(f"Your household already has an open application for {dog.name}.")
    application.full_clean()
    person = PersonDetails.of(
        name=application.name,
        address=f"{application.address} {application.town} {application.zip_code}",
        phone=application.phone,
        email=application.email,
    )
    references = []
    for handler in _handlers_of(dog):
        result = conflict_check(offender=handler, person=person)
        references += result.references
    application.conflict_reference = ";".join(dict.fromkeys(references))[:80]
    application.save()
    if application.conflict_reference:
        _alert_victim_services(application)
    _queue_mail(application, MailKind.ACKNOWLEDGE)
    return application


def _alert_victim_services(application: AdoptionApplication) -> None:
    """The application is held: every victim services user is told where to review it (no name in the alert)."""
    users = User.objects.filter(is_active=True, role=Role.VICTIM_SERVICES).values_list("pk", flat=True)
    alerts_create(
        [
            NewAlert(
                user_id=pk,
                title="An adoption application waits for a conflict review",
                body=f"Possible conflict {application.conflict_reference}: review the match, then clear the "
                "application or leave it held.",
                link=application.get_absolute_url(),
                key=f"puppies:conflict:{application.pk}",
            )
            for pk in users
        ]
    )


def _queue_mail(application: AdoptionApplication, kind: str) -> None:
    mail, _ = ApplicationMail.objects.get_or_create(application=application, kind=kind)
    if mail.status == MailStatus.PENDING:
        from .tasks import send_application_mail

        transaction.on_commit(lambda: send_application_mail.delay(mail.pk))


MAIL_SUBJECTS = {
    MailKind.ACKNOWLEDGE: "We received your application to adopt {dog}",
    MailKind.CLOSED: "{dog} has found a home",
}


def mail_send(*, mail_id: int) -> bool:
    """Send one stored e-mail. A mail server that fails is recorded (the mail stays waiting for the nightly
    retry); nothing is lost and the application is untouched."""
    with transaction.atomic():
        mail = (
            ApplicationMail.objects.select_for_update(of=("self",)).select_related("application__dog").get(pk=mail_id)
        )
        if mail.status == MailStatus.SENT:
            return True
        application = mail.application
        context = {"application": application, "dog": application.dog.name}
        message = EmailMessage(
            subject=MAIL_SUBJECTS[mail.kind].format(dog=application.dog.name),
            body=render_to_string(f"puppies/email/{mail.kind}.txt", context),
            to=[application.email],
        )
        mail.attempts += 1
        try:
            message.send()
        except Exception as exc:  # the server is down or refused: keep it waiting
            log.warning("Adoption e-mail %s not sent: %s", mail.pk, exc)
            mail.last_error = f"{type(exc).__name__}: {exc}"[:300]
            mail.save(update_fields=["attempts", "last_error"])
            return False
        mail.status = MailStatus.SENT
        mail.sent_at = timezone.now()
        mail.last_error = ""
        mail.save(update_fields=["attempts", "status", "sent_at", "last_error"])
        return True


def mails_retry(run_date=None) -> int:
    """Send what is still waiting (the nightly job). Returns how many were sent."""
    ids = list(ApplicationMail.objects.filter(status=MailStatus.PENDING).values_list("pk", flat=True))
    return sum(1 for pk in ids if mail_send(mail_id=pk))


# Applications workflow -------------------------------------------------------------------------------------
def _lock_application(application) -> AdoptionApplication:
    return AdoptionApplication.objects.select_for_update(of=("self",)).get(pk=application.pk)


def _status(application: AdoptionApplication, status: str, user, note: str = "") -> None:
    application.status = status
    application.status_changed_at = timezone.now()
    if note:
        application.staff_note = "\n".join(filter(None, [application.staff_note, note.strip()]))[:2000]
    _set_history(application, user, ApplicationStatus(status).label)


@transaction.atomic
def application_advance(*, application: AdoptionApplication, status: str, user, note: str = "") -> AdoptionApplication:
    """Screening, meet and greet, home check: the steps before approval."""
    application = _lock_application(application)
    if status not in STEPS:
        raise ValidationError({"status": "Choose screening, meet and greet or home check."})
    if application.status not in OPEN_APPLICATION or application.status == ApplicationStatus.APPROVED:
        raise ValidationError({"status": f"The application is {application.get_status_display().lower()}."})
    if application.held:
        raise ValidationError("The application is with victim services for review: wait for them to clear it.")
    _status(application, status, user, note)
    application.save()
    return application


@transaction.atomic
def application_approve(*, application: AdoptionApplication, user, note: str = "") -> AdoptionApplication:
    """Approve: the application becomes the dog's exclusive reservation. The dog's row is locked, so two
    approvals at once are taken one after the other; the unique constraint stands behind it."""
    dog = _lock_dog(application.dog)
    application = _lock_application(application)
    if application.status not in OPEN_APPLICATION or application.status == ApplicationStatus.APPROVED:
        raise ValidationError(f"The application is {application.get_status_display().lower()}.")
    if application.held:
        raise ValidationError("The application is with victim services for review: wait for them to clear it.")
    if AdoptionApplication.objects.filter(dog=dog, reserved=True).exclude(pk=application.pk).exists():
        raise ValidationError(f"{dog.name} is already reserved by another application.")
    if dog.status not in (DogStatus.IN_TRAINING, DogStatus.EXTENDED_TRAINING, DogStatus.GRADUATED):
        raise ValidationError(f"{dog.name} is {dog.get_status_display().lower()}: it cannot be reserved.")
    _status(application, ApplicationStatus.APPROVED, user, note)
    application.reserved = True
    application.save()
    _move(
        dog=dog,
        status=DogStatus.RESERVED,
        on=_today(),
        user=user,
        facility=dog.facility,
        housing_unit=dog.housing_unit,
        note="Reserved by an approved application",
    )
    return application


def _unreserve(dog: Dog, *, user) -> None:
    """Back to the status before the reservation."""
    before = (
        Movement.objects.filter(dog=dog, ended_on__isnull=False)
        .exclude(status=DogStatus.RESERVED)
        .order_by("-started_on", "-pk")
        .first()
    )
    status = before.status if before and before.status in AT_FACILITY else DogStatus.GRADUATED
    _move(
        dog=dog,
        status=status,
        on=_today(),
        user=user,
        facility=dog.facility,
        housing_unit=dog.housing_unit,
        note="Reservation ended",
    )


@transaction.atomic
def application_close(*, application: AdoptionApplication, status: str, user, note: str = "") -> AdoptionApplication:
    """Decline or withdraw an open application; a reservation it held ends and the dog is available again."""
    if status not in (ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN):
        raise ValidationError({"status": "Choose declined or withdrawn."})
    dog = _lock_dog(application.dog)
    application = _lock_application(application)
    if application.status not in OPEN_APPLICATION:
        raise ValidationError(f"The application is already {application.get_status_display().lower()}.")
    was_reserved = application.reserved
    _status(application, status, user, note)
    application.reserved = False
    application.save()
    if was_reserved and dog.status == DogStatus.RESERVED:
        _unreserve(dog, user=user)
    return application


@transaction.atomic
def application_conflict_clear(*, application: AdoptionApplication, user, note: str = "") -> AdoptionApplication:
    """Victim services (or an administrator) reviewed the possible conflict and let the application go on."""
    if not (user.is_administrator or user.role == Role.VICTIM_SERVICES):
        raise ValidationError("Only victim services clear a possible conflict.")
    application = _lock_application(application)
    if not application.held:
        raise ValidationError("This application is not held for review.")
    application.conflict_cleared_at = timezone.now()
    application.conflict_cleared_by = user
    _set_history(application, user, "Conflict cleared by victim services")
    application.save()
    return application


@transaction.atomic
def adoption_record(*, application: AdoptionApplication, adopted_on: dt.date, fee: Decimal, user) -> Adoption:
    """The dog is adopted through its owning shelter: the reservation converts, the other open applications
    close (each gets a polite e-mail), the dog leaves the facility and its handlers end."""
    dog = _lock_dog(application.dog)
    application = _lock_application(application)
    if not application.reserved:
        raise ValidationError("Only the approved application that reserves the dog can become its adoption.")
    if adopted_on > _today():
        raise ValidationError({"adopted_on": "The date is in the future."})
    adoption = Adoption(
        dog=dog,
        application=application,
        shelter=dog.shelter,
        facility=dog.facility,
        adopted_on=adopted_on,
        fee=fee,
        adopter_name=application.name,
        adopter_email=application.email,
        adopter_phone=application.phone,
        adopter_address=f"{application.address}, {application.town} {application.zip_code}",
        entered_by=user,
    )
    adoption.full_clean()
    _set_history(adoption, user)
    adoption.save()
    _status(application, ApplicationStatus.ADOPTED, user)
    application.reserved = False
    application.save()
    others = AdoptionApplication.objects.select_for_update(of=("self",)).filter(
        dog=dog, status__in=sorted(OPEN_APPLICATION)
    )
    for other in others.exclude(pk=application.pk):
        _status(other, ApplicationStatus.DECLINED, user, "Closed: the dog was adopted by another household.")
        other.save()
        _queue_mail(other, MailKind.CLOSED)
    _move(dog=dog, status=DogStatus.ADOPTED, on=adopted_on, user=user, facility=None, housing_unit="", note="Adopted")
    return adoption


@transaction.atomic
def adoption_followup(*, adoption: Adoption, days: int, done_on: dt.date, note: str, user) -> Adoption:
    adoption = Adoption.objects.select_for_update(of=("self",)).get(pk=adoption.pk)
    if days not in (30, 90):
        raise ValidationError({"days": "Choose the 30- or 90-day follow-up."})
    if done_on > _today() or done_on < adoption.adopted_on:
        raise ValidationError({"done_on": "The date is before the adoption or in the future."})
    if not (note or "").strip():
        raise ValidationError({"note": "Say how the dog is doing."})
    setattr(adoption, f"followup_{days}_on", done_on)
    setattr(adoption, f"followup_{days}_note", note.strip()[:300])
    _set_history(adoption, user, f"{days}-day follow-up")
    adoption.save()
    return adoption


@transaction.atomic
def adoption_return(*, adoption: Adoption, returned_on: dt.date, reason: str, user) -> Adoption:
    """The adopter returned the dog to the shelter."""
    dog = _lock_dog(adoption.dog)
    adoption = Adoption.objects.select_for_update(of=("self",)).get(pk=adoption.pk)
    if adoption.returned_on is not None:
        raise ValidationError("This adoption already ended with a return.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the dog was returned."})
    if returned_on > _today() or returned_on < adoption.adopted_on:
        raise ValidationError({"returned_on": "The date is before the adoption or in the future."})
    adoption.returned_on = returned_on
    adoption.return_reason = reason.strip()[:300]
    adoption.full_clean()
    _set_history(adoption, user, "Returned")
    adoption.save()
    _move(dog=dog, status=DogStatus.RETURNED, on=returned_on, user=user, facility=None, housing_unit="", note=reason)
    return adoption


CGC_FIELDS = tuple(name for name, _ in CGC_ITEMS)
