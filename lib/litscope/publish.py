"""The report folder: built in a temporary folder, swapped into place when complete.

A run writes everything to ``reports/.NAME.partial-XXXXXXXX`` and
:func:`swap_into_place` renames it to ``reports/NAME`` only at the end, so a failed,
interrupted or killed run never leaves a half-written report. Failures of the file
system (no space, read-only, a folder that cannot be created) become one
:class:`OutputError` that says where the executed notebook was kept.

A review is a living document: when ``reports/NAME`` already holds a report, the swap
archives it as ``reports/NAME/history/DATE/`` (DATE: when that previous run finished, see
:func:`run_date`) instead of deleting it, and the history it carried moves along, so
``reports/NAME/history/`` keeps every earlier run.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> reports = Path(tempfile.mkdtemp())
>>> partial = make_partial(reports, "demo")
>>> partial.name.startswith(".demo.partial-")
True
>>> swap_into_place(partial, reports / "demo")
>>> sorted(p.name for p in reports.iterdir())
['demo']
>>> (reports / "demo" / "old.txt").write_text("first run")
9
>>> swap_into_place(make_partial(reports, "demo"), reports / "demo")
>>> [p.name for p in (reports / "demo").iterdir()], len(list_history(reports / "demo"))
(['history'], 1)
>>> (list_history(reports / "demo")[0] / "old.txt").read_text()
'first run'
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .errors import LitscopeError

__all__ = ["OutputError", "make_partial", "keep_executed", "retarget_paths", "swap_into_place",
           "describe_os_error", "HISTORY", "RUN_FILE", "run_date", "list_history", "archive_previous"]

_INJECTED_TAG = "injected-parameters"
#: Folder inside ``reports/NAME`` that keeps the earlier runs, one ``DATE/`` folder each.
HISTORY = "history"
#: The run record :func:`litscope.living.write_run_snapshot` writes (its ``finished`` is the date).
RUN_FILE = "snapshot/run.json"
#: DATE folder names: UTC, sortable, no ':' (not allowed in Windows paths).
DATE_FORMAT = "%Y-%m-%dT%H-%M-%SZ"


class OutputError(LitscopeError, OSError):
    """The report cannot be written: a folder cannot be made, the disk is full or read-only."""


def describe_os_error(exc: OSError) -> str:
    """``strerror`` of an OSError ("No space left on device"), else its text."""
    return exc.strerror or " ".join(str(exc).split()) or type(exc).__name__


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def make_partial(reports: Path, name: str) -> Path:
    """Create ``reports/`` if needed and a fresh ``.NAME.partial-*`` folder in it.

    Raises
    ------
    OutputError
        ``reports`` cannot be created or written (not a folder, read-only, full).
    """
    try:
        reports.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the reports folder {reports}: "
                          f"{describe_os_error(exc)}") from exc
    try:
        partial = Path(tempfile.mkdtemp(prefix=f".{name}.partial-", dir=reports))
    except OSError as exc:
        raise OutputError(f"cannot write in the reports folder {reports}: "
                          f"{describe_os_error(exc)}") from exc
    os.chmod(partial, 0o777 & ~_umask())  # mkdtemp's 0700 would make the report private
    return partial


def keep_executed(executed: Path, failed_copy: Path) -> tuple[Path | None, str]:
    """Move the executed notebook of a failed run to ``failed_copy``; where it is, and a note.

    When the move itself fails, the notebook stays where it is (the caller must then keep
    its folder). The note is the end of an error message, e.g. ``"; the executed notebook
    is kept at reports/x.failed.ipynb"``, or ``""`` when there is no notebook.
    """
    import nbformat

    if not executed.is_file():
        return None, ""
    where = failed_copy
    try:
        os.replace(executed, failed_copy)
    except OSError:
        where = executed
    try:
        nbformat.read(where, as_version=4)
    except Exception:  # a save cut short (e.g. by a full disk) leaves a truncated file
        return where, f"; the executed notebook could not be saved whole (what was written is at {where})"
    return where, f"; the executed notebook is kept at {where}"


def retarget_paths(executed: Path, partial: Path, final: Path) -> None:
    """Write the published folder wherever the notebook recorded the temporary one.

    The notebook ran with ``output_dir`` = the partial folder; after the swap its files live
    in ``reports/NAME``. The injected parameters (so the saved notebook re-runs), papermill's
    record of the parameters and the outputs (e.g. a parameters table) must say so.
    """
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    old, new = str(partial), str(final)

    def fix(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace(old, new)
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value

    for cell in nb.cells:
        if _INJECTED_TAG in cell.get("metadata", {}).get("tags", []):
            cell.source = cell.source.replace(old, new)
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = fix(output["text"])
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/"):
                    output["data"][mime] = fix(value)
    record = nb.metadata.get("papermill", {})
    for key in ("output_path", "input_path"):
        if isinstance(record.get(key), str):
            record[key] = record[key].replace(old, new)
    recorded = record.get("parameters", {})
    if recorded.get("output_dir") == old:
        recorded["output_dir"] = new
    nbformat.write(nb, executed)


def _parse_time(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def run_date(report: Path) -> str:
    """When the run that wrote ``report`` finished, as a folder name (UTC, ``DATE_FORMAT``).

    Read from the run record (:data:`RUN_FILE`), else from papermill's ``end_time`` in the
    executed notebook, else from the folder's modification time.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "snapshot").mkdir()
    >>> _ = (folder / RUN_FILE).write_text('{"finished": "2026-03-01T09:30:00+00:00"}')
    >>> run_date(folder)
    '2026-03-01T09-30-00Z'
    """
    when = None
    try:
        when = _parse_time(json.loads((report / RUN_FILE).read_text(encoding="utf-8")).get("finished"))
    except (OSError, ValueError, AttributeError):
        pass
    if when is None:
        try:
            with open(report / "review.ipynb", encoding="utf-8") as fh:
                meta = json.load(fh).get("metadata", {}).get("papermill", {})
            when = _parse_time(meta.get("end_time"))
        except (OSError, ValueError, AttributeError):
            pass
    if when is None:
        when = datetime.fromtimestamp(report.stat().st_mtime, tz=timezone.utc)
    return when.astimezone(timezone.utc).strftime(DATE_FORMAT)


def _free_name(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name-2``, ``name-3``... when taken (two runs in one second)."""
    candidate, n = folder / name, 1
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = folder / f"{name}-{n}"
    return candidate


