"""Topics of a corpus: BERTopic with review-sized defaults, readable labels and a hierarchy.

:func:`compute_topics` groups papers by their embeddings (see
:mod:`litscope.embed`) and returns a :class:`TopicResult`: one row per paper
(topic, label, confidence, parent theme, map coordinates), one row per topic
(label, size, key phrases, representative papers), broad parent themes, the
topic-to-topic similarity, and the papers left unassigned with the reason.

Pipeline (every step can be swapped through a keyword argument):

1. canonical order: papers are sorted by record id before fitting, so the
   result does not depend on the input row order;
2. UMAP to 5 dimensions (cosine, ``min_dist=0``, seeded); ``n_neighbors``
   grows with the corpus (10 for a few dozen papers, 50 for 10,000).  Its
   neighbour graph is computed once, exactly, with cosine distances rounded
   to :data:`KNN_DISTANCE_STEP` (:func:`knn_graph`), and shared with the 2-D
   map: embeddings that differ only by float noise (the same texts embedded in
   other batches differ by ~1e-7) give the same graph, hence the same topics,
   where UMAP's own search made such noise change the number of topics;
3. clustering: HDBSCAN with ``min_cluster_size`` scaled with the corpus
   (``max(5, n/60)``, halved for ``"finer"``, doubled for ``"coarser"``) and a
   small ``min_samples`` so fewer papers start as noise; with ``n_topics``
   given, seeded k-means on the UMAP vectors instead, which gives exactly that
   many topics;
4. near-duplicate topics (centroid cosine above ``merge_threshold``) are merged;
5. mixed topics and outliers (:func:`refine_assignments`): a topic far less
   coherent than the others is split into coherent parts (small leftovers become
   unassigned); a noise paper joins its nearest topic only when its cosine
   similarity to that topic's centroid is as high as that of typical topic
   members (10th percentile, at least 0.35); the others stay ``-1`` (at most
   12 % of the corpus) and are listed in :attr:`TopicResult.unassigned`;
6. key phrases: c-TF-IDF over 1-2-grams (English and academic stop words
   removed, ``reduce_frequent_words``), refined by KeyBERTInspired and
   maximal marginal relevance (deterministic, embeddings from the cache);
7. labels: candidate phrases (key phrases and word spans of the most central
   titles) are scored by how close they are to their topic and how far from
   the others, and the best one becomes a 2-6 word label, unique per topic;
8. parents: topic centroids are clustered (Ward linkage on unit vectors) into about
   ``sqrt(k)`` broad themes, labelled the same way.

Confidence of a paper's assignment: the softmax, at temperature
:data:`CONFIDENCE_TEMPERATURE`, of its cosine similarities to every topic
centroid, read at its own topic (1 = clearly closer to its topic than to any
other; near ``1/k`` = equally close to all).  Unassigned papers have 0.

Examples
--------
>>> from litscope.topics import default_settings
>>> s = default_settings(91)
>>> s["umap"]["n_neighbors"], s["hdbscan"]["min_cluster_size"]
(10, 5)
>>> default_settings(3000, granularity="coarser")["hdbscan"]["min_cluster_size"]
100
"""

from __future__ import annotations

import math
import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from .errors import MissingDependencyError, ParameterError

_INSTALL = "pip install -e .[model]"

#: Temperature of the softmax that turns centroid similarities into a confidence.
CONFIDENCE_TEMPERATURE = 0.05

#: Words that carry no topic in scientific abstracts, removed with the English stop words.
ACADEMIC_STOP_WORDS = frozenset("""
paper papers propose proposed proposes proposing method methods methodology result results
study studies studied approach approaches show shows showed shown using use used uses based
present presents presented introduce introduces introduced novel new work works existing
demonstrate demonstrates demonstrated experiment experiments experimental
achieve achieves achieved sota
significant significantly various different however also well furthermore moreover
respectively including include includes included provide provides provided propose
effective effectively efficient efficiently improve improves improved improvement
improvements evaluate evaluated evaluation evaluations outperform outperforms
outperforming compared comparison comparisons extensive conducted conduct
investigate investigated investigation aim aims paper's finally first second
one two three et al abstract background objective objectives conclusion conclusions
methods purpose introduction lead leads leading make makes made way ways recent
recently able available furthermore thus therefore often may might can could
whether within without across among given via towards toward
""".split())

#: Words a label may not start or end with (besides English stop words).
LABEL_EDGE_WORDS = frozenset("""
using use based via towards toward novel new paper study approach propose proposed
method methods towards through beyond revisiting rethinking exploring improving enhancing
efficient effective simple generate learn unlock make build teach let
""".split())

#: Single words too generic to be a key phrase on their own (fine inside a longer one).
GENERIC_WORDS = frozenset("""
model models data dataset datasets task tasks performance framework frameworks system systems
learned learning network networks training trained analysis problem problems results accuracy
effect effects patients treatment group groups trial trials
""".split())

#: Words that say little about what a topic is about: a label made of them (or of words
#: common to most topics of the corpus) loses to a more specific one.
VAGUE_LABEL_WORDS = GENERIC_WORDS | frozenset("""
research ideas idea insights applications application techniques technique challenges
opportunities survey review overview tools issues aspects perspectives advances trends
""".split())

_ENGLISH_STOP_WORDS: frozenset[str] | None = None


def stop_words() -> frozenset[str]:
    """English (scikit-learn) plus academic stop words, lower case.

    >>> {"the", "paper", "propose"} <= stop_words()
    True
    """
    global _ENGLISH_STOP_WORDS
    if _ENGLISH_STOP_WORDS is None:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        _ENGLISH_STOP_WORDS = frozenset(ENGLISH_STOP_WORDS)
    return _ENGLISH_STOP_WORDS | ACADEMIC_STOP_WORDS


# ------------------------------------------------------------------ result


@dataclass
class TopicResult:
    """Everything :func:`compute_topics` finds.

    Attributes
    ----------
    papers : pandas.DataFrame
        One row per input paper, in the input order: ``id``, ``topic`` (int,
        ``-1`` = unassigned), ``topic_label``, ``confidence`` (0..1), ``parent``
        (parent theme id, ``-1`` when unassigned), ``x``, ``y`` (2-D map).
    topics : pandas.DataFrame
        One row per topic, ``topic`` = 0..k-1 by descending size then label:
        ``label``, ``size``, ``share``, ``key_phrases``, ``parent``,
        ``parent_label``, ``representative_ids``, ``mean_confidence``.
    parents : pandas.DataFrame
        Broad themes: ``parent``, ``label``, ``size``, ``topics`` (list of topic ids).
    similarity : pandas.DataFrame
        Cosine similarity of topic centroids, indexed by topic id on both axes.
    unassigned : pandas.DataFrame
        Papers with topic ``-1``: ``id``, ``title``, ``reason``, ``nearest_topic``,
        ``nearest_similarity``.
    params : dict
        Every setting that determined the result (seed, derived sizes, thresholds).
    """

    papers: pd.DataFrame
    topics: pd.DataFrame
    parents: pd.DataFrame
    similarity: pd.DataFrame
    unassigned: pd.DataFrame
    params: dict = field(default_factory=dict)

    @property
    def n_topics(self) -> int:
        """Number of topics (without the unassigned group)."""
        return len(self.topics)

    @property
    def unassigned_share(self) -> float:
        """Share of papers left without a topic."""
        return float((self.papers["topic"] == -1).mean()) if len(self.papers) else 0.0

    def label_of(self, topic: int) -> str:
        """Label of a topic id (``"Unassigned"`` for -1)."""
        if topic == -1:
            return "Unassigned"
        return str(self.topics.set_index("topic").at[int(topic), "label"])


