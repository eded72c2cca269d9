"""Small platform exports of each kind for a demo brand, byte for byte in each platform's own format, so the
demo imports them through the normal parsers and the imports page shows every kind of import.

`exports(spec, end)` returns one `DemoExport` per format: a Telegram Desktop group export, an Instagram
direct-message thread, an X archive's tweets, an outlet's RSS feed, GA4 and Matomo CSV reports, a door
counter's CSV (Persian headers, Jalali dates), a Meta Ads export and a survey CSV read with a mapping. Each
holds records of every outcome: items, duplicates-to-be on a second import, filtered records (service
messages, the brand's own posts, totals rows) and one or two rejects. All dates fall in the last two weeks
before `end`. The metrics are ones the scenario's series do not use (new users, engaged sessions, unique
visitors, reach…) or a small pop-up store, so the demo's story (its signals and crisis) is unchanged.

Pure data: no database, no files (the streams are bytes).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import jdatetime

from peyvand.demo.brands import BrandSpec

TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))


@dataclass(frozen=True)
class DemoExport:
    name: str
    format: str
    content: bytes
    mapping: dict[str, Any] = field(default_factory=dict)


def _at(end: dt.date, days_before: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(end - dt.timedelta(days=days_before), dt.time(hour, minute), TEHRAN)


def _telegram_message(number: int, moment: dt.datetime, sender: str, text: str) -> dict[str, Any]:
    return {
        "id": number,
        "type": "message",
        "date": moment.replace(tzinfo=None).isoformat(),
        "date_unixtime": str(int(moment.timestamp())),
        "from": sender,
        "from_id": f"user{7300 + len(sender)}",
        "text": text,
    }


def telegram(spec: BrandSpec, end: dt.date, chat_id: int) -> DemoExport:
    product, store = spec.products[0], spec.stores[0] if spec.stores else None
    where = f"شعبه {store.city}" if store else "فروشگاه اینترنتی"
    rows: list[tuple[int, str, str, int | None, dict[str, Any]]] = [
        (2, "Maryam R.", f"سلام، {product.fa} {spec.name_fa} رو از کجا بخرم؟ {where} موجود داره؟", None, {}),
        (2, spec.name_fa, f"سلام مریم جان، بله {where} و سایت هر دو موجود دارن 🌿", 2, {}),
        (4, "Hamid", f"{product.fa} هفته پیش خریدم، خیلی خوب بود. ممنون", None, {}),
        (5, "Hamid", "", None, {"photo": "(File not included. Change data exporting settings to download.)"}),
        (6, "Neda K.", f"ارسال به شیراز هم دارید؟ قیمت {product.fa} چنده؟", None, {}),
    ]
    join = {
        **_telegram_message(1, _at(end, 9, 9), "", ""),
        "type": "service",
        "actor": "Maryam R.",
        "actor_id": "user7301",
        "action": "join_group_by_link",
    }
    del join["from"], join["from_id"]
    messages = [join]
    for number, (days, sender, text, reply_to, extra) in enumerate(rows, start=2):
        message = {**_telegram_message(number, _at(end, 8 - days, 10 + number), sender, text), **extra}
        if reply_to:
            message["reply_to_message_id"] = reply_to
        messages.append(message)
    export = {
        "name": f"گروه مشتریان {spec.name_fa}",
        "type": "public_supergroup",
        "id": chat_id,
        "messages": messages,
    }
    return DemoExport("result.json", "telegram", json.dumps(export, ensure_ascii=False, indent=1).encode())


def _meta_text(text: str) -> str:
    """Meta's export encoding: each UTF-8 byte written as its own escaped character."""
    return text.encode("utf-8").decode("latin-1")


