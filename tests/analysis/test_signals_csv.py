import io
from datetime import date, timedelta

import numpy as np
import pytest

from peyvand.analysis.signals import detect_csv, read_series
from peyvand.analysis.signals.csvio import parse_time


def _csv(header: str, rows: list[str]) -> io.StringIO:
    return io.StringIO("\n".join([header, *rows]) + "\n")


def _visits(days: int = 200, spike_day: int = 150) -> list[int]:
    rng = np.random.default_rng(3)
    values = rng.poisson(500, days)
    values[spike_day] = 1500
    return values.tolist()


def test_ga4_export_with_comments_and_compact_dates_is_read_and_detected():
    start = date(2025, 1, 1)
    lines = [f"{(start + timedelta(days=i)):%Y%m%d},{v}" for i, v in enumerate(_visits())]
    text = "# ----\n# Sessions report\n# Start date: 20250101\n\n" + "\n".join(["Date,Sessions", *lines])
    out = detect_csv(io.StringIO(text), holidays=None)
    assert (out["time_col"], out["value_col"], out["grain"]) == ("Date", "Sessions", "day")
    assert len(out["changes"]) == 1
    change = out["changes"][0]
    assert change["start"].startswith((start + timedelta(days=150)).isoformat())
    assert (change["direction"], change["kind"]) == ("rise", "spike")
    assert set(change) >= {"start", "end", "direction", "kind", "effect", "p_value", "q_value", "effect_ci"}
    assert change["p_value"] < 1e-6 and change["effect"] > 1


def test_text_columns_are_ignored_and_named_columns_win():
    rows = [f"2025-01-{d:02d},page,{d},{d * 2}" for d in range(1, 29)]
    series, time_name, value_name = read_series(_csv("day,label,a,b", rows), value_col="b")
    assert (time_name, value_name) == ("day", "b")
    assert series.values[:2] == [2.0, 4.0]


@pytest.mark.parametrize(
    ("header", "rows", "message"),
    [
        ("name,value", ["x,1", "y,2"], "no column holds only dates"),
        (
            "start,end,value",
            ["2025-01-01,2025-01-02,1"],
            "several columns hold dates or times \\(start, end\\)",
        ),
        (
            "day,a,b",
            ["2025-01-01,1,2"],
            "several columns hold numbers \\(a, b\\); choose one with --value-col",
        ),
        ("day,label", ["2025-01-01,x"], "no column holds only numbers"),
    ],
)
def test_ambiguous_or_missing_columns_say_which_option_to_use(header, rows, message):
    with pytest.raises(ValueError, match=message):
        read_series(_csv(header, rows))


def test_named_column_that_does_not_exist_lists_the_columns():
    with pytest.raises(ValueError, match="value column 'visits' not found; the columns are: day, n"):
        read_series(_csv("day,n", ["2025-01-01,1"]), value_col="visits")


def test_bad_cells_name_the_row():
    with pytest.raises(ValueError, match="data row 3: 'lots' in column 'n' is not a number"):
        read_series(_csv("day,n", ["2025-01-01,1", "2025-01-02,lots"]), time_col="day", value_col="n")
    with pytest.raises(ValueError, match="empty"):
        read_series(io.StringIO(""))


def test_dates_in_several_forms_and_persian_digits():
    assert parse_time("20260301").date() == date(2026, 3, 1)
    assert parse_time("2026030110").hour == 10
    assert parse_time("1405/01/01").date() == date(2026, 3, 21)
    assert parse_time("۱۴۰۵/۰۱/۰۱").date() == date(2026, 3, 21)
    assert parse_time("2026-03-01T10:00:00Z").hour == 10
    assert parse_time("123456") is None and parse_time("12.5") is None


def test_path_input_and_hour_grain(tmp_path):
    path = tmp_path / "hourly.csv"
    lines = [f"2025-01-01 {h:02d}:00,{10 + h}" for h in range(24)]
    path.write_text("\n".join(["time,orders", *lines]) + "\n", encoding="utf-8")
    out = detect_csv(path)
    assert out["grain"] == "hour" and out["changes"] == []
