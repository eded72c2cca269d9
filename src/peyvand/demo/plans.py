"""The teams' plans: campaigns, saved target markets and segments, and the demo logins.

Campaign dict (every key present; `None` or `[]` where it does not apply):
  `key`, `kind` ("branding" | "marketing"), `name` (fa), `name_en`, `owner_team` ("pr" | "marketing"),
  `units` (["advertising", "media"] | ["advertising"]), `audience` ("public" for branding, else None),
  `starts_on`, `ends_on` (ISO dates), `description`, `products` (product keys), `target_market` (label,
  e.g. "Tehran, 25–45"), `target_market_key` (a `target_markets` key), `channels` ([{"name", "type":
  "paid" | "owned" | "earned"}]), `budget` and `expected_return` (toman, int), `currency` ("IRT"),
  `kpis` ([{"key", "target", and "attribute"/"baseline" where they apply}]), `content` (content keys).
Target market dict: `key`, `name` (fa), `name_en`, `dims` (dimension → allowed values).
Segment dict: `key`, `name`, `name_en`, `description`, `dims` (contact attribute → condition), `size`.
User dict: `username`, `password`, `role` (admin | pr | marketing | viewer), `display_name`, `email`,
  `locale` ("fa" | "en"), `calendar` ("jalali" | "gregorian"). The admin appears in every workspace.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from peyvand.demo.brands import BrandSpec
from peyvand.demo.loops import PLANS, contact_count
from peyvand.demo.timeline import Timeline, Window

DEMO_PASSWORD = "peyvand-demo"
BRANDING_KEY = "natural-to-the-root"


@dataclass(frozen=True)
class SponsoredRun:
    """A campaign's sponsored posts: comments arrive on them at `daily_comments` a day in the window."""

    campaign: str
    kind: str
    window: Window
    products: tuple[str, ...]
    daily_comments: float


@dataclass(frozen=True)
class MarketingPlan:
    """A marketing campaign and the effect the generator gives it (the truth the desk must find)."""

    key: str
    name: str
    name_en: str
    products: tuple[str, ...]
    window: Window
    budget: int
    expected_return: int
    target_market_key: str
    order_lift: float
    site_lift: float
    store_lift: tuple[tuple[str, float], ...]
    channel_split: tuple[tuple[str, float], ...]
    conversion_rate: float
    daily_comments: float
    window_name: str


UNPLACED = Window(dt.date.min, dt.date.min)
MARKETING = {
    "darcheh": [
        MarketingPlan("fresh-brew-tehran", "چای تازه‌دم تهران", "Fresh brew Tehran",
                      ("black-tea", "green-tea"), UNPLACED, 300_000_000, 600_000_000, "tehran-25-45",
                      order_lift=1.6, site_lift=1.1, store_lift=(("tajrish", 1.5), ("valiasr", 1.5)),
                      channel_split=(("instagram_ads", 0.6), ("google_ads", 0.4)), conversion_rate=0.05,
                      daily_comments=4.0, window_name="campaign_lift"),
        MarketingPlan("herbal-nights", "شب‌های دمنوش", "Herbal nights", ("herbal-infusion",), UNPLACED,
                      180_000_000, 400_000_000, "iran-women-30-55", order_lift=1.0, site_lift=1.0,
                      store_lift=(), channel_split=(("instagram_ads", 0.7), ("google_ads", 0.3)),
                      conversion_rate=0.012, daily_comments=2.5, window_name="campaign_flat"),
    ],
    "lumira": [
        MarketingPlan("lumira-glow", "درخشش لومیرا", "Lumira glow", ("rosewater-toner", "saffron-cream"),
                      UNPLACED, 60_000_000, 150_000_000, "tehran-women-20-40", order_lift=1.3, site_lift=1.15,
                      store_lift=(), channel_split=(("instagram_ads", 1.0),), conversion_rate=0.04,
                      daily_comments=1.3, window_name="second_campaign"),
    ],
}  # fmt: skip


def marketing_plans(spec: BrandSpec, t: Timeline) -> list[MarketingPlan]:
    """The workspace's marketing campaigns, placed on the timeline (at `Timeline.<window_name>`)."""
    return [replace(plan, window=getattr(t, plan.window_name)) for plan in MARKETING[spec.workspace]]


def sponsored_runs(spec: BrandSpec, t: Timeline) -> list[SponsoredRun]:
    runs = [
        SponsoredRun(p.key, "marketing", p.window, p.products, p.daily_comments)
        for p in marketing_plans(spec, t)
    ]
    if spec.workspace == "darcheh":
        runs.append(SponsoredRun(BRANDING_KEY, "branding", t.branding, (), 2.5))
    return runs


def _marketing_campaign(
    spec: BrandSpec, plan: MarketingPlan, markets: dict[str, dict[str, object]]
) -> dict[str, object]:
    channels = [{"name": name, "type": "paid"} for name, _ in plan.channel_split]
    channels += [{"name": "newsletter", "type": "owned"}, {"name": "influencer posts", "type": "earned"}]
    products = "، ".join(p.fa for p in spec.products if p.key in plan.products)
    return {
        "key": plan.key,
        "kind": "marketing",
        "name": plan.name,
        "name_en": plan.name_en,
        "owner_team": "marketing",
        "units": ["advertising"],
        "audience": None,
        "starts_on": plan.window.start.isoformat(),
        "ends_on": plan.window.end.isoformat(),
        "description": f"تبلیغ پولی در شبکه‌های اجتماعی و جست‌وجو برای {products}.",
        "products": list(plan.products),
        "target_market": markets[plan.target_market_key]["name"],
        "target_market_key": plan.target_market_key,
        "channels": channels,
        "budget": plan.budget,
        "expected_return": plan.expected_return,
        "currency": "IRT",
        "kpis": [
            {"key": "revenue", "target": plan.expected_return},
            {"key": "return_on_spend", "target": 2.0},
        ],
        "content": [f"mk-ad-{plan.key}"],
    }


