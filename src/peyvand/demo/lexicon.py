"""What people say about each attribute of each brand, by polarity and language.

`PHRASES[workspace][attribute]["pos"|"neg"][language]` is a list of clauses. Every clause contains at
least one of the attribute's terms from the brand file (a test checks it), so the attribute is there for
the text analyser to find, and its polarity is plain to a reader. Slots: `{days}`, `{date}`, `{price}`.
"""

from __future__ import annotations

Phrases = dict[str, dict[str, dict[str, list[str]]]]

DARCHEH: Phrases = {
    "natural": {
        "pos": {
            "fa": [
                "کاملاً طبیعیه، معلومه هیچ اسانسی بهش نزدن",
                "طعمش طبیعی و خالصه، نه رنگ مصنوعی داره نه اسانس",
                "ارگانیک بودنش از عطرش معلومه",
                "بدون افزودنی و خالص، همونی که دنبالش بودم",
                "برگ‌هاش درشت و طبیعیه، بوی باغ‌های لاهیجان رو می‌ده",
                "یه چای طبیعی و سالم که با خیال راحت به بچه‌ها می‌دم",
            ],
            "en": [
                "it tastes genuinely natural, no artificial flavouring at all",
                "you can tell it's organic from the first sip",
                "pure leaves with no additives, exactly what I was looking for",
                "finally a natural tea that tastes like the gardens in Lahijan",
            ],
        },
        "neg": {
            "fa": [
                "اصلاً طبیعی به نظر نمیاد، بوی اسانس می‌ده",
                "می‌گن ارگانیک ولی رنگ دمش مشکوکه",
                "فکر نمی‌کنم بدون افزودنی باشه، طعمش مصنوعیه",
            ],
            "en": [
                "it doesn't taste natural at all, it smells of added flavouring",
                "they say organic but the colour of the brew looks suspicious",
            ],
        },
    },
    "quality": {
        "pos": {
            "fa": [
                "کیفیتش عالیه، عطرش کل خونه رو برداشته",
                "باکیفیت‌ترین چاییه که تا حالا خوردم",
                "رنگ و عطر و طعمش حرف نداره، کیفیت یعنی این",
                "خوش‌رنگ و خوش‌طعم، کیفیتش مثل همیشه عالی",
            ],
            "en": [
                "the quality is excellent, the whole flat smells of fresh tea",
                "best quality tea I've had outside Iran",
                "lovely colour and aroma, top quality",
            ],
        },
        "neg": {
            "fa": [
                "کیفیتش نسبت به قبل خیلی افت کرده",
                "این سری پر از چوب و خاک بود، کیفیت خیلی پایین",
                "بی‌عطر و بی‌رنگ، کیفیتش افتضاح بود",
                "کیفیت بسته‌بندی هم افتضاحه، درش باز بود",
            ],
            "en": [
                "the quality has dropped a lot compared to last year",
                "this batch was full of stems and dust, really poor quality",
                "no aroma at all, the quality is awful now",
            ],
        },
    },
    "trustworthy": {
        "pos": {
            "fa": [
                "برندیه که میشه بهش اعتماد کرد",
                "سال‌هاست مشتری‌ام و همیشه قابل اعتماد بوده",
                "خیالم از اصل بودنش راحته، یه برند مطمئن",
            ],
            "en": [
                "a brand you can trust",
                "I've bought from them for years and they've always been reliable",
            ],
        },
        "neg": {
            "fa": [
                "دیگه بهتون اعتماد ندارم",
                "وزن بسته کمتر از مقدار نوشته‌شده بود، اصلاً قابل اعتماد نیست",
                "جواب پیام‌ها رو نمی‌دید، چطور بهتون اعتماد کنیم؟",
            ],
            "en": [
                "I don't trust them anymore",
                "the pack weighed less than the label says, not reliable at all",
            ],
        },
    },
    "price": {
        "pos": {
            "fa": [
                "قیمتش نسبت به کیفیتش منصفانه‌ست",
                "با این قیمت واقعاً می‌ارزه",
                "از بقیه ارزون‌تره و طعمش هم بهتره",
            ],
            "en": ["a fair price for what you get", "not cheap but worth the price"],
        },
        "neg": {
            "fa": [
                "قیمت‌ها خیلی گرون شده",
                "توی یه ماه دو بار قیمت رو بردید بالا!",
                "قیمت {price} تومن برای یه بسته چای واقعاً زیاده",
                "این‌قدر گران؟ دیگه نمی‌صرفه",
            ],
            "en": ["prices went up again, way too expensive", "{price} toman for one pack is overpriced"],
        },
    },
    "delivery": {
        "pos": {
            "fa": [
                "ارسالش سریع بود، یه‌روزه رسید",
                "تحویل به‌موقع و بسته‌بندی تمیز",
                "پیک خیلی سریع رسوند، دستتون درد نکنه",
            ],
            "en": ["delivery was fast, it arrived in one day", "shipping was quick and the packaging neat"],
        },
        "neg": {
            "fa": [
                "{days} روزه سفارش دادم هنوز ارسال نشده",
                "بسته پاره رسید، تحویلش خیلی بد بود",
                "از {date} منتظر ارسال سفارشم هستم، هیچ خبری نیست",
                "کد رهگیری هم جواب نمی‌ده، کی تحویل می‌دید؟",
            ],
            "en": [
                "ordered {days} days ago and it still hasn't shipped",
                "the parcel arrived torn, terrible delivery",
            ],
        },
    },
}