def list_history(report: Path) -> list[Path]:
    """The archived runs of a report, oldest first (``reports/NAME/history/DATE``)."""
    history = Path(report) / HISTORY
    if not history.is_dir():
        return []
    return sorted((p for p in history.iterdir() if p.is_dir() and not p.name.startswith(".")),
                  key=lambda p: p.name)


def archive_previous(previous: Path, final: Path) -> Path:
    """Move the previous report folder ``previous`` into ``final/history/DATE``; that path.

    The runs ``previous`` had archived move to ``final/history`` first, so the history stays
    flat (one level of DATE folders).
    """
    date = run_date(previous)
    history = final / HISTORY
    history.mkdir(exist_ok=True)
    older = previous / HISTORY
    if older.is_dir():
        for entry in sorted(older.iterdir()):
            os.rename(entry, _free_name(history, entry.name))
        older.rmdir()
    target = _free_name(history, date)
    os.rename(previous, target)
    return target


def swap_into_place(partial: Path, final: Path, *, keep_history: bool = True) -> None:
    """Replace ``final`` by ``partial`` so that a crash leaves one of the two complete.

    With ``keep_history`` the replaced report is archived in ``final/history/DATE``
    (:func:`archive_previous`) after the new one is in place; should that move fail, the
    new report stays published, the previous one stays whole in ``.NAME.old-*`` beside
    it, and a warning says where.
    """
    backup = None
    if final.exists() or final.is_symlink():
        if not final.is_dir():
            raise LitscopeError(f"{final} exists and is not a report folder; move it away")
        backup = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent))
        backup.rmdir()
        os.rename(final, backup)
    try:
        os.rename(partial, final)
    except BaseException:
        if backup is not None:
            os.rename(backup, final)
        raise
    if backup is None:
        return
    if not keep_history:
        shutil.rmtree(backup, ignore_errors=True)
        return
    try:
        archive_previous(backup, final)
    except OSError as exc:
        warnings.warn(f"the new report is in {final}, but the previous one could not be moved to "
                      f"{final / HISTORY} ({describe_os_error(exc)}); it is kept at {backup}",
                      stacklevel=2)
