"""Variants of the learned text classifier tried against the shipped one (`features.build_pipeline`).

    python benchmarks/text_learned_variants.py [--data ../shared/data] [--sets snappfood,sentipers]
        [--sizes 100,300,1000,3000] [--draws 3] [--variants shipped,stacked]

For each set, label budget and variant: macro-F1 and accuracy on the test split, averaged over several
random draws of the labels (seeds 0, 1, …), so that the noise of one draw does not decide. Sets: Snappfood
dev → test (two classes), SentiPers and the airline tweets (three classes) and the complaint tweets (two
classes, an intent task), the last three trained on 70 % and tested on the held-out 30 %.

Variants (none of them is shipped; docs/benchmarks-text.md says why):
- `shipped`: the product's model (character and word n-grams and the built-in scorer's features, one
  logistic regression);
- `nb`: the same with every n-gram scaled by its naive-Bayes log-count ratio (NBSVM, Wang and Manning 2012;
  two-class sets only);
- `stacked`: a logistic model over the out-of-fold probabilities (3 folds) of the n-gram model and of a
  logistic model on the built-in scorer's features;
- `stacked_nb`: the same with the n-gram model naive-Bayes scaled (one against the rest per class);
- `lsa`: `shipped` plus 100 LSA dimensions (TF-IDF of words, truncated SVD) fitted on the training
  split's texts without their labels, as a workspace's unlabelled messages would be used.

The evaluation sets are only measured on; nothing here is shipped.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import TruncatedSVD
from sklearn.ensemble import StackingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, normalize
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))

import text_quality as tq  # noqa: E402

from peyvand.text.features import LexiconFeatures, build_pipeline, normalise_keys  # noqa: E402
from peyvand.text.normalise import tokenise  # noqa: E402

Labelled = tuple[list[str], list[str]]


class NaiveBayesScaling(TransformerMixin, BaseEstimator):
    """Each feature times its log-count ratio log((1 + p)/‖1 + p‖₁) − log((1 + q)/‖1 + q‖₁), p and q its
    sums over the texts of the second and the first class; rows L2-normalised (two classes)."""

    def fit(self, x: Any, y: Any) -> NaiveBayesScaling:
        y = np.asarray(y)
        second = y == np.unique(y)[-1]
        p = 1.0 + np.asarray(x[second].sum(axis=0)).ravel()
        q = 1.0 + np.asarray(x[~second].sum(axis=0)).ravel()
        self.ratio_ = np.log(p / p.sum()) - np.log(q / q.sum())
        return self

    def transform(self, x: Any) -> Any:
        return normalize(sparse.csr_matrix(x.multiply(self.ratio_)))


class UnlabelledLsa(TransformerMixin, BaseEstimator):
    """LSA dimensions fitted once on unlabelled texts (not on the labelled ones it is then given)."""

    def __init__(self, pool: Sequence[str] = (), dimensions: int = 100) -> None:
        self.pool = pool
        self.dimensions = dimensions

    def fit(self, texts: Any, y: Any = None) -> UnlabelledLsa:
        self.words_ = TfidfVectorizer(
            tokenizer=tokenise, token_pattern=None, lowercase=False, sublinear_tf=True, min_df=2
        )
        self.svd_ = TruncatedSVD(self.dimensions, random_state=0).fit(
            self.words_.fit_transform(normalise_keys(self.pool))
        )
        return self

    def transform(self, texts: Any) -> Any:
        return sparse.csr_matrix(normalize(self.svd_.transform(self.words_.transform(texts))))


def ngrams() -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(1, 5), min_df=2, sublinear_tf=True, lowercase=False
                ),
            ),
            (
                "words",
                TfidfVectorizer(
                    tokenizer=tokenise,
                    token_pattern=None,
                    lowercase=False,
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                ),
            ),
        ]
    )


def logistic(c: float = 4.0) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced", max_iter=5000)


def nb_with_lexicon() -> Pipeline:
    scaled = Pipeline([("ngrams", ngrams()), ("naive_bayes", NaiveBayesScaling())])
    return Pipeline(
        [
            ("normalise", FunctionTransformer(normalise_keys)),
            ("features", FeatureUnion([("ngrams", scaled), ("lexicon", LexiconFeatures())])),
            ("classifier", logistic()),
        ]
    )


def stacked(naive_bayes: bool) -> StackingClassifier:
    head = Pipeline(([("naive_bayes", NaiveBayesScaling())] if naive_bayes else []) + [("lr", logistic())])
    text_model = Pipeline(
        [
            ("normalise", FunctionTransformer(normalise_keys)),
            ("ngrams", ngrams()),
            ("classifier", OneVsRestClassifier(head) if naive_bayes else head),
        ]
    )
    lexicon_model = Pipeline(
        [
            ("normalise", FunctionTransformer(normalise_keys)),
            ("lexicon", LexiconFeatures()),
            ("classifier", logistic(1.0)),
        ]
    )
    return StackingClassifier(
        [("ngrams", text_model), ("lexicon", lexicon_model)],
        final_estimator=logistic(1.0),
        cv=StratifiedKFold(3, shuffle=True, random_state=0),
        stack_method="predict_proba",
    )


def with_lsa(pool: Sequence[str]) -> Pipeline:
    features = FeatureUnion(
        [("ngrams", ngrams()), ("lexicon", LexiconFeatures()), ("lsa", UnlabelledLsa(pool))]
    )
    return Pipeline(
        [
            ("normalise", FunctionTransformer(normalise_keys)),
            ("features", features),
            ("classifier", logistic()),
        ]
    )


VARIANTS: dict[str, Callable[[Sequence[str]], Any]] = {
    "shipped": lambda pool: build_pipeline("sentiment"),
    "nb": lambda pool: nb_with_lexicon(),
    "stacked": lambda pool: stacked(naive_bayes=False),
    "stacked_nb": lambda pool: stacked(naive_bayes=True),
    "lsa": with_lsa,
}


def splits(data: Path, name: str) -> tuple[Labelled, Labelled]:
    if name == "snappfood":
        return tq.snappfood(data, "dev"), tq.snappfood(data, "test")
    loaders = {"sentipers": tq.sentipers, "airline": tq.airline, "complaints": tq.complaints}
    tq.SEED = 0  # the same 30 % held out as in text_quality.py
    return tq.holdout(*loaders[name](data))


def measure(
    variant: str, train: Labelled, test: Labelled, size: int, draws: int
) -> tuple[float, float, list[float]]:
    """Mean macro-F1, mean accuracy and each draw's accuracy with `size` labels from `train`."""
    f1s, accuracies = [], []
    for seed in range(draws):
        tq.SEED = seed  # `tq.sample` draws with this seed
        texts, labels = tq.sample(*train, size)
        model = VARIANTS[variant](train[0]).fit(texts, labels)
        predicted = model.predict(test[0])
        f1s.append(float(f1_score(test[1], predicted, average="macro")))
        accuracies.append(float(accuracy_score(test[1], predicted)))
    return float(np.mean(f1s)), float(np.mean(accuracies)), accuracies


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--sets", default="snappfood,sentipers,airline,complaints")
    parser.add_argument("--sizes", default="100,300,1000,3000")
    parser.add_argument("--draws", type=int, default=3, help="random label draws per point")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"No evaluation data at {args.data}: nothing to measure (pass --data DIR).")
        return 0
    with threadpool_limits(limits=1):
        for name in args.sets.split(","):
            train, test = splits(args.data, name)
            two_classes = len(set(train[1])) == 2
            for size in (int(s) for s in args.sizes.split(",")):
                for variant in args.variants.split(","):
                    if size > len(train[0]) or (variant == "nb" and not two_classes):
                        continue
                    f1, accuracy, each = measure(variant, train, test, size, args.draws)
                    draws = " ".join(f"{a:.3f}" for a in each)
                    scores = f"macro-F1 {f1:.3f}  accuracy {accuracy:.3f}  [{draws}]"
                    print(f"{name:11s} {size:>5} {variant:11s} {scores}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
