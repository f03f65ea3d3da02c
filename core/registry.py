"""Where the program apps enter what the reports app and the dashboards read.

Each app fills these from its ``reports.py`` (found at start-up by ``CoreConfig.ready``), so
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
    template: str
    formats: tuple[str, ...] = ("html", "pdf", "csv")
    roles: frozenset[str] = field(default_factory=frozenset)
    form_class: type | None = None
    tabulate: Callable | None = None
    count: Callable | None = None


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
    """A dashboard panel: ``render(request)`` returns HTML or None when it has nothing for this user."""

    slug: str
    roles: frozenset[str]
    render: Callable
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


MENU_GROUPS = ["Programs", "Restitution", "People", "Places", "Reports", "Administration"]


class Registry:
    def __init__(self):
        self.reports: dict[str, ReportEntry] = {}
        self.figures: dict[str, FigureEntry] = {}
        self.panels: dict[str, PanelEntry] = {}
        self.menu: dict[str, MenuEntry] = {}
        self._seeders: list[tuple[int, Callable[[], None]]] = []

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

    def panels_for(self, role: str) -> list[PanelEntry]:
        return sorted((p for p in self.panels.values() if role in p.roles), key=lambda p: (p.order, p.slug))


registry = Registry()
