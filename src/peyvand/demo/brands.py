"""The demo's two invented brands, one agency: Darcheh (چای دارچه, Persian tea) and Lumira (لومیرا, skincare).

Each `BrandSpec` carries the brand file text (DESIGN §4, loadable by `peyvand.domain.brand.parse_brand`)
and the numbers the generator needs: products with prices in toman (IRT) and typical daily orders,
stores with typical daily visits, the share of English messages and the daily volume of messages.
All names, handles and domains are invented; domains use the reserved `.example` suffix.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProductSpec:
    key: str
    fa: str
    en: str
    finglish: str
    price: int  # toman per unit at the start of the window
    daily_orders: float
    unit_fa: str
    unit_en: str


@dataclass(frozen=True)
class StoreSpec:
    key: str
    name: str
    city: str
    daily_visits: float


@dataclass(frozen=True)
class CompetitorSpec:
    key: str
    fa: str
    en: str


@dataclass(frozen=True)
class BrandSpec:
    workspace: str
    workspace_name: str
    name_fa: str
    name_en: str
    handle: str
    site: str
    email: str
    industry: str  # "tea" | "skincare": picks the industry's phrases
    brand_toml: str
    products: tuple[ProductSpec, ...]
    stores: tuple[StoreSpec, ...]
    competitors: tuple[CompetitorSpec, ...]
    english_share: float
    daily_messages: float
    daily_site_visits: float
    crisis_product: str | None = None

    @property
    def has_pr_story(self) -> bool:
        """This workspace tells the full PR story: crisis, travelling press release, branding campaign."""
        return self.crisis_product is not None

    def product(self, key: str) -> ProductSpec:
        return next(p for p in self.products if p.key == key)


JOURNALIST_DOMAINS = (
    "bazar-emrooz.example",
    "eghtesad-sabz.example",
    "nava-mag.example",
    "sanat-ghaza.example",
    "tehranbiz.example",
    "persianfood.example",
)

DARCHEH_TOML = """\
# Brand file for the demo workspace "darcheh" (DESIGN §4). Invented brand.
[brand]
name = "چای دارچه"
aliases = ["دارچه", "Darcheh", "Darcheh Tea", "@darcheh", "@darcheh.tea"]
desired_attributes = ["trustworthy", "natural"]
timezone = "Asia/Tehran"
journalist_domains = ["bazar-emrooz.example", "eghtesad-sabz.example", "nava-mag.example",
                      "sanat-ghaza.example", "tehranbiz.example", "persianfood.example"]
partner_domains = ["pakhsh-alborz.example", "hyper-setareh.example", "bazarche-online.example"]

[[attributes]]
key = "trustworthy"
terms = { en = ["trust", "trustworthy", "reliable"], fa = ["اعتماد", "قابل اعتماد", "مطمئن"] }
labels = { en = "Trustworthy", fa = "قابل اعتماد" }

[[attributes]]
key = "natural"
terms = { en = ["natural", "organic", "no additives"], fa = ["طبیعی", "ارگانیک", "بدون افزودنی"] }
labels = { en = "Natural", fa = "طبیعی" }

[[attributes]]
key = "quality"
terms = { en = ["quality", "aroma"], fa = ["کیفیت", "باکیفیت", "عطر"] }
labels = { en = "Quality", fa = "کیفیت" }

[[attributes]]
key = "price"
terms.en = ["price", "expensive", "overpriced", "cheap"]
terms.fa = ["قیمت", "گران", "گرون", "ارزان", "ارزون"]
labels = { en = "Price", fa = "قیمت" }

[[attributes]]
key = "delivery"
terms = { en = ["delivery", "shipping", "shipped", "arrived"], fa = ["ارسال", "تحویل", "رهگیری", "پیک"] }
labels = { en = "Delivery", fa = "ارسال" }

[[products]]
key = "black-tea"
names = ["چای سیاه لاهیجان", "چای سیاه", "Lahijan black tea", "black tea"]

[[products]]
key = "green-tea"
names = ["چای سبز", "green tea"]

[[products]]
key = "herbal-infusion"
names = ["دمنوش گیاهی", "دمنوش", "herbal infusion", "herbal tea"]

[[products]]
key = "saffron"
names = ["زعفران سرگل", "زعفران", "saffron"]

[[stores]]
key = "tajrish"
names = ["فروشگاه تجریش", "Tajrish store"]

[[stores]]
key = "valiasr"
names = ["فروشگاه ولیعصر", "Valiasr store"]

[[stores]]
key = "karaj"
names = ["فروشگاه گوهردشت کرج", "Gohardasht store, Karaj"]

[[competitors]]
name = "چایکند"
key = "chaikand"
aliases = ["Chaikand", "@chaikand"]

