"""Topic coherence, and the refinement of assignments: mixed topics split, outliers placed or left out."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np


# ------------------------------------------------------------------ helpers


def _normalise_rows(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)


def _centroids(emb: np.ndarray, labels: np.ndarray, ids: Sequence[int]) -> np.ndarray:
    return _normalise_rows(np.stack([emb[labels == t].mean(axis=0) for t in ids])) if len(ids) \
        else np.zeros((0, emb.shape[1]), dtype=np.float32)


def topic_coherence(X: np.ndarray, labels: np.ndarray) -> dict[int, float]:
    """Mean cosine similarity of each topic's papers to the topic centroid.

    ``X`` holds unit rows; topic ``-1`` (unassigned) is left out.

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    >>> topic_coherence(X, np.array([0, 0, -1]))
    {0: 1.0}
    """
    ids = sorted(set(np.asarray(labels).tolist()) - {-1})
    C = _centroids(X, np.asarray(labels), ids)
    return {int(t): round(float((X[labels == t] @ C[i]).mean()), 6) for i, t in enumerate(ids)}


#: Most papers a mixed topic's Ward tree is built on; larger topics are split on an evenly
#: spread sample of this size (Ward needs memory and time quadratic in the papers).
SPLIT_SAMPLE = 2000


def _split_topic(Xm: np.ndarray, min_size: int) -> np.ndarray | None:
    """Split one mixed topic's papers (unit rows) into coherent parts; ``-1`` for the leftovers.

    Ward clustering into 2-5 parts, the number chosen by cosine silhouette; parts
    smaller than ``min_size`` become leftovers, and a split must keep at least
    half of the papers in parts.  ``None`` when no split does or the best silhouette
    says the topic has no structure.  One Ward tree is cut at each number of parts.
    Above :data:`SPLIT_SAMPLE` papers the tree (and the silhouette) are computed on an
    evenly spaced sample and every paper joins the part whose sampled centroid is
    nearest, so memory stays bounded at 100,000 papers.
    """
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.metrics import pairwise_distances, silhouette_score

    m = len(Xm)
    sampled = m > SPLIT_SAMPLE
    rows = np.unique(np.linspace(0, m - 1, SPLIT_SAMPLE).round().astype(int)) if sampled else np.arange(m)
    Xs = Xm[rows]
    tree = linkage(Xs, method="ward")
    # the cosine distances silhouette_score(Xs, metric="cosine") computes, once for every cut
    # (the same matrix: up to SPLIT_SAMPLE rows scikit-learn computes it in one block)
    distances = pairwise_distances(Xs, metric="cosine")
    best = None
    for parts in range(2, min(5, m // 2) + 1):
        cut_s = fcluster(tree, parts, criterion="maxclust")
        if len(set(cut_s.tolist())) < 2:
            continue
        cut = _nearest_part(Xm, Xs, cut_s) if sampled else cut_s
        sizes = Counter(cut.tolist())
        if sum(c for c in sizes.values() if c >= min_size) < m / 2:
            continue  # a split that leaves most papers out shatters the topic instead
        score = float(silhouette_score(distances, cut_s, metric="precomputed"))
        if best is None or score > best[0] + 1e-9:
            best = (score, cut)
    if best is None or best[0] <= 0.02:
        return None
    cut = best[1]
    sizes = Counter(cut.tolist())
    # biggest part first (ties: the part holding the earliest paper) so ids are stable
    big = sorted((p for p in sizes if sizes[p] >= min_size),
                 key=lambda p: (-sizes[p], int(np.flatnonzero(cut == p)[0])))
    if not big:
        return None
    out = np.full(m, -1, dtype=int)
    for j, p in enumerate(big):
        out[cut == p] = j
    return out


def _nearest_part(Xm: np.ndarray, Xs: np.ndarray, cut_s: np.ndarray) -> np.ndarray:
    """Each row of ``Xm`` labelled with the part of ``cut_s`` whose centroid (in ``Xs``) is closest."""
    parts = np.unique(cut_s)
    centroids = _normalise_rows(np.stack([Xs[cut_s == p].mean(axis=0) for p in parts]))
    return parts[np.argmax(Xm @ centroids.T, axis=1)]


@dataclass
class Refinement:
    """What :func:`compute_refinement` did: the new labels and what it found on the way.

    The found values (``None`` when the step did not run: no topic to refine) are
    recorded in :attr:`TopicResult.params <litscope.topics.TopicResult.params>`
    by :func:`litscope.topics.result.recorded`; ``labels`` and ``split_left`` are not.

    Attributes
    ----------
    labels : numpy.ndarray
        The refined topic of each paper (``-1`` = unassigned).
    topic_coherence_median : float or None
        Median coherence of the topics before the splits.
    split_topics : list of dict or None
        One entry per split: ``topic``, ``coherence``, ``into`` (part sizes), ``left_out``.
    outlier_threshold_used : float or None
        The cosine an unassigned paper needed to join a topic.
    joined_below_threshold : int or None
        Papers that joined a topic below the threshold to keep the unassigned share capped.
    split_left : list of int
        Rows left unassigned when a mixed topic was split.
    """

    labels: np.ndarray = field(metadata={"recorded": False})
    topic_coherence_median: float | None = None
    split_topics: list[dict] | None = None
    outlier_threshold_used: float | None = None
    joined_below_threshold: int | None = None
    split_left: list[int] = field(default_factory=list, metadata={"recorded": False})


def refine_assignments(X: np.ndarray, labels: np.ndarray, *, min_size: int,
                       threshold: float | None = None, floor: float = 0.35,
                       percentile: float = 10.0, max_unassigned: float = 0.12,
                       split_gap: float = 0.05) -> np.ndarray:
    """Split mixed topics, then give an unassigned paper a topic only when it is close to one.

    The labels of :func:`compute_refinement` (same parameters), without what it found.

    Examples
    --------
    >>> X = np.array([[1, 0, 0], [0.99, 0.14, 0], [0.98, 0, 0.2], [0, 1, 0], [0.1, 0.99, 0], [0, 0, 1.0]])
    >>> X = X / np.linalg.norm(X, axis=1, keepdims=True)
    >>> refine_assignments(X, np.array([0, 0, -1, 1, 1, -1]), min_size=2, threshold=0.9,
    ...                    max_unassigned=0.5).tolist()
    [0, 0, 0, 1, 1, -1]
    """
    return compute_refinement(X, labels, min_size=min_size, threshold=threshold, floor=floor,
                              percentile=percentile, max_unassigned=max_unassigned,
                              split_gap=split_gap).labels


def compute_refinement(X: np.ndarray, labels: np.ndarray, *, min_size: int,
                       threshold: float | None = None, floor: float = 0.35,
                       percentile: float = 10.0, max_unassigned: float = 0.12,
                       split_gap: float = 0.05) -> Refinement:
    """Split mixed topics, then give an unassigned paper a topic only when it is close to one.

    1. A topic of at least ``2 * min_size`` papers whose coherence (mean cosine
       to its centroid, :func:`topic_coherence`) is more than ``split_gap``
       below the median coherence of all topics is split into coherent parts
       (:func:`_split_topic`); parts under ``min_size`` papers become unassigned.
    2. An unassigned paper joins its nearest topic when its cosine similarity to
       that topic's centroid reaches the threshold: ``threshold`` when given,
       otherwise the ``percentile``-th percentile of the assigned papers'
       similarity to their own centroid (at least ``floor``), so "close" means
       as close as the corpus's typical topic members.
    3. If more than ``max_unassigned`` of the papers would stay unassigned, the
       closest of them join their nearest topic until the share is reached.

    Parameters
    ----------
    X : numpy.ndarray
        Unit rows, one per paper.
    labels : numpy.ndarray
        Topic of each paper, ``-1`` = unassigned (not changed).
    min_size : int
        Smallest topic: smaller parts of a split topic become unassigned.
    threshold, floor, percentile, max_unassigned, split_gap : float
        See the steps above.

    Returns
    -------
    Refinement
        The new labels, the splits and the threshold used.

    Examples
    --------
    >>> X = np.array([[1, 0, 0], [0.99, 0.14, 0], [0.98, 0, 0.2], [0, 1, 0], [0.1, 0.99, 0], [0, 0, 1.0]])
    >>> X = X / np.linalg.norm(X, axis=1, keepdims=True)
    >>> r = compute_refinement(X, np.array([0, 0, -1, 1, 1, -1]), min_size=2, threshold=0.9,
    ...                        max_unassigned=0.5)
    >>> r.labels.tolist(), r.outlier_threshold_used, r.split_topics, r.joined_below_threshold
    ([0, 0, 0, 1, 1, -1], 0.9, [], 0)
    """
    labels = np.asarray(labels, dtype=int).copy()
    ids = sorted(set(labels.tolist()) - {-1})
    if not ids:
        return Refinement(labels)
    # 1. split topics far less coherent than the others
    coherence = topic_coherence(X, labels)
    typical = float(np.median(list(coherence.values())))
    next_id = max(ids) + 1
    splits = []
    split_left: list[int] = []
    queue = list(ids) if len(ids) >= 2 else []
    while queue:  # a part that is still mixed is split again
        t = queue.pop(0)
        members = np.flatnonzero(labels == t)
        if len(members) < 2 * min_size:
            continue
        coh = topic_coherence(X[members], np.zeros(len(members), dtype=int))[0]
        if coh >= typical - split_gap:
            continue
        parts = _split_topic(X[members], min_size)
        if parts is None:
            continue
        new_ids = [t] + list(range(next_id, next_id + int(parts.max())))
        next_id += int(parts.max())
        labels[members] = [new_ids[p] if p >= 0 else -1 for p in parts]
        split_left.extend(int(i) for i in members[parts == -1])
        splits.append({"topic": int(t), "coherence": coh, "into": [int((parts == p).sum())
                       for p in range(int(parts.max()) + 1)], "left_out": int((parts == -1).sum())})
        queue.extend(new_ids)

    # 2. outliers join a topic only when as close as its typical members
    ids = sorted(set(labels.tolist()) - {-1})
    C = _centroids(X, labels, ids)
    sim = X @ C.T
    pos = {t: i for i, t in enumerate(ids)}
    assigned = np.flatnonzero(labels != -1)
    own = sim[assigned, [pos[t] for t in labels[assigned]]]
    if threshold is None:
        threshold = max(floor, float(np.percentile(own, percentile)))
    noise = np.flatnonzero(labels == -1)
    best = sim[noise].argmax(axis=1) if len(noise) else np.zeros(0, dtype=int)
    best_sim = sim[noise, best] if len(noise) else np.zeros(0)
    join = best_sim >= threshold
    # 3. but never leave more than max_unassigned of the corpus out
    room = int(math.floor(max_unassigned * len(labels)))
    left = np.flatnonzero(~join)
    joined_below = 0
    if len(left) > room:
        closest = left[np.lexsort((left, -best_sim[left]))][:len(left) - room]
        join[closest] = True
        joined_below = int(len(closest))
    labels[noise[join]] = [ids[b] for b in best[join]]
    return Refinement(labels, topic_coherence_median=round(typical, 4), split_topics=splits,
                      outlier_threshold_used=round(float(threshold), 4),
                      joined_below_threshold=joined_below, split_left=split_left)
