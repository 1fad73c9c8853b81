"""A fast static embedder, distilled locally from the bundled MiniLM.

The method is model2vec's (Tulkens & van Dongen, 2024): every token of the
source model's vocabulary is passed through the model on its own, as
``[CLS] token [SEP]``, and the mean-pooled output becomes that token's vector;
PCA reduces the vectors to 256 dimensions, and each is scaled by a SIF weight
``a / (a + p)`` with ``p`` the token's Zipf probability by vocabulary rank, so
frequent tokens count less.  A text's embedding is then the mean of its tokens'
vectors, L2-normalised: numpy (a sparse count matrix times the token matrix)
after tokenizing, about 7,000-10,000 abstracts a second per CPU core once the
corpus's words have been seen, at some cost in quality against the full model.

The distilled matrix is built on first use (one to four minutes on two CPU cores,
always on the CPU so it is the same everywhere) and kept in
``litscope.paths.cache_dir() / "models"`` as an ``.npz``; later uses load it in
well under a second.  A file that is unreadable, or made by another format
version, source model or tokenizer, is distilled again.

Examples
--------
>>> e = StaticEmbedder(progress=False)
>>> e.model_name, e.dim
('static-all-MiniLM-L6-v2-d256-v1', 256)
"""

from __future__ import annotations

import hashlib
import itertools
import re
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .. import paths
from .._optional import import_optional
from ..errors import ParameterError
from ._base import BaseEmbedder, atomic_write, model_key, progress_bar
from .minilm import DEFAULT_MODEL, model_location, set_offline_environment, set_torch_threads

#: Bumped whenever the distilled file's content or meaning changes.
FORMAT_VERSION = 1
#: SIF coefficient ``a`` (model2vec's default).
SIF_COEFFICIENT = 1e-4
#: Tokens per text at most (as the source model sees them).
MAX_TOKENS = 512


@dataclass
class StaticModel:
    """A loaded static model: the tokenizer and one weighted vector per token id."""

    tokenizer: "WordTokenizer"
    vectors: np.ndarray
    meta: dict


class WordTokenizer:
    """The source model's tokenizer, fast for many long texts.

    Token ids equal ``tokenizer.encode(text, add_special_tokens=False).ids`` (truncated
    to :data:`MAX_TOKENS`): BERT's normaliser, pre-tokenizer and WordPiece never look
    across whitespace, so each whitespace-separated chunk of text is tokenized once, by
    the model's own tokenizer (all new chunks of a batch in one call), and remembered.
    Abstracts repeat their words, so most of the work becomes dictionary lookups.
    Printable ASCII text (most abstracts) is lower-cased first, which is what BERT's
    normaliser does to it, so "Model" and "model" share one entry.
    """

    #: Remembered chunks at most (some hundred MB at worst); past that, new ones are not kept.
    MAX_REMEMBERED = 2_000_000
    # Control characters: Python's str.split and BERT's normaliser disagree on some
    # (BERT deletes them), so texts with any are normalised whole first.
    _CONTROL = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]")

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer
        self._known: dict[str, tuple[int, ...]] = {}
        unk = tokenizer.token_to_id("[UNK]")
        self.unk_id = 0 if unk is None else int(unk)

    def _chunks(self, text: str) -> list[str]:
        if text.isascii() and text.isprintable():
            return text.lower().split()
        if self._CONTROL.search(text):
            return self.tokenizer.normalizer.normalize_str(text).split()
        return text.split()

    def pieces(self, texts: Sequence[str]) -> list[list[tuple[int, ...]]]:
        """Token ids of each text, one tuple per chunk (no special tokens, not truncated)."""
        chunked = [self._chunks(t) for t in texts]
        found = [list(map(self._known.get, chunks)) for chunks in chunked]
        new: dict[str, tuple[int, ...]] = {}
        for chunks, ids in zip(chunked, found):
            if None in ids:  # rare once a few hundred abstracts have been seen
                new.update((c, ()) for c, p in zip(chunks, ids) if p is None)
        if not new:
            return found  # type: ignore[return-value]
        encodings = self.tokenizer.encode_batch_fast(list(new), add_special_tokens=False)
        for chunk, enc in zip(list(new), encodings):
            new[chunk] = tuple(enc.ids)
        if len(self._known) < self.MAX_REMEMBERED:
            self._known.update(new)  # one dict update: safe across threads under the GIL
        return [[new[c] if p is None else p for c, p in zip(chunks, ids)] if None in ids else ids
                for chunks, ids in zip(chunked, found)]  # type: ignore[misc]

    def ids(self, text: str) -> list[int]:
        """Token ids of one text (no special tokens, at most :data:`MAX_TOKENS`)."""
        return list(itertools.chain.from_iterable(self.pieces([text])[0]))[:MAX_TOKENS]


