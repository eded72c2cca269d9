"""Who writes to the brand: invented customers, public voices, journalists, outlets, influencers, partners.

A `Person` turns into a canonical item's `author` object (`handle`, `name`, `followers`, `bio`, `verified`,
`email`; unset fields left out). Journalists have "خبرنگار …" / "Reporter at …" bios and e-mail at the
brand file's journalist domains; influencers have at least 50,000 followers and are verified; some
partners write from the brand file's partner domains. Customers are drawn with a skew, so a few write often.
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass

from peyvand.demo.brands import BrandSpec

FIRST = [
    ("سارا", "sara"),
    ("مریم", "maryam"),
    ("زهرا", "zahra"),
    ("فاطمه", "fatemeh"),
    ("نگار", "negar"),
    ("نازنین", "nazanin"),
    ("الهام", "elham"),
    ("مهسا", "mahsa"),
    ("شیما", "shima"),
    ("لیلا", "leila"),
    ("پریسا", "parisa"),
    ("آزاده", "azadeh"),
    ("رها", "raha"),
    ("یاسمن", "yasaman"),
    ("محمد", "mohammad"),
    ("علی", "ali"),
    ("حسین", "hossein"),
    ("رضا", "reza"),
    ("امیر", "amir"),
    ("مهدی", "mahdi"),
    ("سعید", "saeed"),
    ("کاوه", "kaveh"),
    ("بهنام", "behnam"),
    ("پویا", "pouya"),
    ("آرش", "arash"),
    ("میلاد", "milad"),
    ("سینا", "sina"),
    ("حامد", "hamed"),
    ("نیما", "nima"),
    ("ترانه", "taraneh"),
]
LAST = [
    ("محمدی", "mohammadi"),
    ("احمدی", "ahmadi"),
    ("حسینی", "hosseini"),
    ("رضایی", "rezaei"),
    ("کریمی", "karimi"),
    ("موسوی", "mousavi"),
    ("جعفری", "jafari"),
    ("نوری", "nouri"),
    ("صادقی", "sadeghi"),
    ("رحیمی", "rahimi"),
    ("کاظمی", "kazemi"),
    ("اکبری", "akbari"),
    ("قاسمی", "ghasemi"),
    ("یزدانی", "yazdani"),
    ("طاهری", "taheri"),
    ("شریفی", "sharifi"),
    ("فرهادی", "farhadi"),
    ("نجفی", "najafi"),
    ("بهرامی", "bahrami"),
    ("تهرانی", "tehrani"),
]
WESTERN = [
    "Emma Clarke",
    "Daniel Weber",
    "Olivia Brown",
    "Lucas Martin",
    "Sophie Turner",
    "Jonas Berg",
    "Hannah Fischer",
    "Noah Wilson",
    "Chloe Dubois",
    "Ethan Moore",
]
CUSTOMER_BIOS_FA = [
    "",
    "",
    "",
    "",
    "عاشق سفر ✈️",
    "مادر | آشپزی | تهران",
    "دانشجوی معماری",
    "🌿 سبک زندگی سالم",
    "معلم",
    "کافه‌گردی و کتاب",
]
CUSTOMER_BIOS_EN = ["", "", "", "travel lover", "mum of two", "foodie", "architect"]

OUTLETS = [
    ("روزنامه بازار امروز", "bazar_emrooz", "bazar-emrooz.example", "fa"),
    ("خبرگزاری اقتصاد سبز", "eghtesadsabz", "eghtesad-sabz.example", "fa"),
    ("مجله نوا", "navamag", "nava-mag.example", "fa"),
    ("پایگاه خبری صنعت غذا", "sanatghaza", "sanat-ghaza.example", "fa"),
    ("Tehran Business Review", "tehranbiz", "tehranbiz.example", "en"),
    ("Persian Food Journal", "persianfoodj", "persianfood.example", "en"),
]
INFLUENCERS = {
    "tea": [
        ("نیلوفر آشپز", "niloo.cooks", "fa"),
        ("سفره مهتاب", "sofre.mahtab", "fa"),
        ("آشپزخانه سارا", "sara.kitchen", "fa"),
        ("ترانه | سبک زندگی", "taraneh.life", "fa"),
        ("سفرنامه پویا", "pouya.travels", "fa"),
        ("Mina Eats", "mina.eats", "en"),
        ("The Persian Pantry", "persianpantry", "en"),
    ],
    "skincare": [
        ("بهار بیوتی", "bahar.beauty", "fa"),
        ("دکتر پوست شیوا", "dr.shiva.skin", "fa"),
        ("رها اسکین", "raha.skin", "fa"),
        ("Glow with Roya", "glowwithroya", "en"),
        ("Skin by Dara", "skinbydara", "en"),
    ],
}
PARTNER_SHOPS = [
    ("فروشگاه زنجیره‌ای ستاره", "setareh.stores", "fa"),
    ("پخش البرز", "pakhsh.alborz", "fa"),
    ("عطاری نسیم", "attari.nasim", "fa"),
    ("هایپر سبز", "hyper.sabz", "fa"),
    ("بازارچه آنلاین", "bazarche.online", "fa"),
    ("داروخانه مهر", "darukhane.mehr", "fa"),
    ("Caspian Grocery", "caspiangrocery", "en"),
    ("Persepolis Market", "persepolismkt", "en"),
]


@dataclass(frozen=True)
class Person:
    audience: str  # customer | public | journalist | media_outlet | influencer | partner
    lang: str
    handle: str
    name: str
    first: str
    followers: int
    bio: str = ""
    verified: bool = False
    email: str | None = None
    outlet: str = ""
    domain: str = ""

    def author(self) -> dict[str, object]:
        out: dict[str, object] = {"handle": self.handle, "name": self.name, "followers": self.followers}
        if self.bio:
            out["bio"] = self.bio
        if self.verified:
            out["verified"] = True
        if self.email:
            out["email"] = self.email
        return out


@dataclass(frozen=True)
class People:
    customers: dict[str, list[Person]]
    public: dict[str, list[Person]]
    journalists: list[Person]
    outlets: list[Person]
    influencers: list[Person]
    partners: list[Person]

    def customer(self, rng: random.Random, lang: str) -> Person:
        pool = self.customers[lang]
        return pool[int(len(pool) * rng.random() ** 2.2)]

    def voice(self, rng: random.Random, lang: str) -> Person:
        pool = self.public[lang]
        return pool[rng.randrange(len(pool))]


def _handle(rng: random.Random, first: str, last: str) -> str:
    style = rng.randrange(5)
    if style == 0:
        return f"{first}.{last[0]}{rng.randrange(1350, 1385)}"
    if style == 1:
        return f"{first}_{last}"
    if style == 2:
        return f"{first}{rng.randrange(10, 999)}"
    return f"{first}.{last}{rng.choice(['', '_', '.ir', str(rng.randrange(1, 99))])}"


def _iranian(rng: random.Random, audience: str, lang: str, seen: set[str]) -> Person:
    (first_fa, first), (last_fa, last) = rng.choice(FIRST), rng.choice(LAST)
    handle = _handle(rng, first, last)
    if handle in seen:
        handle = f"{handle}_{len(seen)}"
    seen.add(handle)
    followers, email = int(rng.lognormvariate(5.5 if audience == "customer" else 7.2, 1.1)), None
    if rng.random() < 0.6:
        email = f"{handle.replace('.', '_')}@mail.example"
    if lang == "fa":
        bio = rng.choice(CUSTOMER_BIOS_FA)
        return Person(audience, lang, handle, f"{first_fa} {last_fa}", first_fa, followers, bio, email=email)
    name = f"{first.title()} {last.title()}" if rng.random() < 0.7 else rng.choice(WESTERN)
    return Person(
        audience, lang, handle, name, name.split()[0], followers, rng.choice(CUSTOMER_BIOS_EN), email=email
    )


def _journalists(rng: random.Random, outlets: list[Person], seen: set[str]) -> list[Person]:
    people = []
    for outlet in outlets:
        for _ in range(2):
            (first_fa, first), (last_fa, last) = rng.choice(FIRST), rng.choice(LAST)
            if outlet.lang == "fa":
                bio = (
                    rng.choice(["خبرنگار اقتصادی", "خبرنگار حوزه غذا و کشاورزی", "خبرنگار"])
                    + f" | {outlet.name}"
                )
                name, first_name = f"{first_fa} {last_fa}", first_fa
            else:
                bio, name, first_name = (
                    f"Reporter at {outlet.name}",
                    f"{first.title()} {last.title()}",
                    first.title(),
                )
            handle = (
                f"{first}_{last}_news"
                if f"{first}_{last}_news" not in seen
                else f"{first}_{last}_{outlet.handle}"
            )
            seen.add(handle)
            people.append(
                Person(
                    "journalist",
                    outlet.lang,
                    handle,
                    name,
                    first_name,
                    int(rng.lognormvariate(8, 0.8)),
                    bio,
                    rng.random() < 0.4,
                    f"{first}.{last}@{outlet.domain}",
                    outlet.name,
                    outlet.domain,
                )
            )
    return people


def _influencers(rng: random.Random, spec: BrandSpec) -> list[Person]:
    bios = {"fa": "بلاگر {niche} | همکاری: دایرکت", "en": "{niche} creator | collabs via DM"}
    niche = {
        "tea": {"fa": "آشپزی و سبک زندگی", "en": "Food & lifestyle"},
        "skincare": {"fa": "زیبایی و پوست", "en": "Beauty & skincare"},
    }[spec.industry]
    return [
        Person(
            "influencer",
            lang,
            handle,
            name,
            name.split()[0],
            rng.randrange(52_000, 900_000),
            bios[lang].format(niche=niche[lang]),
            True,
            f"{handle.replace('.', '_')}@mail.example",
        )
        for name, handle, lang in INFLUENCERS[spec.industry]
    ]


def _partners(rng: random.Random, partner_domains: list[str]) -> list[Person]:
    people = []
    for index, (name, handle, lang) in enumerate(PARTNER_SHOPS):
        domain = partner_domains[index % len(partner_domains)] if index % 2 == 0 else "mail.example"
        bio = "فروشگاه و پخش مواد غذایی و بهداشتی" if lang == "fa" else "Retail and distribution"
        people.append(
            Person(
                "partner",
                lang,
                handle,
                name,
                name.split()[0],
                rng.randrange(300, 9000),
                bio,
                email=f"sales.{handle.replace('.', '_')}@{domain}",
                domain=domain,
            )
        )
    return people


def _pool(size: int, scale: float) -> int:
    return max(40, round(size * min(1.0, scale)))


def build_people(spec: BrandSpec, seed: int, scale: float = 1.0) -> People:
    """The workspace's people; the customer and public pools shrink with `scale` (fewer messages to write)."""
    rng = random.Random(f"{seed}:{spec.workspace}:people")
    brand = tomllib.loads(spec.brand_toml)["brand"]
    seen: set[str] = set()
    outlets = [
        Person(
            "media_outlet",
            lang,
            handle,
            name,
            name,
            rng.randrange(20_000, 400_000),
            verified=True,
            outlet=name,
            domain=domain,
        )
        for name, handle, domain, lang in OUTLETS
        if domain in brand["journalist_domains"]
    ]
    return People(
        customers={
            lang: [_iranian(rng, "customer", lang, seen) for _ in range(_pool(n, scale))]
            for lang, n in (("fa", 2400), ("en", 600))
        },
        public={
            lang: [_iranian(rng, "public", lang, seen) for _ in range(_pool(n, scale))]
            for lang, n in (("fa", 700), ("en", 250))
        },
        journalists=_journalists(rng, outlets, seen),
        outlets=outlets,
        influencers=_influencers(rng, spec),
        partners=_partners(rng, brand["partner_domains"]),
    )
