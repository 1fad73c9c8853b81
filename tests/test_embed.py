"""Tests of litscope.embed: texts, cache, lazy loading, and (slow) the real model."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from litscope.embed import DEFAULT_MODEL, Embedder, embed_papers, paper_texts, text_hash
from litscope.errors import MissingDependencyError, ParameterError


class FakeModel:
    """Stands in for SentenceTransformer: deterministic vectors, counts calls."""

    def __init__(self, dim: int = 8) -> None:
        self.dim = dim
        self.calls: list[list[str]] = []

    def encode(self, texts, **kwargs):
        self.calls.append(list(texts))
        out = []
        for t in texts:
            rng = np.random.default_rng(int(text_hash(t)[:8], 16))
            v = rng.normal(size=self.dim)
            out.append(v / np.linalg.norm(v))
        return np.array(out)

    def get_sentence_embedding_dimension(self):
        return self.dim


def fake_embedder(tmp_path, model="fake-model", **kw) -> Embedder:
    e = Embedder(model, cache_dir=tmp_path / "cache", progress=False, **kw)
    e._model = FakeModel()
    return e


def test_import_does_not_load_torch():
    code = "import sys, litscope.embed; print('torch' in sys.modules, 'sentence_transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_paper_texts_handles_missing_parts():
    df = pd.DataFrame({"title": ["A title", "Ends with?", None, float("nan"), "  spaced   out "],
                       "abstract": ["An abstract.", "Yes.", "Only abstract.", None, ""]})
    assert paper_texts(df) == ["A title. An abstract.", "Ends with? Yes.", "Only abstract.", "", "spaced out"]


def test_paper_texts_without_abstract_column():
    assert paper_texts(pd.DataFrame({"title": ["T1", "T2"]})) == ["T1", "T2"]


def test_encode_shape_dtype_and_norm(tmp_path):
    e = fake_embedder(tmp_path)
    v = e.encode(["one", "two", "three"])
    assert v.shape == (3, 8) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, rtol=1e-5)


def test_duplicates_embedded_once_and_rows_aligned(tmp_path):
    e = fake_embedder(tmp_path)
    v = e.encode(["a", "b", "a"])
    assert e.texts_embedded == 2
    np.testing.assert_array_equal(v[0], v[2])
    assert not np.allclose(v[0], v[1])


def test_second_run_hits_cache(tmp_path):
    texts = [f"text {i}" for i in range(70)]
    first = fake_embedder(tmp_path, batch_size=32)
    v1 = first.encode(texts)
    assert first.model_calls == 3  # 70 texts in batches of 32
    second = fake_embedder(tmp_path)
    v2 = second.encode(texts)
    assert second.model_calls == 0 and second.texts_embedded == 0
    np.testing.assert_array_equal(v1, v2)
    # only the new text is embedded
    third = fake_embedder(tmp_path)
    third.encode(texts + ["brand new"])
    assert third.texts_embedded == 1


def test_cache_is_per_model(tmp_path):
    fake_embedder(tmp_path, model="model-a").encode(["x"])
    other = fake_embedder(tmp_path, model="model-b")
    other.encode(["x"])
    assert other.texts_embedded == 1
    assert {p.name for p in (tmp_path / "cache").iterdir()} == {"model-a", "model-b"}


def test_no_temporary_files_left_and_corrupt_entry_recomputed(tmp_path):
    e = fake_embedder(tmp_path)
    e.encode(["alpha", "beta"])
    files = list((tmp_path / "cache").rglob("*"))
    assert not [f for f in files if f.name.endswith(".tmp")]
    npys = [f for f in files if f.suffix == ".npy"]
    assert len(npys) == 2
    npys[0].write_bytes(b"garbage")
    again = fake_embedder(tmp_path)
    again.encode(["alpha", "beta"])
    assert again.texts_embedded == 1


def test_cache_disabled(tmp_path):
    e = Embedder("fake", cache_dir=False, progress=False)
    e._model = FakeModel()
    e.encode(["a"])
    e.encode(["a"])
    assert e.texts_embedded == 2 and e.cache_dir is None


def test_embed_papers_aligned(tmp_path):
    df = pd.DataFrame({"title": ["T1", "T2"], "abstract": ["A1", ""]})
    e = fake_embedder(tmp_path)
    v = embed_papers(df, embedder=e)
    np.testing.assert_array_equal(v, e.encode(["T1. A1", "T2"]))


def test_empty_input_needs_no_model(tmp_path):
    e = Embedder(cache_dir=tmp_path, progress=False)
    assert e.encode([]).shape == (0, 384)
    assert e._model is None


def test_bad_batch_size():
    with pytest.raises(ParameterError):
        Embedder(batch_size=0)


def test_missing_sentence_transformers(monkeypatch, tmp_path):
    from litscope.embedders import loaded

    loaded.clear()  # a model an earlier test loaded in this process would be reused, not imported
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    e = Embedder(cache_dir=tmp_path, progress=False)
    with pytest.raises(MissingDependencyError, match=r"pip install -e \.\[model\]"):
        e.encode(["x"])


@pytest.mark.slow
def test_real_model_semantics_and_cache(tmp_path):
    texts = ["Vocabulary expansion for cross-lingual transfer of language models",
             "Extending the tokenizer vocabulary of a multilingual language model",
             "Randomised trial of clonidine for postoperative pain in children"]
    e = Embedder(DEFAULT_MODEL, cache_dir=tmp_path, progress=False)
    v = e.encode(texts)
    assert v.shape == (3, 384) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, rtol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2
    again = Embedder(DEFAULT_MODEL, cache_dir=tmp_path, progress=False)
    np.testing.assert_array_equal(again.encode(texts), v)
    assert again.model_calls == 0 and again._model is None
