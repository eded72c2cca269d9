"""The exchange: each team's headline numbers side by side, for the same period, with what each one is
based on (sample size, the period compared against) and how sure its change is (an interval and a
p-value: `analysis.periods` for counts and sums, `analysis.reputation_compare` for net sentiment).

The period ends on the last complete day with data: today is never in it (its data are still coming in),
so the last 7 days are compared with the 7 before on whole days."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from peyvand.analysis.periods import compare_daily
from peyvand.analysis.reputation_compare import net_sentiment_change
from peyvand.services.access import Actor, require
from peyvand.services.crises import CrisisState, crisis_state
from peyvand.services.series import latest_day, window_days
from peyvand.storage.db import Store
from peyvand.storage.dialect import json_array_contains
from peyvand.storage.tables import Conversation, Item, Workspace

MARKETING_METRICS = ("site_visits", "store_visits", "orders", "revenue", "ad_spend", "ad_clicks")
SENTIMENTS = ("positive", "negative", "neutral")
# Series where a day without a row means nothing happened (no ad ran), not that the day went unreported.
ZERO_WHEN_ABSENT = frozenset({"ad_spend", "ad_clicks"})


def _every_day(values: dict[date, float], start: date, end: date) -> dict[date, float]:
    return {
        start + timedelta(days=i): values.get(start + timedelta(days=i), 0.0)
        for i in range((end - start).days)
    }


@dataclass(frozen=True)
class Headline:
    """`change`: for counts and sums the relative change of the mean per day (days with data: `n`,
    `n_previous`), for net sentiment (`unit` "index", on [−1, 1]) the difference; `low`, `high` its 95%
    interval and `p_value` its test, where there is one."""

    key: str
    value: float
    previous: float | None = None
    n: int | None = None
    unit: str = "count"
    n_previous: int | None = None
    change: float | None = None
    low: float | None = None
    high: float | None = None
    p_value: float | None = None


@dataclass
class ExchangeView:
    start: date
    end: date
    days: int
    pr: list[Headline] = field(default_factory=list)
    marketing: list[Headline] = field(default_factory=list)
    crisis: CrisisState | None = None  # PR → marketing: is there a crisis (suggested, confirmed) or calm

    def to_json(self) -> dict[str, object]:
        def rows(hs: list[Headline]) -> list[dict[str, object]]:
            return [
                {
                    "key": h.key,
                    "value": h.value,
                    "previous": h.previous,
                    "change": h.change,
                    "change_kind": "difference" if h.unit == "index" else "relative, per day",
                    "low": h.low,
                    "high": h.high,
                    "p_value": h.p_value,
                    "n": h.n,
                    "n_previous": h.n_previous,
                    "unit": h.unit,
                }
                for h in hs
            ]

        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": self.days,
            "pr": rows(self.pr),
            "marketing": rows(self.marketing),
        }


def _bounds(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def _sentiment_counts(store: Store, ws: int, start: datetime, end: datetime) -> dict[str, int]:
    with store.read() as session:
        rows = session.execute(
            select(Item.sentiment, func.count())
            .where(
                Item.workspace_id == ws,
                Item.feedback.in_(("interaction", "mention")),
                Item.direction == "inbound",
                Item.occurred_at >= start,
                Item.occurred_at < end,
            )
            .group_by(Item.sentiment)
        )
        return {str(k): v for k, v in rows}


def net_sentiment(counts: dict[str, int]) -> tuple[float | None, int]:
    """(positive − negative) / all classified items, on [−1, 1] (docs/formulas.md, net sentiment)."""
    n = sum(counts.get(k, 0) for k in ("positive", "negative", "neutral"))
    if n == 0:
        return None, 0
    return (counts.get("positive", 0) - counts.get("negative", 0)) / n, n


def _daily_counts(
    store: Store, ws: int, feedback: str, days: tuple[date, date, date], tz: ZoneInfo
) -> tuple[list[float], list[float]]:
    """Inbound items of one kind per local day, zeros included: (the days before, the days of the period)."""
    prev_day, start_day, end_day = days
    with store.read() as session:
        moments = session.scalars(
            select(Item.occurred_at).where(
                Item.workspace_id == ws,
                Item.feedback == feedback,
                Item.direction == "inbound",
                Item.occurred_at >= _bounds(prev_day, tz),
                Item.occurred_at < _bounds(end_day, tz),
            )
        )
        per_day = Counter(m.astimezone(tz).date() for m in moments)  # the column gives UTC times
    span = (end_day - prev_day).days
    counts = [float(per_day.get(prev_day + timedelta(days=i), 0)) for i in range(span)]
    split = (start_day - prev_day).days
    return counts[:split], counts[split:]


def _headline(key: str, before: list[float], after: list[float], unit: str) -> Headline:
    compared = compare_daily(before, after)
    return Headline(
        key,
        sum(after),
        sum(before) if before else None,
        len(after),
        unit,
        n_previous=len(before),
        change=compared.relative,
        low=compared.low,
        high=compared.high,
        p_value=compared.p_value,
    )


def _net_sentiment_headline(
    store: Store, ws: int, bounds: tuple[datetime, datetime, datetime]
) -> Headline | None:
    prev_start, start, end = bounds
    after, before = _sentiment_counts(store, ws, start, end), _sentiment_counts(store, ws, prev_start, start)
    value, n = net_sentiment(after)
    if value is None:
        return None
    previous, n_previous = net_sentiment(before)
    compared = net_sentiment_change(
        [before.get(k, 0) for k in SENTIMENTS], [after.get(k, 0) for k in SENTIMENTS]
    )
    return Headline(
        "net_sentiment",
        value,
        previous,
        n,
        "index",
        n_previous=n_previous,
        change=None if compared.difference is None else compared.difference / 100,
        low=None if compared.low is None else compared.low / 100,
        high=None if compared.high is None else compared.high / 100,
        p_value=compared.p_value,
    )


def _pr_headlines(store: Store, ws: int, days: tuple[date, date, date], tz: ZoneInfo) -> list[Headline]:
    prev_start, start, end = (_bounds(d, tz) for d in days)
    heads = [
        _headline(k, *_daily_counts(store, ws, k, days, tz), unit="count") for k in ("interaction", "mention")
    ]
    sentiment = _net_sentiment_headline(store, ws, (prev_start, start, end))
    if sentiment is not None:
        heads.append(sentiment)
    with store.read() as session:
        open_conv = (
            session.scalar(
                select(func.count()).where(Conversation.workspace_id == ws, Conversation.status != "resolved")
            )
            or 0
        )
        waiting = (
            session.scalar(
                select(func.count()).where(
                    Conversation.workspace_id == ws,
                    Conversation.status != "resolved",
                    Conversation.waiting_since.is_not(None),
                )
            )
            or 0
        )
        shared = (
            session.scalar(
                select(func.count()).where(
                    Item.workspace_id == ws,
                    Item.occurred_at >= start,
                    Item.occurred_at < end,
                    json_array_contains(Item.share_with, "marketing", store.dialect),
                )
            )
            or 0
        )
    heads += [
        Headline("open_conversations", open_conv),
        Headline("waiting_conversations", waiting),
        Headline("shared_with_marketing", shared),
    ]
    return heads


def exchange(store: Store, actor: Actor, *, days: int = 30, today: date | None = None) -> ExchangeView:
    """Both teams' headline numbers for the last `days` days against the `days` before."""
    require(actor, "exchange.read")
    ws = actor.workspace_id
    with store.read() as session:
        workspace = session.get(Workspace, ws)
        assert workspace is not None
        tz = ZoneInfo(workspace.timezone)
    yesterday = (today or datetime.now(tz).date()) - timedelta(days=1)
    last = min(latest_day(store, ws) or yesterday, yesterday)  # today's data are still coming in
    end_day = last + timedelta(days=1)
    start_day, prev_day = end_day - timedelta(days=days), end_day - timedelta(days=2 * days)
    view = ExchangeView(start_day, last, days)
    view.pr = _pr_headlines(store, ws, (prev_day, start_day, end_day), tz)
    for metric in MARKETING_METRICS:
        after_days = window_days(store, ws, metric, start_day, end_day)
        before_days = window_days(store, ws, metric, prev_day, start_day)
        if not after_days and not before_days:
            continue
        if metric in ZERO_WHEN_ABSENT:  # ad platforms list only the days a campaign ran: the rest spent 0
            after_days = _every_day(after_days, start_day, end_day)
            before_days = _every_day(before_days, prev_day, start_day)
        view.marketing.append(_headline(metric, list(before_days.values()), list(after_days.values()), "sum"))
    view.crisis = crisis_state(store, actor)
    return view
