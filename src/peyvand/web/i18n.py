"""Interface languages (Persian first, English second) and how dates and numbers are shown.

Messages are gettext catalogues (`translations/<locale>/LC_MESSAGES/messages.po`, read with Babel; the
English text is the message id). Dates are shown in the Jalali (Solar Hijri, via jdatetime) or Gregorian
calendar by the user's choice, in the workspace's time zone; Persian interface shows Persian digits.
"""

from __future__ import annotations

import gettext
import io
import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

import jdatetime
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from peyvand.analysis.calendar import holiday_name
from peyvand.domain.numbers import digits, format_number

LOCALES = ("fa", "en")
RTL_LOCALES = frozenset({"fa"})
JALALI_MONTHS_EN = (
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
)
GREGORIAN_MONTHS_FA = (
    "ژانویه",
    "فوریه",
    "مارس",
    "آوریل",
    "مه",
    "ژوئن",
    "ژوئیه",
    "اوت",
    "سپتامبر",
    "اکتبر",
    "نوامبر",
    "دسامبر",
)
JALALI_MONTHS_FA = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)


# A stored key (a metric, a kind, a state): lower case, with an underscore or a hyphen between its words.
_KEY = re.compile(r"[a-z][a-z0-9]*(?:[_-][a-z0-9]+)+")


class _ReadableKeys(gettext.NullTranslations):
    """The last fallback of every catalogue: a key no catalogue names reads as words ("store_exits" →
    "Store exits") instead of showing the key itself."""

    def gettext(self, message: str) -> str:
        if isinstance(message, str) and _KEY.fullmatch(message):
            return message.replace("_", " ").replace("-", " ").capitalize()
        return message


class _Catalogue(gettext.GNUTranslations):
    """A merged catalogue that gives an empty or missing message back as it is: gettext("") would be the
    catalogue's header, and a value that is not text (None) is shown as it was."""

    def gettext(self, message: str) -> str:
        if not isinstance(message, str) or not message:
            return message
        return super().gettext(message)


@cache
def translations(locale: str) -> gettext.NullTranslations:
    """The locale's catalogue: every `.po` file in its folder (one per feature) merged into one. English
    text is its own message id, so the English catalogue only names stored keys («direct_message» →
    "Direct message"); a key found in no catalogue reads as words (`_ReadableKeys`)."""
    folder = resources.files("peyvand.web").joinpath(f"translations/{locale}/LC_MESSAGES")
    catalog = Catalog(locale=locale)
    for po in sorted((f for f in folder.iterdir() if f.name.endswith(".po")), key=lambda f: f.name):
        with po.open("rb") as handle:
            for message in read_po(handle, locale=locale):
                if message.id and message.string:
                    catalog.add(message.id, message.string)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    found = _Catalogue(buffer)
    found.add_fallback(_ReadableKeys())
    return found


def direction(locale: str) -> str:
    return "rtl" if locale in RTL_LOCALES else "ltr"


def list_separator(locale: str) -> str:
    """Between the items of a list in running text: the Persian comma on Persian pages."""
    return "، " if locale == "fa" else ", "


def format_p(value: float | None, locale: str) -> str:
    """A p- or q-value for a table: three decimals, "< 0.001" below that (the exact value goes in the
    cell's title), in the locale's digits."""
    if value is None:
        return "—"
    if value < 0.001:
        return "< " + format_number(0.001, locale, 3)
    return format_number(value, locale, 3)


def format_percent(value: float | None, locale: str, decimals: int = 1) -> str:
    if value is None:
        return "—"
    return format_number(value * 100, locale, decimals) + ("٪" if locale == "fa" else "%")


def _jalali_date(day: date, locale: str, with_year: bool = True) -> str:
    j = jdatetime.date.fromgregorian(date=day)
    months = JALALI_MONTHS_FA if locale == "fa" else JALALI_MONTHS_EN
    text = f"{j.day} {months[j.month - 1]}" + (f" {j.year}" if with_year else "")
    return digits(text, locale)


