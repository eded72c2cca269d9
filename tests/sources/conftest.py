"""Fixtures for the source parser tests: the invented brand "Nahal Tea" and the sample payloads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from peyvand.domain.brand import BrandProfile, parse_brand
from peyvand.domain.items import parse_item
from peyvand.sources import parse_path
from peyvand.sources.base import Record, SourceContext

PAYLOADS = Path(__file__).resolve().parents[1] / "payloads"

BRAND = {
    "brand": {
        "name": "Nahal Tea",
        "aliases": ["نهال", "چای نهال", "Nahal", "@nahaltea", "@nahal_support"],
        "timezone": "Asia/Tehran",
    },
    "products": [
        {"key": "green-tea", "names": ["green tea", "چای سبز"]},
        {"key": "herbal", "names": ["دمنوش", "herbal infusion"]},
    ],
    "competitors": [{"name": "Kohsar", "aliases": ["کوهسار", "Kohsar Tea"]}],
}


@pytest.fixture
def brand() -> BrandProfile:
    return parse_brand(BRAND)


@pytest.fixture
def context(brand: BrandProfile) -> SourceContext:
    return SourceContext(brand=brand)


@pytest.fixture
def payloads() -> Path:
    return PAYLOADS


Runner = Callable[..., list[Record]]


@pytest.fixture
def run(context: SourceContext) -> Runner:
    """Parse a path with `parse_path` and check every item is a valid canonical item."""

    def _run(path: Path | str, *, ctx: SourceContext | None = None, format: str = "auto") -> list[Record]:
        records = list(parse_path(path, context=ctx or context, format=format))
        for record in records:
            if record.item is not None:
                parse_item(record.item)
        return records

    return _run


def items_of(records: list[Record]) -> list[dict[str, Any]]:
    return [r.item for r in records if r.item is not None]


@pytest.fixture
def items() -> Callable[[list[Record]], list[dict[str, Any]]]:
    return items_of
