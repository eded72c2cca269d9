"""Brand, product and competitor names, with word boundaries, spelling variants and inflections."""

from __future__ import annotations

import pytest

from peyvand.domain.items import Author
from peyvand.text.enrich import TextAnalyzer
from peyvand.text.matcher import PhraseMatcher
from peyvand.text.normalise import normalise_key, tokenise

NOBODY = Author()


def names(analyzer: TextAnalyzer, text: str) -> tuple[bool, bool, tuple[str, ...], tuple[str, ...]]:
    e = analyzer.enrich(text, author=NOBODY, source="instagram", kind="comment")
    return e.mentions_brand, e.addressed_to_brand, e.products, e.competitors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@niloofartea سفارشم کجاست؟", (True, True, (), ())),
        ("@NiloofarTea where is my order?", (True, True, (), ())),
        ("چای نیلوفر رو دوست دارم", (True, False, (), ())),
        ("چای‌نیلوفر", (True, False, (), ())),  # ZWNJ
        ("چاینیلوفر", (True, False, (), ())),  # joined
        ("چاي نيلوفر", (True, False, (), ())),  # Arabic letters
        ("I drink Niloofar Tea every day", (True, False, (), ())),
        ("niloofartea", (True, False, (), ())),
        ("نیلوفرها رو دیدی؟", (True, False, (), ())),  # inflected
        ("نیلوفری", (True, False, (), ())),
        ("نیلوفرانه", (False, False, (), ())),  # not a word boundary
        ("چای سبزتون عالیه", (False, False, ("green-tea",), ())),
        ("green teas and black tea", (False, False, ("green-tea", "black-tea"), ())),
        ("برگ طلایی ارزون‌تره", (False, False, (), ("golden-leaf",))),
        ("golden leaf is cheaper", (False, False, (), ("golden-leaf",))),
        ("a golden leafy salad", (False, False, (), ())),
    ],
)
def test_names(analyzer: TextAnalyzer, text: str, expected: tuple[object, ...]) -> None:
    assert names(analyzer, text) == expected


def test_longest_match_wins_where_names_overlap() -> None:
    from peyvand.text.matcher import BRAND, COMPETITOR, brand_hits

    matcher = PhraseMatcher([("snapp", BRAND), ("snapp market", COMPETITOR + "snapp-market")])
    hits = brand_hits(matcher.find_all(tokenise(normalise_key("Snapp Market is cheaper than snapp"))))
    assert hits.competitors == ("snapp-market",) and hits.mentions_brand
    assert hits.positions == frozenset({0, 1, 5})


def test_overlapping_cues_are_all_found() -> None:
    matcher = PhraseMatcher([("استعلام قیمت", "price_request"), ("قیمت", "price")])
    assert matcher.keys_in(tokenise(normalise_key("استعلام قیمت میخواستم"))) == {"price_request", "price"}
