"""`peyvand detect SERIES.csv`: read a date/time column and a value column, return the changes (DESIGN §4).

The columns are found when that is unambiguous: the one column whose values all read as dates or times,
and the one other column whose values all read as numbers. Lines starting with `#` (GA4 exports) and
blank lines are skipped. Dates may be ISO (`2026-03-01`, `2026-03-01T10:00`), compact (`20260301`,
GA4's `2026030110` for date and hour), or Solar Hijri (`1405/01/01`); Persian and Arabic digits are read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import jdatetime

from peyvand.analysis.calendar import HolidayCalendar
from peyvand.analysis.signals.engine import DEFAULT_CALENDAR, detect
from peyvand.analysis.signals.model import Grain, Series

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٬٫", "01234567890123456789,.")
_FORMATS = ("%Y/%m/%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")
_COMPACT = {8: "%Y%m%d", 10: "%Y%m%d%H"}  # GA4 `date` and `dateHour`


def parse_time(text: str) -> datetime | None:
    """A date or time from one CSV cell, or None when it is not one."""
    text = text.strip().translate(_DIGITS)
    if len(text) < 8:
        return None
    if text.isdigit():
        return _checked(text, _COMPACT.get(len(text)))
    head = text[:4]
    if head.isdigit() and 1200 <= int(head) < 1600:
        return _jalali(text)
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
        return value if 1900 <= value.year <= 2200 else None
    except ValueError:
        pass
    for fmt in _FORMATS:
        found = _checked(text, fmt)
        if found is not None:
            return found
    return None


def _checked(text: str, fmt: str | None) -> datetime | None:
    if fmt is None:
        return None
    try:
        value = datetime.strptime(text, fmt)
    except ValueError:
        return None
    return value if 1900 <= value.year <= 2200 else None


def _jalali(text: str) -> datetime | None:
    parts = text.replace("-", "/").split(" ")[0].split("/")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return None
    try:
        day = jdatetime.date(int(parts[0]), int(parts[1]), int(parts[2])).togregorian()
    except ValueError:
        return None
    return datetime(day.year, day.month, day.day)


def parse_number(text: str) -> float | None:
    text = text.strip().translate(_DIGITS).replace(",", "").replace("%", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _rows(lines: Iterable[str]) -> tuple[list[str], list[list[str]]]:
    kept = (line for line in lines if line.strip() and not line.lstrip().startswith("#"))
    reader = csv.reader(kept)
    header = next(reader, None)
    if header is None:
        raise ValueError("the CSV file is empty (no header row)")
    header = [h.strip().lstrip("\ufeff") for h in header]
    rows = [r for r in reader if any(cell.strip() for cell in r)]
    if not rows:
        raise ValueError("the CSV file has a header but no data rows")
    return header, rows


def _column(header: list[str], name: str, role: str) -> int:
    if name not in header:
        raise ValueError(f"{role} column {name!r} not found; the columns are: {', '.join(header)}")
    return header.index(name)


def _cells(rows: list[list[str]], i: int) -> list[str]:
    return [r[i] if i < len(r) else "" for r in rows]


def _all(cells: list[str], parse: Any) -> bool:
    filled = [c for c in cells if c.strip()]
    return bool(filled) and all(parse(c) is not None for c in filled)


def find_columns(header: list[str], rows: list[list[str]], time_col: str | None, value_col: str | None):
    """Indices of the time and value columns, named or found; ValueError says what to name."""
    if time_col is not None:
        t = _column(header, time_col, "time")
    else:
        found = [i for i in range(len(header)) if _all(_cells(rows, i), parse_time)]
        if len(found) != 1:
            raise ValueError(_ambiguous("dates or times", [header[i] for i in found], "--time-col"))
        t = found[0]
    if value_col is not None:
        return t, _column(header, value_col, "value")
    numeric = [i for i in range(len(header)) if i != t and _all(_cells(rows, i), parse_number)]
    if len(numeric) != 1:
        raise ValueError(_ambiguous("numbers", [header[i] for i in numeric], "--value-col"))
    return t, numeric[0]


def _ambiguous(what: str, names: list[str], option: str) -> str:
    if not names:
        return f"no column holds only {what}; name the column with {option}"
    return f"several columns hold {what} ({', '.join(names)}); choose one with {option}"


def read_series(source: str | Path | IO[str], *, time_col: str | None = None, value_col: str | None = None):
    """The `Series` in a CSV file or stream, and the names of the columns used."""
    if isinstance(source, str | Path):
        with open(source, encoding="utf-8-sig", newline="") as fh:
            header, rows = _rows(fh)
    else:
        header, rows = _rows(io.StringIO(source.read()))
    t, v = find_columns(header, rows, time_col, value_col)
    stamps: list[datetime | date] = []
    values: list[float] = []
    for line, row in enumerate(rows, start=2):
        cells = (row[t] if t < len(row) else "", row[v] if v < len(row) else "")
        stamp, value = parse_time(cells[0]), parse_number(cells[1])
        if stamp is None:
            raise ValueError(f"data row {line}: {cells[0]!r} in column {header[t]!r} is not a date or time")
        if value is None and cells[1].strip():
            raise ValueError(f"data row {line}: {cells[1]!r} in column {header[v]!r} is not a number")
        if value is not None:
            stamps.append(stamp)
            values.append(value)
    return Series(stamps, values, key=header[v]), header[t], header[v]


def infer_grain(series: Series) -> Grain:
    """`day` when every timestamp is a midnight, else `hour`."""
    midnight = all(
        not isinstance(s, datetime) or (s.hour, s.minute, s.second) == (0, 0, 0) for s in series.timestamps
    )
    return "day" if midnight else "hour"


def detect_csv(
    stream_or_path: str | Path | IO[str],
    *,
    time_col: str | None = None,
    value_col: str | None = None,
    grain: Grain | None = None,
    holidays: HolidayCalendar | None = DEFAULT_CALENDAR,
    alpha: float = 0.05,
) -> dict[str, Any]:
    """The `peyvand detect` contract: `{"changes": [{"start", "end", "direction", "kind", "effect",
    "p_value", ...}]}`, plus the columns and grain used."""
    series, time_name, value_name = read_series(stream_or_path, time_col=time_col, value_col=value_col)
    chosen = grain or infer_grain(series)
    changes = detect(series, grain=chosen, holidays=holidays, alpha=alpha)
    return {
        "changes": [c.to_dict() for c in changes],
        "time_col": time_name,
        "value_col": value_name,
        "grain": chosen,
    }
