"""Spelling variants and inflections of a lexicon entry, cue or alias, so that matching is one dict lookup.

A Persian word is written with a space, a ZWNJ or nothing between its parts, takes suffixes joined or
after a ZWNJ, and colloquial verbs come in many forms. Rather than stemming every token of every message,
the forms are generated once, when a lexicon or brand matcher is built.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from peyvand.text.normalise import ZWNJ, has_arabic_script, normalise_key, tokenise

# Suffixes a Persian word takes in customer messages: plural, ezafe/indefinite, comparative, possessive,
# the colloquial copula ("خوبه", "خوشمزست") and the colloquial object marker ("غذارو").
FA_SUFFIXES = (
    "ها", "های", "هایی", "هاش", "هام", "هامون", "هاتون", "هاشون", "هاشو", "هارو", "ی", "ای", "یی", "ایی",
    "ه", "ش", "م", "ت", "مون", "تون", "شون", "اش", "ام", "ات", "رو", "و", "تر", "ترین", "تری", "ست", "س",
    "یه", "ن", "شم", "شو", "مو", "تو", "یم", "ید", "ین", "ند", "شه", "مه", "شونه", "تره", "ترش",
)  # fmt: skip
EN_SUFFIXES = ("s", "es", "'s", "ed", "d", "ing", "ly")
# Forms that generation would produce but that are other, common words («خامه» is cream, «بدن» body,
# «بدم» I give, «دقیقه» minute).
FALSE_FORMS = frozenset(
    "بدم بدیم بدش بدن بدین بدید بدهم بدهی بدهد بدهیم بدهید بدهند دقیقه دقیقه‌ای"
    " کجای کجاش کجام خامه شورت شورش نرمش زودی اصلی نوش نوه کمد کمر گرمک"
    " سردر دیرین کمان تلخون نزد سرده".split()
)
_PAST_ENDINGS = ("", "م", "ی", "یم", "ید", "ین", "ن", "ند")
_PRESENT_ENDINGS = ("م", "ی", "ه", "د", "یم", "ید", "ین", "ن", "ند")


def _joint_variants(word: str) -> list[str]:
    """«بی_کیفیت» → «بی کیفیت», «بی‌کیفیت», «بیکیفیت»."""
    if "_" not in word:
        return [word]
    parts = word.split("_")
    return [" ".join(parts), ZWNJ.join(parts), "".join(parts)]


def colloquial(token: str) -> str | None:
    """The spoken form of a Persian word ending in «ان» or «ام»: «ارزان» → «ارزون», «تمام» → «تموم»."""
    if len(token) > 3 and token.endswith(("ان", "ام")) and has_arabic_script(token):
        return token[:-2] + "و" + token[-1]
    return None


def _token_variants(token: str) -> list[str]:
    out = [token]
    spoken = colloquial(token)
    if spoken is not None:
        out.append(spoken)
    if ZWNJ in token:
        out.append(token.replace(ZWNJ, ""))
    elif len(token) > 3 and token.startswith(("نمی", "می")) and has_arabic_script(token):
        head = "نمی" if token.startswith("نمی") else "می"
        out.append(head + ZWNJ + token[len(head) :])
    return out


def spellings(entry: str, *, limit: int = 12, flexible: bool = False) -> list[tuple[str, ...]]:
    """Every token sequence an entry can be written as (ZWNJ, space or joined parts), key-normalised.
    With `flexible`, every space is such a joint too (names and terms from a brand file)."""
    if flexible and " " in entry.strip():
        entry = "_".join(entry.split())
    words = entry.split(" ")
    found: dict[tuple[str, ...], None] = {}
    for combo in itertools.islice(itertools.product(*(_joint_variants(w) for w in words)), limit):
        tokens = tokenise(normalise_key(" ".join(combo)))
        for variant in itertools.islice(itertools.product(*(_token_variants(t) for t in tokens)), limit):
            found[tuple(variant)] = None
    return list(found)


def inflections(token: str) -> Iterator[str]:
    """Inflected forms of one (last) token, Persian or English."""
    if has_arabic_script(token):
        yield from _persian_inflections(token)
    elif token.isalpha() and len(token) > 2:
        for suffix in EN_SUFFIXES:
            yield token + suffix
        if token.endswith("e"):
            yield token[:-1] + "ing"
        if token.endswith("y"):
            yield token[:-1] + "ies"
            yield token[:-1] + "ied"


def _persian_inflections(token: str) -> Iterator[str]:
    for suffix in FA_SUFFIXES:
        for form in (token + suffix, token + ZWNJ + suffix):
            if form not in FALSE_FORMS:
                yield form
    if token.endswith("ه") and len(token) > 2:
        yield token[:-1] + "س"
        yield token[:-1] + "ست"


def verb_forms(past: str, present: str) -> tuple[list[str], list[str]]:
    """(affirmative, negated) colloquial and formal forms of a Persian verb from its two stems."""
    mi = ("می" + ZWNJ, "می")
    nemi = ("نمی" + ZWNJ, "نمی")
    pos = [past + e for e in _PAST_ENDINGS] + [past + "ه"]
    pos += [m + present + e for m in mi for e in _PRESENT_ENDINGS]
    neg_past, neg_present, sub_present = (
        _prefixed(past, "ن"),
        _prefixed(present, "ن"),
        _prefixed(present, "ب"),
    )
    pos += [sub_present + e for e in _PRESENT_ENDINGS]
    neg = [neg_past + e for e in _PAST_ENDINGS] + [neg_past + "ه"]
    neg += [n + present + e for n in nemi for e in _PRESENT_ENDINGS]
    neg += [neg_present + e for e in _PRESENT_ENDINGS]
    if present.startswith("آ"):
        neg += ["نمیا" + present[1:] + e for e in _PRESENT_ENDINGS]
        pos += ["میا" + present[1:] + e for e in _PRESENT_ENDINGS]
    return pos, [f for f in neg if f not in FALSE_FORMS]


def _prefixed(stem: str, prefix: str) -> str:
    """ن/ب before a stem: before آ or ا it becomes نیا/نی («نیاورد», «نیومد»)."""
    if stem.startswith("آ"):
        return prefix + "یا" + stem[1:]
    if stem.startswith("ا"):
        return prefix + "ی" + stem[1:]
    return prefix + stem
