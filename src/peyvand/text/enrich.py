"""The enrichment of one text item (DESIGN §2), behind one interface: `TextAnalyzer.enrich`.

A `TextAnalyzer` is built once per brand profile (it compiles the alias and attribute matchers) and is then
a pure function of the text and its author's metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from peyvand.domain.brand import BrandProfile
from peyvand.domain.items import Author


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


class TextAnalyzer:
    """Interim analyzer: normalises and matches aliases; the text-understanding issue replaces the rest."""

    def __init__(self, brand: BrandProfile) -> None:
        self.brand = brand
        self._handles = {h for h in brand.handles}

    def enrich(self, text: str, *, author: Author, source: str, kind: str) -> Enrichment:
        lowered = text.lower()
        language = "fa" if re.search(r"[\u0600-\u06FF]", text) else ("en" if text.strip() else "other")
        addressed = any(f"@{h}" in lowered for h in self._handles)
        products = tuple(
            p.key for p in self.brand.products if any(n.lower() in lowered for n in p.names)
        )
        competitors = tuple(
            c.key for c in self.brand.competitors if any(n.lower() in lowered for n in c.all_names)
        )
        return Enrichment(
            language=language,
            normalised=lowered,
            sentiment="neutral",
            sentiment_score=0.0,
            sentiment_provisional=True,
            intent="other",
            audience="public",
            products=products,
            competitors=competitors,
            mentions_brand=any(n.lower() in lowered for n in self.brand.brand_names),
            addressed_to_brand=addressed,
        )
