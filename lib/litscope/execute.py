"""Run the parameterized review notebook with papermill and publish the report atomically.

:func:`run_review` checks the parameters against the notebook's ``parameters`` cell,
executes the notebook in a fresh kernel of the running interpreter, renders the
executed notebook to HTML and PDF, and only then swaps the finished folder into
``reports/NAME/``: a failed or interrupted run never leaves a half-written report,
and the previous report stays as it was.

Layout of a report::

    reports/NAME/review.ipynb    the executed notebook (inputs, outputs, parameters)
    reports/NAME/review.html     self-contained report (figures work offline)
    reports/NAME/review.pdf      the same, printed to A4 by headless Chromium
    reports/NAME/papers.csv      ... and whatever else the notebook writes to output_dir
    reports/NAME.failed.ipynb    the executed notebook of the last failed run, if any

Examples
--------
>>> from litscope.execute import parse_param
>>> from litscope.execute import NotebookParameter, resolve_parameters
>>> known = {"n_topics": NotebookParameter("n_topics", "int", "0", ""),
...          "inputs": NotebookParameter("inputs", "list", "[]", "")}
>>> resolve_parameters(known, params=dict([parse_param("n_topics=8"),
...                                        parse_param("inputs=[a.ris, b.bib]")]))
{'n_topics': 8, 'inputs': ['a.ris', 'b.bib']}
"""

from __future__ import annotations

import ast
import glob
import io
import logging
import os
import shutil
import sys
import tempfile
import time
import tokenize
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from . import paths, progress as progress_
from .relay import Relay, format_seconds
from .errors import (ChromiumNotFoundError, ExecutionError, InputError, LitscopeError,
                     ParameterError, RenderError)
from .render import render_html, render_notebook, render_pdf

__all__ = ["ReviewOutputs", "run_review", "render_notebook", "notebook_parameters",
           "parse_param", "resolve_parameters", "NotebookParameter", "ParamText"]

#: Names of the files a report folder holds.
NOTEBOOK_NAME = "review.ipynb"
HTML_NAME = "review.html"
PDF_NAME = "review.pdf"
PAPERS_NAME = "papers.csv"

_INJECTED_TAG = "injected-parameters"
_PAPERMILL_ERROR_TAG = "papermill-error-cell-tag"


@dataclass(frozen=True)
class ReviewOutputs:
    """Where one review run put its results (paths inside ``reports/NAME/``)."""

    output_dir: Path
    notebook: Path
    html: Path
    pdf: Path | None = None
    papers_csv: Path | None = None
    parameters: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class NotebookParameter:
    """One parameter declared in a notebook's ``parameters`` cell."""

    name: str
    type: str  # the annotation as written ("int", "list", ...), "" when none
    default: str  # the default's source text
    help: str


# --------------------------------------------------------------------------- parameters

