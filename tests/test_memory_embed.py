"""The embed stage hands freed heap pages back every few batches (issue 7).

MiniLM embeds longest first, so every batch frees tensors a little smaller than the
last; glibc kept the freed heap and the resident size climbed by 1.8 GB at 10k papers.
:class:`litscope._memory.HeapTrimmer` trims it every ``TRIM_EVERY_BATCHES`` batches.
The memory itself is measured by bench/scale_bench.py; these tests check that the trim
is wired in, that it really unmaps free heap pages on glibc, and that it changes no vector.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

import numpy as np
import pytest

from litscope import _memory
from litscope._memory import HeapTrimmer, release_freed_memory, trim_heap
from litscope.embedders._base import BaseEmbedder
from litscope.embedders import minilm


def _is_glibc() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").gnu_get_libc_version
    except (OSError, AttributeError):
        return False
    return True


def _resident_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096


def test_trimmer_trims_every_nth_step(monkeypatch):
    calls = []
    monkeypatch.setattr(_memory, "trim_heap", lambda: calls.append(1) or True)
    trimmer = HeapTrimmer(every=3)
    done = [trimmer.step() for _ in range(7)]
    assert done == [False, False, True, False, False, True, False]
    assert (trimmer.steps, trimmer.trims, len(calls)) == (7, 2, 2)
    assert HeapTrimmer(every=0).every == 1  # never "every 0"


def test_trim_answers_false_off_glibc(monkeypatch):
    monkeypatch.setattr(_memory, "_LIBC", False)  # as on macOS, Windows or musl
    assert trim_heap() is False
    assert release_freed_memory() is False


@pytest.mark.skipif(not _is_glibc(), reason="malloc_trim is glibc's")
def test_trim_unmaps_free_heap_pages_on_glibc():
    assert _memory._glibc()  # glibc is found and malloc_trim typed
    # 64 MB of 64 KiB blocks (under glibc's mmap threshold: they live on the heap), all freed
    # but the last, which pins the heap's top: free() alone cannot hand the rest back.
    blocks = [bytearray(b"x" * 65536) for _ in range(1024)]
    last = blocks[-1]
    del blocks[:-1]
    before = _resident_bytes()
    assert trim_heap() is True
    after = _resident_bytes()
    assert before - after > 32 * 2**20, (before, after)
    assert last[0] == ord("x")  # live data untouched


class _FakeSentenceTransformer:
    """Answers like SentenceTransformer.encode: one deterministic unit row per text."""

    def encode(self, texts, **options):
        rows = np.array([[len(t), sum(map(ord, t)) % 97 + 1, 3.0] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_minilm_steps_the_trimmer_once_per_batch(monkeypatch):
    pytest.importorskip("torch")
    trims = []
    monkeypatch.setattr(_memory, "trim_heap", lambda: trims.append(1) or True)
    e = minilm.MiniLMEmbedder(cache_dir=False, progress=False, device="cpu", batch_size=2)
    e._model = _FakeSentenceTransformer()  # no weights needed to check the wiring
    texts = [f"text number {i} " * (i % 5 + 1) for i in range(19)]
    e.encode(texts)
    assert e.model_calls == 10
    assert e.heap_trimmer.steps == 10
    assert len(trims) == e.heap_trimmer.trims == 10 // minilm.TRIM_EVERY_BATCHES


class _Varied(BaseEmbedder):
    """Model-free embedder whose batches allocate buffers of a shrinking size, trimming or not."""

    def __init__(self, trim: bool) -> None:
        super().__init__("varied", cache_dir=False, batch_size=3, progress=False)
        self.trimmer = HeapTrimmer(every=1) if trim else None

    def _load(self):
        return np.random.default_rng(0).standard_normal((256, 8)).astype(np.float32)

    def _embed_batch(self, texts):
        rows = []
        for t in texts:
            scratch = [bytearray(70_000 + 997 * len(t)) for _ in range(8)]  # heap-sized, freed below
            ids = np.frombuffer(t.encode("utf-8"), dtype=np.uint8)
            rows.append(self.model[ids].mean(axis=0) + len(scratch))
        if self.trimmer is not None:
            self.trimmer.step()
        return np.stack(rows)


def test_trimming_changes_no_vector():
    texts = [("abstract %d " % i) * (40 - i) for i in range(40)]
    plain = _Varied(trim=False).encode(texts)
    trimming = _Varied(trim=True)
    trimmed = trimming.encode(texts)
    assert trimming.trimmer.trims == trimming.model_calls > 1
    assert np.array_equal(plain, trimmed)


class _HashTeacher(BaseEmbedder):
    """Model-free teacher: a fixed pseudo-random unit vector per text."""

    def _load(self):
        return "no model"

    def _embed_batch(self, texts):
        import hashlib

        seeds = [int(hashlib.sha256(t.encode()).hexdigest()[:8], 16) for t in texts]
        return np.stack([np.random.default_rng(seed).standard_normal(16) for seed in seeds])


def test_fast_projection_in_place_equals_a_new_array():
    from litscope.embedders.fast import FastEmbedder

    words = ["graph", "neural", "trial", "patient", "model", "review", "screening", "topic"]
    rng = np.random.default_rng(1)
    unique = [" ".join(rng.choice(words, size=12)) + f" doc{i % 40}" for i in range(300)]
    e = FastEmbedder(teacher=_HashTeacher("hash", cache_dir=False, progress=False), progress=False)
    s = 50
    Y_s = e.teacher.encode(unique[:s])
    fresh = e._project(unique, s, Y_s)
    target = np.full((len(unique), 16), np.nan, dtype=np.float32)
    returned = e._project(unique, s, Y_s, out=target[s:])
    assert np.shares_memory(returned, target)  # written where asked, not into a copy
    assert np.array_equal(target[s:], fresh)
    assert np.isnan(target[:s]).all()  # nothing written outside ``out``