LUMIRA: Phrases = {
    "gentle": {
        "pos": {
            "fa": [
                "خیلی ملایمه، روی پوست حساس من هیچ واکنشی نداد",
                "برای پوست حساس عالیه، ملایم و بی‌بو",
            ],
            "en": [
                "so gentle, my sensitive skin had no reaction at all",
                "finally something mild enough for sensitive skin",
            ],
        },
        "neg": {
            "fa": ["اصلاً ملایم نیست، پوستم قرمز شد", "برای پوست حساس مناسب نیست، سوزش داشت"],
            "en": ["not gentle at all, my face went red", "not for sensitive skin, it stings"],
        },
    },
    "natural": {
        "pos": {
            "fa": ["ترکیباتش گیاهی و طبیعیه، بوی گلاب واقعی می‌ده", "کاملاً طبیعی و بدون پارابن"],
            "en": ["plant-based and it smells of real roses", "truly natural ingredients, no parabens"],
        },
        "neg": {
            "fa": ["ادعای طبیعی بودن دارن ولی پر از عطر مصنوعیه"],
            "en": ["they claim natural but it's full of synthetic fragrance"],
        },
    },
    "quality": {
        "pos": {
            "fa": ["کیفیتش از برندهای خارجی هم بهتره", "بافتش سبک و باکیفیته، پوستم شفاف شد"],
            "en": ["better quality than the imported brands", "lovely light texture, my skin is glowing"],
        },
        "neg": {
            "fa": ["کیفیتش خوب نبود، بافتش آبکی بود"],
            "en": ["poor quality, the texture is watery"],
        },
    },
    "price": {
        "pos": {
            "fa": ["قیمتش منصفانه‌ست", "با این قیمت ارزش خرید داره"],
            "en": ["fair price for a cream this good", "worth the price"],
        },
        "neg": {
            "fa": ["برای یه تونر کوچیک خیلی گرونه", "قیمت‌ها رو چرا این‌قدر بالا بردید؟"],
            "en": ["way too pricey for such a small bottle", "the price doubled in a year"],
        },
    },
    "delivery": {
        "pos": {
            "fa": ["ارسالش سریع بود و بسته‌بندیش شیک"],
            "en": ["fast shipping and beautiful packaging"],
        },
        "neg": {
            "fa": ["{days} روزه منتظر ارسالم", "شیشه تونر شکسته تحویل داده شد"],
            "en": ["still waiting for delivery after {days} days", "the bottle arrived broken"],
        },
    },
}

PHRASES: dict[str, Phrases] = {"darcheh": DARCHEH, "lumira": LUMIRA}

# How often each attribute comes up when people praise or complain (before the branding campaign).
PRAISE_TOPICS = {
    "quality": 0.36,
    "natural": 0.08,
    "trustworthy": 0.2,
    "gentle": 0.2,
    "delivery": 0.2,
    "price": 0.16,
}
COMPLAINT_TOPICS = {
    "delivery": 0.36,
    "price": 0.26,
    "quality": 0.24,
    "natural": 0.04,
    "trustworthy": 0.1,
    "gentle": 0.1,
}


def topics(workspace: str, weights: dict[str, float]) -> dict[str, float]:
    """The weights restricted to the workspace's attributes."""
    return {k: w for k, w in weights.items() if k in PHRASES[workspace]}
