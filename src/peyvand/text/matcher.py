"""Find names and cue phrases in a token list with word boundaries, Persian and English.

A `PhraseMatcher` is compiled once from (phrase, key) pairs: every spelling of every phrase (ZWNJ, space or
joined; inflected last word) goes into one dict from token tuples to keys, with the possible phrase
lengths per first token. Matching a message is one dict lookup per token (plus one per candidate length
where a phrase could start): linear in the message length, and word boundaries come for free because
whole tokens are compared. Matchers combine (`PhraseMatcher.combine`), so the analyzer finds cue words,
brand names and attribute terms in a single pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from peyvand.domain.brand import BrandProfile
from peyvand.text.inflect import inflections, spellings

Tokens = tuple[str, ...]

BRAND = "name:brand"
HANDLE = "name:handle"
PRODUCT = "name:product:"
COMPETITOR = "name:competitor:"
ATTRIBUTE = "attribute:"


class Match(NamedTuple):
    start: int
    end: int  # exclusive
    keys: tuple[str, ...]


class PhraseMatcher:
    def __init__(
        self, phrases: Iterable[tuple[str, str]] = (), *, inflect: bool = True, flexible: bool = False
    ) -> None:
        """`flexible`: a space in a phrase also matches a ZWNJ or nothing (names from a brand file)."""
        exact: dict[Tokens, list[str]] = {}
        generated: dict[Tokens, list[str]] = {}
        for text, key in phrases:
            for tokens in spellings(text, flexible=flexible and not text.startswith("@")):
                exact.setdefault(tokens, []).append(key)
                if inflect and not tokens[-1].startswith(("@", "#")):
                    for form in inflections(tokens[-1]):
                        generated.setdefault((*tokens[:-1], form), []).append(key)
        generated.update(exact)
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._phrases = {}
        for tokens, keys in generated.items():
            unique = tuple(dict.fromkeys(keys))
            self._phrases[tokens] = shared.setdefault(unique, unique)
        self._lengths, self._seconds = _index(self._phrases)

    @classmethod
    def combine(cls, *matchers: PhraseMatcher) -> PhraseMatcher:
        """One matcher holding the phrases of several (a form in more than one keeps every key).

        The first matcher and its index are copied whole (dict copies run at C speed) and the others are
        added to them, so combining the shared cue matcher (tens of thousands of forms, first) with one
        brand's names costs milliseconds, not the tenth of a second re-indexing everything would."""
        combined = cls()
        if not matchers:
            return combined
        first = matchers[0]
        combined._phrases = dict(first._phrases)
        combined._lengths, combined._seconds = dict(first._lengths), dict(first._seconds)
        for matcher in matchers[1:]:
            for tokens, keys in matcher._phrases.items():
                combined._add(tokens, keys)
        return combined

    def _add(self, tokens: Tokens, keys: tuple[str, ...]) -> None:
        old = self._phrases.get(tokens)
        self._phrases[tokens] = keys if old is None else tuple(dict.fromkeys(old + keys))
        head, n = tokens[0], len(tokens)
        lengths = self._lengths.get(head, ())
        if n not in lengths:
            self._lengths[head] = tuple(sorted((*lengths, n), reverse=True))
        if n > 1:
            seconds = self._seconds.get(head, frozenset())
            if tokens[1] not in seconds:
                self._seconds[head] = seconds | {tokens[1]}

    def __bool__(self) -> bool:
        return bool(self._phrases)

    def find_all(self, tokens: Sequence[str]) -> list[Match]:
        """Every phrase occurrence, overlapping ones included (the longest first at each position)."""
        lengths, phrases, seconds, n = self._lengths, self._phrases, self._seconds, len(tokens)
        found: list[Match] = []
        for i in [i for i, token in enumerate(tokens) if token in lengths]:
            token = tokens[i]
            for length in lengths[token]:
                if length > 1 and (i + 1 >= n or tokens[i + 1] not in seconds[token]):
                    continue
                if i + length <= n:
                    keys = phrases.get(tuple(tokens[i : i + length]))
                    if keys is not None:
                        found.append(Match(i, i + length, keys))
        return found

    def keys_in(self, tokens: Sequence[str]) -> set[str]:
        return {key for match in self.find_all(tokens) for key in match.keys}


def _index(
    phrases: dict[Tokens, tuple[str, ...]],
) -> tuple[dict[str, tuple[int, ...]], dict[str, frozenset[str]]]:
    """By first token: the phrase lengths (longest first) and the possible second tokens."""
    lengths: dict[str, set[int]] = {}
    seconds: dict[str, set[str]] = {}
    for tokens in phrases:
        lengths.setdefault(tokens[0], set()).add(len(tokens))
        if len(tokens) > 1:
            seconds.setdefault(tokens[0], set()).add(tokens[1])
    ordered = {first: tuple(sorted(ns, reverse=True)) for first, ns in lengths.items()}
    return ordered, {first: frozenset(ns) for first, ns in seconds.items()}


def brand_phrases(brand: BrandProfile) -> list[tuple[str, str]]:
    """The brand's names and handles, products, competitors and attribute terms, keyed for the matcher."""
    phrases = [(name, BRAND) for name in brand.brand_names]
    for handle in brand.handles:
        phrases += [("@" + handle, HANDLE), (handle, BRAND)]
    phrases += [(name, PRODUCT + p.key) for p in brand.products for name in p.names]
    phrases += [(name, COMPETITOR + c.key) for c in brand.competitors for name in c.all_names]
    phrases += [
        (term, ATTRIBUTE + a.key) for a in brand.attributes for terms in a.terms.values() for term in terms
    ]
    return phrases


@dataclass(frozen=True)
class BrandHits:
    mentions_brand: bool
    addressed_to_brand: bool
    products: tuple[str, ...]
    competitors: tuple[str, ...]
    positions: frozenset[int]  # tokens that are part of a name (kept out of sentiment scoring)


NO_NAMES = BrandHits(False, False, (), (), frozenset())


def brand_hits(matches: Sequence[Match]) -> BrandHits:
    """Names among the matches: the longest wins where two overlap («Snapp Market» over «Snapp»)."""
    named = [m for m in matches if any(k.startswith("name:") for k in m.keys)]
    if not named:
        return NO_NAMES
    taken: set[int] = set()
    keys: list[str] = []
    for match in sorted(named, key=lambda m: (m.start, -(m.end - m.start))):
        names = [k for k in match.keys if k.startswith("name:")]
        span = range(match.start, match.end)
        if names and taken.isdisjoint(span):
            taken.update(span)
            keys += names
    return BrandHits(
        mentions_brand=BRAND in keys or HANDLE in keys,
        addressed_to_brand=HANDLE in keys,
        products=_keys_with(keys, PRODUCT),
        competitors=_keys_with(keys, COMPETITOR),
        positions=frozenset(taken),
    )


def _keys_with(keys: Iterable[str], prefix: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k[len(prefix) :] for k in keys if k.startswith(prefix)))
