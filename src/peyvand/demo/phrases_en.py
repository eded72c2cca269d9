"""English message templates (diaspora customers, English-language press and partners), and Finglish.

Same names and slots as `phrases_fa`, so the composer picks a module by language. `FINGLISH` holds
Persian typed in Latin letters, the way many customers write from a phone without a Persian keyboard.
"""

from __future__ import annotations

GREETINGS = ["Hi", "Hello", "Hi there", "Hey", "Good morning", "", ""]
TAARUF = ["Thanks in advance 🙏", "Many thanks", "Would appreciate your help", ""]

COMPLAINT = [
    "{greet}, {core}. {tail}",
    "Bought {product} from {brand} and {core}. {tail}",
    "Really disappointed. {core}! {tail}",
    "{core}!!! {tail}{emoji}",
]
COMPLAINT_TAILS = [
    "Please sort this out.",
    "Can someone reply please?",
    "Never ordering again.",
    "I want a refund.",
    "Not what I expect from you.",
    "",
]
PRAISE = [
    "{core}{emoji}",
    "{greet}, tried the {product} from {brand}, {core}. Thank you!",
    "Thanks {brand}, {core}{emoji}",
    "{core}, recommending it to everyone{emoji}",
]
QUESTION = [
    "{greet}, is the {product} in stock? {taarof}",
    "How much is the {product}?",
    "Do you ship to {city}? How much would it cost?",
    "What's the difference between the {product} and the {product2}?",
    "{greet}, where can I buy {product} in {city}?",
]
PURCHASE = [
    "I'd like to order {n} {unit} of {product}, how do I place the order?",
    "Want {n} {unit} of {product} for {occasion}, would they arrive by {weekday}?",
    "Can you send me the link to buy the {product}?",
    "Any discount code? About to order the {product}{emoji}",
]
OCCASIONS = ["a party", "a gift", "my mum", "the office"]
SEASON_OCCASION = {"yalda": "Yalda night", "nowruz": "Nowruz"}
WEEKDAYS = ["Saturday", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday"]
OTHER = ["{greet} 🌹", "Thank you!", "@{friend} look at this", "Love your page", "👏👏"]
SEASONAL = {
    "nowruz": ["Happy Nowruz 🌷", "Nowruz mobarak to the whole team 🌱"],
    "yalda": ["Happy Yalda 🍉", "Yalda mobarak ❤️"],
}
AD_FATIGUE = ["I keep seeing this ad everywhere 😅", "Too many ads, just post the price"]

CITIES = ["Toronto", "London", "Hamburg", "Dubai", "Los Angeles", "Stockholm", "Tehran", "Istanbul"]
PROVINCES = ["Ontario", "the UAE", "Northern Germany", "Greater London"]
SHOPS = ["Caspian Grocery", "Persepolis Market", "Saffron House Deli", "Golestan Foods"]
SECTOR = {"tea": "Persian food", "skincare": "beauty and skincare"}
NICHE = {"tea": "food and lifestyle", "skincare": "beauty and skincare"}

WHOLESALE = [
    "{greet}, I run {shop} in {city}. We'd like to buy {product} wholesale. Could you send your wholesale "
    "price list and minimum order?",
    "Dear {brand} team, we are a {sector} distributor in {province} interested in wholesale supply of your "
    "products. Please let us know your terms.",
]
REPRESENTATION = [
    "Dear {brand} team, we would like to become your official distributor in {province}. "
    "Who should we talk to about representation?",
    "Hello, {shop} would like to represent {brand} in {city} as exclusive distributor. Can we set up a call?",
]
INFLUENCER_ASK = [
    "Hi! I'm {name}, a {niche} creator with {followers_k}K followers. I'd love to feature your {product} "
    "in a sponsored post, shall I send my rates?",
    "Hello {brand} team 👋 @{own_handle} here ({followers_k}K followers, {niche}). "
    "Open to a paid collaboration?",
]
INFLUENCER_POST = [
    "Tried the {product} from {brand} today ✨ {core}. What do you think?",
    "My honest review of {brand}: {core} 👌",
]
PRESS_TOPICS = {
    "tea": ["Persian tea exports", "the rise of organic food brands in Iran", "rising tea prices"],
    "skincare": ["Iranian indie beauty brands", "plant-based skincare"],
}
PRESS_INQUIRY = [
    "Dear {brand} press office,\nI am {name}, a reporter at {outlet}, working on a story about {topic}. "
    "Would your CEO or head of communications be available for a short interview?\nBest regards",
    "Hello, {name} from {outlet} here. For our piece on {topic} we'd like a quote and a few figures from "
    "{brand}. Could we arrange a call before {weekday}?",
]
PUBLIC_POST = [
    "{brand}: {core}",
    "Honestly {brand} {core}",
    "Has anyone tried {brand}'s {product}? For me {core}",
]
ARTICLE_TITLES = {
    "tea": ["Persian tea brands bet on the diaspora", "Tea prices climb ahead of {season}"],
    "skincare": ["Iran's indie skincare scene goes global", "Plant-based beauty: trend or need?"],
}
ARTICLE_BODIES = [
    "{outlet} — Shelves in {city} are dominated by a handful of brands, {brand} and {competitor} among them. "
    "One shopper told us about {brand}: \u201c{quote}\u201d.",
]
COMPETITOR_ARTICLE = [
    "{outlet} — {competitor} has opened a new packaging line, stepping up its rivalry with {competitor2}.",
]
BRANDING_ARTICLE = {
    "title": "Natural to the root: {brand} tells its garden-to-cup story",
    "body": "{outlet} — {brand}'s new campaign, 'Natural to the root', puts hand-picked, organic leaves with "
    "no additives at its centre. One customer told us: \u201c{quote}\u201d.",
}

CRISIS_CUSTOMER = [
    "Found mold in my {brand} {product}, batch {batch}. Disgusting 🤢",
    "Is the whole batch {batch} contaminated? @{handle} please respond",
    "Lost all trust in {brand} after this. Mold in a tea box?!",
    "My kids drank the {product} before I saw the mold. What is your quality control doing?",
]
CRISIS_PUBLIC = [
    "Pictures of moldy {brand} {product} are all over my feed 😳",
    "Won't be buying {brand} again, trust is hard to win back",
]
CRISIS_PRESS = [
    "Hello, I'm {name}, a reporter at {outlet}. We are covering reports of mold in {brand} {product} "
    "(batch {batch}). Has the batch been recalled? Could you send an official statement?",
]
CRISIS_ARTICLE = [
    (
        "Mold reports hit {brand} herbal tea",
        "{outlet} — Customers of {brand} posted pictures of mold in boxes of {product} from batch {batch}, "
        "raising questions about the company's quality control.",
    ),
]

REPLIES = {
    "complaint": [
        "Hi {first}, we're really sorry about this 🙏 Please DM us your order number and we'll sort "
        "it out today.",
        "So sorry! We've passed this to our delivery team and will update you.",
    ],
    "question": [
        "Hi! Yes, the {product} is in stock: {site}/shop",
        "Good question, we're checking with the warehouse and will get back to you tomorrow 🙏",
    ],
    "question_price": ["Hi {first}, the {product} is {price} toman on our site: {site}/shop"],
    "question_shipping": ["Hi {first}, we ship worldwide; details at {site}/shipping 🌿"],
    "purchase_intent": ["Thank you! You can order here: {site}/shop 🌱"],
    "praise": ["Thank you so much 💚", "So glad you enjoyed it!"],
    "partnership": [
        "Dear partner, thank you. Our wholesale team will contact you within two working days.",
        "Thanks for reaching out, please send your company details to {email}.",
    ],
    "press_inquiry": [
        "Dear {first}, thank you for your interest. Our head of communications will get back to "
        "you this week; background material attached."
    ],
    "other": ["Thank you 🌹"],
    "crisis": [
        "We are truly sorry. Batch {batch} has been recalled and we will refund you in full. Please DM "
        "us a photo of the batch code.",
        "Our official statement is at {site}/press/hb-2417. We are investigating with our quality team.",
    ],
}
EMAIL_SUBJECTS = {
    "complaint": ["Problem with my order", "Order issue"],
    "question": ["Question about {product}"],
    "purchase_intent": ["Ordering {product}"],
    "praise": ["Thank you!"],
    "other": ["Hello"],
}
REPLIES["crisis_press"] = [
    "Dear {first}, our official statement on batch {batch} is at {site}/press/hb-2417. Our head of "
    "communications is available for an interview.",
]
FOLLOW_UPS = {
    "positive": ["Thanks for the quick reply 🙏", "Sorted, thank you!"],
    "negative": ["Still nothing...", "Two days and no update?"],
    "neutral": ["Sent, waiting", "OK thanks"],
}

FINGLISH = {
    "question": ["salam, {product} mojood darid?", "ghimate {product} chande?", "ersal be {city} darid?"],
    "praise": ["kheili khoob bood merci 😍", "aali bood, dasetoon dard nakone", "{product} kheili khoobe 👌"],
    "complaint": ["sefaresham {days} roze narside!!", "chera javab nemidid??", "gheymat kheili bala raft 😒"],
    "purchase_intent": ["mikham {n} ta {product} sefaresh bedam", "link kharid ro mifrestid?"],
    "other": ["salam khaste nabashid 🌹", "mamnoon 🙏"],
}
FINGLISH_CITIES = ["tehran", "shiraz", "mashhad", "tabriz", "esfahan", "rasht", "karaj"]