# ------------------------------------------------------------------ settings

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


# ------------------------------------------------------------------ helpers


def _require(package: str, purpose: str) -> None:
    try:
        __import__(package)
    except ImportError as exc:
        raise MissingDependencyError(package.replace("_", "-"), purpose=purpose, install=_INSTALL) from exc


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


def _split_topic(Xm: np.ndarray, min_size: int) -> np.ndarray | None:
    """Split one mixed topic's papers (unit rows) into coherent parts; ``-1`` for the leftovers.

    Ward clustering into 2-5 parts, the number chosen by cosine silhouette; parts
    smaller than ``min_size`` become leftovers, and a split must keep at least
    half of the papers in parts.  ``None`` when no split does or the best silhouette says the topic has no structure.
    """
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import silhouette_score

    m = len(Xm)
    best = None
    for parts in range(2, min(5, m // 2) + 1):
        cut = AgglomerativeClustering(n_clusters=parts, linkage="ward").fit_predict(Xm)
        sizes = Counter(cut.tolist())
        if sum(c for c in sizes.values() if c >= min_size) < m / 2:
            continue  # a split that leaves most papers out shatters the topic instead
        score = float(silhouette_score(Xm, cut, metric="cosine"))
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


def refine_assignments(X: np.ndarray, labels: np.ndarray, *, min_size: int,
                       threshold: float | None = None, floor: float = 0.35,
                       percentile: float = 10.0, max_unassigned: float = 0.12,
                       split_gap: float = 0.05, params: dict | None = None) -> np.ndarray:
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

    ``X`` holds unit rows.  Returns new labels (the input is not changed);
    ``params`` (when given) records the splits and the threshold used.

    Examples
    --------
    >>> X = np.array([[1, 0, 0], [0.99, 0.14, 0], [0.98, 0, 0.2], [0, 1, 0], [0.1, 0.99, 0], [0, 0, 1.0]])
    >>> X = X / np.linalg.norm(X, axis=1, keepdims=True)
    >>> refine_assignments(X, np.array([0, 0, -1, 1, 1, -1]), min_size=2, threshold=0.9,
    ...                    max_unassigned=0.5).tolist()
    [0, 0, 0, 1, 1, -1]
    """
    labels = np.asarray(labels, dtype=int).copy()
    params = params if params is not None else {}
    ids = sorted(set(labels.tolist()) - {-1})
    if not ids:
        return labels
    # 1. split topics far less coherent than the others
    coherence = topic_coherence(X, labels)
    typical = float(np.median(list(coherence.values())))
    params["topic_coherence_median"] = round(typical, 4)
    next_id = max(ids) + 1
    splits = []
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
        params.setdefault("_split_left", []).extend(int(i) for i in members[parts == -1])
        splits.append({"topic": int(t), "coherence": coh, "into": [int((parts == p).sum())
                       for p in range(int(parts.max()) + 1)], "left_out": int((parts == -1).sum())})
        queue.extend(new_ids)
    params["split_topics"] = splits

    # 2. outliers join a topic only when as close as its typical members
    ids = sorted(set(labels.tolist()) - {-1})
    C = _centroids(X, labels, ids)
    sim = X @ C.T
    pos = {t: i for i, t in enumerate(ids)}
    assigned = np.flatnonzero(labels != -1)
    own = sim[assigned, [pos[t] for t in labels[assigned]]]
    if threshold is None:
        threshold = max(floor, float(np.percentile(own, percentile)))
    params["outlier_threshold_used"] = round(float(threshold), 4)
    noise = np.flatnonzero(labels == -1)
    best = sim[noise].argmax(axis=1) if len(noise) else np.zeros(0, dtype=int)
    best_sim = sim[noise, best] if len(noise) else np.zeros(0)
    join = best_sim >= threshold
    # 3. but never leave more than max_unassigned of the corpus out
    room = int(math.floor(max_unassigned * len(labels)))
    left = np.flatnonzero(~join)
    if len(left) > room:
        closest = left[np.lexsort((left, -best_sim[left]))][:len(left) - room]
        join[closest] = True
        params["joined_below_threshold"] = int(len(closest))
    else:
        params["joined_below_threshold"] = 0
    labels[noise[join]] = [ids[b] for b in best[join]]
    return labels


#: Cosine distances of the shared nearest-neighbour graph are rounded to this step, so
#: embeddings that differ by float noise (1e-7, a different batch) give the same graph.
KNN_DISTANCE_STEP = 0.01


def knn_graph(X: np.ndarray, k: int, *, step: float = KNN_DISTANCE_STEP,
              block: int = 1024) -> tuple[np.ndarray, np.ndarray]:
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
    indices = np.empty((n, k), dtype=np.int32)
    dists = np.empty((n, k), dtype=np.float32)
    cols = np.arange(n)
    for start in range(0, n, block):
        stop = min(n, start + block)
        D = 1.0 - X[start:stop] @ X.T  # cosine distances, float32
        rows = np.arange(stop - start)
        D[rows, rows + start] = -1.0  # self first, whatever the rounding
        if step:
            D = np.round(D / step) * step
        if k < n:
            part = np.argpartition(D, k - 1, axis=1)[:, :k]
            # the k-th distance may be tied: take every tied column, then keep the lowest row numbers
            kth = D[rows, part[rows, np.argmax(D[rows[:, None], part], axis=1)]]
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


def _make_backend(embedder: Any) -> Any:
    """A BERTopic embedding backend that goes through litscope's cached :class:`Embedder`."""
    from bertopic.backend import BaseEmbedder

    class _CachedBackend(BaseEmbedder):
        def __init__(self, emb: Any) -> None:
            super().__init__()
            self.embedder = emb

        def embed(self, documents, verbose=False):  # noqa: D401 - BERTopic API
            return self.embedder.encode(list(documents))

    return _CachedBackend(embedder)


_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*")
_SEGMENT_SPLIT = re.compile(r"\s*(?:[:;,?!()\[\]{}\"“”|/]|\s[-–—]\s|\.\s)\s*")


_CASE_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*|[.!?:;]")
_SENTENCE_END = frozenset(".!?:;")


def _case_map(texts: Iterable[str]) -> dict[str, str]:
    """Most common spelling of each word away from sentence starts (keeps 'LLM', 'English')."""
    forms: Counter = Counter()
    for text in texts:
        toks = _CASE_TOKEN.findall(text or "")
        # a word counts unless it starts the text or follows a sentence end
        forms.update(tok for prev, tok in zip(["."] + toks, toks)
                     if prev not in _SENTENCE_END and tok not in _SENTENCE_END)
    counts: dict[str, list[tuple[str, int]]] = {}
    for form, c in forms.items():  # first-seen order, so ties go to the earliest spelling
        counts.setdefault(form.lower(), []).append((form, c))
    out = {}
    for key, seen in counts.items():
        form = max(seen, key=lambda fc: fc[1])[0]
        # "Oxides" written in a capitalised heading somewhere is still "oxides"
        if form[:1].isupper() and form[1:] == form[1:].lower() and forms.get(key, 0) > 0:
            form = key
        out[key] = form
    return out


def _display_word(word: str, case: dict[str, str]) -> str:
    if word.lower() in case:
        return case[word.lower()]
    # Title-cased words from titles become lower case; acronyms and CamelCase stay.
    if word[:1].isupper() and word[1:] == word[1:].lower():
        return word.lower()
    return word


def tidy_label(words: Sequence[str], case: dict[str, str] | None = None) -> str:
    """A label from words: first letter upper case, no stop words at the ends, no repeats.

    >>> tidy_label(["the", "Vocabulary", "Expansion", "for", "Cross-lingual", "Transfer", "of"])
    'Vocabulary expansion for cross-lingual transfer'
    >>> tidy_label(["LLM", "agents", "agents"])
    'LLM agents'
    """
    case = case or {}
    stops = _edge_words()
    seen: set[str] = set()
    out: list[str] = []
    for w in words:
        if w.lower() in seen:
            continue
        seen.add(w.lower())
        out.append(_display_word(w, case))
    while out and out[0].lower() in stops:
        out.pop(0)
    while out and out[-1].lower() in stops:
        out.pop()
    if not out:
        return ""
    first = out[0]
    out[0] = first[:1].upper() + first[1:]
    return " ".join(out)


def _edge_words() -> frozenset[str]:
    return english_stop_words() | LABEL_EDGE_WORDS


def english_stop_words() -> frozenset[str]:
    """scikit-learn's English stop words."""
    stop_words()
    assert _ENGLISH_STOP_WORDS is not None
    return _ENGLISH_STOP_WORDS


def _is_good_span(words: Sequence[str], edges: frozenset[str]) -> bool:
    """2-6 words, no edge word at either end, no repeated word, at least two content words."""
    if not 2 <= len(words) <= 6:
        return False
    low = [w.lower() for w in words]
    if low[0] in edges or low[-1] in edges or len(set(low)) != len(low):
        return False
    if not low[0][0].isalpha() or not low[-1][0].isalpha():  # "2 diabetes", "type 2"
        return False
    return sum(w not in edges and w[0].isalpha() for w in low) >= 2


def _title_spans(title: str, edges: frozenset[str]) -> list[tuple[tuple[str, ...], bool]]:
    """Word spans of 2-6 words inside title segments (split at colons, commas, dashes).

    Each span comes with whether it ends where a phrase ends (segment end or
    before a function word), so a label is not cut in the middle of a noun phrase.
    """
    english = english_stop_words()
    spans = []
    for segment in _SEGMENT_SPLIT.split(title or ""):
        words = _WORD.findall(segment)
        for i in range(len(words)):
            for j in range(i + 2, min(len(words), i + 6) + 1):
                if _is_good_span(words[i:j], edges):
                    clean_end = j == len(words) or words[j].lower() in english
                    clean_start = i == 0 or words[i - 1].lower() in english
                    spans.append((tuple(words[i:j]), clean_end and clean_start))
    return spans


_CORPUS_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*|[^\sA-Za-z0-9]")


class _Corpus:
    """Word-level view of the corpus for label scoring: token sequences and an inverted index."""

    def __init__(self, texts: Sequence[str]) -> None:
        # punctuation stays in the sequences as "|", so nothing "follows" across a bracket or comma
        find = _CORPUS_TOKEN.findall
        self.seqs = [[tok.lower() if tok[0].isalnum() else "|" for tok in find(t or "")] for t in texts]
        #: the distinct words of each text
        self.sets = [set(seq) for seq in self.seqs]
        self.index: dict[str, set[int]] = {}
        for i, words in enumerate(self.sets):
            for w in words:
                self.index.setdefault(w, set()).add(i)
        self.index.pop("|", None)
        self.n = len(texts)
        # " w1 w2 ... " per text: phrase occurrences are found by str.find, not a Python loop
        self._joined: list[str | None] = [None] * len(self.seqs)
        self._docs_memo: dict[tuple[str, ...], set[int]] = {}

    def docs_with(self, words: Sequence[str]) -> set[int]:
        """Texts holding every word (the returned set is shared: do not change it)."""
        key = tuple(words)
        out = self._docs_memo.get(key)
        if out is not None:
            return out
        sets = sorted((self.index.get(w, set()) for w in key), key=len)
        if not sets:
            out = set()
        else:
            out = set(sets[0])
            for other in sets[1:]:
                out &= other
        self._docs_memo[key] = out
        return out

    def _text(self, d: int) -> str:
        joined = self._joined[d]
        if joined is None:
            joined = self._joined[d] = " " + " ".join(self.seqs[d]) + " "
        return joined

    def next_word(self, words: Sequence[str], members: set[int], edges: frozenset[str]) -> str | None:
        """The word that nearly always follows ``words`` in the members' texts, if any."""
        m = len(words)
        follow: Counter = Counter()
        total = 0
        pattern = " " + " ".join(words) + " "
        for d in sorted(self.docs_with(words) & members):
            text = self._text(d)
            at = text.find(pattern)
            while at >= 0:  # every occurrence, overlapping ones too
                total += 1
                end = at + len(pattern)
                follow[text[end:text.find(" ", end)] if end < len(text) else ""] += 1
                at = text.find(pattern, at + 1)
        if total < 2:
            if m > 1:  # too rare as a whole: judge by its last word
                return self.next_word(words[-1:], members, edges) if words[-1] not in edges else None
            return None
        word, count = follow.most_common(1)[0]
        if word and word[0].isalpha() and word not in edges and word not in words and count >= 0.6 * total:
            return word
        return None


def word_spread(corpus: "_Corpus", topic_members: Sequence[set[int]], share: float = 0.25) -> dict[str, float]:
    """Share of topics in which a word occurs in at least ``share`` of the topic's papers.

    A word frequent in every topic ("model", "language") names none of them.

    Examples
    --------
    >>> c = _Corpus(["deep learning of proteins", "deep learning of galaxies", "galaxies"])
    >>> s = word_spread(c, [{0}, {1, 2}])
    >>> s["deep"], s["galaxies"], s["proteins"]
    (1.0, 0.5, 0.5)
    """
    counts: Counter = Counter()
    for members in topic_members:
        words: Counter = Counter()
        for d in members:
            words.update(corpus.sets[d])
        counts.update(w for w, c in words.items() if c >= share * len(members))
    k = max(1, len(topic_members))
    return {w: c / k for w, c in counts.items() if w != "|"}


def _vagueness(key: str, spread: dict[str, float], edges: frozenset[str]) -> float:
    """0 (specific) .. 1 (every content word is vague or frequent in all topics)."""
    words = [w for w in key.split() if w not in edges] or key.split()
    vals = [1.0 if w in VAGUE_LABEL_WORDS else spread.get(w, 0.0) for w in words]
    # the most specific word carries a label; the others dilute it a little
    return 0.7 * min(vals) + 0.3 * sum(vals) / len(vals)


def _choose_labels(groups: list[dict[str, Any]], centroids: np.ndarray, embedder: Any,
                   case: dict[str, str], corpus: _Corpus | None = None,
                   spread: dict[str, float] | None = None) -> list[str]:
    """Pick a unique, readable label for each group.

    Each group has ``phrases`` (key phrases, best first), ``titles`` (central
    titles, most central first) and ``members`` (row numbers).  Candidates are
    the multi-word key phrases and 2-6 word spans of the titles; a candidate
    nearly always followed by the same word in the group's papers ("large
    language" -> "models") is completed.  Score::

        cos(own centroid) - 0.7 * max cos(other centroids)
        + 0.6 * (share of own papers containing its words - 2 * share of other papers)
        + 0.03 if it is a whole phrase - 0.01 per word beyond four
        - 0.1 if fewer than two of the group's papers (of six or more) contain its words
        - 0.3 * vagueness (words frequent across the corpus's topics, or vague words)
        + 0.3 * share of the group's children (``kid_members``, parents only) using its words

    Labels are chosen greedily, largest group first, never reusing a label or
    its set of words, nor one in the group's ``forbid`` (a parent's children labels).
    """
    if spread is None:
        spread = word_spread(corpus, [set(int(m) for m in g["members"]) for g in groups]) \
            if corpus is not None else {}
    stops = _edge_words()
    per_group: list[list[str]] = []

    def content_of(key: str) -> list[str]:
        return [w for w in key.split() if w not in stops]

    def contrast(key: str, members: set[int]) -> float:
        if corpus is None or not members:
            return 0.0
        docs = corpus.docs_with(content_of(key))
        inside = len(docs & members) / len(members)
        outside_n = corpus.n - len(members)
        outside = len(docs - members) / outside_n if outside_n else 0.0
        return inside - 2.0 * outside

    for g in groups:
        members = set(int(m) for m in g["members"])
        g["_members"] = members
        cands: dict[str, tuple[str, ...]] = {}
        bonus: dict[str, float] = {}
        for phrase in g["phrases"]:
            words = tuple(_WORD.findall(phrase))
            if _is_good_span(words, stops):
                key = " ".join(w.lower() for w in words)
                cands.setdefault(key, words)
                bonus[key] = 0.03
        titled: dict[str, tuple[str, ...]] = {}
        for title in g["titles"]:
            for words, clean in _title_spans(title, stops):
                key = " ".join(w.lower() for w in words)
                titled.setdefault(key, words)
                if clean:
                    bonus[key] = max(bonus.get(key, 0.0), 0.03)
        # Only the title spans best supported by the topic's papers are embedded.
        ranked = sorted(titled, key=lambda k: (-(contrast(k, members) + bonus.get(k, 0.0)), len(k), k))
        for key in ranked[:30]:
            cands.setdefault(key, titled[key])
        # Complete phrases cut short ("large language" -> "large language models").
        if corpus is not None:
            for key in sorted(cands):
                words = key.split()
                nxt = corpus.next_word(words, members, stops)
                if nxt and len(words) < 6:
                    longer = key + " " + nxt
                    orig = cands.pop(key)
                    cands.setdefault(longer, orig + (nxt,))
                    bonus[longer] = max(bonus.get(longer, 0.0), bonus.pop(key, 0.0))
        if not cands:  # fall back on two key phrases joined
            top = [p for p in g["phrases"] if p.strip()][:2] or ["miscellaneous", "papers"]
            words = tuple(" and ".join(top).split())[:6]
            cands[" ".join(w.lower() for w in words)] = words
        per_group.append(sorted(cands))  # sorted keys: deterministic order
        g["_cands"] = cands
        g["_bonus"] = bonus
        g["_contrast"] = {k: contrast(k, members) for k in cands}
        # A parent's label should name what its children share, not one child.
        kid_sets = g.get("kid_members", [])
        g["_cover"] = {k: (sum(len(corpus.docs_with(content_of(k)) & ks) >= 0.25 * len(ks) for ks in kid_sets)
                           / len(kid_sets)) if kid_sets and corpus is not None else 0.0 for k in cands}
        # A phrase only one paper uses names that paper, not the topic.
        g["_rare"] = {k: float(corpus is not None and len(members) >= 6
                               and len(corpus.docs_with(content_of(k)) & members) < 2) for k in cands}

    all_keys = sorted({k for keys in per_group for k in keys})
    texts = [tidy_label(_candidate_words(groups, k), case) or k for k in all_keys]
    vecs = embedder.encode(texts) if all_keys else np.zeros((0, centroids.shape[1]), np.float32)
    sims = vecs @ centroids.T  # candidates x groups
    index = {k: i for i, k in enumerate(all_keys)}

    order = sorted(range(len(groups)), key=lambda i: (-len(groups[i]["members"]), groups[i]["key"]))
    used: set[str] = set()
    used_wordsets: set[frozenset[str]] = set()
    labels = [""] * len(groups)
    for gi in order:
        g = groups[gi]
        forbid = {frozenset(w.lower() for w in f.split()) for f in g.get("forbid", [])}
        scored = []
        for key in per_group[gi]:
            row = sims[index[key]]
            own = float(row[gi])
            other = float(np.delete(row, gi).max()) if len(groups) > 1 else 0.0
            n_words = len(key.split())
            score = (own - 0.7 * other + 0.6 * g["_contrast"][key] + g["_bonus"].get(key, 0.0)
                     - 0.01 * max(0, n_words - 4) - 0.1 * g["_rare"][key]
                     - 0.3 * _vagueness(key, spread, stops) + 0.3 * g["_cover"][key])
            scored.append((-round(score, 9), key))
        scored.sort()
        if os.environ.get("LITSCOPE_DEBUG_LABELS"):
            print("LABELS", g["key"], [(k, -sc) for sc, k in scored[:6]])
        chosen = None
        for _, key in scored:
            label = tidy_label(g["_cands"][key], case)
            words = label.split()
            if not 2 <= len(words) <= 6:
                continue
            wordset = frozenset(w.lower() for w in words)
            if label.lower() in used or wordset in used_wordsets or wordset in forbid:
                continue
            chosen = label
            break
        if chosen is None:  # every candidate taken: disambiguate deterministically
            base = tidy_label(g["_cands"][scored[0][1]], case) if scored else "Miscellaneous papers"
            extra = [p for p in g["phrases"] if p.lower() not in base.lower()]
            chosen = base
            for p in extra:
                trial = tidy_label(base.split() + p.split(), case)
                if trial.lower() not in used and len(trial.split()) <= 6:
                    chosen = trial
                    break
            suffix = 2
            while chosen.lower() in used:
                chosen = f"{base} {suffix}"  # last resort, still unique
                suffix += 1
        labels[gi] = chosen
        used.add(chosen.lower())
        used_wordsets.add(frozenset(w.lower() for w in chosen.split()))
    return labels


def _candidate_words(groups: list[dict[str, Any]], key: str) -> tuple[str, ...]:
    """The original-case words of candidate ``key`` (first group that has it)."""
    for g in groups:
        if key in g["_cands"]:
            return g["_cands"][key]
    return tuple(key.split())


def _tidy_phrases(phrases: Sequence[str], fallback: Sequence[str], stops: frozenset[str],
                  lo: int = 5, hi: int = 10) -> list[str]:
    """Key phrases without stop words, unigrams already inside a longer phrase dropped, 5-10 of them."""
    clean: list[str] = []
    for p in list(phrases):
        words = [w for w in p.split() if w.lower() not in stops]
        if not words or len(set(w.lower() for w in words)) != len(words):
            continue
        if len(words) == 1 and words[0].lower() in GENERIC_WORDS:
            continue
        text = " ".join(words)
        if text.lower() not in (c.lower() for c in clean):
            clean.append(text)
    longer = [c.lower().split() for c in clean if " " in c]
    kept = [c for c in clean if " " in c or not any(c.lower() in ws for ws in longer)]
    for p in list(fallback) + clean:  # top up from c-TF-IDF words, then the dropped unigrams
        if len(kept) >= lo:
            break
        words = [w for w in p.split() if w.lower() not in stops]
        text = " ".join(words)
        if text and text.lower() not in (k.lower() for k in kept):
            kept.append(text)
    return kept[:hi]


# ------------------------------------------------------------------ main


def _empty_result(params: dict) -> TopicResult:
    """The result for an empty corpus: every frame present, no rows."""
    return TopicResult(
        papers=pd.DataFrame(columns=["id", "topic", "topic_label", "confidence", "parent", "x", "y"]),
        topics=pd.DataFrame(columns=["topic", "label", "size", "share", "key_phrases", "parent",
                                     "parent_label", "representative_ids", "mean_confidence"]),
        parents=pd.DataFrame(columns=["parent", "label", "size", "topics"]),
        similarity=pd.DataFrame(),
        unassigned=pd.DataFrame(columns=["id", "title", "reason", "nearest_topic", "nearest_similarity"]),
        params=params)


def compute_topics(df: pd.DataFrame, embeddings: np.ndarray, *, seed: int = 42,
                   n_topics: int | None = None, granularity: str = "auto",
                   min_topic_size: int | None = None, umap_model: Any = None,
                   cluster_model: Any = None, vectorizer_model: Any = None,
                   representation_model: Any = None, embedder: Any = None,
                   outlier_threshold: float | None = None, merge_threshold: float | None = None,
                   progress: bool = True, cache: Any = None) -> TopicResult:
    """Find the topics of a corpus.

    Parameters
    ----------
    df : pandas.DataFrame
        Records (canonical schema: ``id``, ``title``, ``abstract``).
    embeddings : numpy.ndarray
        One row per record of ``df`` (see :func:`litscope.embed.embed_papers`).
    seed : int
        Random state of UMAP, k-means and the representation models.
    n_topics : int, optional
        Exactly this many topics: seeded k-means on the UMAP vectors replaces
        HDBSCAN, no topic is merged and no paper is left unassigned.
    granularity : {"auto", "coarser", "finer"}
        Fewer, larger topics or more, smaller ones (ignored with ``n_topics``).
    min_topic_size : int, optional
        Smallest topic (HDBSCAN ``min_cluster_size``); derived from the corpus size by default.
    umap_model, cluster_model, vectorizer_model, representation_model : optional
        Replace a BERTopic step (any object BERTopic accepts for that step).
    embedder : litscope.embed.Embedder, optional
        Embeds key phrases and label candidates; the default model and cache otherwise.
        Use the model that made ``embeddings``.
    outlier_threshold : float, optional
        Minimum cosine similarity to a topic centroid for an outlier to join it.  By
        default it adapts to the corpus: the 10th percentile of topic members'
        similarity to their own centroid, at least 0.35 (see :func:`refine_assignments`);
        at most 12 % of the papers stay unassigned either way.
    merge_threshold : float, optional
        Topics whose centroids are more similar than this are merged (0.9; 0.85 coarser, 0.95 finer).
    progress : bool
        Show progress bars.
    cache : litscope.stagecache.StageCache, optional
        Reuse the result of an earlier call with the same records (``id``,
        ``title``, ``abstract``), embeddings and settings (stage ``"topics"``,
        see :func:`topics_cache_key`); ``None`` (the default) always computes.
        Calls with a custom ``representation_model`` or a model object without
        ``get_params`` are never cached (their settings cannot be keyed).

    Returns
    -------
    TopicResult
    """
    if granularity not in GRANULARITY:
        raise ParameterError(f"granularity must be one of {sorted(GRANULARITY)}, got {granularity!r}")
    emb = np.asarray(embeddings, dtype=np.float32)
    if emb.ndim != 2 or emb.shape[0] != len(df):
        raise ParameterError(f"embeddings must have one row per paper: {emb.shape} for {len(df)} papers")
    if n_topics is not None and (int(n_topics) < 1 or int(n_topics) > max(1, len(df))):
        raise ParameterError(f"n_topics must be between 1 and the number of papers ({len(df)}), got {n_topics}")
    if cache is not None and getattr(cache, "enabled", False):
        key = topics_cache_key(cache, df, emb, seed=seed, n_topics=n_topics, granularity=granularity,
                               min_topic_size=min_topic_size, umap_model=umap_model,
                               cluster_model=cluster_model, vectorizer_model=vectorizer_model,
                               representation_model=representation_model, embedder=embedder,
                               outlier_threshold=outlier_threshold, merge_threshold=merge_threshold)
        if key is not None:
            return cache.get_or_compute("topics", key, lambda: compute_topics(
                df, emb, seed=seed, n_topics=n_topics, granularity=granularity,
                min_topic_size=min_topic_size, umap_model=umap_model, cluster_model=cluster_model,
                vectorizer_model=vectorizer_model, representation_model=representation_model,
                embedder=embedder, outlier_threshold=outlier_threshold,
                merge_threshold=merge_threshold, progress=progress, cache=None))
    from ._numba import cache_compiled, configure_cache

    configure_cache()  # before numba is imported by UMAP / pynndescent
    for package in ("bertopic", "umap", "hdbscan"):
        _require(package, "Finding topics")
    cache_compiled(*_UMAP_JIT_MODULES)

    from .embed import Embedder, paper_texts, text_hash

    n = len(df)
    settings = default_settings(n, granularity=granularity, min_topic_size=min_topic_size, seed=seed)
    if outlier_threshold is not None:
        settings["outlier_threshold"] = float(outlier_threshold)
    if merge_threshold is not None:
        settings["merge_threshold"] = float(merge_threshold)
    embedder = embedder or Embedder(progress=progress)
    params: dict[str, Any] = {
        "seed": seed, "n_papers": n, "n_topics": n_topics, "granularity": granularity,
        "min_topic_size": settings["hdbscan"]["min_cluster_size"],
        "clustering": "kmeans" if n_topics is not None else "hdbscan",
        "umap": settings["umap"] if umap_model is None else repr(umap_model),
        "hdbscan": settings["hdbscan"] if (cluster_model is None and n_topics is None) else None,
        "cluster_model": repr(cluster_model) if cluster_model is not None else None,
        "vectorizer_model": repr(vectorizer_model) if vectorizer_model is not None else None,
        "representation_model": repr(representation_model) if representation_model is not None else None,
        "outlier_threshold": settings["outlier_threshold"],
        "merge_threshold": None if n_topics is not None else settings["merge_threshold"],
        "confidence_temperature": CONFIDENCE_TEMPERATURE,
        "knn_distance_step": KNN_DISTANCE_STEP,
        "embedding_model": getattr(embedder, "model_name", repr(embedder)),
    }

    if n == 0:
        params.update({"k": 0, "n_parents": 0, "unassigned_share": 0.0})
        return _empty_result(params)

    ids_in = df["id"].astype(str).tolist() if "id" in df else [str(i) for i in range(n)]
    texts_in = paper_texts(df)
    titles_in = ["" if t is None or (isinstance(t, float) and t != t) else str(t)
                 for t in (df["title"] if "title" in df else [""] * n)]
    # Canonical order: by id, then text, so row order never changes the result.
    order = sorted(range(n), key=lambda i: (ids_in[i], text_hash(texts_in[i])))
    ids = [ids_in[i] for i in order]
    texts = [texts_in[i] for i in order]
    titles = [titles_in[i] for i in order]
    X = _normalise_rows(emb[order])

    # One exact neighbour graph (rounded distances) for both UMAP runs.
    t0 = time.perf_counter()
    knn = knn_graph(X, min(settings["umap"]["n_neighbors"], n - 1)) if n >= 8 else None
    params.setdefault("timings", {})["knn"] = round(time.perf_counter() - t0, 2)
    if n < 3 or (n_topics is None and n < 2 * settings["hdbscan"]["min_cluster_size"]):
        labels = np.zeros(n, dtype=int)  # too few papers to split: one topic
        params["note"] = "too few papers to split into topics; all in one topic"
        model = False
    else:
        t0 = time.perf_counter()
        labels, model = _fit(texts, X, settings, seed=seed, n_topics=n_topics, umap_model=umap_model,
                             cluster_model=cluster_model, vectorizer_model=vectorizer_model,
                             embedder=embedder, params=params, progress=progress, knn=knn)
        params.setdefault("timings", {})["fit"] = round(time.perf_counter() - t0, 2)
    return _assemble(labels, model, X, ids, titles, texts, order, n, seed=seed,
                     representation_model=representation_model, vectorizer_model=vectorizer_model,
                     embedder=embedder, params=params, settings=settings, n_topics=n_topics,
                     progress=progress, knn=knn)


#: UMAP modules whose numba functions are compiled once and then loaded from disk.
_UMAP_JIT_MODULES = ("umap.umap_", "umap.layouts", "umap.spectral", "umap.utils", "umap.distances")


def _code_fingerprint() -> str:
    """SHA-256 of this module's source, so a changed algorithm never reuses a cached result."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        import hashlib

        try:
            with open(__file__, "rb") as fh:
                _FINGERPRINT = hashlib.sha256(fh.read()).hexdigest()
        except OSError:  # pragma: no cover - frozen install
            _FINGERPRINT = "unknown"
    return _FINGERPRINT


_FINGERPRINT: str | None = None


def topics_cache_key(cache: Any, df: pd.DataFrame, embeddings: np.ndarray, **settings: Any) -> str | None:
    """The stage-cache key of a :func:`compute_topics` call, ``None`` when it cannot be cached.

    Keyed parts: the ``id``, ``title`` and ``abstract`` columns (what the topic
    stage reads), the embeddings as float32, every setting of the call (read from
    :func:`compute_topics`' signature by :func:`litscope.stagecache.settings_of`,
    the embedder by its model name), this module's source and the versions of the
    packages that fit the model.
    """
    from importlib import metadata

    from .stagecache import settings_of

    for name in ("umap_model", "cluster_model", "vectorizer_model"):
        model = settings.get(name)
        if model is not None and not callable(getattr(model, "get_params", None)):
            return None
    if settings.get("representation_model") is not None:
        return None
    embedder = settings.get("embedder")
    keyed = settings_of(compute_topics, df, embeddings, **settings,
                        exclude=("df", "embeddings", "embedder", "progress", "cache"))
    from .embed import DEFAULT_MODEL

    keyed["embedding_model"] = getattr(embedder, "model_name", None) if embedder is not None else DEFAULT_MODEL
    if embedder is not None and keyed["embedding_model"] is None:
        return None  # a stand-in embedder without a name: its phrase vectors cannot be keyed
    versions = {}
    for package in ("bertopic", "umap-learn", "hdbscan", "scikit-learn", "numpy", "pynndescent"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    columns = [c for c in ("id", "title", "abstract") if c in df.columns]
    return cache.key("topics", df[columns], np.asarray(embeddings, dtype=np.float32), keyed,
                     _code_fingerprint(), versions, len(df))


def compute_topics_cached(df: pd.DataFrame, embeddings: np.ndarray, *, cache: Any = None,
                          **settings: Any) -> TopicResult:
    """:func:`compute_topics` through the stage cache (the default :class:`~litscope.stagecache.StageCache`
    when ``cache`` is None; ``StageCache(root=False)`` to compute without it)."""
    if cache is None:
        from .stagecache import StageCache

        cache = StageCache()
    return compute_topics(df, embeddings, cache=cache, **settings)


class PhraseAnalyzer:
    """Turns a text into candidate key phrases: n-grams of consecutive content words.

    Stop words and punctuation break phrases, so no n-gram spans a removed word
    ("summary of the summarization" never yields "summary summarization").

    Examples
    --------
    >>> PhraseAnalyzer((1, 2))("We propose vocabulary expansion for cross-lingual transfer.")
    ['vocabulary', 'expansion', 'vocabulary expansion', 'cross-lingual', 'transfer', 'cross-lingual transfer']
    """

    # words, or anything else (numbers, punctuation) that breaks a phrase
    _TOKEN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*|[0-9][a-z0-9.,-]*|[^\sa-z0-9]")

    def __init__(self, ngram_range: tuple[int, int] = (1, 2), stop: Iterable[str] | None = None) -> None:
        self.ngram_range = tuple(ngram_range)
        self.stop = frozenset(stop) if stop is not None else stop_words()

    def __repr__(self) -> str:
        return f"PhraseAnalyzer(ngram_range={self.ngram_range}, stop=<{len(self.stop)} words>)"

    def __call__(self, text: str) -> list[str]:
        out: list[str] = []
        run: list[str] = []
        stop = self.stop
        for tok in self._TOKEN.findall((text or "").lower()):
            if tok[0].isalpha() and len(tok) > 1 and tok not in stop:
                run.append(tok)
            elif run:
                self._grams(run, out)
                run = []
        if run:
            self._grams(run, out)
        return out

    def _grams(self, run: list[str], out: list[str]) -> None:
        """Append the n-grams of one run of content words (ending at each word, shortest first)."""
        lo, hi = self.ngram_range
        if lo == 1 and hi == 2:  # the default, without the general loop
            prev = None
            for w in run:
                out.append(w)
                if prev is not None and prev != w:
                    out.append(prev + " " + w)
                prev = w
            return
        for j in range(len(run)):
            for size in range(lo, hi + 1):
                start = j - size + 1
                if start >= 0:
                    gram = run[start:j + 1]
                    if len(set(gram)) == len(gram):
                        out.append(" ".join(gram))


def default_vectorizer(n: int) -> Any:
    """CountVectorizer for c-TF-IDF: 1-2-grams of content words (:class:`PhraseAnalyzer`).

    ``min_df`` stays 1 because BERTopic fits it on one joined document per topic
    (a word needed in two *topics* would drop every distinctive word); above
    5,000 papers the vocabulary is capped at 50,000 n-grams to bound memory.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(analyzer=PhraseAnalyzer((1, 2)), min_df=1,
                           max_features=50_000 if n > 5000 else None)


def _by_frequency(labels: np.ndarray) -> np.ndarray:
    """Topic ids renumbered 0.. by descending size (ties: the topic of the earlier paper); -1 kept."""
    labels = np.asarray(labels, dtype=int)
    ids, first, counts = np.unique(labels[labels != -1], return_index=True, return_counts=True)
    if not len(ids):
        return labels.copy()
    order = np.lexsort((first, -counts))
    mapping = np.full(int(ids.max()) + 2, -1, dtype=int)  # index -1 (last) stays -1
    mapping[ids[order]] = np.arange(len(ids))
    return mapping[labels]


def _fit(texts, X, settings, *, seed, n_topics, umap_model, cluster_model, vectorizer_model,
         embedder, params, progress, knn=None):
    """UMAP + clustering + merge + outlier reduction; returns the labels and whether a model was fitted.

    The steps BERTopic's ``fit_transform`` runs (reduce, cluster, number topics by
    size), without its c-TF-IDF passes: key phrases are extracted once, for the
    final topics (:func:`_key_phrases`).
    """
    import warnings

    from umap import UMAP

    n = len(texts)
    if umap_model is None:
        u = dict(settings["umap"])
        u["n_neighbors"] = min(u["n_neighbors"], n - 1)
        u["n_components"] = min(u["n_components"], max(2, n - 2))
        if knn is not None and knn[0].shape[1] == u["n_neighbors"]:
            u["precomputed_knn"] = (knn[0].copy(), knn[1].copy())
        umap_model = UMAP(**u, low_memory=False, n_jobs=1)
    if cluster_model is None:
        if n_topics is not None:
            from sklearn.cluster import KMeans

            cluster_model = KMeans(n_clusters=int(n_topics), random_state=seed, n_init=10)
        else:
            from hdbscan import HDBSCAN

            cluster_model = HDBSCAN(**settings["hdbscan"], prediction_data=False)
    timings = params.setdefault("timings", {})
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reduced = np.nan_to_num(umap_model.fit_transform(X))
        timings["umap"] = round(time.perf_counter() - t0, 2)
        t0 = time.perf_counter()
        cluster_model.fit(reduced)
    found = getattr(cluster_model, "labels_", None)
    labels = _by_frequency(np.asarray(found if found is not None else cluster_model.predict(reduced), dtype=int))
    timings["cluster"] = round(time.perf_counter() - t0, 2)
    params["n_clusters_found"] = int(len(set(labels.tolist()) - {-1}))
    params["noise_share_before_reduction"] = float((labels == -1).mean())

    # Merge near-duplicate topics (union of pairs above the threshold).
    if n_topics is None:
        ids = sorted(set(labels) - {-1})
        if len(ids) > 1:
            C = _centroids(X, labels, ids)
            S = C @ C.T
            parent = list(range(len(ids)))

            def find(a):
                while parent[a] != a:
                    parent[a] = parent[parent[a]]
                    a = parent[a]
                return a

            for a in range(len(ids)):
                for b in range(a + 1, len(ids)):
                    if S[a, b] > settings["merge_threshold"]:
                        parent[find(b)] = find(a)
            groups: dict[int, list[int]] = {}
            for a in range(len(ids)):
                groups.setdefault(find(a), []).append(ids[a])
            to_merge = [g for g in groups.values() if len(g) > 1]
            params["merged_topics"] = [list(map(int, g)) for g in to_merge]
            if to_merge:
                into = {t: min(g) for g in to_merge for t in g}
                labels = _by_frequency(np.array([into.get(t, t) for t in labels.tolist()], dtype=int))
        # Mixed topics are split, then outliers join a topic only when close enough to its centroid.
        labels = refine_assignments(X, labels, min_size=settings["hdbscan"]["min_cluster_size"],
                                    threshold=settings["outlier_threshold"],
                                    floor=settings["outlier_floor"], max_unassigned=settings["max_unassigned"], params=params)
    return labels, True


def _key_phrases(texts, labels, *, seed, representation_model, vectorizer_model, n, progress, embedder):
    """Key phrases per (pre-renumbering) topic id from c-TF-IDF refined by KeyBERT + MMR."""
    import warnings

    from bertopic import BERTopic
    from bertopic.representation import KeyBERTInspired, MaximalMarginalRelevance
    from bertopic.vectorizers import ClassTfidfTransformer

    # BERTopic only as the container its representation models expect: the topics are ours.
    model = BERTopic(embedding_model=_make_backend(embedder), representation_model=None,
                     calculate_probabilities=False, verbose=False)
    model.topics_ = labels.tolist()

    if representation_model is None:
        representation_model = [
            KeyBERTInspired(top_n_words=20, nr_repr_docs=5, nr_samples=500, nr_candidate_words=60,
                            random_state=seed),
            MaximalMarginalRelevance(diversity=0.3, top_n_words=10),
        ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.update_topics(texts, topics=labels.tolist(), top_n_words=20,
                            vectorizer_model=vectorizer_model or default_vectorizer(n),
                            ctfidf_model=ClassTfidfTransformer(reduce_frequent_words=True),
                            representation_model=representation_model)
    vocab = model.vectorizer_model.get_feature_names_out()
    out: dict[int, tuple[list[str], list[str]]] = {}
    ctfidf = model.c_tf_idf_
    topic_ids = sorted(set(labels.tolist()))
    for row, t in enumerate(topic_ids):
        if t == -1:
            continue
        phrases = [w for w, _ in (model.get_topic(t) or []) if w]
        r = ctfidf[row].toarray().ravel()
        top = np.argsort(-r, kind="stable")[:20]
        out[t] = (phrases, [str(vocab[i]) for i in top if r[i] > 0])
    return out


def _assemble(labels, model, X, ids, titles, texts, order, n, *, seed, representation_model,
              vectorizer_model, embedder, params, settings, n_topics, progress, knn=None):
    stops = stop_words()
    old_ids = sorted(set(labels.tolist()) - {-1})
    # Key phrases (needs a fitted BERTopic; the one-topic shortcut uses c-TF-IDF-free words).
    timings = params.setdefault("timings", {})
    t0 = time.perf_counter()
    if model and old_ids:
        phrases = _key_phrases(texts, labels, seed=seed, representation_model=representation_model,
                               vectorizer_model=vectorizer_model, n=n, progress=progress, embedder=embedder)
    else:
        words = Counter(w.lower() for t in texts for w in _WORD.findall(t)
                        if w.lower() not in stops and w[0].isalpha())
        phrases = {0: ([w for w, _ in words.most_common(10)], [])}
    timings["key_phrases"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    C = _centroids(X, labels, old_ids)
    sim_all = X @ C.T if len(old_ids) else np.zeros((n, 0), np.float32)

    # Confidence: softmax of centroid similarities, read at the paper's own topic.
    pos = {t: i for i, t in enumerate(old_ids)}
    confidence = np.zeros(n)
    if len(old_ids):
        z = sim_all / CONFIDENCE_TEMPERATURE
        z = np.exp(z - z.max(axis=1, keepdims=True))
        prob = z / z.sum(axis=1, keepdims=True)
        for i, t in enumerate(labels):
            if t != -1:
                confidence[i] = prob[i, pos[t]]

    # Spelling from abstracts only: titles are often in Title Case.
    case = _case_map([t[len(ti):] if t.startswith(ti) else t for t, ti in zip(texts, titles)])
    corpus = _Corpus(texts)
    groups = []
    for t in old_ids:
        members = np.flatnonzero(labels == t)
        central = members[np.lexsort((np.array(ids, dtype=object)[members].astype(str),
                                      -sim_all[members, pos[t]]))]
        ph, fallback = phrases.get(t, ([], []))
        key_ph = _tidy_phrases(ph, fallback, stops)
        groups.append({"old": t, "members": members, "central": central,
                       "phrases": key_ph, "titles": [titles[m] for m in central[:5]],
                       "key": ids[central[0]]})
    spread = word_spread(corpus, [set(int(m) for m in g["members"]) for g in groups])
    topic_labels = _choose_labels(groups, C, embedder, case, corpus, spread) if groups else []

    # Renumber: by descending size, then label.
    rank = sorted(range(len(groups)), key=lambda g: (-len(groups[g]["members"]), topic_labels[g]))
    new_of_old = {groups[g]["old"]: k for k, g in enumerate(rank)}
    k = len(groups)
    new_labels = np.array([new_of_old.get(t, -1) for t in labels], dtype=int)
    Cn = C[[rank[i] for i in range(k)]] if k else C

    # Parents: agglomerative clustering of centroids into ~sqrt(k) themes.
    n_parents = max(1, int(round(math.sqrt(k)))) if k else 0
    if k >= 3 and n_parents > 1:
        from sklearn.cluster import AgglomerativeClustering

        # Ward on unit vectors (euclidean ~ cosine) gives balanced themes; average
        # linkage left one theme holding nearly every topic.
        pl = AgglomerativeClustering(n_clusters=n_parents, linkage="ward").fit_predict(Cn)
    else:
        pl = np.zeros(k, dtype=int)
    sizes = np.array([len(groups[rank[i]]["members"]) for i in range(k)])
    pgroups = []
    for p in sorted(set(pl.tolist())):
        kids = [i for i in range(k) if pl[i] == p]
        members = np.concatenate([groups[rank[i]]["members"] for i in kids])
        kid_phr = [ph for i in kids for ph in groups[rank[i]]["phrases"][:5]]
        pgroups.append({"old": p, "members": members, "kids": kids,
                        "phrases": kid_phr,
                        "titles": [t for i in kids for t in groups[rank[i]]["titles"][:2]],
                        "kid_members": [set(int(m) for m in groups[rank[i]]["members"]) for i in kids],
                        "forbid": [topic_labels[rank[i]] for i in kids],
                        "key": min(ids[m] for m in members)})
    Cp = _centroids(X, np.array([pl[new_labels[i]] if new_labels[i] >= 0 else -1 for i in range(n)]),
                    [g["old"] for g in pgroups]) if pgroups else np.zeros((0, X.shape[1]))
    parent_labels = _choose_labels(pgroups, Cp, embedder, case, corpus, spread) if pgroups else []
    prank = sorted(range(len(pgroups)), key=lambda g: (-len(pgroups[g]["members"]), parent_labels[g]))
    new_parent = {pgroups[g]["old"]: j for j, g in enumerate(prank)}
    parent_of_topic = [new_parent[int(pl[i])] for i in range(k)]
    parent_label_of = {new_parent[pgroups[g]["old"]]: parent_labels[g] for g in range(len(pgroups))}

    timings["labels"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    # 2-D map.
    xy = _map_2d(X, seed=seed, n_neighbors=settings["umap"]["n_neighbors"], knn=knn)
    timings["map"] = round(time.perf_counter() - t0, 2)

    # Frames in canonical order, then back to the input order.
    label_of = [topic_labels[rank[i]] for i in range(k)]
    canon = pd.DataFrame({
        "id": ids,
        "topic": new_labels,
        "topic_label": [label_of[t] if t >= 0 else "Unassigned" for t in new_labels],
        "confidence": confidence.round(6),
        "parent": [parent_of_topic[t] if t >= 0 else -1 for t in new_labels],
        "x": xy[:, 0].astype(float), "y": xy[:, 1].astype(float),
    })
    inverse = np.empty(n, dtype=int)
    inverse[np.asarray(order)] = np.arange(n)
    papers = canon.iloc[inverse].reset_index(drop=True)

    topics_rows = []
    for i in range(k):
        g = groups[rank[i]]
        topics_rows.append({
            "topic": i, "label": label_of[i], "size": int(sizes[i]), "share": float(sizes[i] / n),
            "key_phrases": list(g["phrases"]), "parent": parent_of_topic[i],
            "parent_label": parent_label_of[parent_of_topic[i]],
            "representative_ids": [ids[m] for m in g["central"][:3]],
            "mean_confidence": float(confidence[g["members"]].mean()),
        })
    topics = pd.DataFrame(topics_rows, columns=["topic", "label", "size", "share", "key_phrases", "parent",
                                                "parent_label", "representative_ids", "mean_confidence"])
    parents = pd.DataFrame([
        {"parent": j, "label": parent_label_of[j],
         "size": int(sum(sizes[i] for i in range(k) if parent_of_topic[i] == j)),
         "topics": [i for i in range(k) if parent_of_topic[i] == j]}
        for j in range(len(pgroups))], columns=["parent", "label", "size", "topics"])
    S = Cn @ Cn.T if k else np.zeros((0, 0))
    S = (S + S.T) / 2
    np.fill_diagonal(S, 1.0)
    similarity = pd.DataFrame(S.astype(float), index=pd.Index(range(k), name="topic"),
                              columns=pd.Index(range(k), name="topic"))

    un_rows = []
    split_left = set(params.pop("_split_left", []))
    for i in np.flatnonzero(new_labels == -1):
        if k:
            best_old = int(np.argmax(sim_all[i]))
            best_new = new_of_old[old_ids[best_old]]
            best_sim = float(sim_all[i, best_old])
            used = params.get("outlier_threshold_used", settings["outlier_threshold"])
            reason = (f"no topic close enough: nearest is {best_new} '{label_of[best_new]}' "
                      f"at cosine {best_sim:.2f}" + (f" < {used:.2f}" if used is not None else ""))
            if i in split_left:
                reason += f"; left over when a mixed topic was split"
        else:
            best_new, best_sim, reason = -1, float("nan"), "no topics found"
        un_rows.append({"id": ids[i], "title": titles[i], "reason": reason,
                        "nearest_topic": best_new, "nearest_similarity": best_sim})
    unassigned = pd.DataFrame(un_rows, columns=["id", "title", "reason", "nearest_topic", "nearest_similarity"])
    # Unassigned in input order too.
    if len(unassigned):
        pos_in = {pid: j for j, pid in enumerate(papers["id"])}
        unassigned = unassigned.assign(_o=unassigned["id"].map(pos_in)).sort_values("_o", kind="stable") \
            .drop(columns="_o").reset_index(drop=True)

    params.update({"k": k, "n_parents": len(pgroups),
                   "unassigned_share": float((new_labels == -1).mean()) if n else 0.0,
                   "umap_2d": {"n_neighbors": min(settings["umap"]["n_neighbors"], max(2, n - 1)),
                               "n_components": 2, "min_dist": 0.1, "metric": "cosine",
                               "n_epochs": _map_epochs(n), "random_state": seed}})
    return TopicResult(papers=papers, topics=topics, parents=parents, similarity=similarity,
                       unassigned=unassigned, params=params)


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

    k = min(n_neighbors, n - 1)
    extra = {}
    if knn is not None and knn[0].shape[1] == k:
        extra["precomputed_knn"] = (knn[0].copy(), knn[1].copy())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return UMAP(n_neighbors=k, n_components=2, min_dist=0.1, metric="cosine", n_epochs=_map_epochs(n),
                    random_state=seed, n_jobs=1, low_memory=False, **extra).fit_transform(X)


def _map_epochs(n: int) -> int | None:
    """Layout epochs of the 2-D map: UMAP's default (500) up to 2,000 papers, then 200.

    The map is a picture: 200 epochs (UMAP's own default above 10,000 points)
    settle it, at 40 % of the time; the clustering UMAP keeps its default.
    """
    return None if n <= 2000 else 200


__all__ = ["TopicResult", "compute_topics", "compute_topics_cached", "topics_cache_key", "knn_graph",
           "default_settings", "default_vectorizer", "stop_words",
           "tidy_label", "ACADEMIC_STOP_WORDS", "CONFIDENCE_TEMPERATURE"]
