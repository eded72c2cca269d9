"""Level shifts: one change per shift, its start at the change point, its end where it stops, its effect
against the baseline before it; holidays seen for the first time widen the tests instead of muting them;
false discoveries are counted per change, not per test."""

from datetime import date, timedelta

import numpy as np

from peyvand.analysis.calendar import HolidayCalendar
from peyvand.analysis.signals import ChangeDirection, ChangeKind, Series, detect
from peyvand.analysis.signals.fdr import episode_q_values
from peyvand.analysis.signals.stats import bh_q_values


def _counts(seed: int, days: int, mean: float, size: float, start: date) -> tuple[list[date], np.ndarray]:
    rng = np.random.default_rng(seed)
    stamps = [start + timedelta(days=i) for i in range(days)]
    return stamps, rng.negative_binomial(size, size / (size + mean), size=days).astype(float)


def test_a_level_shift_is_reported_once_from_its_change_point_to_the_end():
    # the reported defect: +60% from day 420 of 500, Ramadan and Nowruz right after the change
    rng = np.random.default_rng(3)
    days = [date(2025, 1, 1) + timedelta(days=i) for i in range(500)]
    vals = rng.negative_binomial(20, 20 / (20 + 1000), size=500).astype(float)
    vals[420:] *= 1.6
    changes = detect(Series(days, vals.tolist(), key="visits"))
    assert len(changes) == 1  # no spikes inside the shift, no second shift
    shift = changes[0]
    assert shift.kind is ChangeKind.LEVEL_SHIFT and shift.direction is ChangeDirection.RISE
    assert abs((shift.start.date() - days[420]).days) <= 3
    assert shift.end.date() == days[-1]
    assert shift.effect_ci[0] < 0.6 < shift.effect_ci[1]
    assert shift.baseline < 1100 < 1400 < shift.observed  # measured against the level before the change


def test_a_temporary_lift_ends_where_it_stops():
    stamps, vals = _counts(8, 400, 800, 40, date(2024, 6, 1))
    vals[300:340] = np.round(vals[300:340] * 1.5)
    changes = detect(Series(stamps, vals.tolist()), holidays=None)
    rise = [c for c in changes if c.direction is ChangeDirection.RISE]
    assert len(rise) == 1 and rise[0].kind is ChangeKind.LEVEL_SHIFT
    assert abs((rise[0].start.date() - stamps[300]).days) <= 3
    assert abs((rise[0].end.date() - stamps[339]).days) <= 3


def test_a_yearly_season_in_the_first_year_is_not_taken_for_level_shifts():
    # a +-25% yearly season with no year behind it to learn from; without the step-or-line check, these
    # six series report 12 level shifts
    shifts = 0
    for seed in range(6):
        rng = np.random.default_rng(seed)
        stamps = [date(2024, 1, 1) + timedelta(days=i) for i in range(730)]
        mean = 3000 * (1 + 0.25 * np.sin(2 * np.pi * np.arange(730) / 365.25 + seed))
        vals = rng.poisson(rng.gamma(60, mean / 60)).astype(float)
        changes = detect(Series(stamps, vals.tolist()), holidays=None)
        shifts += sum(c.kind is ChangeKind.LEVEL_SHIFT for c in changes)
    assert shifts <= 3


def test_changes_inside_a_holiday_seen_for_the_first_time_are_still_found():
    calendar = HolidayCalendar(keys=frozenset({"ramadan"}))
    stamps, base = _counts(5, 240, 500, 30, date(2025, 10, 1))
    ramadan = [i for i, d in enumerate(stamps) if calendar.keys_on(d)]
    at = ramadan[0] + 8  # Ramadan 1447 is this series' first
    spiky = base.copy()
    spiky[at] *= 3
    found = detect(Series(stamps, spiky.tolist()), holidays=calendar)
    assert [(c.kind, c.start.date()) for c in found] == [(ChangeKind.SPIKE, stamps[at])]
    shifted = base.copy()
    shifted[at:] = np.round(shifted[at:] * 1.6)
    shift = detect(Series(stamps, shifted.tolist()), holidays=calendar)
    assert len(shift) == 1 and shift[0].kind is ChangeKind.LEVEL_SHIFT
    assert abs((shift[0].start.date() - stamps[at]).days) <= 3


