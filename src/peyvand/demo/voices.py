"""Messages from everyone who is not a plain customer: the public, press, partners, influencers, outlets;
crisis messages; comments on the brand's sponsored posts; and the brand's own replies.

Each function takes the workspace's `Composer` and returns a `Message` (see `messages`).
"""

from __future__ import annotations

import random

from peyvand.demo.messages import BOOKS, Composer, Day, Message
from peyvand.demo.people import Person
from peyvand.demo.writing import emoji_for, fill, pick, weighted

SUBJECTS = {
    "press": {"fa": "درخواست مصاحبه", "en": "Interview request"},
    "wholesale": {"fa": "استعلام خرید عمده", "en": "Wholesale inquiry"},
    "representation": {"fa": "درخواست نمایندگی", "en": "Distribution partnership"},
    "crisis": {"fa": "درخواست بیانیه رسمی", "en": "Request for comment"},
}


def public_post(c: Composer, rng: random.Random, day: Day, person: Person, *, competitor: bool) -> Message:
    """A public post about the brand or, for share of voice, about a competitor."""
    about = None
    if competitor:
        rival = c.spec.competitors[0] if rng.random() < 0.6 else c.spec.competitors[1]
        about = getattr(rival, person.lang)
    return c.opinion(
        rng, day, person.lang, person, positive=rng.random() < 0.62, templates="PUBLIC_POST", about=about
    )


def press_inquiry(c: Composer, rng: random.Random, day: Day, person: Person) -> Message:
    slots = c.slots(rng, person.lang, day, person, c.product(rng))
    title = SUBJECTS["press"][person.lang]
    return c.message(
        rng,
        pick(rng, BOOKS[person.lang].PRESS_INQUIRY),
        slots,
        lang=person.lang,
        intent="press_inquiry",
        sentiment="neutral",
        product=c.product(rng),
        formal=True,
        title=title,
    )


def partnership(c: Composer, rng: random.Random, day: Day, person: Person) -> Message:
    book, product = BOOKS[person.lang], c.product(rng)
    kind = "wholesale" if rng.random() < 0.6 else "representation"
    templates = book.WHOLESALE if kind == "wholesale" else book.REPRESENTATION
    slots = c.slots(rng, person.lang, day, person, product)
    return c.message(
        rng,
        pick(rng, templates),
        slots,
        lang=person.lang,
        intent="partnership",
        sentiment="neutral",
        product=product,
        formal=True,
        title=SUBJECTS[kind][person.lang],
    )


def influencer_ask(c: Composer, rng: random.Random, day: Day, person: Person) -> Message:
    product = c.product(rng)
    slots = c.slots(rng, person.lang, day, person, product)
    return c.message(
        rng,
        pick(rng, BOOKS[person.lang].INFLUENCER_ASK),
        slots,
        lang=person.lang,
        intent="partnership",
        sentiment="neutral",
        product=product,
    )


def influencer_post(
    c: Composer, rng: random.Random, day: Day, person: Person, products: tuple[str, ...] = ()
) -> Message:
    return c.opinion(
        rng,
        day,
        person.lang,
        person,
        positive=True,
        templates="INFLUENCER_POST",
        product=c.product(rng, products),
    )


def article(c: Composer, rng: random.Random, day: Day, outlet: Person, *, branding: float) -> Message:
    """A news article: the branding campaign's placement (more likely as the campaign builds, `branding`
    from 0 to 1), a competitor story, or a market story."""
    lang, book = outlet.lang, BOOKS[outlet.lang]
    product = c.product(rng)
    slots = c.slots(rng, lang, day, outlet, product)
    roll = rng.random()
    if roll < 0.45 * branding and c.spec.industry == "tea":
        slots["quote"] = c.core(rng, "natural", "pos", lang, slots)
        title, body, sentiment = book.BRANDING_ARTICLE["title"], book.BRANDING_ARTICLE["body"], "positive"
    elif roll < 0.7:
        positive = rng.random() < 0.6
        topic = weighted(rng, c.praise_topics(day) if positive else {"price": 0.6, "quality": 0.4})
        slots["quote"] = c.core(rng, topic, "pos" if positive else "neg", lang, slots)
        body, sentiment = pick(rng, book.ARTICLE_BODIES), "positive" if positive else "negative"
        title = pick(rng, book.ARTICLE_TITLES[c.spec.industry])
    else:
        title = pick(rng, book.ARTICLE_TITLES[c.spec.industry])
        body, sentiment = pick(rng, book.COMPETITOR_ARTICLE), "neutral"
    return c.message(
        rng,
        body,
        slots,
        lang=lang,
        intent="other",
        sentiment=sentiment,
        product=product,
        formal=True,
        title=c.finish(rng, fill(title, slots), lang, formal=True),
    )