def _branding_campaign(t: Timeline) -> dict[str, object]:
    return {
        "key": BRANDING_KEY,
        "kind": "branding",
        "name": "طبیعی از ریشه",
        "name_en": "Natural to the root",
        "owner_team": "pr",
        "units": ["advertising", "media"],
        "audience": "public",
        "starts_on": t.branding.start.isoformat(),
        "ends_on": t.branding.end.isoformat(),
        "description": "تا مردم دارچه را با «طبیعی» بشناسند: فیلم باغ، پست‌های حمایت‌شده، مقاله‌ها و رسانه‌ها.",
        "products": [],
        "target_market": None,
        "target_market_key": None,
        "channels": [
            {"name": "instagram", "type": "owned"},
            {"name": "instagram_ads", "type": "paid"},
            {"name": "رسانه‌ها", "type": "earned"},
            {"name": "فیلم باغ", "type": "owned"},
        ],
        "budget": 350_000_000,
        "expected_return": None,
        "currency": "IRT",
        "kpis": [
            {"key": "attribute_share", "attribute": "natural", "baseline": 0.08, "target": 0.22},
            {"key": "sentiment_index", "target": 0.35},
            {"key": "share_of_voice", "target": 0.55},
        ],
        "content": ["pr-garden-film", "pr-natural-op-ed"],
    }


def target_markets(spec: BrandSpec) -> list[dict[str, object]]:
    if spec.workspace == "lumira":
        return [
            {
                "key": "tehran-women-20-40",
                "name": "زنان ۲۰ تا ۴۰ سال تهران",
                "name_en": "Tehran women, 20–40",
                "dims": {"city": ["tehran"], "gender": ["female"], "age_band": ["18-24", "25-34", "35-44"]},
            }
        ]
    return [
        {
            "key": "tehran-25-45",
            "name": "تهران، ۲۵ تا ۴۵ سال",
            "name_en": "Tehran, 25–45",
            "dims": {"city": ["tehran"], "age_band": ["25-34", "35-44"]},
        },
        {
            "key": "iran-women-30-55",
            "name": "زنان ۳۰ تا ۵۵ سال، سراسر ایران",
            "name_en": "Women 30–55, Iran",
            "dims": {"gender": ["female"], "age_band": ["25-34", "35-44", "45-54"]},
        },
    ]


def segments(spec: BrandSpec, scale: float = 1.0) -> list[dict[str, object]]:
    """Saved segments; the loops in `loops` send to them, so their sizes are the loops' contact counts."""
    sizes = {plan.segment: contact_count(plan, scale) for plan in PLANS[spec.workspace]}
    out: list[dict[str, object]] = [
        {
            "key": "newsletter-new",
            "name": "مشترکان تازه خبرنامه",
            "name_en": "New newsletter subscribers",
            "description": "در ۳۰ روز گذشته عضو خبرنامه شده‌اند و هنوز سفارشی نداده‌اند.",
            "dims": {"list": "newsletter", "signup_days": {"lte": 30}, "orders": {"eq": 0}},
            "size": sizes["newsletter-new"],
        },
    ]
    if spec.workspace == "darcheh":
        out.append(
            {
                "key": "lapsed-customers",
                "name": "مشتریان غیرفعال",
                "name_en": "Lapsed customers",
                "description": "پیش‌تر سفارش داده‌اند و در ۹۰ روز گذشته نه.",
                "dims": {"orders": {"gte": 1}, "last_order_days": {"gte": 90}},
                "size": sizes["lapsed-customers"],
            }
        )
    return out


def campaigns(spec: BrandSpec, t: Timeline) -> list[dict[str, object]]:
    markets = {str(m["key"]): m for m in target_markets(spec)}
    out = [_marketing_campaign(spec, p, markets) for p in marketing_plans(spec, t)]
    if spec.workspace == "darcheh":
        out.insert(0, _branding_campaign(t))
    return out


ADMIN = ("admin", "admin", "نگار یزدانی", "fa", "jalali")
USERS = {
    "darcheh": [
        ADMIN,
        ("neda", "pr", "ندا کریمی", "fa", "jalali"),
        ("arash", "pr", "آرش طاهری", "fa", "jalali"),
        ("reza", "marketing", "رضا حسینی", "fa", "jalali"),
        ("mina", "marketing", "مینا شریفی", "en", "gregorian"),
        ("guest", "viewer", "بهنام نوری", "fa", "jalali"),
    ],
    "lumira": [
        ADMIN,
        ("leila", "pr", "لیلا صادقی", "en", "gregorian"),
        ("kaveh", "marketing", "کاوه بهرامی", "fa", "jalali"),
    ],
}


def users(spec: BrandSpec) -> list[dict[str, object]]:
    return [
        {
            "username": name,
            "password": DEMO_PASSWORD,
            "role": role,
            "display_name": display,
            "email": f"{name}@agency.example",
            "locale": locale,
            "calendar": calendar,
        }
        for name, role, display, locale, calendar in USERS[spec.workspace]
    ]
