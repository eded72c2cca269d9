"""PR content that travels: pickups of the press release and shares of the garden film, with known ids.

The press release is picked up by news sites (articles that quote its sentences nearly word for word,
often linking its URL) and shared on social networks, growing to a peak on the second day after
publication and then tailing off. The pickup ids are in the scenario's truth, for spread tests.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field

from peyvand.demo.brands import BrandSpec
from peyvand.demo.content import PRESS_KEY, PRESS_SENTENCES, PRESS_TITLES, press_url
from peyvand.demo.people import People, Person
from peyvand.demo.timeline import Timeline, stamp
from peyvand.demo.writing import pick, roughen

ARTICLES_PER_DAY = [2, 5, 9, 6, 4, 3, 2, 2, 1, 1, 1, 1]
SHARES_PER_DAY = [1, 3, 6, 4, 3, 2, 1, 1]
FILM_SHARES_PER_DAY = [3, 4, 3, 2, 2, 1, 1, 1, 1, 1, 0, 1, 0, 1]
PICKUP_OUTLETS = [
    ("خبرگزاری شمال‌نیوز", "shomalnews", "shomalnews.example", "fa"),
    ("پایگاه خبری گیلان امروز", "gilan_emrooz", "gilan-emrooz.example", "fa"),
    ("روزنامه سپهر", "sepehr_daily", "sepehr-daily.example", "fa"),
    ("خبرنامه کشاورزی سبز", "keshavarzisabz", "keshavarzi-sabz.example", "fa"),
    ("مجله خانه و آشپزخانه", "khane_ashpazkhane", "khane-ashpazkhane.example", "fa"),
    ("Caspian Post", "caspianpost", "caspianpost.example", "en"),
    ("Organic Trade Weekly", "organictrade", "organictrade.example", "en"),
]
SHARES = {
    "fa": [
        "دارچه گواهی ارگانیک گرفت 👏 {url}",
        "خبر خوب برای طرفدارای چای طبیعی: {title} {url}",
        "«{quote}» {url}",
    ],
    "en": ["Darcheh just got organic certification for its tea gardens 👏 {url}", "{title} {url}"],
}
FILM_SHARES = {
    "fa": [
        "این فیلم دارچه رو ببینید، واقعاً قشنگه 😍 {url}",
        "از باغ تا فنجان؛ فیلم جدید دارچه درباره چای طبیعی {url}",
    ],
    "en": ["Beautiful short film from Darcheh about their tea gardens {url}"],
}
NATURAL = re.compile(r"ارگانیک|طبیعی|organic|natural", re.IGNORECASE)
EDITS_FA = [("دریافت کرد", "گرفت"), ("نخستین", "اولین"), ("همچنین", "نیز")]


@dataclass
class Coverage:
    by_day: dict[dt.date, list[dict[str, object]]] = field(default_factory=lambda: defaultdict(list))
    pickups: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    labels: dict[str, dict[str, object]] = field(default_factory=dict)

    count: int = 0

    def next_number(self) -> int:
        self.count += 1
        return self.count

    def cut_after(self, last: dt.date) -> None:
        """Forget what would be published after the window's last day."""
        late = {str(i["id"]) for day, items in self.by_day.items() if day > last for i in items}
        self.by_day = defaultdict(list, {d: items for d, items in self.by_day.items() if d <= last})
        self.pickups = defaultdict(
            list, {k: [i for i in ids if i not in late] for k, ids in self.pickups.items()}
        )

    def add(self, day: dt.date, content: str, item: dict[str, object], person: Person) -> None:
        self.by_day[day].append(item)
        self.pickups[content].append(str(item["id"]))
        natural = NATURAL.search(str(item["text"]))
        self.labels[str(item["id"])] = {
            "language": person.lang, "intent": "other", "sentiment": "positive", "audience": person.audience,
            "attributes": [{"key": "natural", "polarity": "positive"}] if natural else [], "finglish": False,
        }  # fmt: skip


def _count(base: int, scale: float) -> int:
    return round(base * max(scale, 0.25))


def _outlets() -> list[Person]:
    return [
        Person("media_outlet", lang, handle, name, name, 40_000, verified=True, outlet=name, domain=domain)
        for name, handle, domain, lang in PICKUP_OUTLETS
    ]