def test_false_discoveries_are_counted_per_change():
    p = np.array([1e-4, 2e-4, 3e-4, 4e-4, 0.004])
    one_episode = episode_q_values(
        p, np.zeros(5, int), np.array([1, 2, 3, 4, 50]), np.ones(5, int), 100, 0.05
    )
    # four tests of one episode and one apart make two discoveries, not five
    assert np.allclose(one_episode, [0.01, 0.02, 0.03, 0.04, 0.2])
    assert np.allclose(bh_q_values(p, 100), [0.01, 0.01, 0.01, 0.01, 0.08])
    apart = episode_q_values(p, np.arange(5), np.arange(5), np.ones(5, int), 100, 0.05)
    assert np.allclose(apart, bh_q_values(p, 100))  # every test its own episode: Benjamini-Hochberg


def _shifts(changes):
    return [c for c in changes if c.kind is ChangeKind.LEVEL_SHIFT]


def test_a_lift_that_returns_is_one_change_with_an_end():
    # a campaign lift of +40% over 40 days, then back to the old level: one rise with its end, no fall
    stamps, vals = _counts(3, 400, 800, 40, date(2024, 6, 1))
    vals[300:340] = np.round(vals[300:340] * 1.4)
    shifts = _shifts(detect(Series(stamps, vals.tolist()), holidays=None))
    assert [c.direction for c in shifts] == [ChangeDirection.RISE]
    assert abs((shifts[0].start.date() - stamps[300]).days) <= 3
    assert abs((shifts[0].end.date() - stamps[339]).days) <= 3
    assert shifts[0].effect_ci[0] < 0.4 < shifts[0].effect_ci[1]


def test_a_lift_after_a_noisy_high_month_that_returns_is_one_change_with_an_end():
    # the month before the lift runs 12% high (an unmarked pre-holiday rush), so the short level before
    # the lift is too high and the series' return looked like a fall; judged against the long baseline
    # it is the lift's end
    stamps, vals = _counts(0, 420, 800, 20, date(2024, 6, 1))
    vals[272:300] = np.round(vals[272:300] * 1.12)
    vals[300:340] = np.round(vals[300:340] * 1.4)
    shifts = _shifts(detect(Series(stamps, vals.tolist()), holidays=None))
    assert [c.direction for c in shifts] == [ChangeDirection.RISE]
    assert abs((shifts[0].start.date() - stamps[300]).days) <= 7
    assert abs((shifts[0].end.date() - stamps[339]).days) <= 3


def test_a_fall_that_recovers_is_one_change_with_an_end():
    stamps, vals = _counts(4, 400, 800, 40, date(2024, 6, 1))
    vals[280:330] = np.round(vals[280:330] * 0.65)
    shifts = _shifts(detect(Series(stamps, vals.tolist()), holidays=None))
    assert [c.direction for c in shifts] == [ChangeDirection.FALL]
    assert abs((shifts[0].end.date() - stamps[329]).days) <= 3


def test_a_fall_below_the_old_level_after_a_lift_is_a_change_of_its_own():
    # +40% for 40 days, then down to 70% of the old level: the rise ends, and the fall is reported
    stamps, vals = _counts(3, 400, 800, 40, date(2024, 6, 1))
    vals[300:340] = np.round(vals[300:340] * 1.4)
    vals[340:] = np.round(vals[340:] * 0.7)
    shifts = _shifts(detect(Series(stamps, vals.tolist()), holidays=None))
    assert [c.direction for c in shifts] == [ChangeDirection.RISE, ChangeDirection.FALL]
    rise, fall = shifts
    assert abs((rise.end.date() - stamps[339]).days) <= 3
    assert abs((fall.start.date() - stamps[340]).days) <= 3 and fall.end.date() == stamps[-1]
    assert fall.effect_ci[1] < -0.3  # measured against the lifted level just before it: 0.7 / 1.4 - 1


