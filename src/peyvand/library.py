"""The library API: the same operations the CLI uses, for Python programs and notebooks.

import peyvand
brand = peyvand.load_brand("brand.toml")
desk = peyvand.open("peyvand.sqlite")            # or a postgresql+psycopg:// URL
desk.create_workspace(brand, slug="niloofar")
print(desk.ingest("items.jsonl").to_json())       # {"accepted": …, "duplicate": …, …}
for decision in peyvand.route(items, brand): ...  # no database needed
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from peyvand.domain.brand import BrandProfile, load_brand_file
from peyvand.services.access import Actor
from peyvand.services.ingest import IngestSummary, ingest_records
from peyvand.services.workspaces import WorkspaceInfo, create_workspace, resolve_workspace
from peyvand.sources import jsonl
from peyvand.sources.base import Record, SourceContext
from peyvand.storage.db import Store
from peyvand.storage.migrate import upgrade


def load_brand(path: str | Path) -> BrandProfile:
    """Read and validate a brand file (raises BrandFileError naming the file, field and expectation)."""
    return load_brand_file(path)


def route(items: Iterable[dict[str, Any]], brand: BrandProfile) -> Iterator[dict[str, Any]]:
    """The routing decision of each canonical item (the `peyvand route` contract), without a database."""
    from peyvand.domain.items import ItemError, parse_item
    from peyvand.text.enrich import TextAnalyzer
    from peyvand.text.understand import understand

    analyzer = TextAnalyzer(brand)
    for obj in items:
        try:
            item = parse_item(obj, incoming=True)
        except ItemError as exc:
            yield {"id": obj.get("id") if isinstance(obj, dict) else None, "error": str(exc)}
            continue
        yield understand(item, analyzer).contract(item.id)


class Desk:
    """A Peyvand store: workspaces, ingest and queries, acting as the local operator."""

    def __init__(self, url: str, *, secret_key: str | None = None) -> None:
        """`secret_key`: PEYVAND_SECRET_KEY, when the store's secrets are encrypted under it."""
        self.store = Store.from_url(url, secret_key=secret_key)
        upgrade(self.store.engine, secret_key=secret_key)

    def _actor(self, workspace: str | None) -> Actor:
        return Actor.operator(resolve_workspace(self.store, workspace).id)

    def create_workspace(self, brand: BrandProfile, *, slug: str | None = None) -> WorkspaceInfo:
        return create_workspace(self.store, brand=brand, slug=slug)

    def ingest(
        self, source: str | Path | Iterable[dict[str, Any]], *, workspace: str | None = None
    ) -> IngestSummary:
        """Ingest a canonical JSONL file, or an iterable of canonical item dicts."""
        actor = self._actor(workspace)
        if isinstance(source, str | Path):
            with Path(source).open("rb") as stream:
                records = jsonl.parse(stream, context=SourceContext(), name=str(source))
                return ingest_records(
                    self.store, actor, records, label=str(source), format="jsonl", via="library"
                )
        objs = (Record(f"item {i}", item=dict(obj)) for i, obj in enumerate(source, start=1))
        return ingest_records(self.store, actor, objs, label="library", format="objects", via="library")

    def items(self, *, workspace: str | None = None, feedback: str | None = None) -> Iterator[dict[str, Any]]:
        """Stored items with their decisions, oldest first."""
        from peyvand.services.export import iter_items

        return iter_items(self.store, self._actor(workspace), feedback=feedback)

    def close(self) -> None:
        self.store.dispose()


def open(url: str = "peyvand.sqlite") -> Desk:  # noqa: A001  (the library's entry point, like sqlite3.connect)
    """Open (and migrate) a store: a SQLite file path or a SQLAlchemy URL."""
    return Desk(url)


__all__ = ["Desk", "load_brand", "open", "route"]
