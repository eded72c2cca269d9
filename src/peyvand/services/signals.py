"""The signal job: run the signal engine over a workspace's series, store what it finds, explain it.

`detect_signals` evaluates every daily series, and the hourly series of raw events over their last ten
weeks, with false discoveries controlled across all of them (`signals.detect_many`). Three modes:

- **incremental** (the default; the job queued after reactions are ingested): per series and grain, only
  the periods after the last one evaluated (`signal_cursors`); the history before feeds the baseline. A
  series with a stored level shift open at its cursor, or ended in the eight weeks before it, is evaluated
  again from that shift's start, so that the engine sees the shift and what follows in one call and can
  tell a return to the earlier level (the shift's end) from a new fall, as a history run does;
- **since a date** (`peyvand signals detect --since`): every period from that date, for every series;
- **history** (`peyvand signals detect`, the desk's button): every period.

A change is upserted into `signals`: one that overlaps or touches a stored signal of the same series,
grain, kind and direction updates it, so re-running, or a level shift that goes on across daily runs,
stores one signal; two changes the engine tells apart in one run (a rise, then another rise from a new
change point) stay two signals. When the run evaluated the stored signal's whole span, the change
replaces its start and end (a shift found to have ended is shortened); otherwise the two spans are
joined. A run that evaluated a span again (history, since, or an incremental run reopened at a shift)
also removes what it no longer finds there. Every stored signal is then explained again
(`signal_explain`), because a PR event (a confirmed crisis, a
burst of pickups) can come to light after the signal did, and routed by rule R6.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from peyvand.analysis.signals import Change, Series, detect_many
from peyvand.domain.metrics import missed_days
from peyvand.services.access import Actor, require
from peyvand.services.clock import utcnow
from peyvand.services.pr_events import pr_events
from peyvand.services.signal_explain import ExplainContext, SeriesInfo, campaign_facts, explain
from peyvand.services.understanding import workspace_rules
from peyvand.storage.db import Store
from peyvand.storage.tables import MetricPoint, MetricSeries, Signal, Workspace
from peyvand.storage.tables_marketing import SignalCursor

HOURLY_DAYS = 70  # ten weeks: the engine tests an hour only after eight weeks of hours
# Series spanning fewer periods are left out: the engine tests nothing in them (docs/signals.md, Limits),
# and each series in a call widens the false-discovery family by a year of tests.
MIN_PERIODS = {"day": 56, "hour": 1344}
STEP = {"day": timedelta(days=1), "hour": timedelta(hours=1)}
MERGE_GAP = {"spike": timedelta(days=1), "level_shift": timedelta(days=7)}
REOPEN_PERIODS = 56  # eight weeks of days: how long after a level shift's end a fall may still be its return
Stamp = date | datetime


@dataclass
class GrainRun:
    """What one grain of a run did: series and periods evaluated, changes found, signals stored."""

    grain: str
    series: int = 0
    periods: int = 0
    found: int = 0
    new: int = 0
    updated: int = 0
    removed: int = 0


@dataclass
class SignalRun:
    mode: str
    grains: list[GrainRun] = field(default_factory=list)
    signals: int = 0
    shared_with_pr: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "grains": [vars(g) for g in self.grains],
            "signals": self.signals,
            "shared_with_pr": self.shared_with_pr,
        }


@dataclass
class _SeriesData:
    info: SeriesInfo
    stamps: list[Stamp]  # local dates (day) or local naive hours (hour)
    starts: list[datetime]  # the buckets' UTC starts
    values: list[float]


def _local_hour(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(tz).replace(tzinfo=None)


def _utc(stamp: Stamp, tz: ZoneInfo) -> datetime:
    moment = stamp if isinstance(stamp, datetime) else datetime(stamp.year, stamp.month, stamp.day)
    return moment.replace(tzinfo=tz).astimezone(UTC)


def _load_grain(
    session: Session, ws: int, grain: str, tz: ZoneInfo, *, testable_only: bool = True
) -> dict[int, _SeriesData]:
    series = {
        s.id: s
        for s in session.scalars(select(MetricSeries).where(MetricSeries.workspace_id == ws))
        if grain == "day" or s.origin == "event"  # daily metrics carry no hours worth testing
    }
    query = select(
        MetricPoint.series_id, MetricPoint.bucket_start, MetricPoint.local_date, MetricPoint.value_sum
    )
    query = query.where(MetricPoint.workspace_id == ws, MetricPoint.grain == grain)
    out: dict[int, _SeriesData] = {}
    for sid, start, day, value in session.execute(query.order_by(MetricPoint.bucket_start)):
        if sid not in series:
            continue
        if sid not in out:
            s = series[sid]
            out[sid] = _SeriesData(SeriesInfo(s.id, s.key, s.metric, dict(s.dims)), [], [], [])
        data = out[sid]
        data.stamps.append(day if grain == "day" and day is not None else _local_hour(start, tz))
        data.starts.append(start)
        data.values.append(float(value))
    _fill_event_zeros(out, series, grain, tz)
    if grain == "day":
        _drop_incomplete_days(out, series)
    if grain == "hour":
        for data in out.values():
            keep = data.starts[-1] - timedelta(days=HOURLY_DAYS)
            first = next(i for i, s in enumerate(data.starts) if s >= keep)
            data.stamps, data.starts, data.values = (
                data.stamps[first:],
                data.starts[first:],
                data.values[first:],
            )
    return {sid: d for sid, d in out.items() if not testable_only or _span(d, grain) >= MIN_PERIODS[grain]}


def _fill_event_zeros(
    out: dict[int, _SeriesData], series: dict[int, MetricSeries], grain: str, tz: ZoneInfo
) -> None:
    """A series of raw events has no point for a day or hour without events: that period counted zero,
    and the engine is given the zero (between the series' first and last point), not a gap. A gap would
    hide a fall to nothing in a sparse series (a store's check-ins), and make its level the mean of its
    busy days only. Reported metrics keep their gaps: there a missing day was not reported."""
    for sid, data in out.items():
        if series[sid].origin != "event" or len(data.starts) < 2:
            continue
        first, last = _aware(data.starts[0]), _aware(data.starts[-1])
        if grain == "day":
            begin = first.astimezone(tz).date()
            count = (last.astimezone(tz).date() - begin).days + 1
            stamps: list[Stamp] = [begin + timedelta(days=k) for k in range(count)]
            starts = [_utc(d, tz) for d in stamps]
        else:
            hours = int((last - first) / STEP["hour"]) + 1
            starts = [first + k * STEP["hour"] for k in range(hours)]
            stamps = [_local_hour(moment, tz) for moment in starts]
        if len(starts) == len(data.starts):
            continue
        if data.starts[0].tzinfo is None:  # SQLite hands back naive UTC: keep the stored kind
            starts = [moment.astimezone(UTC).replace(tzinfo=None) for moment in starts]
        seen = dict(zip(data.stamps, data.values, strict=True))
        data.stamps, data.starts = stamps, starts
        data.values = [seen.get(stamp, 0.0) for stamp in stamps]


def _drop_incomplete_days(out: dict[int, _SeriesData], series: dict[int, MetricSeries]) -> None:
    """Leave out the days a reported total is incomplete: one of its parts (a store, a product) missed a
    day it reports (`domain.metrics.missed_days`), or has not reported yet at the end of the data. The
    total of that day is then missing, not low: a door counter down for a day is not a 40 % fall in store
    visits. Only for reported metrics: a part of an event series with no point had no events, which is a
    true zero."""
    parts: dict[tuple[str, str], list[int]] = defaultdict(list)
    totals: dict[tuple[str, str], int] = {}
    for sid, row in series.items():
        if row.origin == "metric" and sid in out:
            if row.dims:
                parts[(row.metric, row.origin)].append(sid)
            else:
                totals[(row.metric, row.origin)] = sid
    for name, total_id in totals.items():
        total = out[total_id]
        if not parts.get(name) or not total.stamps:
            continue
        last = total.stamps[-1]
        gaps: set[date] = set()
        for sid in parts[name]:
            gaps |= missed_days(set(out[sid].stamps), last)
        if gaps:
            keep = [i for i, stamp in enumerate(total.stamps) if stamp not in gaps]
            total.stamps = [total.stamps[i] for i in keep]
            total.starts = [total.starts[i] for i in keep]
            total.values = [total.values[i] for i in keep]


def _span(data: _SeriesData, grain: str) -> int:
    return int((data.starts[-1] - data.starts[0]) / STEP[grain]) + 1


def _groups(
    session: Session,
    data: dict[int, _SeriesData],
    grain: str,
    since: Stamp | None,
    incremental: bool,
    tz: ZoneInfo,
) -> tuple[dict[Stamp | None, list[int]], set[int]]:
    """Series grouped by the first period each must evaluate (None: all), series with nothing new left
    out; and the series an incremental run reopens at an open level shift (`_open_shifts`)."""
    cursors = dict(
        session.execute(
            select(SignalCursor.series_id, SignalCursor.evaluated_through).where(
                SignalCursor.series_id.in_(list(data)), SignalCursor.grain == grain
            )
        ).all()
    )
    reopen = _open_shifts(session, grain, cursors, tz) if incremental else {}
    groups: dict[Stamp | None, list[int]] = defaultdict(list)
    reopened: set[int] = set()
    for sid, d in data.items():
        first: Stamp | None = since
        if incremental and sid in cursors:
            newer = [i for i, start in enumerate(d.starts) if start > cursors[sid]]
            if not newer:
                continue
            first = d.stamps[newer[0]]
            if sid in reopen and _as_datetime(reopen[sid]) < _as_datetime(first):
                first = reopen[sid]
                reopened.add(sid)
        groups[first].append(sid)
    return groups, reopened


def _open_shifts(
    session: Session, grain: str, cursors: dict[int, datetime], tz: ZoneInfo
) -> dict[int, Stamp]:
    """Per series, the local start of the earliest stored level shift that is open at the series' cursor
    or ended within `REOPEN_PERIODS` before it: the baseline still remembers the shifted level, so what
    follows may be the shift's return, which the engine tells apart only when it sees both."""
    gap = REOPEN_PERIODS * STEP[grain]
    rows = session.execute(
        select(Signal.series_id, Signal.start, Signal.end).where(
            Signal.series_id.in_(list(cursors)), Signal.grain == grain, Signal.kind == "level_shift"
        )
    )
    starts: dict[int, Stamp] = {}
    for sid, start, end in rows:
        if _aware(end) >= _aware(cursors[sid]) - gap:
            local = start.astimezone(tz)
            stamp: Stamp = local.date() if grain == "day" else local.replace(tzinfo=None)
            starts[sid] = min(starts.get(sid, stamp), stamp)
    return starts


def _aware(moment: datetime) -> datetime:
    """A stored time as UTC-aware (SQLite hands back naive UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _periods(d: _SeriesData, first: Stamp | None) -> int:
    if first is None:
        return len(d.stamps)
    return sum(1 for s in d.stamps if _as_datetime(s) >= _as_datetime(first))


def _as_datetime(stamp: Stamp) -> datetime:
    return stamp if isinstance(stamp, datetime) else datetime(stamp.year, stamp.month, stamp.day)


def _signal_values(change: Change, grain: str, tz: ZoneInfo) -> dict[str, Any]:
    start = change.start.date() if grain == "day" else change.start
    end = change.end.date() if grain == "day" else change.end
    return {
        "start": _utc(start, tz),
        "end": _utc(end, tz),
        "direction": change.direction.value,
        "kind": change.kind.value,
        "effect": float(change.effect),
        "effect_low": float(change.effect_ci[0]),
        "effect_high": float(change.effect_ci[1]),
        "baseline": float(change.baseline),
        "observed": float(change.observed),
        "p_value": float(change.p_value),
        "q_value": float(change.q_value),
    }


STATS = ("effect", "effect_low", "effect_high", "baseline", "observed", "p_value", "q_value")


def _upsert(
    session: Session,
    ws: int,
    sid: int,
    grain: str,
    values: dict[str, Any],
    holidays: list[str],
    evaluated_from: datetime | None,
    written: set[int],
) -> tuple[str, int]:
    """Store a change (module docstring): new, or the stored signal it overlaps updated. `evaluated_from`
    is the first period this run evaluated (None: all); `written` the signals this run already wrote."""
    gap = MERGE_GAP[values["kind"]] if grain == "day" else MERGE_GAP[values["kind"]] / 24
    row = session.scalar(
        select(Signal)
        .where(
            Signal.series_id == sid,
            Signal.grain == grain,
            Signal.kind == values["kind"],
            Signal.direction == values["direction"],
            Signal.start <= values["end"] + gap,
            Signal.end >= values["start"] - gap,
            Signal.id.not_in(written or {0}),  # two changes the engine told apart in one run stay two
        )
        .order_by(Signal.start)
        .limit(1)
    )
    if row is None:
        row = Signal(
            workspace_id=ws,
            series_id=sid,
            grain=grain,
            team="marketing",
            detected_at=utcnow(),
            explanation={"holidays": holidays},
            share_with=[],
            reasons=[],
            **values,
        )
        session.add(row)
        session.flush()
        return "new", row.id
    before = (row.start, row.end, *(getattr(row, k) for k in STATS))
    covered = evaluated_from is None or _aware(row.start) >= _aware(evaluated_from)
    if covered:  # this run saw the whole signal: its span is the change's
        row.start, row.end = values["start"], values["end"]
    else:
        row.start, row.end = min(row.start, values["start"]), max(row.end, values["end"])
    if values["p_value"] <= row.p_value:
        for key in STATS:
            setattr(row, key, values[key])
    after = (row.start, row.end, *(getattr(row, k) for k in STATS))
    return ("unchanged" if after == before else "updated"), row.id


def _store_grain(
    session: Session,
    ws: int,
    grain: str,
    found: dict[str, list[Change]],
    tz: ZoneInfo,
    run: GrainRun,
    evaluated_from: datetime | None,
) -> set[int]:
    touched: set[int] = set()
    for key, changes in found.items():
        sid = int(key)
        for change in changes:
            run.found += 1
            values = _signal_values(change, grain, tz)
            outcome, signal_id = _upsert(
                session, ws, sid, grain, values, list(change.holidays), evaluated_from, touched
            )
            touched.add(signal_id)
            run.new += outcome == "new"
            run.updated += outcome == "updated"
    return touched


def _move_cursors(
    session: Session, ws: int, grain: str, data: dict[int, _SeriesData], sids: list[int]
) -> None:
    now = utcnow()
    existing = {
        c.series_id: c
        for c in session.scalars(
            select(SignalCursor).where(SignalCursor.series_id.in_(sids), SignalCursor.grain == grain)
        )
    }
    for sid in sids:
        last = data[sid].starts[-1]
        cursor = existing.get(sid)
        if cursor is None:
            session.add(
                SignalCursor(workspace_id=ws, series_id=sid, grain=grain, evaluated_through=last, ran_at=now)
            )
        else:
            cursor.evaluated_through, cursor.ran_at = max(cursor.evaluated_through, last), now


def _remove_unfound(
    session: Session, grain: str, sids: list[int], since: datetime | None, keep: set[int]
) -> int:
    query = delete(Signal).where(
        Signal.series_id.in_(sids), Signal.grain == grain, Signal.id.not_in(keep or {0})
    )
    if since is not None:
        query = query.where(Signal.start >= since)
    return int(session.execute(query).rowcount or 0)  # type: ignore[attr-defined]


def _run_grain(
    store: Store, ws: int, grain: str, tz: ZoneInfo, since: date | None, incremental: bool
) -> GrainRun:
    run = GrainRun(grain)
    with store.read() as session:
        data = _load_grain(session, ws, grain, tz)
        first: Stamp | None = since if grain == "day" or since is None else _as_datetime(since)
        groups, reopened = _groups(session, data, grain, first, incremental, tz)
    results = []
    for group_since, sids in groups.items():
        series = {str(s): Series(data[s].stamps, data[s].values, key=data[s].info.key) for s in sids}
        results.append((group_since, sids, detect_many(series, grain=grain, since=group_since)))  # type: ignore[arg-type]
        run.series += len(sids)
        run.periods += sum(_periods(data[s], group_since) for s in sids)
    with store.transaction() as session:
        for group_since, sids, found in results:
            since_utc = _utc(group_since, tz) if group_since is not None else None
            touched = _store_grain(session, ws, grain, found, tz, run, since_utc)
            evaluated_again = sids if not incremental else [s for s in sids if s in reopened]
            if evaluated_again:
                run.removed += _remove_unfound(session, grain, evaluated_again, since_utc, touched)
            _move_cursors(session, ws, grain, data, sids)
    return run


def _explain_all(store: Store, ws: int, tz: ZoneInfo) -> tuple[int, int]:
    """Explain and route every stored signal of the workspace again; returns (signals, shared with PR)."""
    with store.read() as session:
        daily = _load_grain(session, ws, "day", tz, testable_only=False)
        ctx = ExplainContext(
            campaigns=campaign_facts(session, ws),
            events=pr_events(session, ws, tz),
            series={sid: d.info for sid, d in daily.items()},
            daily={sid: _by_day(d) for sid, d in daily.items()},
            rules=workspace_rules(session, ws),
        )
    shared = 0
    with store.transaction() as session:
        rows = list(session.scalars(select(Signal).where(Signal.workspace_id == ws)))
        for row in rows:
            ctx.signal_windows.setdefault(row.series_id, []).append(_local_span(row, tz))
        for row in rows:
            start, end = _local_span(row, tz)
            result = explain(
                ctx,
                series_id=row.series_id,
                start=start,
                end=end,
                direction=row.direction,
                holidays=list(row.explanation.get("holidays", [])),
            )
            row.explanation, row.share_with, row.reasons = result.data, result.share_with, result.reasons
            shared += "pr" in result.share_with
    return len(rows), shared


def _by_day(data: _SeriesData) -> dict[date, float]:
    return {
        s if not isinstance(s, datetime) else s.date(): v
        for s, v in zip(data.stamps, data.values, strict=True)
    }


def _local_span(row: Signal, tz: ZoneInfo) -> tuple[date, date]:
    return row.start.astimezone(tz).date(), row.end.astimezone(tz).date()


def detect_signals(
    store: Store,
    actor: Actor,
    *,
    since: date | None = None,
    history: bool = False,
    grains: tuple[str, ...] = ("day", "hour"),
) -> SignalRun:
    """Find, store and explain the workspace's signals (modes in the module docstring): incremental unless
    `since` or `history` is given."""
    require(actor, "signals.refresh")
    incremental = since is None and not history
    with store.read() as session:
        workspace = session.get(Workspace, actor.workspace_id)
        assert workspace is not None
        tz = ZoneInfo(workspace.timezone)
    mode = "incremental" if incremental else ("since" if since else "history")
    result = SignalRun(mode)
    for grain in grains:
        result.grains.append(_run_grain(store, actor.workspace_id, grain, tz, since, incremental))
    result.signals, result.shared_with_pr = _explain_all(store, actor.workspace_id, tz)
    return result