def notebook_parameters(notebook: str | os.PathLike) -> dict[str, NotebookParameter]:
    """The parameters declared in the notebook's cell tagged ``parameters``.

    Names, annotations and defaults come from Python's own parser (papermill's
    line-based inspector skips lines with more than one ``=``); help texts are the
    comments at the end of each assignment.

    Raises
    ------
    ParameterError
        The notebook has no ``parameters`` cell, or the cell is not valid Python.
    """
    import nbformat

    path = Path(notebook)
    try:
        nb = nbformat.read(path, as_version=4)
    except FileNotFoundError as exc:
        raise ParameterError(f"{path}: no such notebook") from exc
    except Exception as exc:
        raise ParameterError(f"{path}: not a readable notebook ({exc})") from exc
    cell = next((c for c in nb.cells if c.cell_type == "code"
                 and "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        raise ParameterError(f"{path}: no code cell is tagged 'parameters'")
    source = cell.source
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ParameterError(f"{path}: the parameters cell is not valid Python: {exc.msg} "
                             f"(line {exc.lineno})") from exc
    comments: dict[int, str] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                comments[tok.start[0]] = tok.string.lstrip("#").strip()
    except (tokenize.TokenError, IndentationError):
        pass
    found: dict[str, NotebookParameter] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets, annotation = [node.target], ast.get_source_segment(source, node.annotation) or ""
        elif isinstance(node, ast.Assign):
            targets = [t for t in node.targets if isinstance(t, ast.Name)]
            annotation = ""
        else:
            continue
        value = ast.get_source_segment(source, node.value) if node.value is not None else ""
        help_text = comments.get(node.end_lineno or node.lineno, "")
        for target in targets:
            found[target.id] = NotebookParameter(target.id, annotation.strip("'\""), value or "",
                                                 help_text)
    return found


class ParamText(str):
    """A value typed on the command line: read as YAML unless the parameter is a ``str``.

    So ``--param n_topics=8`` gives the int 8 while ``--param report_title=Yes`` stays the
    text "Yes" (YAML alone would make it ``True``).
    """


def parse_param(assignment: str) -> tuple[str, ParamText]:
    """Split ``key=value``; the value is read later, by the parameter's declared type.

    Raises
    ------
    ParameterError
        No ``=``, or no name before it.

    Examples
    --------
    >>> parse_param("research_question=How do LLMs reason?")
    ('research_question', 'How do LLMs reason?')
    """
    key, sep, text = assignment.partition("=")
    key = key.strip()
    if not sep or not key.isidentifier():
        raise ParameterError(f"--param expects NAME=VALUE, got {assignment!r}")
    return key, ParamText(text.strip())


def _yaml_value(text: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text) if text else ""
    except yaml.YAMLError:
        return text  # not YAML: keep the words as they were typed


def _read_params_file(params_file: str | os.PathLike) -> dict[str, Any]:
    import yaml

    path = Path(params_file)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ParameterError(f"{path}: cannot read parameters file ({exc.strerror or exc})") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML ({' '.join(str(exc).split())})") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParameterError(f"{path}: a parameters file must be a YAML mapping of name: value")
    return {str(k): v for k, v in data.items()}


_TYPES: dict[str, tuple[type, ...]] = {
    "int": (int,), "float": (int, float), "bool": (bool,), "str": (str,),
    "list": (list, tuple), "dict": (dict,),
}


def _coerce(name: str, value: Any, declared: str) -> Any:
    """Bring a value to the declared type where that is unambiguous, else refuse it."""
    kind = declared.split("[")[0].strip().lower()
    if isinstance(value, ParamText):
        value = str(value) if kind == "str" else _yaml_value(str(value))
    if kind == "str":
        if isinstance(value, str):
            return value
        if value is None or isinstance(value, (bool, int, float)):
            return "" if value is None else str(value)
    elif kind in _TYPES:
        if isinstance(value, str) and kind != "str":
            value = _yaml_value(value)
        if kind == "list" and isinstance(value, str):
            value = [value]
        if kind in ("int", "float") and isinstance(value, bool):
            pass  # True is not a number here
        elif isinstance(value, _TYPES[kind]):
            return list(value) if kind == "list" else value
        if kind == "float" and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
    else:
        return value  # no (or an unusual) annotation: trust the caller (YAML-read if typed text)
    raise ParameterError(f"parameter {name!r} must be {declared}, got {value!r}")


def resolve_parameters(known: Mapping[str, NotebookParameter], *,
                       params_file: str | os.PathLike | None = None,
                       params: Mapping[str, Any] | None = None,
                       overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Merge parameters: the YAML file, then ``params``, then ``overrides``; check them.

    Raises
    ------
    ParameterError
        A name the notebook does not declare (the message lists the known ones), or a
        value that does not fit the declared type.

    Examples
    --------
    >>> known = {"seed": NotebookParameter("seed", "int", "42", "")}
    >>> resolve_parameters(known, params={"seed": "7"})
    {'seed': 7}
    >>> resolve_parameters(known, params={"sede": 7})
    Traceback (most recent call last):
    ...
    litscope.errors.ParameterError: unknown parameter 'sede'; the notebook's parameters are: seed
    """
    merged: dict[str, Any] = {}
    if params_file is not None:
        merged.update(_read_params_file(params_file))
    merged.update(params or {})
    merged.update(overrides or {})
    unknown = [k for k in merged if k not in known]
    if unknown:
        names = ", ".join(repr(k) for k in unknown)
        raise ParameterError(f"unknown parameter{'s' if len(unknown) > 1 else ''} {names}; "
                             f"the notebook's parameters are: {', '.join(known)}")
    return {k: _coerce(k, v, known[k].type) for k, v in merged.items()}


def _absolute_inputs(inputs: Iterable[str | os.PathLike], base: Path) -> list[str]:
    """Inputs as absolute paths/patterns, relative ones taken from ``base`` (the caller's cwd)."""
    out = []
    for item in inputs:
        text = os.path.expanduser(os.fspath(item))
        out.append(text if os.path.isabs(text) else os.path.normpath(os.path.join(base, text)))
    return out


def _check_inputs(inputs: list[str]) -> None:
    """Fail before starting a kernel when an input is missing or unreadable."""
    from .sources import detect_format, expand_inputs

    expand_inputs(inputs)  # raises InputError naming a missing file or an empty pattern
    for item in inputs:
        if os.path.isfile(item):  # a file named explicitly must be in a known format
            detect_format(item)
        elif not os.path.isdir(item) and not glob.has_magic(item):
            raise InputError("no such file or folder", file=item)


def _check_name(name: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise ParameterError("a report needs a name (--name NAME)")
    name = name.strip()
    if name in (".", "..") or name.startswith(".") or any(c in name for c in "/\\\0"):
        raise ParameterError(f"report name {name!r} must be a plain folder name "
                             "(no '/', not starting with '.')")
    return name


# --------------------------------------------------------------------------- kernel

def _current_python_kernel_manager() -> type:
    """A kernel manager that always starts ipykernel in *this* interpreter.

    Whatever ``python3`` kernelspec a user has installed elsewhere, the review runs
    with the packages (litscope included) of the environment running litscope.
    """
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager

    class CurrentPythonKernelManager(AsyncKernelManager):
        @property
        def kernel_spec(self):  # type: ignore[override]
            if self._kernel_spec is None:
                spec = get_kernel_dict()
                # log level ERROR: ipykernel warns about unencrypted TCP on every start,
                # which is noise for a kernel on the loopback interface.
                spec["argv"] = ([sys.executable] + list(spec["argv"][1:])
                                + ["--IPKernelApp.log_level=ERROR"])
                self._kernel_spec = KernelSpec(resource_dir=RESOURCES, **spec)
            return self._kernel_spec

    return CurrentPythonKernelManager


# --------------------------------------------------------------------------- run

class _QuietInspection(logging.Filter):
    """Drop papermill's "Unable to parse line" and "Passed unknown parameter" warnings.

    papermill's line-based inspector cannot read a parameter line holding two ``=``
    (``n_topics: int = 0  # 0 = automatic``); :func:`notebook_parameters` reads the cell
    with Python's own parser and has already rejected unknown names.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("Unable to parse line")
                    or message.startswith("Passed unknown parameter"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _say(progress: bool, message: str) -> None:
    if progress:
        print(f"litscope: {message}", file=sys.stderr, flush=True)


def _code_cells(notebook: Path) -> int:
    """How many code cells papermill will run (the notebook's own, plus the injected one)."""
    import nbformat

    try:
        nb = nbformat.read(notebook, as_version=4)
    except Exception:
        return 0
    return 1 + sum(1 for c in nb.cells if c.cell_type == "code" and c.source.strip())


class _CellCounter:
    """An nbclient ``on_cell_start`` hook that tells the relay which code cell runs."""

    def __init__(self, relay: Relay, total: int) -> None:
        self.relay, self.total, self.number = relay, total, 0

    def __call__(self, cell: Any, cell_index: int, **_: Any) -> None:
        if cell.get("cell_type") == "code" and cell.get("source", "").strip():
            self.number += 1
            self.relay.cell(self.number, max(self.total, self.number))


@contextmanager
def _environ(name: str, value: str) -> Iterator[None]:
    """Set one environment variable (inherited by the kernel papermill starts), then restore it."""
    saved = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = saved


def _failing_cell(executed: Path, cell_index: int) -> tuple[int | None, str]:
    """1-based position of the failing cell among the notebook's own code cells, first line."""
    import nbformat

    try:
        nb = nbformat.read(executed, as_version=4)
    except Exception:
        return None, ""
    cells = [c for c in nb.cells if _PAPERMILL_ERROR_TAG not in c.get("metadata", {}).get("tags", [])]
    if not 0 <= cell_index < len(cells):
        return None, ""
    number = sum(1 for c in cells[:cell_index + 1] if c.cell_type == "code"
                 and _INJECTED_TAG not in c.get("metadata", {}).get("tags", []))
    first = next((line.strip() for line in cells[cell_index].source.splitlines() if line.strip()), "")
    return number, first


def _retarget_paths(executed: Path, partial: Path, final: Path) -> None:
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


def _swap_into_place(partial: Path, final: Path) -> None:
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


def run_review(inputs: Iterable[str | os.PathLike] | str | os.PathLike | None, *, name: str,
               params: Mapping[str, Any] | None = None,
               params_file: str | os.PathLike | None = None,
               notebook: str | os.PathLike | None = None,
               reports_dir: str | os.PathLike | None = None,
               pdf: bool = True, progress: bool = True,
               kernel_name: str | None = None,
               log: Callable[[str], None] | None = None) -> ReviewOutputs:
    """Run the review notebook on ``inputs`` and publish ``reports/NAME/``.

    Parameters
    ----------
    inputs : path, glob, folder, or a list of them
        The literature exports; relative paths are taken from the current directory.
        ``None`` keeps the ``inputs`` of ``params``/``params_file``/the notebook.
    name : str
        Report name: the folder under ``reports_dir``.
    params : mapping, optional
        Notebook parameters (values may be YAML text, as typed after ``--param k=``).
    params_file : path, optional
        YAML mapping of parameters; ``params`` wins over it.
    notebook : path, optional
        Default: :func:`litscope.paths.review_notebook`.
    reports_dir : path, optional
        Default: :func:`litscope.paths.reports_dir`.
    pdf : bool
        Print the PDF (needs Chromium).
    progress : bool
        Show on stderr what the notebook does: a line per stage (``▶ embed``,
        ``✓ embed 12.3 s``), the notebook's progress bars and, in a terminal, which cell
        runs (relayed from the kernel by :class:`litscope.relay.Relay`). Either way
        the executed notebook and the report hold no progress-bar text.
    kernel_name : str, optional
        A Jupyter kernel to use instead of a kernel of the running interpreter.
    log : callable, optional
        Receives one line per stage (default: printed to stderr when ``progress``).

    Returns
    -------
    ReviewOutputs

    Raises
    ------
    ParameterError
        Unknown parameter or badly typed value; bad report name.
    InputError
        An input is missing or a named file is in no known format (checked before running).
    ExecutionError
        A notebook cell raised; the executed notebook is kept at ``reports/NAME.failed.ipynb``.
    RenderError
        The HTML or PDF could not be produced (the previous report is kept).
    ChromiumNotFoundError
        No Chromium for the PDF: the report is published *without* PDF, then this is raised;
        ``exc.outputs`` holds the :class:`ReviewOutputs`.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    say = log if log is not None else (lambda msg: _say(progress, msg))
    name = _check_name(name)
    notebook = Path(notebook) if notebook is not None else paths.review_notebook()
    if not notebook.is_file():
        raise ParameterError(f"{notebook}: review notebook not found")
    reports = Path(reports_dir).resolve() if reports_dir is not None else paths.reports_dir()
    root = paths.project_root()

    known = notebook_parameters(notebook)
    overrides: dict[str, Any] = {}
    if inputs is not None:
        if isinstance(inputs, (str, os.PathLike)):
            inputs = [inputs]
        overrides["inputs"] = list(inputs)
    if "name" in known:
        overrides["name"] = name
    merged = resolve_parameters(known, params_file=params_file, params=params, overrides=overrides)
    if "inputs" in merged:
        merged["inputs"] = _absolute_inputs(merged["inputs"], Path.cwd())
        if merged["inputs"]:
            _check_inputs(merged["inputs"])
    if "output_dir" not in known:
        raise ParameterError(f"{notebook}: the parameters cell must declare output_dir")

    reports.mkdir(parents=True, exist_ok=True)
    final = reports / name
    failed_copy = reports / f"{name}.failed.ipynb"
    partial = Path(tempfile.mkdtemp(prefix=f".{name}.partial-", dir=reports))
    os.chmod(partial, 0o777 & ~_umask())  # mkdtemp's 0700 would make the report private
    merged["output_dir"] = str(partial)
    executed = partial / NOTEBOOK_NAME
    engine_kwargs: dict[str, Any] = {}
    if kernel_name is None:
        kernel_name = "python3"
        engine_kwargs["kernel_manager_class"] = _current_python_kernel_manager()
    # The kernel's bars and stages go to this file (never into the notebook's outputs);
    # with progress, a Relay draws them here. Outside the report folder: it is no output.
    fd, progress_path = tempfile.mkstemp(prefix=f"litscope-{name}-", suffix=".progress.jsonl")
    os.close(fd)
    relay = Relay(progress_path) if progress else None
    if relay is not None:
        engine_kwargs["on_cell_start"] = _CellCounter(relay, _code_cells(notebook))
    try:
        say(f"running {notebook.name} for report {name!r} "
            f"({len(merged.get('inputs', []))} input(s))")
        try:
            quiet = _QuietInspection()
            for logger_name in ("papermill", "papermill.translators"):
                logging.getLogger(logger_name).addFilter(quiet)
            try:
                started = time.monotonic()
                with _environ(progress_.ENV_VAR, progress_path), (relay or nullcontext()):
                    papermill.execute_notebook(
                        str(notebook), str(executed), parameters=merged, kernel_name=kernel_name,
                        progress_bar=False, request_save_on_cell_execute=True, cwd=str(root),
                        log_output=False, **engine_kwargs)
            finally:
                for logger_name in ("papermill", "papermill.translators"):
                    logging.getLogger(logger_name).removeFilter(quiet)
        except PapermillExecutionError as exc:
            number, first_line = _failing_cell(executed, exc.cell_index)
            kept = None
            if executed.is_file():
                os.replace(executed, failed_copy)
                kept = str(failed_copy)
            evalue = " ".join(str(exc.evalue).split())
            where = f" (cell starts: {first_line})" if first_line else ""
            kept_note = f"; the executed notebook is kept at {kept}" if kept else ""
            # notebook= would read as "failed in cell 3 of <kept copy>": say it in words instead.
            error = ExecutionError(f"{evalue}{where}{kept_note}", cell=number, ename=exc.ename)
            error.notebook = kept
            raise error from exc
        except LitscopeError:
            raise
        except Exception as exc:  # the kernel died or did not start, ...
            kept = None
            if executed.is_file():
                os.replace(executed, failed_copy)
                kept = str(failed_copy)
            kept_note = f"; the executed notebook is kept at {kept}" if kept else ""
            error = ExecutionError(f"{' '.join(str(exc).split()) or 'no message'}{kept_note}",
                                   ename=type(exc).__name__)
            error.notebook = kept
            raise error from exc

        _retarget_paths(executed, partial, final)
        missing_chromium: ChromiumNotFoundError | None = None
        pdf_path: Path | None = None
        try:
            say(f"notebook ran in {format_seconds(time.monotonic() - started)}; "
                "rendering HTML")
            html = render_html(executed, partial / HTML_NAME)
            if pdf:
                say("printing PDF with Chromium")
                try:
                    pdf_path = render_pdf(html, partial / PDF_NAME)
                except ChromiumNotFoundError as exc:
                    missing_chromium = exc  # publish the HTML, then say so
        except RenderError as exc:
            os.replace(executed, failed_copy)  # the run itself worked: keep it to render again
            raise RenderError(f"{exc} (the executed notebook is kept at {failed_copy}; "
                              f"retry with: litscope render {failed_copy})") from exc

        _swap_into_place(partial, final)
    finally:
        if partial.exists():
            shutil.rmtree(partial, ignore_errors=True)
        try:
            os.unlink(progress_path)
        except OSError:
            pass
    if failed_copy.exists():
        failed_copy.unlink()  # an old failure no longer describes this report
    outputs = ReviewOutputs(
        output_dir=final,
        notebook=final / NOTEBOOK_NAME,
        html=final / HTML_NAME,
        pdf=final / PDF_NAME if pdf_path is not None else None,
        papers_csv=final / PAPERS_NAME if (final / PAPERS_NAME).is_file() else None,
        parameters={k: v for k, v in merged.items() if k != "output_dir"} | {"output_dir": str(final)},
    )
    if missing_chromium is not None:
        err = ChromiumNotFoundError(f"{missing_chromium} (the HTML report is at {outputs.html}; "
                                    "no PDF was written)")
        err.outputs = outputs  # type: ignore[attr-defined]
        raise err from missing_chromium
    return outputs
