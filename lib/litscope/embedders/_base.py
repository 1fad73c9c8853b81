"""The embedder contract, and everything embedders share.

:class:`BaseEmbedder` turns texts into L2-normalised ``float32`` rows.  It owns the
parts every implementation needs: the on-disk cache, the dedupe of identical texts,
the longest-first order and the batching, the progress bar and the counters.  An
implementation only loads its model (:meth:`BaseEmbedder._load`) and embeds one
batch (:meth:`BaseEmbedder._embed_batch`). A loaded model is shared by every embedder
of this process that would load the same one (:mod:`litscope.embedders.loaded`).

Cache layout: ``<cache_dir>/<model_key>/<hh>/<sha256>.npy``, one file per text,
written to a temporary file and renamed into place, so two processes embedding
the same corpus at once never see a half-written vector.

Examples
--------
>>> import numpy as np
>>> class Ones(BaseEmbedder):
...     def _load(self):
...         return "no model needed"
...     def _embed_batch(self, texts):
...         return np.ones((len(texts), 3), dtype=np.float32)
>>> e = Ones("ones", cache_dir=False, progress=False)
>>> v = e.encode(["a", "b", "a"])
>>> v.shape, v.dtype, bool(np.allclose(np.linalg.norm(v, axis=1), 1))
((3, 3), dtype('float32'), True)
>>> e.texts_embedded, e.model_calls, e.dim
(2, 1, 3)
"""

from __future__ import annotations

