"""Dates, numbers and words on Persian and English pages (`web.i18n`, `domain.numbers`)."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from peyvand.analysis.calendar import holiday_name
from peyvand.domain.items import ItemError, parse_item
from peyvand.domain.numbers import format_number
from peyvand.web.i18n import format_date, import_reason, short_date, signal_term, translations


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


# Reasons that are programming errors, never shown to a person.
INTERNAL_REASONS = {"a Record has exactly one of item, reject, filtered"}


def _template(node: ast.expr) -> str | None:
    """A reason as written in the source: a string, or an f-string with its values as {0}, {1} …"""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts, n = [], 0
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            else:
                parts.append(f"{{{n}}}")
                n += 1
        return "".join(parts)
    return None


def _reasons_in_source() -> set[str]:
    """Every reason a parser or import can give: what it passes as `reject=`/`filtered=` or to
    `.reject(line, …)`, and what it raises as ValueError or ItemError (those become reject reasons)."""
    source = Path(__file__).resolve().parents[2] / "src" / "peyvand"
    paths = [*source.glob("sources/*.py"), *source.glob("services/*.py"), *source.glob("web/routes/*.py")]
    found: set[str] = set()
    for path in [*paths, source / "domain" / "items.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
                if getattr(node.exc.func, "id", "") in {"ValueError", "ItemError"}:
                    found.add(_template(node.exc.args[0]) or "")
            if isinstance(node, ast.Call):
                found |= {_template(k.value) or "" for k in node.keywords if k.arg in {"reject", "filtered"}}
                if getattr(node.func, "attr", "") == "reject" and len(node.args) == 2:
                    found.add(_template(node.args[1]) or "")
    return found - {""} - INTERNAL_REASONS


def test_every_reason_an_import_gives_reads_in_persian() -> None:
    """The import pages show why a record was filtered or rejected in the viewer's language: every
    reason in the source, fixed or naming values, has a Persian reading; the values stay as written."""
    reasons = _reasons_in_source()
    assert len(reasons) > 80
    samples = {reason: re.sub(r"\{\d\}", "'x7'", reason) for reason in reasons}
    untranslated = sorted(r for r, sample in samples.items() if not _persian(import_reason(sample, "fa")))
    assert untranslated == []
    assert import_reason("'12,5kg' is not a number", "fa") == "'12,5kg' عدد نیست"
    assert import_reason("'12,5kg' is not a number", "en") == "'12,5kg' is not a number"
    assert import_reason("a reason no catalogue knows", "fa") == "a reason no catalogue knows"


def _persian(text: str) -> bool:
    return re.search("[\u0600-\u06ff]", text) is not None


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "comment"},
        {"kind": "nonsense"},
        {"id": "1", "source": "x", "kind": "comment", "text": 5, "created_at": "yesterday"},
        {"id": "", "source": "x", "kind": "comment", "text": "hi", "created_at": "2026-01-01T00:00:00Z"},
        {"id": "1", "source": "x", "kind": "comment", "text": "hi", "created_at": "2026-01-01", "author": 5},
        {
            "id": "1",
            "source": "x",
            "kind": "comment",
            "text": "hi",
            "created_at": "2026-01-01",
            "author": {"followers": -1, "verified": "perhaps"},
        },
        {
            "id": "1",
            "source": "x",
            "kind": "comment",
            "text": "hi",
            "created_at": "2026-01-01",
            "author": {"followers": "many"},
        },
        {"id": "1", "source": "x", "kind": "metric", "metric": "visits", "value": "abc", "at": "2026-01-01"},
        {
            "id": "1",
            "source": "x",
            "kind": "metric",
            "metric": "visits",
            "value": 1,
            "at": "2026-01-01",
            "dims": [1],
        },
    ],
)
def test_validation_reasons_read_in_persian_part_by_part(bad: dict[str, object]) -> None:
    with pytest.raises(ItemError) as caught:
        parse_item(bad)
    reason = str(caught.value)
    shown = import_reason(reason, "fa")
    parts = shown.split("؛ ")
    assert len(parts) == len(reason.split("; "))
    assert all(_persian(part) for part in parts), shown
