"""People named on an entry with their hours: who worked a harvest day or a craft production entry
(``gardens.HarvestWorker``, ``donations.ProductionWorker``), and the next app whose entries name people.

What they share lives here, once: the rules (``worker_hours_problem``, ``named_totals_problems``,
``workers_problems``), the write (``replace_workers``, each row with its history), the facility's
roster (``roster``), the form (``WorkersForm``: a box and the hours per person) and the page
(``WorkersView``, with ``core/includes/worker_roster.html`` and ``static/js/worker_roster.js``). An
app's ``<entry>_workers_set`` service locks the entry, calls ``workers_problems`` with its totals and
``replace_workers``; its view subclasses ``WorkersView`` and names that service.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.views import View

from core.choices import OffenderStatus
from core.forms import Form
from core.models import Offender
from core.querysets import CHANGE, VIEW
from core.services import set_history as _set_history

MAX_WORKER_HOURS = Decimal("16")
WORKER_HOURS_STEP = Decimal("0.01")


def person_label(offender) -> str:
    return f"{offender.last_name}, {offender.first_name} ({offender.doc_id})"


def worker_hours_problem(hours) -> str | None:
    """What is wrong with one person's hours on one entry, or None: above 0, at most 16, two decimals."""
    if hours is None:
        return "enter their hours"
    hours = Decimal(hours)
    if hours <= 0:
        return "enter hours above 0"
    if hours > MAX_WORKER_HOURS:
        return f"{hours} hours is more than {MAX_WORKER_HOURS} hours in a day"
    if hours != hours.quantize(WORKER_HOURS_STEP):
        return f"{hours} hours: use at most 2 decimal places"
    return None


def named_totals_problems(
    *, people: int, hours: Decimal, volunteers: int | None, volunteer_hours: Decimal, noun: str
) -> list[str]:
    """The one rule between named workers and an entry's totals: the named people are at most the entry's
    volunteers (when it counts them) and their hours at most its volunteer hours."""
    problems = []
    if volunteers is not None and people > volunteers:
        problems.append(
            f"You named {people} people but the {noun} counts {volunteers} volunteer(s). "
            f"Raise the {noun}'s volunteers first, or name fewer people."
        )
    if hours > (volunteer_hours or 0):
        problems.append(
            f"The named people's hours ({hours}) are more than the {noun}'s volunteer hours "
            f"({volunteer_hours or 0}). Raise the {noun}'s volunteer hours first, or enter fewer hours."
        )
    return problems


def workers_problems(
    *,
    facility,
    workers: list[tuple[int, object]],
    already_named: set[int],
    volunteers: int | None,
    volunteer_hours: Decimal,
    noun: str,
) -> tuple[list[str], dict[int, Offender]]:
    """Every problem with a list of (person id, hours) for an entry at ``facility``, and the people read.

    A person newly named must be held at the facility (incarcerated there); one already named stays
    even if moved since. Each person once; hours per ``worker_hours_problem``; totals per
    ``named_totals_problems``."""
    problems: list[str] = []
    ids = [int(pk) for pk, _ in workers]
    people = Offender.objects.in_bulk(ids)
    seen: set[int] = set()
    total = Decimal("0")
    for pk, hours in workers:
        pk = int(pk)
        person = people.get(pk)
        name = person_label(person) if person else f"Person #{pk}"
        if person is None:
            problems.append(f"{name} does not exist.")
            continue
        if pk in seen:
            problems.append(f"{name} is named twice.")
            continue
        seen.add(pk)
        if pk not in already_named and (
            person.status != OffenderStatus.INCARCERATED or person.facility_id != facility.pk
        ):
            problems.append(f"{name} is not held at {facility.code}: only its people can be named.")
        if problem := worker_hours_problem(hours):
            problems.append(f"{name}: {problem}.")
        else:
            total += Decimal(hours)
    if not problems:
        problems.extend(
            named_totals_problems(
                people=len(seen), hours=total, volunteers=volunteers, volunteer_hours=volunteer_hours, noun=noun
            )
        )
    return problems, people


