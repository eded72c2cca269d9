"""The built-in sentiment scorer on Persian and English edge cases (hand-written sentences)."""

from __future__ import annotations

import pytest

from peyvand.text.lexicon import load_lexicon, with_overrides
from peyvand.text.normalise import normalise_key, tokenise
from peyvand.text.sentiment import Scored, score_tokens, squash


def score(text: str) -> Scored:
    return score_tokens(tokenise(normalise_key(text)), load_lexicon())


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # plain and colloquial
        ("خیلی خوشمزه بود", "positive"),
        ("غذا سرد بود و دیر رسید", "negative"),
        ("عالیه، دمتون گرم", "positive"),
        ("غذاتون افتضاحه", "negative"),
        ("خوشمزس", "positive"),
        ("سفارش رو دریافت کردم", "neutral"),
        # negation after the word (Persian), with نمی/ن prefixes, and before it (نه)
        ("خوب نبود", "negative"),
        ("کیفیت خوبی نداشت", "negative"),
        ("اصلا راضی نیستم", "negative"),
        ("هیچ مشکلی نداشت", "positive"),
        ("بد نبود", "positive"),
        ("سفارشم نرسید", "negative"),
        ("پشتیبانی جواب نمیده", "negative"),
        ("نه کیفیت داشت نه طعم خوبی", "negative"),
        ("دیگه سفارش نمیدم", "negative"),
        # a negated verb does not reach across «که»
        ("نون انقدر خشک بود که نمیشد خوردش", "negative"),
        # Arabic letters, ZWNJ, joined and spaced spellings
        ("خيلي عالي بود", "positive"),
        ("بی‌کیفیت", "negative"),
        ("بیکیفیت", "negative"),
        ("بی کیفیت", "negative"),
        ("نمی‌ارزه", "negative"),
        ("نمیارزه", "negative"),
        ("وتشکر از پیک", "positive"),
        # taarof and politeness
        ("دستتون درد نکنه", "positive"),
        ("قربون دستتون", "positive"),
        ("سلام خسته نباشید، سفارشم کی میرسه؟", "neutral"),
        # sarcasm
        ("مرسی از این همه تاخیر", "negative"),
        ("Thanks for nothing", "negative"),
        ("Great, another delay", "negative"),
        # emoji and emoticons
        ("😍😍", "positive"),
        ("سفارش رسید 😡", "negative"),
        ("ok :(", "negative"),
        # English (VADER lexicon + customer-service additions)
        ("I love this, the delivery was super fast!", "positive"),
        ("not good at all", "negative"),
        ("My flight was delayed and nobody answered", "negative"),
        ("still waiting on hold for an hour", "negative"),
        ("no problem at all", "positive"),
        # words that look like sentiment words but are not: «بدم» (I give), «دقیقه» (minute), requests
        ("میخوام سفارش بدم", "neutral"),
        ("سفارش بدیم از کجا؟", "neutral"),
        ("۴۵ دقیقه دم کردم", "neutral"),
        ("لطفا لینک خرید رو بفرستید", "neutral"),
        ("ازش بدم میاد", "negative"),
        ("لطفا فاکتور را ارسال بفرمایید و پاسخ بدهید", "neutral"),
        ("بد نبود، ولی انتظار بیشتری داشتم", "negative"),
        ("۴۵ دقیقه پشت خط بودم", "negative"),
        ("کسی امتحان کرده؟ خوبه؟", "neutral"),
        # a question does not assert the good it asks about; a complaining question stays negative
        ("این دمنوش برای دیابتی‌ها مناسبه؟", "neutral"),
        ("کد تخفیف برای خرید اول دارین؟", "neutral"),
        ("Is the saffron tea safe during pregnancy?", "neutral"),
        ("چرا انقدر بد و گرونه؟", "negative"),
        ("Honestly the green tea tastes like hay. Not buying again.", "negative"),
        ("I'd like to order 3 packs, how do I pay?", "neutral"),
        ("Are your tea bags plastic free?", "neutral"),
        # a negated verb in a question asks politely; a negated noun across the object marker
        ("ببخشید استخدام ندارید؟", "neutral"),
        ("چای دارچه یا گلسنگ؟ کدوم بهتره؟", "neutral"),
        ("هیچکس جواب تلفن رو نمیده", "negative"),
        ("جواب پیام‌های منو نمیدید", "negative"),
        ("چای این دفعه اصلا عطر نداشت", "negative"),
        ("هنوز هیچ خبری نیست", "negative"),
        # sarcasm across a comma or into the next sentence
        ("عالیه، بازم دیر رسید", "negative"),
        ("مرسی از پیگیریتون. هنوز هیچ خبری نیست", "negative"),
        ("مرسی از پیگیریتون. سفارش رسید", "positive"),
        # Finglish and mixed
        ("sefareshe man hanuz nareside", "negative"),
        ("kheili khoob bood merci", "positive"),
        ("ghaza sard bood, afteza", "negative"),
        ("پیتزا خیلی delicious بود", "positive"),
    ],
)
def test_label(text: str, label: str) -> None:
    assert score(text).label == label


def test_contrast_weights_the_clause_after_but() -> None:
    assert score("دیر رسید ولی خیلی خوشمزه بود").label == "positive"
    assert score("خوشمزه بود ولی خیلی دیر رسید و سرد بود").label == "negative"
    assert score("It was good but the service was terrible").label == "negative"


def test_intensifiers_and_diminishers_change_the_strength() -> None:
    assert score("خیلی خوب بود").score > score("خوب بود").score > score("یکم خوب بود").score > 0
    assert score("اصلا خوب نبود").score < score("خوب نبود").score < 0


def test_exclamation_marks_amplify() -> None:
    assert score("عالی بود!!!").score > score("عالی بود").score


def test_brand_names_are_kept_out_of_scoring() -> None:
    tokens = tokenise(normalise_key("United is late"))
    assert score_tokens(tokens, load_lexicon(), masked={0}).valences[0] == 0.0


def test_score_is_squashed_into_minus_one_one() -> None:
    assert squash(0.0) == 0.0
    assert -1.0 < squash(-1000.0) < -0.99 and 0.99 < squash(1000.0) < 1.0
    assert all(-1 <= score(t).score <= 1 for t in ["عالی " * 200, "افتضاح " * 200])


def test_workspace_overrides_replace_a_valence() -> None:
    lexicon = with_overrides(load_lexicon(), {"تلخ": 2.0})  # a coffee brand: bitter is good
    assert score_tokens(tokenise(normalise_key("تلخ بود")), lexicon).label == "positive"
    assert score("تلخ بود").label == "negative"
