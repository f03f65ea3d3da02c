"""Reads for the brochure, the public pages and the reports: figures, sections, baselines.

Every figure comes from an app's ``compute()`` in core's registry; nothing here imports a program app.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core import freshness
from core.models import Offender
from core.money import format_money
from core.registry import FigureEntry, registry
from core.units import LB_PER_TON, one_decimal

from .models import BrochureBlock, FigureBaseline, Photo
from .sections import DEFAULTS_BY_KEY, SECTION_DEFAULTS, TEXT_ONLY

log = logging.getLogger(__name__)

POUND_UNITS = {"lb", "lbs", "pounds"}
MONEY_UNITS = {"dollars", "usd", "$"}


def format_number(value, unit: str = "") -> str:
    """A figure as printed: money as $1,234.50; whole numbers with thousands separators; others one decimal."""
    if value is None:
        return ""
    if unit.lower() in MONEY_UNITS:
        return format_money(Decimal(str(value)))
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{one_decimal(value):,}"


def section_of(entry: FigureEntry) -> str:
    """The brochure section a figure belongs to: its ``section``, else a section its slug starts with,
    else its ``app``, else the app whose module defines ``compute``."""
    if entry.section:
        return entry.section
    for key in DEFAULTS_BY_KEY:
        if key not in TEXT_ONLY and (entry.slug == key or entry.slug.startswith((key + "_", key + "-"))):
            return key
    if entry.app:
        return entry.app
    module = getattr(entry.compute, "__module__", "") or ""
    return module.split(".", 1)[0]


@dataclass
class FigureValue:
    """One figure as shown: the records' value, the historical baseline, and what to print."""

    entry: FigureEntry
    value: object = None  # number, or a list of (label, number) pairs
    baseline: FigureBaseline | None = None

    @property
    def slug(self) -> str:
        return self.entry.slug

    @property
    def label(self) -> str:
        return self.entry.label

    @property
    def is_money(self) -> bool:
        return self.entry.unit.lower() in MONEY_UNITS

    @property
    def unit(self) -> str:
        """The unit printed after the number; money carries its own dollar sign."""
        return "" if self.is_money else self.entry.unit

    @property
    def is_breakdown(self) -> bool:
        return isinstance(self.value, list)

    @property
    def number(self):
        """The number shown to the public: with a baseline, the total since records began."""
        if self.is_breakdown:
            return None
        if self.baseline is not None:
            return Decimal(str(self.value or 0)) + self.baseline.value
        return self.value

    @property
    def has_data(self) -> bool:
        if self.is_breakdown:
            return bool(self.value)
        return self.number not in (None, 0)

    @property
    def display(self) -> str:
        return format_number(self.number, self.entry.unit)

    @property
    def in_tons(self) -> str:
        """A weight in pounds also shown in tons (the design: season figures are also shown in tons)."""
        if self.unit.lower() in POUND_UNITS and not self.is_breakdown and self.number:
            tons = format_number(Decimal(str(self.number)) / LB_PER_TON)
            return f"{tons} ton" if tons == "1" else f"{tons} tons"
        return ""

    @property
    def records_display(self) -> str:
        return format_number(self.value, self.entry.unit) if not self.is_breakdown and self.value is not None else "—"

    @property
    def breakdown(self) -> list[tuple[str, str]]:
        return [(label, format_number(n)) for label, n in self.value] if self.is_breakdown else []

    def printed(self) -> str:
        """The figure as one line of text (the brochure's snapshot of what it printed)."""
        if self.is_breakdown:
            return "; ".join(f"{label} {n}" for label, n in self.breakdown)
        text = f"{self.display} {self.unit}".strip()
        return f"{text} ({self.in_tons})" if self.in_tons else text


def _normalize(value):
    if isinstance(value, Mapping):
        value = list(value.items())
    if isinstance(value, list | tuple):
        pairs = [(str(label), n) for label, n in value if n]
        return pairs
    if isinstance(value, float):
        return Decimal(str(value))
    return value


def compute_figure(entry: FigureEntry):
    """The figure's value; a figure that fails is logged and treated as having no data yet.

    Statewide figures are kept until the next write anywhere (``core.freshness``), so the public page,
    the brochure and the dashboards compute each once per change, and never show one older than it.
    """
    return freshness.cached(f"figure:{entry.slug}:{timezone.localdate():%Y%m%d}", lambda: _compute(entry))


def _compute(entry: FigureEntry):
    try:
        with transaction.atomic():  # a savepoint: a failing query leaves the caller's transaction usable
            return _normalize(entry.compute())
    except Exception:
        log.exception("Figure %s failed to compute", entry.slug)
        return None