def instagram(spec: BrandSpec, end: dt.date) -> DemoExport:
    customer, product = "Shirin Ahmadi", spec.products[-1]
    lines = [  # newest first, as Instagram writes them
        (spec.name_en, _at(end, 3, 18, 5), "Reacted ❤️ to your message"),
        (customer, _at(end, 3, 18, 2), "ممنون، سفارش دادم 🙏"),
        (spec.name_en, _at(end, 3, 17, 40), f"سلام شیرین جان، بله {product.fa} دوباره موجود شد."),
        (customer, _at(end, 3, 17, 12), f"سلام، {product.fa} کی دوباره موجود میشه؟"),
    ]
    thread = {
        "participants": [{"name": _meta_text(customer)}, {"name": _meta_text(spec.name_en)}],
        "messages": [
            {
                "sender_name": _meta_text(who),
                "timestamp_ms": int(at.timestamp() * 1000),
                "content": _meta_text(text),
                "is_geoblocked_for_viewer": False,
            }
            for who, at, text in lines
        ],
        "title": _meta_text(customer),
        "thread_path": "inbox/shirin.ahmadi_3301",
    }
    name = "your_instagram_activity/messages/inbox/shirin.ahmadi_3301/message_1.json"
    return DemoExport(name, "instagram", json.dumps(thread, indent=2).encode())


def _tweet(ident: int, at: dt.datetime, text: str, reply_to: tuple[str, str] | None = None) -> dict[str, Any]:
    tweet: dict[str, Any] = {
        "id_str": str(ident),
        "id": str(ident),
        "full_text": text,
        "lang": "fa",
        "created_at": at.astimezone(dt.UTC).strftime("%a %b %d %H:%M:%S +0000 %Y"),
        "entities": {"hashtags": [], "symbols": [], "user_mentions": [], "urls": []},
    }
    if reply_to:
        tweet.update(in_reply_to_status_id_str=reply_to[0], in_reply_to_screen_name=reply_to[1])
    return {"tweet": tweet}


def x_archive(spec: BrandSpec, end: dt.date) -> DemoExport:
    base = 1_900_000_000_000_000_000 + sum(map(ord, spec.workspace)) * 1000
    tweets = [
        _tweet(
            base + 1,
            _at(end, 5, 11),
            "@ali_k سلام علی، سفارشت امروز ارسال شد. ممنون از صبرت 🌱",
            (str(base - 40), "ali_k"),
        ),
        _tweet(base + 2, _at(end, 4, 9), f"{spec.products[0].fa} تازه رسید؛ از {spec.site} سفارش بدید."),
        _tweet(base + 3, _at(end, 2, 20), f"RT @foodie_ir: {spec.name_fa} بهترین هدیه‌ی عید بود"),
    ]
    return DemoExport(
        "data/tweets.js",
        "x",
        ("window.YTD.tweets.part0 = " + json.dumps(tweets, ensure_ascii=False, indent=2)).encode(),
    )


def rss(spec: BrandSpec, end: dt.date) -> DemoExport:
    rival = spec.competitors[0]
    entries = [
        (
            f"گزارش بازار: {spec.name_fa} شعبه تازه باز کرد",
            f"{spec.name_fa} ({spec.name_en}) امروز شعبه تازه‌ای گشود.",
        ),
        (f"{spec.name_en} expands its online store", f"{spec.name_en} now ships to every province."),
        (f"{rival.fa} قیمت‌ها را بالا برد", f"برند {rival.fa} قیمت محصولاتش را ده درصد افزایش داد."),
        ("پیش‌بینی هوای هفته", "هوای تهران تا آخر هفته آفتابی است."),
    ]
    items = "".join(
        f"<item><title>{title}</title><link>https://bazar-emrooz.example/news/{spec.workspace}-{n}</link>"
        f"<guid>https://bazar-emrooz.example/news/{spec.workspace}-{n}</guid>"
        f"<pubDate>{_at(end, 10 - n * 2, 8).strftime('%a, %d %b %Y %H:%M:%S %z')}</pubDate>"
        f"<dc:creator>تحریریه بازار امروز</dc:creator><description>{body}</description></item>"
        for n, (title, body) in enumerate(entries)
    )
    feed = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<channel><title>بازار امروز</title><link>https://bazar-emrooz.example/</link>"
        f"<description>اخبار اقتصاد و بازار</description>{items}</channel></rss>"
    )
    return DemoExport("bazar-emrooz-feed.xml", "rss", feed.encode())


def _days(end: dt.date, count: int) -> list[dt.date]:
    return [end - dt.timedelta(days=count - i) for i in range(count)]


