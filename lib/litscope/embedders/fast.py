"""A fast embedder for large corpora whose vectors live in MiniLM's space.

Method (a corpus-adapted projection).  In one :meth:`FastEmbedder.encode` call over
``n`` distinct texts:

1. A sample of ``s = min(n, max(800, ceil(0.02 n)))`` texts is embedded with the real
   teacher (:class:`~litscope.embedders.minilm.MiniLMEmbedder`, through its normal
   per-text disk cache, so a re-run embeds nothing).  The sample is the ``s`` texts
   with the smallest ``sha256("fast-v1:" + text)``: it does not depend on the row
   order of the input, and a grown corpus keeps most of its old sample.
2. Cheap lexical features are built for every text: TF-IDF of words (sublinear tf,
   ``min_df=2``, English stop words, L2-normalised rows), fitted on the whole corpus.
3. A ridge regression from features to the teacher's vectors is fitted on the sample,
   in closed form through its ``s x s`` kernel (linear kernel ridge with an intercept:
   ``W = F_s^T (F_s F_s^T + alpha I)^{-1} (Y_s - mean)``), and predicts the other
   texts' vectors, which are L2-normalised.  Sampled texts keep their true vectors.

When ``n <= s`` every text is in the sample: the output is exactly the teacher's.

On cohen2006 (3,397 abstracts, 800 sampled) the projected rows have a mean cosine of
0.80 to their true MiniLM vectors, and k-means(7) NMI is 0.726 against MiniLM's 0.72;
see the issue-7 notes for litscope's own topic scores.  At 100k texts the cost is the
sample (2,000 texts: two to three minutes of MiniLM on two CPU cores, nothing on a
re-run) plus some seconds of TF-IDF and one sparse matrix product.

Trade-off: a text's vector depends on the corpus it was encoded with (the vocabulary,
the IDF weights and the sample), so vectors of separate ``encode`` calls are not
comparable unless one of them is small enough to be all teacher, and there is no
per-text cache of projected vectors (``use_cache_by_default = False``); only the
sample's teacher vectors are cached, under the teacher's own key.  Small calls (label
phrases, a few summary sentences: at most 800 texts) are pure MiniLM.

Examples
--------
>>> e = FastEmbedder(progress=False, device="cpu")
>>> e.model_name, e.dim
('fast-all-MiniLM-L6-v2-v1', 384)
>>> sample_size(3397), sample_size(100_000)
(800, 2000)
"""

from __future__ import annotations

import hashlib
import math
from typing import Any, Sequence

import numpy as np

from .._memory import release_freed_memory
from ..errors import ParameterError
from ._base import BaseEmbedder
from .minilm import DEFAULT_MODEL, MiniLMEmbedder

#: Bumped whenever the sampling rule, the features or the regression change.
METHOD_VERSION = 1
#: Smallest sample, and the fraction of the corpus sampled beyond it.
MIN_SAMPLE = 800
SAMPLE_FRACTION = 0.02
#: Ridge penalty on the (unit-norm) TF-IDF rows.
DEFAULT_ALPHA = 0.3
#: Rows predicted per block (bounds the dense intermediate).
_BLOCK = 20_000


def sample_size(n: int) -> int:
    """Texts embedded by the teacher out of ``n`` distinct texts.

    >>> sample_size(10), sample_size(800), sample_size(50_000)
    (10, 800, 1000)
    """
    return min(n, max(MIN_SAMPLE, math.ceil(SAMPLE_FRACTION * n)))


def _sample_key(text: str) -> str:
    return hashlib.sha256(f"fast-v{METHOD_VERSION}:{text}".encode("utf-8")).hexdigest()


