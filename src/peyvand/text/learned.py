"""Classifiers learned from a workspace's own labels: sentiment, intent and audience.

`train` fits a linear model over character n-grams, word n-grams and the built-in scorer's outputs
(`features.py`), and measures it by stratified 5-fold cross-validation (macro-F1 of the pooled
out-of-fold predictions). `choose` also scores the built-in rules on the same labels and keeps the learned
model only when its cross-validated macro-F1 is higher. `save` writes a zip file holding `meta.json` (task,
labels, quality, scikit-learn version) and the pickled pipeline; `load` reads the metadata first and
refuses, with `ModelVersionError`, a model written by another scikit-learn version: retrain it from the
stored labels instead. A model file is code (pickle): load only files this installation wrote.
"""

from __future__ import annotations

import io
import json
import pickle
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sklearn
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from peyvand.text.features import build_pipeline

TASKS = ("sentiment", "intent", "audience")
FORMAT = 1
MIN_PER_CLASS = 5  # stratified 5-fold CV needs at least one example of each class in every fold

Builtin = Callable[[Sequence[str]], list[str]]


class ModelVersionError(RuntimeError):
    """The model file was written by another scikit-learn (or file format) version: retrain it."""


class NotEnoughLabels(ValueError):
    """Too few labels, or too few per class, to train and cross-validate."""


@dataclass(frozen=True)
class Quality:
    cv_macro_f1: float
    cv_accuracy: float
    builtin_macro_f1: float | None
    n_labels: int
    per_class: dict[str, int]
    folds: int
    pseudo_labels: int = 0


@dataclass(frozen=True)
class Prediction:
    label: str
    score: float  # sentiment: P(positive) - P(negative); other tasks: P(label)
    probabilities: dict[str, float] = field(default_factory=dict)


@dataclass
class TextClassifier:
    task: str
    labels: tuple[str, ...]
    pipeline: Any
    quality: Quality
    sklearn_version: str = sklearn.__version__
    trained_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def predict(self, texts: Sequence[str]) -> list[Prediction]:
        if not texts:
            return []
        probabilities = self.pipeline.predict_proba(list(texts))
        classes = [str(c) for c in self.pipeline.classes_]
        return [self._prediction(dict(zip(classes, map(float, row), strict=True))) for row in probabilities]

    def predict_one(self, text: str) -> Prediction:
        return self.predict([text])[0]

    def _prediction(self, probabilities: dict[str, float]) -> Prediction:
        label = max(probabilities, key=lambda k: probabilities[k])
        if self.task == "sentiment":
            score = probabilities.get("positive", 0.0) - probabilities.get("negative", 0.0)
        else:
            score = probabilities[label]
        return Prediction(label, score, probabilities)

    def save(self, path: str | Path) -> None:
        meta = {
            "format": FORMAT,
            "task": self.task,
            "labels": list(self.labels),
            "quality": asdict(self.quality),
            "sklearn_version": self.sklearn_version,
            "trained_at": self.trained_at,
        }
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("meta.json", json.dumps(meta, ensure_ascii=False, indent=2))
            archive.writestr("model.pkl", pickle.dumps(self.pipeline, protocol=pickle.HIGHEST_PROTOCOL))

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.save(buffer)  # type: ignore[arg-type]
        return buffer.getvalue()


def read_meta(source: str | Path | io.BytesIO) -> dict[str, Any]:
    with zipfile.ZipFile(source) as archive:
        meta: dict[str, Any] = json.loads(archive.read("meta.json"))
    return meta


def load(source: str | Path | bytes) -> TextClassifier:
    """Load a saved model; `ModelVersionError` if another scikit-learn version (or format) wrote it."""
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    with zipfile.ZipFile(handle) as archive:
        meta = json.loads(archive.read("meta.json"))
        if meta.get("format") != FORMAT:
            raise ModelVersionError(f"model file format {meta.get('format')!r}, this version reads {FORMAT}")
        if meta.get("sklearn_version") != sklearn.__version__:
            raise ModelVersionError(
                f"model trained with scikit-learn {meta.get('sklearn_version')}, "
                f"this installation has {sklearn.__version__}: retrain it from the stored labels"
            )
        pipeline = pickle.loads(archive.read("model.pkl"))
    return TextClassifier(
        task=meta["task"],
        labels=tuple(meta["labels"]),
        pipeline=pipeline,
        quality=Quality(**meta["quality"]),
        sklearn_version=meta["sklearn_version"],
        trained_at=meta["trained_at"],
    )


