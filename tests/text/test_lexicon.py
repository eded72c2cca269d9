"""The hand-written lexicon files are well formed and compile to what the scorer expects."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from peyvand.text.inflect import spellings, verb_forms
from peyvand.text.lexicon import load_lexicon


def _data(name: str) -> dict[str, object]:
    return tomllib.loads(resources.files("peyvand.text").joinpath(name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["lexicon_fa.toml", "lexicon_en.toml"])
def test_valences_are_on_the_vader_scale(name: str) -> None:
    data = _data(name)
    for section in ("words", "phrases", "emoji", "finglish", "negatable"):
        table = data.get(section, {})
        assert isinstance(table, dict)
        bad = {word: v for word, v in table.items() if not -4.0 <= float(v) <= 4.0}
        assert not bad, f"{name} [{section}]: {bad}"


def test_negatable_words_turn_negative_when_negated() -> None:
    negatable = _data("lexicon_fa.toml")["negatable"]
    assert isinstance(negatable, dict)
    assert all(float(v) <= 0 for v in negatable.values())


def test_spellings_cover_zwnj_space_and_joined() -> None:
    assert set(spellings("بی_کیفیت")) == {("بی", "کیفیت"), ("بی\u200cکیفیت",), ("بیکیفیت",)}


def test_verb_forms_are_generated_with_their_negation() -> None:
    affirmative, negated = verb_forms("رسید", "رس")
    assert {"رسید", "رسیدن", "رسیده", "می\u200cرسه", "میرسه", "برسه"} <= set(affirmative)
    assert {"نرسید", "نرسیده", "نمی\u200cرسه", "نمیرسه", "نرسه"} <= set(negated)
    assert {"نیاورد", "نمیاره"} <= set(verb_forms("آورد", "آر")[1])


def test_compiled_lexicon_knows_inflected_and_colloquial_forms() -> None:
    forms = load_lexicon().forms
    for word in ["خوبه", "خوشمزه‌ای", "خوشمزست", "گرونه", "ارزون‌تر", "بدترین", "عالیه"]:
        assert word in forms and forms[word].valence != 0, word
    assert "خامه" not in forms  # cream, not "raw" + ه
