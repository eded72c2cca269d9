from datetime import date, timedelta

import numpy as np
import pytest

from peyvand.analysis.calendar import HolidayCalendar
from peyvand.analysis.signals import (
    ChangeDirection,
    ChangeKind,
    Series,
    bh_q_values,
    detect,
    detect_many,
    is_count_series,
)

START = date(2024, 1, 1)
WEEKDAY = np.array([1.0, 1.05, 1.05, 1.0, 0.95, 0.75, 0.7])
NOWRUZ = HolidayCalendar(keys=frozenset({"nowruz"}))


def daily_counts(seed, days=730, base=150.0, size=60.0, spike=None, shift=None, nowruz_dip=0.0):
    """Visits: negative-binomial counts, weekly and yearly season, trend, 2% missing days."""
    rng = np.random.default_rng(seed)
    stamps = [START + timedelta(days=i) for i in range(days)]
    t = np.arange(days)
    mu = base * WEEKDAY[[d.weekday() for d in stamps]] * (1 + 0.1 * np.sin(2 * np.pi * t / 365.25))
    mu *= 1 + 0.15 * t / 365
    if nowruz_dip:
        mu *= np.where([NOWRUZ.keys_on(d) != () for d in stamps], 1 - nowruz_dip, 1.0)
    if spike is not None:
        mu[spike[0]] *= spike[1]
    if shift is not None:
        mu[shift[0] :] *= shift[1]
    y = rng.poisson(rng.gamma(size, mu / size)).astype(float)
    missing = rng.random(days) < 0.02
    if spike is not None:
        missing[spike[0]] = False
    keep = ~missing
    return Series([d for d, k in zip(stamps, keep, strict=True) if k], y[keep].tolist(), key=f"visits-{seed}")


def day(i):
    return START + timedelta(days=i)


def test_injected_spike_is_found_with_its_direction_and_day():
    changes = detect(daily_counts(1, spike=(500, 3.0)))
    spike = min(changes, key=lambda c: c.p_value)
    assert len(changes) <= 2  # BH may let one borderline day through beside a true discovery
    assert spike.kind is ChangeKind.SPIKE
    assert spike.start.date() == spike.end.date() == day(500)
    assert spike.direction is ChangeDirection.RISE
    assert spike.effect_ci[0] < spike.effect < spike.effect_ci[1]
    assert 0.5 < spike.effect < 3.0 and spike.p_value < 1e-5 and spike.q_value <= 0.05


def test_dip_spike_is_a_fall():
    changes = detect(daily_counts(2, spike=(470, 0.2)))
    main = min(changes, key=lambda c: c.p_value)
    assert (main.kind, main.direction, main.start.date()) == (
        ChangeKind.SPIKE,
        ChangeDirection.FALL,
        day(470),
    )


@pytest.mark.parametrize(("factor", "direction"), [(1.5, ChangeDirection.RISE), (0.6, ChangeDirection.FALL)])
def test_level_shift_is_found_near_its_start(factor, direction):
    changes = detect(daily_counts(3, shift=(400, factor)))
    shifts = [c for c in changes if c.kind is ChangeKind.LEVEL_SHIFT]
    assert len(shifts) == 1
    shift = shifts[0]
    assert shift.direction is direction
    assert abs((shift.start.date() - day(400)).days) <= 3
    assert shift.end > shift.start
    assert shift.effect_ci[0] < factor - 1 < shift.effect_ci[1]


def test_clean_seasonal_series_rarely_alarm():
    alarms = [len(detect(daily_counts(100 + seed, nowruz_dip=0.4))) for seed in range(16)]
    # 16 series x 2 years at alpha 0.05: BH over a year of tests per series keeps alarms rare
    assert sum(alarms) <= 4
    assert sum(a > 0 for a in alarms) <= 3


def test_nowruz_dip_is_explained_by_the_calendar():
    series = daily_counts(7, nowruz_dip=0.6)
    with_calendar = detect(series)
    assert not [c for c in with_calendar if c.direction is ChangeDirection.FALL]
    without = detect(series, holidays=None)
    falls = [c for c in without if c.direction is ChangeDirection.FALL]
    assert falls and any(date(2024, 3, 18) <= c.start.date() <= date(2024, 4, 3) for c in falls)


def test_since_evaluates_only_the_new_part():
    series = daily_counts(4, spike=(600, 2.5))
    full = detect(series)
    assert any(c.start.date() == day(600) for c in full)
    recent = detect(series, since=day(590))
    assert [c.start.date() for c in recent] == [day(600)]
    assert detect(series, since=day(650)) == []


def test_detect_many_applies_fdr_across_series():
    many = {f"s{i}": daily_counts(200 + i) for i in range(4)}
    many["spiky"] = daily_counts(5, spike=(500, 3.0))
    found = detect_many(many)
    assert [c.start.date() for c in found["spiky"]] == [day(500)]
    assert found["spiky"][0].series == "spiky"
    assert sum(len(v) for k, v in found.items() if k != "spiky") <= 1


def test_bh_q_values_match_the_step_up_rule():
    p = np.array([0.01, 0.04, 0.03, 0.2])
    # sorted: 0.01*4/1=0.04, 0.03*4/2=0.06, 0.04*4/3=0.0533 -> 0.0533 (monotone), 0.2*4/4=0.2
    assert np.allclose(bh_q_values(p), [0.04, 0.0533333, 0.0533333, 0.2])
    assert np.allclose(bh_q_values(np.array([0.01]), family_size=10), [0.1])
    assert bh_q_values(np.array([])).size == 0


def test_amount_series_use_the_log_normal_test():
    rng = np.random.default_rng(9)
    stamps = [START + timedelta(days=i) for i in range(400)]
    revenue = 1000 * np.exp(rng.normal(0, 0.1, 400))
    revenue[300:] *= 0.5
    series = Series(stamps, revenue.tolist(), key="revenue")
    assert not is_count_series(np.asarray(series.values))
    changes = detect(series, holidays=None)
    main = min(changes, key=lambda c: c.p_value)
    assert (main.kind, main.direction, main.start.date()) == (
        ChangeKind.LEVEL_SHIFT,
        ChangeDirection.FALL,
        day(300),
    )
    assert abs(main.effect + 0.5) < 0.1


def test_hourly_grain_finds_an_hour_spike():
    rng = np.random.default_rng(11)
    hours = 24 * 7 * 12
    t = np.arange(hours)
    mu = 40 * (1.2 + np.sin(2 * np.pi * (t % 24) / 24)) * WEEKDAY[(t // 24) % 7]
    peak = hours - 42  # 06:00, the busiest hour
    mu[peak] *= 3.0
    from datetime import datetime

    stamps = [datetime(2024, 1, 1) + timedelta(hours=int(i)) for i in t]
    y = rng.poisson(mu).astype(float)
    changes = detect(Series(stamps, y.tolist()), grain="hour", holidays=None)
    assert [(c.kind, c.start) for c in changes] == [(ChangeKind.SPIKE, stamps[peak])]


def test_bad_input_is_refused_clearly():
    with pytest.raises(ValueError, match="timestamps"):
        Series([START], [1.0, 2.0])
    with pytest.raises(ValueError, match="grain"):
        detect(daily_counts(1, days=100), grain="week")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="alpha"):
        detect(daily_counts(1, days=100), alpha=0)
    assert detect(Series([], [])) == []
