"""Intent, audience, sales signal and sponsorship from the text and the author's metadata."""

from __future__ import annotations

import pytest

from peyvand.domain.items import Author
from peyvand.text.enrich import TextAnalyzer
from peyvand.text.rules import TextRuleError, parse_rules


def enrich(analyzer: TextAnalyzer, text: str, author: Author | None = None, **kw: str):  # type: ignore[no-untyped-def]
    return analyzer.enrich(
        text, author=author or Author(), source=kw.get("source", "instagram"), kind=kw.get("kind", "comment")
    )


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("@niloofartea سفارشم هنوز نرسیده! چرا جواب نمیدید؟", "complaint"),
        ("بسته‌ها شکسته رسید، لطفا پیگیری کنید", "complaint"),
        ("My order never arrived and support is ignoring me", "complaint"),
        ("چای سبزتون موجوده؟", "question"),
        ("ساعت کاری فروشگاه تا کیه؟", "question"),
        ("How do I change my delivery address?", "question"),
        ("چای سبزتون عالیه، دمتون گرم 😍", "praise"),
        ("Thank you, the tea is amazing!", "praise"),
        ("میخوام ده بسته چای سبز بخرم", "purchase_intent"),
        ("I want to buy a gift box of black tea", "purchase_intent"),
        ("سلام، خبرنگار روزنامه هستم؛ امکان مصاحبه با مدیرعامل هست؟", "press_inquiry"),
        ("I'm writing a piece on tea prices, could your PR team comment?", "press_inquiry"),
        ("برای پیشنهاد همکاری تبلیغاتی با چه کسی صحبت کنم؟", "partnership"),
        ("We'd love a collaboration: sponsored post on our channel?", "partnership"),
        ("امروز هوا بارونیه", "other"),
        # orders and questions without a question mark
        ("میخوام سفارش بدم", "purchase_intent"),
        ("شماره کارت بدید واریز کنم", "purchase_intent"),
        ("mikham 3 ta baste chai siah sefaresh bedam", "purchase_intent"),
        ("I'd like to order 3 packs of herbal tea, how do I pay?", "purchase_intent"),
        ("سلام وقت بخیر زعفران دارید", "question"),
        ("سلام. میخواستم بدونم دمنوش ها کافئین دارن یا نه", "question"),
        ("ببخشید استخدام ندارید؟", "other"),  # a job request is not a customer's question
        ("کد تخفیف عید هنوز فعاله؟", "question"),
        ("محصولات خیلی خوبی دارید", "praise"),  # ends like a question, but praises
        # refusals, waiting and sarcasm are complaints
        ("نمی‌خوام دیگه ازتون خرید کنم", "complaint"),
        ("منتظر جوابتون هستم", "complaint"),
        ("لطفا جواب بدید", "complaint"),
        ("sefareshe man hanuz nareside, 5 roze montazeram", "complaint"),
        ("عالیه، بازم دیر رسید", "complaint"),
        # press and partnership without a question mark; greetings and contests are not praise
        (
            "از طرف مجله سبک زندگی مزاحم میشم. برای پرونده نوروز دنبال مصاحبه با مدیرعامل هستیم",
            "press_inquiry",
        ),
        ("ما یک فروشگاه اینترنتی هستیم و علاقمندیم محصولات شما را در سایتمون بفروشیم", "partnership"),
        ("عید همگی مبارک 🌸", "other"),
        ("Happy Nowruz everyone 🌸", "other"),
        ("شرکت در مسابقه 😍😍", "other"),
        ("عید مبارک، محصولاتتون عالیه", "praise"),
        # spam is other, whatever its tone; a purchase with a small hitch is still a purchase
        ("Get 10K real followers for $9.99!! DM now 🔥🔥", "other"),
        ("💰 درآمد روزانه ۵ میلیون تومان بدون سرمایه! لینک در بیو", "other"),
        ("از این پک سه تایی هنوز دارین؟ میخوام سفارش بدم", "purchase_intent"),
    ],
)
def test_intent(analyzer: TextAnalyzer, text: str, intent: str) -> None:
    assert enrich(analyzer, text).intent == intent


@pytest.mark.parametrize(
    ("author", "kw", "audience"),
    [
        (Author(bio="خبرنگار اقتصادی روزنامه همشهری"), {}, "journalist"),
        (Author(bio="Tech reporter at The Daily"), {}, "journalist"),
        (Author(email="sara@hamshahri.ir"), {}, "journalist"),  # brand.journalist_domains
        (Author(email="news@service.irna.ir"), {}, "journalist"),  # built-in news domains
        (Author(email="ali@pakhsh-alborz.ir"), {}, "partner"),  # brand.partner_domains
        (Author(bio="خبرگزاری رسمی"), {}, "media_outlet"),
        (Author(name="Hamshahri"), {"source": "rss", "kind": "article"}, "media_outlet"),
        (Author(followers=250_000), {}, "influencer"),
        (Author(followers=3_000, bio="food blogger | collabs: DM"), {}, "influencer"),
        (Author(followers=3_000, verified=True), {}, "influencer"),
        (Author(followers=3_000), {}, "public"),
    ],
)
def test_audience_from_the_author(
    analyzer: TextAnalyzer, author: Author, kw: dict[str, str], audience: str
) -> None:
    assert enrich(analyzer, "چای نیلوفر رو امروز امتحان کردم", author, **kw).audience == audience


