"""The app's routes, enumerated from the app itself, so a route added later is covered by the security
tests without anyone remembering to list it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

try:  # FastAPI ≥ 0.160 keeps included routers lazily; this walks them
    from fastapi.routing import iter_route_contexts
except ImportError:  # pragma: no cover - older FastAPI lists every route on app.routes
    iter_route_contexts = None

PARAM = re.compile(r"\{([^}:]+)(?::[^}]+)?\}")


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    dependencies: tuple[str, ...]

    @property
    def params(self) -> list[str]:
        return PARAM.findall(self.path)

    @property
    def is_page(self) -> bool:
        """A page of the web app (the API under /api/ authenticates with tokens and signatures)."""
        return not self.path.startswith(("/api/", "/static", "/vendor", "/docs", "/redoc"))

    def fill(self, values: dict[str, Any]) -> str:
        return PARAM.sub(lambda m: str(values[m.group(1)]), self.path)


def _dependency_names(route: Any) -> tuple[str, ...]:
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return ()
    names = []
    for dep in dependant.dependencies:
        call = getattr(dep, "call", None)
        names.append(getattr(call, "__name__", repr(call)))
    return tuple(names)


def _raw_routes(app: FastAPI) -> Iterator[Any]:
    if iter_route_contexts is not None:
        yield from iter_route_contexts(app.routes)
    else:  # pragma: no cover
        yield from app.routes


def app_routes(app: FastAPI) -> list[Route]:
    """Every (method, path) the app answers, with the names of the dependencies it runs."""
    found = []
    for route in _raw_routes(app):
        path = getattr(route, "path", None)
        for method in sorted(getattr(route, "methods", None) or ()):
            if method != "HEAD" and path:
                found.append(Route(method, path, _dependency_names(route)))
    return found