[[competitors]]
name = "گلسنگ"
key = "golsang"
aliases = ["چای گلسنگ", "Golsang", "@golsang.tea"]
"""

LUMIRA_TOML = """\
# Brand file for the demo workspace "lumira" (DESIGN §4). Invented brand.
[brand]
name = "Lumira"
aliases = ["لومیرا", "Lumira Skin", "@lumira.skin"]
desired_attributes = ["gentle", "natural"]
timezone = "Asia/Tehran"
journalist_domains = ["nava-mag.example", "tehranbiz.example", "persianfood.example"]
partner_domains = ["darugostar.example", "bazarche-online.example"]

[[attributes]]
key = "gentle"
terms = { en = ["gentle", "sensitive skin", "mild"], fa = ["ملایم", "پوست حساس"] }
labels = { en = "Gentle", fa = "ملایم" }

[[attributes]]
key = "natural"
terms = { en = ["natural", "plant-based"], fa = ["طبیعی", "گیاهی"] }
labels = { en = "Natural", fa = "طبیعی" }

[[attributes]]
key = "quality"
terms = { en = ["quality", "texture"], fa = ["کیفیت", "باکیفیت", "بافت"] }
labels = { en = "Quality", fa = "کیفیت" }

[[attributes]]
key = "price"
terms = { en = ["price", "expensive", "pricey"], fa = ["قیمت", "گران", "گرون"] }
labels = { en = "Price", fa = "قیمت" }

[[attributes]]
key = "delivery"
terms = { en = ["delivery", "shipping", "arrived"], fa = ["ارسال", "تحویل"] }
labels = { en = "Delivery", fa = "ارسال" }

[[products]]
key = "rosewater-toner"
names = ["تونر گلاب", "rosewater toner", "toner"]

[[products]]
key = "saffron-cream"
names = ["کرم شب زعفران", "کرم زعفران", "saffron night cream", "saffron cream"]

[[products]]
key = "herbal-soap"
names = ["صابون گیاهی", "herbal soap"]

[[competitors]]
name = "Velora"
key = "velora"
aliases = ["ولورا", "@velora.beauty"]

[[competitors]]
name = "Nuvana"
key = "nuvana"
aliases = ["نوانا", "@nuvana"]
"""

DARCHEH = BrandSpec(
    workspace="darcheh",
    workspace_name="چای دارچه",
    name_fa="دارچه",
    name_en="Darcheh",
    handle="darcheh",
    site="https://darcheh.example",
    email="pr@darcheh.example",
    industry="tea",
    brand_toml=DARCHEH_TOML,
    products=(
        ProductSpec(
            "black-tea", "چای سیاه لاهیجان", "Lahijan black tea", "chaye siah", 210_000, 140, "بسته", "packs"
        ),
        ProductSpec("green-tea", "چای سبز", "green tea", "chaye sabz", 185_000, 70, "بسته", "packs"),
        ProductSpec(
            "herbal-infusion", "دمنوش گیاهی", "herbal infusion", "damnoosh", 145_000, 55, "جعبه", "boxes"
        ),
        ProductSpec("saffron", "زعفران سرگل", "saffron", "zaferoon", 690_000, 25, "مثقال", "tins"),
    ),
    stores=(
        StoreSpec("tajrish", "فروشگاه تجریش", "tehran", 420),
        StoreSpec("valiasr", "فروشگاه ولیعصر", "tehran", 310),
        StoreSpec("karaj", "فروشگاه گوهردشت کرج", "karaj", 180),
    ),
    competitors=(
        CompetitorSpec("chaikand", "چایکند", "Chaikand"),
        CompetitorSpec("golsang", "چای گلسنگ", "Golsang"),
    ),
    english_share=0.14,
    daily_messages=7.2,
    daily_site_visits=2400,
    crisis_product="herbal-infusion",
)

LUMIRA = BrandSpec(
    workspace="lumira",
    workspace_name="Lumira Skin",
    name_fa="لومیرا",
    name_en="Lumira",
    handle="lumira.skin",
    site="https://lumira.example",
    email="hello@lumira.example",
    industry="skincare",
    brand_toml=LUMIRA_TOML,
    products=(
        ProductSpec(
            "rosewater-toner", "تونر گلاب", "rosewater toner", "toner golab", 390_000, 22, "عدد", "bottles"
        ),
        ProductSpec(
            "saffron-cream",
            "کرم شب زعفران",
            "saffron night cream",
            "kereme zaferan",
            620_000,
            12,
            "عدد",
            "jars",
        ),
        ProductSpec("herbal-soap", "صابون گیاهی", "herbal soap", "saboone giahi", 95_000, 30, "عدد", "bars"),
    ),
    stores=(),
    competitors=(CompetitorSpec("velora", "ولورا", "Velora"), CompetitorSpec("nuvana", "نوانا", "Nuvana")),
    english_share=0.45,
    daily_messages=1.15,
    daily_site_visits=620,
)

BRANDS = (DARCHEH, LUMIRA)
