"""The models loaded in this process, shared by every embedder that would load the same one.

An embedder loads its model on first use (:attr:`BaseEmbedder.model
<litscope.embedders.BaseEmbedder.model>` calls ``_load``). Reviews and their steps build
embedders afresh, so without sharing each one would load (or distil) the same model again:
in a notebook re-run cell by cell, in the kernel that ``litscope batch`` keeps for all its
reviews (:mod:`litscope.batch.kernel`), in one review whose screening and topic steps each
make an embedder. :func:`shared_model` keeps one loaded model per identity (the embedder's
class, model name, cache key, device and the options that build it, see :func:`identity`)
and counts the loads and the reuses per class; :func:`state` reports them (a batch prints
them, which shows that its second review did not pay for the model).

The models are only read (inference, ``eval()`` mode), so sharing one changes no vector.
A model stays loaded until :func:`clear` (or the end of the process).

Examples
--------
>>> from litscope.embedders import BaseEmbedder
>>> class Fake(BaseEmbedder):
...     def _load(self):
...         return object()
>>> clear()
>>> a, b = Fake("m").model, Fake("m").model
>>> a is b, a is Fake("other").model
(True, False)
>>> state("Fake")
{'loads': 2, 'reuses': 1, 'load_seconds': 0.0}
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any, Callable

from ..errors import LitscopeError

__all__ = ["clear", "identity", "shared_model", "state"]

_MODELS: dict[tuple, Any] = {}
_COUNTS: dict[str, dict[str, float]] = {}
# Reentrant: a model's loading may load another embedder's model (a teacher, a source model).
_LOCK = threading.RLock()


def identity(embedder: Any) -> tuple | None:
    """What makes two embedders' models the same: None when the model cannot be shared.

    The class, :attr:`model_name`, :attr:`cache_key`, the device, and the options of
    :meth:`spec` (how to build an equivalent embedder: the static model's folder, for one)
    except the batch size. An embedder without a spec (the fast embedder, whose model is its
    teacher's: shared as the teacher's) or whose class sets ``shares_model = False`` (the Dask
    wrapper, likewise) has none.
    """
    if not getattr(embedder, "shares_model", True):
        return None
    try:
        _, options = embedder.spec()
    except LitscopeError:
        return None
    cls = type(embedder)
    built_from = sorted((k, repr(v)) for k, v in options.items() if k != "batch_size")
    return (f"{cls.__module__}:{cls.__qualname__}", str(embedder.model_name), str(embedder.cache_key),
            str(getattr(embedder, "device", "")), tuple(built_from))


def shared_model(embedder: Any, load: Callable[[], Any]) -> Any:
    """The model loaded in this process for ``embedder``'s identity, ``load()``-ed on first use."""
    key = identity(embedder)
    if key is None:
        return load()
    with _LOCK:  # held while loading: two threads asking for one model load it once
        counts = _COUNTS.setdefault(type(embedder).__name__, {"loads": 0, "reuses": 0, "load_seconds": 0.0})
        if key in _MODELS:
            counts["reuses"] += 1
            return _MODELS[key]
        started = time.perf_counter()
        model = load()
        counts["loads"] += 1
        counts["load_seconds"] += time.perf_counter() - started
        _MODELS[key] = model
        return model


def state(cls: type | str | None = None) -> dict[str, Any]:
    """Loads, reuses and seconds spent loading so far in this process.

    Of one embedder class (by class or name), or all of them with this process's ``pid``:
    ``{"pid": ..., "models": {class name: {"loads", "reuses", "load_seconds"}}}``.
    """
    if cls is not None:
        name = cls if isinstance(cls, str) else cls.__name__
        counts = _COUNTS.get(name, {"loads": 0, "reuses": 0, "load_seconds": 0.0})
        return {"loads": int(counts["loads"]), "reuses": int(counts["reuses"]),
                "load_seconds": round(float(counts["load_seconds"]), 3)}
    return {"pid": os.getpid(), "models": {name: state(name) for name in sorted(_COUNTS)}}


def clear() -> None:
    """Forget the loaded models and the counts (the next use loads again, as a new process would)."""
    with _LOCK:
        _MODELS.clear()
        _COUNTS.clear()
