"""Holidays and seasonal periods that move marketing series: Iranian (solar and lunar) and English markets.

Solar Hijri dates come from `jdatetime` (Farvardin 1 falls on March 20 or 21). Lunar Hijri dates come from
`hijridate` (the Umm al-Qura table, 1343-1500 AH), or from the arithmetic (tabular) Islamic calendar when
that package is missing. Iran fixes lunar months by moon sighting, so its dates can fall a day either side
of Umm al-Qura: every lunar holiday carries `tolerance_days = 1`, and `HolidayCalendar` marks the days
around it as possibly affected.

Each `Holiday` has a `key` that groups the days of one event across years (`nowruz`, `ramadan`, …): the
signal engine learns the effect of a key from its earlier occurrences, and leaves days it cannot explain
untested rather than raising a false "fall" on the first Nowruz it sees.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import Literal

import jdatetime

Market = Literal["ir", "en"]
MARKETS: tuple[Market, ...] = ("ir", "en")


@dataclass(frozen=True, order=True)
class Holiday:
    """One day of a holiday or seasonal period in one market."""

    day: date
    key: str
    name_en: str
    name_fa: str
    market: Market
    official: bool = False
    tolerance_days: int = 0


# (Jalali month, day, key, English name, Persian name, official day off)
_SOLAR_DAYS: tuple[tuple[int, int, str, str, str, bool], ...] = (
    (1, 12, "islamic_republic_day", "Islamic Republic Day", "روز جمهوری اسلامی", True),
    (1, 13, "sizdah_bedar", "Sizdah Bedar (Nature Day)", "سیزده‌بدر (روز طبیعت)", True),
    (3, 14, "khomeini_death", "Demise of Imam Khomeini", "رحلت امام خمینی", True),
    (3, 15, "khordad_15", "15 Khordad uprising", "قیام ۱۵ خرداد", True),
    (9, 30, "yalda", "Yalda night (30 Azar)", "شب یلدا", False),
    (11, 22, "revolution_day", "Revolution anniversary", "پیروزی انقلاب اسلامی", True),
    (12, 29, "oil_nationalization", "Oil nationalisation day", "ملی شدن صنعت نفت", True),
)

# (Hijri month, day, key, English name, Persian name); all are official days off in Iran.
_LUNAR_DAYS: tuple[tuple[int, int, str, str, str], ...] = (
    (1, 9, "tasua", "Tasua", "تاسوعا"),
    (1, 10, "ashura", "Ashura", "عاشورا"),
    (2, 20, "arbaeen", "Arbaeen", "اربعین"),
    (
        2,
        28,
        "prophet_demise",
        "Demise of the Prophet, martyrdom of Imam Hasan",
        "رحلت پیامبر و شهادت امام حسن",
    ),
    (3, 8, "imam_hasan_askari", "Martyrdom of Imam Hasan Askari", "شهادت امام حسن عسکری"),
    (3, 17, "mawlid", "Birth of the Prophet", "میلاد پیامبر"),
    (6, 3, "fatima_martyrdom", "Martyrdom of Fatima", "شهادت حضرت فاطمه"),
    (7, 13, "imam_ali_birth", "Birth of Imam Ali", "ولادت امام علی"),
    (7, 27, "mabath", "Mab'ath", "مبعث"),
    (8, 15, "mahdi_birth", "Birth of Imam Mahdi", "ولادت امام زمان"),
    (9, 21, "imam_ali_martyrdom", "Martyrdom of Imam Ali", "شهادت امام علی"),
    (10, 1, "eid_al_fitr", "Eid al-Fitr", "عید فطر"),
    (10, 2, "eid_al_fitr", "Eid al-Fitr (second day)", "عید فطر (روز دوم)"),
    (10, 25, "imam_sadiq_martyrdom", "Martyrdom of Imam Sadiq", "شهادت امام صادق"),
    (12, 10, "eid_al_adha", "Eid al-Adha", "عید قربان"),
    (12, 18, "eid_al_ghadir", "Eid al-Ghadir", "عید غدیر"),
)

# (month, day, key, English name, Persian name) in the Gregorian calendar, English-speaking markets.
_ENGLISH_DAYS: tuple[tuple[int, int, str, str, str], ...] = (
    (1, 1, "new_year", "New Year's Day", "روز سال نو میلادی"),
    (12, 24, "christmas", "Christmas Eve", "شب کریسمس"),
    (12, 25, "christmas", "Christmas Day", "کریسمس"),
    (12, 26, "christmas", "Boxing Day", "روز باکسینگ"),
    (12, 31, "new_year", "New Year's Eve", "شب سال نو میلادی"),
)


def _jalali(year: int, month: int, day: int) -> date:
    return jdatetime.date(year, month, day).togregorian()


def nowruz(gregorian_year: int) -> date:
    """Farvardin 1 of the Solar Hijri year that starts in `gregorian_year` (March 20 or 21)."""
    return _jalali(gregorian_year - 621, 1, 1)


def yalda(gregorian_year: int) -> date:
    """30 Azar: Yalda night is the evening of this day, the longest night (December 20 or 21)."""
    return _jalali(gregorian_year - 621, 9, 30)


def _iran_solar(gregorian_year: int) -> Iterator[Holiday]:
    for jy in (gregorian_year - 622, gregorian_year - 621):
        for offset in range(13):
            day = _jalali(jy, 1, 1) + timedelta(days=offset)
            official = offset < 4
            name = f"Nowruz, day {offset + 1}"
            yield Holiday(day, "nowruz", name, f"نوروز، روز {offset + 1}", "ir", official)
        for offset in range(1, 11):  # the shopping weeks before Nowruz (last ten days of Esfand)
            day = _jalali(jy, 1, 1) - timedelta(days=offset)
            yield Holiday(day, "pre_nowruz", "Before Nowruz (end of Esfand)", "شب عید", "ir")
        for month, mday, key, en, fa, official in _SOLAR_DAYS:
            yield Holiday(_jalali(jy, month, mday), key, en, fa, "ir", official)


def _iran_lunar(gregorian_year: int) -> Iterator[Holiday]:
    first = hijri_year_of(date(gregorian_year, 1, 1))
    for hy in range(first, first + 3):
        for month, mday, key, en, fa in _LUNAR_DAYS:
            yield Holiday(hijri_to_gregorian(hy, month, mday), key, en, fa, "ir", True, 1)
        last_safar = hijri_month_length(hy, 2)
        yield Holiday(
            hijri_to_gregorian(hy, 2, last_safar),
            "imam_reza_martyrdom",
            "Martyrdom of Imam Reza",
            "شهادت امام رضا",
            "ir",
            True,
            1,
        )
        for mday in range(1, hijri_month_length(hy, 9) + 1):
            day = hijri_to_gregorian(hy, 9, mday)
            yield Holiday(day, "ramadan", f"Ramadan, day {mday}", f"ماه رمضان، روز {mday}", "ir", False, 1)


def _english(gregorian_year: int) -> Iterator[Holiday]:
    for month, mday, key, en, fa in _ENGLISH_DAYS:
        yield Holiday(date(gregorian_year, month, mday), key, en, fa, "en", True)


def holidays_in_year(gregorian_year: int, markets: Iterable[Market] = MARKETS) -> list[Holiday]:
    """Every holiday day of the chosen markets that falls in `gregorian_year`, sorted by day."""
    chosen = set(markets)
    found: set[Holiday] = set()
    if "ir" in chosen:
        found.update(_iran_solar(gregorian_year))
        found.update(_iran_lunar(gregorian_year))
    if "en" in chosen:
        found.update(_english(gregorian_year))
    return sorted(h for h in found if h.day.year == gregorian_year)


# A holiday's name for the whole of it (its days have their own: "Nowruz, day 1").
_KEY_NAMES = {
    "nowruz": ("Nowruz", "نوروز"),
    "pre_nowruz": ("Before Nowruz", "شب عید"),
    "ramadan": ("Ramadan", "ماه رمضان"),
    "eid_al_fitr": ("Eid al-Fitr", "عید فطر"),
    "christmas": ("Christmas", "کریسمس"),
    "new_year": ("New Year", "سال نو میلادی"),
    "yalda": ("Yalda night", "شب یلدا"),
}


@cache
def _names_by_key() -> dict[str, tuple[str, str]]:
    names: dict[str, tuple[str, str]] = {}
    for holiday in holidays_in_year(2026):
        names.setdefault(holiday.key, (holiday.name_en, holiday.name_fa))
    return {**names, **_KEY_NAMES}


def holiday_name(key: str, locale: str) -> str:
    """A holiday's name from its key, in Persian or English (the key itself when unknown)."""
    found = _names_by_key().get(key)
    return key if found is None else found[1] if locale == "fa" else found[0]


