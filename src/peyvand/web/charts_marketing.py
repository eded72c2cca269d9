"""The marketing desk's charts (Plotly JSON built on the server): signals marked on a series, a campaign's
actual against its counterfactual, a loop's touches to conversion, and the campaign calendar strip."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from peyvand.analysis.loops import LoopReport
from peyvand.services.campaign_return import CampaignInfo, CampaignResult
from peyvand.services.series import Point
from peyvand.services.signal_views import SignalView
from peyvand.web.charts import date_axis
from peyvand.web.i18n import format_number, format_p, format_percent, list_separator, short_date

RISE, FALL = "#2e7d32", "#c62828"
MAX_ANNOTATIONS = 14


def _x(moment: date | datetime, grain: str) -> str:
    return (
        moment.isoformat()
        if grain == "hour" or not isinstance(moment, datetime)
        else moment.date().isoformat()
    )


def _span(signal: SignalView, grain: str) -> tuple[str, str]:
    """The shaded span of a signal on the chart's x axis: whole periods, centred on the points."""
    half = timedelta(hours=12) if grain == "day" else timedelta(minutes=30)
    if grain == "day":
        first = datetime.combine(signal.start_day, datetime.min.time()) - half
        last = datetime.combine(signal.end_day, datetime.min.time()) + half
    else:
        first, last = signal.start - half, signal.end + half
    return first.isoformat(), last.isoformat()


def _hover(signal: SignalView, locale: str, calendar: str, label: Callable[[str, str], str]) -> str:
    """The marker's hover: effect and interval, p and q, the kind of change, the campaigns on air and the
    PR events at its onset, in the viewer's language (`label(kind, key)` names a key)."""
    arrow = "▲" if signal.direction == "rise" else "▼"
    sep = list_separator(locale)
    low, high = signal.effect_low, signal.effect_high
    interval = (
        f" [{format_percent(low, locale)}{sep}{format_percent(high, locale)}]" if low is not None else ""
    )
    q = "—" if signal.q_value is None else format_p(signal.q_value, locale)
    when = short_date(signal.start_day, locale=locale, calendar=calendar)
    if signal.end_day != signal.start_day:
        when += " – " + short_date(signal.end_day, locale=locale, calendar=calendar)
    campaigns = sep.join(label("campaign", str(c["key"])) for c in signal.campaigns) or "—"
    events = sep.join(dict.fromkeys(label("event", str(e["kind"])) for e in signal.pr_events)) or "—"
    return (
        f"{arrow} {when}: {format_percent(signal.effect, locale)}{interval}<br>"
        f"p = {format_p(signal.p_value, locale)}   q = {q}   {label('kind', signal.kind)}<br>"
        f"{label('text', 'Campaigns on air')}: {campaigns}<br>"
        f"{label('text', 'PR events at its onset')}: {events}"
    )


FONT = {"family": "Vazirmatn, Tahoma, sans-serif"}
SHADE = {
    "type": "rect",
    "xref": "x",
    "yref": "paper",
    "y0": 0,
    "y1": 1,
    "opacity": 0.14,
    "line": {"width": 0},
}
LABEL = {"y": 1.0, "yref": "paper", "yanchor": "bottom", "showarrow": False}
MARKERS = {"type": "scatter", "mode": "markers", "hoverinfo": "text", "name": "signals", "showlegend": False}
CAMPAIGN_LAYOUT = {
    "margin": {"l": 70, "r": 20, "t": 40, "b": 40},
    "yaxis": {"rangemode": "tozero"},
    "legend": {"orientation": "h", "y": -0.15},
    "font": FONT,
    "height": 340,
}
LOOP_LAYOUT = {
    "margin": {"l": 50, "r": 60, "t": 20, "b": 40},
    "yaxis2": {"overlaying": "y", "side": "right", "rangemode": "tozero", "tickformat": ".1~%"},
    "legend": {"orientation": "h", "y": -0.2},
    "font": FONT,
    "height": 300,
}


def _colour(signal: SignalView) -> str:
    return RISE if signal.direction == "rise" else FALL


def _shade(signal: SignalView, grain: str) -> dict[str, Any]:
    x0, x1 = _span(signal, grain)
    return {**SHADE, "x0": x0, "x1": x1, "fillcolor": _colour(signal), "layer": "below"}


def _label(signal: SignalView, grain: str, locale: str) -> dict[str, Any]:
    arrow = "▲ " if signal.direction == "rise" else "▼ "
    at = signal.start_day if grain == "day" else signal.start
    text = arrow + format_percent(signal.effect, locale, 0)
    return {**LABEL, "x": _x(at, grain), "text": text, "font": {"color": _colour(signal), "size": 11}}


def mark_signals(
    chart: dict[str, Any],
    points: Sequence[Point],
    signals: Sequence[SignalView],
    *,
    grain: str,
    locale: str,
    calendar: str,
    label: Callable[[str, str], str] = lambda kind, key: key,
) -> int:
    """Shade each signal's window on a series chart, label it with its effect and add a hover marker at
    its start. Only signals inside the charted range are drawn; returns how many. `label(kind, key)` names
    campaigns, PR event kinds and interface words in the viewer's language."""
    if not points:
        return 0
    first, last = points[0].start, points[-1].start
    shown = [s for s in signals if s.grain == grain and s.end >= first and s.start <= last]
    values = {(p.day if grain == "day" else p.start): p.value for p in points}
    starts = [s.start_day if grain == "day" else s.start for s in shown]
    layout = chart["layout"]
    layout["shapes"] = [_shade(s, grain) for s in shown]
    layout["annotations"] = [_label(s, grain, locale) for s in shown[:MAX_ANNOTATIONS]]
    layout["showlegend"], layout["margin"] = False, {**layout.get("margin", {}), "t": 56}
    if shown:
        chart["data"].append(
            {
                **MARKERS,
                "x": [_x(a, grain) for a in starts],
                "y": [values.get(a) for a in starts],
                "text": [_hover(s, locale, calendar, label) for s in shown],
                "marker": {"size": 10, "symbol": "diamond", "color": [_colour(s) for s in shown]},
            }
        )
    return len(shown)


