"""Finglish: Persian written in Latin letters ("salam, kheili mamnoon").

Every language detector reads Finglish as English (or a random Latin-script language). This recogniser is
a hand-written list of very common Finglish words, none of which is an English word, plus a few spelling
patterns of Persian verbs (mi-/nemi- prefixes). A text is Finglish when such words outnumber English
function words. Ambiguous spellings ("bad", "man", "to", "in", "do", "are") are in neither list.
"""

from __future__ import annotations

import re

FINGLISH_WORDS = frozenset(
    """
    salam slm salaam dorood doroud khodafez khodahafez khoda hafez merci mersi mrc mamnoon mamnun
    mamnoonam mamnunam moteshakeram sepas lotfan lotfn kheili kheyli khyli khili kheily khaili kheli
    khoob khub khoobe khube khobe khob khubi khoobi aali aliye aliyeh aaliye ali-e awli awliye mamnoonim
    merciii chera chetori chetor chetorin chtori chikar chekar chie chiye chand chande chanda cheghad
    cheqad cheghadr cheqadr kojast koja kojaye kiye hast hastesh hastin hastid nist nis nistesh bood bud
    boodam budam nabood nabud naboodam shod shode nashod nashode mishe mishod nemishe nemishod mikham
    mikhay mikhad mikhaym mikhayd mikhan mikhastam nemikham nemikhay nemikhad mitoonam mitunam
    nemitoonam nemitunam midoonam midunam nemidoonam nemidunam nemidonam midonam migam migi mige nemigam
    miram miri miad nemiad nayomad nayumad umad oomad omad resid nareside naresid reside dige digeh
    digar alaan hanooz hanuz hanoz hamishe hichi hich hamechi hame hamash vaghean vaghan vaqean
    vaghen vaghn aslan asln besyar besiar kheiliii ziad ziyad yekam ykm behtar bedtar badtarin behtarin
    sefaresh sefareshe sefaresham sefareshim kharid kharidam bekharam kharidan ghimat gheimat gheymat
    qeymat ghymat gimat geymat pul poolam pulam mojoodi mojudi mojood mojud darid darin dari daram
    nadarid nadarin nadare nadaram befrestid befrestin ersal ersale tahvil peygiri peigiri poshtibani
    javab javabe ghaza ghazaa ghazash ghazaye mazash khoshmaze khoshmazeh bimaze badmaze sard sarde zood
    enghad enqadr inghad inqadr intori intoriye unja inja injoori injuri unjoori vali amma chon chun
    agar baraye barat baram barash hamin hamun oon yani azizam aziz ghorbunet ghorboonet ghorbanet fadat
    dastet dastetun dastetoon dard nakone khaste nabashid khasteh nabashin mochakeram nokaram chakeram
    eyval ayval dametun dametoon garm afarin afarinn mersii zendeh zende bashi bashid ajab ajib ghashang
    ghashange ghashangi bi-kefiat bikefiat kefiat keyfiat kifiat keifiat kheili-khoob mozakhraf
    mozakhrafe afteza aftezah eftezah eftezahe ashghal ashghale dorost dorostesh nadorost kharab kharabe
    gerun geroon gerune geroone arzun arzoon arzune arzoone tashakor tashakkor sabr montazer montazeram
    hastam hastim hastan chiz pishnahad tabligh hamkari damnoosh damnush khab residam nemikonid
    mikonid mikonam mikonim mitunim mitoonim bedam bedid begid bebakhshid bebakhshin ruz rooz hafte
    """.split()
)

# English function words: a text full of these is English even if it has a Finglish word in it.
ENGLISH_WORDS = frozenset(
    """
    the is was were be been am i you he she it we they my your his her our their me him them this that
    these those and or but not no yes with without for from of on at by about as if so because have has
    had will would can could should shall may might must just very what when where why how who which
    there here please thanks thank order delivery still again any some all out up get got
    """.split()
)

# Persian verb shapes: nemi-…, mikh-/migh-…, and mi-… with a personal ending (mikonid, mitunim, mikharam).
_VERB_SHAPE = re.compile(r"^(?:nemi[a-z]{2,9}|mi(?:kh|gh)[a-z]{1,8}|mi[a-z]{2,8}(?:am|im|id|in|and))$")
_VERB_SHAPE_ANYWHERE = re.compile(r"\b(?:nemi|mikh|migh)")
_LATIN_WORD = re.compile(r"[a-z]+(?:-[a-z]+)?")


def _looks_finglish(word: str) -> bool:
    if word in FINGLISH_WORDS:
        return True
    return _VERB_SHAPE.match(word) is not None


def is_finglish(text: str) -> bool:
    """True when the Latin-script text reads as Persian: at least one Finglish word, more of them than
    English function words, and at least a quarter of the words."""
    words = _LATIN_WORD.findall(text.lower())
    if not words or (FINGLISH_WORDS.isdisjoint(words) and not _VERB_SHAPE_ANYWHERE.search(text.lower())):
        return False
    finglish = sum(1 for w in words if _looks_finglish(w))
    english = sum(1 for w in words if w in ENGLISH_WORDS)
    return finglish > english and finglish * 4 >= len(words)
