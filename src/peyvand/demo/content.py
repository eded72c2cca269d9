"""The brand's own content: PR pieces (press releases, an op-ed, a film), marketing pieces (e-mails, ads).

Content dict: `key`, `team` ("pr" | "marketing"), `unit` ("media" | "advertising" | None), `kind`
("press_release" | "statement" | "article" | "film" | "email" | "ad"), `title`, `url`, `text`,
`language` ("fa" | "en"), `published_at` (ISO datetime, Tehran `+03:30`), `campaign` (key or None),
`translation_of` (key or None). Press release texts are lists of sentences joined by spaces, so that
pickups can quote them nearly word for word (see `coverage`).
"""

from __future__ import annotations

import datetime as dt

from peyvand.demo.brands import BrandSpec
from peyvand.demo.plans import BRANDING_KEY, marketing_plans
from peyvand.demo.timeline import Timeline, stamp

PRESS_KEY = "pr-organic-certificate"
PRESS_SENTENCES = {
    "fa": [
        "دارچه، تولیدکننده چای و دمنوش ایرانی، نخستین گواهی ارگانیک باغ‌های چای لاهیجان را از مرجع ملی "
        "استاندارد محصولات ارگانیک دریافت کرد.",
        "این گواهی پس از دو سال پایش خاک، آب و فرآیند فرآوری صادر شده و نشان می‌دهد چای دارچه بدون کود "
        "شیمیایی، سم و افزودنی تولید می‌شود.",
        "مدیرعامل دارچه در این باره گفت: «ما از روز اول قول داده بودیم آنچه در فنجان مشتری می‌ریزد کاملاً "
        "طبیعی باشد؛ این گواهی تأیید همین قول است.»",
        "به گفته او، از ماه آینده نشان ارگانیک روی همه بسته‌های چای سیاه و چای سبز دارچه درج می‌شود و "
        "مشتریان با اسکن کد روی بسته، باغ محل برداشت را می‌بینند.",
        "دارچه همچنین اعلام کرد بخشی از درآمد این فصل را صرف آموزش کشاورزی ارگانیک به باغداران گیلان می‌کند.",
    ],
    "en": [
        "Darcheh, the Iranian tea and herbal infusion maker, has received the first organic certificate for "
        "tea gardens in Lahijan from the national organic standards body.",
        "The certificate follows two years of soil, water and processing audits and confirms that Darcheh "
        "tea is grown without chemical fertiliser, pesticides or additives.",
        "\u201cFrom day one we promised that what goes into our customers' cups would be completely natural; "
        "this certificate confirms that promise,\u201d said Darcheh's chief executive.",
        "From next month every pack of Darcheh black and green tea will carry the organic mark, and a code "
        "on the pack will show the garden where it was picked.",
        "Darcheh will also spend part of this season's revenue on organic farming training for growers "
        "in Gilan.",
    ],
}
PRESS_TITLES = {
    "fa": "دارچه نخستین گواهی ارگانیک باغ‌های چای لاهیجان را دریافت کرد",
    "en": "Darcheh receives Lahijan's first organic tea garden certificate",
}
LOOP_EMAILS = {
    "welcome": [
        ("mk-welcome-1", "به خانواده دارچه خوش آمدید 🌿", "از اینکه به ما پیوستید خوشحالیم."),
        ("mk-welcome-2-garden", "داستان باغ‌های ما", "از باغ‌های لاهیجان تا فنجان شما، بدون افزودنی."),
        ("mk-welcome-3-brew", "راهنمای دم کردن چای", "دمای آب، زمان دم و چند نکته برای طعم بهتر."),
        ("mk-welcome-4-offer", "۱۵٪ تخفیف اولین خرید", "کد WELCOME15 تا پایان هفته فعال است."),
    ],
    "winback": [
        ("mk-winback-1", "دلمان برایتان تنگ شده", "مدتی است از شما خبری نداریم."),
        ("mk-winback-2-harvest", "برداشت تازه بهاره رسید", "چای بهاره امسال را زودتر از همه بچشید."),
        ("mk-winback-3-shipping", "ارسال رایگان تا پایان هفته", "برای هر سفارشی، بدون حداقل خرید."),
    ],
    "lumira-welcome": [
        ("mk-lumira-welcome-1", "Welcome to Lumira 🌸", "Gentle care, plant-based formulas."),
        ("mk-lumira-welcome-2-routine", "Your evening routine", "Toner, then saffron cream."),
        ("mk-lumira-welcome-3-offer", "10% off your first order", "Code GLOW10, this week."),
    ],
}


