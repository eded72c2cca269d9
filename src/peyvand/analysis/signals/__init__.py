"""The signal engine: significant rises and falls (spikes and level shifts) in metric series.

    from peyvand.analysis.signals import Series, detect
    changes = detect(Series(days, visits, key="site_visits"), grain="day")

`detect_many` controls false discoveries across series; `detect_csv` is the `peyvand detect` contract;
`anomaly_scores` is the causal per-row score used on the NAB benchmark. Method: docs/signals.md.
"""

from peyvand.analysis.signals.csvio import detect_csv, read_series
from peyvand.analysis.signals.engine import (
    DEFAULT_CALENDAR,
    ENGINE_HOLIDAYS,
    detect,
    detect_many,
    is_count_series,
)
from peyvand.analysis.signals.model import Change, ChangeDirection, ChangeKind, Grain, Series
from peyvand.analysis.signals.stats import bh_q_values
from peyvand.analysis.signals.stream import StreamSettings, anomaly_scores

__all__ = [
    "DEFAULT_CALENDAR",
    "ENGINE_HOLIDAYS",
    "Change",
    "ChangeDirection",
    "ChangeKind",
    "Grain",
    "Series",
    "StreamSettings",
    "anomaly_scores",
    "bh_q_values",
    "detect",
    "detect_csv",
    "detect_many",
    "is_count_series",
    "read_series",
]
