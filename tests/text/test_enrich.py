"""The analyzer end to end, and routing through `understand` with the default rules."""

from __future__ import annotations

import datetime as dt

from peyvand.domain.items import Author, TextItem
from peyvand.text.enrich import TextAnalyzer, TextInput
from peyvand.text.understand import understand


def item(text: str, *, kind: str = "comment", author: Author | None = None, **context: object) -> TextItem:
    return TextItem(
        id="1",
        source="instagram",
        kind=kind,  # type: ignore[arg-type]
        created_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        text=text,
        author=author or Author(),
        context=context,  # type: ignore[arg-type]
    )


def test_enrichment_fields(analyzer: TextAnalyzer) -> None:
    e = analyzer.enrich(
        "@niloofartea چای سبزتون عالیه ولی خیلی گرونه", author=Author(), source="x", kind="comment"
    )
    assert (e.language, e.sentiment_provisional, e.mentions_brand, e.addressed_to_brand) == (
        "fa",
        True,
        True,
        True,
    )
    assert e.products == ("green-tea",) and e.competitors == ()
    assert [(a.key, a.polarity) for a in e.attributes] == [("price", "negative")]
    assert e.extra["script"] == "arabic" and e.normalised.startswith("@niloofartea")
    assert -1.0 <= e.sentiment_score <= 1.0


def test_finglish_is_persian_in_latin_script(analyzer: TextAnalyzer) -> None:
    e = analyzer.enrich("salam, kheili mamnoon, chaye sabz aali bood", author=Author(), source="x", kind="dm")
    assert (e.language, e.extra["script"], e.sentiment) == ("fa", "latin", "positive")


def test_enrich_many_gives_the_same_results_as_enrich(analyzer: TextAnalyzer) -> None:
    texts = ["سفارشم نرسید", "Love the green tea!", "قیمت چنده؟", "", "😍"]
    one = [analyzer.enrich(t, author=Author(), source="x", kind="comment") for t in texts]
    many = analyzer.enrich_many([TextInput(t, Author(), "x", "comment") for t in texts])
    assert one == many


def test_press_inquiry_goes_to_pr_media(analyzer: TextAnalyzer) -> None:
    u = understand(
        item("I'm a reporter writing a piece on tea, can we do an interview?", kind="email"), analyzer
    )
    assert (u.feedback, u.decision.team, u.decision.unit) == ("interaction", "pr", "media")


def test_sales_signal_is_shared_with_marketing(analyzer: TextAnalyzer) -> None:
    u = understand(item("قیمت چای سبز ۵۰۰ گرمی چنده؟ موجود دارید؟", kind="direct_message"), analyzer)
    assert (u.decision.team, u.decision.share_with) == ("pr", ("marketing",))
    assert u.contract("1")["intent"] == "question"


def test_influencer_sponsorship_request_goes_to_pr_advertising(analyzer: TextAnalyzer) -> None:
    text = "سلام، برای همکاری تبلیغاتی و پست اسپانسری در پیج با چه کسی صحبت کنم؟"
    u = understand(item(text, author=Author(followers=300_000, bio="فود بلاگر")), analyzer)
    assert (u.decision.team, u.decision.unit) == ("pr", "advertising")
    assert u.enrichment is not None and u.enrichment.sponsorship and u.enrichment.audience == "influencer"


def test_complaint_stays_with_pr(analyzer: TextAnalyzer) -> None:
    u = understand(item("@niloofartea سفارشم یک هفته‌ست نرسیده، افتضاحه"), analyzer)
    contract = u.contract("1")
    assert (contract["team"], contract["intent"], contract["sentiment"]["label"]) == (
        "pr",
        "complaint",
        "negative",
    )


def test_understand_many_matches_understand(analyzer: TextAnalyzer) -> None:
    from peyvand.domain.items import parse_item
    from peyvand.text.understand import understand_many

    metric = parse_item(
        {"id": "m", "source": "ads", "kind": "metric", "metric": "ad_spend", "at": "2026-03-01", "value": 3}
    )
    items = [item("قیمت چنده؟"), metric, item("I'm a reporter, can we talk?", kind="email"), item("")]
    together = understand_many(items, analyzer)
    assert [u.contract("x") for u in together] == [understand(i, analyzer).contract("x") for i in items]
    assert [u.feedback for u in together] == ["interaction", "reaction", "interaction", "interaction"]
