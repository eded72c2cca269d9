"""Language of a raw text: `fa`, `en` or `other` (DESIGN §2), detected before normalisation.

Order of decisions, cheapest first:

1. No letter at all (empty, punctuation, emoji, digits) → `other`.
2. Latin words outnumber Arabic-script words (not counting @handles, #hashtags and links): Finglish
   (Persian in Latin letters) → `fa` with script `latin`; otherwise `en`. With the detector restricted to
   Persian, English and Arabic, any Latin-script text is English for it, so it is not consulted.
3. Arabic script with Persian-only letters (پ چ ژ گ, Persian ی and ک) and no Arabic-only ones → `fa`.
4. Otherwise function words vote: Persian ones («است», «خیلی», «میخوام», read with ي→ی and ك→ک) against
   Arabic ones («في», «هذا», words with «ال»). Persian typed on an Arabic keyboard («خيلي عاليه») is `fa`.
5. A tie goes to lingua, restricted to Persian, English and Arabic. Arabic → `other`.

The lingua detector is built lazily, once per process, on the first text that needs it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, NamedTuple

from peyvand.text.finglish import is_finglish

_LATIN = re.compile(r"[A-Za-z]")
_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff\ufb50-\ufdff\ufe70-\ufefc]")
_PERSIAN_ONLY = re.compile("[\u067e\u0686\u0698\u06af\u06cc\u06a9]")  # پ چ ژ گ ی ک
_ARABIC_ONLY = re.compile("[\u064a\u0643\u0629\u0649]")  # ي ك ة ى
_WORD = re.compile(r"\w+")
_NOT_WORDS = re.compile(r"https?://\S+|www\.\S+|[@#][\w.]+")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_ARABIC_WORD = re.compile("[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff\ufb50-\ufdff\ufe70-\ufefc\u200c]+")

# Function words, spelled with Persian letters after ي→ی, ك→ک, that tell Persian from Arabic.
_PERSIAN_FUNCTION = frozenset(
    "است هست نیست بود شد را رو این اون آن که چه خیلی برای با از هم یه یک می ها های دیگه الان چرا"
    " کنید کردم میخوام ممنون مرسی عالیه خوبه بده نمی نه تو من ما شما اینجا چطور چند".split()
)
_ARABIC_FUNCTION = frozenset(
    "فی علی الی هذا هذه التی الذی ان لا لم لن کان عن مع هو هی ذلک قد ما لقد الله جدا شکرا".split()
)


class Detected(NamedTuple):
    language: str  # fa | en | other
    script: str  # arabic | latin | none


@cache
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.PERSIAN, Language.ENGLISH, Language.ARABIC).build()


def _persian_votes(text: str) -> int:
    folded = text.replace("ي", "ی").replace("ك", "ک").replace("ى", "ی")
    persian = arabic = 0
    for word in _WORD.findall(folded):
        if word in _PERSIAN_FUNCTION:
            persian += 1
        elif word in _ARABIC_FUNCTION or (word.startswith("ال") and len(word) > 3):
            arabic += 1
    return persian - arabic


def _arabic_script_language(text: str) -> str:
    persian_letters = _PERSIAN_ONLY.search(text) is not None
    if persian_letters and not _ARABIC_ONLY.search(text):
        return "fa"
    votes = _persian_votes(text)
    if votes:
        return "fa" if votes > 0 else "other"
    found = _detector().detect_language_of(text)
    if found is None:
        return "fa" if persian_letters else "other"
    return "fa" if found.name == "PERSIAN" else "other"


def _mostly_latin(text: str) -> bool:
    """In a text with both scripts, whether Latin words outnumber Arabic-script ones, not counting
    @handles, #hashtags and links («@maryam_r @sahar.k شرکت در مسابقه» is Persian). Words, not letters:
    English words are longer, and code-switched Persian («سفارش online دادم ولی tracking code update
    نشد») keeps its Persian grammar words."""
    bare = _NOT_WORDS.sub(" ", text)
    latin = len(_LATIN_WORD.findall(bare))
    return latin > len(_ARABIC_WORD.findall(bare)) or (latin > 0 and _ARABIC_LETTER.search(bare) is None)


def detect_language(text: str) -> Detected:
    """The language of a raw (not yet normalised) text."""
    has_latin = _LATIN.search(text) is not None
    has_arabic = _ARABIC_LETTER.search(text) is not None
    if not has_latin and not has_arabic:
        return Detected("other", "none")
    if has_latin and (not has_arabic or _mostly_latin(text)):
        return Detected("fa" if is_finglish(text) else "en", "latin")
    return Detected(_arabic_script_language(text), "arabic")
