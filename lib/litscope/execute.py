"""Run the parameterized review notebook with papermill and publish the report atomically.

:func:`run_review` checks the parameters against the notebook's ``parameters`` cell,
executes the notebook in a fresh kernel of the running interpreter (:mod:`litscope.kernels`;
or in a running one it is given), renders the executed notebook to HTML and PDF, and only
then swaps the finished folder into ``reports/NAME/``: a failed or interrupted run never
leaves a half-written report, and the previous report stays as it was. Parameters are
checked by :mod:`litscope.params`, the folder is handled by :mod:`litscope.publish`,
interrupts and the debris of killed runs by :mod:`litscope.cleanup`, and the cell that
runs or failed is found by :mod:`litscope.cells`.

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

import errno
import glob
import logging
import os
import shutil
import sys
import time
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from . import cleanup, drafts, paths, progress as progress_
from .cells import CellCounter, count_code_cells, failing_cell
from .errors import (ChromiumNotFoundError, ExecutionError, InputError, LitscopeError,
                     ParameterError, RenderError)
from .kernels import current_python_kernel_manager
# The parameter functions live in litscope.params (the notebook uses them too); they are
# re-exported here, where callers found them first.
from .params import (NotebookParameter, ParamText, check_name, notebook_parameters, parse_param,
                     resolve_parameters)
from .publish import (OutputError, describe_os_error, keep_executed, make_partial,
                      retarget_paths, swap_into_place)
from .relay import Relay, format_seconds
from .render import render_html, render_notebook, render_pdf

__all__ = ["ReviewOutputs", "run_review", "render_notebook", "notebook_parameters",
           "parse_param", "resolve_parameters", "NotebookParameter", "ParamText"]

#: Names of the files a report folder holds.
NOTEBOOK_NAME = "review.ipynb"
HTML_NAME = "review.html"
PDF_NAME = "review.pdf"
PAPERS_NAME = "papers.csv"

# A notebook that cannot be saved for these reasons is an output problem, not the notebook's.
_FULL_OR_READ_ONLY = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG}


@dataclass(frozen=True)
class ReviewOutputs:
    """Where one review run put its results (paths inside ``reports/NAME/``)."""

    output_dir: Path
    notebook: Path
    html: Path
    pdf: Path | None = None
    papers_csv: Path | None = None
    parameters: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


# --------------------------------------------------------------------------- parameters

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


def _say(progress: bool, message: str) -> None:
    if progress:
        print(f"litscope: {message}", file=sys.stderr, flush=True)


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


def run_review(inputs: Iterable[str | os.PathLike] | str | os.PathLike | None, *, name: str,
               params: Mapping[str, Any] | None = None,
               params_file: str | os.PathLike | None = None,
               notebook: str | os.PathLike | None = None,
               reports_dir: str | os.PathLike | None = None,
               pdf: bool = True, progress: bool = True,
               kernel_name: str | None = None,
               kernel: Callable[[Path], Any] | None = None,
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
    kernel : callable, optional
        Run the notebook in a kernel that is already running (``litscope batch`` keeps one
        for all its reviews, :class:`litscope.batch.kernel.SharedKernel`): ``kernel(cwd)`` is
        called just before the notebook runs, with this review's environment variables set
        (:data:`litscope.drafts.ENV_VAR`, :data:`litscope.progress.ENV_VAR`), and returns a
        started ``jupyter_client`` kernel manager; the notebook runs there, from ``cwd``, and the
        kernel is left running. An error it raises is reported as the kernel's
        (:class:`ExecutionError`). Default: a new kernel, shut down after the notebook.
    log : callable, optional
        Receives one line per stage (default: printed to stderr when ``progress``).

    Returns
    -------
    ReviewOutputs

    Raises
    ------
    ParameterError
        Unknown parameter, badly typed or out-of-range value; bad report name (all checked
        by :func:`litscope.params.validate` before anything is loaded); both ``kernel_name``
        and ``kernel``.
    InputError
        An input is missing or a named file is in no known format (checked before running).
    OutputError
        The report cannot be written (reports folder not creatable or read-only, disk
        full); the message says where the executed notebook was kept.
    litscope.cleanup.Interrupted
        SIGINT or SIGTERM: the kernel's and Chromium's process groups are killed, the
        temporary folder removed, the previous report left as it was.
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
    notebook = Path(notebook) if notebook is not None else paths.review_notebook()
    reports = Path(reports_dir).resolve() if reports_dir is not None else paths.reports_dir()
    name = check_name(name, reports_dir=reports)
    if not notebook.is_file():
        raise ParameterError(f"{notebook}: review notebook not found")
    if kernel_name is not None and kernel is not None:
        raise ParameterError("give kernel_name (a kernel to start) or kernel (one running), not both")
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
    if str(merged.get("decisions") or "").strip():  # the kernel runs in the project root, not the caller's cwd
        merged["decisions"] = _absolute_inputs([merged["decisions"]], Path.cwd())[0]
    if "output_dir" not in known:
        raise ParameterError(f"{notebook}: the parameters cell must declare output_dir")

    # What killed runs of this report left behind (their locks died with them).
    cleanup.remove_stale(reports, f".{glob.escape(name)}.partial-*")
    cleanup.remove_stale_profiles()
    final = reports / name
    failed_copy = reports / f"{name}.failed.ipynb"
    locked = ExitStack()  # the partial folder's lock: a later run's cleanup spares it
    try:
        partial = locked.enter_context(cleanup.held(lambda: make_partial(reports, name)))
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot make a folder in {reports}: {describe_os_error(exc)}") from exc
    keep_partial = False  # the executed notebook could not be moved out of it
    try:
        merged["output_dir"] = str(partial)
        executed = partial / NOTEBOOK_NAME
        engine_kwargs: dict[str, Any] = {}
        if kernel_name is None:
            kernel_name = "python3"
            if kernel is None:
                engine_kwargs["kernel_manager_class"] = current_python_kernel_manager()
        # The kernel's bars and stages go to this file (never into the notebook's outputs);
        # with progress, a Relay draws them here. In the partial folder, so that it goes with
        # it; removed before the folder is published.
        progress_path = str(partial / ".progress.jsonl")
        relay = Relay(progress_path) if progress else None
        if relay is not None:
            engine_kwargs["on_cell_start"] = CellCounter(relay, count_code_cells(notebook))
        with cleanup.interruptible():
            try:
                open(progress_path, "ab").close()
            except OSError as exc:
                raise OutputError(f"cannot write in {partial}: {describe_os_error(exc)}") from exc
            say(f"running {notebook.name} for report {name!r} "
                f"({len(merged.get('inputs', []))} input(s))")
            try:
                quiet = _QuietInspection()
                for logger_name in ("papermill", "papermill.translators"):
                    logging.getLogger(logger_name).addFilter(quiet)
                try:
                    started = time.monotonic()
                    # The kernel learns it is publishing (not a Lab draft) from drafts.ENV_VAR.
                    with _environ(progress_.ENV_VAR, progress_path), \
                            _environ(drafts.ENV_VAR, str(partial)), (relay or nullcontext()):
                        if kernel is not None:  # nbclient runs in a given manager's kernel, leaves it running
                            engine_kwargs["km"] = kernel(root.resolve())
                        papermill.execute_notebook(
                            str(notebook), str(executed), parameters=merged,
                            kernel_name=kernel_name, progress_bar=False,
                            request_save_on_cell_execute=True, cwd=str(root), log_output=False,
                            **engine_kwargs)
                finally:
                    for logger_name in ("papermill", "papermill.translators"):
                        logging.getLogger(logger_name).removeFilter(quiet)
            except PapermillExecutionError as exc:
                number, first_line = failing_cell(executed, exc.cell_index)
                kept, kept_note = keep_executed(executed, failed_copy)
                keep_partial = kept == executed
                evalue = " ".join(str(exc.evalue).split())
                where = f" (cell starts: {first_line})" if first_line else ""
                # notebook= would read "failed in cell 3 of <kept copy>": say it in words instead.
                error = ExecutionError(f"{evalue}{where}{kept_note}", cell=number, ename=exc.ename)
                error.notebook = str(kept) if kept else None
                raise error from exc
            except LitscopeError:
                raise
            except Exception as exc:  # the kernel died or did not start, the disk is full, ...
                kept, kept_note = keep_executed(executed, failed_copy)
                keep_partial = kept == executed
                if isinstance(exc, OSError) and exc.errno in _FULL_OR_READ_ONLY:
                    raise OutputError(f"cannot save the executed notebook in {partial}: "
                                      f"{describe_os_error(exc)}{kept_note}") from exc
                error = ExecutionError(f"{' '.join(str(exc).split()) or 'no message'}{kept_note}",
                                       ename=type(exc).__name__)
                error.notebook = str(kept) if kept else None
                raise error from exc

            os.unlink(progress_path)
            missing_chromium: ChromiumNotFoundError | None = None
            pdf_path: Path | None = None
            try:
                retarget_paths(executed, partial, final)
                say(f"notebook ran in {format_seconds(time.monotonic() - started)}; "
                    "rendering HTML")
                html = render_html(executed, partial / HTML_NAME)
                if pdf:
                    say("printing PDF with Chromium")
                    try:
                        pdf_path = render_pdf(html, partial / PDF_NAME)
                    except ChromiumNotFoundError as exc:
                        missing_chromium = exc  # publish the HTML, then say so
                swap_into_place(partial, final)
            except (LitscopeError, OSError) as exc:
                # The run itself worked: keep its notebook, to render or publish again.
                kept, kept_note = keep_executed(executed, failed_copy)
                keep_partial = kept == executed
                if isinstance(exc, RenderError):
                    raise RenderError(f"{exc} (the executed notebook is kept at {kept}; "
                                      f"retry with: litscope render {kept})") from exc
                if isinstance(exc, OSError):
                    raise OutputError(f"cannot write the report {final}: "
                                      f"{describe_os_error(exc)}{kept_note}") from exc
                raise LitscopeError(f"{exc}{kept_note}") from exc
    finally:
        if partial.exists() and not keep_partial:
            shutil.rmtree(partial, ignore_errors=True)
        locked.close()
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
