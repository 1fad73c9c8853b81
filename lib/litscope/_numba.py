"""Numba's on-disk cache in litscope's cache folder, so a new process reuses compiled code.

UMAP and pynndescent compile their numba functions the first time they run in
a process.  The functions they declare with ``cache=True`` (most of
pynndescent's nearest-neighbour search and tree code, UMAP's layout
optimiser) are written to numba's cache and loaded by later processes instead
of being compiled again.  By default numba writes that cache next to the
installed package (``__pycache__``), which fails silently in a read-only
environment; :func:`configure_cache` points ``NUMBA_CACHE_DIR`` at
``litscope.paths.cache_dir() / "numba"`` unless it is already set.

It must run before numba is imported (litscope calls it before importing
UMAP, pynndescent, HDBSCAN or BERTopic); when numba is already imported the
running configuration is updated too, which covers the functions compiled
from then on.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

_DONE = False


def configure_cache() -> str | None:
    """Set ``NUMBA_CACHE_DIR`` (when unset) and return the folder numba caches to.

    ``None`` when the folder cannot be created (numba then keeps its default).
    Calling it again does nothing.
    """
    global _DONE
    current = os.environ.get("NUMBA_CACHE_DIR")
    if _DONE or current:
        _DONE = True
        return current or None
    from . import paths

    folder = Path(paths.cache_dir()) / "numba"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        _DONE = True
        return None
    os.environ["NUMBA_CACHE_DIR"] = str(folder)
    if "numba" in sys.modules:  # imported already: numba reads its config at import
        try:
            from numba.core import config

            config.CACHE_DIR = str(folder)
        except Exception:  # pragma: no cover - unknown numba layout
            pass
    _DONE = True
    return str(folder)


def cache_compiled(*module_names: str) -> int:
    """Turn on numba's disk cache for the jitted functions of these (imported) modules.

    UMAP declares most of its numba functions without ``cache=True``
    (the fuzzy graph, the spectral helpers, parts of the layout), so every new
    process compiles them again; enabling the cache on those dispatchers before
    their first call writes them to ``NUMBA_CACHE_DIR`` like the others.  A
    function numba cannot cache is compiled as before.  Returns how many
    dispatchers were switched on.
    """
    try:
        from numba.core.caching import NullCache
        from numba.core.dispatcher import Dispatcher
    except Exception:  # pragma: no cover - numba missing or changed
        return 0
    switched = 0
    for name in module_names:
        module = sys.modules.get(name)
        if module is None:
            continue
        for obj in list(vars(module).values()):
            if not isinstance(obj, Dispatcher) or getattr(obj, "py_func", None) is None:
                continue
            if getattr(obj.py_func, "__module__", None) != name:
                continue
            if isinstance(getattr(obj, "_cache", None), NullCache):
                try:
                    obj.enable_caching()
                    switched += 1
                except Exception:  # pragma: no cover - not cacheable: compile as usual
                    pass
    return switched


__all__ = ["cache_compiled", "configure_cache"]
