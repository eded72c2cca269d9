"""The sentiment lexicon, compiled once per process from the hand-written TOML files in this package.

`load_lexicon()` reads `lexicon_fa.toml` (Persian, Finglish, emoji) and `lexicon_en.toml` (customer-message
additions to VADER's English lexicon, which is read from the installed nltk-vader-sentiment package) and
expands every entry into all its spellings and inflections (`peyvand.text.inflect`). The result is a dict
from one token to its `Entry`, and an index of multi-word phrases by their first token.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

from peyvand.text.inflect import inflections, spellings, verb_forms
from peyvand.text.normalise import has_arabic_script

Tokens = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Entry:
    """What one token (or phrase) means to the sentiment scorer."""

    valence: float = 0.0
    negated: float | None = None  # valence when negated; None: valence x the negation scalar
    boost: float = 0.0  # intensifier (+) or diminisher (-) step for the next sentiment word
    pre_negator: bool = False
    post_negator: bool = False
    contrast: tuple[float, float] | None = None  # weights of the clause before and after
    thanks: bool = False
    cue: bool = False  # sarcasm cue
    applause: bool = False  # praise that follows what it praises (👏): sarcastic after a negative clause
    polite: bool = False  # a courtesy («ممنون», "thanks") that counts nothing in a message that asks
    request: bool = False  # makes a message a request («لطفا», "please")
    whether: bool = False  # makes its sentence an indirect question («… مناسبه یا نه», "let me know if")
    fixed: bool = False  # never turned around by a negator (sentence adverbs, greetings, emoji)
    unit: bool = False  # after a number it is a unit, not a word («۷۰۰ گرم»)
    is_rule: bool = False  # has a role besides its valence (set when the lexicon is built)
    bears_sentiment: bool = False  # has a valence, or one when negated (set when the lexicon is built)


@dataclass
class Lexicon:
    forms: dict[str, Entry] = field(default_factory=dict)
    phrases: dict[Tokens, Entry] = field(default_factory=dict)
    phrase_lengths: dict[str, tuple[int, ...]] = field(default_factory=dict)  # by first token, longest first
    phrase_seconds: dict[str, frozenset[str]] = field(default_factory=dict)  # second tokens, by first token
    units: frozenset[str] = frozenset()  # forms that are units after a number
    negation_scalar: float = -0.74
    pre_window: int = 3
    post_window: int = 3
    unconsumed_valence: float = -0.4
    # Object markers a post-negator reaches across («جواب تلفن رو نمیده»).
    transparent: frozenset[str] = frozenset()

    def phrase_at(self, tokens: list[str], i: int) -> tuple[int, Entry] | None:
        """The longest phrase starting at token i: (length, entry)."""
        for n in self.phrase_lengths.get(tokens[i], ()):
            if i + n > len(tokens):
                continue
            entry = self.phrases.get(tuple(tokens[i : i + n]))
            if entry is not None:
                return n, entry
        return None


class _Builder:
    """Collects entries: exact spellings first, generated inflections only where nothing exact exists."""

    def __init__(self) -> None:
        self.exact: dict[Tokens, dict[str, Any]] = {}
        self.generated: dict[Tokens, dict[str, Any]] = {}

    def add(self, text: str, *, inflect: bool = False, **fields: Any) -> None:
        for tokens in spellings(text):
            self.exact.setdefault(tokens, {}).update(fields)
            if inflect:
                for form in inflections(tokens[-1]):
                    self.generated.setdefault((*tokens[:-1], form), {}).update(fields)

    def add_forms(self, prefix: Tokens, forms: Iterable[str], **fields: Any) -> None:
        for form in forms:
            self.exact.setdefault((*prefix, form), {}).update(fields)

    def build(self, lexicon: Lexicon) -> Lexicon:
        merged = dict(self.generated)
        merged.update(self.exact)
        # «وتشکر», «وخوشمزه»: the conjunction و written joined to the next word.
        for tokens, fields in list(self.exact.items()):
            joined = ("و" + tokens[0], *tokens[1:])
            if has_arabic_script(tokens[0]) and joined not in merged:
                merged[joined] = fields
        shared: dict[Entry, Entry] = {}  # one object per distinct entry: less memory, warmer caches
        by_fields: dict[tuple[tuple[str, Any], ...], Entry] = {}  # ~100,000 forms share ~160 entries
        for tokens, fields in merged.items():
            signature = tuple(sorted(fields.items()))
            entry = by_fields.get(signature)
            if entry is None:
                entry = shared.setdefault(_entry(fields), _entry(fields))
                by_fields[signature] = entry
            if len(tokens) == 1:
                lexicon.forms[tokens[0]] = entry
            else:
                lexicon.phrases[tokens] = entry
        lengths: dict[str, set[int]] = {}
        seconds: dict[str, set[str]] = {}
        for tokens in lexicon.phrases:
            lengths.setdefault(tokens[0], set()).add(len(tokens))
            seconds.setdefault(tokens[0], set()).add(tokens[1])
        lexicon.phrase_lengths = {first: tuple(sorted(ns, reverse=True)) for first, ns in lengths.items()}
        lexicon.phrase_seconds = {first: frozenset(ns) for first, ns in seconds.items()}
        lexicon.units = frozenset(form for form, entry in lexicon.forms.items() if entry.unit)
        return lexicon


def _entry(fields: Mapping[str, Any]) -> Entry:
    entry = Entry(**fields)
    rule = any(getattr(entry, role) for role in _ROLES)
    bears = entry.valence != 0.0 or entry.negated is not None
    return replace(entry, is_rule=rule or entry.contrast is not None, bears_sentiment=bears)


def _read(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files("peyvand.text").joinpath(name).read_text(encoding="utf-8"))


def _add_verbs(builder: _Builder, verbs: Mapping[str, list[float]]) -> None:
    for stems, (valence, negated) in verbs.items():
        past, present = stems.split("|")
        prefix: Tokens = ()
        if "_" in past:
            noun, past = past.rsplit("_", 1)
            present = present.rsplit("_", 1)[1]
            prefix = (noun,)
        pos, neg = verb_forms(past, present)
        if valence:
            builder.add_forms(prefix, pos, valence=valence)
        if negated:
            builder.add_forms(prefix, neg, valence=negated)


def _add_negators(builder: _Builder, section: Mapping[str, Any]) -> None:
    for stems in section.get("light_verbs", []):
        past, present = stems.split("|")
        builder.add_forms((), verb_forms(past, present)[1], post_negator=True)
    for word in section.get("post", []):
        builder.add(word, post_negator=True)
    for word in section.get("pre", []):
        builder.add(word, pre_negator=True)
    for word in section.get("never_negated", []):
        builder.add(word, inflect=True, fixed=True)


def _add_section_words(builder: _Builder, data: Mapping[str, Any], *, inflect: bool) -> None:
    for section in ("words", "finglish"):
        for word, valence in data.get(section, {}).items():
            builder.add(word, inflect=inflect and section == "words", valence=float(valence))
    for word, valence in data.get("emoji", {}).items():
        builder.add(word, valence=float(valence), fixed=True)
    for word, negated in data.get("negatable", {}).items():
        builder.add(word, inflect=inflect, negated=float(negated))
    for word, boost in data.get("intensifiers", {}).items():
        builder.add(word, boost=float(boost))
    for word, (before, after) in data.get("contrast", {}).items():
        builder.add(word, contrast=(float(before), float(after)))
    for word, valence in data.get("phrases", {}).items():
        builder.add(word, inflect=inflect, valence=float(valence))
    _add_flagged(builder, data)


# Word lists that set a flag on their entries: (section, list, flag).
_FLAGGED = (
    ("thanks", "words", "thanks"),
    ("thanks", "cues", "cue"),
    ("thanks", "applause", "applause"),
    ("units", "words", "unit"),
    ("polite", "words", "polite"),
    ("polite", "requests", "request"),
    ("polite", "whether", "whether"),
)


# The fields that give an entry a role in the scorer's rules (a unit only matters after a number).
_ROLES = ("boost", "pre_negator", "post_negator", *(flag for _, _, flag in _FLAGGED if flag != "unit"))


def _add_flagged(builder: _Builder, data: Mapping[str, Any]) -> None:
    for section, name, flag in _FLAGGED:
        for word in data.get(section, {}).get(name, []):
            builder.add(word, **{flag: True})


def _add_vader(builder: _Builder) -> None:
    """VADER's lexicon and rule words, read from the installed package (exact spellings only)."""
    from vader import constants
    from vader.data.curated import ADDITIONS, OVERRIDES
    from vader.data.lexicon import LEXICON, MULTIWORD

    for table in (LEXICON, OVERRIDES, ADDITIONS, MULTIWORD):
        for word, valence in table.items():
            builder.exact.setdefault(tuple(word.split(" ")), {})["valence"] = float(valence)
    for word, boost in constants.BOOSTER_DICT.items():
        builder.exact.setdefault(tuple(word.split(" ")), {}).setdefault("boost", float(boost))
    for word in constants.NEGATE:
        builder.exact.setdefault((word,), {})["pre_negator"] = True