def replace_workers(*, entry, model, parent_field: str, workers: list[tuple[int, Decimal]], user, reason: str):
    """Make ``entry``'s named workers exactly ``workers``: update, add, remove (each with its history row)."""
    current = {w.offender_id: w for w in model.objects.filter(**{parent_field: entry})}
    wanted = {int(pk): Decimal(hours) for pk, hours in workers}
    for pk, worker in current.items():
        if pk not in wanted:
            _set_history(worker, user, reason)
            worker.delete()
    saved = []
    for pk, hours in wanted.items():
        worker = current.get(pk)
        if worker is not None and worker.hours == hours:
            saved.append(worker)
            continue
        if worker is None:
            worker = model(**{parent_field: entry}, offender_id=pk, hours=hours)
        worker.hours = hours
        worker.full_clean()
        _set_history(worker, user, reason)
        worker.save()
        saved.append(worker)
    return saved


def roster(*, facility_id: int, user, named_ids=()) -> list[Offender]:
    """The people who may be named on an entry at a facility: those held there that ``user`` may see,
    and anyone already named (moved since, say), by name. One query."""
    held = Offender.objects.restrict(user, VIEW).filter(status=OffenderStatus.INCARCERATED, facility_id=facility_id)
    if named_ids:
        held = held | Offender.objects.filter(pk__in=list(named_ids))
    return list(held.distinct().order_by("last_name", "first_name", "doc_id"))


