"""One restorative record per person: what they have repaired across every program, what is still
owed, and what will not be done before supervision ends.

Each program enters a provider in the registry (``core.registry.RestorativeProvider``, from its
``registrations.py``), so core imports no program:

- ``summary(offender, user, as_of)`` returns the program's ``Block`` s for one person (one per
  obligation kind the program tracks), read through ``.restrict(user, VIEW)``: what a role may not
  see never reaches the page or the PDF. A fixed number of queries whatever the person's history.
- ``unmet(people, as_of)`` answers, for many people at once (``{offender_id: supervision end}``), what
  each still owes and what at today's pace will not be met by the end date (``Unmet``); the nightly
  readiness check calls it once per batch, unrestricted (it writes alerts for the officers).

The person's page (``core:offender_record``), the progress report PDF (``core:offender_progress``)
and the readiness check (``core.jobs.supervision_review``) read only these. No block, fact or source
carries a victim's name or contact: a victim is "the victim" or "a payee", always.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Aggregate, Count, F, FloatField, Func, IntegerField

from core.dates import format_date
from core.registry import registry


class Tone:
    """How a block's state reads (and its colour on the page)."""

    DONE = "done"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OWED = "owed"
    RECORDED = "recorded"  # work given, not owed: participation hours


TONE_LABELS = {
    Tone.DONE: "Done",
    Tone.ON_TRACK: "On track",
    Tone.AT_RISK: "At risk",
    Tone.OWED: "Owed",
    Tone.RECORDED: "Given",
}
SETTLED = (Tone.DONE, Tone.RECORDED)


@dataclass(frozen=True)
class Fact:
    """A line of a block: "Ordered" / "$3,000.00"."""

    label: str
    value: str


@dataclass(frozen=True)
class Source:
    """A verified source behind a figure, for the progress report: a receipt number, who verified an
    hour and how, a certificate's code. Never a victim's identity."""

    date: dt.date | None
    text: str


@dataclass(frozen=True)
class Unmet:
    """Something a person still owes a program. ``late``: at today's pace it will not be met by the
    end of supervision (or there is no pace to project from)."""

    program: str
    text: str
    late: bool = False


@dataclass(frozen=True)
class Block:
    """One program's summary for one person (or one obligation of it, such as one court order)."""

    program: str
    title: str
    tone: str
    headline: str
    facts: tuple[Fact, ...] = ()
    due: dt.date | None = None  # when it must be met, if the program sets a date
    projected: dt.date | None = None  # when it will be met at the recent pace
    projection: str = ""  # the projection in words, against the supervision end
    late: bool = False  # the projection falls after the supervision end (or there is none)
    sources: tuple[Source, ...] = ()
    url: str = ""  # the program's own page for this person or record
    internal: tuple[Fact, ...] = ()  # notes for staff only: left out of the person's version

    @property
    def tone_label(self) -> str:
        return TONE_LABELS.get(self.tone, self.tone)


@dataclass
class Record:
    """A person's restorative record as one viewer may see it."""

    offender: object
    as_of: dt.date
    blocks: list[Block] = field(default_factory=list)

    @property
    def late(self) -> list[Block]:
        return [b for b in self.blocks if b.late]

    @property
    def open(self) -> list[Block]:
        return [b for b in self.blocks if b.tone not in SETTLED]

    @property
    def late_titles(self) -> str:
        """The titles of what will not be met in time, named once each: "Community service and Restitution"."""
        return titles_joined(self.late)

    @property
    def open_titles(self) -> str:
        return titles_joined(self.open)

    def by_program(self) -> list[tuple[str, list[Block]]]:
        groups: dict[str, list[Block]] = defaultdict(list)
        for block in self.blocks:
            groups[block.program].append(block)
        return list(groups.items())


def titles_joined(blocks) -> str:
    """The blocks' titles, each once, in order, joined in words ("A", "A and B", "A, B and C")."""
    titles = list(dict.fromkeys(b.title for b in blocks))
    if len(titles) < 2:
        return "".join(titles)
    return f"{', '.join(titles[:-1])} and {titles[-1]}"


def record_for(offender, user, as_of: dt.date, *, program: str | None = None) -> Record:
    """Every provider's blocks for ``offender`` as ``user`` may see them, in the providers' order (only
    ``program``'s providers when given: ``PARTICIPATION`` for the person's Details tab)."""
    record = Record(offender=offender, as_of=as_of)
    for provider in registry.restorative_providers():
        if program is None or provider.program == program:
            record.blocks.extend(provider.summary(offender, user, as_of) or ())
    return record


def unmet_for(people: dict[int, dt.date | None], as_of: dt.date) -> dict[int, list[Unmet]]:
    """What each of ``people`` (``{offender_id: supervision end}``) still owes, every program at once."""
    found: dict[int, list[Unmet]] = defaultdict(list)
    if not people:
        return found
    for provider in registry.restorative_providers():
        if provider.unmet is None:
            continue
        for offender_id, items in provider.unmet(people, as_of).items():
            found[offender_id].extend(items)
    return found


