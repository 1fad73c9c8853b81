"""Tests of litscope.topics: label helpers (fast) and the pipeline on the sample corpus (slow)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

import litscope
from litscope import paths
from litscope.errors import ParameterError
from litscope.topics import PhraseAnalyzer, default_settings, stop_words, tidy_label
from litscope.topics.labels import _title_spans
from litscope.topics.vocabulary import _edge_words

# ------------------------------------------------------------------ fast: helpers


def test_tidy_label_cleans_ends_case_and_repeats():
    assert tidy_label(["of", "the", "Vocabulary", "Expansion", "for", "Transfer", "using"]) == \
        "Vocabulary expansion for transfer"
    assert tidy_label(["agents", "LLM", "Agents"]) == "Agents LLM"
    assert tidy_label(["the", "of"]) == ""


def test_tidy_label_uses_spelling_from_text():
    assert tidy_label(["english", "Tokenizers"], {"english": "English"}) == "English tokenizers"


def test_phrase_analyzer_never_spans_stop_words_or_punctuation():
    grams = PhraseAnalyzer((1, 2))("Summary of the summarization. Cross-lingual transfer, using adapters")
    assert "summary summarization" not in grams
    assert "summarization cross-lingual" not in grams
    assert "cross-lingual transfer" in grams
    assert not any(w in stop_words() for g in grams for w in g.split())
    assert "type diabetes" not in PhraseAnalyzer((1, 2))("Type 2 diabetes")  # numbers break phrases too


def test_title_spans_have_no_edge_stop_words():
    edges = _edge_words()
    spans = _title_spans("Vocabulary Expansion for Low-resource Cross-lingual Transfer: a study", edges)
    words = [w for w, _ in spans]
    assert ("Vocabulary", "Expansion") in words
    for span in words:
        assert 2 <= len(span) <= 6
        assert span[0].lower() not in edges and span[-1].lower() not in edges
    assert not any("study" in [w.lower() for w in s] for s in words)  # after the colon, filler


def test_default_settings_scale_with_corpus():
    small, large = default_settings(60), default_settings(10000)
    assert 10 <= small["umap"]["n_neighbors"] <= large["umap"]["n_neighbors"] <= 50
    assert small["hdbscan"]["min_cluster_size"] >= 5
    assert large["hdbscan"]["min_cluster_size"] > small["hdbscan"]["min_cluster_size"]
    assert default_settings(3000, granularity="coarser")["hdbscan"]["min_cluster_size"] > \
        default_settings(3000)["hdbscan"]["min_cluster_size"] > \
        default_settings(3000, granularity="finer")["hdbscan"]["min_cluster_size"]
    assert default_settings(500, min_topic_size=12)["hdbscan"]["min_cluster_size"] == 12


def test_bad_parameters():
    with pytest.raises(ParameterError):
        default_settings(100, granularity="medium")
    with pytest.raises(ParameterError):
        default_settings(100, min_topic_size=1)


def test_compute_topics_checks_shapes():
    from litscope.topics import compute_topics

    df = pd.DataFrame({"id": ["a", "b"], "title": ["x", "y"], "abstract": ["", ""]})
    with pytest.raises(ParameterError):
        compute_topics(df, np.zeros((3, 4)))
    with pytest.raises(ParameterError):
        compute_topics(df, np.zeros((2, 4)), granularity="huge")


def test_topic_settings_record_every_argument_of_the_signature():
    """Issue 9: the recorded settings are compute_topics' arguments (settings_of), then derived ones."""
    import inspect

    from sklearn.cluster import KMeans

    from litscope.stagecache import settings_of, stable_repr
    from litscope.topics import NOT_SETTINGS, compute_topics, topic_settings

    df = pd.DataFrame({"id": [str(i) for i in range(120)]})
    default = topic_settings(df)
    arguments = [p for p in inspect.signature(compute_topics).parameters if p not in NOT_SETTINGS]
    assert list(default)[:len(arguments)] == arguments  # every argument first, in signature order
    assert default["seed"] == 42 and default["umap_model"] is None and default["n_papers"] == 120
    assert default["min_topic_size"] == 5 and default["merge_threshold"] == 0.9  # resolved in place
    model = KMeans(n_clusters=3, random_state=0)
    given = dict(seed=7, n_topics=3, cluster_model=model, outlier_threshold=0.5, progress=False)
    chosen = topic_settings(df, None, **given)
    read = settings_of(compute_topics, df, None, **given, exclude=NOT_SETTINGS)
    resolved = {"min_topic_size", "outlier_threshold", "merge_threshold"}
    assert {k: chosen[k] for k in read if k not in resolved} == {k: v for k, v in read.items() if k not in resolved}
    assert chosen["seed"] == 7 and chosen["n_topics"] == 3 and chosen["outlier_threshold"] == 0.5
    assert chosen["cluster_model"] == stable_repr(model) and chosen["clustering"] == "kmeans"
    assert chosen["hdbscan"] is None and chosen["merge_threshold"] is None  # replaced by k-means
    assert chosen["umap_2d"]["random_state"] == 7 and chosen["umap"]["random_state"] == 7
    assert {k for k in default if default[k] != chosen[k]} == {
        "seed", "n_topics", "cluster_model", "outlier_threshold", "merge_threshold", "clustering",
        "umap", "hdbscan", "umap_2d"}
    assert "progress" not in chosen and "embedder" not in chosen and "cache" not in chosen


