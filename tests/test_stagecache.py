"""Tests of litscope.stagecache: stable keys, hits, misses, corrupt entries, a disabled cache."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from litscope.stagecache import StageCache, settings_of, stable_repr


def _parts():
    X = np.arange(12, dtype=np.float32).reshape(3, 4) / 7
    df = pd.DataFrame({"id": ["a", "b", "c"], "title": ["T1", None, "T3"], "year": [2020, 2021, np.nan]})
    settings = {"seed": 42, "granularity": "auto", "threshold": None, "nested": {"b": [1, 2.5], "a": "x"}}
    return X, df, settings


def test_key_is_a_stable_sha256_across_processes(tmp_path):
    X, df, settings = _parts()
    key = StageCache(tmp_path).key("topics", X, df, settings, "text", 3, 0.1, None, [1, (2, 3)])
    assert len(key) == 64 and int(key, 16) >= 0
    script = textwrap.dedent(f"""
        import numpy as np, pandas as pd
        from litscope.stagecache import StageCache
        X = np.arange(12, dtype=np.float32).reshape(3, 4) / 7
        df = pd.DataFrame({{"id": ["a", "b", "c"], "title": ["T1", None, "T3"], "year": [2020, 2021, np.nan]}})
        settings = {{"nested": {{"a": "x", "b": [1, 2.5]}}, "threshold": None, "granularity": "auto", "seed": 42}}
        print(StageCache({str(tmp_path)!r}).key("topics", X, df, settings, "text", 3, 0.1, None, [1, (2, 3)]))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "123", **__import__("os").environ})
    assert out.stdout.strip() == key


def test_key_changes_with_every_input_and_setting(tmp_path):
    cache = StageCache(tmp_path)
    X, df, settings = _parts()
    base = cache.key("topics", X, df, settings)
    X2 = X.copy()
    X2[1, 2] = np.nextafter(X2[1, 2], np.float32(10))  # one bit
    df2 = df.copy()
    df2.loc[1, "title"] = "T2"
    variants = [
        cache.key("topics", X2, df, settings),
        cache.key("topics", X.astype(np.float64), df, settings),  # dtype
        cache.key("topics", X.reshape(4, 3), df, settings),  # shape
        cache.key("topics", X, df2, settings),
        cache.key("topics", X, df.rename(columns={"title": "name"}), settings),
        cache.key("topics", X, df, {**settings, "seed": 43}),
        cache.key("topics", X, df, {**settings, "threshold": 0.0}),
        cache.key("topics", X, df, {**settings, "nested": {"a": "x", "b": [1, 2.5000001]}}),
        cache.key("summaries", X, df, settings),  # another stage
        StageCache(tmp_path, versions={"topics": 99}).key("topics", X, df, settings),  # format version
    ]
    assert base not in variants and len(set(variants)) == len(variants)
    # what does not matter: dict order, the frame's index, a copy of the data
    assert cache.key("topics", X.copy(), df.set_index(pd.Index([7, 8, 9], name="noise")),
                     dict(reversed(list(settings.items())))) == base
    # type tags: 1, 1.0, "1" and True are different values
    assert len({cache.key("s", v) for v in (1, 1.0, "1", True, None, [1], (1,))}) == 6  # list == tuple


def test_key_includes_the_litscope_version(tmp_path, monkeypatch):
    import litscope

    cache = StageCache(tmp_path)
    before = cache.key("topics", 1)
    monkeypatch.setattr(litscope, "__version__", "999.0")
    assert cache.key("topics", 1) != before


def test_second_call_is_a_hit(tmp_path):
    cache = StageCache(tmp_path)
    calls = []

    def compute():
        calls.append(1)
        return {"frame": pd.DataFrame({"a": [1, 2]}), "array": np.arange(3)}

    key = cache.key("topics", "input")
    first = cache.get_or_compute("topics", key, compute)
    second = cache.get_or_compute("topics", key, compute)
    assert len(calls) == 1 and cache.hits["topics"] == 1 and cache.misses["topics"] == 1
    pd.testing.assert_frame_equal(first["frame"], second["frame"])
    assert cache.path("topics", key).is_file()
    assert cache.path("topics", key).parent.name == key[:2]
    # a new cache object on the same folder (a new process) hits too
    other = StageCache(tmp_path)
    assert other.get_or_compute("topics", key, compute)["array"].tolist() == [0, 1, 2]
    assert len(calls) == 1 and other.hits["topics"] == 1
    assert not list(tmp_path.rglob("*.tmp"))  # no temporary file left behind


def test_corrupt_entry_is_recomputed(tmp_path):
    cache = StageCache(tmp_path)
    key = cache.key("topics", "x")
    cache.get_or_compute("topics", key, lambda: [1, 2, 3])
    path = cache.path("topics", key)
    path.write_bytes(path.read_bytes()[:5])  # truncated by a crash
    assert cache.get_or_compute("topics", key, lambda: [4, 5]) == [4, 5]
    assert cache.misses["topics"] == 2
    path.write_bytes(b"not a pickle at all")
    assert StageCache(tmp_path).get_or_compute("topics", key, lambda: "again") == "again"
    assert StageCache(tmp_path).get_or_compute("topics", key, lambda: "never") == "again"


def test_disabled_cache_always_computes(tmp_path):
    cache = StageCache(root=False)
    assert not cache.enabled
    key = cache.key("topics", 1)
    values = iter([1, 2, 3])
    assert [cache.get_or_compute("topics", key, lambda: next(values)) for _ in range(3)] == [1, 2, 3]
    assert cache.misses["topics"] == 3 and cache.hits["topics"] == 0


def test_default_root_is_in_the_litscope_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LITSCOPE_CACHE", str(tmp_path))
    assert StageCache().root == tmp_path.resolve() / "stages"


def test_unpicklable_result_is_returned_with_a_warning(tmp_path):
    cache = StageCache(tmp_path)
    key = cache.key("topics", "lambda")
    with pytest.warns(RuntimeWarning, match="could not store"):
        fn = cache.get_or_compute("topics", key, lambda: (lambda: 1))
    assert fn() == 1 and not cache.path("topics", key).exists()


def test_settings_of_reads_defaults_and_skips_data():
    def fit(df, embeddings, *, seed=42, granularity="auto", model=None, **extra):
        return None

    class Model:
        def __init__(self, alpha=1.0):
            self.alpha = alpha

        def get_params(self, deep=True):
            return {"alpha": self.alpha}

    s = settings_of(fit, "DF", np.zeros(3), model=Model(0.5), extra_flag=True,
                    exclude=("df", "embeddings"))
    assert s == {"seed": 42, "granularity": "auto", "extra_flag": True,
                 "model": stable_repr(Model(0.5))}
    assert "0x" not in s["model"] and "alpha" in s["model"]
    assert settings_of(fit, None, None, seed=7, exclude=("df", "embeddings"))["seed"] == 7
    assert stable_repr(Model(0.5)) != stable_repr(Model(0.6))


def test_stable_repr_has_no_memory_address():
    class Plain:
        def __init__(self):
            self.size = 3

    assert "0x" not in stable_repr(Plain()) and "size" in stable_repr(Plain())
    assert stable_repr(np.mean) == "numpy.mean"