def crisis(c: Composer, rng: random.Random, day: Day, person: Person) -> Message:
    """A message in the crisis burst: customers, the public, journalists, outlets."""
    lang, book = person.lang, BOOKS[person.lang]
    product = c.spec.product(c.spec.crisis_product or c.spec.products[0].key)
    slots = c.slots(rng, lang, day, person, product)
    if person.audience == "media_outlet":
        title, body = rng.choice(book.CRISIS_ARTICLE)
        return c.message(
            rng,
            body,
            slots,
            lang=lang,
            intent="other",
            sentiment="negative",
            product=product,
            formal=True,
            title=fill(title, slots),
        )
    if person.audience == "journalist":
        return c.message(
            rng,
            pick(rng, book.CRISIS_PRESS),
            slots,
            lang=lang,
            intent="press_inquiry",
            sentiment="negative",
            product=product,
            formal=True,
            title=SUBJECTS["crisis"][lang],
        )
    templates = book.CRISIS_PUBLIC if person.audience == "public" else book.CRISIS_CUSTOMER
    return c.message(
        rng, pick(rng, templates), slots, lang=lang, intent="complaint", sentiment="negative", product=product
    )


def ad_comment(
    c: Composer, rng: random.Random, day: Day, person: Person, *, kind: str, products: tuple[str, ...]
) -> Message:
    """A comment under a sponsored post: of a marketing campaign (its products) or the branding film."""
    lang = person.lang
    if kind == "branding":
        roll = rng.random()
        if roll < 0.62:
            return _about_natural(c, rng, day, person, positive=roll < 0.5)
        return c.customer(rng, day, lang, person, "question" if roll < 0.82 else "other")
    intent = weighted(
        rng, {"purchase_intent": 0.35, "question": 0.25, "praise": 0.2, "fatigue": 0.1, "other": 0.1}
    )
    if intent == "fatigue":
        return Message(c.finish(rng, pick(rng, BOOKS[lang].AD_FATIGUE), lang), lang, "complaint", "negative")
    if intent == "praise":
        return c.opinion(
            rng, day, lang, person, positive=True, templates="PRAISE", product=c.product(rng, products)
        )
    return c.customer(rng, day, lang, person, intent, products)


def _about_natural(c: Composer, rng: random.Random, day: Day, person: Person, *, positive: bool) -> Message:
    lang, product = person.lang, c.product(rng)
    slots = c.slots(rng, lang, day, person, product)
    sentiment = "positive" if positive else "negative"
    slots["core"] = c.core(rng, "natural", "pos" if positive else "neg", lang, slots)
    slots["emoji"] = emoji_for(sentiment, rng)
    templates = BOOKS[lang].PRAISE if positive else BOOKS[lang].COMPLAINT
    return c.message(
        rng,
        pick(rng, templates),
        slots,
        lang=lang,
        intent="praise" if positive else "complaint",
        sentiment=sentiment,
        product=product,
    )


def reply(c: Composer, rng: random.Random, day: Day, to: Message, person: Person, *, crisis: bool) -> Message:
    """The brand's answer, in the writer's language, suited to what they asked."""
    lang = "fa" if to.lang == "fa" else "en"
    key = _reply_key(to, BOOKS[lang].REPLIES, crisis)
    product = c.spec.product(to.product) if to.product else c.product(rng)
    slots = c.slots(rng, lang, day, person, product)
    text = c.finish(rng, fill(pick(rng, BOOKS[lang].REPLIES[key]), slots), lang, formal=True)
    sentiment = "neutral" if key.startswith("crisis") else "positive"
    return Message(text, lang, "other", sentiment, product=product.key)


def _reply_key(to: Message, replies: dict[str, list[str]], crisis: bool) -> str:
    text = to.text.lower()
    if crisis:
        return "crisis_press" if to.intent == "press_inquiry" else "crisis"
    if to.intent == "question" and any(w in text for w in ("قیمت", "چنده", "ghimat", "how much", "price")):
        return "question_price"
    if to.intent == "question" and any(w in text for w in ("ارسال", "ersal", "ship")):
        return "question_shipping"
    return to.intent if to.intent in replies else "other"


def email_subject(c: Composer, rng: random.Random, message: Message) -> str:
    lang = "fa" if message.lang == "fa" else "en"
    product = c.spec.product(message.product) if message.product else c.spec.products[0]
    subjects = BOOKS[lang].EMAIL_SUBJECTS
    template = pick(rng, subjects.get(message.intent, subjects["other"]))
    return fill(template, {"product": getattr(product, lang), "brand": c.brand_name(rng, lang)})


def follow_up(c: Composer, rng: random.Random, to: Message) -> Message:
    lang = "fa" if to.lang == "fa" else "en"
    mood = weighted(
        rng, {"positive": 0.45, "negative": 0.3 if to.intent == "complaint" else 0.05, "neutral": 0.25}
    )
    intent = {"positive": "praise", "negative": "complaint"}.get(mood, "other")
    return Message(c.finish(rng, pick(rng, BOOKS[lang].FOLLOW_UPS[mood]), lang), lang, intent, mood)
