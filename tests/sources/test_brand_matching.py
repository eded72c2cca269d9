"""Alias matching on normalised Persian and English text."""

from __future__ import annotations

import pytest

from peyvand.sources._match import BrandMatcher, _local_normalise, normalise


def test_normalise_unifies_persian_spellings():
    assert normalise("چاي‌سبز") == normalise("چای سبز") == "چای سبز"
    assert normalise("كيك") == "کیک"
    assert normalise("NAHAL  Tea") == "nahal tea"
    assert normalise("۱۲۳ و ١٢٣") == "123 و 123"
    assert normalise("مـــرسی") == "مرسی"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("I love Nahal Tea!", "brand"),
        ("thanks @NahalTea", "brand"),
        ("چاي نهال عالیه", "brand"),
        ("نهال‌ها را دوست دارم", "brand"),  # Persian aliases may carry suffixes
        ("a cup of green tea", "product"),
        ("GREEN TEA", "product"),
        ("Kohsar is cheaper", "competitor"),
        ("steam and instead", None),
        ("Nahalestan is a place", None),  # Latin aliases end at a word end
        ("", None),
    ],
)
def test_mentions(brand, text, found):
    assert BrandMatcher(brand).mentions(text) == found


def test_own_authors(brand):
    matcher = BrandMatcher(brand)
    assert matcher.is_own(handle="@NahalTea")
    assert matcher.is_own(name="چاي نهال")
    assert not matcher.is_own(name="Nahal Tea fan club")
    assert not BrandMatcher(None).is_own(name="Nahal Tea")
    assert BrandMatcher(None).mentions("Nahal Tea") is None


@pytest.mark.parametrize("text", ["چاي‌سبز", "NAHAL  Tea", "كيك", "مـــرسی", "۱۲۳ و ١٢٣", "Kohsar Tea!"])
def test_local_fallback_agrees_with_the_shared_normaliser(text):
    assert _local_normalise(text) == normalise(text)
