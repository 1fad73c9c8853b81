"""Progress bars and stage lines: in a terminal, in JupyterLab, and relayed out of a kernel.

Every progress bar of litscope is made by :func:`bar` and every pipeline stage is announced
by :func:`stage` (which :class:`litscope.timing.StageTimer` calls), so progress looks the
same wherever the library runs:

* in a terminal (or a script), :func:`bar` is a plain tqdm bar on stderr;
* in a Jupyter kernel with ipywidgets (JupyterLab), it is tqdm's widget bar; without
  ipywidgets, a text bar on stderr (no "IProgress not found" error or warnings);
* when the environment variable ``LITSCOPE_PROGRESS`` names a file (``litscope review``
  sets it for the kernel that runs the review notebook), bars and stages print *nothing*
  (so the executed notebook and the report hold no progress text) and append JSON lines
  to that file instead. On the other side, :class:`litscope.relay.Relay` tails the file and
  draws the stage lines and live bars in the user's terminal.

Events, one JSON object per line::

    {"t": 1717.2, "kind": "stage", "name": "embed", "state": "start"}
    {"t": 1729.5, "kind": "stage", "name": "embed", "state": "end", "seconds": 12.3}
    {"t": 1717.3, "kind": "bar", "id": "4242-1", "desc": "Embedding", "n": 40, "total": 91,
     "unit": "text", "rate": 11.2, "elapsed": 3.6, "state": "open|update|close"}

Bar updates are throttled to one line every :data:`WRITE_INTERVAL` seconds per bar; the
``open`` and ``close`` lines are always written, so the file ends with each bar's final count.

Examples
--------
Without ``LITSCOPE_PROGRESS`` a bar is an ordinary tqdm bar:

>>> from litscope import progress
>>> total = 0
>>> for x in progress.bar(range(3), desc="Counting", disable=True):
...     total += x
>>> total
3

With it, bars and stages are written to the file (here read back, as the relay does):

>>> import json, os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "progress.jsonl")
>>> os.environ[progress.ENV_VAR] = path
>>> with progress.stage("load"):
...     for _ in progress.bar(range(5), desc="Loading", unit="file"):
...         pass
>>> del os.environ[progress.ENV_VAR]
>>> events = [json.loads(line) for line in open(path, encoding="utf-8")]
>>> [(e["kind"], e["state"]) for e in events if e["state"] != "update"]
[('stage', 'start'), ('bar', 'open'), ('bar', 'close'), ('stage', 'end')]
>>> last_bar = [e for e in events if e["kind"] == "bar"][-1]
>>> last_bar["desc"], last_bar["n"], last_bar["total"], last_bar["unit"]
('Loading', 5, 5, 'file')
"""

from __future__ import annotations

import importlib.util
import io
import itertools
import json
import os
import sys
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterable, Iterator
from weakref import WeakSet

from tqdm.std import tqdm as _std_tqdm

__all__ = ["bar", "stage", "Relay", "progress_file", "format_seconds", "ENV_VAR", "WRITE_INTERVAL"]

#: The environment variable naming the file that bars and stages are relayed through.
ENV_VAR = "LITSCOPE_PROGRESS"
#: Seconds between two ``update`` lines of one bar in the progress file (at most ~4 a second).
WRITE_INTERVAL = 0.25

_ids = itertools.count(1)
_write_lock = threading.Lock()


def progress_file() -> str | None:
    """The file progress is relayed through (``$LITSCOPE_PROGRESS``), or None.

    >>> import os
    >>> progress_file() if ENV_VAR not in os.environ else None
    """
    return os.environ.get(ENV_VAR) or None


