"""The shared neighbour graph equals a brute-force sort of every row (ties by row number)."""

from __future__ import annotations

import numpy as np
import pytest

from litscope.topics.graph import KNN_DISTANCE_STEP, knn_graph


def _brute_force(X: np.ndarray, k: int, step: float) -> tuple[np.ndarray, np.ndarray]:
    X = X.astype(np.float32)
    D = 1.0 - X @ X.T
    np.fill_diagonal(D, -1.0)
    D = np.round(D / step) * step
    idx = np.empty((len(X), k), dtype=np.int32)
    dist = np.empty((len(X), k), dtype=np.float32)
    for r in range(len(X)):
        o = np.lexsort((np.arange(len(X)), D[r]))[:k]
        idx[r], dist[r] = o, np.maximum(D[r, o], 0.0)
    return idx, dist


@pytest.mark.parametrize("block", [None, 7])
def test_knn_graph_equals_brute_force_with_ties(block):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(300, 16)).astype(np.float32)
    X[10:40] = X[0]  # 31 identical papers: more tied neighbours than k
    X[50:53] = X[60]
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    idx, dist = knn_graph(X, 15, block=block)
    ref_idx, ref_dist = _brute_force(X, 15, KNN_DISTANCE_STEP)
    assert np.array_equal(idx[:, 0], np.arange(len(X)))  # each paper first in its own list
    assert np.array_equal(idx, ref_idx)
    assert np.allclose(dist, ref_dist, atol=1e-6)
    assert idx[0].tolist() == [0] + list(range(10, 24))  # ties: lowest row numbers


@pytest.mark.parametrize("m", [40, 2000])
def test_split_silhouette_from_precomputed_distances_is_the_cosine_one(m):
    """_split_topic scores cuts on one precomputed matrix: exactly silhouette_score(metric='cosine')."""
    from sklearn.metrics import pairwise_distances, silhouette_score

    rng = np.random.default_rng(m)
    X = rng.normal(size=(m, 32)).astype(np.float32)
    X[: m // 2] += 2.0
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    D = pairwise_distances(X, metric="cosine")
    for parts in (2, 3, 5):
        cut = rng.integers(0, parts, size=m)
        assert silhouette_score(D, cut, metric="precomputed") == silhouette_score(X, cut, metric="cosine")
