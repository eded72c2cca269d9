"""Persian-first text normalisation and tokenisation, written here with the standard library only.

`normalise(text)` returns two forms of the same text:

- `display`: safe to show. Arabic letters become Persian (ي ى → ی, ك → ک, …), Arabic-Indic digits become
  Persian digits, presentation forms are unfolded (NFKC), tatweel, diacritics and bidi control marks are
  removed, zero-width non-joiners (ZWNJ) are repaired and elongated letter runs collapsed. Case is kept.
- `key`: the matching form. The display form casefolded, with every digit as ASCII and the Persian
  thousands and decimal separators as `,` and `.`. Lexicons, aliases and cue lists are matched on it.

No regular expression here nests quantifiers, so every pattern runs in time linear in the text length.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

ZWNJ = "\u200c"

_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_ASCII_DIGITS = "0123456789"

# Letters: Arabic forms to their Persian equivalents (kept: آ and ئ, which carry meaning in Persian).
_LETTERS = {
    "ي": "ی",
    "ى": "ی",
    "ك": "ک",
    "ڪ": "ک",
    "ە": "ه",
    "ۀ": "ه",
    "ة": "ه",
    "أ": "ا",
    "إ": "ا",
    "ٱ": "ا",
    "ؤ": "و",
    "‚": ",",
    "’": "'",
    "‘": "'",
    "«": '"',
    "»": '"',
}
_REMOVED = (
    "\u0640"  # tatweel
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0653\u0654\u0655\u0656\u0657\u0658\u0659"
    "\u065a\u065b\u065c\u065d\u065e\u065f\u0670"  # harakat, shadda, sukun, hamza marks, superscript alef
    "\u06d6\u06d7\u06d8\u06d9\u06da\u06db\u06dc\u06df\u06e0\u06e1\u06e2\u06e3\u06e4\u06e7\u06e8"
    "\u06ea\u06eb\u06ec\u06ed"  # Quranic annotation marks
    "\u200b\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"  # zero-width, bidi
    "\ufeff\u00ad\ufe0e\ufe0f"  # BOM, soft hyphen, variation selectors
    "\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff"  # emoji skin-tone modifiers
)

_DISPLAY_TABLE = str.maketrans(
    {
        **_LETTERS,
        **dict(zip(_ARABIC_DIGITS, _PERSIAN_DIGITS, strict=True)),
        **dict.fromkeys(_REMOVED),
    }
)
_KEY_TABLE = str.maketrans(
    {
        **dict(zip(_PERSIAN_DIGITS, _ASCII_DIGITS, strict=True)),
        "٬": ",",  # Arabic thousands separator
        "٫": ".",  # Arabic decimal separator
    }
)

# Characters the tables change: a cheap search decides whether a translate pass is needed at all.
_NEEDS_DISPLAY_TABLE = re.compile("[" + re.escape("".join(_LETTERS) + _ARABIC_DIGITS + _REMOVED) + "]")
_NEEDS_KEY_TABLE = re.compile("[۰-۹٬٫]")
_NEEDS_NFKC = re.compile("[\ufb00-\ufdff\ufe70-\ufeff\uff00-\uffef]")
_NEEDS_FIXING = re.compile(_NEEDS_DISPLAY_TABLE.pattern[:-1] + _NEEDS_NFKC.pattern[1:-1] + "]")
_ARABIC_SCRIPT = "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"
_FA_LETTER = "[\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u0622\u0626]"
_HAS_ARABIC_SCRIPT = re.compile(f"[{_ARABIC_SCRIPT}]")

# A run of three or more of the same letter (not digits): "خیلیییی" → "خیلی", "sooooo" → "soo".
_RUN = re.compile(r"([^\W\d_])\1{2,}")
_MAYBE_RUN = re.compile(r"(\w)\1\1")  # a cheaper first look
# ZWNJ next to a space, at either end, doubled, or between two non-letters.
_ZWNJ_DOUBLE = re.compile(f"{ZWNJ}{{2,}}")
_ZWNJ_STRAY = re.compile(f"{ZWNJ}(?:(?!\\w)|(?<!\\w{ZWNJ}))")  # not between two letters
# "می خوام" → "می‌خوام"; "نمی دونم" → "نمی‌دونم" (only when the next word is Persian).
_PREFIX = re.compile(f"(?<![\\w{ZWNJ}])(ن?می) (?={_FA_LETTER})")
# "کتاب ها" → "کتاب‌ها"; "بزرگ تر" → "بزرگ‌تر".
_SUFFIX = re.compile(
    f"(?<={_FA_LETTER}) (ها|های|هایی|هایم|هایت|هایش|هایمان|هایتان|هایشان|ترین|تر|تری)(?![\\w{ZWNJ}])"
)


class Normalised(NamedTuple):
    display: str
    key: str


def has_arabic_script(text: str) -> bool:
    return _HAS_ARABIC_SCRIPT.search(text) is not None


def _collapse(match: re.Match[str]) -> str:
    letter = match.group(1)
    return letter * 2 if letter.isascii() else letter


def _repair_persian(text: str) -> str:
    if "می " in text:
        text = _PREFIX.sub(f"\\1{ZWNJ}", text)
    if " ها" in text or " تر" in text:
        text = _SUFFIX.sub(f"{ZWNJ}\\1", text)
    return text


def _repair_zwnj(text: str) -> str:
    return _ZWNJ_STRAY.sub("", _ZWNJ_DOUBLE.sub(ZWNJ, text))


def normalise_display(text: str) -> str:
    """The display-safe form (see the module docstring)."""
    if _NEEDS_FIXING.search(text):
        if _NEEDS_NFKC.search(text):
            text = unicodedata.normalize("NFKC", text)
        text = text.translate(_DISPLAY_TABLE)
    if _MAYBE_RUN.search(text):
        text = _RUN.sub(_collapse, text)
    text = " ".join(text.split())
    if has_arabic_script(text):
        text = _repair_persian(text)
    return _repair_zwnj(text) if ZWNJ in text else text


def key_of_display(display: str) -> str:
    """The matching form of an already display-normalised text."""
    key = display.casefold()
    return key.translate(_KEY_TABLE) if _NEEDS_KEY_TABLE.search(key) else key


def normalise(text: str) -> Normalised:
    display = normalise_display(text)
    return Normalised(display=display, key=key_of_display(display))


def normalise_key(text: str) -> str:
    """Shortcut: the matching form of raw text (used to compile lexicons, aliases and cues)."""
    return key_of_display(normalise_display(text))


def to_persian_digits(text: str) -> str:
    """ASCII and Arabic-Indic digits as Persian digits, for display in a Persian interface."""
    return text.translate(str.maketrans(_ASCII_DIGITS + _ARABIC_DIGITS, _PERSIAN_DIGITS + _PERSIAN_DIGITS))


# Tokens: URLs, handles, hashtags, numbers with separators, emoticons («:)», «:-(»), words (ZWNJ and
# apostrophes inside kept), then any other single non-space character (punctuation, emoji).
_TOKEN = re.compile(
    r"https?://\S+|www\.\S+"
    r"|[@#][\w\u200c.]*\w"
    r"|\w+(?:[\u200c'’-]\w+)*(?:[.,٫٬/:]\d+)*%?"
    r"|(?:<3|[:;=][-'^o]?[()\[\]dpo/\\|*3]+)(?!\w)"
    r"|\S"
)


def tokenise(text: str) -> list[str]:
    """Split a (normalised) text into tokens, keeping ZWNJ words such as «می‌خوام» and numbers such as
    «۱۲۰٬۰۰۰» whole."""
    return _TOKEN.findall(text)
