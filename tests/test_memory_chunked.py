"""The memory-bounded forms of the summaries and the run snapshot give the one-shot results.

At 100,000 papers the summaries embed about a million sentences and the snapshot serialises
every paper; issue 7 bounds what they hold at once. These tests check that the bounded forms
write and return exactly what the one-shot forms did.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import litscope
from litscope.errors import ParameterError
from litscope.living.snapshot import SNAPSHOT_DIR, compute_centroids, write_run_snapshot
from litscope.summarize import compute_paper_summaries

SCOPUS = Path(__file__).parent / "fixtures" / "csv_exports" / "litstudy_scopus.csv"


class HashEncoder:
    """Hashed bag of words, L2-normalised: each text's vector is its own (as the static model's)."""

    def __init__(self):
        from sklearn.feature_extraction.text import HashingVectorizer
        self.vectorizer = HashingVectorizer(n_features=2 ** 12, alternate_sign=False, norm="l2")
        self.calls: list[int] = []

    def __call__(self, texts):
        self.calls.append(len(texts))
        return self.vectorizer.transform(list(texts)).toarray().astype(np.float32)


@pytest.fixture(scope="module")
def papers() -> pd.DataFrame:
    return litscope.load([SCOPUS]).papers


def test_summaries_in_chunks_equal_one_call(papers):
    one = HashEncoder()
    whole = compute_paper_summaries(papers, encode=one)
    assert len(one.calls) == 1 and whole.str.len().gt(0).all()
    for chunk_size in (1, 3, len(papers) - 1, len(papers) + 5):
        chunked_encoder = HashEncoder()
        chunked = compute_paper_summaries(papers, encode=chunked_encoder, chunk_size=chunk_size)
        pd.testing.assert_series_equal(chunked, whole)
        # what is embedded at once is bounded by the chunk, not the corpus
        assert max(chunked_encoder.calls) <= one.calls[0]
    small = HashEncoder()
    compute_paper_summaries(papers, encode=small, chunk_size=3)
    assert len(small.calls) > 1 and max(small.calls) < one.calls[0]


def test_summaries_chunk_size_must_be_positive(papers):
    with pytest.raises(ParameterError, match="chunk_size"):
        compute_paper_summaries(papers, encode=HashEncoder(), chunk_size=0)


def test_centroids_equal_the_float64_means():
    rng = np.random.default_rng(3)
    embeddings = rng.normal(size=(5_000, 24)).astype(np.float32)
    topic_of_paper = rng.integers(-1, 9, size=len(embeddings))
    topics = list(range(10))  # topic 9 has no paper
    got = compute_centroids(topic_of_paper, embeddings, topics)
    as64 = embeddings.astype(np.float64)
    expected = []
    for topic in topics:
        members = as64[topic_of_paper == topic]
        mean = members.mean(axis=0) if len(members) else np.zeros(as64.shape[1])
        norm = np.linalg.norm(mean)
        expected.append(mean / norm if norm > 0 else mean)
    expected = np.asarray(expected, dtype=np.float32)
    assert got.dtype == np.float32 and np.array_equal(got, expected)
    assert not got[9].any()


def test_snapshot_files_are_the_one_shot_json(tmp_path, papers):
    frame = papers[["id", "title", "year", "doi", "source_file"]].copy()
    frame.loc[frame.index[0], "title"] = "Über «quoted» graphs"  # kept as written, not \\u-escaped
    frame["topic"] = [i % 3 - 1 for i in range(len(frame))]
    topics = pd.DataFrame({"topic": [0, 1], "label": ["Alpha", "Beta"]})
    folder = write_run_snapshot(tmp_path, frame, topics, name="chunked", inputs=[str(SCOPUS)],
                                finished="2026-12-06T00:00:00+00:00")
    assert folder == tmp_path / SNAPSHOT_DIR
    for name in ("run.json", "papers.json", "records.json", "topics.json"):
        text = (folder / name).read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=1)
    rows = json.loads((folder / "papers.json").read_text(encoding="utf-8"))
    assert len(rows) == len(frame) and rows[0]["title"] == "Über «quoted» graphs"
    assert "Über «quoted» graphs" in (folder / "papers.json").read_text(encoding="utf-8")
