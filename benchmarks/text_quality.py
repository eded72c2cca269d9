"""Text understanding quality and speed, measured on the evaluation sets in ../shared/data.

    python benchmarks/text_quality.py [--data ../shared/data] [--quick] [--speed]

Prints, for each set that is present:
- built-in sentiment (lexicon and rules, no labels): macro-F1 and accuracy on Snappfood test (anchor: ParsBERT
  v2, 0.876 accuracy), SentiPers (3 classes), ParsiNLU food reviews (overall, and attribute polarity on their
  aspect labels) and the airline tweets (anchor: VADER, 0.46 macro-F1, also run here);
- the learned model: 5-fold cross-validation, and a learning curve (100, 300, 1,000, 3,000 labels) trained on
  one split and tested on another (Snappfood dev → test) or on a held-out 30 %;
- complaint detection F1 on the complaints set (anchor: the paper's up to 79 F1);
- language detection accuracy;
- messages per second per core of the whole pipeline against VADER alone on the same texts, and the ratio:
  with the pipeline compiled by mypyc (`make setup`) and again from its Python sources (a second process
  with PEYVAND_PURE_PYTHON=1), each beside VADER in its own process.

The data sets are non-commercial or unlicensed: they are only measured on here, never shipped or learned
into the package. `--quick` samples smaller sets (a few minutes on two cores).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from pathlib import Path

from sklearn.metrics import accuracy_score, f1_score

from peyvand.domain.brand import BrandProfile, parse_brand
from peyvand.domain.items import Author
from peyvand.services.understanding import settle_long_running_process
from peyvand.text import STATE as BUILD
from peyvand.text.enrich import TextAnalyzer, TextInput
from peyvand.text.features import build_pipeline
from peyvand.text.language import detect_language
from peyvand.text.learned import cross_validate, out_of_fold, pseudo_labels
from peyvand.text.lexicon import load_lexicon
from peyvand.text.normalise import normalise_key, tokenise
from peyvand.text.sentiment import Scored, score_tokens

Labelled = tuple[list[str], list[str]]
NOBODY = Author()
SEED = 0

# Hand-written for this benchmark (not from any data set): Arabic and Finglish sentences.
ARABIC = [
    "هذا المنتج جيد جدا وأنا سعيد به",
    "لم يصل الطلب حتى الآن",
    "شكرا لكم على الخدمة الممتازة",
    "الشاي لذيذ والسعر مناسب",
    "متى يصل الطلب؟",
    "خدمة العملاء لا ترد على الهاتف",
    "أريد استرجاع المبلغ",
    "التغليف كان سيئا للغاية",
    "هل يوجد فرع في الرياض؟",
    "أفضل شاي جربته في حياتي",
    "الطلب وصل متأخرا",
    "الجودة ليست كما في الصورة",
    "أحب هذا المتجر كثيرا",
    "كيف يمكنني تغيير العنوان؟",
    "السعر مرتفع جدا",
    "المنتج غير متوفر منذ أسبوع",
    "تم إلغاء الطلب بدون سبب",
    "التوصيل سريع والمنتج أصلي",
    "أين رقم الطلب الخاص بي؟",
    "لن أشتري منكم مرة أخرى",
]
FINGLISH = [
    "salam, kheili mamnoon az shoma",
    "sefaresham hanooz naresideh",
    "mikham do ta bekharam",
    "gheymatesh chande?",
    "ghaza kheili sard bood",
    "merci, aali bood",
    "chera javab nemidid?",
    "poshtibani kheili bad bood",
    "kheili khoshmaze bood dastetoon dard nakone",
    "nemidoonam chera dir shod",
    "mojoodi darid?",
    "vaghean afteza bood",
    "hamishe az shoma kharid mikonam",
    "ersal kheili zood bood",
    "lotfan peygiri konid",
]


# --- data -------------------------------------------------------------------------------------------


def snappfood(data: Path, split: str) -> Labelled:
    with (data / "snappfood-sentiment" / f"{split}.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter="\t"))[1:]
    return [r[1] for r in rows], ["positive" if r[2] == "HAPPY" else "negative" for r in rows]


def sentipers(data: Path) -> Labelled:
    polarity = {"+2": "positive", "+1": "positive", "0": "neutral", "-1": "negative", "-2": "negative"}
    seen: dict[str, str] = {}
    for path in sorted((data / "sentipers" / "data" / "main").glob("*.xml")):
        for sentence in ET.parse(path).getroot().iter("Sentence"):
            text, value = (sentence.text or "").strip(), sentence.get("Value")
            if text and value in polarity:
                seen.setdefault(text, polarity[value])
    return list(seen), list(seen.values())


def parsinlu_food(data: Path) -> list[dict[str, object]]:
    with (data / "parsinlu-sentiment" / "food.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def airline(data: Path) -> Labelled:
    with (data / "twitter-us-airline-sentiment" / "Tweets.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], [r["airline_sentiment"] for r in rows]


def complaints(data: Path) -> Labelled:
    with (data / "complaints-social-media" / "complaints-data.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return [r[1] for r in rows], ["complaint" if r[2] == "1" else "other" for r in rows]


def sample(texts: Sequence[str], labels: Sequence[str], n: int | None) -> Labelled:
    idx = list(range(len(texts)))
    random.Random(SEED).shuffle(idx)
    idx = idx[:n] if n else idx
    return [texts[i] for i in idx], [labels[i] for i in idx]


# --- printing ---------------------------------------------------------------------------------------


def header(title: str) -> None:
    print(f"\n== {title} " + "=" * max(0, 96 - len(title)), flush=True)


def row(
    name: str, gold: Sequence[str], predicted: Sequence[str], *, labels: Sequence[str] | None = None
) -> float:
    wanted = sorted(set(gold)) if labels is None else list(labels)
    f1 = float(f1_score(gold, predicted, labels=wanted, average="macro", zero_division=0))
    print(f"  {name:58s} macro-F1 {f1:.3f}   accuracy {accuracy_score(gold, predicted):.3f}   n={len(gold)}")
    return f1


# --- built-in sentiment ------------------------------------------------------------------------------


def builtin_scores(texts: Sequence[str]) -> list[Scored]:
    lexicon = load_lexicon()
    return [score_tokens(tokenise(normalise_key(t)), lexicon) for t in texts]


def binary(scored: Sequence[Scored]) -> list[str]:
    """Two classes from a three-class scorer: the sign of the raw total; no evidence at all (0) reads as
    negative (a message to a brand that praises nothing is more often a complaint)."""
    return ["positive" if s.total > 0 else "negative" for s in scored]


def builtin_sentiment(data: Path) -> None:
    header("Built-in sentiment (lexicon and rules, no labels)")
    if (data / "snappfood-sentiment").exists():
        texts, gold = snappfood(data, "test")
        scored = builtin_scores(texts)
        row("Snappfood test, 3-class output (neutral counts as wrong)", gold, [s.label for s in scored])
        row("Snappfood test, binary by sign            [ParsBERT v2: acc 0.876]", gold, binary(scored))
        covered = sum(s.label != "neutral" for s in scored) / len(scored)
        print(f"  {'':58s} share not neutral {covered:.3f}")
    if (data / "sentipers").exists():
        texts, gold = sentipers(data)
        row("SentiPers (main), 3 classes", gold, [s.label for s in builtin_scores(texts)])
    if (data / "twitter-us-airline-sentiment").exists():
        texts, gold = airline(data)
        row(
            "Airline tweets, 3 classes                  [VADER: 0.46]",
            gold,
            [s.label for s in builtin_scores(texts)],
        )
        row("Airline tweets, VADER itself (compound ±0.05)", gold, vader_labels(texts))


def vader_labels(texts: Sequence[str]) -> list[str]:
    from vader import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    out = []
    for text in texts:
        compound = analyzer.polarity_scores(text)["compound"]
        out.append("positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral")
    return out


# --- attributes on ParsiNLU food aspects ------------------------------------------------------------

ASPECTS = {  # ParsiNLU aspect → (attribute key, Persian terms written for this benchmark)
    "طعم": ("taste", ["طعم", "مزه", "خوشمزه", "بدمزه", "بی مزه", "خوش طعم", "بو"]),
    "ارزش خرید": ("value", ["قیمت", "ارزش خرید", "ارزان", "گران", "به صرفه", "اقتصادی", "تخفیف", "می ارزه"]),
    "ارسال": ("delivery", ["ارسال", "تحویل", "پیک", "دیر رسید", "زود رسید", "به موقع"]),
    "بسته بندی": ("packaging", ["بسته بندی", "بسته", "ظرف", "پلمپ", "قوطی", "شیشه", "درب"]),
    "ارزش غذایی": ("nutrition", ["ارزش غذایی", "سالم", "مفید", "مضر", "کالری", "چربی", "قند", "سلامت"]),
    "کیفیت": ("quality", ["کیفیت", "تازه", "تاریخ", "انقضا", "فاسد", "کپک", "مونده", "اصل", "تقلبی"]),
}


def aspect_brand() -> BrandProfile:
    attributes = [{"key": key, "terms": {"fa": terms}} for key, terms in ASPECTS.values()]
    return parse_brand({"brand": {"name": "benchmark"}, "attributes": attributes})


def aspect_label(value: str) -> str | None:
    return {"-2": "negative", "-1": "negative", "0": "neutral", "1": "positive", "2": "positive"}.get(value)


def attributes(data: Path) -> None:
    if not (data / "parsinlu-sentiment").exists():
        return
    header("Attributes: ParsiNLU food reviews, aspect labels (6 aspects)")
    analyzer = TextAnalyzer(aspect_brand())
    reviews = parsinlu_food(data)
    found = expected = hits = 0
    gold_polarity, predicted_polarity = [], []
    for review in reviews:
        e = analyzer.enrich(str(review["review"]), author=NOBODY, source="review", kind="review")
        got = {a.key: a.polarity for a in e.attributes}
        gold = {ASPECTS[k][0]: v for k, v in dict(review["aspects"]).items() if k in ASPECTS}  # type: ignore[call-overload]
        found, expected = found + len(got), expected + len(gold)
        for key, value in gold.items():
            hits += key in got
            if key in got and aspect_label(value) is not None:
                gold_polarity.append(str(aspect_label(value)))
                predicted_polarity.append(got[key])
    precision, recall = hits / max(found, 1), hits / max(expected, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    print(f"  detection of labelled aspects: precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    row("polarity of detected aspects (3 classes)", gold_polarity, predicted_polarity)
    overall = [(str(r["review"]), aspect_label(str(r["sentiment"]))) for r in reviews]
    texts = [t for t, label in overall if label]
    row(
        "overall review sentiment, 3 classes (mixed left out)",
        [str(lab) for _, lab in overall if lab],
        [s.label for s in builtin_scores(texts)],
    )


# --- learned model ------------------------------------------------------------------------------------


def learned_cv(data: Path, quick: bool) -> None:
    header(
        "Learned model: 5-fold cross-validation (char + word n-grams + lexicon features, logistic regression)"
    )
    n = 1500 if quick else None
    sets: list[tuple[str, Callable[[], Labelled]]] = [
        ("Snappfood dev", lambda: snappfood(data, "dev")),
        ("SentiPers (main), 3 classes", lambda: sentipers(data)),
        ("Airline tweets, 3 classes", lambda: airline(data)),
    ]
    folders = {"Snappfood dev": "snappfood-sentiment", "SentiPers (main), 3 classes": "sentipers"}
    for name, loader in sets:
        if not (data / folders.get(name, "twitter-us-airline-sentiment")).exists():
            continue
        texts, labels = sample(*loader(), n)
        start = time.perf_counter()
        f1, accuracy = cross_validate(texts, labels, task="sentiment")
        took = time.perf_counter() - start
        print(f"  {name:58s} macro-F1 {f1:.3f}   accuracy {accuracy:.3f}   n={len(texts)}  ({took:.0f} s)")


def curve_point(
    train: Labelled, test: Labelled, *, lexicon: bool = True, pseudo: Sequence[tuple[str, str]] = ()
) -> tuple[float, float]:
    model = build_pipeline("sentiment", lexicon=lexicon)
    model.fit(train[0] + [t for t, _ in pseudo], train[1] + [lab for _, lab in pseudo])
    predicted = model.predict(test[0])
    f1 = float(f1_score(test[1], predicted, labels=sorted(set(test[1])), average="macro", zero_division=0))
    return f1, float(accuracy_score(test[1], predicted))


def learning_curve(
    name: str, train: Labelled, test: Labelled, sizes: Sequence[int], pool: Sequence[str] = ()
) -> None:
    print(f"  {name}: test n={len(test[0])}")
    for size in sizes:
        if size > len(train[0]):
            continue
        part = sample(*train, size)
        f1, accuracy = curve_point(part, test)
        bare, _ = curve_point(part, test, lexicon=False)
        line = f"    {size:>5} labels: macro-F1 {f1:.3f}  accuracy {accuracy:.3f}"
        line += f"   (without lexicon features {bare:.3f})"
        if pool and size == 1000:
            pseudo = pseudo_labels(pool, lambda t: _builtin(t), min_abs_score=0.5)
            line += f"   + {len(pseudo)} pseudo-labels: {curve_point(part, test, pseudo=pseudo)[0]:.3f}"
        print(line, flush=True)


def _builtin(text: str) -> tuple[str, float]:
    scored = score_tokens(tokenise(normalise_key(text)), load_lexicon())
    return scored.label, scored.score


def holdout(texts: Sequence[str], labels: Sequence[str], share: float = 0.3) -> tuple[Labelled, Labelled]:
    texts, labels = sample(texts, labels, None)
    cut = int(len(texts) * share)
    return (texts[cut:], labels[cut:]), (texts[:cut], labels[:cut])


def learning_curves(data: Path, quick: bool) -> None:
    header("Learned model: learning curve (train on one split, test on another)")
    sizes = [100, 300, 1000] if quick else [100, 300, 1000, 3000]
    if (data / "snappfood-sentiment").exists():
        train, test = snappfood(data, "dev"), snappfood(data, "test")
        if quick:
            test = sample(*test, 2000)
        pool = sample(*train, None)[0][1000:] if not quick else []
        learning_curve("Snappfood dev → test          [ParsBERT v2: acc 0.876]", train, test, sizes, pool)
    if (data / "sentipers").exists():
        learning_curve("SentiPers, 70 % → 30 % held out", *holdout(*sentipers(data)), sizes)
    if (data / "twitter-us-airline-sentiment").exists():
        learning_curve("Airline tweets, 70 % → 30 % held out", *holdout(*airline(data)), sizes)


# --- complaints -------------------------------------------------------------------------------------


def complaint_f1(gold: Sequence[str], predicted: Sequence[str]) -> str:
    f1 = f1_score(gold, predicted, pos_label="complaint", average="binary", zero_division=0)
    return f"F1 {f1:.3f}   accuracy {accuracy_score(gold, predicted):.3f}"


def complaint_detection(data: Path, quick: bool) -> None:
    if not (data / "complaints-social-media").exists():
        return
    header("Complaint detection (English tweets to companies)            [paper: up to 79 F1]")
    texts, gold = complaints(data)
    analyzer = TextAnalyzer(parse_brand({"brand": {"name": "benchmark"}}))
    items = [TextInput(t, NOBODY, "x", "reply") for t in texts]
    predicted = ["complaint" if e.intent == "complaint" else "other" for e in analyzer.enrich_many(items)]
    print(f"  {'built-in intent rules':58s} {complaint_f1(gold, predicted)}   n={len(texts)}")
    texts, gold = sample(texts, gold, 1500 if quick else None)
    learned = out_of_fold(texts, gold, task="intent")
    print(f"  {'learned, 5-fold cross-validation':58s} {complaint_f1(gold, learned)}   n={len(texts)}")


# --- language -----------------------------------------------------------------------------------------


def arabic_keyboard(text: str) -> str:
    return text.replace("ی", "ي").replace("ک", "ك")


def language_detection(data: Path) -> None:
    header("Language detection (raw text)")
    sets: list[tuple[str, list[str], str]] = [
        ("Arabic, hand-written", ARABIC, "other"),
        ("Finglish, hand-written", FINGLISH, "fa"),
    ]
    if (data / "snappfood-sentiment").exists():
        persian = snappfood(data, "test")[0]
        sets += [("Snappfood test (fa)", persian, "fa")]
        sets += [
            ("Snappfood test typed with Arabic ي/ك (fa)", [arabic_keyboard(t) for t in persian[:2000]], "fa")
        ]
    if (data / "sentipers").exists():
        sets += [("SentiPers (fa)", sentipers(data)[0], "fa")]
    if (data / "twitter-us-airline-sentiment").exists():
        sets += [("Airline tweets (en)", airline(data)[0], "en")]
    for name, texts, expected in sets:
        right = sum(detect_language(t).language == expected for t in texts)
        print(f"  {name:58s} accuracy {right / len(texts):.3f}   n={len(texts)}")


# --- speed --------------------------------------------------------------------------------------------


def per_second(
    work: Callable[[list[str]], object], other: Callable[[list[str]], object], texts: list[str]
) -> tuple[float, float]:
    """Messages per second of CPU time for two workloads, run in alternating blocks so that a change in
    machine load hits both alike."""
    spent = [0, 0]
    for _ in range(3):
        for start in range(0, len(texts), 250):
            block = texts[start : start + 250]
            for k, run in enumerate((work, other)):
                began = time.process_time_ns()
                run(block)
                spent[k] += time.process_time_ns() - began
    n = 3 * len(texts)
    return n / (spent[0] / 1e9), n / (spent[1] / 1e9)


def speed(data: Path, quick: bool) -> None:
    """The speed lines for the pipeline as this process imports it, then, when that is the mypyc build,
    for its Python sources in a second process."""
    header("Speed: messages per second per core (CPU time), whole pipeline vs VADER alone on the same texts")
    speed_lines(data, quick)
    if BUILD == "compiled":
        argv = [sys.executable, __file__, "--data", str(data), "--speed-lines"] + (
            ["--quick"] if quick else []
        )
        subprocess.run(argv, check=True, env={**os.environ, "PEYVAND_PURE_PYTHON": "1"})
    else:
        print(f"  (the pipeline is not compiled here: {BUILD}; `make setup` compiles it with mypyc)")


def speed_lines(data: Path, quick: bool) -> None:
    from vader import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    analyzer = TextAnalyzer(aspect_brand())
    n = 1000 if quick else 3000
    sets = []
    if (data / "snappfood-sentiment").exists():
        sets.append(("Persian (Snappfood)", sample(*snappfood(data, "test"), n)[0]))
    if (data / "twitter-us-airline-sentiment").exists():
        sets.append(("English (airline tweets)", sample(*airline(data), n)[0]))
    analyzer.enrich_many([TextInput(t, NOBODY, "x", "comment") for _, texts in sets for t in texts[:300]])
    settle_long_running_process()  # as `peyvand serve` does: what is loaded is frozen out of the collector

    def vader_all(texts: list[str]) -> None:
        for text in texts:
            vader.polarity_scores(text)

    def one_by_one(texts: list[str]) -> None:
        for text in texts:
            analyzer.enrich(text, author=NOBODY, source="x", kind="comment")

    def batched(texts: list[str]) -> None:
        analyzer.enrich_many([TextInput(t, NOBODY, "x", "comment") for t in texts])

    build = "compiled" if BUILD == "compiled" else "sources"
    for name, texts in sets:
        for mode, work in (("enrich, one at a time", one_by_one), ("enrich_many, batches of 250", batched)):
            ours, theirs = per_second(work, vader_all, texts)
            rates = f"pipeline {ours:7.0f}/s   VADER {theirs:7.0f}/s   ratio {ours / theirs:.2f}"
            print(f"  {name:26s} {build:9s} {mode:28s} {rates}", flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--quick", action="store_true", help="smaller samples (a few minutes)")
    parser.add_argument("--speed", action="store_true", help="only the speed section")
    parser.add_argument("--speed-lines", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"No evaluation data at {args.data}: nothing to measure (pass --data DIR).")
        return 0
    if args.speed or args.speed_lines:
        (speed_lines if args.speed_lines else speed)(args.data, args.quick)
        return 0
    builtin_sentiment(args.data)
    attributes(args.data)
    language_detection(args.data)
    complaint_detection(args.data, args.quick)
    speed(args.data, args.quick)
    learned_cv(args.data, args.quick)
    learning_curves(args.data, args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
