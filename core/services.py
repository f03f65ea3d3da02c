"""Writes with rules for core records."""

from __future__ import annotations

import datetime as dt
import random
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core import events
from core.choices import FacilityKind, OffenderEventKind, OffenderStatus, Role
from core.demo import data
from core.models import (
    Alert,
    CourtCase,
    District,
    Facility,
    Offender,
    Organization,
    OrganizationKind,
    ParoleHearing,
    User,
)


class NewAlert(NamedTuple):
    user_id: int
    title: str
    body: str
    link: str
    key: str


def alerts_create(alerts: list[NewAlert]) -> None:
    """Store many alerts at once; one already raised (same user and key) is left as it is.

    They are streamed with COPY into a temporary table and inserted from there in one statement (a
    job's first night may raise hundreds of thousands; Django's bulk_create spends most of that time
    building SQL).
    """
    if not alerts:
        return
    table = Alert._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE new_alerts (user_id bigint, title text, body text, link text, key text) ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY new_alerts (user_id, title, body, link, key) FROM STDIN") as copy:
            for alert in alerts:
                copy.write_row(alert)
        cursor.execute(
            f"INSERT INTO {table} (user_id, created_at, title, body, link, key) "
            "SELECT user_id, now(), title, body, link, key FROM new_alerts ON CONFLICT DO NOTHING"
        )
        cursor.execute("DROP TABLE new_alerts")


def administrators_alert(*, title: str, body: str, link: str, key: str) -> None:
    """One alert for every active administrator, keyed (a rerun raises nothing twice): what a nightly
    check found and set right."""
    admins = User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).values_list("pk", flat=True)
    alerts_create([NewAlert(user_id=admin, title=title, body=body, link=link, key=key) for admin in admins])


def ids_listed(ids: list, limit: int = 50) -> str:
    """The first ``limit`` ids for an alert's body, and a pointer to the log for the rest."""
    return ", ".join(str(i) for i in ids[:limit]) + (" and more (see the log)." if len(ids) > limit else ".")


# People: every change of status, facility, district or officer goes through offender_save, which
# emits the offender events the programs react to (core.events), after commit. ---------------------


@transaction.atomic
def offender_save(*, offender: Offender, user=None, reason: str | None = None, clean: bool = True) -> Offender:
    """Save a person (new or changed) and emit an event for each of status, facility, district and
    supervising officer that changed. The previous values are read under a row lock, so two
    concurrent edits each emit what they changed."""
    previous = None
    if offender.pk:
        previous = Offender.objects.select_for_update().filter(pk=offender.pk).values(*events.TRACKED).first()
    if clean:
        offender.full_clean()
    set_history(offender, user, reason)
    offender.save()
    if previous is not None:
        events.emit_changes(offender=offender, previous=previous, user=user)
    return offender


def offender_release_to_supervision(
    *, offender: Offender, district: District, officer: User | None, user, end_date: dt.date | None = None
) -> Offender:
    """Released from a facility to probation or parole in ``district``."""
    offender.status = OffenderStatus.SUPERVISED
    offender.facility = None
    offender.district = district
    offender.supervising_officer = officer
    if end_date is not None:
        offender.supervision_end_date = end_date
    return offender_save(offender=offender, user=user, reason="Released to supervision")


def offender_status_set(*, offender: Offender, status: str, user, reason: str | None = None) -> Offender:
    """Discharged, escaped or deceased (the facility and district are kept as the last known ones;
    a discharged person keeps no supervising officer)."""
    if status not in (OffenderStatus.DISCHARGED, OffenderStatus.ESCAPED, OffenderStatus.DECEASED):
        raise ValidationError({"status": "Use the release or transfer services for this status."})
    offender.status = status
    if status == OffenderStatus.DISCHARGED:
        offender.supervising_officer = None
    return offender_save(offender=offender, user=user, reason=reason or OffenderStatus(status).label)


def offender_transfer(*, offender: Offender, facility: Facility, user) -> Offender:
    """Moved to another facility."""
    if offender.status != OffenderStatus.INCARCERATED:
        raise ValidationError({"facility": "Only an incarcerated person is transferred between facilities."})
    offender.facility = facility
    return offender_save(offender=offender, user=user, reason=f"Transferred to {facility}")


@transaction.atomic
def caseload_reassign(*, offenders, officer: User, user) -> int:
    """Give ``officer`` these people's supervision (one event each). Returns how many changed."""
    changed = 0
    for offender in offenders.select_for_update().order_by("pk"):
        if offender.supervising_officer_id == officer.pk:
            continue
        offender.supervising_officer = officer
        offender_save(offender=offender, user=user, reason=f"Caseload reassigned to {officer}")
        changed += 1
    return changed


@transaction.atomic
def parole_hearing_record(
    *,
    offender: Offender,
    hearing_date: dt.date,
    outcome: str,
    user,
    next_hearing_date: dt.date | None = None,
    notes: str = "",
) -> ParoleHearing:
    """Record a parole hearing (entered or imported by staff) and emit its event."""
    hearing = ParoleHearing(
        offender=offender,
        hearing_date=hearing_date,
        outcome=outcome,
        next_hearing_date=next_hearing_date,
        notes=notes,
        entered_by=user,
    )
    hearing.full_clean()
    set_history(hearing, user)
    hearing.save()
    events.emit(offender=offender, kind=OffenderEventKind.PAROLE_HEARING, after=outcome, user=user, hearing=hearing)
    return hearing


def set_history(obj, user, reason: str | None = None) -> None:
    """Name the author (and the reason) of the history row the next save writes."""
    if user is not None:
        obj._history_user = user
    if reason:
        obj._change_reason = reason[:100]