def _at(day: dt.date, hour: int) -> str:
    return stamp(dt.datetime.combine(day, dt.time(hour, 0)))


def _piece(
    key: str,
    team: str,
    kind: str,
    title: str,
    url: str,
    text: str,
    published: str,
    *,
    language: str = "fa",
    unit: str | None = None,
    campaign: str | None = None,
    translation_of: str | None = None,
) -> dict[str, object]:
    return {
        "key": key,
        "team": team,
        "unit": unit,
        "kind": kind,
        "title": title,
        "url": url,
        "text": text,
        "language": language,
        "published_at": published,
        "campaign": campaign,
        "translation_of": translation_of,
    }


def press_url(spec: BrandSpec, language: str) -> str:
    return f"{spec.site}/press/organic-certificate" + ("-en" if language == "en" else "")


# key, kind, unit, (timeline anchor, days after it, hour), title, URL path (or full URL), text, campaign
PR_PIECES = [
    ("pr-garden-film", "film", "advertising", ("branding", 3, 19), "از باغ تا فنجان", "/films/garden-to-cup",
     "فیلم کوتاه سه‌دقیقه‌ای از برداشت دستی چای در باغ‌های لاهیجان تا بسته‌بندی؛ طبیعی از ریشه.", BRANDING_KEY),
    ("pr-natural-op-ed", "article", "media", ("branding", 20, 10), "چرا چای طبیعی؟",
     "https://nava-mag.example/opinion/natural-tea",
     "یادداشت مدیر روابط عمومی دارچه درباره کشت بدون سم و فرآوری طبیعی چای ایرانی.", BRANDING_KEY),
    ("pr-crisis-statement", "statement", "media", ("crisis", 1, 14),
     "بیانیه دارچه درباره سری HB-2417 دمنوش گیاهی", "/press/hb-2417",
     "دارچه سری ساخت HB-2417 دمنوش گیاهی را به‌طور داوطلبانه از بازار جمع‌آوری می‌کند و "
     "هزینه خریداران را کامل بازمی‌گرداند. بررسی کنترل کیفیت ادامه دارد.", None),
]  # fmt: skip


def darcheh_pr(spec: BrandSpec, t: Timeline) -> list[dict[str, object]]:
    """The branding film and op-ed, the crisis statement, and the press release (Persian and English)."""
    anchors = {"branding": t.branding.start, "crisis": t.crisis.start}
    pieces = []
    for key, kind, unit, (anchor, days, hour), title, path, text, campaign in PR_PIECES:
        url = path if path.startswith("https://") else spec.site + path
        published = _at(anchors[anchor] + dt.timedelta(days=days), hour)
        pieces.append(_piece(key, "pr", kind, title, url, text, published, unit=unit, campaign=campaign))
    for language, hour in (("fa", 10), ("en", 11)):
        key = PRESS_KEY if language == "fa" else f"{PRESS_KEY}-en"
        text = " ".join(PRESS_SENTENCES[language])
        translation = PRESS_KEY if language == "en" else None
        url, published = press_url(spec, language), _at(t.press_day, hour)
        pieces.append(_piece(key, "pr", "press_release", PRESS_TITLES[language], url, text, published,
                             language=language, unit="media", translation_of=translation))  # fmt: skip
    return pieces


def loop_content(spec: BrandSpec, t: Timeline, loop: str) -> list[dict[str, object]]:
    language = "en" if loop.startswith("lumira") else "fa"
    start = t.window.start + dt.timedelta(days=30)
    return [
        _piece(
            key,
            "marketing",
            "email",
            title,
            f"{spec.site}/mail/{key}",
            text,
            _at(start, 9),
            language=language,
            unit=None,
        )
        for key, title, text in LOOP_EMAILS[loop]
    ]


def content(spec: BrandSpec, t: Timeline) -> list[dict[str, object]]:
    ads = [
        _piece(
            f"mk-ad-{p.key}",
            "marketing",
            "ad",
            p.name,
            f"{spec.site}/campaigns/{p.key}",
            f"{p.name_en}: {', '.join(p.products)}",
            _at(p.window.start, 8),
            unit="advertising",
            campaign=p.key,
        )
        for p in marketing_plans(spec, t)
    ]
    if spec.workspace == "lumira":
        return [*loop_content(spec, t, "lumira-welcome"), *ads]
    return [*darcheh_pr(spec, t), *loop_content(spec, t, "welcome"), *loop_content(spec, t, "winback"), *ads]
