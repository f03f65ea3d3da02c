"""Where the program apps enter what core, the reports app and the dashboards read.

Model declarations (core.resources), reports, public figures, dashboard panels, menu items and demo
seeders; and the four hooks the programs fill: offender event handlers (core.events), person
timeline providers (core.timeline), restorative record providers (core.restorative) and conflict
checkers (core.conflicts).

Each app fills these from its ``registrations.py`` (found at start-up by ``CoreConfig.ready``), so
``core`` and ``reports`` never import a program app directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReportEntry:
    """A report in the catalog. ``build(user, params)`` returns the context, built from selectors.

    ``build`` receives the signed-in user and applies scope itself (``.restrict(user)``); ``params``
    is the parameter form's ``cleaned_data`` (an empty dict without a form). ``template`` is a
    fragment (``templates/<app>/reports/<slug>.html``) that the reports app renders inside its page
    for HTML and inside its print layout (US Letter, page numbers, generation date) for PDF.
    ``roles`` empty: every signed-in role may run it. "csv" in ``formats`` offers CSV and XLSX.

    Optional, all with defaults:
    - ``form_class``: a ``forms.Form`` for the parameters, built as ``form_class(data, user=user)``.
    - ``tabulate(context)``: the rows for CSV/XLSX as ``[{"title", "columns", "rows"}]``; without it
      the reports app uses ``context["tables"]``, or ``context["columns"]`` with ``context["rows"]``.
    - ``count(user, params)``: how many rows the report will hold; above the reports app's
      threshold (a few thousand) it runs as a Celery task into a stored generated report.
      A ``build`` that accepts a ``progress`` keyword gets ``progress(done, total, note="")``.
    """

    slug: str
    title: str
    app: str
    description: str
    build: Callable
    # Without a fragment of its own, core's plain one: ``context["tables"]`` (title, columns, rows) under
    # an optional ``context["intro"]``.
    template: str = "core/reports/tables.html"
    formats: tuple[str, ...] = ("html", "pdf", "csv")
    roles: frozenset[str] = field(default_factory=frozenset)
    form_class: type | None = None
    tabulate: Callable | None = None
    count: Callable | None = None
    # The PDF's page: None lets the reports app choose (landscape when a table has more than
    # WIDE_TABLE_COLUMNS columns); True or False says so.
    landscape: bool | None = None
    # False: not in the catalog and not run from its page; only the reports app's background path builds
    # it (a large list export).
    listed: bool = True
    # A whole-document template of independent pages (a day's receipts): the context's list that the PDF
    # may be laid out in parts by, side by side on the machine's cores (core.pdf.render_pdf_parts).
    pdf_parts: str = ""


@dataclass(frozen=True)
class FigureEntry:
    """A live figure for the public page and the brochure: ``compute()`` returns its value.

    The value is a number (``int``/``Decimal``), ``None`` when the app has no data yet (the brochure
    then says what the program does without printing a zero), or a breakdown: a list of
    ``(label, number)`` pairs or a dict (craft donations by kind). Figures are statewide and public:
    never a name, a DOC ID or anything about a victim.

    Optional, all with defaults:
    - ``app``/``section``: the brochure section it belongs to (by default the app of ``compute``'s
      module: gardens, donations, fundraisers, puppies, community_service, boards, restitution,
      victims, classes).
    - ``unit``: printed after the number ("tons", "dogs").
    - ``describe``: one sentence saying what the figure counts, printed when there is no number.
    - ``cumulative``: a to-date total, to which an administrator's historical baseline (the total
      before RJ Admin) is added for "since records began".
    - ``compute_year(year)``: the value for one calendar year, for the annual report's year over year.
    """

    slug: str
    label: str
    compute: Callable
    order: int = 100
    app: str = ""
    section: str = ""
    unit: str = ""
    describe: str = ""
    cumulative: bool = False
    compute_year: Callable | None = None


@dataclass(frozen=True)
class PanelEntry:
    """A dashboard panel: ``render(request)`` returns HTML or None when it has nothing for this user.

    A panel's HTML is kept per user until the next write anywhere (``core.freshness``), so the
    dashboard's figures are never older than the last write. ``cached=False`` renders it on every view
    (a panel whose content changes without a write, such as one that shows the time).
    """

    slug: str
    roles: frozenset[str]
    render: Callable
    order: int = 100
    cached: bool = True


@dataclass(frozen=True)
class PersonActionEntry:
    """A program's action on a person's page (a button under the person's details), such as
    "Refer to a board": ``url_name`` takes the person's pk; shown when ``visible(user, offender)``,
    which must decide from the user's role and the person alone (no query: it runs on every view)."""

    slug: str
    label: str
    url_name: str
    visible: Callable
    order: int = 100


@dataclass(frozen=True)
class MenuEntry:
    """A navigation link. Shown when ``visible(user)`` is true (by default: the user may view ``model``)."""

    slug: str
    group: str
    label: str
    url_name: str
    model: type | None = None
    visible: Callable | None = None
    order: int = 100


@dataclass(frozen=True)
class EventHandlerEntry:
    """Runs after an offender event is committed: ``handle(event)`` gets a ``core.models.OffenderEvent``.

    ``kinds`` empty: every kind. A handler that raises is logged and retried with backoff (core.events);
    it never rolls back the change. Handlers must be idempotent: a retry may follow a partial run."""

    slug: str
    handle: Callable
    kinds: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class TimelineProvider:
    """One program's part of a person's timeline: ``events(offender, user)`` returns ``TimelineItem`` s
    (core.timeline), restricted to what ``user`` may see (through ``.restrict(user)``), in any order.
    ``program`` is the filter's value and ``label`` its name on the page."""

    slug: str
    program: str
    label: str
    events: Callable
    order: int = 100


@dataclass(frozen=True)
class RestorativeProvider:
    """One program's part of a person's restorative record (``core.restorative``).

    ``summary(offender, user, as_of)`` returns the program's ``Block`` s for the person, restricted to
    what ``user`` may see (an empty list when nothing), in a fixed number of queries.
    ``unmet(people, as_of)`` (optional) returns ``{offender_id: [Unmet, ...]}`` for
    ``people = {offender_id: supervision end date}``, unrestricted, set-based (the nightly readiness
    check). ``durations(user, start, end)`` (optional) returns ``core.restorative.Duration`` s: how long
    the program's obligations completed in the period took from order to completion, scoped to ``user``.
    None ever carries a victim's name or contact."""

    slug: str
    program: str
    label: str
    summary: Callable
    unmet: Callable | None = None
    durations: Callable | None = None
    order: int = 100


@dataclass(frozen=True)
class ConflictChecker:
    """Is the person being added somewhere someone protected in relation to this offender?

    ``check(offender, person)`` gets a ``core.conflicts.PersonDetails`` (already normalized) and
    returns an opaque reference string when it finds a possible conflict, else None. It must never
    return or log the protected person's details: the caller shows only "possible conflict, refer
    to victim services" and the reference."""

    slug: str
    check: Callable


@dataclass(frozen=True)
class FrequentTaskEntry:
    """A Celery task beat runs every ``minutes`` (not a dated job: no JobRun row each time), such as a
    sweep that retries what failed. ``load_schedule`` puts it in beat as ``rjadmin:<slug>``."""

    slug: str
    task: str
    minutes: int


MENU_GROUPS = ["Programs", "Restitution", "People", "Places", "Reports", "Administration"]


class Registry:
    def __init__(self):
        self.reports: dict[str, ReportEntry] = {}
        self.figures: dict[str, FigureEntry] = {}
        self.panels: dict[str, PanelEntry] = {}
        self.person_actions: dict[str, PersonActionEntry] = {}
        self.menu: dict[str, MenuEntry] = {}
        self.event_handlers: dict[str, EventHandlerEntry] = {}
        self.timeline: dict[str, TimelineProvider] = {}
        self.restorative: dict[str, RestorativeProvider] = {}
        self.conflict_checkers: dict[str, ConflictChecker] = {}
        self.frequent_tasks: dict[str, FrequentTaskEntry] = {}
        self.resources: dict[str, type] = {}
        self._seeders: list[tuple[int, Callable[[], None]]] = []
        # ``handler(view=..., fmt=...)``: a list export too large for the request, sent to the background
        # (the reports app's task path); returns the response, or None to export in the request.
        self.list_export_handler: Callable | None = None

    def event_handler(self, entry: EventHandlerEntry):
        return self._add(self.event_handlers, entry)

    def frequent_task(self, entry: FrequentTaskEntry):
        return self._add(self.frequent_tasks, entry)

    def timeline_provider(self, entry: TimelineProvider):
        return self._add(self.timeline, entry)

    def restorative_provider(self, entry: RestorativeProvider):
        return self._add(self.restorative, entry)

    def restorative_providers(self) -> list[RestorativeProvider]:
        return sorted(self.restorative.values(), key=lambda p: (p.order, p.slug))

    def conflict_checker(self, entry: ConflictChecker):
        return self._add(self.conflict_checkers, entry)

    def timeline_providers(self) -> list[TimelineProvider]:
        return sorted(self.timeline.values(), key=lambda p: (p.order, p.slug))

    def resource(self, declaration: type):
        """A model's declaration (core.resources.Resource), by the model's label."""
        label = declaration.model._meta.label
        if self.resources.get(label, declaration) is not declaration:
            raise ValueError(f"{label} is declared twice")
        self.resources[label] = declaration
        return declaration

    def resources_for(self, app_label: str) -> list[type]:
        return [r for r in self.resources.values() if r.model._meta.app_label == app_label]

    def menu_item(self, entry: MenuEntry):
        return self._add(self.menu, entry)

    def demo_seeder(self, func: Callable[[], None], order: int = 100):
        """An app's demo data loader, run by ``seed_demo`` after core's (must be idempotent)."""
        self._seeders.append((order, func))
        return func

    def demo_seeders(self) -> list[Callable[[], None]]:
        return [f for _, f in sorted(self._seeders, key=lambda p: p[0])]

    def _add(self, bucket: dict, entry):
        if entry.slug in bucket and bucket[entry.slug] != entry:
            raise ValueError(f"{entry.slug!r} is registered twice")
        bucket[entry.slug] = entry
        return entry

    def report(self, entry: ReportEntry):
        return self._add(self.reports, entry)

    def figure(self, entry: FigureEntry):
        return self._add(self.figures, entry)

    def panel(self, entry: PanelEntry):
        return self._add(self.panels, entry)

    def person_action(self, entry: PersonActionEntry):
        return self._add(self.person_actions, entry)

    def person_actions_for(self, user, offender) -> list[tuple[str, str]]:
        """(label, url) of each program action this user may take on this person, in order."""
        from django.urls import reverse

        entries = sorted(self.person_actions.values(), key=lambda e: (e.order, e.label))
        return [(e.label, reverse(e.url_name, args=[offender.pk])) for e in entries if e.visible(user, offender)]

    def panels_for(self, role: str) -> list[PanelEntry]:
        return sorted((p for p in self.panels.values() if role in p.roles), key=lambda p: (p.order, p.slug))


registry = Registry()
