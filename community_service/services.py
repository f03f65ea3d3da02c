"""Writes with rules for community service: placements, hour logs (record, correct, void), decisions
on hours (verify or reject), closing an order.

The rules across rows live here: an agency takes a new placement only under a current agreement and,
for a person whose offense bars work near minors, only where no minors are present (``placement_problem``,
the one place of that rule); the platform's conflict check runs on the agency's contact and address;
a person's hour logs never overlap in time and never pass 16 hours in one day (``_check_day``).
Every write locks the person first, so two entries for one person run one after the other.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Max, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.choices import Role
from core.conflicts import PersonDetails, conflict_check
from core.dates import format_date
from core.links import link_open, link_token
from core.models import Alert, Offender, User
from core.partitions import night_write
from core.services import NewAlert, administrators_alert, alerts_create, ids_listed, set_history
from core.validators import SCAN_TYPES, file_type, upload_problem

from .choices import MAX_HOURS_PER_DAY, LogSource, OrderStatus, PaceStatus, Verification, VerificationMethod
from .models import Agency, HourLog, Order, PaceSnapshot, Placement, VerificationLink
from .pace import snapshot_select_query

log = logging.getLogger(__name__)

ZERO = Decimal("0.00")


def _lock_person(offender_id: int) -> None:
    Offender.objects.select_for_update().filter(pk=offender_id).values_list("pk", flat=True).first()


# Credited totals -----------------------------------------------------------------------------------
# The sum an order's running total is kept from: its standing verified logs' credited hours.
_CREDITED_SUM = """SELECT order_id, SUM(credited_hours) AS credited FROM community_service_hourlog
                   WHERE verification = 'verified' AND voided_at IS NULL {where} GROUP BY order_id"""

# Orders (id, person) whose running total differs from their logs: the nightly check's one statement.
CREDITED_MISMATCH_SQL = f"""
SELECT o.id, o.offender_id FROM community_service_order o
LEFT JOIN ({_CREDITED_SUM.format(where="")}) t ON t.order_id = o.id
WHERE o.credited_total <> COALESCE(t.credited, 0)
ORDER BY o.id
"""


def credited_totals_refresh(order_ids) -> None:
    """Set each order's ``credited_total`` from its logs, in one statement (the caller holds the
    person's lock). Written with ``update()`` in SQL: the logs are its history."""
    ids = sorted(set(order_ids))
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE community_service_order o SET credited_total = COALESCE(t.credited, 0)
                FROM community_service_order x
                LEFT JOIN ({_CREDITED_SUM.format(where="AND order_id = ANY(%s)")}) t ON t.order_id = x.id
                WHERE x.id = ANY(%s) AND o.id = x.id AND o.credited_total <> COALESCE(t.credited, 0)""",
            [ids, ids],
        )


def hours_check(as_of: dt.date) -> int:
    """Check every order's running total of credited hours against its logs. The pace engine reads
    the totals, so a difference would misstate someone's pace: each one found is set right from the
    logs (under the person's lock) and reported to every active administrator. Returns the orders
    checked."""
    with connection.cursor() as cursor:
        cursor.execute(CREDITED_MISMATCH_SQL)
        wrong = cursor.fetchall()
    checked = Order.objects.count()
    for pk, offender_id in wrong:
        with transaction.atomic():
            _lock_person(offender_id)
            credited_totals_refresh([pk])
    if wrong:
        log.error(
            "Hours check on %s: the credited totals of %d orders differed from their logs (first ids: %s)",
            as_of,
            len(wrong),
            [pk for pk, _ in wrong[:50]],
        )
        administrators_alert(
            title=f"Hours check: {len(wrong)} order total{'s' if len(wrong) != 1 else ''} set right",
            body=(
                "The credited hours these community service orders kept differed from their hour logs and were "
                f"recomputed from the logs on {format_date(as_of)}: {ids_listed([pk for pk, _ in wrong])}"
            ),
            link=reverse("community_service:order_list"),
            key=f"{ALERT_PREFIX}hours-check:{as_of.isoformat()}",
        )
    return checked


# Placements ----------------------------------------------------------------------------------------
def minors_barred(offender) -> bool:
    """Whether the person's offense bars work near minors: an open order of theirs says so."""
    return Order.objects.filter(offender=offender, status=OrderStatus.OPEN, minors_barred=True).exists()


def placement_problem(*, offender, agency: Agency, start_on: dt.date) -> dict[str, str]:
    """Why ``agency`` cannot take ``offender`` from ``start_on``, by field, in plain words (empty: it can).
    The one place of the agreement rule and the minors rule."""
    errors = {}
    if not agency.active:
        errors["agency"] = f"{agency} no longer takes placements."
    elif not agency.has_agreement_on(start_on):
        errors["agency"] = (
            f"{agency} has no agreement on file for {format_date(start_on)}: it cannot take a new placement "
            "until its agreement is renewed."
        )
    elif agency.minors_present and minors_barred(offender):
        errors["agency"] = (
            f"Minors are present at {agency}, and this person's offense bars work near minors. "
            "Choose an agency where no minors are present."
        )
    return errors


@transaction.atomic
def placement_create(*, user, offender, agency: Agency, start_on: dt.date, end_on=None, note: str = "") -> Placement:
    """Place a person at an agency. Refused without a current agreement, where minors are present for a
    person barred from them, or when the conflict check finds the agency's contact or address."""
    _lock_person(offender.pk)
    placement = Placement(offender=offender, agency=agency, start_on=start_on, end_on=end_on, note=(note or "").strip())
    placement.full_clean()
    if errors := placement_problem(offender=offender, agency=agency, start_on=start_on):
        raise ValidationError(errors)
    org = agency.organization
    address = ", ".join(part for part in (org.address, org.town, org.zip_code) if part)
    for person in (
        PersonDetails.of(name=agency.verifier_name, email=agency.verifier_email),
        PersonDetails.of(name=org.contact_name, phone=org.contact_phone, email=org.contact_email, address=address),
    ):
        result = conflict_check(offender=offender, person=person)
        if result.possible:
            raise ValidationError({"agency": result.message})
    set_history(placement, user)
    placement.save()
    return placement


@transaction.atomic
def placement_update(*, placement: Placement, user, end_on: dt.date | None, note: str = "") -> Placement:
    """Change a placement's end date (no hours may be left after it) and its note."""
    _lock_person(placement.offender_id)
    placement = Placement.objects.select_for_update(of=("self",)).get(pk=placement.pk)
    if end_on is not None:
        later = placement.hour_logs.active().filter(date__gt=end_on).order_by("date").first()
        if later is not None:
            raise ValidationError({"end_on": f"Hours are logged on {format_date(later.date)}, after that date."})
    placement.end_on = end_on
    placement.note = (note or "").strip()
    placement.full_clean()
    set_history(placement, user)
    placement.save()
    return placement


# Hour logs -----------------------------------------------------------------------------------------
def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def _check_day(log: HourLog) -> None:
    """No overlapping times for one person, and at most 16 hours a day (standing logs only)."""
    others = HourLog.objects.active().filter(offender_id=log.offender_id, date=log.date).exclude(pk=log.pk)
    total = (others.aggregate(t=Sum("hours"))["t"] or ZERO) + log.hours
    if total > MAX_HOURS_PER_DAY:
        raise ValidationError(
            {
                "hours": f"This person already has {total - log.hours} hours logged on {format_date(log.date)}; "
                f"with these it would be {total}, more than {MAX_HOURS_PER_DAY} hours in one day."
            }
        )
    if log.start_time is not None:
        for other in others.exclude(start_time=None).only("start_time", "end_time"):
            if _overlaps(log.start_time, log.end_time, other.start_time, other.end_time):
                raise ValidationError(
                    {
                        "start_time": f"These times overlap hours already logged on {format_date(log.date)} "
                        f"({other.start_time:%H:%M} to {other.end_time:%H:%M})."
                    }
                )


@transaction.atomic
def hour_log_record(
    *,
    user,
    order: Order,
    placement: Placement,
    date: dt.date,
    task: str,
    hours: Decimal | None = None,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    source: str = LogSource.OFFICER,
    reported_through: VerificationLink | None = None,
) -> HourLog:
    """Record hours worked (reported, pending verification). Refused before the order or the placement
    starts, in the future, on times overlapping another log of the person, past 16 hours a day.
    Hours the agency reports on its link's page come through ``verification_link_report`` (``source``
    AGENCY, ``reported_through`` the link)."""
    _lock_person(placement.offender_id)
    order = Order.objects.get(pk=order.pk)  # its status as committed, read under the person's lock
    if order.status != OrderStatus.OPEN:
        raise ValidationError({"order": f"This order is {order.get_status_display().lower()}: it takes no more hours."})
    log = HourLog(
        order=order,
        placement=placement,
        offender_id=placement.offender_id,
        date=date,
        hours=hours,
        start_time=start_time,
        end_time=end_time,
        task=(task or "").strip(),
        source=source,
        reported_through=reported_through,
        reported_by_name=reported_through.agency.verifier_name if reported_through else "",
        entered_by=user,
    )
    log.full_clean()
    _check_day(log)
    set_history(log, user)
    log.save()
    return log


CORRECTABLE = ("order", "placement", "date", "hours", "start_time", "end_time", "task")


@transaction.atomic
def hour_log_correct(*, log: HourLog, user, reason: str = "", **changes) -> HourLog:
    """Correct a pending log. A verified or rejected log is locked: void it with a reason and enter it again."""
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise TypeError(f"Cannot correct {', '.join(sorted(unknown))}")
    _lock_person(log.offender_id)
    original = HourLog.objects.select_for_update().get(pk=log.pk)
    if original.is_voided:
        raise ValidationError("A void log cannot be corrected.")
    if original.is_decided:
        raise ValidationError(
            f"This log is {original.get_verification_display().lower()} and locked: void it with a reason and "
            "enter the hours again."
        )
    for name, value in changes.items():
        setattr(original, name, value)
    if "hours" not in changes and "start_time" in changes:
        original.hours = None  # worked out again from the new times
    original.task = (original.task or "").strip()
    original.full_clean()
    if original.offender_id != log.offender_id:
        raise ValidationError({"placement": "A log stays with its person: void it and enter it for the other."})
    _check_day(original)
    set_history(original, user, reason or "Corrected")
    original.save()
    return original


@transaction.atomic
def hour_log_void(*, log: HourLog, user, reason: str) -> HourLog:
    """Void a log with a reason (verified, rejected or pending): it stays on record and counts nowhere."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why this hour log is void."})
    _lock_person(log.offender_id)
    log = HourLog.objects.select_for_update().get(pk=log.pk)
    if log.is_voided:
        raise ValidationError("This hour log is already void.")
    log.voided_at = timezone.now()
    log.voided_by = user
    log.void_reason = reason[:300]
    log.full_clean()
    set_history(log, user, f"Voided: {reason}")
    log.save()
    credited_totals_refresh([log.order_id])
    return log


@transaction.atomic
def hour_log_decide(
    *,
    log: HourLog,
    approve: bool,
    method: str,
    note: str = "",
    user=None,
    decided_by_name: str = "",
    sheet=None,
    link: VerificationLink | None = None,
    now: dt.datetime | None = None,
) -> HourLog:
    """Verify (credit) or reject a pending log, recording who, when and how. A decided log is locked.
    The officer verifies with the signed sheet (``sheet``, checked by ``sheet_problem``); the agency's
    contact through a link (``link``). Hours the agency reported itself (source AGENCY) are decided by
    the officer alone (method AGENCY_REPORT, the sheet optional): nobody approves their own report."""
    if method not in VerificationMethod.values:
        raise ValueError(f"Unknown verification method {method!r}")
    if method == VerificationMethod.SIGNED_SHEET and approve and sheet is None:
        raise ValidationError({"sheet": "Upload the sheet the agency signed for these hours."})
    if user is None and not decided_by_name:
        raise ValueError("A decision names who made it.")
    _lock_person(log.offender_id)
    log = HourLog.objects.select_for_update().get(pk=log.pk)
    if log.is_voided:
        raise ValidationError("This hour log is void.")
    if log.is_decided:
        raise ValidationError(f"This log was already {log.get_verification_display().lower()}: it is locked.")
    reported_by_agency = log.source == LogSource.AGENCY
    if reported_by_agency and (method != VerificationMethod.AGENCY_REPORT or user is None):
        raise ValidationError(
            "The agency reported these hours itself: the officer decides them, not the agency's link "
            "nor the signed-sheet route."
        )
    if method == VerificationMethod.AGENCY_REPORT and not reported_by_agency:
        raise ValidationError("Only hours the agency reported through its link are decided on its report.")
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": "Say why these hours are rejected."})
    log.verification = Verification.VERIFIED if approve else Verification.REJECTED
    log.credited_hours = log.hours if approve else ZERO
    log.decided_at = now or timezone.now()
    log.decided_by = user
    log.decided_by_name = decided_by_name or (user.get_full_name() or user.username)
    log.method = method
    log.decision_note = note[:300]
    if sheet is not None:
        log.sheet = sheet
    log.verified_through = link
    log.full_clean()
    set_history(log, user, f"{log.get_verification_display()}: {log.get_method_display()}")
    log.save()
    credited_totals_refresh([log.order_id])
    return log


# Orders --------------------------------------------------------------------------------------------
@transaction.atomic
def order_create(*, user, **fields) -> Order:
    """Open an order (the import's path; the page saves its form the same way: ``full_clean`` first)."""
    order = Order(**fields)
    order.full_clean()
    set_history(order, user)
    order.save()
    return order


ORDER_EDITABLE = (
    "offender",
    "case",
    "hours_ordered",
    "ordered_on",
    "due_on",
    "source",
    "fine_rate",
    "schedule",
    "follows",
    "minors_barred",
    "note",
)


@transaction.atomic
def order_update(*, order: Order, user, **changes) -> Order:
    """Change an open order (the API's path; the page saves its form the same way): a closed order is
    not changed, and no credited hour may fall before a new order date."""
    unknown = set(changes) - set(ORDER_EDITABLE)
    if unknown:
        raise TypeError(f"Cannot change {', '.join(sorted(unknown))}")
    _lock_person(order.offender_id)
    order = Order.objects.select_for_update(of=("self",)).get(pk=order.pk)
    if order.status != OrderStatus.OPEN:
        raise ValidationError(f"This order is {order.get_status_display().lower()}: a closed order is not changed.")
    person = order.offender_id
    for name, value in changes.items():
        setattr(order, name, value)
    order.full_clean()
    if order.offender_id != person and order.hour_logs.exists():
        raise ValidationError({"offender": "Hours are logged on this order: it stays with its person."})
    earliest = order.hour_logs.active().order_by("date").values_list("date", flat=True).first()
    if earliest is not None and earliest < order.ordered_on:
        raise ValidationError({"ordered_on": f"Hours are logged on {format_date(earliest)}, before that date."})
    set_history(order, user, "Changed")
    order.save()
    return order


@transaction.atomic
def order_close(*, order: Order, user, status: str, closed_on: dt.date, note: str = "") -> Order:
    """Close an order: completed (only with every ordered hour credited), revoked or converted."""
    if status == OrderStatus.OPEN or status not in OrderStatus.values:
        raise ValueError(f"Cannot close an order as {status!r}")
    _lock_person(order.offender_id)
    order = Order.objects.select_for_update(of=("self",)).get(pk=order.pk)
    if order.status != OrderStatus.OPEN:
        raise ValidationError(f"This order is already {order.get_status_display().lower()}.")
    if status == OrderStatus.COMPLETED:
        credited = (
            order.hour_logs.active().filter(verification=Verification.VERIFIED).aggregate(t=Sum("credited_hours"))["t"]
            or ZERO
        )
        if credited < order.hours_ordered:
            raise ValidationError(
                f"Only {credited} of {order.hours_ordered} hours are credited: the order cannot be completed yet."
            )
    order.status = status
    order.closed_on = closed_on
    if note:
        order.note = note.strip()[:300]
    order.full_clean()
    set_history(order, user, f"Closed: {order.get_status_display()}")
    order.save()
    return order


# The nightly pace check ------------------------------------------------------------------------------
ALERT_PREFIX = "community_service:"


def pace_snapshot_run(*, as_of: dt.date, notify: bool = True) -> int:
    """Store every open order's pace for ``as_of`` (one set-based statement,
    ``pace.snapshot_select_query``, written as the night's partition of the snapshot in place of any
    earlier run's: ``core.partitions.night_write``), raise an alert for each order that newly fell
    BEHIND or PAST DUE since the previous snapshot, and send each officer one e-mail listing theirs.

    Idempotent for its date: a re-run gives the same rows, and alerts are keyed by status, date and
    order, so it raises no alert and sends no e-mail twice.
    """
    with transaction.atomic():
        previous = PaceSnapshot.objects.filter(as_of__lt=as_of).aggregate(d=Max("as_of"))["d"]
        sql, params = snapshot_select_query(as_of, previous)
        rows, _ = night_write(
            table=PaceSnapshot._meta.db_table,
            key="as_of",
            night=as_of,
            select_sql=sql,
            params=params,
            work_mem=settings.COMMUNITY_SERVICE_JOB_WORK_MEM,
        )
        new_alerts = _pace_alerts(as_of)
    if notify:
        _email_officers(as_of, new_alerts)
    return rows


def _pace_alerts(as_of: dt.date) -> list[NewAlert]:
    """One alert per order newly BEHIND or PAST DUE on ``as_of``, for the person's supervising officer
    or, when there is none, for the district's supervisors."""
    keys = {
        status: f"{ALERT_PREFIX}{status}:{as_of.isoformat()}:" for status in (PaceStatus.BEHIND, PaceStatus.PAST_DUE)
    }
    done = set(Alert.objects.filter(key__startswith=keys[PaceStatus.BEHIND]).values_list("key", flat=True)) | set(
        Alert.objects.filter(key__startswith=keys[PaceStatus.PAST_DUE]).values_list("key", flat=True)
    )
    supervisors: dict[int, list[int]] = defaultdict(list)
    for pk, district in User.objects.filter(
        role=Role.DISTRICT_SUPERVISOR, is_active=True, district__isnull=False
    ).values_list("pk", "district_id"):
        supervisors[district].append(pk)
    marker = 987654321
    order_link = reverse("community_service:order_detail", args=[marker]).replace(str(marker), "{}")
    night = format_date(as_of)
    # Many orders share a due date or a projection: each date is printed once (Django's formats are slow).
    date_text = functools.lru_cache(maxsize=4096)(format_date)
    rows = (
        PaceSnapshot.objects.filter(PaceSnapshot.NEWLY_OVERDUE, as_of=as_of)
        .order_by("order__offender__last_name", "order_id")
        .values_list(
            "order_id",
            "status",
            "hours_ordered",
            "expected",
            "credited",
            "behind",
            "projected_on",
            "order__due_on",
            "order__case__case_number",
            "order__offender__first_name",
            "order__offender__last_name",
            "order__offender__supervising_officer_id",
            "order__offender__district_id",
        )
    )
    alerts = []
    for row in rows.iterator(chunk_size=5000):
        oid, status, ordered, expected, credited, behind, projected, due, case, first, last, officer, district = row
        key = f"{keys[status]}{oid}"
        if key in done:
            continue
        left = ordered - credited
        if status == PaceStatus.PAST_DUE:
            title = f"{first} {last} is past due on community service: {left} of {ordered} hours left (on {night})"
            body = f"Case {case}. The hours were due on {date_text(due)}; {credited} hours are credited."
        else:
            title = f"{first} {last} is behind on community service: {behind} hours behind (on {night})"
            body = (
                f"Case {case}. By {night} {expected} of {ordered} hours were expected at an even pace to "
                f"{date_text(due)}; {credited} are credited."
            )
        body += (
            f" At the pace of the last 8 weeks the hours would be done on {date_text(projected)}."
            if projected
            else " No hours were credited in the last 8 weeks."
        )
        if officer is None:
            body += " No supervising officer is assigned: please assign one."
        link = order_link.format(oid)
        for user_id in [officer] if officer is not None else supervisors.get(district, []):
            alerts.append(NewAlert(user_id, title, body, link, key))
    alerts_create(alerts)
    return alerts


def _email_officers(as_of: dt.date, alerts: list[NewAlert]) -> None:
    by_officer: dict[int, list[NewAlert]] = defaultdict(list)
    for alert in alerts:
        by_officer[alert.user_id].append(alert)
    messages = []
    officers = User.objects.filter(pk__in=list(by_officer), is_active=True).exclude(email="")
    for officer in officers.only("pk", "email", "first_name", "username"):
        items = by_officer[officer.pk]
        context = {
            "officer": officer,
            "as_of": as_of,
            "count": len(items),
            "lines": [f"- {a.title}\n  {a.body}\n  {settings.SITE_URL}{a.link}" for a in items],
            "site_url": settings.SITE_URL,
        }
        count = len(items)
        messages.append(
            EmailMessage(
                subject=f"RJ Admin: {count} order{'' if count == 1 else 's'} newly behind on community service",
                body=render_to_string("community_service/email/newly_behind.txt", context),
                to=[officer.email],
            )
        )
    if not messages:
        return
    try:  # one connection for the night's messages; an outage never undoes the snapshot (alerts stay)
        get_connection().send_messages(messages)
    except Exception:
        log.exception("Could not e-mail %d officers about community service pace", len(messages))


# Signed sheets ----------------------------------------------------------------------------------------
def sheet_problem(data: bytes, size: int | None = None) -> str | None:
    """Why an uploaded signed sheet is refused, in plain words (the type is read from its bytes;
    ``size`` is the upload's whole size when only its beginning was read)."""
    return upload_problem(
        data,
        size=size,
        limit=settings.COMMUNITY_SERVICE_SHEET_MAX_BYTES,
        name="a signed sheet",
        wrong_type="A signed sheet must be a PDF, PNG or JPEG file; this file is none of them.",
    )


def sheet_file(data: bytes, log: HourLog) -> ContentFile:
    if problem := sheet_problem(data):
        raise ValidationError({"sheet": problem})
    ext = file_type(data, SCAN_TYPES)
    return ContentFile(data, name=f"hours-{log.pk}.{ext}")


# Verification through a link ----------------------------------------------------------------------------
LINK_SALT = "community_service.verification-link"


def verification_token(link: VerificationLink) -> str:
    """The link's signed token: its id and its agency's, so a token altered by one character is refused."""
    return link_token(LINK_SALT, link=link.pk, agency=link.agency_id)


def verification_url(link: VerificationLink) -> str:
    return settings.SITE_URL + reverse("community_service:verify", args=[verification_token(link)])


def verification_link_open(token: str, *, now: dt.datetime | None = None, for_update: bool = False):
    """The link a token names, if it may still be used; else ``core.links.LinkRefused``."""
    links = VerificationLink.objects.select_related("agency__organization")
    if for_update:
        links = links.select_for_update(of=("self",))
    return link_open(
        links,
        token,
        salt=LINK_SALT,
        fields={"link": "pk", "agency": "agency_id"},
        who_to_ask="ask the officer for a new link",
        used_words="The hours it listed were decided on {when}.",
        now=now,
    )


@transaction.atomic
def verification_link_send(*, agency: Agency, user, now: dt.datetime | None = None) -> VerificationLink:
    """E-mail the agency's contact a link listing the pending hours at the agency that ``user`` may see
    (those the officer entered: hours the agency reported itself are the officer's to decide), on which
    the contact may also report new hours for the people ``user`` follows there (``link_placements``)."""
    from core.querysets import VIEW

    logs = list(
        HourLog.objects.restrict(user, VIEW)
        .active()
        .filter(placement__agency=agency, verification=Verification.PENDING)
        .exclude(source=LogSource.AGENCY)
        .values_list("pk", flat=True)
    )
    now = now or timezone.now()
    if not logs and not _placements_at(agency, user, timezone.localdate(now)).exists():
        raise ValidationError(
            "No hours you follow are waiting for verification at this agency, and none of your people is placed "
            "there: there is nothing to send."
        )
    if not agency.verifier_email:
        raise ValidationError("This agency has no contact e-mail for verification: edit the agency first.")
    link = VerificationLink.objects.create(
        agency=agency,
        sent_to=agency.verifier_email,
        sent_by=user,
        created_at=now,
        expires_at=now + dt.timedelta(days=settings.COMMUNITY_SERVICE_LINK_DAYS),
    )
    link.logs.set(logs)
    message = EmailMessage(
        subject=(
            f"Please verify {len(logs)} community service hour entr{'y' if len(logs) == 1 else 'ies'}"
            if logs
            else "Please report the community service hours worked at your agency"
        ),
        body=render_to_string(
            "community_service/email/verification_link.txt",
            {"link": link, "count": len(logs), "url": verification_url(link), "sender": user},
        ),
        to=[link.sent_to],
    )
    transaction.on_commit(lambda: message.send())
    return link


@transaction.atomic
def verification_link_decide(
    *, token: str, decisions: dict[int, tuple[bool | None, str]], now: dt.datetime | None = None
) -> list[HourLog]:
    """Record the agency contact's decisions (``{log id: (approve, note)}``, ``None`` to leave a log
    pending) and use the link up. Only the logs the link lists can be decided: one of another agency,
    or not listed, refuses the whole submission."""
    link = verification_link_open(token, now=now, for_update=True)
    listed = {log.pk: log for log in link.logs.all()}
    if set(decisions) - set(listed):
        raise ValidationError("This link can decide only the hours it lists. Nothing was changed.")
    now = now or timezone.now()
    decided = []
    errors = {}
    for log_id, (approve, note) in sorted(decisions.items()):
        log = listed[log_id]
        if approve is None or log.is_voided or log.is_decided:
            continue
        try:
            with transaction.atomic():
                decided.append(
                    hour_log_decide(
                        log=log,
                        approve=approve,
                        method=VerificationMethod.AGENCY_LINK,
                        note=note,
                        decided_by_name=link.agency.verifier_name,
                        link=link,
                        now=now,
                    )
                )
        except ValidationError as exc:
            errors[f"note_{log_id}"] = exc.message_dict.get("note", exc.messages)
    if errors:
        raise ValidationError(errors)
    link.used_at = now
    link.save(update_fields=["used_at"])
    return decided


# Hours the agency reports through its link ---------------------------------------------------------------
LINK_REPORT_DAYS = 60  # a placement that ended longer ago than this is not offered on the link's page


def _placements_at(agency: Agency, user, today: dt.date):
    from core.querysets import VIEW

    since = today - dt.timedelta(days=LINK_REPORT_DAYS)
    return (
        Placement.objects.restrict(user, VIEW)
        .filter(agency=agency, start_on__lte=today)
        .exclude(end_on__lt=since)
        .select_related("offender")
        .order_by("offender__last_name", "offender__first_name", "-start_on", "pk")
    )


def link_placements(link: VerificationLink, *, today: dt.date | None = None):
    """The placements the agency's contact may report hours for on the link's page: at the link's agency,
    of the people the officer who sent the link follows, started and not ended more than 60 days ago."""
    return _placements_at(link.agency, link.sent_by, today or timezone.localdate())


def order_for_report(placement: Placement, day: dt.date) -> Order | None:
    """The order hours reported by the agency go to: the person's open order dated on or before the day,
    due soonest (the officer may move a pending log to another order)."""
    return (
        Order.objects.filter(offender_id=placement.offender_id, status=OrderStatus.OPEN, ordered_on__lte=day)
        .order_by("due_on", "pk")
        .first()
    )


@transaction.atomic
def verification_link_report(
    *,
    token: str,
    placement_id: int,
    date: dt.date,
    task: str,
    hours: Decimal | None = None,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    now: dt.datetime | None = None,
) -> HourLog:
    """Hours the agency's contact reports on the link's page, for a person placed at the link's agency
    that the link's sender follows: recorded as reported by the agency (``source`` AGENCY, the link, the
    contact's name, entered in the name of the officer who sent the link), pending the officer's decision.

    The link is read under its row lock, so a report and the submission of the decisions (which uses the
    link up) run one after the other; reporting does not use the link up (the contact may report several
    days in one visit), but a used or expired link reports nothing. Every rule of ``hour_log_record``
    applies (not before the order or the placement, not in the future, no overlap, 16 hours a day)."""
    link = verification_link_open(token, now=now, for_update=True)
    today = timezone.localdate(now) if now else timezone.localdate()
    placement = link_placements(link, today=today).filter(pk=placement_id).first()
    if placement is None:
        raise ValidationError(
            {"placement": f"This person is not placed at {link.agency} in the hours this link may report."}
        )
    order = order_for_report(placement, date) if date else None
    if order is None:
        later = Order.objects.filter(offender_id=placement.offender_id, status=OrderStatus.OPEN).order_by("ordered_on")
        first = later.values_list("ordered_on", flat=True).first()
        raise ValidationError(
            {
                "date": f"This is before the person's order starts ({format_date(first)})."
                if first
                else "This person has no open community service order: ask the officer."
            }
        )
    return hour_log_record(
        user=link.sent_by,
        order=order,
        placement=placement,
        date=date,
        task=task,
        hours=hours,
        start_time=start_time,
        end_time=end_time,
        source=LogSource.AGENCY,
        reported_through=link,
    )
