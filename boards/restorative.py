"""Reparation boards' part of a person's restorative record (``core.restorative``): each agreement's
conditions met and still due, with what the records show toward them. At risk when a condition is
due after supervision ends or already overdue."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from core.dates import format_date
from core.querysets import VIEW
from core.restorative import Block, Fact, Source, Tone, Unmet

from .choices import AgreementStatus, ConditionStatus
from .models import Agreement, Condition
from .selectors import condition_progress

PROGRAM = "boards"
TITLE = "Reparation board agreement"


def summary(offender, user, as_of: dt.date) -> list[Block]:
    agreements = list(
        Agreement.objects.restrict(user, VIEW)
        .filter(referral__offender=offender)
        .select_related("board", "referral")
        .prefetch_related("conditions")
        .order_by("approved_on", "pk")
    )
    end = offender.supervision_end_date
    blocks = []
    for agreement in agreements:
        conditions = sorted(agreement.conditions.all(), key=lambda c: (c.due_on, c.pk))
        met = [c for c in conditions if c.status == ConditionStatus.MET]
        open_ = [c for c in conditions if c.status == ConditionStatus.OPEN]
        progress = condition_progress(agreement, as_of) if agreement.status == AgreementStatus.ACTIVE else {}
        facts = [Fact("Board", agreement.board.name), Fact("Due", format_date(agreement.due_on))]
        for c in conditions:
            state = c.get_status_display()
            if c.status == ConditionStatus.MET and c.met_on:
                state += f" on {format_date(c.met_on)}"
            elif c.status == ConditionStatus.OPEN:
                state += f", due {format_date(c.due_on)}"
                if c.pk in progress:
                    state += f" ({progress[c.pk]})"
            facts.append(Fact(c.description, state))
        sources = tuple(Source(c.met_on, f"{c.description}: met; {c.evidence}") for c in met if c.evidence)
        if agreement.status != AgreementStatus.ACTIVE:
            done = agreement.status == AgreementStatus.COMPLETED
            blocks.append(
                Block(
                    program=PROGRAM,
                    title=TITLE,
                    tone=Tone.DONE if done else Tone.OWED,
                    headline=f"Agreement with {agreement.board.name}: {agreement.get_status_display().lower()}"
                    + (f" on {format_date(agreement.closed_on)}" if agreement.closed_on else "")
                    + ".",
                    facts=tuple(facts),
                    sources=sources,
                    url=agreement.get_absolute_url(),
                )
            )
            continue
        late = [c for c in open_ if c.due_on < as_of or (end is not None and c.due_on > end)]
        blocks.append(
            Block(
                program=PROGRAM,
                title=TITLE,
                tone=Tone.AT_RISK if late else (Tone.ON_TRACK if open_ else Tone.DONE),
                headline=f"Agreement with {agreement.board.name}: {len(met)} of {len(conditions)} conditions met, "
                f"{len(open_)} due by {format_date(agreement.due_on)}.",
                facts=tuple(facts),
                due=agreement.due_on,
                projection=(
                    f"{len(late)} condition{'s are' if len(late) != 1 else ' is'} overdue "
                    "or due after supervision ends."
                    if late
                    else ""
                ),
                late=bool(late),
                sources=sources,
                url=agreement.get_absolute_url(),
            )
        )
    return blocks


def unmet(people: dict[int, dt.date | None], as_of: dt.date) -> dict[int, list[Unmet]]:
    """Each active agreement with open conditions; late when one is overdue or due after the end of
    supervision (one query)."""
    open_by: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
    for offender_id, agreement_id, due in Condition.objects.filter(
        agreement__referral__offender_id__any=list(people),
        agreement__status=AgreementStatus.ACTIVE,
        status=ConditionStatus.OPEN,
    ).values_list("agreement__referral__offender_id", "agreement_id", "due_on"):
        open_by[(offender_id, agreement_id)].append(due)
    found: dict[int, list[Unmet]] = defaultdict(list)
    for (offender_id, _), dues in sorted(open_by.items()):
        end = people.get(offender_id)
        late = any(d < as_of or (end is not None and d > end) for d in dues)
        n = len(dues)
        found[offender_id].append(
            Unmet(PROGRAM, f"Board agreement: {n} condition{'s' if n != 1 else ''} still open", late)
        )
    return found


def durations(user, start: dt.date, end: dt.date):
    """Agreements completed in the period: from the board's approval to closing."""
    from core.restorative import durations_of

    done = Agreement.objects.restrict(user, VIEW).filter(
        status=AgreementStatus.COMPLETED, closed_on__gte=start, closed_on__lte=end
    )
    return [durations_of(done, what="Board agreements completed", end="closed_on", start="approved_on")]
