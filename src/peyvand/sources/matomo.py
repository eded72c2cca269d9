"""Matomo CSV exports (the export icon under a report, or the API with `format=CSV`), one row per day.

Matomo writes its CSV as UTF-16 with a byte order mark; both raw API column names (`nb_visits`) and
translated ones ("Visits") are read. The `date` column is the day (`2026-03-01`; week and range labels
`2026-03-02,2026-03-08` count from their first day; `2026-03` a month). A `label` column (a report with
rows per referrer, page…) becomes the `label` dimension. Metrics: visits → `site_visits`, unique
visitors → `site_unique_visitors`, users → `site_users`, actions → `site_actions`, pageviews →
`page_views`, converted visits → `site_converted_visits`, conversions → `site_conversions`, revenue →
`revenue`, bounces → `site_bounces`, bounce rate → `site_bounce_rate` (percent), actions per visit,
total and average visit time (seconds). Other columns are ignored.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from peyvand.sources._metrics import Column, MetricTable, Plan, header_key, parse_table
from peyvand.sources.base import Record, SourceContext

DATES = frozenset({"date", "تاریخ"})
METRICS = {
    "nb_visits": "site_visits",
    "visits": "site_visits",
    "nb_uniq_visitors": "site_unique_visitors",
    "unique visitors": "site_unique_visitors",
    "nb_users": "site_users",
    "users": "site_users",
    "nb_actions": "site_actions",
    "actions": "site_actions",
    "nb_pageviews": "page_views",
    "pageviews": "page_views",
    "nb_visits_converted": "site_converted_visits",
    "visits converted": "site_converted_visits",
    "converted visits": "site_converted_visits",
    "nb_conversions": "site_conversions",
    "conversions": "site_conversions",
    "revenue": "revenue",
    "bounce_count": "site_bounces",
    "bounces": "site_bounces",
    "bounce_rate": "site_bounce_rate",
    "bounce rate": "site_bounce_rate",
    "nb_actions_per_visit": "site_actions_per_visit",
    "actions per visit": "site_actions_per_visit",
    "sum_visit_length": "site_visit_seconds",
    "total time spent by visitors": "site_visit_seconds",
    "avg_time_on_site": "site_avg_visit_seconds",
    "avg. time on website": "site_avg_visit_seconds",
}
RAW_NAMES = frozenset(k for k in METRICS if k.startswith(("nb_", "bounce_", "sum_", "avg_")))


def plan(header: list[str]) -> Plan | None:
    columns = []
    for index, cell in enumerate(header):
        name, _unit = header_key(cell)
        if name in DATES:
            columns.append(Column(index, cell, "date"))
        elif name == "label":
            columns.append(Column(index, cell, "dim", "label"))
        elif name in METRICS:
            columns.append(Column(index, cell, "metric", METRICS[name]))
        else:
            columns.append(Column(index, cell, "ignore"))
    if not any(c.role == "date" for c in columns) or not any(c.role == "metric" for c in columns):
        return None
    return Plan(tuple(columns))


TABLE = MetricTable("matomo", "Matomo (a date column and metrics such as nb_visits or Visits)", plan)


def parse(stream: IO[bytes], *, context: SourceContext, name: str = "matomo.csv") -> Iterator[Record]:
    return parse_table(stream, context=context, name=name, table=TABLE)