def _pickup_text(rng: random.Random, outlet: Person, spec: BrandSpec) -> str:
    sentences = PRESS_SENTENCES[outlet.lang]
    chosen = [sentences[0], *sorted(rng.sample(sentences[1:], rng.randint(1, 3)), key=sentences.index)]
    if outlet.lang == "en":
        text = f"{outlet.name} — " + " ".join(chosen)
    else:
        text = f"به گزارش {outlet.name}، " + " ".join(chosen)
        for old, new in rng.sample(EDITS_FA, rng.randint(0, 2)):
            text = text.replace(old, new)
        text = roughen(text, rng, formal=True)
    if rng.random() < 0.6:
        text += f"\n{'متن کامل' if outlet.lang == 'fa' else 'Full text'}: {press_url(spec, outlet.lang)}"
    return text


def _article(
    rng: random.Random, spec: BrandSpec, outlet: Person, at: dt.datetime, number: int
) -> dict[str, object]:
    return {
        "id": f"{spec.workspace}-news-pickup-{number:04d}",
        "source": "news",
        "kind": "article",
        "created_at": stamp(at),
        "title": PRESS_TITLES[outlet.lang],
        "text": _pickup_text(rng, outlet, spec),
        "author": outlet.author(),
        "url": f"https://{outlet.domain}/news/pickup-{number:04d}",
    }


def _share(
    rng: random.Random,
    spec: BrandSpec,
    person: Person,
    at: dt.datetime,
    number: int,
    templates: dict[str, list[str]],
    url: str,
    prefix: str,
) -> dict[str, object]:
    lang = person.lang
    text = pick(rng, templates[lang]).format(
        url=url, title=PRESS_TITLES[lang], quote=pick(rng, PRESS_SENTENCES[lang][:3])
    )
    source = pick(rng, ["x", "telegram", "instagram"])
    own = {  # the share's own address; the piece's link is in its text
        "x": f"https://x.com/{person.handle}/status/{prefix}{number}",
        "telegram": f"https://t.me/{person.handle}/{number}",
        "instagram": f"https://www.instagram.com/p/{prefix}{number}/",
    }
    return {
        "id": f"{spec.workspace}-{source}-{prefix}-{number:04d}",
        "source": source,
        "kind": "post",
        "created_at": stamp(at),
        "text": text,
        "author": person.author(),
        "url": own[source],
    }


def _when(rng: random.Random, day: dt.date, office: bool) -> dt.datetime:
    hour = rng.randint(8, 17) if office else rng.randint(8, 23)
    return dt.datetime.combine(day, dt.time(hour, rng.randrange(60), rng.randrange(60)))


def _press_articles(
    rng: random.Random, spec: BrandSpec, t: Timeline, people: People, scale: float, coverage: Coverage
) -> None:
    outlets = _outlets()
    for offset, base in enumerate(ARTICLES_PER_DAY):
        day = t.press_day + dt.timedelta(days=offset)
        for _ in range(_count(base, scale)):
            outlet = rng.choice(outlets) if rng.random() < 0.8 else rng.choice(people.outlets)
            item = _article(rng, spec, outlet, _when(rng, day, True), coverage.next_number())
            coverage.add(day, PRESS_KEY, item, outlet)


def _shares(
    rng: random.Random,
    spec: BrandSpec,
    people: People,
    scale: float,
    coverage: Coverage,
    *,
    content: str,
    first: dt.date,
    per_day: list[int],
) -> None:
    film = content != PRESS_KEY
    templates, prefix = (FILM_SHARES, "film") if film else (SHARES, "pickup")
    for offset, base in enumerate(per_day):
        day = first + dt.timedelta(days=offset)
        for _ in range(_count(base, scale)):
            person = people.voice(rng, "en" if rng.random() < 0.2 else "fa")
            url = f"{spec.site}/films/garden-to-cup" if film else press_url(spec, person.lang)
            at = _when(rng, day, False)
            item = _share(rng, spec, person, at, coverage.next_number(), templates, url, prefix)
            coverage.add(day, content, item, person)


def build_coverage(spec: BrandSpec, t: Timeline, people: People, seed: int, scale: float) -> Coverage:
    """The press release's pickups (articles, then shares) and the garden film's shares, by day."""
    coverage = Coverage()
    if not spec.has_pr_story:
        return coverage
    rng = random.Random(f"{seed}:{spec.workspace}:coverage")
    _press_articles(rng, spec, t, people, scale, coverage)
    _shares(rng, spec, people, scale, coverage, content=PRESS_KEY, first=t.press_day, per_day=SHARES_PER_DAY)
    film_day = t.branding.start + dt.timedelta(days=3)
    _shares(rng, spec, people, scale, coverage, content="pr-garden-film", first=film_day,
            per_day=FILM_SHARES_PER_DAY)  # fmt: skip
    coverage.cut_after(t.window.end)
    return coverage
