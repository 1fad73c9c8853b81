"""The report folder: built in a temporary folder, swapped into place when complete.

A run writes everything to ``reports/.NAME.partial-XXXXXXXX`` and
:func:`swap_into_place` renames it to ``reports/NAME`` only at the end, so a failed,
interrupted or killed run never leaves a half-written report. Failures of the file
system (no space, read-only, a folder that cannot be created) become one
:class:`OutputError` that says where the executed notebook was kept.

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
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from .errors import LitscopeError

__all__ = ["OutputError", "make_partial", "keep_executed", "retarget_paths", "swap_into_place",
           "describe_os_error"]

_INJECTED_TAG = "injected-parameters"


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


def swap_into_place(partial: Path, final: Path) -> None:
    """Replace ``final`` by ``partial`` so that a crash leaves one of the two complete."""
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
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)