def holidays_between(start: date, end: date, markets: Iterable[Market] = MARKETS) -> list[Holiday]:
    """Holiday days with `start <= day <= end`."""
    chosen = tuple(markets)
    days: list[Holiday] = []
    for year in range(start.year, end.year + 1):
        days.extend(h for h in holidays_in_year(year, chosen) if start <= h.day <= end)
    return days


@dataclass(frozen=True)
class HolidayCalendar:
    """The holidays the signal engine should explain, with lunar dates widened by their tolerance."""

    markets: tuple[Market, ...] = MARKETS
    keys: frozenset[str] | None = None  # None: every key of the markets
    _cache: dict[int, dict[date, tuple[str, ...]]] = field(default_factory=dict, compare=False, repr=False)

    def keys_on(self, day: date) -> tuple[str, ...]:
        """The holiday keys that may affect `day` (a lunar holiday also marks the day before and after)."""
        return self._year(day.year).get(day, ())

    def _year(self, year: int) -> dict[date, tuple[str, ...]]:
        if year not in self._cache:
            marks: dict[date, set[str]] = {}
            for near in (year - 1, year, year + 1):  # a tolerance can cross the new year
                for h in holidays_in_year(near, self.markets):
                    if self.keys is not None and h.key not in self.keys:
                        continue
                    for shift in range(-h.tolerance_days, h.tolerance_days + 1):
                        marks.setdefault(h.day + timedelta(days=shift), set()).add(h.key)
            self._cache[year] = {d: tuple(sorted(k)) for d, k in marks.items() if d.year == year}
        return self._cache[year]


