"""Atomic file writes: readers see the old file or the whole new one, never half of it.

Every file litscope writes where a reader (a browser, another run, a later
stage) may look at it meanwhile goes through here: the data is written to a
temporary file beside the target and renamed over it with :func:`os.replace`,
which is atomic on one file system.  A failed write removes the temporary file
and leaves the target as it was.

* :func:`atomic_write` writes bytes, text (UTF-8) or whatever a callable writes
  to a binary file handle.
* :func:`replacing` is the same as a context manager around a temporary *path*,
  for a writer that takes a file name (Chromium printing a PDF).

Examples
--------
>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "out" / "a.txt"
>>> atomic_write(target, "caf\\u00e9").read_bytes()
b'caf\\xc3\\xa9'
>>> atomic_write(target, lambda fh: fh.write(b"new")).read_text()
'new'
>>> sorted(p.name for p in target.parent.iterdir())  # no temporary file left behind
['a.txt']
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator

__all__ = ["atomic_write", "replacing"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def replacing(path: str | os.PathLike, *, private: bool = False) -> Iterator[Path]:
    """A temporary file beside ``path`` that replaces ``path`` when the block ends without error.

    Parameters
    ----------
    path : path
        The target; its parent folders are created.
    private : bool
        Keep the file readable by its owner only (mode 0600, e.g. caches); by default the
        file gets the mode a plain ``open()`` would give it (0666 less the umask), not
        the 0600 of :func:`tempfile.mkstemp`, so a report is not made private.

    Yields
    ------
    Path
        The temporary file (created empty). The block may write it, or remove it and let
        another program create it; it must exist when the block ends.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "b.bin"
    >>> with replacing(target) as tmp:
    ...     _ = tmp.write_bytes(b"ok")
    >>> target.read_bytes()
    b'ok'
    >>> with replacing(target) as tmp:  # an error leaves the old file
    ...     _ = tmp.write_bytes(b"half")
    ...     raise KeyError("stop")
    Traceback (most recent call last):
    ...
    KeyError: 'stop'
    >>> target.read_bytes(), len(list(target.parent.iterdir()))
    (b'ok', 1)
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if not private:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise


def atomic_write(path: str | os.PathLike, data: bytes | str | Callable[[BinaryIO], Any], *,
                 private: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically and return ``path``.

    Parameters
    ----------
    path : path
        The target; its parent folders are created.
    data : bytes, str or callable
        The content (a str is encoded as UTF-8), or ``write(fh)`` called with the
        temporary file open in binary mode (``pickle.dump``, ``np.save``).
    private : bool
        Mode 0600 instead of the usual 0666 less the umask (see :func:`replacing`).
    """
    with replacing(path, private=private) as tmp:
        with open(tmp, "wb") as fh:
            if callable(data):
                data(fh)
            else:
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)
