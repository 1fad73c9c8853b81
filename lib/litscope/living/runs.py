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
>>> previous_run_for(report.parent / ".demo.partial-x1", "demo").name  # run by litscope review
'demo'
>>> previous_run_for(report.parent / ".drafts" / "demo", "demo").name  # run in JupyterLab
'demo'
>>> previous_run_for(report, "demo").name  # writing into the report folder itself
'2026-01-01T00-00-00Z'
"""

from __future__ import annotations

import os
from pathlib import Path

from ..publish import list_history
from .snapshot import SNAPSHOT_DIR

__all__ = ["list_runs", "find_previous_run", "previous_run_for"]


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


def previous_run_for(output_dir: str | os.PathLike, name: str) -> Path | None:
    """The run that a run writing to ``output_dir`` under report ``name`` follows.

    ``litscope review`` writes to ``reports/.NAME.partial-*`` and a notebook run in Lab to
    ``reports/.drafts/NAME``: the published ``reports/NAME`` beside them (or litscope's reports
    folder) holds the previous run. A run writing into ``reports/NAME`` itself follows the
    newest archived run. Call it before :func:`write_run_snapshot` of the new run.
    """
    from .. import paths

    out = Path(output_dir).resolve()
    if out.name.startswith(f".{name}.partial-"):  # litscope review publishing
        report = out.parent / name
    elif out.parent.name == ".drafts":  # the notebook run in JupyterLab
        report = out.parent.parent / name
    elif out.name == name:  # writing into the report folder itself
        archived = [p for label, p in list_runs(out) if label != "current"]
        return archived[-1] if archived else None
    else:
        report = paths.report_dir(name)
    return find_previous_run(report)