@cache
def load_lexicon() -> Lexicon:
    """The compiled lexicon (built on first use, then shared by every analyzer in the process)."""
    english, persian = _read("lexicon_en.toml"), _read("lexicon_fa.toml")
    builder = _Builder()
    if english.get("use_vader", True):
        _add_vader(builder)
    _add_section_words(builder, english, inflect=True)
    _add_negators(builder, english.get("negators", {}))
    _add_section_words(builder, persian, inflect=True)
    _add_verbs(builder, persian.get("verbs", {}))
    _add_negators(builder, persian.get("negators", {}))
    negators = persian.get("negators", {})
    lexicon = Lexicon(
        negation_scalar=float(negators.get("scalar", -0.74)),
        pre_window=int(negators.get("pre_window", 3)),
        post_window=int(negators.get("post_window", 3)),
        unconsumed_valence=float(negators.get("unconsumed_valence", -0.4)),
        transparent=frozenset(negators.get("transparent", [])),
    )
    return builder.build(lexicon)


def with_overrides(lexicon: Lexicon, valences: Mapping[str, float]) -> Lexicon:
    """A copy of the lexicon with some single-token valences replaced (a workspace's own words)."""
    forms = dict(lexicon.forms)
    for word, valence in valences.items():
        for tokens in spellings(word):
            if len(tokens) == 1:
                entry = replace(forms.get(tokens[0], Entry()), valence=float(valence))
                forms[tokens[0]] = replace(
                    entry, bears_sentiment=entry.valence != 0.0 or entry.negated is not None
                )
    return replace(lexicon, forms=forms)
