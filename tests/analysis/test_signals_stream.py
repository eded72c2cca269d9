import numpy as np

from peyvand.analysis.signals import StreamSettings, anomaly_scores
from peyvand.analysis.signals.stream import keep_episode_peaks, left_matrix_profile

SMALL = StreamSettings(shape=8, memory=300, recent=200, quiet=50)


def _wave(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return 10 + np.sin(2 * np.pi * t / 48) + rng.normal(0, 0.1, n)


def test_scores_are_causal_and_bounded():
    x = _wave(900)
    full = anomaly_scores(x, SMALL)
    prefix = anomaly_scores(x[:600], SMALL)
    assert np.allclose(full[:600], prefix)
    assert np.all((full >= 0) & (full <= 1))


def test_an_unseen_shape_scores_highest():
    x = _wave(900)
    x[700:705] += 4
    score = anomaly_scores(x, SMALL)
    assert 700 <= int(np.argmax(score[100:])) + 100 <= 712
    assert score[700:712].max() > 5 * score[400:690].max()


def test_left_matrix_profile_matches_brute_force():
    x = _wave(200, seed=3)
    d = left_matrix_profile(x, 6, 50)
    t = 150
    q = x[t - 5 : t + 1]
    brute = min(np.linalg.norm(q - x[j - 5 : j + 1]) for j in range(t - 6 - 50, t - 6 + 1) if j >= 5)
    assert np.isclose(d[t], brute)


def test_only_the_first_peak_of_an_episode_is_kept():
    s = np.array([0.0, 1.0, 0.9, 0.8, 2.0, 0.0, 0.0, 0.5])
    assert keep_episode_peaks(s, 3).tolist() == [0.0, 1.0, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0]