def check_labels(labels: Sequence[str], folds: int = 5) -> Counter[str]:
    counts = Counter(labels)
    if len(counts) < 2:
        raise NotEnoughLabels("at least two different labels are needed")
    thin = sorted(label for label, n in counts.items() if n < max(MIN_PER_CLASS, folds))
    if thin:
        raise NotEnoughLabels(
            f"each label needs at least {max(MIN_PER_CLASS, folds)} examples: {', '.join(thin)}"
        )
    return counts


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Macro-F1 over the labels present in the gold set (a predicted label outside it counts as an error)."""
    return float(f1_score(gold, predicted, labels=sorted(set(gold)), average="macro", zero_division=0))


def out_of_fold(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    task: str,
    folds: int = 5,
    seed: int = 0,
    pseudo: Sequence[tuple[str, str]] = (),
) -> list[str]:
    """Each text's label as predicted by a model trained on the other folds (stratified k-fold);
    pseudo-labelled pairs join every training fold but are never tested on."""
    predicted: list[str] = [""] * len(texts)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(list(texts), list(labels)):
        x = [texts[i] for i in train_idx] + [t for t, _ in pseudo]
        y = [labels[i] for i in train_idx] + [lab for _, lab in pseudo]
        model = build_pipeline(task).fit(x, y)
        for i, label in zip(test_idx, model.predict([texts[i] for i in test_idx]), strict=True):
            predicted[i] = str(label)
    return predicted


def cross_validate(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    task: str,
    folds: int = 5,
    seed: int = 0,
    pseudo: Sequence[tuple[str, str]] = (),
) -> tuple[float, float]:
    """(macro-F1, accuracy) of the pooled out-of-fold predictions."""
    predicted = out_of_fold(texts, labels, task=task, folds=folds, seed=seed, pseudo=pseudo)
    accuracy = sum(p == g for p, g in zip(predicted, labels, strict=True)) / len(labels)
    return macro_f1(labels, predicted), accuracy


def train(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    task: str,
    builtin: Builtin | None = None,
    folds: int = 5,
    pseudo: Sequence[tuple[str, str]] = (),
) -> TextClassifier:
    """Cross-validate, then fit on all labels (plus any pseudo-labels)."""
    if task not in TASKS:
        raise ValueError(f"task must be one of {', '.join(TASKS)}")
    if len(texts) != len(labels):
        raise ValueError("texts and labels differ in length")
    counts = check_labels(labels, folds)
    cv_f1, cv_accuracy = cross_validate(texts, labels, task=task, folds=folds, pseudo=pseudo)
    builtin_f1 = macro_f1(labels, builtin(texts)) if builtin is not None else None
    pipeline = build_pipeline(task).fit(
        list(texts) + [t for t, _ in pseudo], list(labels) + [lab for _, lab in pseudo]
    )
    quality = Quality(cv_f1, cv_accuracy, builtin_f1, len(labels), dict(counts), folds, len(pseudo))
    return TextClassifier(task, tuple(sorted(counts)), pipeline, quality)


@dataclass(frozen=True)
class Choice:
    model: TextClassifier | None  # None: keep the built-in rules
    learned_macro_f1: float
    builtin_macro_f1: float
    reason: str


def choose(
    texts: Sequence[str], labels: Sequence[str], *, task: str, builtin: Builtin, folds: int = 5
) -> Choice:
    """Train a model and keep it only if its cross-validated macro-F1 beats the built-in rules'."""
    model = train(texts, labels, task=task, builtin=builtin, folds=folds)
    learned, rules = model.quality.cv_macro_f1, model.quality.builtin_macro_f1 or 0.0
    if learned > rules:
        reason = f"learned model {learned:.3f} beats built-in {rules:.3f} (macro-F1, {folds}-fold CV)"
        return Choice(model, learned, rules, reason)
    reason = f"built-in {rules:.3f} is at least as good as the learned model {learned:.3f}"
    return Choice(None, learned, rules, reason)


def pseudo_labels(
    texts: Sequence[str], scorer: Callable[[str], tuple[str, float]], *, min_abs_score: float = 0.5
) -> list[tuple[str, str]]:
    """Self-training: unlabelled texts the built-in scorer is sure about, with its label."""
    out = []
    for text in texts:
        label, score = scorer(text)
        if label != "neutral" and abs(score) >= min_abs_score:
            out.append((text, label))
    return out
