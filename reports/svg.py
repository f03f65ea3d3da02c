"""Charts drawn as inline SVG in Python, so PDFs print them sharp and need no JavaScript."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .selectors import format_number

BAR = "#1f3a5f"
LAST_BAR = "#2e7d32"
AXIS = "#555555"
TEXT = "#222222"


def _nice_max(value: float) -> float:
    """A round axis maximum at or above value (1, 2, 2.5, 5 x 10^n)."""
    if value <= 0:
        return 1.0
    exponent = len(str(int(value))) - 1 if value >= 1 else 0
    base = 10**exponent
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if value <= step * base:
            return step * base
    return 10 * base


def bar_chart(series: list[tuple[str, object]], *, title: str, unit: str = "", width: int = 460) -> SafeString:
    """Vertical bars, one per (label, value); the last bar (the latest year) in another colour.

    The chart has a <title> and an aria-label naming every value, so a screen reader hears the data.
    """
    height = 190
    left, right, top, bottom = 56, 10, 14, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [float(Decimal(str(v))) if v is not None else 0.0 for _, v in series]
    top_value = _nice_max(max(values, default=0))
    n = max(len(series), 1)
    slot = plot_w / n
    bar_w = min(48.0, slot * 0.6)
    described = ", ".join(f"{label}: {format_number(v) if v is not None else 'no data'}" for label, v in series)
    label = f"{title}{f' ({unit})' if unit else ''}. {described}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(label)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" class="chart">',
        f"<title>{escape(label)}</title>",
    ]
    for i in range(5):
        tick = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#dddddd" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 3.5:.1f}" font-size="10" text-anchor="end" fill="{AXIS}">'
            f"{escape(format_number(Decimal(str(round(tick, 1)))))}</text>"
        )
    for i, ((name, raw), value) in enumerate(zip(series, values, strict=True)):
        h = plot_h * value / top_value if top_value else 0
        x = left + slot * i + (slot - bar_w) / 2
        y = top + plot_h - h
        color = LAST_BAR if i == len(series) - 1 else BAR
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{color}"/>')
        if raw is not None:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{max(y - 3, top + 8):.1f}" font-size="10" text-anchor="middle" '
                f'fill="{TEXT}">{escape(format_number(raw))}</text>'
            )
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 14}" font-size="10" text-anchor="middle" '
            f'fill="{AXIS}">{escape(name)}</text>'
        )
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{AXIS}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # labels are escaped above
