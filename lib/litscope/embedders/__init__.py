"""Embedders: swappable steps that turn texts into unit vectors.

Every embedder keeps the contract of :class:`BaseEmbedder` (``encode(texts)``
returns ``float32`` rows of unit norm, cached on disk, with ``dim``,
``model_name`` and call counters), so the topic and summary steps take any of
them.  :func:`make_embedder` builds one by name:

==========  ===============================================================
name        what it is
==========  ===============================================================
``minilm``  ``all-MiniLM-L6-v2`` via sentence-transformers (the default);
            fp16 on a CUDA GPU when ``device="auto"`` finds one
``static``  a static model distilled locally from MiniLM (model2vec's
            method): pure numpy, thousands of abstracts a second on a CPU
``fast``    MiniLM's space for large corpora: MiniLM embeds a sample
            (``max(800, 2 %)`` of the texts), a ridge regression from TF-IDF
            predicts the rest; vectors depend on the corpus (no per-text cache)
==========  ===============================================================

With ``dask="tcp://host:8786"`` (or ``"local"``) the uncached texts are embedded
on a Dask cluster instead (:class:`~litscope.embedders.dask.DaskEmbedder`).

Examples
--------
>>> from litscope.embedders import available_embedders, make_embedder
>>> available_embedders()
['fast', 'minilm', 'static']
>>> make_embedder("static", progress=False).dim
256
>>> make_embedder("bert")
Traceback (most recent call last):
...
litscope.errors.ParameterError: unknown embedder 'bert'; choose one of: fast, minilm, static
"""

from __future__ import annotations

import importlib
from typing import Any

from ..errors import ParameterError
from ._base import BaseEmbedder, text_hash

# name -> (module, class); modules are imported only when their embedder is made.
_REGISTRY: dict[str, tuple[str, str]] = {
    "minilm": ("litscope.embedders.minilm", "MiniLMEmbedder"),
    "static": ("litscope.embedders.static", "StaticEmbedder"),
    "fast": ("litscope.embedders.fast", "FastEmbedder"),
}
# Options an implementation does not take (the static model is always on the CPU).
_IGNORED: dict[str, frozenset[str]] = {"static": frozenset({"device"})}


def available_embedders() -> list[str]:
    """Names :func:`make_embedder` accepts."""
    return sorted(_REGISTRY)


def embedder_class(name: str) -> type[BaseEmbedder]:
    """The class registered under ``name``.

    Raises
    ------
    ParameterError
        For an unknown name; the message lists the choices.
    """
    if name not in _REGISTRY:
        raise ParameterError(f"unknown embedder {name!r}; choose one of: {', '.join(available_embedders())}")
    module, cls = _REGISTRY[name]
    return getattr(importlib.import_module(module), cls)


def make_embedder(name: str = "minilm", *, dask: str | None = None, cache_dir: Any = None,
                  progress: bool = True, device: str = "auto", batch_size: int | None = None,
                  **options: Any) -> BaseEmbedder:
    """Build an embedder by name.

    Parameters
    ----------
    name : {"minilm", "static", "fast"}
        Which embedder.
    dask : str, optional
        A Dask scheduler address, or ``"local"`` for a cluster on this machine:
        uncached texts are then embedded on its workers.
    cache_dir : path-like or False, optional
        Cache root of the text vectors (the embedder's default when None; False: none).
    progress : bool
        Show progress bars.
    device : str
        ``"auto"``, ``"cpu"`` or a CUDA device (ignored by ``static``, which runs on the CPU).
    batch_size : int, optional
        Texts per model call (the embedder's default when None).
    **options
        Passed to the embedder's class (``model``; ``dims`` and ``model_dir`` for ``static``;
        ``alpha`` and ``teacher`` for ``fast``).

    Returns
    -------
    BaseEmbedder
    """
    cls = embedder_class(name)
    kwargs: dict[str, Any] = {"cache_dir": cache_dir, "progress": progress, "device": device,
                              "batch_size": batch_size, **options}
    for key in _IGNORED.get(name, ()):
        kwargs.pop(key, None)
    embedder = cls(**kwargs)
    if dask is None:
        return embedder
    from .dask import DaskEmbedder  # only now: without dask= nothing about Dask is imported

    return DaskEmbedder(embedder, dask)


__all__ = ["BaseEmbedder", "available_embedders", "embedder_class", "make_embedder", "text_hash"]
