"""Numbers as people read them in each interface language: Persian pages write Persian digits, «٬» between
thousands, «٫» before the decimals, and a minus sign kept on the left of the number in right-to-left text.

The web layer shows every number through these (`web.i18n` re-exports them for templates); analysis code
that writes sentences in Persian uses them too, so a number reads the same in a table and in a summary.
"""

from __future__ import annotations

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
MINUS = "\u2212"  # the minus sign, not a hyphen
LRM = "\u200e"  # keeps the minus on the left of the digits inside right-to-left text


def digits(text: str, locale: str) -> str:
    return text.translate(PERSIAN_DIGITS) if locale == "fa" else text


def format_number(value: float | int | None, locale: str, decimals: int = 0) -> str:
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    if locale == "fa":
        text = text.replace(",", "٬").replace(".", "٫")
        if text.startswith("-"):
            text = LRM + MINUS + text[1:]
    return digits(text, locale)
