"""`peyvand route`: the routing decision of each canonical item, computed without a database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from peyvand.domain.brand import BrandProfile
from peyvand.domain.items import ItemError, parse_item
from peyvand.domain.routing import Rule
from peyvand.sources import jsonl
from peyvand.sources.base import SourceContext
from peyvand.text.enrich import TextAnalyzer
from peyvand.text.understand import understand


def route_lines(
    stream: IO[bytes], brand: BrandProfile, rules: tuple[Rule, ...] | None = None, *, locale: str = "en"
) -> Iterator[dict[str, Any]]:
    """One contract object per input line (DESIGN §4); an invalid line gives {"line", "error"}."""
    analyzer = TextAnalyzer(brand)
    for record in jsonl.parse(stream, context=SourceContext(brand=brand)):
        if record.item is None:
            yield {"line": record.line, "error": record.reject or record.filtered}
            continue
        try:
            item = parse_item(record.item, incoming=True)
        except ItemError as exc:
            yield {"line": record.line, "id": record.item.get("id"), "error": str(exc)}
            continue
        yield understand(item, analyzer, rules, locale=locale).contract(item.id)
