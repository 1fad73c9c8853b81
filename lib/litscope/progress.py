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
  to that file instead. On the other side, :class:`Relay` tails the file and draws the
  stage lines and live bars in the user's terminal.

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
from pathlib import Path
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


# --------------------------------------------------------------------------- CLI side

def format_seconds(value: float) -> str:
    """Seconds as the relay prints them.

    >>> format_seconds(12.34), format_seconds(75), format_seconds(3725)
    ('12.3 s', '1:15', '1:02:05')
    """
    if value < 60:
        return f"{value:.1f} s"
    minutes, secs = divmod(int(round(value)), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}" if minutes >= 60 else f"{minutes}:{secs:02d}"


def _number(value: Any) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return str(int(value)) if isinstance(value, (int, float)) else str(value)


class Relay:
    """Draw the stages and bars a kernel writes to a progress file, in this terminal.

    A daemon thread reads the new lines of ``path`` every ``interval`` seconds and prints:

    * ``▶ embed`` when a stage starts and ``✓ embed 12.3 s`` when it ends (``✗`` when it
      raised); consecutive runs of one stage (the report's many ``figures`` cells) make
      one line with their total time;
    * one live tqdm bar per open kernel bar (description, count, rate, ETA), then a line
      ``  Embedding: 91/91 text in 8.2 s (11.1 text/s)`` when it closes;
    * with :meth:`cell`, a status line ``embed · cell 4/14 · 01:02`` at the top.

    Live bars and the status line are drawn only when ``live`` (default: the stream is a
    terminal); otherwise only the stage and summary lines are written, as in a log file.
    Lines that are cut short, not JSON, or not events are skipped.

    Use it as a context manager (:meth:`start` / :meth:`stop`); :meth:`stop` reads the
    file to its end first, so nothing written before it is lost.

    Parameters
    ----------
    path : path
        The progress file (it need not exist yet).
    stream : file, optional
        Where to draw (default: ``sys.stderr`` at the time of the call).
    live : bool, optional
        Draw live bars (default: ``stream.isatty()``).
    interval : float
        Seconds between two reads of the file.

    Examples
    --------
    >>> import io, json, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "progress.jsonl")
    >>> events = [{"kind": "stage", "name": "load", "state": "start"},
    ...           {"kind": "bar", "id": "1", "desc": "Loading", "n": 3, "total": 3,
    ...            "unit": "file", "rate": 6.0, "elapsed": 0.5, "state": "close"},
    ...           {"kind": "stage", "name": "load", "state": "end", "seconds": 0.52}]
    >>> with open(path, "w") as fh:
    ...     _ = fh.write("".join(json.dumps(e) + "\\n" for e in events) + "not json\\n{")
    >>> out = io.StringIO()
    >>> with Relay(path, stream=out):
    ...     pass
    >>> print(out.getvalue(), end="")
    ▶ load
      Loading: 3/3 file in 0.5 s (6.0 file/s)
    ✓ load 0.5 s
    """

    def __init__(self, path: str | os.PathLike, *, stream: Any = None, live: bool | None = None,
                 interval: float = 0.2) -> None:
        self.path = Path(path)
        self.stream = stream if stream is not None else sys.stderr
        if live is None:
            try:
                live = bool(self.stream.isatty())
            except (AttributeError, ValueError):
                live = False
        self.live = live
        self.interval = interval
        self._offset = 0
        self._partial = b""
        self._bars: dict[str, dict[str, Any]] = {}
        self._running: list[str] = []
        self._pending: list[Any] | None = None  # [name, seconds, parts, error, since]
        self._status: _std_tqdm | None = None
        self._cells = (0, 0)
        self._merged: list[Any] | None = None
        self._started = time.monotonic()
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ----------------------------------------------------------------- lifecycle
    def start(self) -> "Relay":
        """Start the reading thread (once)."""
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="litscope-progress-relay",
                                            daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the thread, read the file to its end, close the bars, print what is pending."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        with self._lock:
            self.poll(final=True)
            self._flush_pending()
            for state in self._bars.values():
                if state.get("tqdm") is not None:
                    state["tqdm"].close()
            self._bars.clear()
            if self._status is not None:
                self._status.close()
                self._status = None

    def __enter__(self) -> "Relay":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                with self._lock:
                    self.poll()
                    self._tick()
            except Exception:  # a relay must never take the review down
                pass

    # ----------------------------------------------------------------- reading
    def poll(self, final: bool = False) -> int:
        """Read and draw the lines added since the last call; returns how many were events."""
        with self._lock:
            try:
                with open(self.path, "rb") as fh:
                    fh.seek(0, os.SEEK_END)
                    size = fh.tell()
                    if size < self._offset:  # the file was replaced or truncated
                        self._offset, self._partial = 0, b""
                    fh.seek(self._offset)
                    data = fh.read()
                    self._offset += len(data)
            except OSError:
                data = b""
            chunk = self._partial + data
            lines = chunk.split(b"\n")
            self._partial = lines.pop()
            if len(self._partial) > 1 << 20:  # a "line" of a megabyte is no event
                self._partial = b""
            if final and self._partial:
                lines.append(self._partial)
                self._partial = b""
            handled = 0
            for raw in lines:
                try:
                    event = json.loads(raw.decode("utf-8", errors="replace"))
                except ValueError:
                    continue
                if isinstance(event, dict):
                    try:
                        handled += self._handle(event)
                    except Exception:
                        continue
            return handled

    def _handle(self, event: dict[str, Any]) -> int:
        kind, state = event.get("kind"), event.get("state")
        if kind == "stage" and isinstance(event.get("name"), str):
            if state == "start":
                self._stage_start(event["name"])
                return 1
            if state == "end":
                self._stage_end(event["name"], float(event.get("seconds") or 0.0),
                                bool(event.get("error")))
                return 1
        elif kind == "bar" and event.get("id") is not None and state in ("open", "update", "close"):
            self._bar(event, state)
            return 1
        return 0

    # ----------------------------------------------------------------- drawing
    def _print(self, text: str) -> None:
        if self.live and (self._status is not None
                          or any(s.get("tqdm") is not None for s in self._bars.values())):
            _std_tqdm.write(text, file=self.stream)
        else:
            self.stream.write(text + "\n")
        try:
            self.stream.flush()
        except (AttributeError, ValueError, OSError):
            pass

    def _stage_start(self, name: str) -> None:
        pending = self._pending
        if pending is not None and pending[0] == name and not pending[3]:
            self._pending = None  # one more part of the stage that just ended
            self._running.append(name)
            self._merged = pending
        else:
            self._flush_pending()
            self._merged = None
            self._running.append(name)
            self._print(f"▶ {name}")
        self._update_status()

    def _stage_end(self, name: str, seconds: float, error: bool) -> None:
        if name in self._running:
            del self._running[len(self._running) - 1 - self._running[::-1].index(name)]
        merged = self._merged
        if merged is not None and merged[0] == name:
            merged[1] += seconds
            merged[2] += 1
            merged[3] = merged[3] or error
            merged[4] = time.monotonic()
            self._merged = None
            self._flush_pending()
            self._pending = merged
        else:
            self._flush_pending()
            self._pending = [name, seconds, 1, error, time.monotonic()]
        self._update_status()

    def _flush_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is None:
            return
        name, seconds, parts, error, _since = pending
        mark = "✗" if error else "✓"
        failed = " (failed)" if error else ""
        self._print(f"{mark} {name} {format_seconds(seconds)}{failed}")

    def _bar(self, event: dict[str, Any], state: str) -> None:
        key = str(event["id"])
        info = self._bars.get(key)
        if info is None:
            info = {"n": 0, "opened": time.monotonic(), "tqdm": None}
            self._bars[key] = info
            if self.live:
                info["tqdm"] = _std_tqdm(total=event.get("total"), desc=str(event.get("desc") or ""),
                                         unit=str(event.get("unit") or "it"), file=self.stream,
                                         leave=False, dynamic_ncols=True, mininterval=0.1)
        n = event.get("n") or 0
        total = event.get("total")
        bar_ = info["tqdm"]
        if bar_ is not None:
            if total != bar_.total:
                bar_.total = total
            delta = n - info["n"]
            if delta >= 0:
                bar_.update(delta)
            else:
                bar_.n = n
                bar_.refresh()
        info["n"] = n
        if state == "close":
            if bar_ is not None:
                bar_.close()
            del self._bars[key]
            self._print(self._summary(event, time.monotonic() - info["opened"]))

    @staticmethod
    def _summary(event: dict[str, Any], measured: float) -> str:
        desc = str(event.get("desc") or "progress")
        unit = str(event.get("unit") or "it")
        n, total = event.get("n") or 0, event.get("total")
        count = f"{_number(n)}/{_number(total)}" if total else _number(n)
        elapsed = event.get("elapsed")
        elapsed = float(elapsed) if isinstance(elapsed, (int, float)) else measured
        rate = event.get("rate")
        speed = (f" ({rate:.1f} {unit}/s)" if isinstance(rate, (int, float)) and rate > 0
                 and elapsed >= 0.1 else "")
        return f"  {desc}: {count} {unit} in {format_seconds(elapsed)}{speed}"

    def cell(self, number: int, total: int) -> None:
        """Show that code cell ``number`` of ``total`` runs (a status line, when live)."""
        with self._lock:
            self._cells = (number, total)
            if self.live and self._status is None:
                self._status = _std_tqdm(total=total, file=self.stream, leave=False,
                                         dynamic_ncols=True, bar_format="{desc}")
            self._update_status()

    def _update_status(self) -> None:
        if self._status is None:
            return
        number, total = self._cells
        elapsed = self._status.format_interval(time.monotonic() - self._started)
        doing = self._running[-1] if self._running else "running"
        text = f"{doing} · cell {number}/{total} · {elapsed}"
        if text != self._status.desc:
            self._status.set_description_str(text, refresh=True)

    def _tick(self) -> None:
        if self._pending is not None and time.monotonic() - self._pending[4] > 1.0:
            self._flush_pending()
        self._update_status()
