"""Review-sized defaults of the topic model, scaled with the corpus (:func:`default_settings`)."""

from __future__ import annotations

import math
from typing import Any

from ..errors import ParameterError


# ------------------------------------------------------------------ settings

#: Temperature of the softmax that turns centroid similarities into a confidence.
CONFIDENCE_TEMPERATURE = 0.05

GRANULARITY = {"coarser": 2.0, "auto": 1.0, "finer": 0.5}
_MERGE = {"coarser": 0.85, "auto": 0.9, "finer": 0.95}


def default_settings(n: int, *, granularity: str = "auto", min_topic_size: int | None = None,
                     seed: int = 42) -> dict[str, Any]:
    """Settings derived from the corpus size (what :func:`compute_topics` uses).

    Parameters
    ----------
    n : int
        Number of papers.
    granularity : {"auto", "coarser", "finer"}
        Scales the smallest topic size (x2 coarser, x0.5 finer) and the merge threshold.
    min_topic_size : int, optional
        Overrides the derived smallest topic size.
    seed : int
        Random state of UMAP.

    Returns
    -------
    dict
        ``umap``, ``hdbscan``, ``outlier_threshold``, ``merge_threshold`` settings.

    Examples
    --------
    >>> default_settings(10000)["umap"]["n_neighbors"]
    50
    """
    if granularity not in GRANULARITY:
        raise ParameterError(f"granularity must be one of {sorted(GRANULARITY)}, got {granularity!r}")
    if min_topic_size is not None and int(min_topic_size) < 2:
        raise ParameterError(f"min_topic_size must be >= 2, got {min_topic_size}")
    n = int(n)
    # Neighbourhood: local enough to separate sub-topics of a small corpus, wide
    # enough to keep a large one from shattering.
    n_neighbors = int(min(50, max(10, round(math.sqrt(max(n, 1)) / 2))))
    n_neighbors = max(2, min(n_neighbors, n - 1)) if n > 2 else 2
    if min_topic_size is None:
        size = max(5, round(n / 60 * GRANULARITY[granularity]))
        if granularity == "finer":
            size = max(3, round(n / 60 * GRANULARITY[granularity]))
        elif granularity == "coarser":
            size = max(8, size)
    else:
        size = int(min_topic_size)
    return {
        "umap": {"n_neighbors": n_neighbors, "n_components": 5, "min_dist": 0.0,
                 "metric": "cosine", "random_state": seed},
        "hdbscan": {"min_cluster_size": size, "min_samples": max(2, size // 4),
                    "metric": "euclidean", "cluster_selection_method": "eom"},
        # None: adaptive, the 10th percentile of topic members' similarity to their
        # centroid, at least outlier_floor (see refine_assignments)
        "outlier_threshold": None,
        "outlier_floor": 0.35,
        "max_unassigned": 0.12,
        "merge_threshold": _MERGE[granularity],
    }
