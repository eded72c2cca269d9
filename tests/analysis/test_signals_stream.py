import numpy as np

from peyvand.analysis.signals import StreamSettings, anomaly_scores
from peyvand.analysis.signals.stream import (
    context_novelty,
    keep_episode_peaks,
    left_matrix_profile,
    record_surprise,
    shape_novelty,
)

SMALL = StreamSettings(shape=8, memory=300, recent=200, quiet=50)
SHAPES_ONLY = StreamSettings(
    shape=8,
    memory=300,
    recent=200,
    quiet=50,
    novelty_weight=1.0,
    novelty_block=1,
    record_weight=0.0,
    context_weight=0.0,
)


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


def test_a_stream_too_short_to_judge_scores_zero():
    assert anomaly_scores(np.arange(30.0)).tolist() == [0.0] * 30


def test_an_unseen_shape_scores_highest():
    x = _wave(900)
    x[700:705] += 4
    score = anomaly_scores(x, SHAPES_ONLY)
    assert 700 <= int(np.argmax(score[100:])) + 100 <= 712
    assert score[700:712].max() > 5 * score[400:690].max()


def test_a_changed_cycle_shows_at_the_block_scale():
    x = _wave(4800)
    x[3600:3648] = 10.0  # one 48-row cycle flattened: its two 24-row means change from (+, -) to (0, 0)
    novelty = shape_novelty(x, shape=6, block=24, memory=2400, recent=480)
    scored = np.nonzero(novelty)[0]
    assert np.all(scored % 24 == 23)  # only rows that complete a block
    assert novelty[: (11 + 20) * 24].max() == 0  # no distance yet, then `recent` rows of warm-up
    assert 3600 <= int(np.argmax(novelty)) < 3720
    assert novelty.max() > 2 * novelty[:3600].max()


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


def test_a_new_extreme_is_measured_against_the_past_range():
    x = np.array([0.0, 10.0, 5.0, 12.0, -5.0, 3.0])
    # row 3: 2 above the range 0..10; row 4: 5 below the range 0..12; rows before the warm-up score 0
    assert np.allclose(record_surprise(x, memory=10, warmup=2), [0, 0, 0, 0.2, 5 / 12, 0])
    assert np.allclose(record_surprise(x, memory=2, warmup=2)[2:], [0, 0.4, 10 / 7, 0])


def test_context_novelty_marks_only_patterns_never_seen():
    cycle = np.tile([0.0, 1.0, 2.0, 3.0], 64)
    novelty = context_novelty(cycle, bins=4, lengths=(2, 3), start=16)
    assert novelty[16:].max() == 0  # the cycle repeats
    changed = cycle.copy()
    changed[201] = 0.0  # ... 3 0 0 2 3 ...: (0, 0), (0, 2), (3, 0, 0), (0, 0, 2), (0, 2, 3) are new
    novelty = context_novelty(changed, bins=4, lengths=(2, 3), start=16)
    assert novelty[:201].max() == 0
    assert novelty[201:205].tolist() == [1.0, 1.0, 0.5, 0.0]


def test_the_default_score_fires_once_at_a_jump_out_of_range():
    x = _wave(1500)
    x[1200:] += 3.0
    score = anomaly_scores(x)
    assert int(np.argmax(score)) == 1200
    assert score[1200] > 0.99
    assert score[1201:1250].max() == 0  # one alarm per episode
    # a stationary noisy wave still makes a few small new extremes: rows at the NAB threshold (docs)
    assert (score[300:1200] >= 0.62).sum() <= 4