class FastEmbedder(BaseEmbedder):
    """MiniLM on a sample of the corpus, a ridge projection of TF-IDF for the rest.

    Parameters
    ----------
    model : str
        The teacher model (MiniLM by default).
    cache_dir : path-like or False, optional
        Cache root of the *teacher's* vectors (its default when None; False: none).
        Projected vectors are never cached.
    batch_size : int, optional
        Teacher texts per batch.
    device : str
        Device of the teacher (``"auto"``, ``"cpu"``, ``"cuda"``).
    progress : bool
        Show the teacher's progress bar.
    alpha : float
        Ridge penalty.
    teacher : BaseEmbedder, optional
        The embedder of the sample (built from the options above when None).
    """

    use_cache_by_default = False

    def __init__(self, model: str = DEFAULT_MODEL, *, cache_dir: Any = None, batch_size: int | None = None,
                 device: str = "auto", progress: bool = True, alpha: float = DEFAULT_ALPHA,
                 teacher: BaseEmbedder | None = None) -> None:
        if teacher is None:
            teacher = MiniLMEmbedder(model, cache_dir=cache_dir, batch_size=batch_size, device=device,
                                     progress=progress)
        if not alpha > 0:
            raise ParameterError(f"alpha must be > 0, got {alpha}")
        self.teacher = teacher
        self.alpha = float(alpha)
        super().__init__(f"fast-{teacher.model_name}-v{METHOD_VERSION}", cache_dir=False,
                         batch_size=batch_size, progress=progress)
        self.teacher_name = teacher.model_name
        self.n_sampled = 0
        self.n_projected = 0

    @property
    def dim(self) -> int:
        return self.teacher.dim

    @property
    def texts_embedded(self) -> int:  # type: ignore[override]
        """Texts the teacher actually embedded (not the projected ones)."""
        return self.teacher.texts_embedded

    @texts_embedded.setter
    def texts_embedded(self, value: int) -> None:
        pass  # BaseEmbedder.__init__ sets it; the teacher's counter is the truth

    @property
    def model_calls(self) -> int:  # type: ignore[override]
        return self.teacher.model_calls

    @model_calls.setter
    def model_calls(self, value: int) -> None:
        pass

    def _load(self) -> Any:
        return self.teacher.model

    def spec(self) -> tuple[str, dict[str, Any]]:
        raise ParameterError("the fast embedder's vectors depend on the whole corpus: "
                             "it cannot run on Dask workers (use dask= with minilm or static)")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed a corpus: teacher vectors for a sample, projected ones for the rest.

        Parameters
        ----------
        texts : list of str
            The corpus; duplicates get one vector.

        Returns
        -------
        numpy.ndarray
            ``float32`` array of shape ``(len(texts), dim)``, rows of unit L2 norm.
        """
        texts = ["" if t is None else str(t) for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Canonical order of the distinct texts: results never depend on input order.
        keyed = sorted({_sample_key(t): t for t in texts}.items())
        unique = [t for _, t in keyed]
        n = len(unique)
        s = sample_size(n)
        self.teacher.progress = self.progress
        Y_s = np.asarray(self.teacher.encode(unique[:s]), dtype=np.float32)
        self.n_sampled, self.n_projected = s, n - s
        if s == n:
            vecs = Y_s
        else:
            vecs = np.empty((n, Y_s.shape[1]), dtype=np.float32)
            vecs[:s] = Y_s
            self._project(unique, s, Y_s, out=vecs[s:])  # in place: no second n x dim array
        index = {t: i for i, t in enumerate(unique)}
        out = vecs[[index[t] for t in texts]]
        if s < n:
            del vecs, keyed, unique, index
            release_freed_memory()  # the TF-IDF matrices of the projection
        return out

    def _features(self, unique: list[str]) -> Any:
        """TF-IDF rows of the distinct texts (sparse, L2-normalised)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(sublinear_tf=True, min_df=2, stop_words="english",
                                              dtype=np.float32)
        try:
            return vectorizer.fit_transform(unique).tocsr()
        except ValueError:  # no term in two texts (a tiny or odd corpus): keep every term
            try:
                return TfidfVectorizer(sublinear_tf=True, dtype=np.float32).fit_transform(unique).tocsr()
            except ValueError:  # no words at all
                import scipy.sparse as sp

                return sp.csr_matrix((len(unique), 1), dtype=np.float32)

    def _project(self, unique: list[str], s: int, Y_s: np.ndarray,
                 out: np.ndarray | None = None) -> np.ndarray:
        """Predicted unit vectors of ``unique[s:]`` from a ridge fitted on the first ``s``.

        Written into ``out`` (``len(unique) - s`` rows) when given, and returned.
        """
        F = self._features(unique)
        F_s = F[:s]
        cols = np.unique(F_s.indices)  # other terms get zero weight: leave them out
        F_s = F_s[:, cols]
        rest = F[s:][:, cols]
        del F  # the whole corpus's TF-IDF is not needed past here (~100 MB at 100k texts)
        K = (F_s @ F_s.T).toarray().astype(np.float64)
        mu = Y_s.mean(axis=0, dtype=np.float64)
        A = np.linalg.solve(K + self.alpha * np.eye(s), Y_s.astype(np.float64) - mu)
        del K
        W = np.asarray(F_s.T @ A, dtype=np.float32)  # (terms in the sample, dim)
        del A, F_s
        if out is None:
            out = np.empty((rest.shape[0], Y_s.shape[1]), dtype=np.float32)
        for start in range(0, rest.shape[0], _BLOCK):
            block = np.asarray(rest[start:start + _BLOCK] @ W) + mu.astype(np.float32)
            norms = np.linalg.norm(block, axis=1, keepdims=True)
            out[start:start + _BLOCK] = block / np.where(norms > 0, norms, 1.0)
        return out


__all__ = ["FastEmbedder", "METHOD_VERSION", "sample_size"]
