"""The everyday stream of text items, day by day: who writes, on which platform, and the brand's replies.

Every day gets its own random generator (seeded from the seed, the workspace and the date), so a day's
items do not depend on the days before it. Within a day, threads come out in the order of their first
message, each thread whole: the message, the brand's reply, the follow-up, the brand's second reply.

Text item fields (DESIGN §4): `id`, `source` (instagram, telegram, x, email, news, website), `kind`,
`created_at` (Tehran time, `+03:30`), `text`, `author`, `thread_id`, `in_reply_to` (replies only), `url`
and `title` (articles, posts, e-mail subjects, reviews), `context` (`sponsored`, `campaign`; reviews add
`rating` and `product`), `direction` ("inbound" or, for the brand's replies, "outbound"), and with
`labels=True` a `demo_labels` object (language, intent, sentiment, audience, attributes, finglish).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from peyvand.demo import voices
from peyvand.demo.messages import Day
from peyvand.demo.people import Person
from peyvand.demo.plans import SponsoredRun
from peyvand.demo.series import PRICE_RISE
from peyvand.demo.threads import (
    SOCIAL_HOURS,
    Stream,
    address,
    article_item,
    base_item,
    direct_thread,
    moment,
    public_thread,
    with_replies,
)
from peyvand.demo.writing import poisson, weighted

CUSTOMER_CHANNELS = {
    ("instagram", "comment"): 0.32,
    ("instagram", "direct_message"): 0.2,
    ("telegram", "direct_message"): 0.13,
    ("website", "review"): 0.12,
    ("x", "mention"): 0.13,
    ("email", "email"): 0.1,
}
CUSTOMER_INTENTS = {
    "complaint": 0.22,
    "question": 0.28,
    "praise": 0.24,
    "purchase_intent": 0.15,
    "other": 0.11,
}
AUDIENCES = {
    "customer": 0.74,
    "public": 0.14,
    "journalist": 0.018,
    "media_outlet": 0.03,
    "influencer": 0.025,
    "partner": 0.045,
}
CRISIS_VOLUME = [55, 130, 85, 40, 22, 14, 9, 6, 4, 3]


def text_items(stream: Stream) -> Iterator[dict[str, object]]:
    for date in stream.timeline.dates():
        yield from day_items(stream, date)


def day_context(stream: Stream, date: dt.date) -> Day:
    t, season = stream.timeline, stream.timeline.season(date)
    lift = 0.0
    if date >= t.branding.start:
        ramp = (date - t.branding.start).days / (0.6 * t.branding.days)
        decay = max(0, (date - t.branding.end).days) / 400
        lift = max(0.0, min(1.0, ramp) - decay)
    return Day(date, season, lift, PRICE_RISE if date >= t.price_rise else 1.0)


def daily_rate(stream: Stream, date: dt.date, day: Day) -> float:
    t, progress = stream.timeline, stream.timeline.day_index(date) / stream.timeline.window.days
    rate = stream.spec.daily_messages * (1 + 0.35 * progress)
    rate *= {4: 0.82, 3: 0.93}.get(date.weekday(), 1.02)
    rate *= {"yalda": 1.5, "nowruz": 1.3}.get(day.season or "", 1.0)
    if date in t.campaign_lift or date in t.branding:
        rate *= 1.12
    return rate * stream.scale


def day_items(stream: Stream, date: dt.date) -> list[dict[str, object]]:
    rng = random.Random(f"{stream.seed}:{stream.spec.workspace}:day:{date.isoformat()}")
    day = day_context(stream, date)
    threads: list[list[dict[str, object]]] = []
    for _ in range(poisson(rng, daily_rate(stream, date, day))):
        threads.append(everyday_thread(stream, rng, day, weighted(rng, AUDIENCES)))
    for run in stream.runs:
        if date in run.window:
            ramp = 0.2 + 0.8 * day.natural_lift if run.kind == "branding" else 1.0
            for _ in range(poisson(rng, run.daily_comments * ramp * stream.scale)):
                threads.append(sponsored_thread(stream, rng, day, run))
    threads.extend(crisis_threads(stream, rng, day))
    threads.extend([extra] for extra in stream.extras.get(date, []))
    threads.sort(key=lambda thread: str(thread[0]["created_at"]))
    return [item for thread in threads for item in thread]


def everyday_thread(stream: Stream, rng: random.Random, day: Day, audience: str) -> list[dict[str, object]]:
    people, c = stream.people, stream.composer
    lang = "en" if rng.random() < stream.spec.english_share else "fa"
    if audience == "customer":
        person = people.customer(rng, lang)
        return customer_thread(stream, rng, day, person, weighted(rng, CUSTOMER_INTENTS))
    if audience == "public":
        person = people.voice(rng, lang)
        message = voices.public_post(c, rng, day, person, competitor=rng.random() < 0.45)
        return public_thread(stream, rng, day, person, message)
    if audience == "media_outlet":
        outlet = rng.choice(people.outlets)
        branding = day.natural_lift if day.date in stream.timeline.branding else 0.0
        return [
            article_item(stream, rng, day, outlet, voices.article(c, rng, day, outlet, branding=branding))
        ]
    if audience == "journalist":
        person = rng.choice(people.journalists)
        return direct_thread(stream, rng, day, person, voices.press_inquiry(c, rng, day, person))
    if audience == "partner":
        person = rng.choice(people.partners)
        return direct_thread(stream, rng, day, person, voices.partnership(c, rng, day, person))
    person = rng.choice(people.influencers)
    if rng.random() < 0.55:
        return direct_thread(
            stream, rng, day, person, voices.influencer_ask(c, rng, day, person), "instagram"
        )
    return public_thread(stream, rng, day, person, voices.influencer_post(c, rng, day, person))


def customer_thread(
    stream: Stream, rng: random.Random, day: Day, person: Person, intent: str
) -> list[dict[str, object]]:
    source, kind = weighted_pair(rng, CUSTOMER_CHANNELS)
    if kind == "review" and intent not in ("praise", "complaint"):
        source, kind = "instagram", "comment"
    if source == "telegram" and person.lang == "en":
        source, kind = "email", "email"
    message = stream.composer.customer(rng, day, person.lang, person, intent)
    at = moment(rng, day.date, SOCIAL_HOURS)
    root = base_item(stream, source, kind, at, message, person)
    address(stream, root, day)
    if kind == "review":
        rating = rng.choice((4, 5)) if intent == "praise" else rng.choice((1, 2, 2))
        root["context"] = {"rating": rating, "product": message.product}
        root["url"] = f"{stream.spec.site}/products/{message.product}#{root['id']}"
    elif kind == "email":
        root["title"] = voices.email_subject(stream.composer, rng, message)
    return with_replies(stream, rng, day, root, message, person, at)


def weighted_pair(rng: random.Random, weights: dict[tuple[str, str], float]) -> tuple[str, str]:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def sponsored_thread(
    stream: Stream, rng: random.Random, day: Day, run: SponsoredRun
) -> list[dict[str, object]]:
    lang = "en" if rng.random() < stream.spec.english_share else "fa"
    person = stream.people.customer(rng, lang)
    message = voices.ad_comment(stream.composer, rng, day, person, kind=run.kind, products=run.products)
    at = moment(rng, day.date, SOCIAL_HOURS)
    root = base_item(stream, "instagram", "comment", at, message, person)
    week = (day.date - run.window.start).days // 7
    root["thread_id"] = f"{stream.spec.workspace}-instagram-ad-{run.campaign}-{week}"
    root["url"] = f"https://instagram.com/p/ad{run.campaign[:6]}{week}/"
    root["context"] = {"sponsored": True, "campaign": run.campaign}
    return with_replies(stream, rng, day, root, message, person, at)


def crisis_threads(stream: Stream, rng: random.Random, day: Day) -> list[list[dict[str, object]]]:
    t = stream.timeline
    offset = (day.date - t.crisis.start).days
    if stream.spec.crisis_product is None or not 0 <= offset < len(CRISIS_VOLUME):
        return []
    threads = []
    for _ in range(poisson(rng, CRISIS_VOLUME[offset] * stream.scale)):
        audience = weighted(rng, {"customer": 0.55, "public": 0.3, "journalist": 0.08, "media_outlet": 0.07})
        threads.append(crisis_thread(stream, rng, day, audience, slowness=3.0 if offset < 2 else 1.5))
    return threads


def crisis_thread(
    stream: Stream, rng: random.Random, day: Day, audience: str, *, slowness: float
) -> list[dict[str, object]]:
    lang = "en" if rng.random() < 0.2 else "fa"
    pools = {
        "customer": lambda: stream.people.customer(rng, lang),
        "public": lambda: stream.people.voice(rng, lang),
        "journalist": lambda: rng.choice(stream.people.journalists),
        "media_outlet": lambda: rng.choice(stream.people.outlets),
    }
    person = pools[audience]()
    message = voices.crisis(stream.composer, rng, day, person)
    if audience == "media_outlet":
        return [article_item(stream, rng, day, person, message)]
    if audience == "journalist":
        return direct_thread(stream, rng, day, person, message, "email")
    source, kind = (
        ("instagram", "comment") if audience == "customer" and rng.random() < 0.6 else ("x", "mention")
    )
    at = moment(rng, day.date, SOCIAL_HOURS)
    root = base_item(stream, source, kind, at, message, person)
    address(stream, root, day)
    chance = 0.7 if audience == "customer" else 0.25
    return with_replies(
        stream, rng, day, root, message, person, at, chance=chance, crisis=True, slowness=slowness
    )