def test_import_topics_does_not_load_torch():
    code = "import sys, litscope.topics; print('torch' in sys.modules, 'bertopic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# ------------------------------------------------------------------ slow: sample corpus


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    from litscope.embed import Embedder, embed_papers

    df = litscope.load(str(paths.sample_corpus())).papers
    cache = tmp_path_factory.mktemp("embeddings")  # never the user's cache
    embedder = Embedder(cache_dir=cache, progress=False)
    X = embed_papers(df, embedder=embedder)
    return df, X, embedder, cache


@pytest.fixture(scope="module")
def result(sample):
    from litscope.topics import compute_topics

    df, X, embedder, _ = sample
    return compute_topics(df, X, seed=42, embedder=embedder, progress=False)


def _signature(res) -> dict:
    return {"assign": dict(zip(res.papers["id"], res.papers["topic"].astype(int))),
            "labels": res.topics["label"].tolist(),
            "parents": res.parents["label"].tolist()}


@pytest.mark.slow
def test_sample_topic_count_and_coverage(result, sample):
    df = sample[0]
    assert 6 <= result.n_topics <= 20
    papers = result.papers
    assert papers["id"].tolist() == df["id"].tolist()  # input order kept
    assert papers["topic"].between(-1, result.n_topics - 1).all()
    assert result.topics["topic"].tolist() == list(range(result.n_topics))
    sizes = papers[papers["topic"] >= 0]["topic"].value_counts().sort_index()
    assert sizes.tolist() == result.topics["size"].tolist()
    assert result.topics["size"].sum() + (papers["topic"] == -1).sum() == len(df)
    assert result.topics["size"].is_monotonic_decreasing
    assert set(result.unassigned["id"]) == set(papers.loc[papers["topic"] == -1, "id"])
    assert result.unassigned["reason"].str.len().gt(0).all()
    assert papers["confidence"].between(0, 1).all()
    assert (papers.loc[papers["topic"] == -1, "confidence"] == 0).all()
    assert np.isfinite(papers[["x", "y"]].to_numpy()).all()


@pytest.mark.slow
def test_sample_labels_are_readable(result):
    stops = stop_words()
    labels = result.topics["label"].tolist() + result.parents["label"].tolist()
    assert len(set(l.lower() for l in result.topics["label"])) == result.n_topics
    assert len(set(l.lower() for l in result.parents["label"])) == len(result.parents)
    for label in labels:
        words = label.split()
        assert 2 <= len(words) <= 6, label
        assert label[0].isupper(), label
        assert words[0].lower() not in stops and words[-1].lower() not in stops, label
        assert len(set(w.lower() for w in words)) == len(words), label
        assert "_" not in label, label
    for phrases in result.topics["key_phrases"]:
        assert 5 <= len(phrases) <= 10
        assert not any(w.lower() in stops for p in phrases for w in p.split())


