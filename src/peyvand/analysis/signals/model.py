"""The value types of the signal engine: a metric series in, changes out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

Grain = Literal["day", "hour"]


class ChangeDirection(StrEnum):
    RISE = "rise"
    FALL = "fall"


class ChangeKind(StrEnum):
    SPIKE = "spike"
    LEVEL_SHIFT = "level_shift"


@dataclass(frozen=True)
class Series:
    """A metric series: one value per timestamp; missing periods are simply absent (or NaN).

    `count=None` lets the engine decide: a series of non-negative integers is treated as counts
    (negative-binomial tests), anything else as amounts (log-normal tests).
    """

    timestamps: Sequence[datetime | date]
    values: Sequence[float]
    key: str = ""
    count: bool | None = None

    def __post_init__(self) -> None:
        if len(self.timestamps) != len(self.values):
            raise ValueError(
                f"series {self.key!r}: {len(self.timestamps)} timestamps but {len(self.values)} values"
            )


@dataclass(frozen=True)
class Change:
    """A statistically significant change in a series (a signal, DESIGN §2).

    `effect` is the relative change of the observed values against the expected baseline over the
    window (`observed / baseline - 1`), `effect_ci` its 95% interval. `baseline` and `observed` are
    means per period over the window. `p_value` is the change's own test of that effect, `effect_ci` the
    same test inverted (so p < 0.05 exactly when the interval leaves out 0); `q_value` is the larger of
    the detection's false-discovery adjusted value and `p_value` (docs/formulas-signals.md).
    """

    start: datetime
    end: datetime
    direction: ChangeDirection
    kind: ChangeKind
    effect: float
    effect_ci: tuple[float, float]
    baseline: float
    observed: float
    p_value: float
    q_value: float
    series: str = ""
    holidays: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the CLI contract (DESIGN §4), with the extra fields after the required ones."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "direction": self.direction.value,
            "kind": self.kind.value,
            "effect": round(self.effect, 4),
            "p_value": float(f"{self.p_value:.3g}"),
            "q_value": float(f"{self.q_value:.3g}"),
            "effect_ci": [round(self.effect_ci[0], 4), round(self.effect_ci[1], 4)],
            "baseline": round(self.baseline, 4),
            "observed": round(self.observed, 4),
            "series": self.series,
            "holidays": list(self.holidays),
        }