def ga4(spec: BrandSpec, end: dt.date) -> DemoExport:
    days = _days(end, 7)
    head = (
        f"# ----------------------------------------\n# Engagement overview\n# Account: {spec.name_en}\n"
        f"# Property: {spec.site.removeprefix('https://')} - GA4\n"
        "# ----------------------------------------\n#\n"
        f"# Start date: {days[0]:%Y%m%d}\n# End date: {days[-1]:%Y%m%d}\n"
    )
    rows = "".join(
        f'{d:%Y%m%d},{210 + 9 * i},"{1040 + 7 * i:,}","{3210 + 11 * i:,}"\n' for i, d in enumerate(days)
    )
    return DemoExport(
        "engagement_overview.csv", "ga4", (head + "Date,New users,Engaged sessions,Views\n" + rows).encode()
    )


def matomo(spec: BrandSpec, end: dt.date) -> DemoExport:
    rows = "".join(
        f"{d:%Y-%m-%d},{640 + 13 * i},{2210 + 40 * i},{41 + i % 3}%\n" for i, d in enumerate(_days(end, 7))
    )
    text = "date,nb_uniq_visitors,nb_actions,bounce_rate\n" + rows
    return DemoExport("matomo-visits-summary.csv", "matomo", b"\xff\xfe" + text.encode("utf-16-le"))


def _persian(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def store_counter(spec: BrandSpec, end: dt.date) -> DemoExport:
    lines = ["شعبه,تاریخ,ساعت,ورود,خروج"]
    for day in _days(end, 3):
        jalali = jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d")
        for hour in (17, 18, 19):
            visitors = 6 + (day.day + hour) % 5
            lines.append(
                _persian(f"غرفه نمایشگاه {spec.name_fa},{jalali},{hour}:00,{visitors},{visitors - 1}")
            )
    lines.append(_persian("جمع کل,,,80,71"))
    return DemoExport("شمارنده-غرفه.csv", "store-visits", ("\n".join(lines) + "\n").encode())


def meta_ads(spec: BrandSpec, end: dt.date) -> DemoExport:
    header = (
        "Reporting starts,Reporting ends,Campaign name,Campaign delivery,Results,Result indicator,Reach,"
        "Amount spent (IRT)"
    )
    rows = [
        f"{d:%Y-%m-%d},{d:%Y-%m-%d},{spec.name_en} - reels test,active,{3 + i},actions:link_click,"
        f"{900 + 70 * i},{40000 + 1500 * i}"
        for i, d in enumerate(_days(end, 5))
    ]
    return DemoExport("meta-ads-reels-test.csv", "ads", ("\n".join([header, *rows]) + "\n").encode())


SURVEY_MAPPING: dict[str, Any] = {
    "source": "survey",
    "timezone": "Asia/Tehran",
    "time_format": "%Y-%m-%d %H:%M",
    "fields": {
        "id": "Response ID",
        "created_at": "Submitted at",
        "text": "Comment",
        "author.name": "Name",
        "rating": "Rating",
    },
    "constants": {"kind": "review"},
}


def survey(spec: BrandSpec, end: dt.date) -> DemoExport:
    product = spec.products[0]
    answers = [
        ("Leila M.", 5, f"{product.fa} عالی بود، بسته‌بندی هم تمیز."),
        ("Reza P.", 4, "ارسال کمی دیر رسید ولی کیفیت خوب بود."),
        ("Sima", 5, f"{spec.name_fa} همیشه قابل اعتماده."),
        ("Omid", 3, "قیمت‌ها نسبت به ماه قبل بالا رفته."),
    ]
    rows = ["Response ID,Submitted at,Name,Rating,Comment"]
    for n, (name, rating, text) in enumerate(answers, start=1):
        rows.append(
            f"{spec.workspace[:2].upper()}-{n:04d},{_at(end, 12 - n * 2, 19):%Y-%m-%d %H:%M},"
            f"{name},{rating},{text}"
        )
    rows.append(f"{spec.workspace[:2].upper()}-0099,yesterday evening,Kian,4,فرم ناقص")  # a reject: no date
    return DemoExport("post-purchase-survey.csv", "csv", ("\n".join(rows) + "\n").encode(), SURVEY_MAPPING)


def exports(spec: BrandSpec, end: dt.date, *, chat_id: int = 1_700_000_001) -> list[DemoExport]:
    """One small export of each format for the brand, dated in the two weeks before `end`."""
    return [
        telegram(spec, end, chat_id),
        instagram(spec, end),
        x_archive(spec, end),
        rss(spec, end),
        ga4(spec, end),
        matomo(spec, end),
        store_counter(spec, end),
        meta_ads(spec, end),
        survey(spec, end),
    ]
