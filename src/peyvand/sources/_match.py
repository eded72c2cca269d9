"""Does a text mention the brand, a product or a competitor; is an author the brand itself?

Matching runs on normalised text (Persian and English): `peyvand.text.normalise`'s matching key where
installed (else a local equivalent): Arabic ي/ى/ك become Persian ی/ک, diacritics and tatweel go, Persian
and Arabic digits become ASCII, case is folded; then the zero-width non-joiner becomes a space. An alias
matches at a word start; aliases ending in a Latin letter or digit must also end at a word end ("Tea"
does not match "steam"), while Persian ones may carry suffixes ("برندها").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from peyvand.domain.brand import BrandProfile

_TRANSLATE = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "ۀ": "ه",
        "ة": "ه",
        "\u200c": " ",
        "\u200d": " ",
        "\u00a0": " ",
        "\u0640": None,
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        **{chr(0x0660 + i): str(i) for i in range(10)},
    }
)
_MARKS = re.compile(r"[\u064B-\u065F\u0670\u0654\u0655]")
_SPACES = re.compile(r"\s+")


def _local_normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    text = _MARKS.sub("", text)
    return _SPACES.sub(" ", text).strip().casefold()


_text_key: Callable[[str], str] | None
try:  # the text-understanding normaliser, when this install has it; the local one is the fallback
    from peyvand.text.normalise import normalise_key as _text_key
except ImportError:  # pragma: no cover - depends on the install
    _text_key = None


def normalise(text: str) -> str:
    """Normalised text for matching: `peyvand.text`'s matching key when available, else the local form,
    then with ZWNJ as a space and runs of spaces collapsed so "چای‌سبز" matches "چای سبز"."""
    if _text_key is None:
        return _local_normalise(text)
    return _SPACES.sub(" ", _text_key(text).replace("\u200c", " ")).strip()


def _pattern(aliases: Iterable[str]) -> re.Pattern[str] | None:
    parts = []
    for alias in sorted({normalise(a) for a in aliases if a and a.strip()}, key=len, reverse=True):
        if not alias:
            continue
        end = r"(?!\w)" if alias[-1].isascii() and alias[-1].isalnum() else ""
        parts.append(re.escape(alias) + end)
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")")


class BrandMatcher:
    """The brand profile's names compiled once for matching texts and authors."""

    def __init__(self, brand: BrandProfile | None) -> None:
        self.brand = brand
        handles = brand.handles if brand else []
        names = brand.brand_names if brand else []
        self.handles = frozenset(h.lower() for h in handles)
        self.own_names = frozenset(normalise(n) for n in [*names, *handles])
        self._brand = _pattern([*names, *(f"@{h}" for h in handles)])
        self._products = _pattern(n for p in (brand.products if brand else []) for n in p.names)
        self._competitors = _pattern(n for c in (brand.competitors if brand else []) for n in c.all_names)

    def is_own(self, *, name: str | None = None, handle: str | None = None) -> bool:
        """Whether an author is the brand itself, by its handle or its display name."""
        if handle and handle.strip().lstrip("@").lower() in self.handles:
            return True
        return bool(name) and normalise(name or "") in self.own_names

    def mentions(self, text: str) -> str | None:
        """What the text mentions first in importance: "brand", "product", "competitor", or None."""
        if not text:
            return None
        normal = normalise(text)
        for label, pattern in (
            ("brand", self._brand),
            ("product", self._products),
            ("competitor", self._competitors),
        ):
            if pattern is not None and pattern.search(normal):
                return label
        return None


NOT_MENTIONED = "does not mention the brand, a product or a competitor"
