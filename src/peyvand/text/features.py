"""Features and the scikit-learn pipeline of the learned classifiers (see `learned.py`).

Input texts are normalised once (`normalise_keys`), then three feature blocks are joined:
character n-grams (1–5, within word boundaries), word uni- and bigrams from the project's tokeniser, and
the built-in scorer's outputs (`LexiconFeatures`: its score, positive and negative valence sums, number of
sentiment words, negations, question and exclamation marks). The classifier is a class-balanced logistic
regression, so every prediction has probabilities.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from peyvand.text.lexicon import load_lexicon
from peyvand.text.normalise import normalise_key, tokenise
from peyvand.text.sentiment import score_tokens

# Regularisation strength per task (larger: fits the labels more closely); chosen on the benchmarks.
C_BY_TASK = {"sentiment": 4.0, "intent": 4.0, "audience": 4.0}
LEXICON_WEIGHT = 1.0


def normalise_keys(texts: Iterable[str]) -> list[str]:
    return [normalise_key(t) for t in texts]


def lexicon_row(key: str) -> list[float]:
    tokens = tokenise(key)
    scored = score_tokens(tokens, load_lexicon())
    positive = sum(v for v in scored.valences if v > 0)
    negative = -sum(v for v in scored.valences if v < 0)
    return [
        scored.score,
        min(positive, 10.0) / 10.0,
        min(negative, 10.0) / 10.0,
        min(scored.hits, 10) / 10.0,
        float(scored.label == "neutral"),
        float("?" in tokens or "؟" in tokens),
        float("!" in tokens),
    ]


class LexiconFeatures(TransformerMixin, BaseEstimator):
    """The built-in scorer's outputs as dense features (the lexicon itself is not pickled)."""

    def __init__(self, weight: float = LEXICON_WEIGHT) -> None:
        self.weight = weight

    def fit(self, texts: Any, y: Any = None) -> LexiconFeatures:
        return self

    def transform(self, texts: Iterable[str]) -> sparse.csr_matrix:
        rows = np.array([lexicon_row(t) for t in texts], dtype=float) * self.weight
        return sparse.csr_matrix(rows)


def build_pipeline(task: str, *, c: float | None = None, lexicon: bool = True) -> Pipeline:
    blocks: list[tuple[str, Any]] = [
        (
            "chars",
            TfidfVectorizer(
                analyzer="char_wb", ngram_range=(1, 5), min_df=2, sublinear_tf=True, lowercase=False
            ),
        ),
        (
            "words",
            TfidfVectorizer(
                tokenizer=tokenise, token_pattern=None, lowercase=False, ngram_range=(1, 2), sublinear_tf=True
            ),
        ),
    ]
    if lexicon:
        blocks.append(("lexicon", LexiconFeatures()))
    classifier = LogisticRegression(
        C=c if c is not None else C_BY_TASK.get(task, 4.0), class_weight="balanced", max_iter=5000
    )
    return Pipeline(
        [
            ("normalise", FunctionTransformer(normalise_keys)),
            ("features", FeatureUnion(blocks)),
            ("classifier", classifier),
        ]
    )
