"""Dates, numbers and words on Persian and English pages (`web.i18n`, `domain.numbers`)."""

from __future__ import annotations

import re
from datetime import date

from peyvand.analysis.calendar import holiday_name
from peyvand.domain.numbers import format_number
from peyvand.web.i18n import format_date, short_date, signal_term, translations


def test_gregorian_dates_on_persian_pages_use_persian_month_names_and_digits() -> None:
    day = date(2026, 11, 4)
    assert format_date(day, locale="fa", calendar="gregorian") == "۴ نوامبر ۲۰۲۶"
    assert short_date(day, locale="fa", calendar="gregorian") == "۴ نوامبر"
    assert not re.search("[A-Za-z0-9]", format_date(day, locale="fa", calendar="gregorian"))
    assert format_date(day, locale="en", calendar="gregorian") == "04 Nov 2026"
    assert format_date(day, locale="fa", calendar="jalali") == "۱۳ آبان ۱۴۰۵"


def test_a_negative_persian_number_keeps_its_minus_on_the_left() -> None:
    assert format_number(-8.1, "fa", 1) == "\u200e−۸٫۱"
    assert format_number(-1234, "en") == "-1,234"


def test_keys_read_as_words_in_both_languages() -> None:
    en, fa = translations("en").gettext, translations("fa").gettext
    assert en("direct_message") == "Direct message" and en("pr") == "PR" and en("IRT") == "toman"
    assert en("a_key_no_catalogue_names") == "A key no catalogue names"
    assert fa("store_exits") == "خروج از فروشگاه" and fa("google_ads") == "تبلیغات گوگل"
    assert signal_term("mention_spike", en) == "mention spike"
    assert (
        holiday_name("eid_al_adha", "fa") == "عید قربان"
        and holiday_name("pre_nowruz", "en") == "Before Nowruz"
    )


def test_every_fixed_reason_an_import_gives_has_a_persian_translation() -> None:
    """The import pages show why a record was filtered or rejected through the catalogue: every reason a
    parser writes as a fixed string must read in Persian too (reasons naming a value stay as written)."""
    from pathlib import Path

    source = Path(__file__).resolve().parents[2] / "src" / "peyvand"
    fixed = {
        reason
        for path in [*source.glob("sources/*.py"), *source.glob("services/*.py")]
        for reason in re.findall(r'(?:reject|filtered)="([^"{}]+)"', path.read_text(encoding="utf-8"))
    }
    fa = translations("fa").gettext
    assert len(fixed) > 10
    assert sorted(r for r in fixed if fa(r) == r) == []