def _gregorian_date(day: date, locale: str, with_year: bool = True) -> str:
    """ "04 Nov 2026" in English; on Persian pages the Persian names of the Gregorian months in Persian
    order, «۴ نوامبر ۲۰۲۶» (an English month name inside right-to-left text scrambles the order)."""
    if locale != "fa":
        return day.strftime("%d %b %Y" if with_year else "%d %b")
    text = f"{day.day} {GREGORIAN_MONTHS_FA[day.month - 1]}" + (f" {day.year}" if with_year else "")
    return digits(text, locale)


def format_date(value: date | datetime | None, *, locale: str, calendar: str, tz: str = "Asia/Tehran") -> str:
    if value is None:
        return "—"
    day = value.astimezone(ZoneInfo(tz)).date() if isinstance(value, datetime) else value
    if calendar == "jalali":
        return _jalali_date(day, locale)
    return _gregorian_date(day, locale)


def format_datetime(value: datetime | None, *, locale: str, calendar: str, tz: str = "Asia/Tehran") -> str:
    if value is None:
        return "—"
    local = value.astimezone(ZoneInfo(tz))
    day = format_date(local.date(), locale=locale, calendar=calendar)
    return f"{day} {digits(local.strftime('%H:%M'), locale)}"


def short_date(day: date, *, locale: str, calendar: str) -> str:
    """A compact axis label: day and month (Jalali or Gregorian)."""
    if calendar == "jalali":
        return _jalali_date(day, locale, with_year=False)
    return _gregorian_date(day, locale, with_year=False)


# A value a reason names, in an `import_reasons.po` message id: "{0} is not a number".
_PLACEHOLDER = re.compile(r"\{(\d)\}")
# "author.followers: Input should be …": a field path, then what is wrong with it.
_FIELD_REASON = re.compile(r"([A-Za-z_][\w.\[\]]*): (.+)", re.DOTALL)


