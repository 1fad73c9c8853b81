"""The review notebook's code cells while papermill runs them, and which one failed.

A failed cell is named as the notebook's reader counts: among the notebook's own code cells,
from 1, papermill's injected parameters cell and its error banners apart.

:func:`litscope.execute.run_review` tells which cell runs (:class:`CellCounter`, through
:class:`litscope.relay.Relay`) and which one failed (:func:`failing_cell`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .relay import Relay

__all__ = ["CellCounter", "count_code_cells", "failing_cell"]

#: papermill's tag of the cell holding the parameters it injected.
INJECTED_TAG = "injected-parameters"
#: papermill's tag of the error banner it inserts before a failed cell.
PAPERMILL_ERROR_TAG = "papermill-error-cell-tag"


def count_code_cells(notebook: Path) -> int:
    """How many code cells papermill will run (the notebook's own, plus the injected one)."""
    import nbformat

    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception:
        return 0
    return 1 + sum(1 for c in nb.cells if c.cell_type == "code" and c.source.strip())


class CellCounter:
    """An nbclient ``on_cell_start`` hook that tells the relay which code cell runs."""

    def __init__(self, relay: Relay, total: int) -> None:
        self.relay, self.total, self.number = relay, total, 0

    def __call__(self, cell: Any, cell_index: int, **_: Any) -> None:
        if cell.get("cell_type") == "code" and cell.get("source", "").strip():
            self.number += 1
            self.relay.cell(self.number, max(self.total, self.number))


def failing_cell(executed: Path, cell_index: int) -> tuple[int | None, str]:
    """1-based position of the failing cell among the notebook's own code cells, first line."""
    import nbformat

    try:
        nb = nbformat.read(executed, as_version=4)
    except Exception:
        return None, ""
    cells = [c for c in nb.cells if PAPERMILL_ERROR_TAG not in c.get("metadata", {}).get("tags", [])]
    if not 0 <= cell_index < len(cells):
        return None, ""
    number = sum(1 for c in cells[:cell_index + 1] if c.cell_type == "code"
                 and INJECTED_TAG not in c.get("metadata", {}).get("tags", []))
    first = next((line.strip() for line in cells[cell_index].source.splitlines() if line.strip()), "")
    return number, first
