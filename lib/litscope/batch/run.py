"""Run the reviews of a batch, one after another, in one shared kernel.

Examples
--------
>>> exit_status([ReviewRun(Path("a.yaml"), "a", "ok"), ReviewRun(Path("b.yaml"), "b", "failed")])
1
>>> exit_status([ReviewRun(Path("x.yaml"), "x", "failed")] * 300)
125
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from .. import paths
from ..cleanup import Interrupted
from ..errors import ChromiumNotFoundError, LitscopeError
from .files import collect_review_files, read_review_file
from .index import write_index
from .kernel import SharedKernel

__all__ = ["ReviewRun", "BatchResult", "run_batch", "exit_status", "MAX_EXIT_STATUS"]

#: Largest exit status: 126 and above mean "cannot execute", "not found" and signals to a shell.
MAX_EXIT_STATUS = 125


@dataclass
class ReviewRun:
    """What happened to one review of a batch."""

    file: Path
    name: str
    status: str  # "ok", "ok (no PDF)" or "failed"
    error: str = ""
    seconds: float = 0.0
    output_dir: Path | None = None
    stages: dict[str, float] = field(default_factory=dict)  # from run_stats.json
    model_loads: int = 0  # embedding models loaded by the kernel during this review
    model_reuses: int = 0  # ... and found already loaded
    model_load_seconds: float = 0.0  # time spent loading them (measured in the kernel)
    kernel_pid: int | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"


@dataclass
class BatchResult:
    """All reviews of a batch, the index page written, and how many kernels were started."""

    runs: list[ReviewRun]
    index: Path | None
    kernel_starts: int

    @property
    def failed(self) -> int:
        return sum(r.failed for r in self.runs)


def exit_status(runs: Iterable[ReviewRun]) -> int:
    """The number of failed reviews, at most :data:`MAX_EXIT_STATUS`."""
    return min(MAX_EXIT_STATUS, sum(r.failed for r in runs))


def _stages(folder: Path | None) -> dict[str, float]:
    try:
        stats = json.loads((folder / "run_stats.json").read_text(encoding="utf-8"))  # type: ignore[operator]
        return {s["stage"]: float(s["seconds"]) for s in stats.get("stages", [])}
    except (OSError, ValueError, TypeError, KeyError):
        return {}


def _model_counts(state: dict[str, Any]) -> tuple[int, int, float]:
    models = state.get("models", {})
    return (sum(int(m.get("loads", 0)) for m in models.values()),
            sum(int(m.get("reuses", 0)) for m in models.values()),
            sum(float(m.get("load_seconds", 0.0)) for m in models.values()))


def run_batch(items: Iterable[str | os.PathLike], *, reports_dir: str | os.PathLike | None = None,
              pdf: bool = True, progress: bool = True, notebook: str | os.PathLike | None = None,
              share_kernel: bool = True, dask: str = "",
              log: Callable[[str], None] | None = None) -> BatchResult:
    """Run every review file in ``items`` (files or folders of ``*.yaml``), then write the index.

    Parameters
    ----------
    items : paths
        Review files, or folders holding them (see :mod:`litscope.batch.files`).
    share_kernel : bool
        Run every notebook in one kernel (imports and the loaded model are reused); with
        False, each review gets a fresh kernel, exactly as ``litscope review``.
    dask : str
        A Dask scheduler address (``tcp://host:8786``) or ``"local"``: every review embeds its
        papers on that cluster unless its file sets ``dask`` itself.
    Others as :func:`litscope.execute.run_review`.

    Returns
    -------
    BatchResult
        A failed review (bad file, bad parameters, failing cell, ...) is recorded with its
        error and the next one runs; only an interrupt (Ctrl-C, SIGTERM) stops the batch.

    Raises
    ------
    ParameterError
        A named file or folder does not exist, or a folder holds no review file.
    """
    from ..execute import run_review

    say = log or (lambda msg: print(f"litscope batch: {msg}", file=sys.stderr, flush=True))
    files = collect_review_files(items)
    reports = Path(reports_dir).resolve() if reports_dir is not None else paths.reports_dir()
    runs: list[ReviewRun] = []
    shared = SharedKernel()
    counted: dict[str, Any] = {"pid": None, "loads": 0, "reuses": 0, "seconds": 0.0}  # the kernel's totals
    try:
        for number, file in enumerate(files, 1):
            started = time.perf_counter()
            run = ReviewRun(file=file, name=file.stem, status="failed")
            runs.append(run)
            try:
                spec = read_review_file(file)
                run.name = spec.name
                params = {"dask": dask, **spec.params} if dask else spec.params
                say(f"[{number}/{len(files)}] {spec.name} ({file.name})")
                try:
                    out = run_review(spec.inputs, name=spec.name, params=params, notebook=notebook,
                                     reports_dir=reports, pdf=pdf, progress=progress,
                                     kernel=shared.prepare if share_kernel else None)
                    run.status = "ok"
                except ChromiumNotFoundError as exc:
                    out = exc.outputs  # type: ignore[attr-defined]
                    run.status, run.error = "ok (no PDF)", " ".join(str(exc).split())
                run.output_dir = out.output_dir
                run.stages = _stages(out.output_dir)
            except (Interrupted, KeyboardInterrupt):
                run.error = "interrupted"
                raise
            except LitscopeError as exc:
                run.error = " ".join(str(exc).split())
            except Exception as exc:  # one review's unexpected failure must not stop the others
                run.error = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
            finally:
                run.seconds = time.perf_counter() - started
                if share_kernel and shared.km is not None:
                    try:
                        state = shared.model_state()
                    except Exception:  # the kernel died with the review: the next one gets a new kernel
                        state = {}
                    if state:
                        loads, reuses, seconds = _model_counts(state)
                        if state.get("pid") != counted["pid"]:  # a new kernel counts from zero
                            counted.update(pid=state.get("pid"), loads=0, reuses=0, seconds=0.0)
                        run.model_loads = loads - counted["loads"]
                        run.model_reuses = reuses - counted["reuses"]
                        run.model_load_seconds = seconds - counted["seconds"]
                        counted.update(loads=loads, reuses=reuses, seconds=seconds)
                        run.kernel_pid = state.get("pid")
            shared_note = (f"; kernel {run.kernel_pid}: models loaded {run.model_loads} "
                           f"({run.model_load_seconds:.1f} s), reused {run.model_reuses}"
                           if run.kernel_pid else "")
            stages = ", ".join(f"{k} {v:.1f} s" for k, v in run.stages.items())
            say(f"{run.name}: {run.status} in {run.seconds:.1f} s" + shared_note
                + (f" [{stages}]" if stages else "") + (f" ({run.error})" if run.error else ""))
    finally:
        shared.shutdown()
        index = None
        try:
            index = write_index(reports, runs)
        except OSError as exc:
            say(f"cannot write {reports / 'index.html'}: {exc.strerror or exc}")
    return BatchResult(runs=runs, index=index, kernel_starts=shared.starts)
