"""Numbers and dates as exports write them: thousands separators, Persian digits, percents, Jalali dates."""

from __future__ import annotations

import re
from datetime import date, datetime

import jdatetime

_DIGITS = str.maketrans(
    {
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        **{chr(0x0660 + i): str(i) for i in range(10)},
        "\u066c": ",",
        "\u066b": ".",
        "\u2212": "-",
    }
)
_EMPTY = frozenset({"", "-", "--", "—", "n/a", "na", "null", "none", "(not set)"})
_EDGES = re.compile(r"^[^\d\-+.]{1,6}|[^\d%.]{1,6}$")  # currency signs and codes: "$", "IRR", "ریال"
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")
_DURATION = re.compile(r"^(\d+):([0-5]\d):([0-5]\d)$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?$")
_YMD = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2})(?::(\d{2}))?(?::(\d{2})(?:\.\d+)?)?)?$"
)
_YM = re.compile(r"^(\d{4})-(\d{2})$")
_HOUR = re.compile(r"^(\d{1,2})(?::\d{2})?(?::\d{2})?(?:\s*(?:-|–|to)\s*\d{1,2}(?::\d{2})?)?$")
_TEXT_DATES = ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y")


def ascii_digits(text: str) -> str:
    return text.translate(_DIGITS)


def parse_number(text: str) -> float | None:
    """A cell as a number; None when the cell is empty or a placeholder ("--"); ValueError otherwise."""
    cell = text.strip()
    if cell.lower() in _EMPTY:
        return None
    cell = re.sub(r"[\s\u00a0\u202f]", "", ascii_digits(cell))
    duration = _DURATION.match(cell)
    if duration:
        hours, minutes, seconds = (int(g) for g in duration.groups())
        return float(hours * 3600 + minutes * 60 + seconds)
    cell = _EDGES.sub("", cell).rstrip("%")
    if not cell:
        raise ValueError(f"{text.strip()[:40]!r} is not a number")
    if "," in cell and "." in cell:
        cell = (
            cell.replace(",", "")
            if cell.rfind(",") < cell.rfind(".")
            else cell.replace(".", "").replace(",", ".")
        )
    elif "," in cell:
        cell = cell.replace(",", "") if _THOUSANDS.match(cell) else cell.replace(",", ".")
    try:
        value = float(cell)
    except ValueError as exc:
        raise ValueError(f"{text.strip()[:40]!r} is not a number") from exc
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{text.strip()[:40]!r} is not a finite number")
    return value


def _calendar(year: int, month: int, day: int) -> date:
    """A Gregorian date; years before 1700 are read as Jalali (Iranian counters and reports)."""
    if year < 1700:
        return jdatetime.date(year, month, day).togregorian()
    return date(year, month, day)


def parse_datetime(text: str) -> tuple[datetime, str]:
    """A date or date-and-time cell as a naive local datetime and its period ("day", "hour", "minute",
    "month"); ValueError when it is none of the forms exports use."""
    cell = ascii_digits(text.strip())
    if "," in cell and _YMD.match(cell.split(",")[0].strip()):
        cell = cell.split(",")[0].strip()  # Matomo week and range labels: "2026-03-02,2026-03-08"
    compact, ymd, month = _COMPACT.match(cell), _YMD.match(cell), _YM.match(cell)
    try:
        if compact:
            y, m, d, h, mi = compact.groups()
            return _at(_calendar(int(y), int(m), int(d)), h, mi, None)
        if ymd:
            y, m, d, h, mi, s = ymd.groups()
            return _at(_calendar(int(y), int(m), int(d)), h, mi, s)
        if month:
            return datetime.combine(_calendar(int(month[1]), int(month[2]), 1), datetime.min.time()), "month"
        for pattern in _TEXT_DATES:
            try:
                return datetime.strptime(cell, pattern), "day"
            except ValueError:
                continue
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"{text.strip()[:40]!r} is not a valid date") from exc
    raise ValueError(
        f"{text.strip()[:40]!r} is not a date (expected e.g. 20260301, 2026-03-01 or 1404/12/10)"
    )


def _at(day: date, hour: str | None, minute: str | None, second: str | None) -> tuple[datetime, str]:
    moment = datetime(day.year, day.month, day.day, int(hour or 0), int(minute or 0), int(second or 0))
    period = "day" if hour is None else ("hour" if minute is None and second is None else "minute")
    return moment, period


def parse_hour(text: str) -> int:
    """An hour cell ("10", "10:00", "10:00 - 11:00", "۱۰") as 0–23."""
    found = _HOUR.match(ascii_digits(text.strip()))
    if not found or not 0 <= int(found.group(1)) <= 23:
        raise ValueError(f"{text.strip()[:20]!r} is not an hour of the day")
    return int(found.group(1))
