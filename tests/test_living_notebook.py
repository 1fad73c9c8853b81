"""notebooks/compare.ipynb: paired with compare.py, and run by papermill on two runs of a report."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest

from litscope.living import write_run_snapshot
from litscope.publish import make_partial, swap_into_place

NOTEBOOKS = Path(__file__).resolve().parents[1] / "lib" / "litscope" / "notebooks"


def test_compare_notebook_is_paired_and_has_stable_ids():
    import jupytext

    nb = nbformat.read(NOTEBOOKS / "compare.ipynb", as_version=4)
    text = jupytext.read(NOTEBOOKS / "compare.py")
    assert [c.source for c in nb.cells] == [c.source for c in text.cells]
    assert [c.id for c in nb.cells] == [f"compare-{k:02d}" for k in range(1, len(nb.cells) + 1)]
    assert "parameters" in nb.cells[1].metadata.get("tags", [])


def _run(reports: Path, titles: list[str], finished: str) -> None:
    partial = make_partial(reports, "lr")
    papers = pd.DataFrame({"id": [t.lower() for t in titles], "title": titles,
                           "year": pd.array([2024] * len(titles), dtype="Int64"), "topic": [0] * len(titles),
                           "source_file": ["/x/a.ris"] * len(titles)})
    write_run_snapshot(partial, papers, pd.DataFrame({"topic": [0], "label": ["Agents"]}), name="lr",
                       inputs=["/x/a.ris"], finished=finished)
    swap_into_place(partial, reports / "lr")


def test_compare_notebook_runs_on_two_runs(tmp_path):
    papermill = pytest.importorskip("papermill")
    reports = tmp_path / "reports"
    _run(reports, ["Alpha", "Beta"], "2026-01-01T10:00:00+00:00")
    _run(reports, ["Alpha", "Beta", "Gamma <new>"], "2026-02-01T10:00:00+00:00")
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(NOTEBOOKS / "compare.ipynb"), str(out), kernel_name="python3",
                               parameters={"report": "lr", "reports_dir": str(reports)}, progress_bar=False)
    html = "".join(o.get("data", {}).get("text/html", "") for c in nbformat.read(out, as_version=4).cells
                   if c.cell_type == "code" for o in c.get("outputs", []))
    assert "What's new since 1 January 2026, 10:00 UTC" in html
    assert "Gamma &lt;new&gt;" in html and "1 new paper" in html
