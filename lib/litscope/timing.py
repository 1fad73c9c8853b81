"""Wall-clock timing of pipeline stages, for the report appendix and the benchmark.

A review is a handful of stages (load, dedupe, embed, topics, summaries,
figures); :class:`StageTimer` times each one with a ``with`` block and
keeps the peak resident memory seen at the end of each stage, so the
appendix of a report and ``bench/pipeline_bench.py`` read the same numbers.
Timing a stage twice adds up (the figures of a report are drawn in many
cells). Each timed block is also announced with :func:`litscope.progress.stage`,
so ``litscope review`` prints a line per stage while the notebook runs.

Examples
--------
>>> from litscope.timing import StageTimer
>>> timer = StageTimer()
>>> with timer("load"):
...     pass
>>> with timer("load"):
...     pass
>>> frame = timer.frame()
>>> frame["stage"].tolist(), int(frame.loc[0, "calls"])
(['load'], 2)
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from typing import Iterator

import pandas as pd

from . import progress

__all__ = ["StageTimer", "peak_rss_mb"]


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (0.0 where unknown).

    >>> peak_rss_mb() >= 0.0
    True
    """
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / 1024.0 if os.uname().sysname != "Darwin" else peak / 1024.0 / 1024.0


class StageTimer:
    """Times named stages; call it as a context manager, read the totals with :meth:`frame`.

    Stages keep the order in which they were first timed.
    """

    def __init__(self) -> None:
        self._seconds: dict[str, float] = {}
        self._calls: dict[str, int] = {}
        self._peak: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        with progress.stage(stage):
            start = time.perf_counter()
            try:
                yield
            finally:
                self.add(stage, time.perf_counter() - start)

    stage = __call__

    def add(self, stage: str, seconds: float) -> None:
        """Record ``seconds`` for ``stage`` (e.g. a time measured elsewhere)."""
        self._seconds[stage] = self._seconds.get(stage, 0.0) + float(seconds)
        self._calls[stage] = self._calls.get(stage, 0) + 1
        self._peak[stage] = peak_rss_mb()

    def seconds(self, stage: str) -> float:
        """Total seconds of one stage (0.0 when never timed)."""
        return self._seconds.get(stage, 0.0)

    def frame(self) -> pd.DataFrame:
        """One row per stage: stage, seconds, calls, peak_rss_mb (at the end of the stage's last call)."""
        return pd.DataFrame({
            "stage": list(self._seconds),
            "seconds": [round(v, 3) for v in self._seconds.values()],
            "calls": [self._calls[s] for s in self._seconds],
            "peak_rss_mb": [round(self._peak[s], 1) for s in self._seconds],
        }, columns=["stage", "seconds", "calls", "peak_rss_mb"])

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v:.2f}s" for k, v in self._seconds.items())
        return f"StageTimer({inner})"
