"""Tests of litscope.embedders: registry, the shared base, the static embedder, Dask.

Fast tests use a tiny embedder without a model (and a stand-in for the distillation);
the ``slow`` ones distil the real static model once per module, load MiniLM, and run a
real ``distributed.LocalCluster``.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from litscope.embed import Embedder, embed_papers, paper_texts, text_hash
from litscope.embedders import (BaseEmbedder, available_embedders, embedder_class,
                                make_embedder)
from litscope.embedders import _base as base_module
from litscope.embedders import loaded
from litscope.embedders import static as static_module
from litscope.embedders._base import build_from_spec
from litscope.embedders.minilm import DEFAULT_MODEL, MiniLMEmbedder, resolve_device
from litscope.embedders.static import StaticEmbedder
from litscope.errors import LitscopeError, MissingDependencyError, ParameterError

RIS_SAMPLE = "ris/asreview/asreview__baseline.ris"


class HashEmbedder(BaseEmbedder):
    """No model: a deterministic vector per text; records the batches it was given."""

    def __init__(self, model: str = "hash", **kw) -> None:
        super().__init__(model, **kw)
        self.batches: list[list[str]] = []

    def _load(self):
        return "no model"

    def _embed_batch(self, texts):
        self.batches.append(list(texts))
        rows = [np.random.default_rng(int(text_hash(t)[:8], 16)).normal(size=6) for t in texts]
        return np.array(rows, dtype=np.float32)


class CountingEmbedder(HashEmbedder):
    """A model object per load; the loads of all instances counted."""

    loads = 0

    def _load(self):
        type(self).loads += 1
        return object()


@pytest.fixture(autouse=True)
def models_of_a_new_process():
    """Each test starts as a new process would: no model loaded, no load counted."""
    loaded.clear()
    CountingEmbedder.loads = 0
    yield
    loaded.clear()


# ---------------------------------------------------------------- registry and factory
def test_registry_lists_names_and_classes():
    assert available_embedders() == ["fast", "minilm", "static"]
    assert embedder_class("minilm") is MiniLMEmbedder is Embedder
    assert embedder_class("static") is StaticEmbedder


def test_unknown_name_lists_choices():
    with pytest.raises(ParameterError, match="choose one of: fast, minilm, static") as info:
        make_embedder("bert")
    assert isinstance(info.value, LitscopeError) and isinstance(info.value, ValueError)


def test_factory_passes_options_without_loading(tmp_path):
    e = make_embedder(cache_dir=tmp_path, progress=False, device="cpu", batch_size=7)
    assert isinstance(e, MiniLMEmbedder) and e._model is None
    assert (e.batch_size, e.device, e.cache_dir) == (7, "cpu", tmp_path / DEFAULT_MODEL)
    s = make_embedder("static", device="cuda", model_dir=tmp_path / "models")  # device: ignored
    assert isinstance(s, StaticEmbedder) and s.cache_dir is None and s.dim == 256
    assert s.model_path.parent == tmp_path / "models" and s._model is None


def test_no_dask_import_without_dask_setting():
    code = ("import sys; from litscope.embedders import make_embedder; make_embedder('static'); "
            "make_embedder('minilm'); print(any(m.split('.')[0] in ('dask', 'distributed') "
            "for m in sys.modules), 'torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_minilm_cpu_keeps_todays_defaults():
    e = Embedder(cache_dir=False, progress=False, device="cpu")
    assert e.batch_size == 32 and e.cache_key == DEFAULT_MODEL and not e.half_precision


# ---------------------------------------------------------------- the shared base
def test_cache_hits_and_misses_are_counted(tmp_path):
    texts = [f"text number {i}" for i in range(10)]
    first = HashEmbedder(cache_dir=tmp_path, batch_size=4, progress=False)
    v1 = first.encode(texts)
    assert (first.model_calls, first.texts_embedded) == (3, 10)
    assert first.docs_per_second and first.docs_per_second > 0
    second = HashEmbedder(cache_dir=tmp_path, batch_size=4, progress=False)
    np.testing.assert_array_equal(second.encode(texts), v1)
    assert (second.model_calls, second.texts_embedded, second.docs_per_second) == (0, 0, None)
    second.encode(texts + ["one more"])
    assert (second.model_calls, second.texts_embedded) == (1, 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hash"]


def test_dedupe_longest_first_batches_and_unit_rows():
    e = HashEmbedder(cache_dir=False, batch_size=2, progress=False)
    v = e.encode(["bb", "a", "dddd", "bb", "ccc"])
    assert e.batches == [["dddd", "ccc"], ["bb", "a"]]
    assert v.shape == (5, 6) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, rtol=1e-6)
    np.testing.assert_array_equal(v[0], v[3])


def test_empty_input_and_bad_batch_size():
    e = HashEmbedder(cache_dir=False, progress=False)
    assert e.encode([]).shape == (0, 6)  # dim from one probe text, not counted
    assert e.model_calls == 0
    with pytest.raises(ParameterError):
        HashEmbedder(batch_size=0)


def test_embed_papers_accepts_any_embedder():
    import pandas as pd

    df = pd.DataFrame({"title": ["T1", "T2"], "abstract": ["A1", ""]})
    e = HashEmbedder(cache_dir=False, progress=False)
    np.testing.assert_array_equal(embed_papers(df, embedder=e), e.encode(paper_texts(df)))


def test_pickles_without_its_model():
    e = HashEmbedder(cache_dir=False, progress=False)
    e.encode(["x"])
    clone = pickle.loads(pickle.dumps(e))
    assert clone._model is None and clone.texts_embedded == 1
    np.testing.assert_array_equal(clone.encode(["x"]), e.encode(["x"]))


def test_spec_rebuilds_an_equivalent_embedder(tmp_path):
    e = StaticEmbedder(model_dir=tmp_path, batch_size=5, cache_dir=tmp_path / "c", progress=False)
    clone = build_from_spec(e.spec())
    assert type(clone) is StaticEmbedder and clone.cache_dir is None and not clone.progress
    assert (clone.model_path, clone.batch_size, clone.model_name) == (e.model_path, 5, e.model_name)
    m = build_from_spec(MiniLMEmbedder(device="auto", progress=False).spec())
    assert m.device_setting == resolve_device("auto") and m._model is None  # resolved, not "auto"


def test_a_model_is_loaded_once_per_process_for_the_same_identity(tmp_path):
    import threading

    first = CountingEmbedder("m", cache_dir=tmp_path, progress=False)
    models = []
    threads = [threading.Thread(target=lambda: models.append(CountingEmbedder("m", progress=False).model))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(m is first.model for m in models) and CountingEmbedder.loads == 1
    assert CountingEmbedder("other", progress=False).model is not first.model  # another model name
    assert CountingEmbedder.loads == 2
    assert loaded.state(CountingEmbedder) == {"loads": 2, "reuses": 8, "load_seconds": pytest.approx(0, abs=0.1)}
    state = loaded.state()
    assert set(state["models"]) == {"CountingEmbedder"} and state["pid"] > 0


def test_static_models_of_other_folders_are_not_shared(tmp_path, fake_distill):
    a = StaticEmbedder(model_dir=tmp_path / "a", progress=False).model
    b = StaticEmbedder(model_dir=tmp_path / "b", progress=False).model
    assert a is not b and len(fake_distill) == 2
    assert StaticEmbedder(model_dir=tmp_path / "b", dims=64, progress=False).model is not b  # other dims


def test_wrappers_share_their_inner_model_and_do_not_count_it_again():
    from litscope.embedders.dask import DaskEmbedder
    from litscope.embedders.fast import FastEmbedder

    inner = CountingEmbedder("m", progress=False)
    assert DaskEmbedder(inner, "local").model is inner.model
    assert FastEmbedder(teacher=CountingEmbedder("m", progress=False)).model is inner.model
    assert CountingEmbedder.loads == 1
    assert set(loaded.state()["models"]) == {"CountingEmbedder"}  # no load of DaskEmbedder or FastEmbedder


def test_no_progress_bar_for_what_one_model_call_embeds(monkeypatch):
    shown, original = [], base_module.progress_bar

    def progress_bar(*, total, desc, unit="text", disable=False):
        shown.append((total, not disable))
        return original(total=total, desc=desc, unit=unit, disable=True)

    monkeypatch.setattr(base_module, "progress_bar", progress_bar)
    e = HashEmbedder(cache_dir=False, batch_size=4, progress=True)
    e.encode(["a label", "another"])
    e.encode([f"text {i}" for i in range(5)])
    HashEmbedder(cache_dir=False, batch_size=4, progress=False).encode([f"more {i}" for i in range(9)])
    assert shown == [(2, False), (5, True), (9, False)]


def test_missing_distributed_names_the_extra(monkeypatch):
    from litscope.embedders.dask import DaskEmbedder

    monkeypatch.setitem(sys.modules, "distributed", None)
    e = DaskEmbedder(HashEmbedder(cache_dir=False, batch_size=1, progress=False), "local")
    with pytest.raises(MissingDependencyError, match=r"pip install -e \.\[dask\]"):
        e.encode(["a", "b"])


def test_dask_wraps_only_local_embedders():
    from litscope.embedders.dask import DaskEmbedder

    with pytest.raises(ParameterError):
        DaskEmbedder("minilm", "local")  # type: ignore[arg-type]


# ---------------------------------------------------------------- static model file
@pytest.fixture
def fake_distill(monkeypatch):
    """Stands in for the (minute-long) distillation: a seeded matrix, calls counted."""
    calls = []

    def distill(source, *, dims, progress):
        calls.append(source)
        tok = static_module._tokenizer_file(source)
        vocab = static_module._load_tokenizer(tok).get_vocab_size(with_added_tokens=True)
        vectors = np.random.default_rng(0).normal(size=(vocab, dims)).astype(np.float32)
        return vectors, {"source_model": "all-MiniLM-L6-v2", "tokenizer_sha256": static_module._file_hash(tok),
                         "dims": dims, "sif_coefficient": 1e-4, "seconds": 0.0}

    monkeypatch.setattr(static_module, "distill", distill)
    return calls


def test_static_model_file_is_reused(tmp_path, fake_distill):
    first = StaticEmbedder(model_dir=tmp_path, progress=False)
    v1 = first.encode(["some words", "other words"])
    assert first.distilled and fake_distill == [DEFAULT_MODEL] and first.model_path.is_file()
    assert not list(tmp_path.glob("*.tmp"))
    loaded.clear()  # a new process: the model comes from the file
    second = StaticEmbedder(model_dir=tmp_path, progress=False)
    np.testing.assert_array_equal(second.encode(["some words", "other words"]), v1)
    assert not second.distilled and len(fake_distill) == 1
    assert StaticEmbedder(model_dir=tmp_path, progress=False).model is second.model  # same process: no reload


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other version"])
def test_corrupt_or_stale_model_file_is_rebuilt(tmp_path, fake_distill, damage):
    StaticEmbedder(model_dir=tmp_path, progress=False).model  # noqa: B018
    path = StaticEmbedder(model_dir=tmp_path).model_path
    if damage == "garbage":
        path.write_bytes(b"not a zip file")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:1000])
    else:
        with np.load(path) as data:
            fields = dict(data)
        np.savez(path, **{**fields, "format_version": np.asarray(999)})
    loaded.clear()  # a new process reads the damaged file
    again = StaticEmbedder(model_dir=tmp_path, progress=False)
    assert again.encode(["text"]).shape == (1, 256)
    assert again.distilled and len(fake_distill) == 2
    loaded.clear()
    fresh = StaticEmbedder(model_dir=tmp_path, progress=False)
    fresh.model  # noqa: B018
    assert not fresh.distilled and len(fake_distill) == 2


def test_static_tokens_equal_the_fast_tokenizer(fixtures, tmp_path, fake_distill):
    import litscope

    texts = paper_texts(litscope.load(fixtures / RIS_SAMPLE).papers)
    texts += ["", "naïve Café—“quoted” 5°C ±3 x²", "中文 and 日本語", "a\x00b\x7fc\td\ne",
              "x\x1cy\x85z\u2028w", "\u200bzero\u200bwidth", "x" * 150, " ".join(["word"] * 700)]
    e = StaticEmbedder(model_dir=tmp_path, progress=False)
    tokenizer = e.model.tokenizer
    expected = [enc.ids for enc in tokenizer.tokenizer.encode_batch(texts, add_special_tokens=False)]
    assert [tokenizer.ids(t) for t in texts] == expected


# ---------------------------------------------------------------- real static model (slow)
@pytest.fixture(scope="module")
def static_dir(tmp_path_factory):
    """A model folder where the real static model is distilled once for this module."""
    folder = tmp_path_factory.mktemp("static-models")
    e = StaticEmbedder(model_dir=folder, progress=False)
    e.model  # noqa: B018
    assert e.distilled
    return folder


@pytest.fixture(scope="module")
def abstracts():
    import litscope

    df = litscope.load(Path(__file__).parent / "fixtures" / RIS_SAMPLE).papers
    df = df[df["abstract"].fillna("").str.len() > 200].head(60).reset_index(drop=True)
    assert len(df) == 60
    return df


@pytest.mark.slow
def test_static_real_model(static_dir, abstracts):
    texts = paper_texts(abstracts)
    e = StaticEmbedder(model_dir=static_dir, progress=False)
    v = e.encode(texts)
    assert not e.distilled and v.shape == (60, 256) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(StaticEmbedder(model_dir=static_dir, batch_size=7).encode(texts), v)
    q = e.encode(["Vocabulary expansion for cross-lingual transfer of language models",
                  "Extending the tokenizer vocabulary of a multilingual language model",
                  "Randomised trial of clonidine for postoperative pain in children"])
    assert q[0] @ q[1] > q[0] @ q[2] + 0.2


# ---------------------------------------------------------------- Dask (slow, real cluster)
@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as local:
        yield local


@pytest.mark.slow
def test_dask_static_equals_local_and_gives_the_same_topics(cluster, static_dir, abstracts, tmp_path):
    pytest.importorskip("bertopic")
    from litscope.topics import compute_topics

    texts = paper_texts(abstracts)
    local = StaticEmbedder(model_dir=static_dir, batch_size=8, progress=False)
    expected = local.encode(texts)
    remote = make_embedder("static", dask=cluster.scheduler_address, batch_size=8, progress=False,
                           cache_dir=tmp_path, model_dir=static_dir)
    got = remote.encode(texts)
    np.testing.assert_allclose(got, expected, atol=1e-5)
    assert (remote.model_calls, remote.texts_embedded) == (8, 60)  # the local run's 8 batches
    # the client wrote the cache: a local run with it embeds nothing
    cached = StaticEmbedder(model_dir=static_dir, cache_dir=tmp_path, progress=False)
    np.testing.assert_array_equal(cached.encode(texts), got)
    assert cached.model_calls == 0

    kw = dict(n_topics=3, seed=42, embedder=local, progress=False)
    a = compute_topics(abstracts, expected, **kw).papers.set_index("id")["topic"]
    b = compute_topics(abstracts, got, **kw).papers.set_index("id")["topic"]
    assert a.nunique() >= 2
    assert a.sort_index().tolist() == b.sort_index().tolist()


@pytest.mark.slow
def test_dask_minilm_equals_local(cluster, abstracts):
    texts = paper_texts(abstracts)[:6]
    local = Embedder(cache_dir=False, batch_size=2, device="cpu", progress=False).encode(texts)
    remote = make_embedder("minilm", dask=cluster.scheduler_address, cache_dir=False, batch_size=2,
                           device="cpu", progress=False)
    np.testing.assert_allclose(remote.encode(texts), local, atol=1e-5)
    assert remote.model_calls == 3


@pytest.mark.slow
def test_dask_local_cluster_lives_for_the_with_block(static_dir):
    from litscope.embedders.dask import DaskEmbedder

    texts = [f"paper {i} on topic {i % 3}" for i in range(40)]
    inner = StaticEmbedder(model_dir=static_dir, batch_size=10, progress=False)
    with DaskEmbedder(inner, "local", n_workers=1) as e:
        client = e._open[0]
        assert len(client.scheduler_info()["workers"]) == 1
        np.testing.assert_allclose(e.encode(texts), inner.encode(texts), atol=1e-6)
        assert e.model_calls == 4
    assert e._open is None and client.status == "closed"


# ---------------------------------------------------------------- fast (projected) embedder
from litscope.embedders.fast import FastEmbedder, sample_size  # noqa: E402


def _word_corpus(n, seed=0):
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(60)]
    return [" ".join(rng.choice(words, size=12)) + f" doc{i}" for i in range(n)]


def _fast():
    return FastEmbedder(teacher=HashEmbedder(cache_dir=False, progress=False), progress=False)


def test_registry_lists_fast():
    assert "fast" in available_embedders()
    assert embedder_class("fast") is FastEmbedder
    e = make_embedder("fast", progress=False, device="cpu", cache_dir=False)
    assert e.model_name == "fast-all-MiniLM-L6-v2-v1" and e.cache_dir is None and e._model is None


def test_fast_sample_size_rule():
    assert [sample_size(n) for n in (1, 800, 801, 40_000, 100_000)] == [1, 800, 800, 800, 2000]


def test_fast_small_corpus_is_the_teacher():
    texts = _word_corpus(50) + ["", "w1 w2"]
    e = _fast()
    assert np.array_equal(e.encode(texts), e.teacher.encode(texts))
    assert e.n_projected == 0


def test_fast_projects_the_rest_in_the_teachers_space():
    texts = _word_corpus(900)
    e = _fast()
    X = e.encode(texts + texts[:5])  # duplicates share a vector
    assert X.shape == (905, 6) and X.dtype == np.float32
    assert np.allclose(np.linalg.norm(X, axis=1), 1, atol=1e-5)
    assert np.array_equal(X[900:], X[:5])
    assert (e.n_sampled, e.n_projected) == (800, 100)
    teacher = e.teacher.encode(texts)
    same = np.all(np.isclose(X[:900], teacher, atol=1e-6), axis=1)
    assert same.sum() == 800  # the sampled rows are the teacher's own vectors
    assert e.texts_embedded == e.teacher.texts_embedded


def test_fast_ignores_row_order():
    texts = _word_corpus(900, seed=1)
    perm = np.random.default_rng(3).permutation(len(texts))
    a = _fast().encode(texts)
    b = _fast().encode([texts[i] for i in perm])
    assert np.allclose(a[perm], b, atol=1e-6)


def test_fast_rejects_bad_alpha_and_dask_spec():
    with pytest.raises(ParameterError):
        FastEmbedder(teacher=HashEmbedder(cache_dir=False), alpha=0)
    with pytest.raises(ParameterError):
        _fast().spec()
    # refused when the review's settings are read, before any cluster starts or any text is embedded
    with pytest.raises(ParameterError, match="Dask workers"):
        make_embedder("fast", dask="local", progress=False)


@pytest.mark.slow
def test_fast_real_model_is_close_to_minilm(abstracts):
    texts = paper_texts(abstracts)
    e = make_embedder("fast", progress=False, device="cpu", cache_dir=False)
    m = make_embedder("minilm", progress=False, device="cpu", cache_dir=False)
    assert np.allclose(e.encode(texts), m.encode(texts), atol=1e-5)  # under the sample size: MiniLM
