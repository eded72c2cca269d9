"""Plotly specifications for the reputation pages, built on the server (the page's script only draws them).

Every point's hover text carries its sample size; intervals are drawn as filled bands (the sentiment index)
or error bars (shares). Dates on the axis follow the viewer's calendar.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from peyvand.analysis.attributes import AttributeShare
from peyvand.analysis.reputation import SentimentPoint
from peyvand.analysis.share_of_voice import VoiceShare
from peyvand.analysis.spread import GrowthCurve
from peyvand.web.charts import date_axis
from peyvand.web.i18n import format_number, format_percent, short_date

PALETTE = ("#7a3e9d", "#1f6f8b", "#c0392b", "#2e8b57", "#d68910", "#5d6d7e", "#8e44ad", "#17a589")
FONT = {"family": "Vazirmatn, Tahoma, sans-serif"}


def _layout(title: str, height: int = 340, **extra: Any) -> dict[str, Any]:
    return {
        "title": {"text": title, "font": {"size": 14}},
        "margin": {"l": 55, "r": 55, "t": 40, "b": 40},
        "font": FONT,
        "height": height,
        "legend": {"orientation": "h", "y": -0.15},
        "hovermode": "closest",
        **extra,
    }


def interval_band(xs: list[str], lows: list[float], highs: list[float], name: str) -> list[dict[str, Any]]:
    """An interval as a filled area: the upper edge, then the lower edge filled up to it."""
    band = {"type": "scatter", "mode": "lines", "x": xs, "hoverinfo": "skip", "line": {"width": 0}}
    return [
        {**band, "y": highs, "showlegend": False},
        {**band, "y": lows, "fill": "tonexty", "fillcolor": "rgba(122, 62, 157, 0.18)", "name": name},
    ]


def sentiment_chart(
    points: Sequence[SentimentPoint], *, locale: str, calendar: str, labels: dict[str, str]
) -> dict[str, Any]:
    """Net sentiment per period with its 95% interval as a band, and the volume behind it as bars."""
    xs = [p.period_start.isoformat() for p in points]
    text = [
        f"{short_date(p.period_start, locale=locale, calendar=calendar)}: "
        f"{format_number(p.net_sentiment, locale, 1)} [{format_number(p.low, locale, 1)}, "
        f"{format_number(p.high, locale, 1)}] n={format_number(p.volume, locale)}"
        for p in points
    ]
    return {
        "data": [
            *interval_band(xs, [p.low for p in points], [p.high for p in points], labels["interval"]),
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": xs,
                "y": [p.net_sentiment for p in points],
                "text": text,
                "hoverinfo": "text",
                "name": labels["net"],
                "line": {"color": PALETTE[0], "width": 2},
                "marker": {"size": 4},
                "connectgaps": False,
            },
            {
                "type": "bar",
                "x": xs,
                "y": [p.volume for p in points],
                "yaxis": "y2",
                "name": labels["volume"],
                "marker": {"color": "rgba(31, 111, 139, 0.25)"},
                "hoverinfo": "y",
            },
        ],
        "layout": _layout(
            labels["title"],
            xaxis=date_axis([p.period_start for p in points], locale, calendar),
            yaxis={"range": [-100, 100], "zeroline": True, "title": {"text": labels["net"]}},
            yaxis2=_right_axis(labels["volume"]),
            margin={"l": 60, "r": 70, "t": 40, "b": 40},
        ),
    }


def _right_axis(title: str) -> dict[str, Any]:
    """A second y axis on the right, from zero, named (a count drawn behind the chart's main line)."""
    return {
        "overlaying": "y",
        "side": "right",
        "rangemode": "tozero",
        "showgrid": False,
        "tickmode": "auto",  # its own whole-number ticks, not the left axis's gridlines (6.58, 13.16…)
        "tickformat": ",~r",
        "title": {"text": title},
    }


MIN_GROUP_VOLUME = 10  # a group's period with fewer mentions is left out of its line (hover keeps its n)


def group_chart(
    points: Sequence[SentimentPoint],
    groups: Mapping[str, str],
    *,
    locale: str,
    calendar: str,
    title: str,
) -> dict[str, Any]:
    """One net-sentiment line per group (the largest groups, key → the name shown), hover with n. A period
    resting on fewer than `MIN_GROUP_VOLUME` mentions is a gap: two mentions make a net sentiment of ±100
    that says nothing."""
    data = []
    for i, (group, name) in enumerate(groups.items()):
        mine = [p for p in points if p.group == group]
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "x": [p.period_start.isoformat() for p in mine],
                "y": [p.net_sentiment if p.volume >= MIN_GROUP_VOLUME else None for p in mine],
                "text": [f"{name}: n={format_number(p.volume, locale)}" for p in mine],
                "line": {"color": PALETTE[i % len(PALETTE)], "width": 1.5},
                "marker": {"size": 4},
            }
        )
    days = sorted({p.period_start for p in points})
    return {
        "data": data,
        "layout": _layout(
            f"{title} (n ≥ {format_number(MIN_GROUP_VOLUME, locale)})",
            300,
            xaxis=date_axis(days, locale, calendar),
            yaxis={"range": [-100, 100]},
        ),
    }


