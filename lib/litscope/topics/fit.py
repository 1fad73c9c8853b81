"""The model fit: the phrase analyzer and vectorizer, UMAP + clustering on the shared graph, key phrases."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any, Iterable

import numpy as np

from .._memory import release_freed_memory
from .refine import Refinement, _centroids, compute_refinement
from .result import recorded
from .vocabulary import stop_words


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


@dataclass
class FitFindings:
    """What the model fit found (recorded in :attr:`TopicResult.params` by :meth:`found`).

    Attributes
    ----------
    n_clusters_found : int
        Clusters before merging and refinement.
    noise_share_before_reduction : float
        Share of papers the clustering left as noise.
    merged_topics : list of list of int or None
        Groups of near-duplicate topics merged (``None``: no merge step, with ``n_topics``
        or a single cluster).
    refinement : Refinement or None
        Splits and outlier placement (``None`` with ``n_topics``).
    timings : dict
        Seconds of the ``umap`` and ``cluster`` steps.
    """

    n_clusters_found: int
    noise_share_before_reduction: float
    merged_topics: list[list[int]] | None = None
    refinement: Refinement | None = field(default=None, metadata={"recorded": False})
    timings: dict[str, float] = field(default_factory=dict, metadata={"recorded": False})

    def found(self) -> dict[str, Any]:
        """The found values, then the refinement's, in the order the steps ran."""
        return {**recorded(self), **(recorded(self.refinement) if self.refinement is not None else {})}


def _fit(texts, X, settings, *, seed, n_topics, umap_model, cluster_model, vectorizer_model,
         embedder, progress, knn=None) -> tuple[np.ndarray, FitFindings]:
    """UMAP + clustering + merge + outlier reduction; returns the labels and what the fit found.

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

            # core distances in this process: hdbscan's default (4 jobs) forks worker processes
            # above 16,384 papers, each holding a quarter of an n x min_samples neighbour table
            cluster_model = HDBSCAN(**settings["hdbscan"], prediction_data=False, core_dist_n_jobs=1)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reduced = np.nan_to_num(umap_model.fit_transform(X))
        timings["umap"] = round(time.perf_counter() - t0, 2)
        del umap_model  # its fuzzy graph is not needed any more
        release_freed_memory()
        t0 = time.perf_counter()
        cluster_model.fit(reduced)
    found = getattr(cluster_model, "labels_", None)
    labels = _by_frequency(np.asarray(found if found is not None else cluster_model.predict(reduced), dtype=int))
    timings["cluster"] = round(time.perf_counter() - t0, 2)
    del cluster_model, found, reduced
    release_freed_memory()  # each step's peak would otherwise stay under the next one
    findings = FitFindings(n_clusters_found=int(len(set(labels.tolist()) - {-1})),
                           noise_share_before_reduction=float((labels == -1).mean()), timings=timings)
    if n_topics is not None:
        return labels, findings

    # Merge near-duplicate topics (union of pairs above the threshold).
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
        findings.merged_topics = [list(map(int, g)) for g in to_merge]
        if to_merge:
            into = {t: min(g) for g in to_merge for t in g}
            labels = _by_frequency(np.array([into.get(t, t) for t in labels.tolist()], dtype=int))
    # Mixed topics are split, then outliers join a topic only when close enough to its centroid.
    findings.refinement = compute_refinement(
        X, labels, min_size=settings["hdbscan"]["min_cluster_size"], threshold=settings["outlier_threshold"],
        floor=settings["outlier_floor"], max_unassigned=settings["max_unassigned"])
    return findings.refinement.labels, findings


def _key_phrases(texts, labels, *, seed, representation_model, vectorizer_model, n, progress, embedder):
    """Key phrases per (pre-renumbering) topic id from c-TF-IDF refined by KeyBERT + MMR."""
    import warnings

    from bertopic import BERTopic
    from bertopic.representation import KeyBERTInspired, MaximalMarginalRelevance
    from bertopic.vectorizers import ClassTfidfTransformer

    from .counting import is_countable

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
    vectorizer_model = vectorizer_model or default_vectorizer(n)
    ctfidf_model = ClassTfidfTransformer(reduce_frequent_words=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if is_countable(vectorizer_model):
            _update_topics_counted(model, texts, labels, vectorizer_model=vectorizer_model,
                                   ctfidf_model=ctfidf_model, representation_model=representation_model)
        else:
            model.update_topics(texts, topics=labels.tolist(), top_n_words=20,
                                vectorizer_model=vectorizer_model, ctfidf_model=ctfidf_model,
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


def _update_topics_counted(model, texts, labels, *, vectorizer_model, ctfidf_model, representation_model) -> None:
    """BERTopic's ``update_topics(texts, topics=labels, top_n_words=20, ...)`` on papers counted one by one.

    The same steps and results as BERTopic 0.17's ``update_topics`` (the topics are
    unchanged, so no topic vectors are recomputed), except that the topic-term
    counts come from :func:`~litscope.topics.counting.fit_topic_terms` instead of
    the joined text of each topic (checked by tests/test_topics_counting.py).
    """
    import pandas as pd

    from .counting import fit_topic_terms

    topics = labels.tolist()
    model.top_n_words = 20
    model.vectorizer_model = vectorizer_model
    model.ctfidf_model = ctfidf_model
    model.representation_model = representation_model
    documents = pd.DataFrame({"Document": texts, "Topic": topics, "ID": range(len(texts)), "Image": None})
    model._update_topic_size(documents)
    counts = fit_topic_terms(vectorizer_model, texts, labels, model.language)
    words = vectorizer_model.get_feature_names_out()
    model.ctfidf_model = ctfidf_model.fit(counts)  # no seed words: BERTopic's multiplier is None
    model.c_tf_idf_ = model.ctfidf_model.transform(counts)
    del counts
    model.topic_representations_ = model._extract_words_per_topic(words, documents)
