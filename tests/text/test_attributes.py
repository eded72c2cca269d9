"""Brand attributes with the polarity of the clause that carries them, inflections included."""

from __future__ import annotations

import pytest

from peyvand.domain.items import Author
from peyvand.text.enrich import TextAnalyzer


def attributes(analyzer: TextAnalyzer, text: str) -> dict[str, str]:
    e = analyzer.enrich(text, author=Author(), source="instagram", kind="comment")
    return {a.key: a.polarity for a in e.attributes}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("طعمش عالیه ولی قیمتش خیلی گرونه", {"taste": "positive", "price": "negative"}),
        ("قیمت‌ها مناسبه و ارسال سریع بود", {"price": "positive", "delivery": "positive"}),
        ("ارسال خیلی دیر بود. طعم چای هم خوب نبود", {"delivery": "negative", "taste": "negative"}),
        ("مزه‌ی چای سبز طبیعی و عالیه", {"natural": "positive", "taste": "positive"}),
        ("بسته‌بندی پاره بود ولی طعمش بد نبود", {"packaging": "negative", "taste": "positive"}),
        ("گرون‌تر از قبل شده", {"price": "negative"}),
        ("گرونه", {"price": "negative"}),  # colloquial: گران → گرون, copula ه
        ("The taste is great but shipping was slow", {"taste": "positive", "delivery": "negative"}),
        ("organic and natural, love it", {"natural": "positive"}),
        ("قیمتش چنده؟", {"price": "neutral"}),
        ("سلام وقت بخیر", {}),
    ],
)
def test_attribute_polarity(analyzer: TextAnalyzer, text: str, expected: dict[str, str]) -> None:
    assert attributes(analyzer, text) == expected


def test_attributes_come_in_brand_profile_order(analyzer: TextAnalyzer) -> None:
    e = analyzer.enrich("ارسال سریع، قیمت خوب، طعم عالی", author=Author(), source="x", kind="review")
    assert [a.key for a in e.attributes] == ["price", "taste", "delivery"]