import hashlib
import importlib
import os
import re
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from .. import paths
from ..errors import ParameterError
from . import loaded

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def text_hash(text: str) -> str:
    """SHA-256 hex digest of a text (the cache key).

    >>> text_hash("a")[:12]
    'ca978112ca1b'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def model_key(model: str) -> str:
    """A directory name for a model (paths and hub ids become one safe component).

    >>> model_key("sentence-transformers/all-MiniLM-L6-v2")
    'all-MiniLM-L6-v2'
    """
    name = model.rstrip("/\\").replace("sentence-transformers/", "")
    if os.sep in name or "/" in name:
        # a local path: keep its last part readable, disambiguate with a hash
        tail = Path(name).name
        name = f"{tail}-{hashlib.sha256(model.encode()).hexdigest()[:8]}"
    return _SAFE_NAME.sub("_", name) or "model"


def progress_bar(*, total: int, desc: str, unit: str = "text", disable: bool = False) -> Any:
    """The one place progress bars are made (embedding, distilling, Dask).

    >>> bar = progress_bar(total=2, desc="Test", disable=True)
    >>> bar.update(2); bar.close()
    """
    from ..progress import bar

    return bar(total=total, desc=desc, unit=unit, disable=disable)


def atomic_write(path: Path, write: Any) -> None:
    """Call ``write(fh)`` on a temporary file beside ``path``, then rename it into place.

    Readers see the old file or the whole new one, never half of it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:8]}", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class BaseEmbedder:
    """Embed texts into unit ``float32`` rows, caching each vector on disk.

    Subclasses implement :meth:`_load` (build the model) and :meth:`_embed_batch`
    (embed one batch with it); they may override :meth:`_model_dim` and
    :attr:`cache_key`. :attr:`model` loads a model once per process: an embedder with the
    same class, model name, cache key, device and options reuses the one loaded before
    (see :mod:`litscope.embedders.loaded`).

    Parameters
    ----------
    model : str
        What the vectors come from; names the cache folder (kept as :attr:`model_name`).
    cache_dir : path-like or False, optional
        Cache root; ``litscope.paths.cache_dir() / "embeddings"`` by default (or no cache
        when the class sets ``use_cache_by_default = False``).  ``False`` disables it.
    batch_size : int, optional
        Texts per model call; the class's :attr:`default_batch_size` by default.
    progress : bool
        Show a progress bar while embedding (only when the texts not cached take more
        than one model call: a single batch would jump from none to all at once).

    Attributes
    ----------
    model_calls : int
        Batches sent to the model so far (0 when everything came from the cache).
    texts_embedded : int
        Texts actually embedded by the model so far.
    docs_per_second : float or None
        Texts per second of the last :meth:`encode` that called the model.
    """

    #: Output size of known models, so an empty request needs no model load.
    KNOWN_DIMS: dict[str, int] = {}
    #: Texts per batch when the caller does not say.
    default_batch_size = 32
    #: Whether ``cache_dir=None`` means the default cache (True) or none (False).
    use_cache_by_default = True
    #: Whether :attr:`model` is shared with the other embedders of this process that would
    #: load the same model; False for a wrapper whose model is another embedder's.
    shares_model = True

    def __init__(self, model: str, *, cache_dir: Any = None, batch_size: int | None = None,
                 progress: bool = True) -> None:
        if batch_size is not None and int(batch_size) < 1:
            raise ParameterError(f"batch_size must be >= 1, got {batch_size}")
        self.model_name = str(model)
        if cache_dir is False or (cache_dir is None and not self.use_cache_by_default):
            self._cache_root: Path | None = None
        else:
            root = Path(cache_dir) if cache_dir is not None else paths.cache_dir() / "embeddings"
            self._cache_root = root.expanduser()
        self._batch_size = None if batch_size is None else int(batch_size)
        self.progress = progress
        self.model_calls = 0
        self.texts_embedded = 0
        self.docs_per_second: float | None = None
        self._model: Any = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(model={self.model_name!r}, "
                f"cache_dir={str(self.cache_dir)!r}, batch_size={self.batch_size})")

    def __getstate__(self) -> dict:
        # Picklable (papermill, multiprocessing): the model and the lock stay behind.
        state = dict(self.__dict__)
        state["_model"] = None
        state.pop("_lock", None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    # ------------------------------------------------------------ to implement
    def _load(self) -> Any:
        """Build and return the model (called on first use, unless this process has it loaded)."""
        raise NotImplementedError

    def _embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        """Embed one batch with :attr:`model`: an ``(len(texts), dim)`` array."""
        raise NotImplementedError

    def _model_dim(self) -> int:
        """Length of one vector, from the loaded model (by default: embed one text)."""
        return int(np.asarray(self._embed_batch([""])).shape[1])

    # ------------------------------------------------------------ shared
    @property
    def model(self) -> Any:
        """The loaded model (loaded on first use, once per process even across threads and instances)."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = loaded.shared_model(self, self._load)
        return self._model

    @property
    def dim(self) -> int:
        """Length of one embedding vector."""
        if self._model is None and self.model_name in self.KNOWN_DIMS:
            return self.KNOWN_DIMS[self.model_name]
        self.model  # noqa: B018 - load it
        return self._model_dim()

    @property
    def batch_size(self) -> int:
        """Texts per model call."""
        return self._batch_size or self.default_batch_size

    @property
    def cache_key(self) -> str:
        """Folder of this embedder's vectors under the cache root."""
        return model_key(self.model_name)

    @property
    def cache_dir(self) -> Path | None:
        """Folder of this embedder's cached vectors (None: no cache)."""
        return None if self._cache_root is None else self._cache_root / self.cache_key

    def spec(self) -> tuple[str, dict[str, Any]]:
        """How to build an equivalent embedder elsewhere (a Dask worker): class path and options."""
        cls = type(self)
        return f"{cls.__module__}:{cls.__qualname__}", {
            "model": self.model_name, "batch_size": self.batch_size}

    def _before_remote(self) -> None:
        """Prepare what remote workers will need (the static embedder distils here)."""

    def _call_model(self, texts: Sequence[str]) -> np.ndarray:
        """Embed one batch, counting it (every model call goes through here)."""
        vecs = np.asarray(self._embed_batch(texts), dtype=np.float32)
        self.model_calls += 1
        self.texts_embedded += len(texts)
        return vecs

    def _embed_pending(self, texts: Sequence[str], bar: Any) -> Iterator[tuple[int, np.ndarray]]:
        """Embed texts not in the cache, already in longest-first order.

        Yields ``(start, vectors)`` for consecutive slices; may yield them out of order
        (the Dask embedder does) and must advance ``bar``.
        """
        for start in range(0, len(texts), self.batch_size):
            chunk = texts[start:start + self.batch_size]
            yield start, self._call_model(chunk)
            bar.update(len(chunk))

    # ------------------------------------------------------------ cache
    def _path(self, digest: str) -> Path:
        assert self.cache_dir is not None
        return self.cache_dir / digest[:2] / f"{digest}.npy"

    def _read(self, digest: str) -> np.ndarray | None:
        if self.cache_dir is None:
            return None
        try:
            vec = np.load(self._path(digest), allow_pickle=False)
        except (OSError, ValueError, EOFError):
            return None  # missing or unreadable (e.g. truncated by a crash): embed again
        return vec.astype(np.float32, copy=False) if vec.ndim == 1 else None

    def _write(self, digest: str, vec: np.ndarray) -> None:
        if self.cache_dir is None:
            return
        vec32 = vec.astype(np.float32)
        atomic_write(self._path(digest), lambda fh: np.save(fh, vec32, allow_pickle=False))

    # ------------------------------------------------------------ public
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts.

        Parameters
        ----------
        texts : list of str
            Texts to embed; duplicates are embedded once, cached ones not at all.

        Returns
        -------
        numpy.ndarray
            ``float32`` array of shape ``(len(texts), dim)``, each row of unit L2 norm.
        """
        texts = ["" if t is None else str(t) for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        digests = [text_hash(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        for d in dict.fromkeys(digests):
            vec = self._read(d)
            if vec is not None:
                found[d] = vec
        todo = [d for d in dict.fromkeys(digests) if d not in found]
        if todo:
            by_digest = dict(zip(digests, texts))
            # Longest first: batches of similar length waste less padding.
            todo.sort(key=lambda d: (-len(by_digest[d]), d))
            pending = [by_digest[d] for d in todo]
            # No bar for one model call (a label's few phrases): it could only jump to the end.
            bar = progress_bar(total=len(todo), desc="Embedding",
                               disable=not self.progress or len(todo) <= self.batch_size)
            busy = 0.0
            steps = self._embed_pending(pending, bar)
            try:
                while True:
                    t0 = time.perf_counter()
                    step = next(steps, None)
                    busy += time.perf_counter() - t0
                    if step is None:
                        break
                    start, vecs = step
                    for d, v in zip(todo[start:start + len(vecs)], vecs):
                        found[d] = v
                        self._write(d, v)
            finally:
                steps.close()  # e.g. closes a Dask client when interrupted
                bar.close()
            self.docs_per_second = len(todo) / busy if busy > 0 else None
        out = np.stack([found[d] for d in digests]).astype(np.float32, copy=False)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)


def build_from_spec(spec: tuple[str, dict[str, Any]]) -> BaseEmbedder:
    """Build the embedder described by :meth:`BaseEmbedder.spec`, without cache or progress bar."""
    path, options = spec
    module, _, qualname = path.partition(":")
    cls: Any = importlib.import_module(module)
    for part in qualname.split("."):
        cls = getattr(cls, part)
    return cls(**options, cache_dir=False, progress=False)


__all__ = ["BaseEmbedder", "build_from_spec", "model_key", "progress_bar", "text_hash"]
