""":func:`compute_topics`: the topic step read as its list of stages, the settings it records
(:func:`topic_settings`) and its stage-cache key."""

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
from .graph import KNN_DISTANCE_STEP, knn_graph, map_settings
from .result import TopicResult, recorded
from .settings import CONFIDENCE_TEMPERATURE, GRANULARITY, default_settings

#: Arguments of :func:`compute_topics` that are not settings: the data, and what changes how
#: the result is computed but not the result (the embedder counts by its model name).
NOT_SETTINGS = ("df", "embeddings", "embedder", "progress", "cache")


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
        Its ``params`` are :func:`topic_settings` of this call, then ``timings`` and what
        the steps found.
    """
    call = dict(locals())  # every argument of this call: the settings are read from it
    if granularity not in GRANULARITY:
        raise ParameterError(f"granularity must be one of {sorted(GRANULARITY)}, got {granularity!r}")
    emb = np.asarray(embeddings, dtype=np.float32)
    if emb.ndim != 2 or emb.shape[0] != len(df):
        raise ParameterError(f"embeddings must have one row per paper: {emb.shape} for {len(df)} papers")
    if n_topics is not None and (int(n_topics) < 1 or int(n_topics) > max(1, len(df))):
        raise ParameterError(f"n_topics must be between 1 and the number of papers ({len(df)}), got {n_topics}")
    if cache is not None and getattr(cache, "enabled", False):
        arguments = {k: v for k, v in call.items() if k not in ("df", "embeddings", "cache")}
        key = topics_cache_key(cache, df, emb, **arguments)
        if key is not None:
            return cache.get_or_compute("topics", key, lambda: compute_topics(df, emb, **arguments))
    from .._numba import cache_compiled, configure_cache

    configure_cache()  # before numba is imported by UMAP / pynndescent
    for package in ("bertopic", "umap", "hdbscan"):
        import_optional(package, "Finding topics", "model")
    cache_compiled(*_UMAP_JIT_MODULES)

    from ..embed import Embedder, paper_texts, text_hash

    n = len(df)
    settings = _model_settings(n, granularity=granularity, min_topic_size=min_topic_size, seed=seed,
                               outlier_threshold=outlier_threshold, merge_threshold=merge_threshold)
    embedder = embedder or Embedder(progress=progress)
    recorded_settings = topic_settings(**{**call, "embedder": embedder})

    if n == 0:
        return _empty_result({**recorded_settings, "k": 0, "n_parents": 0, "unassigned_share": 0.0})

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
    timings = {"knn": round(time.perf_counter() - t0, 2)}
    refinement = None
    if n < 3 or (n_topics is None and n < 2 * settings["hdbscan"]["min_cluster_size"]):
        labels = np.zeros(n, dtype=int)  # too few papers to split: one topic
        found: dict[str, Any] = {"note": "too few papers to split into topics; all in one topic"}
        fitted = False
    else:
        t0 = time.perf_counter()
        labels, fit = _fit(texts, X, settings, seed=seed, n_topics=n_topics, umap_model=umap_model,
                           cluster_model=cluster_model, vectorizer_model=vectorizer_model,
                           embedder=embedder, progress=progress, knn=knn)
        timings.update(fit.timings)
        timings["fit"] = round(time.perf_counter() - t0, 2)
        found, fitted, refinement = fit.found(), True, fit.refinement
    used = getattr(refinement, "outlier_threshold_used", None)
    result, assembly = _assemble(
        labels, fitted, X, ids, titles, texts, order, n, seed=seed,
        representation_model=representation_model, vectorizer_model=vectorizer_model,
        embedder=embedder, settings=settings, n_topics=n_topics, progress=progress, knn=knn,
        outlier_threshold_used=used if used is not None else settings["outlier_threshold"],
        split_left=refinement.split_left if refinement is not None else ())
    del X, knn, texts
    timings.update(assembly.timings)
    # The one place the record is put together: settings, timings, then what each step found.
    result.params = {**recorded_settings, "timings": timings, **found, **recorded(assembly)}
    release_freed_memory()  # the step's peak would otherwise stay resident for the whole review
    return result


def _model_settings(n: int, *, granularity: str, min_topic_size: int | None, seed: int,
                    outlier_threshold: float | None, merge_threshold: float | None) -> dict[str, Any]:
    """:func:`default_settings` for ``n`` papers with the thresholds a call gives."""
    settings = default_settings(n, granularity=granularity, min_topic_size=min_topic_size, seed=seed)
    if outlier_threshold is not None:
        settings["outlier_threshold"] = float(outlier_threshold)
    if merge_threshold is not None:
        settings["merge_threshold"] = float(merge_threshold)
    return settings


def topic_settings(df: pd.DataFrame, embeddings: Any = None, **arguments: Any) -> dict[str, Any]:
    """The settings :func:`compute_topics` runs with for these arguments, as its result records them.

    Every argument of :func:`compute_topics` but :data:`NOT_SETTINGS`, read from
    its signature (:func:`litscope.stagecache.settings_of`: a missing argument
    takes its default, a model counts by :func:`~litscope.stagecache.stable_repr`),
    where ``min_topic_size``, ``outlier_threshold`` and ``merge_threshold`` hold the
    values used (derived from the corpus size when not given; no merge threshold
    with ``n_topics``); then the derived settings: ``n_papers``, ``clustering``,
    ``umap`` and ``hdbscan`` (the steps' settings, ``None`` when a model argument
    or ``n_topics`` replaces the step), ``umap_2d`` (the map),
    ``confidence_temperature``, ``knn_distance_step`` and ``embedding_model``.

    Parameters
    ----------
    df : pandas.DataFrame
        The records (only their number is read).
    embeddings : numpy.ndarray, optional
        Not read (accepted so the arguments of a call can be passed as they are).
    **arguments
        Keyword arguments of :func:`compute_topics`.

    Returns
    -------
    dict

    Examples
    --------
    >>> s = topic_settings(pd.DataFrame({"id": range(91)}), seed=7, granularity="finer")
    >>> s["seed"], s["granularity"], s["min_topic_size"], s["merge_threshold"], s["clustering"]
    (7, 'finer', 3, 0.95, 'hdbscan')
    >>> s["umap_model"], s["umap"]["n_neighbors"], s["embedding_model"]
    (None, 10, 'all-MiniLM-L6-v2')
    """
    from ..stagecache import settings_of

    given = settings_of(compute_topics, df, embeddings, **arguments, exclude=NOT_SETTINGS)
    n = len(df)
    model = _model_settings(n, granularity=given["granularity"], min_topic_size=given["min_topic_size"],
                            seed=given["seed"], outlier_threshold=given["outlier_threshold"],
                            merge_threshold=given["merge_threshold"])
    kmeans = given["n_topics"] is not None
    embedder = arguments.get("embedder")
    if embedder is None:
        from ..embed import DEFAULT_MODEL

        embedding_model = DEFAULT_MODEL
    else:
        embedding_model = getattr(embedder, "model_name", repr(embedder))
    derived = {
        "min_topic_size": model["hdbscan"]["min_cluster_size"],
        "outlier_threshold": model["outlier_threshold"],
        "merge_threshold": None if kmeans else model["merge_threshold"],
        "n_papers": n,
        "clustering": "kmeans" if kmeans else "hdbscan",
        "umap": model["umap"] if given["umap_model"] is None else None,
        "hdbscan": model["hdbscan"] if (given["cluster_model"] is None and not kmeans) else None,
        "umap_2d": map_settings(n, n_neighbors=model["umap"]["n_neighbors"], seed=given["seed"]),
        "confidence_temperature": CONFIDENCE_TEMPERATURE,
        "knn_distance_step": KNN_DISTANCE_STEP,
        "embedding_model": embedding_model,
    }
    return {**given, **derived}  # a derived value replaces its argument in place


#: UMAP modules whose numba functions are compiled once and then loaded from disk.
_UMAP_JIT_MODULES = ("umap.umap_", "umap.layouts", "umap.spectral", "umap.utils", "umap.distances")


def code_fingerprint() -> str:
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
    keyed = settings_of(compute_topics, df, embeddings, **settings, exclude=NOT_SETTINGS)
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
                     code_fingerprint(), versions, len(df))


def compute_topics_cached(df: pd.DataFrame, embeddings: np.ndarray, *, cache: Any = None,
                          **settings: Any) -> TopicResult:
    """:func:`compute_topics` through the stage cache (the default :class:`~litscope.stagecache.StageCache`
    when ``cache`` is None; ``StageCache(root=False)`` to compute without it)."""
    if cache is None:
        from ..stagecache import StageCache

        cache = StageCache()
    return compute_topics(df, embeddings, cache=cache, **settings)
