"""Chart specifications (Plotly JSON) built on the server; the page's script only draws them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from peyvand.services.series import Point
from peyvand.web.i18n import format_number, short_date


def _ticks(days: Sequence[date], locale: str, calendar: str, count: int = 8) -> tuple[list[str], list[str]]:
    if not days:
        return [], []
    step = max(1, len(days) // count)
    picked = list(days[::step])
    return [d.isoformat() for d in picked], [short_date(d, locale=locale, calendar=calendar) for d in picked]


def series_chart(
    points: Sequence[Point], *, grain: str, title: str, locale: str, calendar: str
) -> dict[str, Any]:
    """A line chart of one series; hover shows the date in the viewer's calendar and the sample count."""
    if grain == "day":
        xs = [p.day.isoformat() if p.day else p.start.date().isoformat() for p in points]
        days = [p.day or p.start.date() for p in points]
    else:
        xs = [p.start.isoformat() for p in points]
        days = sorted({p.day or p.start.date() for p in points})
    labels = [
        f"{short_date(p.day or p.start.date(), locale=locale, calendar=calendar)}"
        + ("" if grain == "day" else f" {p.start.strftime('%H:%M')} UTC")
        + f": {format_number(p.value, locale, 0)} (n={format_number(p.n, locale)})"
        for p in points
    ]
    tickvals, ticktext = _ticks(days, locale, calendar)
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines",
                "x": xs,
                "y": [p.value for p in points],
                "text": labels,
                "hoverinfo": "text",
                "line": {"width": 1.6, "color": "#1f6f8b"},
            }
        ],
        "layout": {
            "title": {"text": title, "font": {"size": 14}},
            "margin": {"l": 50, "r": 20, "t": 40, "b": 40},
            "xaxis": {
                "tickvals": tickvals if grain == "day" else None,
                "ticktext": ticktext if grain == "day" else None,
            },
            "yaxis": {"rangemode": "tozero"},
            "font": {"family": "Vazirmatn, Tahoma, sans-serif"},
            "height": 320,
        },
    }
