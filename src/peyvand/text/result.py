"""The enrichment of one text item (DESIGN §2) as a value: what `TextAnalyzer.enrich` returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class AttributeMention:
    key: str
    polarity: str  # positive | negative | neutral

    def to_dict(self) -> dict[str, str]:
        return {"key": self.key, "polarity": self.polarity}


@dataclass(frozen=True)
class Enrichment:
    language: str
    normalised: str
    sentiment: str
    sentiment_score: float
    sentiment_provisional: bool
    intent: str
    audience: str
    products: tuple[str, ...] = ()
    competitors: tuple[str, ...] = ()
    mentions_brand: bool = False
    addressed_to_brand: bool = False
    sales_signal: bool = False
    sponsorship: bool = False
    attributes: tuple[AttributeMention, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
