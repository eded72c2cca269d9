"""Synthetic data for the marketing desk's tests: daily metric series with a known change, mention
bursts, campaigns with ad metrics, and loop events, stored through the product's own ingest."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np

from peyvand.services.access import Actor
from peyvand.services.campaigns import save_campaign
from peyvand.services.ingest import ingest_records
from peyvand.sources.base import Record
from peyvand.storage.db import Store

FIRST = date(2025, 9, 6)  # a Saturday, clear of Nowruz and Yalda for 200 days
WEEKLY = np.array([1.0, 1.0, 1.05, 1.15, 0.8, 1.0, 1.0])  # Mon..Sun; Thursday high, Friday low


def days(n: int, first: date = FIRST) -> list[date]:
    return [first + timedelta(days=i) for i in range(n)]


def visits(
    seed: int, n: int = 200, *, change_at: int | None = 150, length: int = 21, factor: float = 1.6
) -> list[int]:
    """Daily visits around 800 with a weekly rhythm and Poisson noise; × `factor` for `length` days
    from day `change_at`."""
    rng = np.random.default_rng(seed)
    mean = 800 * WEEKLY[[d.weekday() for d in days(n)]]
    if change_at is not None:
        mean[change_at : change_at + length] *= factor
    return [int(v) for v in rng.poisson(mean)]


def metric_items(
    metric: str,
    values: Sequence[float],
    *,
    first: date = FIRST,
    dims: dict[str, str] | None = None,
    source: str = "ga4",
) -> list[dict[str, Any]]:
    suffix = "-".join((dims or {}).values())
    return [
        {
            "id": f"{metric}-{suffix}-{day.isoformat()}",
            "source": source,
            "kind": "metric",
            "metric": metric,
            "at": day.isoformat(),
            "value": value,
            "dims": dict(dims or {}),
        }
        for day, value in zip(days(len(values), first), values, strict=True)
    ]


def mention_items(counts: dict[date, int], *, source: str = "blog") -> list[dict[str, Any]]:
    """Public mentions of the brand (feedback `mention`), `counts[day]` of them at noon on each day."""
    return [
        {
            "id": f"m-{day.isoformat()}-{k}",
            "source": source,
            "kind": "mention",
            "created_at": f"{day.isoformat()}T12:{k % 60:02d}:00+03:30",
            "text": f"A post about Niloofar Tea, number {k}",
            "author": {"handle": f"writer{k % 7}"},
        }
        for day, n in counts.items()
        for k in range(n)
    ]


def ingest(store: Store, actor: Actor, items: Iterable[dict[str, Any]]) -> int:
    records = (Record(f"item {i}", item=item) for i, item in enumerate(items, start=1))
    summary = ingest_records(store, actor, records, label="test", format="test", via="test", batch_size=500)
    assert summary.rejected == 0, summary.rejects[:3]
    return summary.accepted


def loop_csv(rows: Iterable[Sequence[Any]]) -> str:
    lines = ["loop,contact,step,event,at,value"]
    lines += [",".join("" if v is None else str(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


N, START, LENGTH = 190, 150, 28  # the window ends before Nowruz


def campaign_revenue(seed: int, lift: float) -> tuple[list[float], list[float]]:
    """Daily revenue of the campaign's product and of another product sharing its weekly rhythm and a
    common daily demand factor; the campaign's product × (1 + lift) in the window."""
    rng = np.random.default_rng(seed)
    shared = rng.lognormal(0, 0.03, N)
    weekly = WEEKLY[[d.weekday() for d in days(N)]]
    mine = 2_000_000 * weekly * shared * rng.lognormal(0, 0.04, N)
    other = 3_000_000 * weekly * shared * rng.lognormal(0, 0.04, N)
    mine[START : START + LENGTH] *= 1 + lift
    return [round(v) for v in mine], [round(v) for v in other]


def store_campaign(store: Store, actor: Actor, *, lift: float, seed: int) -> None:
    mine, other = campaign_revenue(seed, lift)
    items = metric_items("revenue", mine, dims={"product": "green-tea"}, source="shop")
    items += metric_items("revenue", other, dims={"product": "black-tea"}, source="shop")
    window = FIRST + timedelta(days=START)
    for channel, spend, clicks, conversions in (
        ("instagram_ads", 200_000, 900, 45),
        ("google_ads", 100_000, 400, 30),
    ):
        dims = {"campaign": "spring", "channel": channel, "channel_type": "paid"}
        for metric, value in (("ad_spend", spend), ("ad_clicks", clicks), ("ad_conversions", conversions)):
            items += metric_items(metric, [value] * LENGTH, first=window, dims=dims, source=channel)
    ingest(store, actor, items)
    save_campaign(
        store,
        actor,
        {
            "key": "spring",
            "kind": "marketing",
            "name": "Spring",
            "products": ["green-tea"],
            "starts_on": window.isoformat(),
            "ends_on": (window + timedelta(days=LENGTH - 1)).isoformat(),
            "budget": 9_000_000,
            "expected_return": 12_000_000,
            "channels": [
                {"name": "instagram_ads", "type": "paid"},
                {"name": "google_ads", "type": "paid"},
                {"name": "newsletter", "type": "owned"},
            ],
        },
    )