@cache
def _reason_templates(locale: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """The locale's messages that name values (message ids with {0}, {1} …: import reasons in
    `import_reasons.po`, refusals of the services in `service_messages.po`) as patterns, the most
    specific (the most fixed text) first."""
    messages: list[tuple[str, str]] = []
    for name in ("import_reasons.po", "service_messages.po"):
        po = resources.files("peyvand.web").joinpath(f"translations/{locale}/LC_MESSAGES/{name}")
        if po.is_file():
            with po.open("rb") as handle:
                messages += [
                    (str(m.id), str(m.string)) for m in read_po(handle, locale=locale) if m.id and m.string
                ]
    found = []
    for message_id, string in messages:
        if not _PLACEHOLDER.search(message_id):
            continue
        parts = _PLACEHOLDER.split(message_id)  # text, number, text, number, …, text
        pattern = "".join(
            re.escape(part) if k % 2 == 0 else f"(?P<v{part}>.+?)" for k, part in enumerate(parts)
        )
        fixed = sum(len(part) for part in parts[::2])
        found.append((fixed, re.compile(pattern, re.DOTALL), string))
    found.sort(key=lambda entry: -entry[0])
    return tuple((pattern, string) for _, pattern, string in found)


def _fill(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values[f"v{m.group(1)}"], template)


def _one_reason(reason: str, locale: str) -> str | None:
    fixed = translations(locale).gettext(reason)
    if fixed != reason:
        return fixed
    for pattern, string in _reason_templates(locale):
        match = pattern.fullmatch(reason)
        if match and not any("; " in value for value in match.groupdict().values()):  # not two reasons
            return _fill(string, match.groupdict())
    field = _FIELD_REASON.fullmatch(reason)
    if field:
        what = _one_reason(field.group(2), locale)
        return f"{field.group(1)}: {what}" if what is not None else None
    return None


def import_reason(reason: str | None, locale: str) -> str:
    """Why an import rejected or filtered a record, in the viewer's language. Reasons are stored in
    English (the API, the rejects downloads and the logs keep them so); a Persian page translates the
    fixed ones, the ones that name a value («{0} is not a number» in `import_reasons.po`, the value kept
    as written) and each part of a validation message («author.followers: …; text: …»). A reason no
    catalogue knows is shown as written."""
    if not reason or locale == "en":
        return reason or ""
    whole = _one_reason(reason, locale)
    if whole is not None:
        return whole
    return "؛ ".join(_one_reason(part, locale) or part for part in reason.split("; "))


def rule_reason(rule_id: str, text: str, locale: str) -> str:
    """A routing reason in the viewer's language (the stored text is English)."""
    from peyvand.domain.routing import default_rules

    rule = next((r for r in default_rules() if r.id == rule_id), None)
    return rule.sentence(locale) if rule else text


# The words for the kinds of signal and PR event (their keys read badly even as words: "mention_spike").
SIGNAL_TERMS = {
    "mention_spike": "mention spike",
    "coverage_spike": "coverage spike",
    "content_pickups": "content pickups",
    "level_shift": "level shift",
}


def signal_term(key: str, gettext: Any) -> str:
    """A signal's or PR event's kind in the viewer's language."""
    return str(gettext(SIGNAL_TERMS.get(key, key)))


def metric_name(key: str, gettext: Any) -> str:
    """A metric's or headline's name for people: its translation, or the key made readable ("visits"
    reads "Visits"; keys with an underscore are made readable by the catalogue's last fallback)."""
    name = str(gettext(key))
    return key.replace("_", " ").capitalize() if name == key else name


def series_label(series: Any, gettext: Any, names: Mapping[tuple[str, str], str] | None = None) -> str:
    """A series' name for people: its translated metric, then its dimension values (not its storage key),
    each by the name people know it by where `names` has one (`services.series.dimension_names`), else as
    the catalogue translates it (channels such as «google_ads»)."""
    name = metric_name(series.metric, gettext)
    if not series.dims:
        return str(name)
    known = names or {}
    values = [
        known.get((k, str(v))) or gettext(str(v)) for k, v in sorted(series.dims.items()) if v != "paid"
    ]
    return f"{name} · " + " · ".join(values)


class SeriesName(NamedTuple):
    metric: str
    dims: dict[str, Any]


def series_of_key(key: str, metric: str) -> SeriesName:
    """A series' metric and dimensions from its storage key (`domain.metrics.series_key`: the metric, then
    its dimensions as JSON), for `series_label` where only the key was kept (a signal's explanation)."""
    rest = key[len(metric) :] if key.startswith(metric) else ""
    try:
        dims = json.loads(rest) if rest else {}
    except ValueError:
        dims = {}
    return SeriesName(metric, dims if isinstance(dims, dict) else {})


def template_helpers(locale: str, calendar: str, tz: str) -> dict[str, Any]:
    """The functions templates use, bound to the viewer's language, calendar and time zone."""
    t = translations(locale)
    return {
        "_": t.gettext,
        "ngettext": t.ngettext,
        "locale": locale,
        "calendar": calendar,
        "dir": direction(locale),
        "num": lambda v, d=0: format_number(v, locale, d),
        "pct": lambda v, d=1: format_percent(v, locale, d),
        "pval": lambda v: format_p(v, locale),
        "sep": list_separator(locale),
        # Between the parts of a line ("PR desk · Peyvand"); on Persian pages a bullet, as the middle dot
        # reads as the Persian zero beside Persian digits («· ۱۳ آبان» looks like «۱۳۰ آبان»).
        "dot": "•" if locale == "fa" else "·",
        "fdate": lambda v: format_date(v, locale=locale, calendar=calendar, tz=tz),
        "fdatetime": lambda v: format_datetime(v, locale=locale, calendar=calendar, tz=tz),
        "digits": lambda s: digits(str(s), locale),
        "reason": lambda r: rule_reason(r.get("rule", ""), r.get("text", ""), locale),
        "import_reason": lambda r: import_reason(r, locale),
        "series_label": lambda s: series_label(s, t.gettext),
        "series_of_key": series_of_key,
        "signal_term": lambda k: signal_term(k, t.gettext),
        "holiday": lambda k: holiday_name(k, locale),
        "metric_name": lambda key: metric_name(key, t.gettext),
    }
