"""Where the runs of a review are: the published report and its ``history/DATE`` folders.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> report = Path(tempfile.mkdtemp()) / "demo"
>>> (report / "snapshot").mkdir(parents=True)
>>> (report / "history" / "2026-01-01T00-00-00Z" / "snapshot").mkdir(parents=True)
>>> [label for label, _ in list_runs(report)]
['2026-01-01T00-00-00Z', 'current']
>>> find_previous_run(report).name
'demo'
"""

from __future__ import annotations

import os
from pathlib import Path

from ..publish import list_history
from .snapshot import SNAPSHOT_DIR

__all__ = ["list_runs", "find_previous_run"]


def list_runs(report: str | os.PathLike) -> list[tuple[str, Path]]:
    """Runs of a report that kept a snapshot, oldest first: ``(label, folder)``.

    Archived runs are labelled by their DATE folder, the published one ``"current"``.
    """
    report = Path(report)
    runs = [(p.name, p) for p in list_history(report) if (p / SNAPSHOT_DIR).is_dir()]
    if (report / SNAPSHOT_DIR).is_dir():
        runs.append(("current", report))
    return runs


def find_previous_run(report: str | os.PathLike) -> Path | None:
    """The run a new run of this report follows: the published one, else the newest archived.

    A new run calls this with ``reports/NAME`` while it is still being written elsewhere
    (``reports/.NAME.partial-*``), so the published folder is still the previous run.
    None when no run with a snapshot exists.
    """
    runs = list_runs(report)
    return runs[-1][1] if runs else None