def end_projection(projected: dt.date | None, end: dt.date | None, *, pace: str) -> tuple[str, bool]:
    """The projection in words against the supervision end, and whether it falls after it: every
    provider says it the same way. ``pace`` names the pace it is drawn from ("the last 8 weeks")."""
    if projected is None:
        text = f"No projection: nothing was done in {pace}."
        return (text + (" Supervision ends first." if end else ""), True)
    text = f"At the pace of {pace}: done by {format_date(projected)}"
    if end is None:
        return text + ".", False
    if projected > end:
        return f"{text}, after supervision ends ({format_date(end)}).", True
    return f"{text}, before supervision ends ({format_date(end)}).", False


# Time from order to completion (the statewide outcomes report) ---------------------------------------
class Percentile(Aggregate):
    """PostgreSQL's ``percentile_cont``: the value below which ``fraction`` of the rows fall."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def days_between(end: str, start: str) -> Func:
    """``end - start`` of two date fields, in whole days (PostgreSQL's date subtraction)."""
    return Func(F(end), F(start), template="(%(expressions)s)", arg_joiner=" - ", output_field=IntegerField())


@dataclass(frozen=True)
class Duration:
    """How long one kind of obligation took from order to completion, among those completed in a period."""

    what: str
    completed: int
    median_days: float | None
    p90_days: float | None


def durations_of(queryset, *, what: str, end: str, start: str) -> Duration:
    """One aggregate over completed records: how many, and the median and 90th percentile of days."""
    days = days_between(end, start)
    row = queryset.aggregate(n=Count("pk"), median=Percentile(days, 0.5), p90=Percentile(days, 0.9))
    return Duration(what=what, completed=row["n"], median_days=row["median"], p90_days=row["p90"])


def durations_for(user, start: dt.date, end: dt.date) -> list[Duration]:
    """Every provider's durations for records completed from ``start`` to ``end``, as ``user`` may see them."""
    found: list[Duration] = []
    for provider in registry.restorative_providers():
        if provider.durations is not None:
            found.extend(provider.durations(user, start, end))
    return found


# Participation: hours given in the gardens, the craft shops and dog training ------------------------
PARTICIPATION = "participation"
PARTICIPATION_TITLE = "Participation in the programs"
PARTICIPATION_SOURCES = 25


def participation_block(*, label: str, items) -> list[Block]:
    """One program's participation hours as a block: ``items`` are the program's entries the person
    worked on, newest first, each with ``date``, ``what``, ``hours`` and ``where`` (the apps'
    ``participation_items``). Nothing owed: the block records what was given."""
    if not items:
        return []
    hours = sum((i.hours for i in items), start=type(items[0].hours)(0))
    sources = [Source(i.date, f"{i.what}: {i.hours} hours at {i.where}") for i in items[:PARTICIPATION_SOURCES]]
    if len(items) > PARTICIPATION_SOURCES:
        sources.append(Source(None, f"And {len(items) - PARTICIPATION_SOURCES} earlier entries."))
    return [
        Block(
            program=PARTICIPATION,
            title=PARTICIPATION_TITLE,
            tone=Tone.RECORDED,
            headline=f"{label}: {hours:.2f} hours over {len(items)} entr{'ies' if len(items) != 1 else 'y'}.",
            facts=(
                Fact("Hours", f"{hours:.2f}"),
                Fact("From", format_date(items[-1].date)),
                Fact("Latest", format_date(items[0].date)),
            ),
            sources=tuple(sources),
        )
    ]


# The progress report ------------------------------------------------------------------------------
PROGRESS_TEMPLATE = "core/pdf/progress_report.html"


def progress_report_context(offender, user, as_of: dt.date, *, version: str, purpose: str = "") -> dict:
    """What the progress report prints: the record as ``user`` may see it; the person's version leaves
    the staff-only facts and the verified sources out and speaks plainly."""
    from core.pdf import generated_stamp

    record = record_for(offender, user, as_of)
    return {
        "offender": offender,
        "record": record,
        "as_of": as_of,
        "purpose": purpose,
        "for_person": version == "person",
        "produced_by": user.get_full_name() or user.username,
        "generated_stamp": generated_stamp(),
    }


def progress_report_produce(*, offender, user, version: str = "court", purpose: str = "", as_of=None):
    """Print the person's progress report and keep the copy with who and when (audited)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from core.audit import audit_log
    from core.models import ProgressReport
    from core.pdf import render_pdf

    as_of = as_of or timezone.localdate()
    purpose = (purpose or "").strip()
    context = progress_report_context(offender, user, as_of, version=version, purpose=purpose)
    data = render_pdf(PROGRESS_TEMPLATE, context)
    report = ProgressReport(offender=offender, version=version, as_of=as_of, purpose=purpose, produced_by=user)
    report.full_clean(exclude=["file"])
    report.size = len(data)
    report.file.save(f"progress-{as_of:%Y%m%d}-{version}.pdf", ContentFile(data), save=False)
    report.save()
    audit_log(user=user, action="progress_report", obj=report, detail=f"{report.get_version_display()}; {purpose}")
    return report