def _emit(path: str, event: dict[str, Any]) -> None:
    """Append one event as a JSON line, flushed; progress must never break a review."""
    event = {"t": round(time.time(), 3), **event}
    line = json.dumps(event, ensure_ascii=False, default=str) + "\n"
    try:
        with _write_lock, open(path, "a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
    except OSError:
        pass


# --------------------------------------------------------------------------- kernel side

class _NullFile(io.TextIOBase):
    """Where a relayed bar's own text goes: nowhere (not the notebook's stderr)."""

    def write(self, text: str) -> int:
        return len(text)

    def isatty(self) -> bool:
        return False


class _RelayedBar(_std_tqdm):
    """A tqdm bar that writes JSON events to the progress file instead of drawing itself."""

    # Own registry: these bars take no screen position next to the bars of a Relay.
    _instances = WeakSet()  # type: ignore[assignment]

    def __init__(self, *args: Any, relay_path: str, **kwargs: Any) -> None:
        self._relay_path = relay_path
        self._relay_id = f"{os.getpid()}-{next(_ids)}"
        self._relay_last = 0.0
        self._relay_opened = False
        self._relay_closed = False
        kwargs["file"] = _NullFile()
        kwargs["mininterval"] = max(float(kwargs.get("mininterval") or 0.0), WRITE_INTERVAL)
        if kwargs.get("disable") is None:
            kwargs["disable"] = False  # tqdm would disable itself: the null file is no tty
        super().__init__(*args, **kwargs)
        if not self.disable:
            self._relay_opened = True
            self._relay_emit("open")

    def _relay_emit(self, state: str) -> None:
        self._relay_last = time.monotonic()
        fmt = self.format_dict
        n, elapsed = fmt.get("n", self.n), float(fmt.get("elapsed") or 0.0)
        rate = fmt.get("rate")
        if state == "close" or not rate:
            rate = n / elapsed if elapsed > 0 and n else None
        _emit(self._relay_path, {
            "kind": "bar", "id": self._relay_id, "desc": self.desc, "n": n,
            "total": self.total, "unit": self.unit,
            "rate": None if rate is None else round(float(rate), 3),
            "elapsed": round(elapsed, 3), "state": state})

    def display(self, msg: str | None = None, pos: int | None = None) -> bool:  # noqa: ARG002
        if (self._relay_opened and not self._relay_closed
                and time.monotonic() - self._relay_last >= WRITE_INTERVAL):
            self._relay_emit("update")
        return True

    def close(self) -> None:
        if self.disable or self._relay_closed:
            return super().close()
        super().close()
        self._relay_closed = True
        if self._relay_opened:
            self._relay_emit("close")


_widgets: bool | None = None


def _in_kernel() -> bool:
    """Whether this code runs in a Jupyter kernel (tqdm.auto's test)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:
        return False
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def _has_widgets() -> bool:
    global _widgets
    if _widgets is None:
        try:
            _widgets = importlib.util.find_spec("ipywidgets") is not None
        except (ImportError, ValueError):
            _widgets = False
    return _widgets


def bar(iterable: Iterable | None = None, *, total: float | None = None, desc: str,
        unit: str = "it", disable: bool | None = False, leave: bool = False, **kwargs: Any):
    """A progress bar: tqdm in a terminal, a widget in JupyterLab, relayed under the CLI.

    Parameters
    ----------
    iterable : iterable, optional
        What to iterate over, as with ``tqdm(iterable)``; or None and call ``update(n)``.
    total : number, optional
        Expected number of items (default: ``len(iterable)`` where it has one).
    desc : str
        What is being done ("Embedding"); shown before the bar and by the relay.
    unit : str
        What one item is ("text", "file"), for the count and the rate.
    disable : bool
        No bar at all (iterating still works).
    leave : bool
        Keep the finished bar on screen (terminal and JupyterLab).
    **kwargs
        Passed to tqdm (``mininterval``, ``initial``, ...).

    Returns
    -------
    tqdm.std.tqdm
        A tqdm object (``update``, ``close``, ``set_description``, context manager,
        iteration). When ``$LITSCOPE_PROGRESS`` names a file it draws nothing itself and
        appends ``open``/``update``/``close`` events to that file (see the module docs).

    Examples
    --------
    >>> with bar(total=10, desc="Linking", unit="link", disable=True) as b:
    ...     _ = b.update(10)
    """
    path = progress_file()
    if path is not None:
        return _RelayedBar(iterable, total=total, desc=desc, unit=unit, disable=disable,
                           leave=leave, relay_path=path, **kwargs)
    if _in_kernel() and _has_widgets():
        from tqdm.notebook import tqdm as notebook_tqdm

        return notebook_tqdm(iterable, total=total, desc=desc, unit=unit, disable=disable,
                             leave=leave, **kwargs)
    return _std_tqdm(iterable, total=total, desc=desc, unit=unit, disable=disable, leave=leave,
                     **kwargs)


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Announce a pipeline stage: ``start`` and ``end`` events in the progress file.

    A no-op (nothing printed, nothing written) when ``$LITSCOPE_PROGRESS`` is not set.
    The ``end`` event holds the stage's wall-clock ``seconds`` and ``"error": true`` when
    the block raised.

    Examples
    --------
    >>> with stage("topics"):
    ...     pass
    """
    path = progress_file()
    if path is None:
        yield
        return
    _emit(path, {"kind": "stage", "name": name, "state": "start"})
    start = time.perf_counter()
    failed = True
    try:
        yield
        failed = False
    finally:
        event = {"kind": "stage", "name": name, "state": "end",
                 "seconds": round(time.perf_counter() - start, 3)}
        if failed:
            event["error"] = True
        _emit(path, event)


from .relay import Relay, format_seconds  # noqa: E402,F401  (the CLI side, also importable from here)
