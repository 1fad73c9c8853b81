""":func:`compute_topics`: the topic step read as its list of stages, and its stage-cache key."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ParameterError
from .._memory import release_freed_memory
from .._optional import import_optional
from .assemble import _assemble
from .fit import _fit
from .graph import KNN_DISTANCE_STEP, knn_graph
from .result import TopicResult
from .settings import CONFIDENCE_TEMPERATURE, GRANULARITY, default_settings


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
    from .._numba import cache_compiled, configure_cache

    configure_cache()  # before numba is imported by UMAP / pynndescent
    for package in ("bertopic", "umap", "hdbscan"):
        import_optional(package, "Finding topics", "model")
    cache_compiled(*_UMAP_JIT_MODULES)

    from ..embed import Embedder, paper_texts, text_hash

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
    X = emb[order]  # a copy in canonical order, normalised in place (one n x dim array, not two)
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    X /= np.where(norms > 0, norms, 1.0)
    del norms

    # One exact neighbour graph (rounded distances) for both UMAP runs.
    t0 = time.perf_counter()
    knn = knn_graph(X, min(settings["umap"]["n_neighbors"], n - 1)) if n >= 8 else None
    release_freed_memory()
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
    result = _assemble(labels, model, X, ids, titles, texts, order, n, seed=seed,
                       representation_model=representation_model, vectorizer_model=vectorizer_model,
                       embedder=embedder, params=params, settings=settings, n_topics=n_topics,
                       progress=progress, knn=knn)
    del X, knn, texts
    release_freed_memory()  # the step's peak would otherwise stay resident for the whole review
    return result


#: UMAP modules whose numba functions are compiled once and then loaded from disk.
_UMAP_JIT_MODULES = ("umap.umap_", "umap.layouts", "umap.spectral", "umap.utils", "umap.distances")


def _code_fingerprint() -> str:
    """SHA-256 of the topic package's source, so a changed algorithm never reuses a cached result."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        import hashlib
        from pathlib import Path

        digest = hashlib.sha256()
        try:
            for module in sorted(Path(__file__).parent.glob("*.py")):
                digest.update(module.name.encode() + b"\0" + module.read_bytes())
            _FINGERPRINT = digest.hexdigest()
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

    from ..stagecache import settings_of

    for name in ("umap_model", "cluster_model", "vectorizer_model"):
        model = settings.get(name)
        if model is not None and not callable(getattr(model, "get_params", None)):
            return None
    if settings.get("representation_model") is not None:
        return None
    embedder = settings.get("embedder")
    keyed = settings_of(compute_topics, df, embeddings, **settings,
                        exclude=("df", "embeddings", "embedder", "progress", "cache"))
    from ..embed import DEFAULT_MODEL

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
        from ..stagecache import StageCache

        cache = StageCache()
    return compute_topics(df, embeddings, cache=cache, **settings)