def compute_figure_year(entry: FigureEntry, year: int):
    if entry.compute_year is None:
        return None
    try:
        with transaction.atomic():
            return _normalize(entry.compute_year(year))
    except Exception:
        log.exception("Figure %s failed to compute for %s", entry.slug, year)
        return None


def baselines() -> dict[str, FigureBaseline]:
    return {b.figure: b for b in FigureBaseline.objects.all()}


def figure_entries() -> list[FigureEntry]:
    return sorted(registry.figures.values(), key=lambda e: (e.order, e.slug))


def figure_values(*, with_baselines: bool = True) -> list[FigureValue]:
    known = baselines() if with_baselines else {}
    return [FigureValue(entry=e, value=compute_figure(e), baseline=known.get(e.slug)) for e in figure_entries()]


@dataclass
class Section:
    key: str
    title: str
    body: str
    page: int
    order: int
    figures: list[FigureValue] = field(default_factory=list)

    @property
    def shown_figures(self) -> list[FigureValue]:
        return [f for f in self.figures if f.has_data]

    @property
    def has_data(self) -> bool:
        return bool(self.shown_figures)

    @property
    def summary(self) -> str:
        """The first paragraph of the text, without its list (for reports that describe a program in a line)."""
        first = re.split(r"\n\s*\n", (self.body or "").strip())[0]
        return " ".join(
            line.strip() for line in first.splitlines() if line.strip() and not line.strip().startswith("- ")
        )

    @property
    def body_html(self) -> SafeString:
        return text_to_html(self.body)

    @property
    def is_program(self) -> bool:
        return self.key not in TEXT_ONLY


def sections(*, include_hidden: bool = False, figures: list[FigureValue] | None = None) -> list[Section]:
    """Every section in brochure order, with its saved text (or the default) and its figures."""
    saved = {b.key: b for b in BrochureBlock.objects.all()}
    result: dict[str, Section] = {}
    for default in SECTION_DEFAULTS:
        block = saved.pop(default.key, None)
        if block is not None and not block.show and not include_hidden:
            continue
        source = block or default
        result[default.key] = Section(default.key, source.title, source.body, source.page, source.order)
    for block in saved.values():  # blocks an administrator added for a new program
        if block.show or include_hidden:
            result[block.key] = Section(block.key, block.title, block.body, block.page, block.order)
    for value in figures if figures is not None else figure_values():
        section = result.get(section_of(value.entry))
        if section is not None and section.is_program:
            section.figures.append(value)
    return sorted(result.values(), key=lambda s: (s.page, s.order, s.key))


def text_to_html(text: str) -> SafeString:
    """Plain text to HTML: blank lines split paragraphs, "- " lines make a list. Everything is escaped."""
    parts: list[str] = []
    for chunk in re.split(r"\n\s*\n", (text or "").strip()):
        # Group the chunk's lines into runs of list items and runs of paragraph lines.
        runs: list[tuple[bool, list[str]]] = []
        for line in (x.strip() for x in chunk.splitlines()):
            if not line:
                continue
            is_item = line.startswith("- ")
            if not runs or runs[-1][0] != is_item:
                runs.append((is_item, []))
            runs[-1][1].append(line[2:].strip() if is_item else line)
        for is_item, lines in runs:
            if is_item:
                parts.append("<ul>" + "".join(f"<li>{escape(x)}</li>" for x in lines) + "</ul>")
            else:
                parts.append("<p>" + "<br>".join(str(escape(x)) for x in lines) + "</p>")
    return mark_safe("".join(parts))  # every piece is escaped above


def public_photos():
    return Photo.objects.public().order_by("-on_brochure", "-reviewed_at", "-pk")


# Text that must never reach the public: an offender's name or DOC ID -------------------------------
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]+")
_DIGITS = re.compile(r"\d{5,12}")


def private_text_problems(text: str) -> list[str]:
    """Names and DOC IDs of offenders found in a text meant for the public (captions, brochure text)."""
    text = text or ""
    problems = []
    digits = set(_DIGITS.findall(text))
    if digits and Offender.objects.filter(doc_id__in=digits).exists():
        problems.append("It contains an offender's DOC ID.")
    words = _WORD.findall(text)
    pairs = {(a, b) for a, b in itertools.pairwise(words) if a[0].isupper() and b[0].isupper()}
    if pairs:
        query = Q()
        for a, b in list(pairs)[:200]:
            query |= Q(first_name__iexact=a, last_name__iexact=b) | Q(first_name__iexact=b, last_name__iexact=a)
        if Offender.objects.filter(query).exists():
            problems.append("It names an offender.")
    return problems
