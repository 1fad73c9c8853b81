"""One loaded model per process: what lets the reviews of a batch share the embedding model.

Each review builds its embedders afresh (``pipeline`` calls ``make_embedder``), and an
embedder loads its model on first use (``BaseEmbedder._load``). In the kernel that a batch
keeps for all its reviews, :func:`install` wraps ``_load`` of the sentence-transformers
embedder (``MiniLMEmbedder``) and of the static one (``StaticEmbedder``) so that a model
already loaded in this process, for the same model, cache key and device, is returned
instead of being loaded again. :func:`state` counts the loads and the reuses, which is how
a batch shows that its second review did not pay for the model.

The models are only read (inference, ``eval()`` mode), so sharing them between reviews
changes no vector: the same model object gives the same output.

Examples
--------
>>> class Fake:
...     model_name, cache_key = "m", "m"
...     def _load(self):
...         return object()
>>> _ = install(classes=[Fake])
>>> a, b = Fake()._load(), Fake()._load()
>>> a is b, state(Fake)["loads"], state(Fake)["reuses"]
(True, 1, 1)
"""

from __future__ import annotations

import functools
import os
import threading
import time
from typing import Any, Iterable

__all__ = ["install", "state", "SHARED_CLASSES"]

#: The embedders whose loaded model a process shares (module, class).
SHARED_CLASSES = (("litscope.embedders.minilm", "MiniLMEmbedder"),
                  ("litscope.embedders.static", "StaticEmbedder"))

_MODELS: dict[tuple, Any] = {}
_COUNTS: dict[str, dict[str, float]] = {}
_LOCK = threading.Lock()


def _key(embedder: Any) -> tuple:
    return (type(embedder).__name__, str(getattr(embedder, "model_name", "")),
            str(getattr(embedder, "cache_key", "")), str(getattr(embedder, "device", "")))


def _shared(cls: type, load: Any) -> Any:
    @functools.wraps(load)
    def _load(self: Any) -> Any:
        key = _key(self)
        counts = _COUNTS.setdefault(cls.__name__, {"loads": 0, "reuses": 0, "load_seconds": 0.0})
        with _LOCK:
            if key in _MODELS:
                counts["reuses"] += 1
                return _MODELS[key]
            started = time.perf_counter()
            model = load(self)
            counts["loads"] += 1
            counts["load_seconds"] += time.perf_counter() - started
            _MODELS[key] = model
            return model

    _load.__litscope_shared__ = True  # type: ignore[attr-defined]
    return _load


def install(classes: Iterable[type] | None = None) -> list[str]:
    """Make the embedder classes share loaded models in this process; their names.

    Installing twice changes nothing. Without ``classes``, :data:`SHARED_CLASSES`.
    """
    import importlib

    if classes is None:
        classes = [getattr(importlib.import_module(m), c) for m, c in SHARED_CLASSES]
    names = []
    for cls in classes:
        load = cls.__dict__.get("_load")
        if load is not None and not getattr(load, "__litscope_shared__", False):
            cls._load = _shared(cls, load)
        names.append(cls.__name__)
    return names


def state(cls: type | str | None = None) -> dict[str, Any]:
    """Loads and reuses so far in this process (of one class, or totals with ``pid``)."""
    if cls is not None:
        name = cls if isinstance(cls, str) else cls.__name__
        counts = _COUNTS.get(name, {"loads": 0, "reuses": 0, "load_seconds": 0.0})
        return {"loads": int(counts["loads"]), "reuses": int(counts["reuses"]),
                "load_seconds": round(float(counts["load_seconds"]), 3)}
    return {"pid": os.getpid(), "models": {name: state(name) for name in sorted(_COUNTS)}}
