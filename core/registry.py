"""Where the program apps enter what the reports app and the dashboards read.

Each app fills these from its ``reports.py`` (found at start-up by ``CoreConfig.ready``), so
``core`` and ``reports`` never import a program app directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReportEntry:
    """A report in the catalog. ``build(user, params)`` returns the context, built from selectors."""

    slug: str
    title: str
    app: str
    description: str
    build: Callable
    template: str
    formats: tuple[str, ...] = ("html", "pdf", "csv")
    roles: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class FigureEntry:
    """A live figure for the public page and the brochure: ``compute()`` returns its value."""

    slug: str
    label: str
    compute: Callable
    order: int = 100


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
