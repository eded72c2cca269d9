"""Peyvand: a self-hosted communications desk for Digital PR and Digital Marketing, Persian first.

The library API (the same operations the CLI uses) is `peyvand.load_brand`, `peyvand.route` and
`peyvand.open(url)` returning a `Desk` with `create_workspace`, `ingest` and `items`. See the README.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["Desk", "load_brand", "open", "route"]


def __getattr__(name: str) -> Any:
    """Import the library lazily, so `import peyvand` stays cheap and creates nothing."""
    if name in __all__:
        from peyvand import library

        return getattr(library, name)
    raise AttributeError(name)
