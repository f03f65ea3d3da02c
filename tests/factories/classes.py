"""Builders for class records, through the services where a rule applies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from classes import services
from classes.choices import AttendanceStatus
from classes.models import CurriculumVersion, Offering, Speaker

START = dt.date(2026, 3, 2)  # a Monday


def _admin():
    from core.models import User

    return User.objects.filter(role="administrator").order_by("pk").first()


def missouri() -> CurriculumVersion:
    """Version 1 of Missouri's curriculum (the data migration's)."""
    return services.curriculum_missouri()


def offering(facility, *, version=None, title="Tuesday class", capacity=12, start=START, weekly=True, user=None):
    """An offering with one session per topic of its version, a week apart (or on consecutive days)."""
    user = user or _admin()
    version = version or missouri()
    o = services.offering_save(
        offering=Offering(facility=facility, version=version, title=title, capacity=capacity, starts_on=start),
        user=user,
        facilitators=[],
    )
    for i, cs in enumerate(version.sessions.select_related("topic").order_by("position")):
        services.session_schedule(
            user=user,
            offering=o,
            topic=cs.topic,
            date=start + dt.timedelta(days=7 * i if weekly else i),
            start_time=dt.time(13, 0),
            end_time=dt.time(17, 0),
            room="Chapel",
        )
    return o


def enroll(o, offender, *, user=None, on=None):
    return services.enrollment_enroll(
        user=user or _admin(), offering=o, offender=offender, enrolled_on=on or o.starts_on
    )


def mark(session, offender, status=AttendanceStatus.PRESENT, *, user=None, hours=None, **kw):
    return services.attendance_mark(
        user=user or _admin(), session=session, offender=offender, status=status, hours=hours, **kw
    )


def attend_all(o, offender, *, skip=(), user=None):
    """Mark the person present at every session of the offering but those whose position is in ``skip``."""
    for i, s in enumerate(o.sessions.order_by("date", "pk")):
        if i not in skip:
            mark(s, offender, user=user)


def speaker(name="Robin Speaker", **kw) -> Speaker:
    s = Speaker(name=name, **kw)
    s.save()
    return s


HOURS = Decimal("4.00")
