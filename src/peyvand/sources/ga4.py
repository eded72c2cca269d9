"""Google Analytics 4 report exports (Reports → Share this report → Download file → CSV).

The file opens with a block of `#` comment lines (report name, account, property, date range), then one
or more tables, each after its own comment block. A table with a date column (`Date` as `20260301`,
`Date + hour (YYYYMMDDHH)`) becomes `metric` items: Sessions → `site_visits`, Active users → `site_users`,
New users → `site_new_users`, Views → `page_views`, Key events / Conversions → `site_conversions`,
Ecommerce purchases / Transactions → `orders`, Total / Purchase revenue → `revenue`, other numeric
columns under their own name (`average_engagement_time_per_session`); text columns (Country, Session
source / medium) become dimensions, and the property named in the header block becomes the `property`
dimension. The grand-total row is filtered. Tables without a date column are filtered with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

from peyvand.sources._match import normalise
from peyvand.sources._metrics import Column, MetricTable, Plan, header_key, parse_table, slug
from peyvand.sources.base import Record, SourceContext

DATES = frozenset(
    {
        "date",
        "date + hour",
        "date + hour (yyyymmddhh)",
        "date hour",
        "date hour and minute",
        "تاریخ",
        "تاریخ + ساعت",
    }
)
METRICS = {
    "sessions": "site_visits",
    "جلسه ها": "site_visits",
    "نشست ها": "site_visits",
    "active users": "site_users",
    "users": "site_users",
    "total users": "site_users",
    "کاربران فعال": "site_users",
    "کل کاربران": "site_users",
    "new users": "site_new_users",
    "کاربران جدید": "site_new_users",
    "views": "page_views",
    "screen page views": "page_views",
    "بازدیدها": "page_views",
    "engaged sessions": "site_engaged_sessions",
    "event count": "site_events",
    "key events": "site_conversions",
    "conversions": "site_conversions",
    "ecommerce purchases": "orders",
    "transactions": "orders",
    "purchases": "orders",
    "total revenue": "revenue",
    "purchase revenue": "revenue",
    "درآمد کل": "revenue",
    "engagement rate": "site_engagement_rate",
    "bounce rate": "site_bounce_rate",
}
NO_DATE = (
    "a GA4 table without a Date column: not a series (add the Date dimension to the report, "
    "or export it from Explore with Date as a row)"
)
_PROPERTY = re.compile(r"^#\s*(property|ویژگی)\s*:\s*(.+)$", re.I)


def plan(header: list[str]) -> Plan | None:
    if len(header) < 2:
        return None
    columns = []
    for index, cell in enumerate(header):
        name, _unit = header_key(cell)
        if name in DATES or normalise(cell) in DATES:
            columns.append(Column(index, cell, "date"))
        elif name in METRICS:
            columns.append(Column(index, cell, "metric", METRICS[name]))
        else:
            columns.append(Column(index, cell, "auto", slug(name)))
    if not any(c.role == "metric" for c in columns) and not any(c.role == "date" for c in columns):
        return None
    skip = None if any(c.role == "date" for c in columns) else NO_DATE
    return Plan(tuple(columns), skip_reason=skip)


def comment_dims(line: str) -> dict[str, Any]:
    found = _PROPERTY.match(line.strip())
    return {"property": found.group(2).strip()[:200]} if found else {}


TABLE = MetricTable(
    "ga4",
    "GA4 (a Date column and metrics such as Sessions)",
    plan,
    reset_on_comment=True,
    comment_dims=comment_dims,
)


def parse(stream: IO[bytes], *, context: SourceContext, name: str = "ga4.csv") -> Iterator[Record]:
    return parse_table(stream, context=context, name=name, table=TABLE)
