"""One person's timeline across every program: each app enters a provider in the registry.

A provider (``core.registry.TimelineProvider``) returns ``TimelineItem`` s for one person, already
restricted to the viewer: it reads through ``.restrict(user)``, so what a role may not see never
reaches the page. Core merges them newest first; the offender page paginates and filters by
program. The one-line ``text`` is written for a person reading the record: never a victim's name
or contact (victims' providers must say "a victim" and link to the scoped record).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from core.choices import OffenderEventKind, OffenderStatus
from core.models import District, Facility, OffenderEvent, ParoleHearing, User
from core.querysets import VIEW
from core.registry import TimelineProvider, registry


@dataclass(frozen=True)
class TimelineItem:
    """One line of a person's timeline."""

    date: dt.date
    program: str  # the provider's program slug (the filter's value)
    kind: str  # short label: "Payment", "Transferred", "Hour log"
    text: str  # one line, no victim's identity
    url: str = ""  # the record, for those who may open it
    source: str = ""  # the record it comes from, e.g. "restitution.Payment:12"
    sort_key: tuple = ()  # ties on the same date: later first (e.g. (created_at, pk))

    @property
    def program_label(self) -> str:
        return dict(programs()).get(self.program, self.program)


def timeline_for(offender, user, *, program: str | None = None) -> list[TimelineItem]:
    """Every provider's items for ``offender`` as ``user`` may see them, newest first."""
    items: list[TimelineItem] = []
    for provider in registry.timeline_providers():
        if program and provider.program != program:
            continue
        items.extend(provider.events(offender, user))
    items.sort(key=lambda i: (i.date, i.sort_key), reverse=True)
    return items


def programs() -> list[tuple[str, str]]:
    """(value, label) of the programs with a provider, for the filter."""
    seen: dict[str, str] = {}
    for provider in registry.timeline_providers():
        seen.setdefault(provider.program, provider.label)
    return list(seen.items())


# Core's own provider: status, facility, district and officer changes, and parole hearings. -------


def _names(events) -> dict[tuple[str, str], str]:
    """Labels for the ids the events carry, in three queries at most."""
    wanted: dict[str, set[str]] = {"facility": set(), "district": set(), "officer": set()}
    for e in events:
        if e.kind in wanted:
            wanted[e.kind].update(v for v in (e.before, e.after) if v)
    names: dict[tuple[str, str], str] = {}
    for kind, model in (("facility", Facility), ("district", District), ("officer", User)):
        ids = [int(v) for v in wanted[kind] if v.isdigit()]
        if ids:
            for obj in model.objects.filter(pk__in=ids):
                names[(kind, str(obj.pk))] = obj.get_full_name() or obj.username if model is User else str(obj)
    for value, label in OffenderStatus.choices:
        names[("status", value)] = label
    return names


def _event_text(event, names) -> str:
    def name(value):
        return names.get((event.kind, value), "none") if value else "none"

    if event.kind == OffenderEventKind.STATUS:
        return f"Status: {name(event.before)} → {name(event.after)}"
    if event.kind == OffenderEventKind.FACILITY:
        return f"Transferred: {name(event.before)} → {name(event.after)}"
    if event.kind == OffenderEventKind.DISTRICT:
        return f"District: {name(event.before)} → {name(event.after)}"
    if event.kind == OffenderEventKind.OFFICER:
        return f"Supervising officer: {name(event.before)} → {name(event.after)}"
    return event.get_kind_display()


def _core_events(offender, user) -> list[TimelineItem]:
    events = list(
        OffenderEvent.objects.restrict(user, VIEW)
        .filter(offender=offender)
        .exclude(kind=OffenderEventKind.PAROLE_HEARING)
        .order_by()
    )
    names = _names(events)
    items = [
        TimelineItem(
            date=timezone.localdate(e.occurred_at),
            program="core",
            kind=e.get_kind_display(),
            text=_event_text(e, names),
            source=f"core.OffenderEvent:{e.pk}",
            sort_key=(e.occurred_at.isoformat(), e.pk),
        )
        for e in events
    ]
    for h in ParoleHearing.objects.restrict(user, VIEW).filter(offender=offender).order_by():
        line = h.get_outcome_display()
        if h.next_hearing_date:
            line += f"; next hearing {h.next_hearing_date:%b %-d, %Y}"
        items.append(
            TimelineItem(
                date=h.hearing_date,
                program="core",
                kind="Parole hearing",
                text=line,
                url=reverse("core:offender_timeline", args=[offender.pk]) + "?program=core",
                source=f"core.ParoleHearing:{h.pk}",
                sort_key=(h.entered_at.isoformat(), h.pk),
            )
        )
    return items


registry.timeline_provider(
    TimelineProvider(slug="core", program="core", label="Status and hearings", events=_core_events, order=0)
)
