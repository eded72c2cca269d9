"""Campaign lift: what the outcome would have been without the campaign, and how far the actual is above it.

A regression fitted on the days before the campaign (intercept, linear trend, day-of-week effects, holiday
dummies, yearly Fourier terms when there are two years of history, and an optional control series that the
campaign did not reach) predicts the campaign window. The lift is the sum of actual minus predicted. Its
interval comes from a sieve bootstrap: an autoregression fitted to the pre-period residuals generates new
noise with the same autocorrelation, for the pre-period (the model is refitted on it, so the error of the
fitted trend and effects is counted) and for the window (the noise of the days being summed).

Formulas: docs/formulas-marketing.md §2 (`measure_lift`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from numpy.typing import NDArray

from peyvand.analysis.campaigns.intervals import Floats, Interval
from peyvand.analysis.campaigns.noise import NoiseModel, forecast_errors, noise_model

FloatArray = NDArray[np.float64]
Holidays = Collection[date] | Mapping[date, str]
YEAR_DAYS = 365.25
NO_SEASON_NOTE = (
    "no yearly seasonality in the model (it needs two years of history, or a control series that shares "
    "the season): a seasonal swing in the window counts as lift"
)
SHORT_HISTORY_DAYS = 90  # below this, the measured false-positive rate climbs above alpha (docs §2.4)


class NotEnoughHistory(ValueError):
    """The series holds too few days before (or during) the campaign to measure a lift."""


@dataclass(frozen=True)
class LiftSettings:
    """How `measure_lift` fits and measures; the defaults suit daily orders or revenue."""

    alpha: float = 0.05
    n_boot: int = 2000
    seed: int = 0
    min_pre_days: int = 28
    max_pre_days: int = 1095
    yearly_min_days: int = 730
    fourier_terms: int = 2
    carryover_days: int = 0
    max_noise_order: int = 14
    control_smoothing_days: int = 7


@dataclass(frozen=True)
class CampaignLift:
    """The measured lift of one campaign on one outcome series, summed over the measurement window."""

    start: date
    end: date
    days_measured: int
    pre_days: int
    actual: float
    counterfactual: float
    lift: float
    lift_interval: Interval
    relative_lift: float | None
    relative_interval: Interval | None
    p_value: float
    alpha: float
    terms: tuple[str, ...]
    pre_fit_r2: float
    residual_autocorrelation: float
    noise_order: int
    days: tuple[date, ...]
    daily_actual: tuple[float, ...]
    daily_counterfactual: tuple[float, ...]
    notes: tuple[str, ...] = ()

    @property
    def significant(self) -> bool:
        return self.lift_interval.excludes_zero

    @property
    def daily_lift(self) -> float:
        return self.lift / self.days_measured


@dataclass(frozen=True)
class _Series:
    first: date
    y: FloatArray
    control: FloatArray | None


@dataclass(frozen=True)
class _Design:
    start: date
    end: date
    pre: NDArray[np.intp]
    window: NDArray[np.intp]
    x: FloatArray
    terms: tuple[str, ...]
    notes: tuple[str, ...]


def measure_lift(
    dates: Sequence[date],
    outcome: Floats,
    *,
    start: date,
    end: date,
    control: Floats | None = None,
    holidays: Holidays = (),
    level_shifts: Collection[date] = (),
    settings: LiftSettings | None = None,
) -> CampaignLift:
    """Measure a campaign's lift on a daily outcome (`measure_lift` in the formulas).

    `dates` and `outcome` (and `control`, when given) are aligned; missing days are allowed. The window is
    `start` to `end` plus `settings.carryover_days`; the pre-period is every observed day before `start`
    (the latest `settings.max_pre_days`). `level_shifts` are days from which the outcome moved to a new
    level for a known reason (a price change, a new store); each inside the history gets a step term.
    Raises `NotEnoughHistory` when either period is too short.
    """
    settings = settings or LiftSettings()
    if end < start:
        raise ValueError(f"campaign ends ({end}) before it starts ({start})")
    series = _align(dates, outcome, control, settings.control_smoothing_days)
    last = end + timedelta(days=settings.carryover_days)
    design = _design(series, (start, last), holidays, tuple(level_shifts), settings)
    y_pre, x_pre, x_win = series.y[design.pre], design.x[design.pre], design.x[design.window]
    beta, *_ = np.linalg.lstsq(x_pre, y_pre, rcond=None)
    residuals = y_pre - x_pre @ beta
    if np.abs(residuals).max() <= 1e-9 * max(1.0, float(np.abs(y_pre).max())):
        residuals = np.zeros_like(residuals)  # an exact fit: rounding noise is not noise
    noise = noise_model(residuals, settings.max_noise_order)
    errors = forecast_errors(noise, x_pre, x_win, settings.n_boot, settings.seed)
    predicted = x_win @ beta
    actual_days = series.y[design.window]
    return _summarise(series, design, actual_days, predicted, errors, residuals, y_pre, noise, settings)


def _align(dates: Sequence[date], outcome: Floats, control: Floats | None, smoothing: int) -> _Series:
    if len(dates) != len(outcome) or (control is not None and len(control) != len(dates)):
        raise ValueError("dates, outcome and control must have the same length")
    if not dates:
        raise NotEnoughHistory("the outcome series is empty")
    first = min(dates)
    offsets = np.array([(day - first).days for day in dates], dtype=np.intp)
    if len(np.unique(offsets)) != len(offsets):
        raise ValueError("dates must not repeat")
    size = int(offsets.max()) + 1
    y = np.full(size, np.nan)
    y[offsets] = np.asarray(outcome, dtype=float)
    aligned_control = None
    if control is not None:
        aligned_control = np.full(size, np.nan)
        aligned_control[offsets] = np.asarray(control, dtype=float)
        aligned_control = _centred_mean(aligned_control, smoothing)
    return _Series(first, y, aligned_control)


def _centred_mean(values: FloatArray, width: int) -> FloatArray:
    """Centred moving mean over `width` days, skipping missing days; missing where all `width` are."""
    if width <= 1:
        return values
    present = np.isfinite(values)
    kernel = np.ones(width)
    total = np.convolve(np.where(present, values, 0.0), kernel, mode="same")
    count = np.convolve(present.astype(float), kernel, mode="same")
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / count, np.nan)


def _design(
    series: _Series,
    span: tuple[date, date],
    holidays: Holidays,
    level_shifts: tuple[date, ...],
    settings: LiftSettings,
) -> _Design:
    start, last = span
    size = len(series.y)
    days = np.arange(size)
    observed = np.isfinite(series.y)
    if series.control is not None:
        observed &= np.isfinite(series.control)
    start_offset, last_offset = (start - series.first).days, (last - series.first).days
    pre = days[observed & (days < start_offset) & (days >= start_offset - settings.max_pre_days)]
    window = days[observed & (days >= start_offset) & (days <= last_offset)]
    if len(pre) < settings.min_pre_days:
        raise NotEnoughHistory(
            f"{len(pre)} days before the campaign; at least {settings.min_pre_days} needed"
        )
    if len(window) == 0:
        raise NotEnoughHistory("no observed day inside the campaign window")
    notes: tuple[str, ...] = ()
    columns, terms = _base_columns(series.first, days, pre, settings)
    for name, (extra, extra_notes) in (
        ("holidays", _holiday_columns(series.first, size, pre, window, holidays)),
        ("level_shifts", _shift_columns(series.first, days, pre, level_shifts)),
    ):
        columns.extend(extra)
        terms.extend([name] if extra else [])
        notes += extra_notes
    if series.control is not None:
        columns.append(np.nan_to_num(series.control))
        terms.append("control")
    notes += _warnings(len(pre), len(window), last_offset - start_offset + 1, terms)
    return _Design(start, last, pre, window, np.column_stack(columns), tuple(terms), notes)


def _warnings(pre_days: int, window_days: int, window_length: int, terms: list[str]) -> tuple[str, ...]:
    notes = []
    if window_days < window_length:
        notes.append(f"{window_days} of {window_length} window days observed")
    if "yearly_fourier" not in terms and "control" not in terms:
        notes.append(NO_SEASON_NOTE)
    if pre_days < SHORT_HISTORY_DAYS:
        notes.append(f"only {pre_days} days of history: below {SHORT_HISTORY_DAYS} the interval runs narrow")
    return tuple(notes)


def _base_columns(
    first: date, days: NDArray[np.intp], pre: NDArray[np.intp], settings: LiftSettings
) -> tuple[list[FloatArray], list[str]]:
    trend = (days - pre[0]) / YEAR_DAYS
    weekday = (days + first.weekday()) % 7
    columns: list[FloatArray] = [np.ones(len(days)), trend.astype(float)]
    columns += [(weekday == k).astype(float) for k in range(1, 7)]
    terms = ["intercept", "trend", "day_of_week"]
    if pre[-1] - pre[0] + 1 >= settings.yearly_min_days:
        angle = 2 * np.pi * (days + first.toordinal()) / YEAR_DAYS
        for k in range(1, settings.fourier_terms + 1):
            columns += [np.sin(k * angle), np.cos(k * angle)]
        terms.append("yearly_fourier")
    return columns, terms


def _shift_columns(
    first: date, days: NDArray[np.intp], pre: NDArray[np.intp], level_shifts: tuple[date, ...]
) -> tuple[list[FloatArray], tuple[str, ...]]:
    """A step 1{day >= shift} for each shift with observed history on both sides of it."""
    columns, notes = [], []
    for shift in sorted(set(level_shifts)):
        offset = (shift - first).days
        if pre[0] < offset <= pre[-1]:
            columns.append((days >= offset).astype(float))
        elif offset > pre[-1]:
            notes.append(
                f"level shift on {shift.isoformat()} is not in the history; its effect counts as lift"
            )
    return columns, tuple(notes)


def _holiday_columns(
    first: date, size: int, pre: NDArray[np.intp], window: NDArray[np.intp], holidays: Holidays
) -> tuple[list[FloatArray], tuple[str, ...]]:
    labels = holidays if isinstance(holidays, Mapping) else dict.fromkeys(holidays, "holiday")
    groups: dict[str, FloatArray] = {}
    for day, label in labels.items():
        offset = (day - first).days
        if 0 <= offset < size:
            groups.setdefault(label, np.zeros(size))[offset] = 1.0
    columns, notes = [], []
    for label, column in sorted(groups.items()):
        if column[pre].any():
            columns.append(column)
        elif column[window].any():
            notes.append(
                f"holiday '{label}' falls in the window but not in the history; its effect counts as lift"
            )
    return columns, tuple(notes)


def _summarise(
    series: _Series,
    design: _Design,
    actual_days: FloatArray,
    predicted: FloatArray,
    errors: FloatArray,
    residuals: FloatArray,
    y_pre: FloatArray,
    noise: NoiseModel,
    settings: LiftSettings,
) -> CampaignLift:
    actual, counterfactual = float(actual_days.sum()), float(predicted.sum())
    lift = actual - counterfactual
    q_low, q_high, level = settings.alpha / 2, 1 - settings.alpha / 2, 1 - settings.alpha
    relative, relative_interval = _relative(actual, counterfactual, errors, q_low, q_high, level)
    days = tuple(series.first + timedelta(days=int(k)) for k in design.window)
    return CampaignLift(
        start=design.start,
        end=design.end,
        days_measured=len(days),
        pre_days=len(design.pre),
        actual=actual,
        counterfactual=counterfactual,
        lift=lift,
        lift_interval=_quantile_interval(lift - errors, q_low, q_high, level),
        relative_lift=relative,
        relative_interval=relative_interval,
        p_value=_p_value(lift, errors),
        alpha=settings.alpha,
        terms=design.terms,
        pre_fit_r2=_r2(y_pre, residuals),
        residual_autocorrelation=_lag1(residuals),
        noise_order=noise.order,
        days=days,
        daily_actual=tuple(map(float, actual_days)),
        daily_counterfactual=tuple(map(float, predicted)),
        notes=design.notes,
    )


def _relative(
    actual: float, counterfactual: float, errors: FloatArray, q_low: float, q_high: float, level: float
) -> tuple[float | None, Interval | None]:
    """Lift over the counterfactual, with the interval of (actual - Y0) / Y0 over the bootstrap Y0."""
    if counterfactual <= 0:
        return None, None
    without = counterfactual + errors
    without = without[without > 0]
    relative = (actual - counterfactual) / counterfactual
    if len(without) == 0:
        return relative, None
    return relative, _quantile_interval((actual - without) / without, q_low, q_high, level)


def _quantile_interval(draws: FloatArray, q_low: float, q_high: float, level: float) -> Interval:
    low, high = np.quantile(draws, [q_low, q_high])
    return Interval(float(low), float(high), level)


def _p_value(lift: float, errors: FloatArray) -> float:
    """Two-sided, equal-tailed bootstrap p-value of a lift as large as the one measured under no effect."""
    above = (1 + np.count_nonzero(errors >= lift)) / (len(errors) + 1)
    below = (1 + np.count_nonzero(errors <= lift)) / (len(errors) + 1)
    return float(min(1.0, 2 * min(above, below)))


def _r2(y: FloatArray, residuals: FloatArray) -> float:
    total = float(((y - y.mean()) ** 2).sum())
    return 1.0 - float((residuals**2).sum()) / total if total > 0 else 0.0


def _lag1(residuals: FloatArray) -> float:
    centred = residuals - residuals.mean()
    denominator = float((centred**2).sum())
    return float((centred[1:] * centred[:-1]).sum()) / denominator if denominator > 0 else 0.0
