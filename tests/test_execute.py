"""run_review: parameters, papermill execution, failures and the atomic swap into reports/NAME.

The notebooks are the tiny ones in tests/notebooks/ (no model), so each run costs one
kernel start; PDF printing is covered by test_render.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from litscope import paths
from litscope.errors import (ChromiumNotFoundError, ExecutionError, InputError, ParameterError,
                             RenderError)
from litscope.execute import (NotebookParameter, ParamText, notebook_parameters, parse_param,
                              resolve_parameters, run_review)

NOTEBOOKS = Path(__file__).parent / "notebooks"
OK = NOTEBOOKS / "params_ok.ipynb"
FAILS = NOTEBOOKS / "fails_cell3.ipynb"


@pytest.fixture
def corpus(tmp_path):
    """The sample listing copied into its own folder (the tiny notebooks do not read it)."""
    src = paths.sample_corpus().read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "papers.txt").write_text(src, encoding="utf-8")
    return folder / "papers.txt"


def _leftovers(reports: Path) -> list[str]:
    return sorted(p.name for p in reports.iterdir() if p.name.startswith("."))


# ---------------------------------------------------------------- parameters (no kernel)

def test_notebook_parameters_reads_lines_papermill_cannot():
    # papermill's inspector skips "n_topics: int = 0  # topics (0 = automatic)" (two '=')
    params = notebook_parameters(OK)
    assert params["n_topics"] == NotebookParameter("n_topics", "int", "0", "topics (0 = automatic)")
    assert set(params) == {"inputs", "name", "report_title", "output_dir", "seed", "n_topics",
                           "deduplicate"}


def test_unknown_parameter_lists_the_known_ones(tmp_path, corpus):
    with pytest.raises(ParameterError) as info:
        run_review([corpus], name="t", params={"n_topicz": 3}, notebook=OK,
                   reports_dir=tmp_path / "reports", pdf=False, progress=False)
    message = str(info.value)
    assert "'n_topicz'" in message
    for known in ("inputs", "seed", "n_topics", "deduplicate"):
        assert known in message
    assert not (tmp_path / "reports" / "t").exists()


def test_unknown_parameter_in_params_file(tmp_path, corpus):
    yaml_file = tmp_path / "p.yaml"
    yaml_file.write_text("seed: 3\ncolour: blue\n")
    with pytest.raises(ParameterError, match="'colour'"):
        run_review([corpus], name="t", params_file=yaml_file, notebook=OK,
                   reports_dir=tmp_path / "reports", pdf=False, progress=False)


def test_values_follow_the_declared_type():
    known = notebook_parameters(OK)
    got = resolve_parameters(known, params=dict(parse_param(p) for p in [
        "n_topics=8", "report_title=Yes", "deduplicate=false", "inputs=[a.ris, b.bib]"]))
    assert got == {"n_topics": 8, "report_title": "Yes", "deduplicate": False,
                   "inputs": ["a.ris", "b.bib"]}
    assert type(got["report_title"]) is str and not isinstance(got["report_title"], ParamText)
    with pytest.raises(ParameterError, match="seed"):
        resolve_parameters(known, params={"seed": ParamText("many")})
    with pytest.raises(ParameterError, match="n_topics"):
        resolve_parameters(known, params={"n_topics": True})


def test_bad_param_syntax():
    with pytest.raises(ParameterError, match="NAME=VALUE"):
        parse_param("n_topics")


def test_missing_input_fails_before_running(tmp_path):
    with pytest.raises(InputError, match="nope.ris"):
        run_review(["nope.ris"], name="t", notebook=OK, reports_dir=tmp_path / "r",
                   pdf=False, progress=False)


@pytest.mark.parametrize("bad", ["", "../x", "a/b", ".hidden"])
def test_report_name_must_be_a_plain_folder_name(tmp_path, corpus, bad):
    with pytest.raises(ParameterError):
        run_review([corpus], name=bad, notebook=OK, reports_dir=tmp_path, pdf=False,
                   progress=False)


# ---------------------------------------------------------------- runs (one kernel each)

def test_success_precedence_and_swap(tmp_path, corpus, monkeypatch):
    reports = tmp_path / "reports"
    old = reports / "t"
    old.mkdir(parents=True)
    (old / "stale.txt").write_text("from the previous run")
    (reports / "t.failed.ipynb").write_text("{}")  # a failure of an earlier run
    params_file = tmp_path / "params.yaml"
    params_file.write_text("seed: 1\nreport_title: From the file\nn_topics: 5\n")
    monkeypatch.chdir(corpus.parent)  # inputs are relative to the caller's cwd

    out = run_review(["papers.txt"], name="t", params={"seed": ParamText("7")},
                     params_file=params_file, notebook=OK, reports_dir=reports,
                     pdf=False, progress=False)

    assert out.output_dir == reports / "t"
    assert out.html.is_file() and out.notebook.is_file() and out.pdf is None
    assert out.papers_csv == reports / "t" / "papers.csv" and out.papers_csv.is_file()
    assert not (old / "stale.txt").exists()  # the old folder was replaced, not merged
    assert not (reports / "t.failed.ipynb").exists()
    assert _leftovers(reports) == []  # no .partial / .old folders left behind
    got = json.loads((out.output_dir / "params.json").read_text())
    assert got["seed"] == 7  # --param wins over the file
    assert got["report_title"] == "From the file"  # the file wins over the default
    assert got["n_topics"] == 5
    assert got["name"] == "t"
    assert got["inputs"] == [str(corpus)]  # absolute, from the caller's cwd
    assert Path(got["cwd"]) == paths.project_root()
    # The saved notebook names the published folder, not the temporary one.
    nb = nbformat.read(out.notebook, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert str(reports / "t") in injected[0].source and ".partial-" not in injected[0].source
    assert ".partial-" not in out.notebook.read_text(encoding="utf-8")
    assert nb.metadata.papermill.parameters.output_dir == str(reports / "t")
    html = out.html.read_text(encoding="utf-8")
    assert "From the file" in html and "seed = 7" in html


def test_failure_names_the_cell_and_keeps_the_old_report(tmp_path, corpus):
    reports = tmp_path / "reports"
    good = reports / "t"
    good.mkdir(parents=True)
    (good / "review.html").write_text("the good report")

    with pytest.raises(ExecutionError) as info:
        run_review([corpus], name="t", notebook=FAILS, reports_dir=reports, pdf=False,
                   progress=False)

    err = info.value
    assert err.cell == 3
    assert err.ename == "ValueError"
    message = str(err)
    assert "cell 3" in message
    assert "boom: the third cell failed" in message
    assert 'raise ValueError("boom: the third cell failed")' in message  # first source line
    assert "Traceback" not in message and "\x1b[" not in message
    failed = reports / "t.failed.ipynb"
    assert err.notebook == str(failed) and str(failed) in message
    nb = nbformat.read(failed, as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors and errors[0].ename == "ValueError"
    assert (good / "review.html").read_text() == "the good report"
    assert sorted(p.name for p in good.iterdir()) == ["review.html"]
    assert _leftovers(reports) == []


def test_missing_chromium_still_publishes_the_html(tmp_path, corpus, monkeypatch):
    monkeypatch.setenv("LITSCOPE_CHROMIUM", str(tmp_path / "no-such-chromium"))
    reports = tmp_path / "reports"
    with pytest.raises(ChromiumNotFoundError) as info:
        run_review([corpus], name="t", notebook=OK, reports_dir=reports, pdf=True,
                   progress=False)
    outputs = info.value.outputs
    assert outputs.html == reports / "t" / "review.html" and outputs.html.is_file()
    assert outputs.pdf is None and not (reports / "t" / "review.pdf").exists()
    assert "apt-get install chromium" in str(info.value)
    assert str(outputs.html) in str(info.value)
    assert _leftovers(reports) == []


def test_pdf_failure_keeps_old_report_and_the_executed_notebook(tmp_path, corpus, monkeypatch):
    fake = tmp_path / "fake-chromium"
    fake.write_text("#!/bin/sh\necho 'crashed while printing' >&2\nexit 9\n")
    fake.chmod(0o755)
    monkeypatch.setenv("LITSCOPE_CHROMIUM", str(fake))
    reports = tmp_path / "reports"
    good = reports / "t"
    good.mkdir(parents=True)
    (good / "review.pdf").write_text("the good report")
    with pytest.raises(RenderError, match="crashed while printing") as info:
        run_review([corpus], name="t", notebook=OK, reports_dir=reports, pdf=True,
                   progress=False)
    assert "litscope render" in str(info.value)
    assert (good / "review.pdf").read_text() == "the good report"
    assert sorted(p.name for p in good.iterdir()) == ["review.pdf"]
    kept = reports / "t.failed.ipynb"
    nb = nbformat.read(kept, as_version=4)
    assert any(o.get("output_type") == "display_data" for c in nb.cells for o in c.get("outputs", []))
    assert _leftovers(reports) == []


def test_a_relative_decisions_file_is_taken_from_the_callers_directory(tmp_path, corpus, monkeypatch):
    """The kernel runs in the project root: a relative ``decisions`` reaches it absolute, from the cwd."""
    import papermill

    class Stop(Exception):
        pass

    given = {}

    def execute_notebook(notebook, output, *, parameters, **_):
        given.update(parameters)
        raise Stop  # what the notebook would be given is all this test needs

    caller = tmp_path / "caller"
    caller.mkdir()
    monkeypatch.chdir(caller)
    monkeypatch.setattr(papermill, "execute_notebook", execute_notebook)
    with pytest.raises(ExecutionError) as stopped:  # run_review reports a kernel's failure so
        run_review([str(corpus)], name="t", reports_dir=tmp_path / "r", pdf=False, progress=False,
                   params={"decisions": "screening/decisions.csv"})
    assert isinstance(stopped.value.__cause__, Stop)
    assert given["decisions"] == str(caller / "screening" / "decisions.csv")
    given.clear()
    with pytest.raises(ExecutionError):  # none given stays none
        run_review([str(corpus)], name="t", reports_dir=tmp_path / "r", pdf=False, progress=False)
    assert given.get("decisions", "") == ""  # not turned into the cwd itself


def test_kernel_runs_the_notebook_in_a_running_kernel_and_leaves_it_running(tmp_path, corpus):
    """``kernel=`` (what litscope batch passes): called once, with this review's environment set."""
    import os

    from jupyter_core.utils import run_sync

    from litscope import drafts, progress
    from litscope.kernels import current_python_kernel_manager

    km = current_python_kernel_manager()(kernel_name="python3")
    run_sync(km.start_kernel)()
    calls = []

    def kernel(cwd):
        calls.append((cwd, os.environ.get(drafts.ENV_VAR), os.environ.get(progress.ENV_VAR)))
        return km

    reports = tmp_path / "reports"
    try:
        out = run_review([corpus], name="t", notebook=OK, reports_dir=reports, pdf=False, progress=False,
                         kernel=kernel)
        assert run_sync(km.is_alive)()  # not shut down: the caller owns it
    finally:
        run_sync(km.shutdown_kernel)(now=True)
    assert out.html.is_file() and json.loads((out.output_dir / "params.json").read_text())["name"] == "t"
    [(cwd, publish, progress_file)] = calls
    assert cwd == paths.project_root().resolve()
    assert ".t.partial-" in publish and progress_file.startswith(publish)
    with pytest.raises(ParameterError, match="not both"):
        run_review([corpus], name="t", notebook=OK, reports_dir=reports, kernel=kernel, kernel_name="python3")
    assert len(calls) == 1