def _line(x: list[str], y: Sequence[float], name: str, **style: Any) -> dict[str, Any]:
    return {"type": "scatter", "mode": "lines", "x": x, "y": list(y), "name": name, **style}


def campaign_chart(
    result: CampaignResult, *, locale: str, calendar: str, title: str, labels: dict[str, str]
) -> dict[str, Any] | None:
    """Daily revenue: the weeks before, then the window's actual against the counterfactual, with the band
    of average daily levels the lift interval allows (counterfactual + interval ÷ days)."""
    lift = result.revenue
    if lift is None:
        return None
    days = [d.isoformat() for d in lift.days]
    n = max(lift.days_measured, 1)
    low = [c + lift.lift_interval.low / n for c in lift.daily_counterfactual]
    high = [c + lift.lift_interval.high / n for c in lift.daily_counterfactual]
    before = [d.isoformat() for d, _ in result.history]
    band = {"fill": "tonexty", "line": {"width": 0}, "fillcolor": "rgba(46,125,50,0.15)", "hoverinfo": "skip"}
    traces = [
        _line(
            before, [v for _, v in result.history], labels["before"], line={"color": "#8a94a0", "width": 1.2}
        ),
        _line(days, high, "", line={"width": 0}, showlegend=False, hoverinfo="skip"),
        _line(days, low, labels["interval"], **band),
        _line(
            days,
            lift.daily_counterfactual,
            labels["counterfactual"],
            line={"color": "#e08a1e", "dash": "dash"},
        ),
        _line(days, lift.daily_actual, labels["actual"], line={"color": "#1f6f8b", "width": 1.8}),
    ]
    start = (lift.days[0] if lift.days else result.campaign.starts_on).isoformat()
    onset = {"type": "line", "xref": "x", "yref": "paper", "x0": start, "x1": start, "y0": 0, "y1": 1}
    onset["line"] = {"color": "#66707c", "dash": "dot"}
    axis = date_axis([d for d, _ in result.history] + list(lift.days), locale, calendar)
    title_spec = {"text": title, "font": {"size": 14}}
    return {
        "data": traces,
        "layout": {**CAMPAIGN_LAYOUT, "title": title_spec, "shapes": [onset], "xaxis": axis},
    }


def loop_chart(report: LoopReport, *, labels: dict[str, str]) -> dict[str, Any] | None:
    """Converters by the number of touches it took (bars), and the Kaplan-Meier share of everyone
    converted by each touch (line, right axis, with its Greenwood interval)."""
    touches = report.touches
    if not touches.counts and not touches.curve:
        return None
    bars_x, curve = sorted(touches.counts), touches.curve
    bars = {
        "type": "bar",
        "x": bars_x,
        "y": [touches.counts[k] for k in bars_x],
        "name": labels["converters"],
    }
    error = {
        "type": "data",
        "symmetric": False,
        "thickness": 1,
        "array": [p.interval.high - p.converted for p in curve],
        "arrayminus": [p.converted - p.interval.low for p in curve],
    }
    km = _line(
        [str(p.at) for p in curve], [p.converted for p in curve], labels["km"], yaxis="y2", error_y=error
    )
    km.update(mode="lines+markers", x=[p.at for p in curve], line={"shape": "hv", "color": "#2e7d32"})
    axes = {
        "xaxis": {"title": {"text": labels["touches"]}, "dtick": 1},
        "yaxis": {"title": {"text": labels["converters"]}, "rangemode": "tozero"},
    }
    return {"data": [{**bars, "marker": {"color": "#1f6f8b"}}, km], "layout": {**LOOP_LAYOUT, **axes}}


def timeline(
    campaigns: Sequence[CampaignInfo], *, first: date, last: date, locale: str, calendar: str
) -> list[dict[str, Any]]:
    """Bars for the campaign calendar strip: each campaign's position and width in % of [first, last]."""
    span = max((last - first).days + 1, 1)
    rows = []
    for c in sorted(campaigns, key=lambda c: c.starts_on):
        end = c.ends_on or last
        if end < first or c.starts_on > last:
            continue
        a, b = max(c.starts_on, first), min(end, last)
        rows.append(
            {
                "key": c.key,
                "kind": c.kind,
                "label": c.label(locale),
                "owner": c.owner_team,
                "left": round(100 * (a - first).days / span, 2),
                "width": round(max(100 * ((b - a).days + 1) / span, 0.6), 2),
                "when": f"{short_date(c.starts_on, locale=locale, calendar=calendar)} – "
                + (short_date(c.ends_on, locale=locale, calendar=calendar) if c.ends_on else "…"),
            }
        )
    return rows


def money(value: float | None, locale: str) -> str:
    """Amounts in millions (toman and rial budgets are large), e.g. 965.1M."""
    if value is None:
        return "—"
    return format_number(value / 1e6, locale, 1) + (" میلیون" if locale == "fa" else "M")
