"""Round four of the inbox corrections (benchmarks/data/inbox-dev4.jsonl): questions that check whether
something is safe or normal, applause after a complaint, a prayer emoji in a request, more words, and cue
lists for spam, contest entries, jobs, shipping and payment questions. The texts are written for these
tests, not taken from the sets."""

from __future__ import annotations

import pytest

from peyvand.domain.items import Author
from peyvand.text.enrich import Enrichment, TextAnalyzer


def enrich(analyzer: TextAnalyzer, text: str, kind: str = "comment") -> Enrichment:
    return analyzer.enrich(text, author=Author(handle="someone"), source="instagram", kind=kind)


@pytest.mark.parametrize(
    "text",
    [
        "این دمنوش برای بچه‌ها مشکلی نداره؟",
        "برای دوران شیردهی اشکالی نداره؟",
        "چای سبز بعد از دم کشیدن کدر میشه، عادیه؟",
        "Is it safe to use the toner during pregnancy?",
    ],
)
def test_a_question_that_checks_is_a_question(analyzer: TextAnalyzer, text: str) -> None:
    e = enrich(analyzer, text)
    assert (e.intent, e.sentiment) == ("question", "neutral")


def test_a_complaint_that_ends_by_checking_is_still_a_complaint(analyzer: TextAnalyzer) -> None:
    e = enrich(analyzer, "بسته باز شده بود و بوی خیلی بدی میداد، مشکلی نداره؟")
    assert (e.intent, e.sentiment) == ("complaint", "negative")


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        ("دو هفته‌ست منتظرم سفارشم برسه 👏👏", "negative"),  # applause after a complaint
        ("مرسی واقعا، یه ماهه منتظرم 👏", "negative"),
        ("عطرش فوق‌العاده‌ست 👏", "positive"),  # applause after praise stays praise
        ("گرونه ولی ارزششو داره", "positive"),
        ("دیگه واقعا نمیصرفه", "negative"),
        ("زعفرانی که گرفتم بوی نا میداد", "negative"),
        ("کرمی که رسید فاقد برچسب اصالت بود", "negative"),
        ("۵۰۰ تومن برای یه تونر؟ شوخیتون گرفته؟", "negative"),
        ("یه ماه کامل زدم هیچی به هیچی", "negative"),
        ("Velora's cream is way better than this one", "negative"),
        ("Are you kidding? 70 dollars for a toner?", "negative"),
        ("kerem ro zadam vali aslan razi nistam", "negative"),
        ("chaye siah talkh bood, doost nadashtam", "negative"),
        ("هزینه ارسال به شیراز چقدره؟", "neutral"),  # a cost asked about is not a complaint
    ],
)
def test_words_read_in_their_place(analyzer: TextAnalyzer, text: str, sentiment: str) -> None:
    assert enrich(analyzer, text).sentiment == sentiment


def test_a_prayer_emoji_in_a_request_is_courtesy(analyzer: TextAnalyzer) -> None:
    e = enrich(analyzer, "لطفا لینک خرید زعفران رو بفرستید 🙏")
    assert (e.intent, e.sentiment, e.sales_signal) == ("purchase_intent", "neutral", True)


@pytest.mark.parametrize(
    ("text", "intent", "audience"),
    [
        ("Get 5k followers in 24h, 100% real, DM us for prices", "other", "public"),
        ("عضو کانال ما بشید، لوازم آرایشی اصل با تخفیف ویژه", "other", "public"),
        ("@nazanin.k @reza_m entering, hope I win the gift box!", "other", "public"),
        ("Hi, I'm a designer looking for freelance work on packaging", "other", "public"),
        ("هفته پیش خریدم، بوی نا میداد", "complaint", "customer"),  # «پیش خریدم» is not a pre-order
        ("آژانس تبلیغاتی هستیم و برای کمپین نوروز پیشنهاد طراحی داریم", "partnership", "partner"),
        ("We'd like to list your products on our marketplace", "partnership", "partner"),
        ("این کرم وارداتیه یا تولید داخل؟", "question", "customer"),  # «وارداتی»: imported, not an importer
    ],
)
def test_what_a_message_is_for(analyzer: TextAnalyzer, text: str, intent: str, audience: str) -> None:
    e = enrich(analyzer, text)
    assert (e.intent, e.audience) == (intent, audience)


@pytest.mark.parametrize(
    "text",
    [
        "Do you ship internationally? I'm in Hamburg.",
        "be shiraz ersal darid?",
        "پرداخت در محل دارید؟",
        "Ready to buy the night cream, do you accept PayPal?",
        "زعفران سرگل رو میخوام، به کرج ارسال دارید؟",
    ],
)
def test_shipping_and_payment_questions_are_sales_signals(analyzer: TextAnalyzer, text: str) -> None:
    assert enrich(analyzer, text).sales_signal


def test_a_purchase_wish_with_a_question_is_purchase_intent(analyzer: TextAnalyzer) -> None:
    assert enrich(analyzer, "Ready to buy the night cream, do you accept PayPal?").intent == "purchase_intent"


@pytest.mark.parametrize(
    "text",
    [
        "مرسی از پیگیریتون 👏",
        "ممنون 👏 مشکل حل شد",
        "سردرد داشتم این دمنوش معجزه کرد 👏",
        "the box was a bit damaged but the tea is perfect 👏",
    ],
)
def test_applause_after_thanks_or_praise_stays_praise(analyzer: TextAnalyzer, text: str) -> None:
    e = enrich(analyzer, text)
    assert (e.sentiment, e.intent) == ("positive", "praise")


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("پولم رو میخوام", "purchase"),  # my money back
        ("I'll take my business elsewhere", "purchase"),
        ("Do you accept returns?", "purchase"),
        ("Is this 100% real matcha?", "spam"),
        ("you have so many followers in Iran, well deserved", "spam"),
        ("من عضو کانال شما هستم، چای سبزتون موجوده؟", "spam"),
        ("mamnoon az hamkari", "partnership"),  # thanks for your cooperation
        ("tabligh shoma ro didam, gheymatesh chande?", "partnership"),  # I saw your ad
    ],
)
def test_cues_that_would_misfire_do_not(analyzer: TextAnalyzer, text: str, cue: str) -> None:
    assert cue not in enrich(analyzer, text).extra["cues"]


def test_words_that_would_misfire_do_not(analyzer: TextAnalyzer) -> None:
    assert enrich(analyzer, "قبلیا خیلی بهتره").intent != "praise"  # the old ones are much better
    assert enrich(analyzer, "doost dashtam bedoonam kay mojood mishe").sentiment == "neutral"  # I'd like to
    assert enrich(analyzer, "Is it normal that my order is 3 weeks late?").intent == "complaint"