@pytest.mark.slow
def test_sample_topics_frames(result):
    t = result.topics
    assert t["share"].sum() == pytest.approx(1 - result.unassigned_share)
    assert all(len(r) == 3 for r in t["representative_ids"])
    for _, row in t.iterrows():  # representatives belong to their topic
        members = set(result.papers.loc[result.papers["topic"] == row["topic"], "id"])
        assert set(row["representative_ids"]) <= members
    parents = result.parents
    assert sorted(i for kids in parents["topics"] for i in kids) == list(range(result.n_topics))
    assert parents["size"].sum() == t["size"].sum()
    assert (t["parent_label"] == t["parent"].map(dict(zip(parents["parent"], parents["label"])))).all()
    S = result.similarity.to_numpy()
    assert S.shape == (result.n_topics, result.n_topics)
    np.testing.assert_allclose(S, S.T)
    np.testing.assert_allclose(np.diag(S), 1.0)
    assert result.params["seed"] == 42 and "umap" in result.params


def _recorded_findings() -> set[str]:
    """The names of every value a step of the topic model returns for the record."""
    from dataclasses import fields

    from litscope.topics.assemble import Assembly
    from litscope.topics.fit import FitFindings
    from litscope.topics.refine import Refinement

    return {f.name for cls in (FitFindings, Refinement, Assembly) for f in fields(cls)
            if f.metadata.get("recorded", True)}


@pytest.mark.slow
def test_sample_params_are_the_settings_then_what_the_steps_found(result, sample):
    """Issue 9: params hold the call's settings, the timings and the steps' returned findings, nothing else."""
    from litscope.topics import topic_settings

    df, X, embedder, _ = sample
    settings = topic_settings(df, X, seed=42, embedder=embedder, progress=False)
    assert list(result.params)[:len(settings)] == list(settings)
    assert {k: result.params[k] for k in settings} == settings
    assert set(result.params) - set(settings) == _recorded_findings() | {"timings"}  # no key added on the way
    assert list(result.params["timings"]) == ["knn", "umap", "cluster", "fit", "key_phrases", "labels", "map"]
    assert result.params["k"] == result.n_topics and result.params["n_parents"] == len(result.parents)
    assert result.params["unassigned_share"] == result.unassigned_share
    assert result.params["embedding_model"] == embedder.model_name


@pytest.mark.slow
def test_same_result_whatever_the_row_order(result, sample):
    from litscope.topics import compute_topics

    df, X, embedder, _ = sample
    perm = np.random.default_rng(0).permutation(len(df))
    shuffled = compute_topics(df.iloc[perm].reset_index(drop=True), X[perm], seed=42,
                              embedder=embedder, progress=False)
    assert _signature(shuffled) == _signature(result)
    assert shuffled.papers["id"].tolist() == df["id"].iloc[perm].tolist()


