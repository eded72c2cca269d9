"""Round three of the inbox corrections (benchmarks/data/inbox-dev3.jsonl): courtesy in a message that
asks is not praise, a message's purpose can make its tone beside the point, and who writes outranks how
many follow them. The texts are written for these tests, not taken from the sets."""

from __future__ import annotations

import pytest

from peyvand.domain.items import Author
from peyvand.text.enrich import Enrichment, TextAnalyzer


def enrich(
    analyzer: TextAnalyzer, text: str, author: Author | None = None, kind: str = "comment"
) -> Enrichment:
    return analyzer.enrich(text, author=author or Author(), source="instagram", kind=kind)


@pytest.mark.parametrize(
    "text",
    [
        "چای سبز شما کافئین داره؟ ممنون",
        "لطفا ترکیبات صابون رو بنویسید. مرسی",
        "ممنون میشم راهنمایی کنید این کرم برای پوست خشک مناسبه یا نه",
        "dam-nooshetun caffeine dare? merci",
        "Thanks for the reply. What's the shelf life once opened?",
        "Please let me know if the soap is fine for kids. Thanks!",
    ],
)
def test_courtesy_in_a_message_that_asks_is_not_praise(analyzer: TextAnalyzer, text: str) -> None:
    assert enrich(analyzer, text).sentiment == "neutral"


def test_courtesy_that_does_not_ask_still_thanks(analyzer: TextAnalyzer) -> None:
    assert enrich(analyzer, "ممنون از پیگیریتون، بسته رسید").sentiment == "positive"
    assert enrich(analyzer, "Thanks, the tea arrived today and it's lovely").sentiment == "positive"


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        ("تونر گلاب برای پوست چرب هم مناسبه؟", "neutral"),  # a skin type, not a complaint
        ("Is the night cream good for dry skin?", "neutral"),
        ("یکی توضیح بده این قضیه چی بود؟", "neutral"),  # «بده»: give, not bad
        ("کیفیتش خیلی بده", "negative"),
        ("The toner feels like plain water.", "neutral"),
        ("It says gentle but it stung like crazy.", "negative"),
        ("بعد از خوردنش معده درد گرفتم", "negative"),
        ("شبا قبل خواب معجزه میکنه", "positive"),
        ("دو بسته تموم کردم ولی هیچ تاثیری نداشت", "negative"),
        ("دمتون گرم، دو هفته‌ست سفارش دادم هنوز کد رهگیری ندادین 👏", "negative"),  # sarcasm
    ],
)
def test_words_read_in_their_place(analyzer: TextAnalyzer, text: str, sentiment: str) -> None:
    assert enrich(analyzer, text).sentiment == sentiment


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        (
            "We'd love to feature your tea in our magazine. Could your founder comment for a piece?",
            "press_inquiry",
        ),
        ("شرکت کردم 😍 امیدوارم برنده بشم", "other"),
        ("Are you hiring? I'd love to join your team.", "other"),
        ("ما تولیدکننده جعبه هدیه هستیم، کاتالوگ رو براتون بفرستیم؟", "partnership"),
        ("We're a tea importer in Hamburg looking for Iranian suppliers.", "partnership"),
    ],
)
def test_offers_requests_and_entries_are_neutral(analyzer: TextAnalyzer, text: str, intent: str) -> None:
    e = enrich(analyzer, text, kind="direct_message")
    assert (e.intent, e.sentiment) == (intent, "neutral")
    assert e.extra["lexicon_score"] != 0.0 or intent == "partnership"  # the lexicon's reading is kept


def test_a_learned_sentiment_is_not_neutralised(analyzer: TextAnalyzer) -> None:
    """The workspace's own labels decide what such messages are: a learned model's sentiment is kept."""
    from peyvand.text.enrich import LearnedModels
    from peyvand.text.learned import train

    texts = ["عالی بود", "خیلی خوب", "بد بود", "افتضاح"] * 5 + ["معمولی", "بد نبود"] * 5
    labels = ["positive", "positive", "negative", "negative"] * 5 + ["neutral", "neutral"] * 5
    learned = TextAnalyzer(
        analyzer.brand, models=LearnedModels(sentiment=train(texts, labels, task="sentiment"))
    )
    e = learned.enrich("شرکت کردم خیلی خوب", author=Author(), source="instagram", kind="comment")
    assert (e.intent, e.sentiment, e.sentiment_provisional) == ("other", "positive", False)
    assert enrich(analyzer, "شرکت کردم خیلی خوب").sentiment == "neutral"  # built in: a contest entry


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("قیمت کرم زعفران چنده؟ میخوام برای مادرم بگیرم", "purchase_intent"),
        ("از کجا میشه چای دارچه خرید؟ هر جا میرم ندارن", "purchase_intent"),
        ("Do you ship to Canada? I'd love to order the black tea.", "purchase_intent"),
        ("تبلیغ جدیدتون روی بیلبورد خیلی قشنگ بود 👌", "praise"),
        ("هر ویدیویی باز میکنم اول تبلیغ شماست، دیگه خسته شدیم", "complaint"),
        ("کد تخفیف رو زدم ولی اعمال نشد", "complaint"),
    ],
)
def test_purchase_praise_and_complaint_among_the_offers(
    analyzer: TextAnalyzer, text: str, intent: str
) -> None:
    assert enrich(analyzer, text).intent == intent


def test_an_outlet_that_says_so_outranks_its_follower_count(analyzer: TextAnalyzer) -> None:
    e = enrich(
        analyzer,
        "از تحریریه روزنامه پیام میدیم. سخنگوی شرکت امروز در دسترس هستن؟",
        Author(handle="tehranbiz", followers=98_000),
        kind="direct_message",
    )
    assert (e.audience, e.intent) == ("media_outlet", "press_inquiry")
