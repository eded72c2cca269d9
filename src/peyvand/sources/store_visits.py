"""Store visitor-counter CSVs (door counters at the brand's shops), one row per store and hour or day.

There is no one standard; the usual columns are read in English and Persian: the store (`store_id`,
`store`, `branch`, `شعبه`, `فروشگاه`) becomes the `store` dimension; the date (`date`, `تاریخ`; ISO,
`20260301` or Jalali `1404/12/10`) and optional hour (`hour`, `10`, `10:00`, `10:00-11:00`, `ساعت`) give
the time, in the workspace's time zone; people in (`visitors_in`, `in`, `entries`, `ورود`, or a single
`visitors` count) → `store_visits`; people out (`visitors_out`, `out`, `exits`, `خروج`) → `store_exits`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from peyvand.sources._metrics import Column, MetricTable, Plan, header_key, parse_table
from peyvand.sources.base import Record, SourceContext

ROLES = {
    **dict.fromkeys(
        [
            "store_id",
            "store",
            "store id",
            "store name",
            "branch",
            "shop",
            "location",
            "site",
            "شعبه",
            "فروشگاه",
            "کد فروشگاه",
        ],
        ("dim", "store"),
    ),
    **dict.fromkeys(["date", "day", "datetime", "timestamp", "date time", "تاریخ"], ("date", "")),
    **dict.fromkeys(["hour", "time", "ساعت"], ("hour", "")),
    **dict.fromkeys(
        [
            "visitors_in",
            "in",
            "entries",
            "enter",
            "entrances",
            "visitors in",
            "people in",
            "visitors",
            "count",
            "footfall",
            "ورود",
            "ورودی",
            "بازدیدکننده",
        ],
        ("metric", "store_visits"),
    ),
    **dict.fromkeys(
        ["visitors_out", "out", "exits", "exit", "visitors out", "people out", "خروج", "خروجی"],
        ("metric", "store_exits"),
    ),
}


def plan(header: list[str]) -> Plan | None:
    columns = []
    for index, cell in enumerate(header):
        role, name = ROLES.get(header_key(cell)[0], ("ignore", ""))
        columns.append(Column(index, cell, role, name))
    roles = {c.role for c in columns}
    if not {"date", "metric"} <= roles or not any(c.name == "store" for c in columns):
        return None
    return Plan(tuple(columns))


TABLE = MetricTable("store-visits", "store counter (store, date and visitors in/out columns)", plan)


def parse(stream: IO[bytes], *, context: SourceContext, name: str = "store-visits.csv") -> Iterator[Record]:
    return parse_table(stream, context=context, name=name, table=TABLE)
