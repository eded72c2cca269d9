"""The brand-to-sales summary on Persian pages: every number in Persian digits and separators, a negative
correlation with a real minus sign; the English summary keeps its Latin digits."""

from __future__ import annotations

import re
from datetime import date, timedelta

import numpy as np

from peyvand.analysis.leadlag import brand_sales_leadlag

ASCII_DIGIT = re.compile(r"[0-9]")


def _series(days: int, lead: int, sign: float) -> tuple[list[date], np.ndarray, np.ndarray]:
    """Sales follow `sign` x the brand series `lead` days later, plus noise."""
    rng = np.random.default_rng(21)
    level = np.zeros(days + lead)
    for k in range(1, days + lead):
        level[k] = 0.9 * level[k - 1] + rng.normal(0.0, 0.15)
    dates = [date(2022, 1, 1) + timedelta(days=k) for k in range(days)]
    sales = 5000 + sign * 1500 * np.tanh(level[:days]) + rng.normal(0.0, 250.0, days)
    return dates, np.tanh(level[lead:]), sales


def test_the_persian_summary_has_persian_numbers_only() -> None:
    dates, brand, sales = _series(1200, 7, -1.0)
    result = brand_sales_leadlag(dates, brand, sales)
    assert result.best is not None and result.best.r < 0 and result.best.lag == 7
    fa = result.summary("fa")
    assert not ASCII_DIGIT.search(fa), fa
    assert fa.startswith("در ۱٬۲۰۰ روز:")  # «٬» between thousands
    assert "برند ۷ روز جلوتر" in fa
    r = f"{result.best.r:.2f}".replace("-", "\u200e−").translate(str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫"))
    assert f"(r = {r}، p < ۰٫۰۰۱ پس از تصحیح" in fa and r.startswith("\u200e−۰٫")  # minus kept left in RTL
    en = result.summary("en")
    assert en.startswith("Over 1200 days:") and f"r = {result.best.r:.2f}" in en


def test_the_same_day_and_not_enough_data_summaries_in_persian() -> None:
    dates, brand, sales = _series(400, 0, 1.0)
    same_day = brand_sales_leadlag(dates, brand, sales)
    assert same_day.best is not None and same_day.best.lag == 0
    fa = same_day.summary("fa")
    assert "در همان روز" in fa and "(r = ۰٫" in fa and not ASCII_DIGIT.search(fa), fa
    short = brand_sales_leadlag(dates[:60], brand[:60], sales[:60]).summary("fa")
    assert short == "داده کافی نیست: ۶۰ روز کامل موجود است و دست‌کم ۹۰ روز لازم است."
