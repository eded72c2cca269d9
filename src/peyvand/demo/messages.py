"""What each person says: a `Message` (text, language, and the labels a reader would give it).

`Composer` fills the templates of `phrases_fa` / `phrases_en` with the brand's products, the attribute
clauses of `lexicon`, places, dates (Jalali in Persian), prices and numbers in the writer's digits, then
roughens Persian text the way people type. Labels (intent, sentiment, attributes) are what the template
was written to say; they are exported only on request (`items(labels=True)`), for measuring enrichment.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType

from peyvand.demo import lexicon, phrases_en, phrases_fa
from peyvand.demo.brands import BrandSpec, ProductSpec
from peyvand.demo.people import Person
from peyvand.demo.timeline import jalali_label
from peyvand.demo.writing import digit_style, emoji_for, fill, number, pick, roughen, tidy, weighted

BOOKS: dict[str, ModuleType] = {"fa": phrases_fa, "en": phrases_en}
CRISIS_BATCH = "HB-2417"
FRIENDS = ["mina", "ali", "sara", "reza", "negar"]


@dataclass(frozen=True)
class Day:
    """What a day is like for the writers: season, branding-campaign effect, price level, crisis."""

    date: dt.date
    season: str | None = None  # "nowruz" | "yalda" | None
    natural_lift: float = 0.0  # 0..1: how far the branding campaign has moved talk toward "natural"
    price_factor: float = 1.0


@dataclass(frozen=True)
class Message:
    text: str
    lang: str
    intent: str
    sentiment: str
    attributes: tuple[tuple[str, str], ...] = ()
    title: str | None = None
    product: str | None = None
    latin: bool = False  # Persian typed in Latin letters (Finglish)

    def labels(self, audience: str) -> dict[str, object]:
        return {
            "language": self.lang,
            "intent": self.intent,
            "sentiment": self.sentiment,
            "audience": audience,
            "attributes": [{"key": k, "polarity": p} for k, p in self.attributes],
            "finglish": self.latin,
        }


class _Lazy(dict[str, str]):
    """Template slots computed only when a template names them."""

    def __init__(self, factories: dict[str, Callable[[], str]]) -> None:
        super().__init__()
        self._factories = factories

    def __missing__(self, key: str) -> str:
        value = self[key] = self._factories[key]()
        return value


def _person_slots(
    rng: random.Random, book: ModuleType, person: Person | None, digits: str
) -> dict[str, Callable[[], str]]:
    """Who is writing: names, handle, outlet, followers; a partner's shop is their own."""
    if person is None:
        return {
            "name": str,
            "first": str,
            "own_handle": str,
            "outlet": str,
            "shop": lambda: pick(rng, book.SHOPS),
            "followers_k": lambda: number(50, digits),
        }
    return {
        "name": lambda: person.name,
        "first": lambda: person.first,
        "own_handle": lambda: person.handle,
        "outlet": lambda: person.outlet,
        "shop": lambda: person.name if person.audience == "partner" else pick(rng, book.SHOPS),
        "followers_k": lambda: number(person.followers // 1000, digits),
    }


@dataclass
class Composer:
    spec: BrandSpec
    phrases: lexicon.Phrases = field(init=False)
    patterns: dict[str, dict[str, re.Pattern[str]]] = field(init=False)

    def __post_init__(self) -> None:
        self.phrases = lexicon.PHRASES[self.spec.workspace]
        brand = tomllib.loads(self.spec.brand_toml)
        self.patterns = {
            lang: {
                a["key"]: re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, a["terms"][lang])) + ")", re.I)
                for a in brand["attributes"]
            }
            for lang in ("fa", "en")
        }

    # -- slots -----------------------------------------------------------------------------------------

    def slots(
        self, rng: random.Random, lang: str, day: Day, person: Person | None, product: ProductSpec
    ) -> _Lazy:
        """Every template slot, each computed only if the chosen template names it."""
        digits = digit_style(rng) if lang == "fa" else "en"
        return _Lazy(
            {
                **self._book_slots(rng, lang, day, digits),
                **self._brand_slots(rng, lang, day, product, digits),
                **_person_slots(rng, BOOKS[lang], person, digits),
            }
        )

    def _book_slots(
        self, rng: random.Random, lang: str, day: Day, digits: str
    ) -> dict[str, Callable[[], str]]:
        book, industry = BOOKS[lang], self.spec.industry
        seasons = ["یلدا", "نوروز", "زمستان"] if lang == "fa" else ["Nowruz", "winter"]
        return {
            "greet": lambda: pick(rng, book.GREETINGS),
            "taarof": lambda: pick(rng, book.TAARUF),
            "tail": lambda: pick(rng, book.COMPLAINT_TAILS),
            "emoji": lambda: "",
            "n": lambda: number(rng.choice((2, 3, 4, 5, 10)), digits),
            "days": lambda: number(rng.randint(3, 16), digits),
            "date": lambda: self.date_label(day, rng, lang),
            "city": lambda: pick(rng, book.CITIES),
            "province": lambda: pick(rng, book.PROVINCES),
            "occasion": lambda: book.SEASON_OCCASION.get(day.season or "") or pick(rng, book.OCCASIONS),
            "weekday": lambda: pick(rng, book.WEEKDAYS),
            "topic": lambda: pick(rng, book.PRESS_TOPICS[industry]),
            "sector": lambda: book.SECTOR[industry],
            "niche": lambda: book.NICHE[industry],
            "friend": lambda: f"{pick(rng, FRIENDS)}_{rng.randrange(10, 99)}",
            "season": lambda: pick(rng, seasons),
        }

    def _brand_slots(
        self, rng: random.Random, lang: str, day: Day, product: ProductSpec, digits: str
    ) -> dict[str, Callable[[], str]]:
        others = [p for p in self.spec.products if p is not product]
        rivals = rng.sample(self.spec.competitors, 2)
        return {
            "brand": lambda: self.brand_name(rng, lang),
            "handle": lambda: self.spec.handle,
            "product": lambda: getattr(product, lang),
            "product2": lambda: getattr(rng.choice(others), lang),
            "unit": lambda: getattr(product, f"unit_{lang}"),
            "price": lambda: number(int(round(product.price * day.price_factor, -3)), digits),
            "batch": lambda: CRISIS_BATCH,
            "site": lambda: self.spec.site,
            "email": lambda: self.spec.email,
            "competitor": lambda: getattr(rivals[0], lang),
            "competitor2": lambda: getattr(rivals[1], lang),
        }

    def brand_name(self, rng: random.Random, lang: str) -> str:
        if lang == "en":
            return self.spec.name_en
        names = [self.spec.name_fa, self.spec.workspace_name, self.spec.name_fa]
        return pick(rng, [n for n in names if any("\u0600" <= c <= "\u06ff" for c in n)])

    @staticmethod
    def date_label(day: Day, rng: random.Random, lang: str) -> str:
        earlier = day.date - dt.timedelta(days=rng.randint(4, 15))
        return jalali_label(earlier, digits=digit_style(rng)) if lang == "fa" else earlier.strftime("%d %B")

    # -- pieces ----------------------------------------------------------------------------------------

    def core(self, rng: random.Random, topic: str, polarity: str, lang: str, slots: _Lazy) -> str:
        return fill(pick(rng, self.phrases[topic][polarity][lang]), slots)

    def attributes_in(self, text: str, lang: str, sentiment: str) -> tuple[tuple[str, str], ...]:
        """Attributes whose terms start a word in `text` ("نگران" is not "گران")."""
        found = [k for k, pattern in self.patterns[lang].items() if pattern.search(text)]
        return tuple((k, sentiment) for k in found)

    def praise_topics(self, day: Day) -> dict[str, float]:
        weights = lexicon.topics(self.spec.workspace, lexicon.PRAISE_TOPICS)
        if "natural" in weights:
            weights["natural"] *= 1 + 4 * day.natural_lift
        return weights

    def finish(self, rng: random.Random, text: str, lang: str, *, formal: bool = False) -> str:
        text = tidy(text)
        return roughen(text, rng, formal=formal) if lang == "fa" else text

    def product(self, rng: random.Random, keys: tuple[str, ...] = ()) -> ProductSpec:
        pool = [p for p in self.spec.products if p.key in keys] if keys else list(self.spec.products)
        return rng.choices(pool, weights=[p.daily_orders**0.5 for p in pool])[0]

    def message(
        self,
        rng: random.Random,
        template: str,
        slots: _Lazy,
        *,
        lang: str,
        intent: str,
        sentiment: str,
        product: ProductSpec,
        formal: bool = False,
        title: str | None = None,
    ) -> Message:
        text = fill(template, slots)
        said = dict.get(slots, "core") or dict.get(slots, "quote") or ""
        if said:  # the opinion carries the sentiment; other attribute words are only mentioned
            meant = self.attributes_in(said, lang, sentiment)
            keys = {k for k, _ in meant}
            mentioned = self.attributes_in(text.replace(said, " "), lang, "neutral")
            attrs = meant + tuple(a for a in mentioned if a[0] not in keys)
        else:
            attrs = self.attributes_in(text, lang, sentiment)
        return Message(
            self.finish(rng, text, lang, formal=formal),
            lang,
            intent,
            sentiment,
            attrs,
            title=title,
            product=product.key,
        )

    # -- customers -------------------------------------------------------------------------------------

    def opinion(
        self,
        rng: random.Random,
        day: Day,
        lang: str,
        person: Person | None,
        *,
        positive: bool,
        templates: str,
        product: ProductSpec | None = None,
        about: str | None = None,
    ) -> Message:
        """Praise or a complaint about one attribute, wrapped in one of the book's `templates`.

        `about` names a competitor instead of the brand; the branding campaign does not move their talk.
        """
        product = product or self.product(rng)
        slots = self.slots(rng, lang, day, person, product)
        if about:
            slots["brand"] = about
        polarity, sentiment = ("pos", "positive") if positive else ("neg", "negative")
        praise = self.praise_topics(Day(day.date) if about else day)
        weights = praise if positive else lexicon.topics(self.spec.workspace, lexicon.COMPLAINT_TOPICS)
        slots["core"] = self.core(rng, weighted(rng, weights), polarity, lang, slots)
        slots["emoji"] = emoji_for(sentiment, rng)
        intent = "praise" if positive else "complaint"
        return self.message(
            rng,
            pick(rng, getattr(BOOKS[lang], templates)),
            slots,
            lang=lang,
            intent=intent,
            sentiment=sentiment,
            product=product,
        )

    def customer(
        self,
        rng: random.Random,
        day: Day,
        lang: str,
        person: Person,
        intent: str,
        products: tuple[str, ...] = (),
    ) -> Message:
        """A customer's message with an intent: complaint, praise, question, purchase_intent or other."""
        if lang == "fa" and rng.random() < 0.06:
            return self.finglish(rng, day, intent)
        product, book = self.product(rng, products), BOOKS[lang]
        if intent in ("praise", "complaint"):
            return self.opinion(
                rng,
                day,
                lang,
                person,
                positive=intent == "praise",
                templates="PRAISE" if intent == "praise" else "COMPLAINT",
                product=product,
            )
        slots = self.slots(rng, lang, day, person, product)
        slots["emoji"] = emoji_for("positive", rng, chance=0.3)
        if intent == "other":
            return self.small_talk(rng, day, lang, slots, product)
        template = pick(rng, book.QUESTION if intent == "question" else book.PURCHASE)
        return self.message(
            rng, template, slots, lang=lang, intent=intent, sentiment="neutral", product=product
        )

    def small_talk(
        self, rng: random.Random, day: Day, lang: str, slots: _Lazy, product: ProductSpec
    ) -> Message:
        """Greetings, thanks, seasonal wishes (Nowruz, Yalda), tagging a friend: taarof more than content."""
        book = BOOKS[lang]
        seasonal = book.SEASONAL.get(day.season or "", [])
        if seasonal and rng.random() < 0.6:
            return self.message(
                rng,
                pick(rng, seasonal),
                slots,
                lang=lang,
                intent="other",
                sentiment="positive",
                product=product,
            )
        return self.message(
            rng, pick(rng, book.OTHER), slots, lang=lang, intent="other", sentiment="neutral", product=product
        )

    def finglish(self, rng: random.Random, day: Day, intent: str) -> Message:
        product = self.product(rng)
        key = intent if intent in phrases_en.FINGLISH else "other"
        slots = self.slots(rng, "en", day, None, product)
        slots.update(product=product.finglish, city=pick(rng, phrases_en.FINGLISH_CITIES))
        sentiment = {"praise": "positive", "complaint": "negative"}.get(key, "neutral")
        text = tidy(fill(pick(rng, phrases_en.FINGLISH[key]), slots))
        return Message(text, "fa", key, sentiment, (), product=product.key, latin=True)
