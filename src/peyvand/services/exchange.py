"""The exchange: each team's headline numbers side by side, for the same period, with what each one is
based on (sample size, the period compared against)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from peyvand.services.access import Actor, require
from peyvand.services.crises import CrisisState, crisis_state
from peyvand.services.series import latest_day, window_sum
from peyvand.storage.db import Store
from peyvand.storage.dialect import json_array_contains
from peyvand.storage.tables import Conversation, Item, Workspace

MARKETING_METRICS = ("site_visits", "store_visits", "orders", "revenue", "ad_spend", "ad_clicks")


@dataclass(frozen=True)
class Headline:
    key: str
    value: float
    previous: float | None = None
    n: int | None = None
    unit: str = "count"

    @property
    def change(self) -> float | None:
        if self.previous in (None, 0):
            return None
        assert self.previous is not None
        return (self.value - self.previous) / self.previous


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
                    "n": h.n,
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


def _count_items(store: Store, ws: int, feedback: str, start: datetime, end: datetime) -> int:
    with store.read() as session:
        return (
            session.scalar(
                select(func.count()).where(
                    Item.workspace_id == ws,
                    Item.feedback == feedback,
                    Item.direction == "inbound",
                    Item.occurred_at >= start,
                    Item.occurred_at < end,
                )
            )
            or 0
        )


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


def _pr_headlines(store: Store, ws: int, now: tuple[datetime, datetime, datetime]) -> list[Headline]:
    prev_start, start, end = now
    heads = [
        Headline(k, _count_items(store, ws, k, start, end), _count_items(store, ws, k, prev_start, start))
        for k in ("interaction", "mention")
    ]
    value, n = net_sentiment(_sentiment_counts(store, ws, start, end))
    previous, _ = net_sentiment(_sentiment_counts(store, ws, prev_start, start))
    if value is not None:
        heads.append(Headline("net_sentiment", value, previous, n, unit="index"))
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
    end_day = (today or latest_day(store, ws) or datetime.now(tz).date()) + timedelta(days=1)
    start_day, prev_day = end_day - timedelta(days=days), end_day - timedelta(days=2 * days)
    view = ExchangeView(start_day, end_day - timedelta(days=1), days)
    view.pr = _pr_headlines(store, ws, (_bounds(prev_day, tz), _bounds(start_day, tz), _bounds(end_day, tz)))
    for metric in MARKETING_METRICS:
        value, n = window_sum(store, ws, metric, start_day, end_day)
        previous, n_prev = window_sum(store, ws, metric, prev_day, start_day)
        if n or n_prev:
            view.marketing.append(Headline(metric, value, previous if n_prev else None, n, unit="sum"))
    view.crisis = crisis_state(store, actor)
    return view
