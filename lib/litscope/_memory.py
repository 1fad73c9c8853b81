"""Hand freed heap memory back to the operating system after a large stage.

CPython frees the objects of a finished stage (the topic step's word index, UMAP's
graphs), but glibc's allocator keeps most of the freed pages mapped, so the
process's resident size stays at the stage's peak for the rest of the review,
while the notebook runner's own memory grows with the report.
:func:`release_freed_memory` asks glibc to return them (``malloc_trim``); elsewhere
(macOS, Windows, musl) it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys

_TRIM = None


def release_freed_memory() -> bool:
    """Collect garbage, then return the allocator's free pages to the OS (glibc only).

    Returns whether memory was handed back.  Results of the program never depend on it.

    Examples
    --------
    >>> isinstance(release_freed_memory(), bool)
    True
    """
    global _TRIM
    gc.collect()
    if not sys.platform.startswith("linux"):
        return False
    if _TRIM is None:
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _TRIM = libc.malloc_trim
            _TRIM.argtypes = [ctypes.c_size_t]
            _TRIM.restype = ctypes.c_int
        except (OSError, AttributeError):  # not glibc
            _TRIM = False
    if not _TRIM:
        return False
    return bool(_TRIM(0))


__all__ = ["release_freed_memory"]