def _share_error(
    values: Sequence[float | None], lows: Sequence[float], highs: Sequence[float]
) -> dict[str, Any]:
    return {
        "type": "data",
        "array": [None if v is None else h - v for v, h in zip(values, highs, strict=True)],
        "arrayminus": [None if v is None else v - lo for v, lo in zip(values, lows, strict=True)],
        "thickness": 1,
        "width": 2,
    }


def share_lines(
    series: Mapping[str, Sequence[AttributeShare] | Sequence[VoiceShare]],
    *,
    locale: str,
    calendar: str,
    title: str,
) -> dict[str, Any]:
    """Shares over time, one line per name, with Wilson intervals as error bars and n in the hover."""
    data = []
    days: set[date] = set()
    for i, (name, shares) in enumerate(series.items()):
        starts = [s.period_start for s in shares if s.period_start is not None]
        days.update(starts)
        values = [s.share for s in shares]
        totals = [s.mentions if isinstance(s, AttributeShare) else s.total for s in shares]
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "x": [d.isoformat() for d in starts],
                "y": values,
                "error_y": _share_error(values, [s.low for s in shares], [s.high for s in shares]),
                "text": [
                    f"{name}: {format_percent(v, locale)} n={format_number(n, locale)}"
                    for v, n in zip(values, totals, strict=True)
                ],
                "hoverinfo": "text",
                "line": {"color": PALETTE[i % len(PALETTE)], "width": 1.6},
            }
        )
    layout = _layout(
        title,
        xaxis=date_axis(sorted(days), locale, calendar),
        yaxis={"tickformat": ".1~%", "rangemode": "tozero"},
    )
    return {"data": data, "layout": layout}


def growth_chart(curve: GrowthCurve, *, locale: str, labels: dict[str, str]) -> dict[str, Any]:
    """Cumulative pickups by day since publication, and cumulative known reach on the second axis."""
    days = list(curve.days)
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": days,
                "y": list(curve.pickups),
                "name": labels["pickups"],
                "line": {"color": PALETTE[0], "width": 2, "shape": "hv"},
            },
            {
                "type": "scatter",
                "mode": "lines",
                "x": days,
                "y": list(curve.reach),
                "yaxis": "y2",
                "name": labels["reach"],
                "line": {"color": PALETTE[1], "width": 1.4, "dash": "dot", "shape": "hv"},
            },
        ],
        "layout": _layout(
            labels["title"],
            xaxis={"title": {"text": labels["days"]}, "dtick": max(1, len(days) // 12)},
            yaxis={"rangemode": "tozero", "title": {"text": labels["pickups"]}},
            yaxis2=_right_axis(labels["reach"]),
            margin={"l": 60, "r": 95, "t": 40, "b": 40},
        ),
    }


def window_shapes(windows: Sequence[tuple[date, date, str]]) -> list[dict[str, Any]]:
    """Shaded vertical bands (crises, campaign windows) over a date axis."""
    return [
        {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": start.isoformat(),
            "x1": (end + timedelta(days=1)).isoformat(),
            "y0": 0,
            "y1": 1,
            "fillcolor": color,
            "opacity": 0.15,
            "line": {"width": 0},
        }
        for start, end, color in windows
    ]


def daily_negative_chart(
    days: Sequence[tuple[date, int, int]],
    windows: Sequence[tuple[date, date, str]],
    *,
    locale: str,
    calendar: str,
    labels: dict[str, str],
) -> dict[str, Any]:
    """Negative mentions a day against all mentions a day, with the crisis windows shaded."""
    xs = [d.isoformat() for d, _, _ in days]
    return {
        "data": [
            {
                "type": "bar",
                "x": xs,
                "y": [v for _, _, v in days],
                "name": labels["volume"],
                "marker": {"color": "rgba(102,112,124,0.3)"},
            },
            {
                "type": "scatter",
                "mode": "lines",
                "x": xs,
                "y": [n for _, n, _ in days],
                "name": labels["negative"],
                "line": {"color": "#b3261e", "width": 1.8},
            },
        ],
        "layout": _layout(
            labels["title"],
            300,
            xaxis=date_axis([d for d, _, _ in days], locale, calendar),
            yaxis={"rangemode": "tozero"},
            shapes=window_shapes(windows),
            barmode="overlay",
        ),
    }