def _tokenizer_file(source: str) -> Path:
    path = Path(model_location(source)) / "tokenizer.json"
    if not path.is_file():
        raise ParameterError(f"the static embedder needs a fast tokenizer (tokenizer.json) in {path.parent}")
    return path


def _load_tokenizer(path: Path) -> Any:
    tokenizers = import_optional("tokenizers", "The static embedder", "model")
    tok = tokenizers.Tokenizer.from_file(str(path))
    tok.no_padding()
    tok.enable_truncation(MAX_TOKENS)
    return tok


def distill(source: str = DEFAULT_MODEL, *, dims: int = 256, batch_size: int = 512,
            progress: bool = True) -> tuple[np.ndarray, dict]:
    """Distil a static token matrix from a transformer (model2vec's method).

    Parameters
    ----------
    source : str
        The sentence-transformers model to distil (bundled MiniLM by default).
    dims : int
        PCA dimensions kept (all of them when the model has no more).
    batch_size : int
        Tokens per forward pass.
    progress : bool
        Show a "Distilling static model" bar.

    Returns
    -------
    vectors : numpy.ndarray
        ``float32`` array ``(vocab_size, dims)``, SIF-weighted.
    meta : dict
        ``source_model``, ``tokenizer_sha256``, ``dims``, ``sif_coefficient``, ``seconds``.
    """
    t0 = time.perf_counter()
    location = model_location(source)
    tok_path = _tokenizer_file(source)
    set_offline_environment()
    torch = import_optional("torch", "Distilling the static embedder", "model")
    transformers = import_optional("transformers", "Distilling the static embedder", "model")
    from sklearn.decomposition import PCA

    set_torch_threads(torch)
    tokenizer = _load_tokenizer(tok_path)
    vocab_size = tokenizer.get_vocab_size(with_added_tokens=True)
    # The special tokens the model's template wraps a text in ([CLS] ... [SEP] for BERT).
    wrapped = tokenizer.post_process(tokenizer.encode("", add_special_tokens=False)).ids
    prefix, suffix = wrapped[:1], wrapped[1:]
    model = transformers.AutoModel.from_pretrained(location)
    model.eval()  # always on the CPU in fp32: the same matrix on every machine
    pooled = np.empty((vocab_size, model.config.hidden_size), dtype=np.float32)
    bar = progress_bar(total=vocab_size, desc="Distilling static model", unit="token",
                       disable=not progress)
    try:
        with torch.no_grad():
            for start in range(0, vocab_size, batch_size):
                ids = torch.arange(start, min(start + batch_size, vocab_size)).unsqueeze(1)
                n = len(ids)
                batch = torch.cat([torch.tensor([prefix] * n, dtype=torch.long).reshape(n, -1), ids,
                                   torch.tensor([suffix] * n, dtype=torch.long).reshape(n, -1)], 1)
                hidden = model(input_ids=batch, attention_mask=torch.ones_like(batch)).last_hidden_state
                pooled[start:start + n] = hidden.mean(dim=1).numpy()
                bar.update(n)
    finally:
        bar.close()
    if dims < pooled.shape[1]:
        pooled = PCA(n_components=dims, svd_solver="full", random_state=0).fit_transform(pooled)
    # Zipf's law by vocabulary rank stands in for token frequencies; SIF down-weights frequent ones.
    inv_rank = 1.0 / np.arange(2, vocab_size + 2)
    proba = inv_rank / inv_rank.sum()
    vectors = (pooled * (SIF_COEFFICIENT / (SIF_COEFFICIENT + proba))[:, None]).astype(np.float32)
    meta = {"source_model": model_key(source), "tokenizer_sha256": _file_hash(tok_path),
            "dims": int(vectors.shape[1]), "sif_coefficient": SIF_COEFFICIENT,
            "seconds": round(time.perf_counter() - t0, 2)}
    return vectors, meta


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class StaticEmbedder(BaseEmbedder):
    """Embed texts as the mean of distilled static token vectors (fast, CPU only).

    Parameters
    ----------
    model : str
        Source model to distil from (the bundled ``all-MiniLM-L6-v2`` by default).
    dims : int
        Dimensions of the distilled vectors.
    cache_dir : path-like or False, optional
        Cache of text vectors.  None (the default) means no cache: reading a cached
        vector from disk is slower than computing it.
    batch_size : int, optional
        Texts per call (1024 by default).
    progress : bool
        Show progress bars (distilling, embedding).
    model_dir : path-like, optional
        Where the distilled ``.npz`` lives; ``litscope.paths.cache_dir() / "models"`` by default.

    Attributes
    ----------
    distilled : bool
        Whether this instance distilled the model (False when it loaded the file).
    model_path : pathlib.Path
        The distilled model file.
    """

    default_batch_size = 1024
    use_cache_by_default = False

    def __init__(self, model: str = DEFAULT_MODEL, *, dims: int = 256, cache_dir: Any = None,
                 batch_size: int | None = None, progress: bool = True, model_dir: Any = None) -> None:
        if int(dims) < 1:
            raise ParameterError(f"dims must be >= 1, got {dims}")
        self.source_model = str(model)
        self.dims = int(dims)
        name = f"static-{model_key(self.source_model)}-d{self.dims}-v{FORMAT_VERSION}"
        super().__init__(name, cache_dir=cache_dir, batch_size=batch_size, progress=progress)
        root = Path(model_dir) if model_dir is not None else paths.cache_dir() / "models"
        self.model_path = root.expanduser() / f"{name}.npz"
        self.distilled = False

    @property
    def dim(self) -> int:
        """Length of one vector (known without loading for the bundled model)."""
        if self._model is None and self.source_model == DEFAULT_MODEL:
            return min(self.dims, 384)
        return int(self.model.vectors.shape[1])

    def spec(self) -> tuple[str, dict[str, Any]]:
        path, _ = super().spec()
        return path, {"model": self.source_model, "dims": self.dims, "batch_size": self.batch_size,
                      "model_dir": str(self.model_path.parent)}

    def _before_remote(self) -> None:
        self.model  # noqa: B018 - distil here once, not on every worker of a local cluster

    # ------------------------------------------------------------ model file
    def _read_model_file(self, tok_path: Path) -> tuple[np.ndarray, dict] | None:
        """The distilled matrix, or None when the file is missing, corrupt or stale."""
        try:
            with np.load(self.model_path, allow_pickle=False) as data:
                vectors = data["vectors"]
                meta = {k: data[k].item() for k in data.files if k != "vectors"}
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            return None
        expected = {"format_version": FORMAT_VERSION, "source_model": model_key(self.source_model),
                    "tokenizer_sha256": _file_hash(tok_path)}
        if any(meta.get(k) != v for k, v in expected.items()):
            return None
        if vectors.dtype != np.float32 or vectors.ndim != 2 or not np.isfinite(vectors).all():
            return None
        return vectors, meta

    def _write_model_file(self, vectors: np.ndarray, meta: dict) -> None:
        fields = {k: np.asarray(v) for k, v in {**meta, "format_version": FORMAT_VERSION}.items()}
        atomic_write(self.model_path, lambda fh: np.savez(fh, vectors=vectors, **fields))

    def _load(self) -> StaticModel:
        tok_path = _tokenizer_file(self.source_model)
        loaded = self._read_model_file(tok_path)
        if loaded is None:
            vectors, meta = distill(self.source_model, dims=self.dims, progress=self.progress)
            self._write_model_file(vectors, meta)
            self.distilled = True
        else:
            vectors, meta = loaded
        return StaticModel(WordTokenizer(_load_tokenizer(tok_path)), vectors, meta)

    def _model_dim(self) -> int:
        return int(self.model.vectors.shape[1])

    def _embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        from scipy import sparse

        static = self.model
        tokenizer = static.tokenizer
        ids = []
        for pieces in tokenizer.pieces(texts):
            n_tokens = sum(map(len, pieces))
            if n_tokens > MAX_TOKENS:
                pieces = [tuple(itertools.chain.from_iterable(pieces))[:MAX_TOKENS]]
            elif n_tokens == 0:  # the unknown token's vector: every row has unit norm
                pieces = [(tokenizer.unk_id,)]
            ids.append(pieces)
        lengths = np.fromiter((sum(map(len, p)) for p in ids), dtype=np.int64, count=len(ids))
        indptr = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        flat = np.fromiter(itertools.chain.from_iterable(itertools.chain.from_iterable(ids)),
                           dtype=np.int64, count=int(indptr[-1]))
        # Token counts per text times the token vectors: each row is summed on its own,
        # in token order, so a text's vector does not depend on its batch.
        counts = sparse.csr_matrix((np.ones(len(flat), dtype=np.float32), flat, indptr),
                                   shape=(len(ids), static.vectors.shape[0]))
        sums = np.asarray(counts @ static.vectors, dtype=np.float32)
        means = sums / lengths[:, None].astype(np.float32)
        norms = np.linalg.norm(means, axis=1, keepdims=True)
        return means / np.where(norms > 0, norms, 1.0)


__all__ = ["FORMAT_VERSION", "StaticEmbedder", "distill"]
