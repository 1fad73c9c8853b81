"""The terminal side of progress: :class:`Relay` draws what a kernel writes to its progress file.

``litscope review`` runs the review notebook in a Jupyter kernel, whose bars and stage
announcements (:mod:`litscope.progress`) go to a JSON-lines file named by
``LITSCOPE_PROGRESS``; :class:`Relay` tails that file in a thread and prints stage lines and
live bars (records/s, time left) in the user's terminal.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

from tqdm.std import tqdm as _std_tqdm

__all__ = ["Relay", "format_seconds"]


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
