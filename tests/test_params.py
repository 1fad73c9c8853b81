"""Issue 8, item 5: parameters are checked, by one function, before anything is loaded.

``litscope review`` checks names, types, ranges and choices before it loads a record;
the review notebook run by plain papermill or in JupyterLab refuses the same values in
its first cell after the parameters (litscope.params.check_notebook).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from litscope import paths
from litscope.embedders import available_embedders
from litscope.errors import ParameterError
from litscope.execute import notebook_parameters, run_review

REVIEW = paths.review_notebook()
MISSING = "/nonexistent/exports.ris"  # loading it would fail: the check must come first


@pytest.mark.parametrize("param, value, message", [
    ("granularity", "sideways", "'granularity' must be one of auto, coarser, finer"),
    ("embedder", "bert", f"'embedder' must be one of {', '.join(available_embedders())}"),
    ("n_topics", "-1", "'n_topics' must be between 0 and"),
    ("seed", "-5", "'seed' must be between 0 and"),
    ("synthesis_sentences", "0", "'synthesis_sentences' must be between 1 and"),
    ("inputs", "[1, 2]", "'inputs' must list file names"),
])
def test_review_checks_ranges_and_choices_before_loading(tmp_path, param, value, message):
    with pytest.raises(ParameterError, match=re.escape(message)):
        run_review([MISSING] if param != "inputs" else None, name="t",
                   params={param: _typed(value)}, reports_dir=tmp_path, pdf=False,
                   progress=False)
    assert list(tmp_path.iterdir()) == []


def _typed(text: str):
    from litscope.execute import ParamText
    return ParamText(text)


def test_validate_is_the_one_check():
    from litscope.params import validate

    known = notebook_parameters(REVIEW)
    assert validate({"n_topics": 8, "granularity": "finer", "embedder": "fast"}, known) == {
        "n_topics": 8, "granularity": "finer", "embedder": "fast"}
    with pytest.raises(ParameterError, match="unknown parameter 'colour'"):
        validate({"colour": "blue"}, known)
    with pytest.raises(ParameterError, match="'seed' must be int"):
        validate({"seed": "many"}, known)


def test_check_notebook_reads_the_parameters_cell_from_the_history():
    from litscope.params import check_notebook

    params_cell = 'n_topics: int = 0  # topics\nname: str = "sample"  # report name'
    ns = {"In": ["", params_cell, "# Parameters\nn_topics = 3\ncolour = 'x'\n", "check"],
          "n_topics": 3, "name": "sample", "colour": "x"}
    with pytest.raises(ParameterError, match="unknown parameter 'colour'"):
        check_notebook(ns)
    # JupyterLab: the parameters cell edited by hand, run again, then the check (twice).
    ns = {"In": ["", params_cell, "check", params_cell, "check"], "n_topics": "4", "name": "x"}
    assert check_notebook(ns) == {"n_topics": 4, "name": "x"} and ns["n_topics"] == 4
    ns["n_topics"] = -2
    with pytest.raises(ParameterError, match="'n_topics' must be between"):
        check_notebook(ns)
    # Outside IPython: the annotations of the namespace declare the parameters.
    assert check_notebook({"__annotations__": {"n_topics": int}, "n_topics": 2}) == {"n_topics": 2}


def _error_cell(nb) -> tuple[int, str, str]:
    """(position among code cells, ename, evalue) of the cell that failed."""
    code = [c for c in nb.cells if c.cell_type == "code"
            and "injected-parameters" not in c.metadata.get("tags", [])]
    for number, cell in enumerate(code, 1):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return number, out["ename"], out["evalue"]
    raise AssertionError("no cell failed")


@pytest.mark.parametrize("how, change, message", [
    ("papermill", {"colour": "blue"}, "unknown parameter 'colour'"),
    ("papermill", {"seed": "many"}, "'seed' must be int"),
    ("jupyterlab", "n_topics: int = -3", "'n_topics' must be between 0 and"),
])
def test_the_notebook_refuses_bad_parameters_in_its_first_cell(tmp_path, how, change, message):
    import papermill
    from nbclient import NotebookClient
    from papermill.exceptions import PapermillExecutionError

    out = tmp_path / "out.ipynb"
    if how == "papermill":
        with pytest.raises(PapermillExecutionError):
            papermill.execute_notebook(str(REVIEW), str(out), kernel_name="python3",
                                       parameters={"inputs": [MISSING], **change},
                                       progress_bar=False, cwd=str(paths.project_root()))
        nb = nbformat.read(out, as_version=4)
    else:  # edit the parameters cell, run all, as in JupyterLab
        nb = nbformat.read(REVIEW, as_version=4)
        cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        cell.source = re.sub(r"^n_topics: int = .*$", change, cell.source, flags=re.M)
        cell.source = re.sub(r"^inputs: list = .*$", f"inputs: list = [{MISSING!r}]",
                             cell.source, flags=re.M)
        with pytest.raises(Exception):
            NotebookClient(nb, kernel_name="python3",
                           resources={"metadata": {"path": str(paths.project_root())}}).execute()
    number, ename, evalue = _error_cell(nb)
    assert (number, ename) == (2, "ParameterError"), evalue  # the first cell after the parameters
    assert message in evalue


def test_parameters_cell_is_what_the_check_reads():
    # The check and the CLI read the same declaration: the notebook's parameters cell.
    source = next(c.source for c in nbformat.read(REVIEW, as_version=4).cells
                  if "parameters" in c.metadata.get("tags", []))
    assert "params.check_notebook(globals())" in nbformat.read(REVIEW, as_version=4).cells[1].source
    assert set(notebook_parameters(REVIEW)) == {
        line.split(":")[0] for line in source.splitlines() if line.strip()}
    assert Path(REVIEW).is_file()