@pytest.mark.slow
def test_same_result_in_a_new_process(result, sample, tmp_path):
    _, _, _, cache = sample
    script = textwrap.dedent(f"""
        import json, litscope
        from litscope import paths
        from litscope.embed import Embedder, embed_papers
        from litscope.topics import compute_topics
        df = litscope.load(str(paths.sample_corpus())).papers
        e = Embedder(cache_dir={str(cache)!r}, progress=False)
        r = compute_topics(df, embed_papers(df, embedder=e), seed=42, embedder=e, progress=False)
        print(json.dumps({{"assign": {{k: int(v) for k, v in zip(r.papers["id"], r.papers["topic"])}},
                          "labels": r.topics["label"].tolist(), "parents": r.parents["label"].tolist()}}))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == _signature(result)


@pytest.mark.slow
def test_n_topics_is_honoured(sample):
    from litscope.topics import compute_topics, topic_settings

    df, X, embedder, _ = sample
    res = compute_topics(df, X, n_topics=4, embedder=embedder, progress=False)
    assert res.n_topics == 4 and res.params["clustering"] == "kmeans"
    assert (res.papers["topic"] >= 0).all()
    settings = topic_settings(df, X, n_topics=4, embedder=embedder)
    assert {k: res.params[k] for k in settings} == settings and settings["n_topics"] == 4
    assert set(res.params) - set(settings) == {"timings", "n_clusters_found", "noise_share_before_reduction",
                                               "k", "n_parents", "unassigned_share"}  # no merge, no refinement


@pytest.mark.slow
def test_granularity_direction(result, sample):
    from litscope.topics import compute_topics

    df, X, embedder, _ = sample
    coarser = compute_topics(df, X, granularity="coarser", embedder=embedder, progress=False)
    finer = compute_topics(df, X, granularity="finer", embedder=embedder, progress=False)
    assert coarser.n_topics < result.n_topics < finer.n_topics


# ------------------------------------------------------------------ fast: mixed topics, outliers, labels


def _unit(rows):
    rows = np.asarray(rows, dtype=float)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _blob(rng, centre, n, spread=0.15):
    return centre + spread * rng.standard_normal((n, len(centre)))


def test_unrelated_papers_stay_unassigned_and_close_ones_join():
    from litscope.topics import compute_refinement, refine_assignments

    rng = np.random.default_rng(0)
    dim = 32
    a, b = np.eye(dim)[0], np.eye(dim)[1]
    unrelated = [np.eye(dim)[5 + i] for i in range(3)]  # orthogonal to both groups
    X = _unit(np.vstack([_blob(rng, a, 20), _blob(rng, b, 20), _blob(rng, a, 2), unrelated]))
    labels = np.array([0] * 20 + [1] * 20 + [-1] * 5)
    refined = compute_refinement(X, labels, min_size=5)
    out = refined.labels
    assert out[40:42].tolist() == [0, 0]  # noise papers as close as members join their group
    assert out[42:].tolist() == [-1, -1, -1]  # unrelated ones are not dumped into a topic
    assert out[:40].tolist() == labels[:40].tolist()
    assert refined.outlier_threshold_used >= 0.35 and refined.split_topics == []
    assert refined.joined_below_threshold == 0 and refined.split_left == []
    assert refine_assignments(X, labels, min_size=5).tolist() == out.tolist()
    assert labels[40:].tolist() == [-1] * 5  # input not changed


def test_unassigned_share_is_capped():
    from litscope.topics import refine_assignments

    rng = np.random.default_rng(1)
    dim = 16
    X = _unit(np.vstack([_blob(rng, np.eye(dim)[0], 10), _blob(rng, np.eye(dim)[1], 10),
                         np.eye(dim)[2:12] + 0.3 * np.eye(dim)[0]]))
    labels = np.array([0] * 10 + [1] * 10 + [-1] * 10)
    out = refine_assignments(X, labels, min_size=5, max_unassigned=0.1)
    assert (out == -1).sum() == 3  # floor(0.1 * 30)


def test_a_mixed_topic_is_split():
    from litscope.topics import compute_refinement, topic_coherence

    rng = np.random.default_rng(2)
    dim = 32
    e = np.eye(dim)
    coherent = [_blob(rng, e[i], 8, 0.1) for i in range(4)]  # four tight topics
    mixed = [_blob(rng, e[10], 8, 0.1), _blob(rng, e[11], 8, 0.1), e[20:22]]  # two groups + 2 strays
    X = _unit(np.vstack(coherent + mixed))
    labels = np.repeat([0, 1, 2, 3], 8).tolist() + [4] * 18
    labels = np.array(labels)
    refined = compute_refinement(X, labels, min_size=5, threshold=0.6)
    out = refined.labels
    assert len(refined.split_topics) == 1 and refined.split_topics[0]["topic"] == 4
    assert refined.split_topics[0]["left_out"] == 2 and sorted(refined.split_left) == [48, 49]
    first, second = set(out[32:40].tolist()), set(out[40:48].tolist())
    assert len(first) == 1 and len(second) == 1 and first != second and -1 not in first | second
    assert out[48:].tolist() == [-1, -1]  # the strays do not belong to either part
    assert out[:32].tolist() == labels[:32].tolist()
    coh = topic_coherence(X, out)
    assert min(coh.values()) > 0.8  # every topic now as coherent as the tight ones


def test_word_spread_and_vagueness_prefer_specific_words():
    from litscope.topics.labels import _Corpus, _vagueness, word_spread

    texts = ["language models for vocabulary expansion", "language models vocabulary expansion",
             "language models for math", "language models math word problems",
             "language models agents", "language models agent simulation"]
    spread = word_spread(_Corpus(texts), [{0, 1}, {2, 3}, {4, 5}])
    assert spread["language"] == spread["models"] == 1.0
    assert spread["vocabulary"] == pytest.approx(1 / 3)
    edges = _edge_words()
    assert _vagueness("language models", spread, edges) > _vagueness("vocabulary expansion", spread, edges)
    assert _vagueness("research ideas", spread, edges) == 1.0  # vague words, whatever the corpus


class _HashEmbedder:
    """Deterministic stand-in for the embedding model: a random unit vector per text."""

    def encode(self, texts):
        import zlib

        out = [np.random.default_rng(zlib.crc32(t.lower().encode())).standard_normal(16) for t in texts]
        return _unit(out)


def test_parent_label_never_repeats_a_child_label():
    from litscope.topics.label_choice import _choose_labels
    from litscope.topics.labels import _Corpus

    texts = ["agent behavior of LLM agents", "agent behavior in simulations", "LLM agents cooperate",
             "agent behavior and LLM agents", "social simulation with LLM agents"]
    corpus = _Corpus(texts)
    members = np.arange(5)
    group = {"members": members, "phrases": ["agent behavior", "LLM agents", "social simulation"],
             "titles": texts[:2], "key": "p0", "kid_members": [set(range(5))],
             "forbid": ["Agent behavior"]}
    labels = _choose_labels([group], _HashEmbedder().encode(["x"]), _HashEmbedder(), {}, corpus)
    assert labels[0].lower() != "agent behavior"
    assert 2 <= len(labels[0].split()) <= 6


@pytest.mark.slow
def test_sample_topics_are_coherent_and_outliers_reported(result, sample):
    from litscope.topics import topic_coherence

    df, X, _, _ = sample
    assert 0 < result.unassigned_share <= 0.15
    assert result.params["outlier_threshold_used"] >= 0.35
    Xn = X / np.linalg.norm(X, axis=1, keepdims=True)
    coh = topic_coherence(Xn, result.papers["topic"].to_numpy())
    typical = float(np.median(list(coh.values())))
    assert min(coh.values()) >= typical - 0.1, coh  # no mixed bag left
    assert result.unassigned["reason"].str.contains("no topic close enough").all()


@pytest.mark.slow
def test_sample_parent_labels_are_broader_than_children(result):
    for _, parent in result.parents.iterrows():
        kids = result.topics[result.topics["topic"].isin(parent["topics"])]
        kid_words = {frozenset(l.lower().split()) for l in kids["label"]}
        assert frozenset(parent["label"].lower().split()) not in kid_words, parent["label"]


# ------------------------------------------------------------------ neighbour graph, noise, stage cache


def test_knn_graph_is_exact_with_self_first_and_rounded_distances():
    from litscope.topics import knn_graph

    rng = np.random.default_rng(3)
    X = _unit(rng.standard_normal((300, 12)))
    X[7] = X[3]  # an exact duplicate: each is still first in its own list
    idx, dist = knn_graph(X, 10, block=64)
    assert idx.shape == dist.shape == (300, 10)
    assert (idx[:, 0] == np.arange(300)).all() and (dist[:, 0] == 0).all()
    assert idx[3, 1] == 7 and idx[7, 1] == 3
    D = 1 - X @ X.T
    for i in (0, 3, 150, 299):
        true = np.sort(D[i])[:10]
        np.testing.assert_allclose(dist[i, 1:], np.round(true[1:] / 0.01) * 0.01, atol=0.0101)
        assert (np.diff(dist[i]) >= 0).all()
    assert np.allclose(dist * 100, np.round(dist * 100), atol=1e-3)  # on the 0.01 grid
    # float noise far below the step leaves the graph unchanged
    idx2, dist2 = knn_graph(X + rng.normal(0, 1e-7, X.shape), 10)
    assert (idx2 == idx).mean() > 0.99


@pytest.mark.slow
def test_embedding_noise_does_not_change_topics(result, sample):
    """Vectors recomputed in another batch differ by ~1e-7; the topics must not.

    The shared kNN graph rounds distances to 0.01, so noise changes the graph only
    when a distance sits within the noise of a rounding boundary: rare at 1e-7 on
    91 papers, not impossible (at 1e-6, one seed out of four changed a distance).
    """
    from litscope.topics import compute_topics

    df, X, embedder, _ = sample
    noisy = X + np.random.default_rng(5).normal(0, 1e-7, X.shape).astype(np.float32)
    again = compute_topics(df, noisy, seed=42, embedder=embedder, progress=False)
    assert _signature(again) == _signature(result)
    assert again.topics["key_phrases"].tolist() == result.topics["key_phrases"].tolist()


@pytest.mark.slow
def test_topics_after_a_bigger_review_cached_the_vectors(result, sample, fixtures, tmp_path):
    """Issue 8 (6): the same corpus, its vectors cached earlier by a bigger review, same topics.

    Embedding the sample inside a bigger corpus batches its texts with others, so the cached
    vectors differ from a fresh run's by float noise (~1e-7); the topics must not change.
    """
    from litscope.embed import Embedder, embed_papers
    from litscope.topics import compute_topics

    df, X_fresh, _, _ = sample
    extra = litscope.load(str(fixtures / "arxiv_atom" / "q_testing_s0_m100_cfe7536492ca.atom.xml")).papers
    bigger = pd.concat([extra, df], ignore_index=True)
    embedder = Embedder(cache_dir=tmp_path / "cache", progress=False)
    embed_papers(bigger, embedder=embedder)  # the bigger review fills the cache
    before = embedder.texts_embedded
    X_cached = embed_papers(df, embedder=embedder)
    assert embedder.texts_embedded == before  # every vector of the sample came from the cache
    again = compute_topics(df, X_cached, seed=42, embedder=embedder, progress=False)
    assert _signature(again) == _signature(result), float(np.abs(X_cached - X_fresh).max())


@pytest.mark.slow
def test_topic_result_is_picklable_and_cached(result, sample, tmp_path):
    import pickle

    from litscope.stagecache import StageCache
    from litscope.topics import compute_topics, compute_topics_cached, topics_cache_key

    back = pickle.loads(pickle.dumps(result, protocol=5))
    pd.testing.assert_frame_equal(back.papers, result.papers)
    df, X, embedder, _ = sample
    cache = StageCache(tmp_path)
    first = compute_topics(df, X, seed=42, embedder=embedder, progress=False, cache=cache)
    second = compute_topics_cached(df, X, seed=42, embedder=embedder, progress=False, cache=cache)
    assert cache.misses["topics"] == 1 and cache.hits["topics"] == 1
    assert _signature(first) == _signature(second) == _signature(result)
    pd.testing.assert_frame_equal(first.papers, second.papers)
    key = topics_cache_key(cache, df, X, seed=42, embedder=embedder)
    assert key == topics_cache_key(cache, df.copy(), X.copy(), seed=42, embedder=embedder)
    changed = [topics_cache_key(cache, df, X, seed=7, embedder=embedder),
               topics_cache_key(cache, df, X, seed=42, granularity="finer", embedder=embedder),
               topics_cache_key(cache, df, X, seed=42, outlier_threshold=0.5, embedder=embedder),
               topics_cache_key(cache, df.assign(title=df["title"].str.upper()), X, seed=42, embedder=embedder),
               topics_cache_key(cache, df, X[::-1].copy(), seed=42, embedder=embedder)]
    assert key not in changed and len(set(changed)) == len(changed)
    assert topics_cache_key(cache, df, X, representation_model=object()) is None  # not keyable


def test_mixed_topic_split_is_bounded_at_scale():
    """Issue 7: a 30,000-paper mixed topic splits on a sample (full Ward would need ~3.6 GB)."""
    import tracemalloc

    from litscope.topics.refine import SPLIT_SAMPLE, _split_topic

    rng = np.random.default_rng(1)
    m = 30_000
    assert m > SPLIT_SAMPLE
    X = np.concatenate([rng.normal(size=(m // 2, 16)) + 3, rng.normal(size=(m // 2, 16)) - 3])
    X = (X / np.linalg.norm(X, axis=1, keepdims=True)).astype(np.float32)
    tracemalloc.start()
    try:
        parts = _split_topic(X, 10)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 300e6
    assert sorted(np.bincount(parts)) == [m // 2, m // 2]
    assert len(set(parts[: m // 2])) == 1 and len(set(parts[m // 2:])) == 1  # each blob one part
