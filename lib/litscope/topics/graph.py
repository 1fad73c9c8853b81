"""The shared exact nearest-neighbour graph (distances rounded, so float noise cannot change topics) and the 2-D map."""

from __future__ import annotations

import numpy as np


#: Cosine distances of the shared nearest-neighbour graph are rounded to this step, so
#: embeddings that differ by float noise (1e-7, a different batch) give the same graph.
KNN_DISTANCE_STEP = 0.01


#: Distance cells computed per block of rows (rows = this / papers, at most 1,024): bounds
#: the block's temporaries (the float32 distances and argpartition's int64 columns, 12 bytes
#: a cell) to about 100 MB at 100,000 papers; up to 8,192 papers a block is 1,024 rows.
_BLOCK_CELLS = 2 ** 23


def knn_graph(X: np.ndarray, k: int, *, step: float = KNN_DISTANCE_STEP,
              block: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Exact cosine nearest neighbours of unit rows, each paper first in its own list.

    Returns ``(indices, distances)`` of shape ``(n, k)`` as UMAP's
    ``precomputed_knn`` expects: distances ``1 - cos`` rounded to ``step``
    (see :data:`KNN_DISTANCE_STEP`), ascending, ties by row number.  Computed
    once per corpus and shared by the clustering UMAP and the 2-D map; exact
    (blocked matrix products) rather than approximate, so it does not depend on
    a random search, and cheaper than UMAP's own search up to tens of thousands
    of papers.

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    >>> idx, dist = knn_graph(X, 2)
    >>> idx.tolist(), [[round(float(d), 6) for d in row] for row in dist]
    ([[0, 1], [1, 0], [2, 1]], [[0.0, 0.2], [0.0, 0.2], [0.0, 0.4]])
    """
    X = np.ascontiguousarray(X, dtype=np.float32)
    n = len(X)
    k = int(min(k, n))
    if block is None:
        block = min(1024, max(64, _BLOCK_CELLS // max(n, 1)))
    indices = np.empty((n, k), dtype=np.int32)
    dists = np.empty((n, k), dtype=np.float32)
    cols = np.arange(n)
    for start in range(0, n, block):
        stop = min(n, start + block)
        D = X[start:stop] @ X.T
        np.subtract(1.0, D, out=D)  # cosine distances, float32, in place (no block-sized copies)
        rows = np.arange(stop - start)
        D[rows, rows + start] = -1.0  # self first, whatever the rounding
        if step:
            D /= step
            np.round(D, out=D)
            D *= step
        if k < n:
            # the k-th smallest distance of each row (a value: partitioning floats is cheaper than
            # argpartition's int64 columns); it may be tied: take every tied column, then keep
            # the lowest row numbers
            kth = np.partition(D, k - 1, axis=1)[:, k - 1]
            cand = [np.flatnonzero(D[r] <= kth[r]) for r in rows]
        else:
            cand = [cols] * len(rows)
        for r in rows:
            c = cand[r]
            d = D[r, c]
            o = np.lexsort((c, d))[:k]
            indices[start + r] = c[o]
            dists[start + r] = np.maximum(d[o], 0.0)
    return indices, dists


def _map_2d(X: np.ndarray, *, seed: int, n_neighbors: int,
            knn: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Seeded 2-D UMAP of the embeddings (PCA for tiny corpora)."""
    n = len(X)
    if n == 0:
        return np.zeros((0, 2))
    if n < 8:
        Xc = X - X.mean(axis=0)
        if n == 1:
            return np.zeros((1, 2))
        u, s, _ = np.linalg.svd(Xc, full_matrices=False)
        out = u[:, :2] * s[:2]
        return np.pad(out, ((0, 0), (0, 2 - out.shape[1])))
    import warnings

    from umap import UMAP

    settings = map_settings(n, n_neighbors=n_neighbors, seed=seed)
    extra = {}
    if knn is not None and knn[0].shape[1] == settings["n_neighbors"]:
        extra["precomputed_knn"] = (knn[0].copy(), knn[1].copy())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return UMAP(**settings, n_jobs=1, low_memory=False, **extra).fit_transform(X)


def map_settings(n: int, *, n_neighbors: int, seed: int) -> dict:
    """The 2-D map's UMAP settings for ``n`` papers (below 8 papers the map is a PCA instead).

    Examples
    --------
    >>> map_settings(91, n_neighbors=10, seed=42)
    {'n_neighbors': 10, 'n_components': 2, 'min_dist': 0.1, 'metric': 'cosine', 'n_epochs': None, 'random_state': 42}
    """
    return {"n_neighbors": min(n_neighbors, max(2, n - 1)), "n_components": 2, "min_dist": 0.1,
            "metric": "cosine", "n_epochs": _map_epochs(n), "random_state": seed}


def _map_epochs(n: int) -> int | None:
    """Layout epochs of the 2-D map: UMAP's default (500) up to 2,000 papers, then 200.

    The map is a picture: 200 epochs (UMAP's own default above 10,000 points)
    settle it, at 40 % of the time; the clustering UMAP keeps its default.
    """
    return None if n <= 2000 else 200