def lock_facilities(facility_ids) -> None:
    """Serialize every write that moves one facility's stock (rows locked in id order: no deadlock)."""
    ids = sorted(set(facility_ids))
    if ids:
        list(Facility.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def entry_void(*, entry, user, reason: str, noun: str = "entry"):
    """Void a facility record with a reason (``voided_at``, ``voided_by``, ``void_reason``): it stays, counts nowhere.

    Call inside the caller's transaction; the caller re-checks whatever the void may break (stock).
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": f"Say why this {noun} is void."})
    lock_facilities([entry.facility_id])
    entry = type(entry)._default_manager.select_for_update().get(pk=entry.pk)
    if entry.voided_at is not None:
        raise ValidationError(f"This {noun} is already void.")
    entry.voided_at = timezone.now()
    entry.voided_by = user
    entry.void_reason = reason[:300]
    entry.full_clean()
    set_history(entry, user, f"Voided: {reason}")
    entry.save()
    return entry


@transaction.atomic
def demo_seed(*, password: str = data.DEFAULT_PASSWORD, offenders: int = 300) -> dict:
    """Load core's demo data. Idempotent: records are keyed, and a second run changes nothing.

    Returns the demo logins as ``{username: role label}``.
    """
    districts = {}
    for number, name, region, _town in data.DISTRICTS:
        districts[number], _ = District.objects.get_or_create(number=number, defaults={"name": name, "region": region})
    for name, code, town, region in data.INSTITUTIONS:
        Facility.objects.get_or_create(code=code, defaults={"name": name, "town": town, "region": region})
    for number, _name, region, town in data.DISTRICTS:
        Facility.objects.get_or_create(
            code=f"PP{number:02d}",
            defaults={
                "name": f"Probation and Parole District {number} Office",
                "town": town,
                "region": region,
                "kind": FacilityKind.DISTRICT_OFFICE,
                "district": districts[number],
            },
        )
    kinds = {k.code: k for k in OrganizationKind.objects.all()}
    for name, kind_codes, status, address, town, zip_code, county in data.ORGANIZATIONS:
        org, created = Organization.objects.get_or_create(
            name=name,
            county=county,
            defaults={"agency_status": status, "address": address, "town": town, "zip_code": zip_code},
        )
        if created:
            org.kinds.set([kinds[c] for c in kind_codes])

    logins = {}
    facilities = {f.code: f for f in Facility.objects.all()}
    for username, first, last, role, district, codes, superuser in data.USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "role": role,
                "email": f"{username}@rjadmin.example",
                "district": districts.get(district),
                "is_superuser": superuser,
                "is_staff": superuser,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
            user.facilities.set([facilities[c] for c in codes])
        logins[username] = (
            Role(role).label
            + (f", district {district}" if district else "")
            + (f", {', '.join(codes)}" if codes else "")
        )

    _seed_people(districts, facilities, count=offenders)
    return logins


def _seed_people(districts, facilities, *, count: int):
    """Fictional offenders and their cases, from a fixed random seed so every load is the same."""
    rng = random.Random(2729)
    officers_by_district: dict[int, list[User]] = {}
    for u in User.objects.filter(role__in=[Role.PROBATION_OFFICER, Role.DISTRICT_SUPERVISOR]).order_by("username"):
        officers_by_district.setdefault(u.district_id, []).append(u)
    institutions = [f for f in facilities.values() if f.kind == FacilityKind.INSTITUTION]
    # Most demo people sit where the demo users work, so every login has a full page.
    focus_facilities = [facilities["JCCC"], facilities["ACC"]]
    focus_districts = [districts[9], districts[10]]
    existing = set(Offender.objects.values_list("doc_id", flat=True))
    new_offenders, new_cases = [], []
    today = dt.date(2026, 11, 1)
    for i in range(count):
        doc_id = f"{1100000 + i * 37:07d}"
        first, last = rng.choice(data.FIRST_NAMES), rng.choice(data.LAST_NAMES)
        born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 42))
        roll = rng.random()
        facility = district = officer = end = None
        if roll < 0.45:
            status = OffenderStatus.INCARCERATED
            facility = rng.choice(focus_facilities) if rng.random() < 0.6 else rng.choice(institutions)
        elif roll < 0.92:
            status = OffenderStatus.SUPERVISED
            district = rng.choice(focus_districts) if rng.random() < 0.7 else rng.choice(list(districts.values()))
            pool = officers_by_district.get(district.pk, [])
            officer = rng.choice(pool) if pool else None
            end = today + dt.timedelta(days=rng.randrange(20, 365 * 4))
        else:
            status = OffenderStatus.DISCHARGED
        sentenced = max(born + dt.timedelta(days=365 * 19), today - dt.timedelta(days=rng.randrange(60, 365 * 8)))
        court, county = rng.choice(data.COURTS)
        offense, offense_class = rng.choice(data.OFFENSES)
        if doc_id in existing:
            continue
        offender = Offender(
            doc_id=doc_id,
            first_name=first,
            last_name=last,
            date_of_birth=born,
            status=status,
            facility=facility,
            district=district,
            supervising_officer=officer,
            supervision_end_date=end,
        )
        new_offenders.append(offender)
        new_cases.append(
            CourtCase(
                court=court,
                case_number=f"{sentenced.year % 100:02d}{county[:2].upper()}-CR{i + 100:05d}",
                county=county,
                offender=offender,
                offense=offense,
                offense_class=offense_class,
                sentencing_date=sentenced,
            )
        )
    # bulk_create_with_history writes each record's first version too.
    bulk_create_with_history(new_offenders, Offender, default_change_reason="Demo data")
    bulk_create_with_history(new_cases, CourtCase, default_change_reason="Demo data")
