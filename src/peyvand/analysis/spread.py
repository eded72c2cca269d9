"""Content spread: where PR content was picked up, how far it reached, and whether it keeps travelling.

A pickup is a later mention that links to the piece (URLs compared after `normalise_url`) or repeats
its text (Jaccard similarity of word 3-shingles of `normalise_text` ≥ 0.5). Candidates for the text
match come from a MinHash / LSH index (numpy, 120 permutations in 40 bands of 3 rows) and are then
verified with the exact Jaccard similarity, so the result does not depend on the hashing.
Formulas are in `docs/formulas-pr.md`.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

import numpy as np
from scipy.stats import binom

from peyvand.analysis.reputation import Mention

_CHARACTERS = str.maketrans(
    {
        "\u064a": "\u06cc",  # Arabic yeh → Persian yeh
        "\u0649": "\u06cc",  # alef maksura → Persian yeh
        "\u0643": "\u06a9",  # Arabic kaf → Persian keheh
        "\u0629": "\u0647",  # teh marbuta → heh
        "\u06c0": "\u0647",  # heh with yeh above → heh
        "\u0623": "\u0627",  # alef with hamza above → alef
        "\u0625": "\u0627",  # alef with hamza below → alef
        "\u200c": " ",  # zero-width non-joiner → space
        **{chr(c): None for c in (0x200B, 0x200D, 0x200E, 0x200F, 0xFEFF, 0x0640)},  # invisibles, tatweel
        **{chr(c): None for c in [*range(0x064B, 0x0660), 0x0670]},  # diacritics (harakat, superscript alef)
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    }
)
_NOT_WORD = re.compile(r"[^\w\s]|_")
_PREFIX = re.compile(r"(?<!\S)(ن?می) (?=\S)")  # verbal prefix می / نمی
_SUFFIX = re.compile(r"(?<=\S) (ها|های|هایی|تر|ترین)(?!\S)")  # plural and comparative suffixes
_LINK = re.compile(r"(?:https?://|www\.)[^\s<>\"'«»]+", re.IGNORECASE)
_LINK_TAIL = ".,;:!?)]}،؛؟"
_TRACKERS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "igshid", "mc_cid", "mc_eid"})


def normalise_text(text: str) -> str:
    """Persian-aware normal form for matching: one yeh and kaf, ASCII digits, no diacritics or ZWNJ.

    ZWNJ becomes a space; then می/نمی and the suffixes ها/های/هایی/تر/ترین are joined to their word,
    so a word written with ZWNJ, with a space or with nothing between its parts reads the same.
    """
    folded = text.translate(_CHARACTERS).casefold()
    spaced = " ".join(_NOT_WORD.sub(" ", folded).split())
    return _SUFFIX.sub(r"\1", _PREFIX.sub(r"\1", spaced))


def shingles(text: str, size: int = 3) -> frozenset[str]:
    """The word `size`-shingles of the normalised text (the whole text when it has fewer words)."""
    words = normalise_text(text).split()
    if len(words) <= size:
        return frozenset({" ".join(words)}) if words else frozenset()
    return frozenset(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def normalise_url(url: str) -> str:
    """Host + path + query, without scheme, `www.`, default port, trailing slash, fragment or trackers.

    utm_* and click-id parameters are dropped, the rest sorted; the path is percent-decoded so a Persian
    slug matches its encoded form. An address that cannot be read (a port out of range, `javascript:…`)
    is only lower-cased.
    """
    raw = url.strip()
    try:  # addresses come from outside: a bad port or IPv6 literal is kept as written, never an error
        parts = urlsplit(raw if "://" in raw or raw.startswith("//") else "//" + raw)
        port = parts.port
    except ValueError:
        return raw.lower()
    host = (parts.hostname or "").removeprefix("www.")
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKERS
    )
    path = unquote(parts.path).rstrip("/")
    return host + path + ("?" + urlencode(query) if query else "")


def links_of(mention: Mention) -> set[str]:
    """The normalised URLs a mention links to: its `links` and any URL written in its text."""
    found = [*mention.links, *(m.group().rstrip(_LINK_TAIL) for m in _LINK.finditer(mention.text))]
    return {normalise_url(link) for link in found if link}


class MinHasher:
    """MinHash signatures with the universal hashes (a·x + b) mod (2³¹ − 1), seeded for reproducibility."""

    PRIME = (1 << 31) - 1

    def __init__(self, num_perm: int = 120, seed: int = 20240601) -> None:
        rng = np.random.default_rng(seed)
        self.a = rng.integers(1, self.PRIME, size=(num_perm, 1), dtype=np.uint64)
        self.b = rng.integers(0, self.PRIME, size=(num_perm, 1), dtype=np.uint64)

    def signature(self, items: frozenset[str]) -> np.ndarray:
        x = np.fromiter(
            (int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest()) % self.PRIME for s in items),
            dtype=np.uint64,
            count=len(items),
        )
        result: np.ndarray = ((self.a * x + self.b) % np.uint64(self.PRIME)).min(axis=1)
        return result


@dataclass(frozen=True, slots=True)
class ContentPiece:
    """A piece of PR content registered for spread tracking."""

    id: str
    title: str
    url: str | None
    text: str
    published_at: datetime


@dataclass(frozen=True, slots=True)
class Pickup:
    """A mention that picked up a piece: by `link`, or by near-duplicate `text` (with its Jaccard)."""

    piece_id: str
    mention_id: str
    at: datetime
    match: Literal["link", "text"]
    similarity: float | None
    reach: int | None
    source: str


class PickupFinder:
    """An index of content pieces that finds the pieces each later mention picks up."""

    def __init__(
        self,
        pieces: Sequence[ContentPiece],
        *,
        threshold: float = 0.5,
        shingle_size: int = 3,
        bands: int = 40,
        rows: int = 3,
    ) -> None:
        self.pieces = list(pieces)
        self.threshold, self.shingle_size, self.bands, self.rows = threshold, shingle_size, bands, rows
        self._hasher = MinHasher(bands * rows)
        self._urls = {i: normalise_url(p.url) for i, p in enumerate(self.pieces) if p.url}
        self._shingles = [shingles(f"{p.title} {p.text}", shingle_size) for p in self.pieces]
        self._buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
        for i, items in enumerate(self._shingles):
            for key in self._band_keys(items):
                self._buckets[key].append(i)

    def _band_keys(self, items: frozenset[str]) -> list[tuple[int, bytes]]:
        if not items:
            return []
        signature = self._hasher.signature(items)
        return [(b, signature[b * self.rows : (b + 1) * self.rows].tobytes()) for b in range(self.bands)]

    def _text_matches(self, mention: Mention) -> dict[int, float]:
        items = shingles(mention.text, self.shingle_size)
        candidates = {i for key in self._band_keys(items) for i in self._buckets.get(key, ())}
        scores = {i: jaccard(items, self._shingles[i]) for i in candidates}
        return {i: s for i, s in scores.items() if s >= self.threshold}

    def match(self, mention: Mention) -> list[Pickup]:
        """The pickups in one mention (one per piece; a link match wins over a text match)."""
        own = normalise_url(mention.url) if mention.url else None
        later = {i for i, p in enumerate(self.pieces) if mention.at >= p.published_at and p.id != mention.id}
        later -= {i for i, u in self._urls.items() if u == own}
        links = links_of(mention)
        by_link = {i for i in later if self._urls.get(i) in links}
        by_text = {i: s for i, s in self._text_matches(mention).items() if i in later - by_link}
        scored: dict[int, float | None] = {**dict.fromkeys(sorted(by_link)), **by_text}
        return [
            Pickup(
                piece_id=self.pieces[i].id,
                mention_id=mention.id,
                at=mention.at,
                match="link" if i in by_link else "text",
                similarity=score,
                reach=mention.reach,
                source=mention.source,
            )
            for i, score in scored.items()
        ]


def find_pickups(
    pieces: Sequence[ContentPiece], mentions: Iterable[Mention], *, threshold: float = 0.5
) -> list[Pickup]:
    """Every pickup of every piece among `mentions`, in mention order."""
    finder = PickupFinder(pieces, threshold=threshold)
    return [pickup for mention in mentions for pickup in finder.match(mention)]


@dataclass(frozen=True, slots=True)
class GrowthCurve:
    """Cumulative pickups and known reach by whole days since publication (day 0 = the first 24 hours)."""

    piece_id: str
    days: tuple[int, ...]
    pickups: tuple[int, ...]
    reach: tuple[int, ...]


def _day_of(piece: ContentPiece, at: datetime) -> int:
    return int((at - piece.published_at) // timedelta(days=1))


def growth_curve(piece: ContentPiece, pickups: Iterable[Pickup], *, as_of: datetime) -> GrowthCurve:
    """The growth curve of one piece up to `as_of`; pickups of other pieces are ignored."""
    last = _day_of(piece, as_of)
    if last < 0:
        return GrowthCurve(piece.id, (), (), ())
    mine = [p for p in pickups if p.piece_id == piece.id and piece.published_at <= p.at <= as_of]
    days = [_day_of(piece, p.at) for p in mine]
    counts = np.bincount(days, minlength=last + 1)
    reach = np.bincount(days, weights=[p.reach or 0 for p in mine], minlength=last + 1)
    return GrowthCurve(
        piece.id,
        tuple(range(last + 1)),
        tuple(int(v) for v in np.cumsum(counts)),
        tuple(int(v) for v in np.cumsum(reach)),
    )


@dataclass(frozen=True, slots=True)
class EarnedReach:
    """The summed reach of the pickups (audiences may overlap: an upper bound), and how many lack reach."""

    pickups: int
    reach: int
    reach_unknown: int


def earned_reach(pickups: Iterable[Pickup]) -> EarnedReach:
    """Earned reach: the sum of known reach over pickups; unknown reach adds nothing and is counted."""
    items = list(pickups)
    return EarnedReach(
        pickups=len(items),
        reach=sum(p.reach or 0 for p in items),
        reach_unknown=sum(1 for p in items if p.reach is None),
    )


@dataclass(frozen=True, slots=True)
class Momentum:
    """Pickups in the last `recent_days` against the days before, and whether the piece keeps growing."""

    recent: int
    earlier: int
    recent_days: float
    earlier_days: float
    p_value: float | None
    keeps_growing: bool


def momentum(
    piece: ContentPiece,
    pickups: Iterable[Pickup],
    *,
    as_of: datetime,
    recent_days: int = 3,
    alpha: float = 0.05,
) -> Momentum:
    """Does the piece keep growing? It does when it got a pickup in the last `recent_days` and its recent
    pickup rate is not significantly lower than before.

    Under equal rates, recent ~ Binomial(recent + earlier, recent_days / age); `p_value` is the one-sided
    P(X ≤ recent). With no earlier window (age ≤ `recent_days`) there is no test.
    """
    age = (as_of - piece.published_at) / timedelta(days=1)
    cut = as_of - timedelta(days=recent_days)
    times = [p.at for p in pickups if p.piece_id == piece.id and piece.published_at <= p.at <= as_of]
    recent = sum(1 for t in times if t > cut)
    earlier = len(times) - recent
    recent_span = min(float(recent_days), max(age, 0.0))
    if age <= recent_days:
        return Momentum(recent, earlier, recent_span, 0.0, None, recent > 0)
    p_value = float(binom.cdf(recent, recent + earlier, recent_days / age))
    return Momentum(recent, earlier, recent_span, age - recent_days, p_value, recent > 0 and p_value >= alpha)
