"""The demo's calendar: the window, the Iranian holidays in it, where the story's events fall, local time.

All demo times are Tehran local times written with the fixed offset `+03:30` (Iran has kept standard time
all year since 2022). Holidays come from the Jalali calendar (`jdatetime`): Nowruz is Farvardin 1–13, the
shopping rush before it Esfand 20 to the last day of Esfand, Yalda the night of Azar 30.

The marketing story's events (the campaigns, the crisis, the price rise, the press release) happen in the
last twelve months, where the signal engine has a year of history and so knows each series' yearly season;
the time before is history. They are placed at fixed fractions of those twelve months and then nudged (by
days) until they clear the holidays and each other, so that each injected change has one cause. The
branding campaign and the email loops keep their places in the last eighteen months.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import jdatetime

from peyvand.demo.writing import number

TEHRAN_OFFSET = "+03:30"
SATURDAY, THURSDAY, FRIDAY = 5, 3, 4  # Python weekday numbers
OPEN_HOUR, CLOSE_HOUR, THURSDAY_CLOSE = 9, 18, 13
STORY_DAYS = 365  # the marketing story's last twelve months: the signal engine knows the yearly season there
PR_STORY_DAYS = 540  # the branding campaign and the loops, written for an 18-month demo, keep their places


@dataclass(frozen=True)
class Window:
    """An inclusive range of local dates."""

    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def overlaps(self, other: Window) -> bool:
        return self.start <= other.end and other.start <= self.end

    def widened(self, before: int, after: int) -> Window:
        return Window(self.start - dt.timedelta(days=before), self.end + dt.timedelta(days=after))

    def to_dict(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def jalali(day: dt.date) -> jdatetime.date:
    return jdatetime.date.fromgregorian(date=day)


def jalali_label(day: dt.date, *, digits: str = "fa") -> str:
    """'۱۲ آذر' style day and month name, for texts that quote a date."""
    j = jalali(day)
    return f"{number(j.day, digits)} {jdatetime.date.j_months_fa[j.month - 1]}"


def _gregorian(year: int, month: int, day: int) -> dt.date:
    return jdatetime.date(year, month, day).togregorian()


def nowruz_windows(window: Window) -> list[Window]:
    """Farvardin 1–13 of every Jalali year touching the window."""
    years = range(jalali(window.start).year, jalali(window.end).year + 2)
    return [Window(_gregorian(y, 1, 1), _gregorian(y, 1, 13)) for y in years]


def pre_nowruz_windows(window: Window) -> list[Window]:
    """Esfand 20 to the eve of Nowruz: the gift-shopping rush."""
    return [
        Window(_gregorian(jalali(w.start).year - 1, 12, 20), w.start - dt.timedelta(days=1))
        for w in nowruz_windows(window)
    ]


def yalda_windows(window: Window) -> list[Window]:
    """Azar 26–30: the days of Yalda shopping, ending on the night itself (Azar 30)."""
    years = range(jalali(window.start).year, jalali(window.end).year + 1)
    return [Window(_gregorian(y, 9, 26), _gregorian(y, 9, 30)) for y in years]


@dataclass(frozen=True)
class Timeline:
    """Where the story happens. `press_peak` is the one day of the travelling press release's spike."""

    window: Window
    last_year: Window  # the marketing story happens here
    last_18_months: Window  # the branding campaign and the loops run here
    branding: Window
    campaign_lift: Window
    campaign_flat: Window
    crisis: Window
    crisis_impact: Window
    press_day: dt.date
    press_peak: dt.date
    second_campaign: Window
    price_rise: dt.date
    nowruz: tuple[Window, ...]
    pre_nowruz: tuple[Window, ...]
    yalda: tuple[Window, ...]

    @property
    def holidays(self) -> tuple[Window, ...]:
        return tuple(sorted((*self.nowruz, *self.pre_nowruz, *self.yalda), key=lambda w: w.start))

    def season(self, day: dt.date) -> str | None:
        """'nowruz' from the pre-Nowruz rush to Farvardin 13, 'yalda' in the Yalda days, else None."""
        if in_any(day, self.nowruz) or in_any(day, self.pre_nowruz):
            return "nowruz"
        return "yalda" if in_any(day, self.yalda) else None

    def day_index(self, day: dt.date) -> int:
        return (day - self.window.start).days

    def dates(self) -> list[dt.date]:
        return [self.window.start + dt.timedelta(days=i) for i in range(self.window.days)]


def _place(window: Window, fraction: float, length: int, blocked: list[Window]) -> Window:
    """A `length`-day window starting as near `fraction` of `window` as it can without touching `blocked`."""
    anchor = window.start + dt.timedelta(days=round(fraction * window.days))
    earliest, latest = window.start + dt.timedelta(days=14), window.end - dt.timedelta(days=length + 3)
    for shift in sorted(range(-window.days, window.days + 1), key=lambda d: (abs(d), d < 0)):
        start = anchor + dt.timedelta(days=shift)
        candidate = Window(start, start + dt.timedelta(days=length - 1))
        if earliest <= start <= latest and not any(candidate.overlaps(b) for b in blocked):
            return candidate
    start = min(max(anchor, earliest), max(earliest, latest))
    return Window(start, start + dt.timedelta(days=length - 1))


