"""False-discovery control over changes rather than over tests.

One level shift makes dozens of consecutive window tests significant, a spike one test. Benjamini-Hochberg
over tests would let the many windows of one true shift loosen the threshold for every other test, and
the share of false *changes* reported would then be far above alpha. Here the step-up rule counts
discoveries as episodes: at a threshold t, R(t) is the number of clusters among the tests with p <= t,
a cluster being tests of one series, kind and sign whose periods lie at most `gap` apart. A test is
significant when its q-value, q = min over t' >= p of t' m / R(t'), is at most alpha; m is the family
size (all tests, padded as the caller decides), so the rule is conservative for correlated tests.
"""

from __future__ import annotations

from bisect import bisect_left, insort

import numpy as np


def episode_q_values(
    p: np.ndarray, group: np.ndarray, at: np.ndarray, gap: np.ndarray, family: int, alpha: float
) -> np.ndarray:
    """q-values of tests whose discoveries are counted as clusters (see the module docstring).

    `group` names each test's series, kind and sign; `at` is its period; `gap` the largest distance at
    which two tests of its group belong to one cluster.
    """
    p = np.asarray(p, dtype=float)
    m = max(int(family), len(p), 1)
    q = np.minimum(p * m, 1.0)
    order = np.argsort(p, kind="stable")
    scan = order[p[order] <= alpha]
    members: dict[int, list[int]] = {}
    clusters = 0
    ratio = np.empty(len(scan))
    for k, i in enumerate(scan):
        clusters += _added(members.setdefault(int(group[i]), []), int(at[i]), int(gap[i]))
        ratio[k] = p[i] * m / max(clusters, 1)
    if len(scan):
        q[scan] = np.minimum(np.minimum.accumulate(ratio[::-1])[::-1], 1.0)
        rest = order[len(scan) :]
        q[rest] = np.maximum(np.minimum(p[rest] * m / clusters, 1.0), q[scan].max())
    return np.minimum(q, 1.0)


def _added(points: list[int], x: int, gap: int) -> int:
    """Insert `x` into the sorted `points` and return the change in the number of clusters."""
    i = bisect_left(points, x)
    before = points[i - 1] if i > 0 else None
    after = points[i] if i < len(points) else None
    near_before = before is not None and x - before <= gap
    near_after = after is not None and after - x <= gap
    joined = before is not None and after is not None and after - before <= gap
    insort(points, x)
    return 1 - int(near_before) - int(near_after) + int(near_before and near_after and joined)
