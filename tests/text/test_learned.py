"""Learned classifiers: train with cross-validation, choose against the built-in rules, save and load,
refuse a model written by another scikit-learn version."""

from __future__ import annotations

import itertools
import json
import zipfile
from pathlib import Path

import pytest

from peyvand.domain.brand import BrandProfile
from peyvand.domain.items import Author
from peyvand.text.enrich import LearnedModels, TextAnalyzer
from peyvand.text.learned import (
    ModelVersionError,
    NotEnoughLabels,
    choose,
    load,
    pseudo_labels,
    read_meta,
    train,
)
from peyvand.text.lexicon import load_lexicon
from peyvand.text.normalise import normalise_key, tokenise
from peyvand.text.sentiment import score_tokens

SUBJECTS = ["چای سبز", "بسته", "سفارش", "ارسال", "پشتیبانی", "the tea", "the order", "the box"]
GOOD = ["عالی بود", "خیلی خوب بود", "سریع رسید", "خوشمزه بود", "was great", "arrived fast"]
BAD = ["افتضاح بود", "خراب رسید", "دیر رسید", "سرد بود", "was awful", "arrived broken"]


def builtin_labels(texts: list[str]) -> list[str]:
    return [score_tokens(tokenise(normalise_key(t)), load_lexicon()).label for t in texts]


def lexicon_data() -> tuple[list[str], list[str]]:
    """Labels the built-in scorer already gets right."""
    texts, labels = [], []
    for subject, (good, bad) in itertools.product(SUBJECTS, zip(GOOD, BAD, strict=True)):
        texts += [f"{subject} {good}", f"{subject} {bad}"]
        labels += ["positive", "negative"]
    return texts, labels


def workspace_data() -> tuple[list[str], list[str]]:
    """A workspace's own meaning that no lexicon knows: model X7 is the faulty batch."""
    texts, labels = [], []
    for subject, n in itertools.product(SUBJECTS, range(6)):
        texts += [f"{subject} مدل X7 شماره {n}", f"{subject} مدل Z2 شماره {n}"]
        labels += ["negative", "positive"]
    return texts, labels


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    texts, labels = workspace_data()
    return train(texts, labels, task="sentiment", builtin=builtin_labels)


def test_train_reports_cross_validated_and_builtin_quality(model) -> None:  # type: ignore[no-untyped-def]
    q = model.quality
    assert q.folds == 5 and q.n_labels == 96 and q.per_class == {"negative": 48, "positive": 48}
    assert q.cv_macro_f1 > 0.9 > 0.4 > (q.builtin_macro_f1 or 0.0)
    assert model.predict_one("the tea مدل X7").label == "negative"
    assert model.predict_one("the tea مدل Z2").score > 0


def test_choose_keeps_the_learned_model_only_when_it_wins() -> None:
    texts, labels = workspace_data()
    won = choose(texts, labels, task="sentiment", builtin=builtin_labels)
    assert won.model is not None and won.learned_macro_f1 > won.builtin_macro_f1
    texts, labels = lexicon_data()
    kept = choose(texts, labels, task="sentiment", builtin=builtin_labels)
    assert kept.builtin_macro_f1 == 1.0 and kept.model is None and "built-in" in kept.reason


def test_save_and_load_round_trip(model, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "sentiment.zip"
    model.save(path)
    meta = read_meta(path)
    assert meta["task"] == "sentiment" and meta["sklearn_version"] == model.sklearn_version
    again = load(path)
    assert again.quality == model.quality
    assert [p.label for p in again.predict(["بسته مدل X7", "بسته مدل Z2"])] == ["negative", "positive"]
    assert load(model.to_bytes()).labels == ("negative", "positive")


def _rewrite_meta(path: Path, **changes: object) -> None:
    with zipfile.ZipFile(path) as archive:
        meta = json.loads(archive.read("meta.json"))
        pickled = archive.read("model.pkl")
    meta.update(changes)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("meta.json", json.dumps(meta))
        archive.writestr("model.pkl", pickled)


def test_a_model_from_another_scikit_learn_version_is_refused(model, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "old.zip"
    model.save(path)
    _rewrite_meta(path, sklearn_version="0.23.2")
    with pytest.raises(ModelVersionError, match="retrain"):
        load(path)
    _rewrite_meta(path, sklearn_version=model.sklearn_version, format=99)
    with pytest.raises(ModelVersionError, match="format"):
        load(path)


def test_too_few_labels_are_refused() -> None:
    with pytest.raises(NotEnoughLabels, match="two different labels"):
        train(["a", "b", "c"], ["x", "x", "x"], task="intent")
    with pytest.raises(NotEnoughLabels, match="at least 5"):
        train(["a"] * 10 + ["b"] * 3, ["x"] * 10 + ["y"] * 3, task="intent")


def test_intent_and_audience_use_the_same_mechanism() -> None:
    texts = [f"{s} قیمت چنده؟" for s in SUBJECTS] + [f"{s} خراب رسید" for s in SUBJECTS]
    labels = ["question"] * len(SUBJECTS) + ["complaint"] * len(SUBJECTS)
    model = train(texts, labels, task="intent")
    assert model.task == "intent" and model.predict_one("بسته قیمت چنده؟").label == "question"


def test_pseudo_labels_keep_only_confident_builtin_labels() -> None:
    def scorer(text: str) -> tuple[str, float]:
        s = score_tokens(tokenise(normalise_key(text)), load_lexicon())
        return s.label, s.score

    pairs = pseudo_labels(["عالی عالی بود", "خوب", "سفارش رسید", "افتضاح افتضاح"], scorer, min_abs_score=0.5)
    assert pairs == [("عالی عالی بود", "positive"), ("افتضاح افتضاح", "negative")]


def test_analyzer_uses_learned_models(brand: BrandProfile, model) -> None:  # type: ignore[no-untyped-def]
    analyzer = TextAnalyzer(brand, models=LearnedModels(sentiment=model))
    e = analyzer.enrich("چای سبز مدل X7", author=Author(), source="x", kind="review")
    assert (e.sentiment, e.sentiment_provisional) == ("negative", False)
    assert e.extra["lexicon_score"] == 0.0  # the built-in score is still there, for comparison
