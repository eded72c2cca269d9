"""How people actually type: digits in three scripts, ZWNJ kept or lost, Arabic ي and ك, emoji, taarof.

Templates are written in clean standard Persian (ZWNJ where it belongs, Persian ی and ک); `roughen`
then makes each message look typed by a person on a phone, the way the text normaliser must undo it.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping, Sequence

ZWNJ = "\u200c"
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
ARABIC_LETTERS = str.maketrans({"ی": "ي", "ک": "ك"})

EMOJI = {
    "positive": ["😍", "👌", "🙏", "💚", "🌿", "👏", "❤️", "😋", "☕️", "🌸"],
    "negative": ["😡", "😞", "👎", "🤬", "😒", "😤", "🙄", "💔"],
    "neutral": ["🙏", "🌹", "🤔", "☺️", ""],
}


def number(value: int, digits: str = "fa") -> str:
    """`value` in Persian (fa), Arabic-Indic (ar) or ASCII (en) digits, thousands grouped with commas."""
    text = f"{value:,}" if value >= 10_000 else str(value)
    if digits == "fa":
        return text.translate(PERSIAN_DIGITS).replace(",", "٬")
    if digits == "ar":
        return text.translate(ARABIC_DIGITS)
    return text


def digit_style(rng: random.Random, *, formal: bool = False) -> str:
    """Which digits a writer uses: most Persian writers type Persian digits, some ASCII, a few Arabic."""
    roll = rng.random()
    if formal:
        return "fa" if roll < 0.9 else "en"
    return "fa" if roll < 0.62 else ("en" if roll < 0.9 else "ar")


def roughen(text: str, rng: random.Random, *, formal: bool = False) -> str:
    """Lose or space out ZWNJ, sometimes type Arabic letters, as people do."""
    roll = rng.random()
    if roll < (0.08 if formal else 0.32):
        text = text.replace(ZWNJ, "")
    elif roll < (0.1 if formal else 0.42):
        text = text.replace(ZWNJ, " ")
    if rng.random() < (0.03 if formal else 0.07):
        text = text.translate(ARABIC_LETTERS)
    return text


def emoji_for(sentiment: str, rng: random.Random, *, chance: float = 0.45) -> str:
    if rng.random() >= chance:
        return ""
    pick = rng.choice(EMOJI[sentiment])
    return (" " + pick * rng.choice((1, 1, 1, 2, 3))) if pick else ""


def fill(template: str, slots: Mapping[str, str]) -> str:
    """Fill `{slot}` fields; a template naming a slot that has no value is a bug, so it raises KeyError."""
    return template.format_map(slots)


_SPACES = re.compile(r"[ \t]{2,}")
_BARE_PUNCT = re.compile(r"^[\s،,.]+")


def tidy(text: str) -> str:
    """Collapse the spaces and leading commas that empty optional slots leave behind."""
    lines = [_BARE_PUNCT.sub("", _SPACES.sub(" ", line)).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def pick(rng: random.Random, options: Sequence[str]) -> str:
    return options[rng.randrange(len(options))]


def weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    """One key of `weights`, drawn with probability proportional to its weight."""
    total, roll = sum(weights.values()), rng.random()
    threshold = roll * total
    for key, weight in weights.items():
        threshold -= weight
        if threshold < 0:
            return key
    return list(weights)[-1]


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw (Knuth for small means, the normal approximation above 30)."""
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, lam**0.5)))
    limit, k, product = math.exp(-lam), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k
