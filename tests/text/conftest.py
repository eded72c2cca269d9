"""A brand profile and an analyzer shared by the text tests (no database, no network, no shared data)."""

from __future__ import annotations

import pytest

from peyvand.domain.brand import BrandProfile, parse_brand
from peyvand.text.enrich import TextAnalyzer


@pytest.fixture(scope="session")
def brand() -> BrandProfile:
    return parse_brand(
        {
            "brand": {
                "name": "چای نیلوفر",
                "aliases": ["Niloofar Tea", "نیلوفر", "@niloofartea"],
                "desired_attributes": ["natural"],
                "journalist_domains": ["hamshahri.ir"],
                "partner_domains": ["pakhsh-alborz.ir"],
            },
            "attributes": [
                {"key": "natural", "terms": {"en": ["natural", "organic"], "fa": ["طبیعی", "ارگانیک"]}},
                {"key": "price", "terms": {"en": ["price", "expensive"], "fa": ["قیمت", "گران"]}},
                {"key": "taste", "terms": {"en": ["taste", "flavour"], "fa": ["طعم", "مزه"]}},
                {"key": "delivery", "terms": {"en": ["delivery", "shipping"], "fa": ["ارسال", "تحویل"]}},
                {"key": "packaging", "terms": {"en": ["packaging"], "fa": ["بسته بندی"]}},
            ],
            "products": [
                {"key": "green-tea", "names": ["green tea", "چای سبز"]},
                {"key": "black-tea", "names": ["black tea", "چای سیاه"]},
            ],
            "competitors": [{"name": "Golden Leaf", "aliases": ["برگ طلایی"]}],
        }
    )


@pytest.fixture(scope="session")
def analyzer(brand: BrandProfile) -> TextAnalyzer:
    return TextAnalyzer(brand)
