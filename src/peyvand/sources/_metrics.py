"""The shared reader for metric tables (GA4, Matomo, store counters, ad platforms): rows to `metric` items.

A format describes its columns with a `plan` (which column is the date, the hour, a dimension, a
metric); the reader finds the header row, then turns every cell of a metric column into one record: a
`metric` item `{id, source, kind: "metric", metric, at, value, dims, period}`, `filtered` for an empty
cell or a totals row, or a reject for a date or number it cannot read. The id is built from the metric,
the local date (and hour) and the dimensions, so re-importing the same report never duplicates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import IO, Any

from peyvand.sources._common import local_to_utc, source_of, stable_id, timezone_name
from peyvand.sources._match import normalise
from peyvand.sources._table import Row, iter_rows
from peyvand.sources._values import ascii_digits, parse_datetime, parse_hour, parse_number
from peyvand.sources.base import Record, SourceContext, UnreadableInput

TOTALS = frozenset({"total", "totals", "grand total", "sum", "جمع", "جمع کل", "مجموع", "کل"})
_UNIT = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    role: str  # date | start | end | hour | dim | metric | currency | auto | ignore
    name: str = ""


@dataclass(frozen=True)
class Plan:
    columns: tuple[Column, ...]
    dims: dict[str, Any] = field(default_factory=dict)
    skip_reason: str | None = None  # a recognised table that is not a series: its rows are filtered

    def of(self, *roles: str) -> list[Column]:
        return [c for c in self.columns if c.role in roles]


@dataclass(frozen=True)
class MetricTable:
    source: str
    describe: str  # what the header must hold, for the error when none is found
    plan: Callable[[list[str]], Plan | None]
    reset_on_comment: bool = False
    comment_dims: Callable[[str], dict[str, Any]] | None = None


def header_key(header: str) -> tuple[str, str | None]:
    """A header cell as (normalised name, unit in trailing parentheses or None)."""
    text = normalise(header.lstrip("\ufeff"))
    found = _UNIT.match(text)
    return (found.group(1).strip(), found.group(2).strip()) if found else (text, None)


def slug(text: str) -> str:
    out = re.sub(r"[^\w]+", "_", normalise(text)).strip("_")
    return out[:60] or "column"


@dataclass
class _State:
    table: MetricTable
    context: SourceContext
    plan: Plan | None = None
    found: bool = False
    comment_dims: dict[str, Any] = field(default_factory=dict)
    early: list[Record] = field(default_factory=list)


def parse_table(
    stream: IO[bytes], *, context: SourceContext, name: str, table: MetricTable
) -> Iterator[Record]:
    state = _State(table, context)
    for row in iter_rows(stream):
        if row.kind == "comment":
            _comment(row, state)
        elif row.kind == "bad":
            record = Record(
                f"line {row.line}", row.line, reject=row.problem or "unreadable row", raw=row.text
            )
            if state.found:
                yield record
            elif len(state.early) < 100:
                state.early.append(record)
        elif row.kind == "row":
            if state.plan is None:
                _header(row, state)
                if state.found:
                    yield from state.early
                    state.early.clear()
                continue
            yield from _row(row, state)
    if not state.found:
        raise UnreadableInput(f"{name}: no {table.describe} header row found")


def _comment(row: Row, state: _State) -> None:
    if state.table.comment_dims is not None:
        state.comment_dims.update(state.table.comment_dims(row.text))
    if state.table.reset_on_comment:
        state.plan = None


def _header(row: Row, state: _State) -> None:
    plan = state.table.plan(row.cells)
    if plan is not None:
        state.plan = replace(plan, dims={**plan.dims, **state.comment_dims})
        state.found = True


def _row(row: Row, state: _State) -> Iterator[Record]:
    plan = state.plan
    assert plan is not None
    where = f"line {row.line}"
    cells = row.cells + [""] * (len(plan.columns) - len(row.cells))
    if len(cells) > len(plan.columns) and any(c.strip() for c in cells[len(plan.columns) :]):
        yield Record(
            where,
            row.line,
            reject=f"{len(row.cells)} cells, the header has {len(plan.columns)}",
            raw=row.text,
        )
        return
    if plan.skip_reason:
        yield Record(where, row.line, filtered=plan.skip_reason)
        return
    if _is_totals(cells, plan):
        yield Record(where, row.line, filtered="a totals row (the sum of the other rows)")
        return
    if any(c.role == "auto" for c in plan.columns):
        plan = state.plan = _resolve(plan, cells)
    try:
        moment, period, extra = _when(cells, plan)
        at = local_to_utc(moment, timezone_name(state.context))
    except ValueError as exc:
        yield Record(where, row.line, reject=str(exc), raw=row.text)
        return
    dims = _dims(cells, plan)
    for column in plan.of("metric"):
        yield _cell(row, column, cells[column.index], moment, period, at, dims, extra, state)


def _is_totals(cells: list[str], plan: Plan) -> bool:
    if any(len(c) < 60 and normalise(c).startswith("total:") for c in cells):
        return True
    first = normalise(cells[0][:60]) if cells else ""
    if first in TOTALS:
        return True
    dates = plan.of("date", "start")
    return (
        bool(dates)
        and not cells[dates[0].index].strip()
        and any(cells[c.index].strip() for c in plan.of("metric"))
    )


def _resolve(plan: Plan, cells: list[str]) -> Plan:
    """Columns of unknown meaning become metrics when the first data row holds a number there."""
    columns = []
    for column in plan.columns:
        if column.role == "auto":
            try:
                numeric = parse_number(cells[column.index]) is not None
            except ValueError:
                numeric = False
            column = replace(column, role="metric" if numeric else "dim")
        columns.append(column)
    return replace(plan, columns=tuple(columns))


def _when(cells: list[str], plan: Plan) -> tuple[datetime, str, dict[str, Any]]:
    dates = plan.of("date") or plan.of("start")
    if not dates:
        raise ValueError("no date column")
    moment, period = parse_datetime(cells[dates[0].index])
    hours = plan.of("hour")
    if hours and cells[hours[0].index].strip():
        moment, period = moment.replace(hour=parse_hour(cells[hours[0].index])), "hour"
    extra: dict[str, Any] = {}
    ends = plan.of("end")
    if ends and cells[ends[0].index].strip() and not plan.of("date"):
        end, _ = parse_datetime(cells[ends[0].index])
        if end.date() != moment.date():
            period, extra["period_end"] = "range", end.date().isoformat()
    return moment, period, extra


def _dims(cells: list[str], plan: Plan) -> dict[str, Any]:
    dims = dict(plan.dims)
    for column in plan.of("dim", "currency"):
        value = cells[column.index].strip()
        if value and value not in {"--", "(not set)"}:
            dims["currency" if column.role == "currency" else column.name] = ascii_digits(value)[:200]
    return dims


def _stamp(moment: datetime, period: str) -> str:
    if period in {"day", "range"}:
        return moment.date().isoformat()
    if period == "month":
        return moment.strftime("%Y-%m")
    return moment.isoformat(timespec="minutes" if period == "minute" else "hours")


def _cell(
    row: Row,
    column: Column,
    cell: str,
    moment: datetime,
    period: str,
    at: str,
    dims: dict[str, Any],
    extra: dict[str, Any],
    state: _State,
) -> Record:
    where = f"line {row.line}, {column.header.strip()[:60]}"
    try:
        value = parse_number(cell)
    except ValueError as exc:
        return Record(where, row.line, reject=str(exc), raw=row.text)
    if value is None:
        return Record(where, row.line, filtered="no value in this cell")
    metric_dims = {**dims, "currency": column.name.split("@", 1)[1]} if "@" in column.name else dims
    metric = column.name.split("@", 1)[0]
    ident = f"{metric}:{_stamp(moment, period)}"
    if metric_dims:
        ident += ":" + stable_id(metric_dims)[:12]
    item = {
        "id": ident,
        "source": source_of(state.context, state.table.source),
        "kind": "metric",
        "metric": metric,
        "at": at,
        "value": value,
        "dims": metric_dims,
        "period": period,
        **extra,
    }
    return Record(where, row.line, item=item)
