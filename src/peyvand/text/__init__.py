"""Text understanding, Persian first: language, normalisation, sentiment, intent, audience, attributes.

The modules every message passes through (`COMPILED`) are compiled with mypyc by `make setup`
(`scripts/compile_text.py`): C extensions built from these very sources, beside them, with the SHA-256 of
each source and the interpreter's extension suffix recorded in `_compiled.json`. They are used only while
that record is complete and every recorded source is unchanged. Otherwise (a source edited since the build,
a build for another interpreter, a module missing, no record or a failed build) or with
`PEYVAND_PURE_PYTHON=1`, a meta-path finder imports all the sources instead (all of them: compiled modules
call each other directly, so a mix would still run the old code), and the log says so when the build is
stale.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path

# The pipeline of one message, cheapest to most expensive to keep in Python: everything `enrich` runs.
COMPILED = (
    "attributes",
    "enrich",
    "finglish",
    "inflect",
    "language",
    "lexicon",
    "matcher",
    "normalise",
    "result",
    "rules",
    "sentiment",
)
HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "_compiled.json"
EXTENSION = importlib.machinery.EXTENSION_SUFFIXES[0]  # this interpreter's compiled modules end so

log = logging.getLogger(__name__)


def source_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stale_sources(manifest: Mapping[str, str], directory: Path) -> list[str]:
    """The modules whose source is missing or differs from the one that was compiled."""
    stale = []
    for name, digest in manifest.items():
        source = directory / f"{name}.py"
        if not source.is_file() or source_digest(source) != digest:
            stale.append(name)
    return stale


class SourcesFirst:
    """A meta-path finder that imports the named modules of this package from their `.py` sources, ahead
    of the compiled extensions beside them."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = frozenset(f"{__name__}.{name}" for name in names)

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> ModuleSpec | None:
        if fullname not in self.names:
            return None
        return importlib.util.spec_from_file_location(fullname, HERE / f"{fullname.rpartition('.')[2]}.py")


def compiled_state() -> str:
    """`compiled` (the mypyc build is in use), `stale` (sources edited since the build, a module missing, or
    a build for another interpreter), `disabled` (PEYVAND_PURE_PYTHON) or `sources` (never built, or the
    build failed)."""
    if os.environ.get("PEYVAND_PURE_PYTHON", "").lower() in ("1", "true", "yes"):
        return "disabled"
    try:
        manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "sources"
    except (OSError, ValueError):
        return "stale"  # unreadable or half-written
    if not isinstance(manifest, dict) or "failed" in manifest:
        return "sources"
    sources = manifest.get("sources", {})
    if (
        manifest.get("suffix") != EXTENSION
        or set(sources) != set(COMPILED)
        or any(not (HERE / f"{name}{EXTENSION}").is_file() for name in COMPILED)
        or stale_sources(sources, HERE)
    ):
        return "stale"
    return "compiled"


STATE = compiled_state()
if STATE != "compiled":  # never a compiled module that is not known to match its source
    sys.meta_path.insert(0, SourcesFirst(COMPILED))
    if STATE == "stale":
        log.warning("peyvand.text: the compiled build does not match the sources; running them (make setup)")
