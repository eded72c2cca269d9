"""Helpers shared by the demo tests (the fixtures live in conftest.py)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field


@dataclass
class Summary:
    """What the tests need from the full stream of one workspace."""

    kinds: Counter[str] = field(default_factory=Counter)
    inbound: int = 0
    outbound: int = 0
    texts: list[dict[str, object]] = field(default_factory=list)
    metrics: dict[tuple[str, tuple[tuple[str, object], ...]], dict[str, float]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    event_days: Counter[str] = field(default_factory=Counter)


def series_key(metric: str, dims: dict[str, object]) -> tuple[str, tuple[tuple[str, object], ...]]:
    return metric, tuple(sorted(dims.items()))


ARABIC = str.maketrans({"ي": "ی", "ك": "ک"})


def normal(text: str) -> str:
    """Enough normalisation for the tests' term counting: Persian letters, lower case, ZWNJ as a space."""
    return re.sub("\u200c", " ", text.translate(ARABIC)).lower()
