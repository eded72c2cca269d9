"""Language detection on raw text: fa, en or other, with Finglish read as Persian."""

from __future__ import annotations

import pytest

from peyvand.text.finglish import is_finglish
from peyvand.text.language import detect_language


@pytest.mark.parametrize(
    ("text", "language", "script"),
    [
        ("سفارشم هنوز نرسیده، لطفا پیگیری کنید", "fa", "arabic"),
        ("خيلي عاليه", "fa", "arabic"),  # Persian typed on an Arabic keyboard
        ("كيفيت غذا خوب بود ولي دير رسيد", "fa", "arabic"),
        ("ممنون", "fa", "arabic"),
        # code-switched Persian counts words, not letters; @handles and links are not words
        ("سفارش online دادم ولی tracking code هیچ‌وقت update نشد", "fa", "arabic"),
        ("@maryam_r @sahar.k 🌹 شرکت در مسابقه", "fa", "arabic"),
        ("I love چای دارچه so much!", "en", "latin"),
        ("damnoosh baraye khab chi pishnahad mikonid?", "fa", "latin"),
        ("My order never arrived, please help", "en", "latin"),
        ("ok", "en", "latin"),
        ("salam, kheili mamnoon az shoma", "fa", "latin"),
        ("mikham bekharam, gheymatesh chande?", "fa", "latin"),
        ("سفارشم delivery نشد هنوز", "fa", "arabic"),  # mixed: Persian letters dominate
        ("هذا المنتج جيد جدا وأنا سعيد به", "other", "arabic"),  # Arabic
        ("في الحقيقة لم يصل الطلب حتى الآن", "other", "arabic"),
        ("", "other", "none"),
        ("؟!...", "other", "none"),
        ("😍😍👍", "other", "none"),
        ("12345", "other", "none"),
    ],
)
def test_detect_language(text: str, language: str, script: str) -> None:
    found = detect_language(text)
    assert (found.language, found.script) == (language, script)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("merci", True),
        ("nemidoonam chera inghadr dir shod", True),
        ("thanks merci but the order is late", False),
        ("I love this shop", False),
        ("the mikado is a cake", False),
    ],
)
def test_finglish(text: str, expected: bool) -> None:
    assert is_finglish(text) is expected
