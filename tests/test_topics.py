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
from litscope.topics import (
    PhraseAnalyzer,
    _title_spans,
    _edge_words,
    default_settings,
    stop_words,
    tidy_label,
)

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


def test_import_topics_does_not_load_torch():
    code = "import sys, litscope.topics; print('torch' in sys.modules, 'bertopic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# ------------------------------------------------------------------ slow: sample corpus


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    from litscope.embed import Embedder, embed_papers

    df = litscope.load(str(paths.sample_corpus()))
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
        df = litscope.load(str(paths.sample_corpus()))
        e = Embedder(cache_dir={str(cache)!r}, progress=False)
        r = compute_topics(df, embed_papers(df, embedder=e), seed=42, embedder=e, progress=False)
        print(json.dumps({{"assign": {{k: int(v) for k, v in zip(r.papers["id"], r.papers["topic"])}},
                          "labels": r.topics["label"].tolist(), "parents": r.parents["label"].tolist()}}))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == _signature(result)


@pytest.mark.slow
def test_n_topics_is_honoured(sample):
    from litscope.topics import compute_topics

    df, X, embedder, _ = sample
    res = compute_topics(df, X, n_topics=4, embedder=embedder, progress=False)
    assert res.n_topics == 4 and res.params["clustering"] == "kmeans"
    assert (res.papers["topic"] >= 0).all()


@pytest.mark.slow
def test_granularity_direction(result, sample):
    from litscope.topics import compute_topics

    df, X, embedder, _ = sample
    coarser = compute_topics(df, X, granularity="coarser", embedder=embedder, progress=False)
    finer = compute_topics(df, X, granularity="finer", embedder=embedder, progress=False)
    assert coarser.n_topics < result.n_topics < finer.n_topics