NO_HOLIDAYS = HolidayCalendar(markets=())


# --- lunar Hijri conversion -------------------------------------------------------------------------
# hijridate covers 1343-1500 AH (1924-2077); outside it, or without the package, the tabular calendar
# (30-year cycle, within a day or two of Umm al-Qura) is used.

try:
    import hijridate
except ImportError:  # pragma: no cover - exercised only without the optional package
    hijridate = None  # type: ignore[assignment]

_UMM_AL_QURA_YEARS = range(1344, 1500)


def hijri_to_gregorian(year: int, month: int, day: int) -> date:
    """Gregorian date of a lunar Hijri date (Umm al-Qura where `hijridate` covers it)."""
    if hijridate is not None and year in _UMM_AL_QURA_YEARS:
        return hijridate.Hijri(year, month, day).to_gregorian()
    return _tabular_to_gregorian(year, month, day)


def hijri_month_length(year: int, month: int) -> int:
    if hijridate is not None and year in _UMM_AL_QURA_YEARS:
        return int(hijridate.Hijri(year, month, 1).month_length())
    return 30 if month % 2 == 1 or (month == 12 and _tabular_leap(year)) else 29


def hijri_year_of(day: date) -> int:
    """The lunar Hijri year in progress on `day`."""
    if hijridate is not None and date(1925, 1, 1) <= day <= date(2075, 12, 31):
        return int(hijridate.Gregorian(day.year, day.month, day.day).to_hijri().year)
    year = int((day.toordinal() - _TABULAR_EPOCH) * 30 // 10631) + 1
    return year if _tabular_to_gregorian(year + 1, 1, 1) > day else year + 1


# the day before 1 Muharram 1 AH: Julian 622-07-16, proleptic Gregorian 622-07-19
_TABULAR_EPOCH = date(622, 7, 19).toordinal() - 1


def _tabular_leap(year: int) -> bool:
    return (14 + 11 * year) % 30 < 11


def _tabular_to_gregorian(year: int, month: int, day: int) -> date:
    days = day + (29 * (month - 1) + month // 2) + (year - 1) * 354 + (3 + 11 * year) // 30
    return date.fromordinal(_TABULAR_EPOCH - 1 + days)