@pytest.mark.parametrize(
    ("text", "audience"),
    [
        ("سفارشم هنوز نرسیده", "customer"),  # a complaint
        ("I bought the green tea last week", "customer"),  # customer cue
        ("@niloofartea چای سیاه دارید؟", "customer"),  # a question addressed to the brand
        ("چای نیلوفر رو امروز امتحان کردم", "public"),
    ],
)
def test_audience_from_the_message(analyzer: TextAnalyzer, text: str, audience: str) -> None:
    assert enrich(analyzer, text).audience == audience


@pytest.mark.parametrize(
    ("text", "audience"),
    [
        ("I'm a reporter with Tehran Times covering food inflation. Could you comment?", "journalist"),
        ("روزنامه‌نگار اقتصادی‌ام؛ چرا قیمت‌ها را ثابت نگه داشتید؟", "journalist"),
        ("سلام، برای گرفتن نمایندگی فروش در تبریز چه شرایطی دارید؟", "partner"),
        ("کافه ما دوست داره پیشنهاد همکاری بده، با کی صحبت کنیم؟", "partner"),
        ("ببخشید استخدام نیرو ندارین؟ رزومه رو کجا بفرستم؟", "public"),
        ("Get 10K real followers for $9.99!! DM now", "public"),
    ],
)
def test_audience_the_message_says(analyzer: TextAnalyzer, text: str, audience: str) -> None:
    e = enrich(analyzer, text, kind="direct_message")
    assert e.audience == audience


def test_an_influencers_offer_to_feature_the_brand_is_a_partnership(analyzer: TextAnalyzer) -> None:
    author = Author(followers=48_000, bio="فود بلاگر")
    e = enrich(analyzer, "سلام عزیزم 😍 دوست دارم چای هاتون رو تو استوری معرفی کنم", author)
    assert (e.intent, e.audience) == ("partnership", "influencer")


def test_a_journalists_question_is_a_press_inquiry(analyzer: TextAnalyzer) -> None:
    e = enrich(analyzer, "سلام، درباره قیمت‌های جدید توضیح میدید؟", Author(email="reza@hamshahri.ir"))
    assert (e.intent, e.audience) == ("press_inquiry", "journalist")


@pytest.mark.parametrize(
    ("text", "sales"),
    [
        ("قیمت چای سبز چنده؟", True),  # price question
        ("چای سیاه کی موجود میشه؟", True),  # availability question
        ("برای فروشگاهمون خرید عمده میخوایم", True),  # wholesale lead
        ("شرایط اخذ نمایندگی در تبریز چیه؟", True),
        ("میخوام دو بسته بخرم", True),  # purchase intent
        ("How much is the green tea gift box?", True),
        ("قیمتش خیلی گرونه", False),  # a complaint about price is not a lead
        ("این چای رو باید چند دقیقه دم کرد؟", False),  # «چند» asks how many minutes, not a price
        ("نمی‌خوام دیگه ازتون خرید کنم", False),  # a refusal
        ("gheymate zaferan chande?", True),
        ("چای سبز عالیه", False),
    ],
)
def test_sales_signal(analyzer: TextAnalyzer, text: str, sales: bool) -> None:
    assert enrich(analyzer, text).sales_signal is sales


def test_a_journalists_price_question_is_not_a_sales_lead(analyzer: TextAnalyzer) -> None:
    e = enrich(
        analyzer, "قیمت چای سیاه چرا دو برابر شده؟ برای گزارش لازم دارم", Author(email="reza@hamshahri.ir")
    )
    assert (e.intent, e.sales_signal) == ("press_inquiry", False)


@pytest.mark.parametrize(
    ("text", "author", "sponsorship"),
    [
        ("برای تبلیغ و پست اسپانسری در پیج‌مون تعرفه داریم", Author(followers=120_000), True),
        ("Interested in a paid promotion? Here is our media kit", Author(), True),
        ("پیشنهاد همکاری برای پخش محصولات در شمال کشور داریم", Author(), False),  # distribution, not ads
        ("چای سبز عالیه", Author(followers=500_000), False),
    ],
)
def test_sponsorship(analyzer: TextAnalyzer, text: str, author: Author, sponsorship: bool) -> None:
    assert enrich(analyzer, text, author).sponsorship is sponsorship


def test_rules_are_checked_when_loaded() -> None:
    with pytest.raises(TextRuleError, match="unknown condition"):
        parse_rules({"intent_rules": [{"intent": "praise", "mood": "happy"}]})
    with pytest.raises(TextRuleError, match="unknown condition"):
        parse_rules({"sales_signal_rules": [{"not_intents": ["press_inquiry"]}]})
    with pytest.raises(TextRuleError, match="no cue list"):
        parse_rules({"intent_rules": [{"intent": "praise", "cues": ["missing"]}]})