def _place_press(window: Window, holidays: list[Window]) -> dt.date:
    """Publication day of the press release: 8 to 27 days before the end (so the raw events of the last 30
    days cover its coverage spike), else up to 60 days before, always clear of the holidays."""
    near = sorted(range(8, 28), key=lambda back: abs(back - 24))
    for back in [*near, *range(28, 61)]:
        day = window.end - dt.timedelta(days=back)
        if not any(Window(day, day).widened(4, 8).overlaps(h) for h in holidays):
            return day
    return window.end - dt.timedelta(days=24)


def build_timeline(end: dt.date, days: int) -> Timeline:
    """Place the story in the window. Campaigns and the crisis each get four ordinary weeks before them (no
    holiday, no other event), so that a before/after comparison sees only their own effect; the one price
    rise stays out of those weeks too."""
    if days < 120:
        raise ValueError(f"days must be at least 120 to tell the demo's story, got {days}")
    window = Window(end - dt.timedelta(days=days - 1), end)
    year, months_18 = _last(window, STORY_DAYS), _last(window, PR_STORY_DAYS)
    nowruz, pre_nowruz, yalda = nowruz_windows(window), pre_nowruz_windows(window), yalda_windows(window)
    holidays = [*nowruz, *pre_nowruz, *yalda]
    press = _place_press(window, holidays)
    blocked = [*(h.widened(6, 28) for h in holidays), Window(press, press).widened(10, 14)]
    lift = _place(year, 0.15, 42, blocked)
    blocked.append(lift.widened(21, 28))
    crisis = _place(year, 0.45, 21, blocked)
    blocked.append(crisis.widened(35, 28))
    flat = _place(year, 0.75, 28, blocked)
    events = [w.widened(30, 3) for w in (lift, crisis, flat)]
    price_rise = _place(year, 0.06, 1, [*events, *(h.widened(3, 3) for h in holidays)]).start
    quiet = [*(h.widened(6, 28) for h in holidays), Window(price_rise, price_rise).widened(3, 30)]
    branding_start = months_18.start + dt.timedelta(days=round(0.26 * months_18.days))
    return Timeline(
        window=window,
        last_year=year,
        last_18_months=months_18,
        branding=Window(branding_start, branding_start + dt.timedelta(days=round(0.30 * months_18.days) - 1)),
        campaign_lift=lift,
        campaign_flat=flat,
        crisis=Window(crisis.start, crisis.start + dt.timedelta(days=3)),
        crisis_impact=crisis,
        press_day=press,
        press_peak=press + dt.timedelta(days=2),
        second_campaign=_place(year, 0.40, 35, quiet),
        price_rise=price_rise,
        nowruz=tuple(nowruz),
        pre_nowruz=tuple(pre_nowruz),
        yalda=tuple(yalda),
    )


def _last(window: Window, days: int) -> Window:
    """The last `days` days of `window` (all of it when it is shorter)."""
    return Window(max(window.start, window.end - dt.timedelta(days=days - 1)), window.end)


def in_any(day: dt.date, windows: list[Window] | tuple[Window, ...]) -> bool:
    return any(day in w for w in windows)


def stamp(moment: dt.datetime) -> str:
    """ISO 8601 with Tehran's offset, to the second."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + TEHRAN_OFFSET


def _closing_hour(day: dt.date) -> int | None:
    weekday = day.weekday()
    if weekday == FRIDAY:
        return None
    return THURSDAY_CLOSE if weekday == THURSDAY else CLOSE_HOUR


def next_open(moment: dt.datetime) -> dt.datetime:
    """`moment` if the desk is open then, else the next opening (Sat–Wed 9–18, Thu 9–13, Fri closed)."""
    for _ in range(8):
        close = _closing_hour(moment.date())
        opening = moment.replace(hour=OPEN_HOUR, minute=0, second=0)
        if close is not None and moment < opening:
            return opening
        if close is not None and moment.hour < close:
            return moment
        moment = (moment + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0)
    return moment


def reply_moment(received: dt.datetime, rng: random.Random, *, slowness: float = 1.0) -> dt.datetime:
    """When the brand's desk answers a message received at `received` (minutes to about a day)."""
    if rng.random() < 0.08:  # the social-media manager answers from the phone, out of hours
        return received + dt.timedelta(minutes=rng.uniform(4, 150))
    start = next_open(received)
    delay = dt.timedelta(minutes=min(rng.lognormvariate(3.4, 0.9) * slowness, 6 * 60))
    answer = start + delay
    close = _closing_hour(start.date()) or CLOSE_HOUR
    closing = start.replace(hour=close, minute=0, second=0)
    if answer > closing:
        answer = next_open(closing + dt.timedelta(minutes=1)) + (answer - closing)
    return answer + dt.timedelta(seconds=rng.randrange(60))
