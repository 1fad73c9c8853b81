"""The review notebook: paired with its percent-format text, valid, stable ids, drafts in Lab.

The notebook lives in the package (``lib/litscope/notebooks``); ``notebooks/`` at the top
links to it for JupyterLab. The Lab-run tests execute the notebook with nbclient, as Lab
would (no ``litscope review``, no papermill), as far as the cell that picks the output folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest

from litscope import drafts, paths
from litscope.kernels import current_python_kernel_manager

jupytext = pytest.importorskip("jupytext")

IPYNB = paths.review_notebook()
PERCENT = IPYNB.with_suffix(".py")
ROOT = Path(__file__).resolve().parents[1]
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (litscope)", "language": "python"}


def _sync(folder: Path) -> bytes:
    """``jupytext --sync`` on a copy of the pair, the text side newer; the ipynb it writes."""
    from jupytext.cli import jupytext as jupytext_cli

    ipynb, py = folder / "review.ipynb", folder / "review.py"
    os.utime(py, (ipynb.stat().st_mtime + 10,) * 2)
    jupytext_cli(["--sync", "--quiet", str(py)])
    return ipynb.read_bytes()


@pytest.fixture
def pair(tmp_path):
    for src in (IPYNB, PERCENT):
        shutil.copyfile(src, tmp_path / src.name)
    return tmp_path


def test_percent_text_and_ipynb_are_in_sync(pair):
    # Syncing from the text file changes nothing: the committed ipynb already says the same.
    assert _sync(pair) == IPYNB.read_bytes()
    text = jupytext.writes(nbformat.read(IPYNB, as_version=4), fmt="py:percent")
    strip = lambda s: [l for l in s.splitlines() if "jupytext_version" not in l]  # noqa: E731
    assert strip(text) == strip(PERCENT.read_text(encoding="utf-8"))


def test_cell_ids_are_stable_across_syncs(pair):
    first = _sync(pair)
    assert _sync(pair) == first
    ids = [c["id"] for c in nbformat.reads(first.decode(), as_version=4).cells]
    assert ids == [c["id"] for c in nbformat.read(IPYNB, as_version=4).cells]
    assert len(set(ids)) == len(ids)


def test_notebook_is_valid_45_with_the_litscope_kernel():
    nb = nbformat.read(IPYNB, as_version=nbformat.NO_CONVERT)
    nbformat.validate(nb)  # raises on any schema problem
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5)  # ids present: Lab does not upgrade it
    assert nb.metadata["kernelspec"] == KERNELSPEC
    assert nb.metadata["jupytext"]["formats"] == "ipynb,py:percent"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and nb.cells[0] is tagged[0]
    assert "params.check_notebook(globals())" in nb.cells[1].source
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_top_level_notebooks_link_to_the_package_copy():
    for name in ("review.ipynb", "review.py"):
        assert (ROOT / "notebooks" / name).resolve() == (paths.packaged_notebooks_dir() / name)
    assert not (ROOT / "notebooks" / "build_review.py").exists()


def test_draft_target_keeps_reports_untouched(tmp_path, monkeypatch):
    monkeypatch.setenv("LITSCOPE_REPORTS", str(tmp_path))
    drafts_ = tmp_path.resolve() / ".drafts"
    assert drafts.draft_target("", "x") == drafts_ / "x"
    assert drafts.draft_target(str(tmp_path / "x" / "sub"), "x") == drafts_ / "x" / "sub"
    assert drafts.draft_target(str(tmp_path), "x") == drafts_ / "x"
    assert drafts.draft_target(str(drafts_ / "y"), "x") == drafts_ / "y"


def _lab_run(reports: Path, monkeypatch, name: str, upto: int | None = 2):
    """Execute the review notebook (its first ``upto`` cells) with nbclient, as Lab does."""
    from nbclient import NotebookClient

    monkeypatch.setenv("LITSCOPE_REPORTS", str(reports))
    monkeypatch.delenv(drafts.ENV_VAR, raising=False)
    monkeypatch.delenv("LITSCOPE_PROGRESS", raising=False)
    nb = nbformat.read(IPYNB, as_version=4)
    # What a Lab user does: edit the parameters cell, then run the cells.
    nb.cells[0].source = nb.cells[0].source.replace('name: str = "sample"', f'name: str = "{name}"')
    nb.cells = nb.cells[:upto] if upto else nb.cells
    client = NotebookClient(nb, timeout=1800, kernel_name="python3",
                            kernel_manager_class=current_python_kernel_manager(),
                            resources={"metadata": {"path": str(ROOT / "notebooks")}})
    client.execute()
    return nb


def _published(reports: Path, name: str) -> dict[str, bytes]:
    folder = reports / name
    folder.mkdir(parents=True)
    files = {"papers.csv": b"id,title\npublished,1\n", "review.html": b"<p>published</p>"}
    for f, data in files.items():
        (folder / f).write_bytes(data)
    return files


def _assert_untouched(reports: Path, name: str, files: dict[str, bytes]) -> None:
    assert sorted(p.name for p in (reports / name).iterdir()) == sorted(files)
    for f, data in files.items():
        assert (reports / name / f).read_bytes() == data


def test_lab_run_writes_a_draft_not_the_published_report(tmp_path, monkeypatch):
    files = _published(tmp_path, "labrun")
    nb = _lab_run(tmp_path, monkeypatch, "labrun")
    said = "".join(o.get("text", "") for o in nb.cells[1].outputs)
    draft = tmp_path.resolve() / ".drafts" / "labrun"
    assert f"draft: writing to {draft}" in said
    assert draft.is_dir()
    _assert_untouched(tmp_path, "labrun", files)


@pytest.mark.slow
def test_full_lab_run_leaves_the_published_report(tmp_path, monkeypatch):
    files = _published(tmp_path, "labfull")
    _lab_run(tmp_path, monkeypatch, "labfull", upto=None)
    assert (tmp_path / ".drafts" / "labfull" / "papers.csv").is_file()
    _assert_untouched(tmp_path, "labfull", files)


def test_report_tables_are_left_aligned_in_lab():
    import pandas as pd

    from litscope import report
    from litscope.tablestyle import left_aligned

    frame = pd.DataFrame({"title": ["A paper"], "year": [2024]})
    html = left_aligned(report.html_table(frame, numeric=["year"]))
    assert '<td style="text-align:left">A paper</td>' in html
    assert '<td class="ls-num" style="text-align:right">2024</td>' in html
    assert "<td>" not in html and "<th>" not in html
