"""Persian normalisation and tokenisation: the 17 checks of research/nlp-packages.md §2, and more."""

from __future__ import annotations

import time

import pytest

from peyvand.text.normalise import ZWNJ, normalise, normalise_key, to_persian_digits, tokenise


@pytest.mark.parametrize(
    ("raw", "display"),
    [
        ("علي كتاب يك", "علی کتاب یک"),  # Arabic ي and ك
        ("موسى", "موسی"),  # Arabic alef maksura
        ("سفارش ٣٤٥", "سفارش ۳۴۵"),  # Arabic-Indic digits become Persian digits on display
        ("می خواهم", f"می{ZWNJ}خواهم"),
        ("نمی دانم", f"نمی{ZWNJ}دانم"),
        ("کتاب ها", f"کتاب{ZWNJ}ها"),
        ("بزرگ تر", f"بزرگ{ZWNJ}تر"),
        (f"می{ZWNJ}خواهم", f"می{ZWNJ}خواهم"),  # an existing ZWNJ is kept
        (f"کتاب{ZWNJ}{ZWNJ}ها", f"کتاب{ZWNJ}ها"),  # doubled
        (f"{ZWNJ}سلام {ZWNJ}دنیا{ZWNJ}", "سلام دنیا"),  # stray
        ("سلـــام", "سلام"),  # tatweel
        ("سَلامٌ", "سلام"),  # diacritics
        ("ﺳﻼﻡ", "سلام"),  # presentation forms
        ("\u200fسلام\u202a دنیا\u202c", "سلام دنیا"),  # bidi marks
        ("خیلیییییی عاااالی", "خیلی عالی"),  # elongated letter runs
        ("hello 😍 world", "hello 😍 world"),  # Latin and emoji intact
        ("  سلام \t  دنیا  ", "سلام دنیا"),
    ],
)
def test_display_form(raw: str, display: str) -> None:
    assert normalise(raw).display == display


def test_key_form_casefolds_english_and_uses_ascii_digits() -> None:
    assert normalise("Hello WORLD ۱۲۰٬۰۰۰ تومان ٣").key == "hello world 120,000 تومان 3"


def test_digits_for_display() -> None:
    assert to_persian_digits("ساعت 10 و ٥ دقیقه") == "ساعت ۱۰ و ۵ دقیقه"


def test_latin_runs_keep_two_letters_and_digits_are_never_collapsed() -> None:
    assert normalise("sooooo good 1000000").key == "soo good 1000000"


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        (f"می{ZWNJ}خوام کتاب{ZWNJ}ها رو", [f"می{ZWNJ}خوام", f"کتاب{ZWNJ}ها", "رو"]),
        ("سلام،چطوری؟", ["سلام", "،", "چطوری", "؟"]),
        ("قیمت ۱۲۰٬۰۰۰ تومان", ["قیمت", "۱۲۰٬۰۰۰", "تومان"]),
        ("@Brand_x hi #sale :) http://x.io/a?b=1", ["@Brand_x", "hi", "#sale", ":)", "http://x.io/a?b=1"]),
        ("don't stop", ["don't", "stop"]),
    ],
)
def test_tokenise(text: str, tokens: list[str]) -> None:
    assert tokenise(text) == tokens


def test_no_catastrophic_backtracking_on_long_runs() -> None:
    """The `persian` package takes 79 s on one such comment; every pattern here is linear."""
    nasty = "عا" + "ا" * 5000 + "لی" + ("خ" * 3000 + "!") * 20 + "\u200c" * 2000 + "x" * 5000
    start = time.perf_counter()
    key = normalise_key(nasty)
    assert time.perf_counter() - start < 0.5
    assert key.startswith("عالی")
