from datetime import datetime, timedelta

import pytest

from peyvand.analysis.reputation import TEHRAN, Mention
from peyvand.analysis.spread import (
    ContentPiece,
    MinHasher,
    Pickup,
    earned_reach,
    find_pickups,
    growth_curve,
    jaccard,
    momentum,
    normalise_text,
    normalise_url,
    shingles,
)

PUBLISHED = datetime(2025, 4, 1, 9, tzinfo=TEHRAN)
RELEASE = (
    "شرکت پیوند امروز اعلام کرد که از ماه آینده خدمات پشتیبانی مشتریان را به صورت شبانه‌روزی ارائه می‌دهد. "
    "به گفته مدیرعامل این شرکت، هدف از این تغییر پاسخ‌گویی سریع‌تر به پرسش‌های مشتریان در سراسر کشور است "
    "و تیم پشتیبانی با ۵۰ نفر نیروی تازه گسترش می‌یابد. این خدمات از طریق تلفن، پیام‌رسان و ایمیل "
    "در دسترس خواهد بود و مشتریان می‌توانند در هر ساعت از شبانه‌روز با کارشناسان گفت‌وگو کنند."
)
UNRELATED = (
    "بازار خودرو در هفته گذشته با افزایش قیمت‌ها روبه‌رو شد و خریداران منتظر تصمیم‌های تازه "
    "دولت درباره واردات هستند. کارشناسان می‌گویند نوسان نرخ ارز مهم‌ترین عامل این افزایش بوده است "
    "و پیش‌بینی می‌کنند که قیمت‌ها تا پایان فصل بالا بماند."
)


def piece() -> ContentPiece:
    return ContentPiece(
        "pr-1", "پشتیبانی شبانه‌روزی", "https://www.peyvand.example/news/support/", RELEASE, PUBLISHED
    )


def mention(
    hours: float, *, text: str = "", url: str | None = None, reach: int | None = None, ident: str = "m"
) -> Mention:
    return Mention(
        at=PUBLISHED + timedelta(hours=hours), text=text, url=url, reach=reach, id=ident, source="web"
    )


def arabic_typed(text: str) -> str:
    """The same words typed with Arabic yeh and kaf, spaces for ZWNJ and Arabic-Indic digits."""
    return text.replace("ی", "ي").replace("ک", "ك").replace("\u200c", " ").replace("۵", "٥")


def test_normaliser_unifies_letters_digits_zwnj_and_diacritics() -> None:
    assert normalise_text("مي\u200cگويم ك ۱۲٣ كِتاب!") == normalise_text("می گویم ک 123 کتاب")
    assert normalise_text("می\u200cگویم کتاب\u200cهای") == "میگویم کتابهای"
    assert normalise_text("می گویم کتاب های") == normalise_text("میگویم کتابهای") == "میگویم کتابهای"
    assert normalise_text("Hello, World") == "hello world"


def test_url_normalisation_drops_scheme_www_slash_and_trackers() -> None:
    canonical = normalise_url("https://www.peyvand.example/news/support/")
    assert canonical == "peyvand.example/news/support"
    assert (
        normalise_url("http://peyvand.example/news/support?utm_source=tg&utm_medium=social#top") == canonical
    )
    assert normalise_url("peyvand.example/news/support/?fbclid=abc") == canonical
    assert (
        normalise_url("https://peyvand.example/news/support?id=2&a=1")
        == "peyvand.example/news/support?a=1&id=2"
    )
    assert normalise_url("https://x.example/%D8%AE%D8%A8%D8%B1") == normalise_url("https://x.example/خبر")


def test_pickup_by_link_with_utm_parameters() -> None:
    items = [
        mention(
            2,
            text="خبر خوب: https://peyvand.example/news/support?utm_source=telegram&utm_campaign=x، ببینید",
            reach=500,
        ),
        mention(3, text="لینک دیگر https://peyvand.example/news/other", ident="m2"),
    ]
    (found,) = find_pickups([piece()], items)
    assert (found.piece_id, found.mention_id, found.match, found.reach) == ("pr-1", "m", "link", 500)


def test_pickup_by_near_duplicate_persian_text_typed_differently() -> None:
    repost = "به گزارش خبرنگار ما، " + arabic_typed(RELEASE)
    joined = RELEASE.replace("\u200c", "")  # ZWNJ left out altogether
    items = [
        mention(5, text=repost, ident="copy"),
        mention(6, text=UNRELATED, ident="other"),
        mention(7, text=joined, ident="joined"),
    ]
    copy, rewritten = find_pickups([piece()], items)
    assert (copy.mention_id, copy.match, rewritten.mention_id) == ("copy", "text", "joined")
    assert copy.similarity is not None and copy.similarity >= 0.9
    assert rewritten.similarity is not None and 0.5 <= rewritten.similarity < 0.9
    assert jaccard(shingles(RELEASE), shingles(UNRELATED)) < 0.05


def test_earlier_mentions_and_the_piece_itself_are_not_pickups() -> None:
    items = [
        mention(-1, text=RELEASE, ident="before"),
        mention(0, text=RELEASE, url="http://peyvand.example/news/support", ident="itself"),
    ]
    assert find_pickups([piece()], items) == []


def test_minhash_signatures_are_reproducible_and_estimate_jaccard() -> None:
    a, b = shingles(RELEASE), shingles("به گزارش خبرنگار ما، " + arabic_typed(RELEASE))
    first, second = MinHasher().signature(a), MinHasher().signature(b)
    assert (first == MinHasher().signature(a)).all()
    assert float((first == second).mean()) == pytest.approx(jaccard(a, b), abs=0.15)


def pickup(hours: float, reach: int | None) -> Pickup:
    return Pickup("pr-1", f"m{hours}", PUBLISHED + timedelta(hours=hours), "link", None, reach, "web")


def test_growth_curve_and_earned_reach() -> None:
    pickups = [pickup(1, 100), pickup(5, None), pickup(30, 50), pickup(80, 10), pickup(200, 999)]
    curve = growth_curve(piece(), pickups, as_of=PUBLISHED + timedelta(days=4))
    assert curve.days == (0, 1, 2, 3, 4)
    assert curve.pickups == (2, 3, 3, 4, 4)
    assert curve.reach == (100, 150, 150, 160, 160)
    total = earned_reach(pickups[:4])
    assert (total.pickups, total.reach, total.reach_unknown) == (4, 160, 1)


def test_keeps_growing_compares_recent_and_earlier_pickup_rates() -> None:
    as_of = PUBLISHED + timedelta(days=10)
    burst = [pickup(h, 1) for h in range(1, 41)] + [pickup(24 * 9, 1)]
    faded = momentum(piece(), burst, as_of=as_of, recent_days=3)
    assert (faded.recent, faded.earlier) == (1, 40)
    assert faded.p_value is not None and faded.p_value < 0.05 and not faded.keeps_growing
    steady = [pickup(24 * d, 1) for d in range(1, 11)]
    going = momentum(piece(), steady, as_of=as_of, recent_days=3)
    # days 8, 9 and 10 of 1..10; under equal rates recent ~ Binomial(10, 0.3): P(X <= 3) = 0.6496
    assert (going.recent, going.earlier) == (3, 7)
    assert going.p_value == pytest.approx(0.64961, abs=1e-4) and going.keeps_growing
    young = momentum(piece(), [pickup(5, 1)], as_of=PUBLISHED + timedelta(days=2), recent_days=3)
    assert young.p_value is None and young.keeps_growing