class WorkersForm(Form):
    """The facility's roster: a box to tick and the hours for each person. Saved through the entry's
    ``*_workers_set`` service, which checks the rules again (facility, hours, totals)."""

    def __init__(self, *args, roster, named: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.roster = list(roster)
        for person in self.roster:
            hours = named.get(person.pk)
            self.fields[f"w{person.pk}"] = forms.BooleanField(
                label=person_label(person), required=False, initial=hours is not None
            )
            self.fields[f"h{person.pk}"] = forms.DecimalField(
                label="Hours",
                required=False,
                initial=hours,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.25", "min": "0", "max": "16"}),
            )

    def rows(self):
        """(person, box, hours field, a field of the row's own or None) per person of the roster, for
        ``core/includes/worker_roster.html`` (a subclass adds its field: the crop of a day's harvests)."""
        return [(p, self[f"w{p.pk}"], self[f"h{p.pk}"], self.row_extra(p)) for p in self.roster]

    def row_extra(self, person):
        """A subclass's own field on ``person``'s row (a select, drawn after the hours), or None."""
        return None

    def clean(self):
        data = super().clean()
        for person in self.roster:
            ticked, hours = data.get(f"w{person.pk}"), data.get(f"h{person.pk}")
            if ticked and (problem := worker_hours_problem(hours)):
                self.add_error(f"h{person.pk}", f"{problem[0].upper()}{problem[1:]}.")
            elif not ticked and hours is not None:
                self.add_error(f"h{person.pk}", "Tick the person, or clear their hours.")
        return data

    def workers(self) -> list[tuple[int, Decimal]]:
        return [(p.pk, self.cleaned_data[f"h{p.pk}"]) for p in self.roster if self.cleaned_data.get(f"w{p.pk}")]


def named_workers_check(entry, *, before_facility_id: int, volunteers, field: str, noun: str, elsewhere: str) -> None:
    """A corrected entry keeps its named workers within its totals (``volunteers``: the entry's count,
    or None when it counts none) and at its facility: moving it under ``field`` is refused while it
    names people (``elsewhere`` ends the sentence: "another facility's garden")."""
    named = list(entry.workers.values_list("hours", flat=True))
    if not named:
        return
    if entry.facility_id != before_facility_id:
        raise ValidationError(
            {
                field: f"This {noun} names people who worked at its facility: remove them before moving it to "
                f"{elsewhere}."
            }
        )
    problems = named_totals_problems(
        people=len(named),
        hours=sum(named, Decimal("0")),
        volunteers=volunteers,
        volunteer_hours=entry.volunteer_hours,
        noun=noun,
    )
    if problems:
        raise ValidationError(problems)


def workers_set(
    *,
    model,
    entry,
    worker_model,
    parent_field: str,
    user,
    workers,
    reason: str,
    counts_volunteers: bool,
    noun: str,
    void_message: str,
):
    """Name who worked on ``entry`` (a ``model`` row) and their hours (``{person or id: hours}``, or pairs),
    replacing the list; the caller's transaction. Refused, with nothing stored, per ``workers_problems``;
    a void entry is final (``void_message``)."""
    pairs = list(workers.items()) if isinstance(workers, Mapping) else list(workers)
    pairs = [(getattr(p, "pk", p), h) for p, h in pairs]
    entry = model.objects.select_for_update().select_related("facility").get(pk=entry.pk)
    if entry.voided_at is not None:
        raise ValidationError(void_message)
    problems, _ = workers_problems(
        facility=entry.facility,
        workers=pairs,
        already_named=set(entry.workers.values_list("offender_id", flat=True)),
        volunteers=entry.volunteers if counts_volunteers else None,
        volunteer_hours=entry.volunteer_hours,
        noun=noun,
    )
    if problems:
        raise ValidationError(problems)
    return replace_workers(
        entry=entry,
        model=worker_model,
        parent_field=parent_field,
        workers=pairs,
        user=user,
        reason=reason or "Who worked",
    )


def dated_between(qs, start, end, *, path: str):
    """Named workers of entries dated from ``start`` to ``end`` (either may be None); ``path`` is the
    entry's date (``harvest__date``)."""
    if start is not None:
        qs = qs.filter(**{f"{path}__gte": start})
    if end is not None:
        qs = qs.filter(**{f"{path}__lte": end})
    return qs


def hours_by_person(workers, offender_ids, *, path: str, start=None, end=None) -> dict[int, Decimal]:
    """Hours each person worked on the ``workers`` rows (standing entries, scoped by the caller), in one
    query, from ``start`` to ``end`` when given."""
    qs = dated_between(workers.filter(offender_id__any=list(offender_ids)), start, end, path=path)
    rows = qs.order_by().values("offender_id").annotate(total=Sum("hours"))
    return {r["offender_id"]: r["total"].quantize(WORKER_HOURS_STEP) for r in rows}


class WorkersView(LoginRequiredMixin, View):
    """Who worked on an entry: the facility's roster, a box and the hours per person (optional).

    A subclass names ``model``, ``template_name``, ``related`` (what the page prints of the entry),
    ``service``, the app's ``*_workers_set`` service, and ``entry_arg``, the name it takes the entry by."""

    model = None
    template_name = ""
    related: tuple[str, ...] = ("facility",)
    service = None
    entry_arg = "entry"

    def setup_form(self, request, pk, data=None):
        from core.views.generic import scoped_object_or_404

        entry = scoped_object_or_404(self.model, request.user, pk, CHANGE)
        entry = self.model.objects.select_related(*self.related).get(pk=entry.pk)
        named = dict(entry.workers.values_list("offender_id", "hours"))
        people = roster(facility_id=entry.facility_id, user=request.user, named_ids=named)
        return entry, WorkersForm(data, roster=people, named=named)

    def render_page(self, entry, form, status=200):
        context = {"object": entry, "form": form, "title": f"Who worked: {entry}"}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        entry, form = self.setup_form(request, pk)
        return self.render_page(entry, form)

    def post(self, request, pk):
        entry, form = self.setup_form(request, pk, request.POST)
        if form.is_valid():
            try:
                saved = type(self).service(**{self.entry_arg: entry}, user=request.user, workers=form.workers())
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                total = sum((w.hours for w in saved), 0)
                messages.success(request, f"Saved who worked: {len(saved)} people, {total} hours.")
                return redirect(entry.get_absolute_url())
        return self.render_page(entry, form, status=400)
