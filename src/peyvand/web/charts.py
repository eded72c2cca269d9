"""Chart specifications (Plotly JSON) built on the server; the page's script only draws them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from peyvand.domain.numbers import digits
from peyvand.services.series import Point, SeriesView
from peyvand.web.i18n import format_number, list_separator, short_date


def _ticks(days: Sequence[date], locale: str, calendar: str, count: int = 8) -> tuple[list[str], list[str]]:
    if not days:
        return [], []
    step = max(1, len(days) // count)
    picked = list(days[::step])
    return [d.isoformat() for d in picked], [short_date(d, locale=locale, calendar=calendar) for d in picked]


def _hour_label(moment: datetime, locale: str, calendar: str) -> str:
    """A local hour for hover text: the day in the viewer's calendar and HH:MM in the locale's digits."""
    day = short_date(moment.date(), locale=locale, calendar=calendar)
    return f"{day} {digits(moment.strftime('%H:%M'), locale)}"


def date_axis(days: Sequence[date], locale: str, calendar: str, count: int = 8) -> dict[str, Any]:
    """A date x-axis' ticks (about `count`) labelled in the viewer's calendar; empty without days."""
    if not days:
        return {}
    tickvals, ticktext = _ticks(days, locale, calendar, count)
    return {"tickvals": tickvals, "ticktext": ticktext}


HEADLINE_METRICS = ("site_visits", "store_visits", "orders", "revenue", "ad_spend")


def default_series(series: Sequence[SeriesView]) -> SeriesView | None:
    """The series a marketing desk opens on: the first headline metric's total, else any total."""
    totals = {s.metric: s for s in series if not s.dims}
    for metric in HEADLINE_METRICS:
        if metric in totals:
            return totals[metric]
    return next(iter(totals.values()), series[0] if series else None)


def _daily_gaps(points: Sequence[Point], *, zeros: bool = False) -> list[Point | None]:
    """Daily points with a None for every day without data, so the line breaks instead of bridging; with
    `zeros` (a series of raw events, where a day without a point had no events) a zero instead."""
    out: list[Point | None] = []
    previous: date | None = None
    for p in points:
        day = p.day or p.start.date()
        if previous is not None:
            missing = [previous + timedelta(days=k) for k in range(1, (day - previous).days)]
            out.extend(Point(p.start, d, 0.0, 0) if zeros else None for d in missing)
        out.append(p)
        previous = day
    return out


def series_chart(
    points: Sequence[Point],
    *,
    grain: str,
    title: str,
    locale: str,
    calendar: str,
    incomplete: Mapping[date, Sequence[str]] | None = None,
    incomplete_label: str = "incomplete: {parts} did not report",
    events: bool = False,
    tz: str = "Asia/Tehran",
) -> dict[str, Any]:
    """A line chart of one series; hover shows the date in the viewer's calendar and the sample count.
    The days a reported total is `incomplete` (a part did not report) are marked with hollow grey circles
    and say which parts are missing: the signal engine leaves those days out. A series of raw `events`
    shows a day without a point as zero, as the engine counts it."""
    slots: list[Point | None]
    if grain == "day":
        first = (points[0].day or points[0].start.date()) if points else date.today()
        slots = _daily_gaps(points, zeros=events)
        days = [first + timedelta(days=i) for i in range(len(slots))]
        xs = [d.isoformat() for d in days]
    else:  # hours in the workspace's time zone, as the table beside the chart shows them
        zone = ZoneInfo(tz)
        slots = list(points)
        local = [p.start.astimezone(zone) for p in points]
        xs = [moment.strftime("%Y-%m-%dT%H:%M") for moment in local]
        days = sorted({moment.date() for moment in local})
    labels = [
        ""
        if p is None
        else (
            f"{short_date(p.day or p.start.date(), locale=locale, calendar=calendar)}"
            if grain == "day"
            else _hour_label(p.start.astimezone(ZoneInfo(tz)), locale, calendar)
        )
        + f": {format_number(p.value, locale, 0)} (n={format_number(p.n, locale)})"
        for p in slots
    ]
    tickvals, ticktext = _ticks(days, locale, calendar)
    if grain != "day":
        tickvals = [f"{v}T00:00" for v in tickvals]  # local midnights on the hour axis
    data: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": xs,
            "y": [None if p is None else p.value for p in slots],
            "connectgaps": False,
            "text": labels,
            "hoverinfo": "text",
            "line": {"width": 1.6, "color": "#1f6f8b"},
        }
    ]
    comma = list_separator(locale)
    missing = incomplete if grain == "day" and incomplete else {}
    marked = [
        (i, p.value, missing[p.day])
        for i, p in enumerate(slots)
        if p is not None and p.day is not None and p.day in missing
    ]
    if marked:
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "incomplete",
                "x": [xs[i] for i, _, _ in marked],
                "y": [value for _, value, _ in marked],
                "text": [
                    f"{labels[i]}<br>{incomplete_label.format(parts=comma.join(parts))}"
                    for i, _, parts in marked
                ],
                "hoverinfo": "text",
                "marker": {"symbol": "circle-open", "size": 9, "color": "#8a8a8a", "line": {"width": 1.5}},
                "showlegend": False,
            }
        )
    return {
        "data": data,
        "layout": {
            "title": {"text": title, "font": {"size": 14}},
            "margin": {"l": 50, "r": 20, "t": 40, "b": 40},
            "xaxis": {"tickvals": tickvals, "ticktext": ticktext},
            "yaxis": {"rangemode": "tozero"},
            "font": {"family": "Vazirmatn, Tahoma, sans-serif"},
            "height": 320,
        },
    }