def test_the_return_weeks_after_a_lift_ended_is_not_a_fall():
    # +60% for 42 days, then +25% for 19 days, then the old level (a campaign, then a rush before a
    # holiday): the fall to the old level starts weeks after the lift ended, while the baseline still
    # holds the lift; judged against the forecast from before the lift it is no change
    rng = np.random.default_rng(2)
    stamps = [date(2025, 9, 6) + timedelta(days=i) for i in range(330)]
    mean = 800 * np.array([1.0, 1.0, 1.05, 1.15, 0.8, 1.0, 1.0])[[d.weekday() for d in stamps]]
    mean[150:192] *= 1.6
    mean[192:211] *= 1.25
    shifts = _shifts(detect(Series(stamps, rng.poisson(mean).astype(float).tolist()), holidays=None))
    assert shifts[0].direction is ChangeDirection.RISE
    assert abs((shifts[0].start.date() - stamps[150]).days) <= 3
    # the step down to the middle level may be reported; the return to the old level is no fall (it was
    # one of -23% from day 211 to the end, measured against the level the lift still held)
    assert not [c for c in shifts if c.start.date() >= stamps[205]]


def test_a_fall_below_the_old_level_weeks_after_a_lift_is_still_a_change():
    # the same lift and middle level, then 70% of the old level: against the forecast from before the
    # lift the fall is real, and measured against it
    stamps, vals = _counts(2, 330, 800, 40, date(2025, 9, 6))
    vals[150:192] = np.round(vals[150:192] * 1.6)
    vals[192:211] = np.round(vals[192:211] * 1.25)
    vals[211:] = np.round(vals[211:] * 0.7)
    falls = [
        c
        for c in _shifts(detect(Series(stamps, vals.tolist()), holidays=None))
        if c.direction is ChangeDirection.FALL
    ]
    assert falls and abs((falls[0].start.date() - stamps[211]).days) <= 3
    # the fall that lasts to the end, weeks after the lift ended, is measured from before the lift
    assert falls[-1].end.date() == stamps[-1]
    assert falls[-1].effect_ci[0] < -0.3 < falls[-1].effect_ci[1]  # 0.7 of the old level


def test_an_earlier_shift_does_not_widen_the_interval_of_a_later_one():
    # a +30% shift on day 400, with and without a +50% shift on day 250 before it; counting the first as
    # noise made the second's interval 2.3 to 3.1 times as wide
    for seed in (0, 3, 4):
        stamps, base = _counts(seed, 500, 800, 40, date(2024, 6, 1))
        widths = []
        for first in (1.0, 1.5):
            vals = base.copy()
            vals[250:] = np.round(vals[250:] * first)
            vals[400:] = np.round(vals[400:] * 1.3)
            later = _shifts(detect(Series(stamps, vals.tolist()), holidays=None))[-1]
            assert abs((later.start.date() - stamps[400]).days) <= 5
            widths.append(later.effect_ci[1] - later.effect_ci[0])
        assert widths[1] < 1.5 * widths[0]


def test_a_series_that_was_silent_for_weeks_starts_over():
    # a campaign's daily spend for 40 days, two months without spend reported, then a small test campaign:
    # its five days are not a -99% fall against the old campaign's level (there is no level since)
    rng = np.random.default_rng(5)
    stamps = [date(2025, 9, 6) + timedelta(days=i) for i in range(40)]
    stamps += [date(2025, 9, 6) + timedelta(days=100 + i) for i in range(5)]
    values = [float(v) for v in rng.normal(6_000_000, 400_000, 40)] + [40_000.0 + 1_500 * i for i in range(5)]
    assert detect(Series(stamps, values), holidays=None) == []


def test_after_a_silence_the_new_level_is_learnt_and_changes_in_it_found():
    stamps, vals = _counts(6, 300, 800, 40, date(2024, 6, 1))
    kept = [(d, v) for i, (d, v) in enumerate(zip(stamps, vals, strict=True)) if not 100 <= i < 160]
    values = np.array([v for _, v in kept])
    values[130:] = np.round(values[130:] * 1.5)  # from day 190: a third of the way into the new stretch
    shifts = _shifts(detect(Series([d for d, _ in kept], values.tolist()), holidays=None))
    assert [c.direction for c in shifts] == [ChangeDirection.RISE]
    assert abs((shifts[0].start.date() - kept[130][0]).days) <= 3
