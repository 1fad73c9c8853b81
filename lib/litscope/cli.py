"""The ``litscope`` command: run reviews, render notebooks, list formats.

Examples
--------
>>> from litscope.cli import build_parser
>>> build_parser().parse_args(["review", "refs.ris", "--name", "demo"]).name
'demo'
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Sequence

from . import __version__
from .cleanup import interruptible
from .errors import ChromiumNotFoundError, LitscopeError

EPILOG = """\
examples:
  litscope review data/samples/hf-papers-listing.txt --name sample
  litscope review exports/*.ris scopus.csv --name llm-agents \\
      --param 'research_question=How do LLM agents plan?' --param n_topics=8
  litscope review exports/ --name q3 --params review.yaml --no-pdf
  papermill notebooks/review.ipynb out.ipynb -f params.yaml && litscope render out.ipynb
  litscope simulate screening.csv --labels label_included --question 'Do SLRs help SE?'
  litscope formats
  litscope batch reviews/          (one YAML file per review: name, inputs, parameters)

Reports go to reports/NAME/ (review.html, review.pdf, review.ipynb, papers.csv).
"""


def _cwd_relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``litscope`` command."""
    parser = argparse.ArgumentParser(
        prog="litscope",
        description="litscope: load literature exports, find topics, and write a reproducible "
                    "review report (HTML and PDF) from a parameterized Jupyter notebook.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"litscope {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    review = sub.add_parser(
        "review", help="run the review notebook on your exports -> reports/NAME/",
        description="Run notebooks/review.ipynb with papermill on the given exports, then render "
                    "the executed notebook to reports/NAME/review.html and review.pdf. The "
                    "previous report of that name is replaced only when the new one is complete.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    review.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="export files, folders (read recursively) or glob patterns")
    review.add_argument("--name", required=True,
                        help="report name: the folder under reports/ (e.g. llm-agents)")
    review.add_argument("--param", "-p", action="append", default=[], metavar="KEY=VALUE",
                        help="set a notebook parameter (repeatable; values are YAML: 8, true, "
                             "[a, b]); see the parameters table in README.md")
    review.add_argument("--params", metavar="FILE.yaml",
                        help="YAML file of parameters; --param values win over it")
    review.add_argument("--no-pdf", action="store_true", help="write the HTML report only")
    review.add_argument("--quiet", "-q", action="store_true",
                        help="print nothing while the notebook runs (no stage lines, "
                             "progress bars or cell counter)")
    review.add_argument("--notebook", metavar="PATH",
                        help="run another parameterized notebook (default: notebooks/review.ipynb)")

    render = sub.add_parser(
        "render", help="render an executed notebook to HTML and PDF",
        description="Render an executed notebook (e.g. from papermill) to a self-contained HTML "
                    "report and an A4 PDF, written beside it unless paths are given.")
    render.add_argument("notebook", metavar="NOTEBOOK", help="the executed .ipynb")
    render.add_argument("--html", metavar="PATH", help="HTML output (default: NOTEBOOK.html)")
    render.add_argument("--pdf", metavar="PATH", help="PDF output (default: NOTEBOOK.pdf)")
    render.add_argument("--no-pdf", action="store_true", help="write the HTML only")

    simulate = sub.add_parser(
        "simulate", help="replay screening on a labelled export and print WSS@95 and recall",
        description="Replay title/abstract screening on an export whose label column says which "
                    "records were included (1/0): records are screened in the order litscope's "
                    "active learning proposes, each label revealed only once that record is "
                    "screened. Prints WSS@95, the recall after screening 10% of the records and "
                    "the share screened to find all included ones.")
    simulate.add_argument("file", metavar="FILE", help="a CSV/TSV/XLSX export with a label column")
    simulate.add_argument("--labels", required=True, metavar="COLUMN",
                          help="the column of 0/1 labels (e.g. label_included, included)")
    simulate.add_argument("--question", metavar="TEXT",
                          help="the research question: seeds the order before the first decision")
    simulate.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    simulate.add_argument("--embedder", default="static",
                          help="embedder of the papers: static (default), fast or minilm")

    sub.add_parser("formats", help="list the export formats litscope reads",
                   description="List the readers, with the file extensions each usually has. "
                               "Formats are detected from file content, not from the extension.")

    batch = sub.add_parser(
        "batch", help="run many reviews (one YAML file each) -> reports/NAME/ and reports/index.html",
        description="Run every review file (YAML: name, inputs and any review parameter; relative "
                    "inputs are taken from the file's folder) one after another in one Jupyter "
                    "kernel, so imports and the embedding model are loaded once. A failing review "
                    "does not stop the others. Then write reports/index.html linking every report. "
                    "Exit status: the number of failed reviews (at most 125).")
    batch.add_argument("files", nargs="+", metavar="FILE.yaml|FOLDER",
                       help="review files, or folders holding *.yaml / *.yml review files")
    batch.add_argument("--no-pdf", action="store_true", help="write the HTML reports only")
    batch.add_argument("--quiet", "-q", action="store_true",
                       help="print only one line per review")
    batch.add_argument("--notebook", metavar="PATH",
                       help="run another parameterized notebook (default: notebooks/review.ipynb)")
    batch.add_argument("--fresh-kernels", action="store_true",
                       help="start a new kernel for each review, as litscope review does")
    batch.add_argument("--dask", metavar="ADDRESS", default="",
                       help="embed every review on this Dask scheduler (tcp://host:8786) or 'local', "
                            "unless its file sets dask")
    return parser


def _cmd_review(args: argparse.Namespace) -> int:
    from .execute import run_review

    params = args.parsed_params
    try:
        out = run_review(args.inputs, name=args.name, params=params, params_file=args.params,
                         notebook=args.notebook, pdf=not args.no_pdf, progress=not args.quiet)
    except ChromiumNotFoundError as exc:
        outputs = getattr(exc, "outputs", None)
        if outputs is not None:
            print(f"HTML report written to {_cwd_relative(outputs.html)} (no PDF)")
        raise
    print(f"report written to {_cwd_relative(out.output_dir)}/")
    for label, path in (("html", out.html), ("pdf", out.pdf), ("notebook", out.notebook),
                        ("papers", out.papers_csv)):
        if path is not None:
            print(f"  {label:<9}{_cwd_relative(path)}")
    return 0


def _cmd_render(args: argparse.Namespace) -> int:
    from .render import render_notebook

    pdf = False if args.no_pdf else args.pdf
    html, pdf_path = render_notebook(args.notebook, html=args.html, pdf=pdf)
    print(f"HTML written to {html}")
    if pdf_path is not None:
        print(f"PDF written to {pdf_path}")
    return 0


def _cmd_simulate(args: argparse.Namespace) -> int:
    from .embedders import make_embedder
    from .screening.labels import read_label_column
    from .screening.simulate import compute_simulation, read_labels_vector
    from .sources import read

    papers = read(args.file).frame
    labels = read_labels_vector(read_label_column(args.file, args.labels, papers))
    embedder = make_embedder(args.embedder, progress=False)
    result = compute_simulation(papers, labels, args.question, embedder=embedder, seed=args.seed)
    m = result.metrics
    start = "seeded by the question" if args.question else "random start until one included and one excluded"
    print(f"{Path(args.file).name}: {m['records']} records, {m['included']} included ({args.labels})")
    print(f"ranking: active learning (logistic regression on TF-IDF; {args.embedder} embeddings in the "
          f"question's relevance), {start}")
    rows = [("WSS@95", f"{m['wss@95']:.3f}"),
            ("recall after screening 10%", f"{100 * m['recall@10%']:.1f} %"),
            ("screened to find all included", f"{100 * m['screened_for_all']:.1f} %")]
    if "roc_auc" in m:
        rows.append(("ROC AUC of the question alone", f"{m['roc_auc']:.3f}"))
    rows.append(("model fits", str(result.fits)))
    for label, value in rows:
        print(f"  {label:<31}{value}")
    return 0


def _cmd_formats(args: argparse.Namespace) -> int:
    from .sources import readers

    found = readers()
    rows = []
    for fmt, reader in sorted(found.items()):
        doc = (reader.module.__doc__ or "").strip()
        summary = doc.splitlines()[0].replace("``", "") if doc else ""
        rows.append((fmt, " ".join(reader.extensions) or "-", summary))
    w1 = max((len(r[0]) for r in rows), default=0)
    w2 = max((len(r[1]) for r in rows), default=0)
    for fmt, exts, summary in rows:
        print(f"{fmt:<{w1}}  {exts:<{w2}}  {summary}".rstrip())
    print("\nThe format of each file is detected from its content; extensions are only a hint.")
    return 0


def _cmd_batch(args: argparse.Namespace) -> int:
    from .batch import exit_status, run_batch

    result = run_batch(args.files, pdf=not args.no_pdf, progress=not args.quiet,
                       notebook=args.notebook, share_kernel=not args.fresh_kernels, dask=args.dask)
    for run in result.runs:
        where = f"  {_cwd_relative(run.output_dir)}/" if run.output_dir is not None else ""
        print(f"{run.status:<12}{run.name}{where}" + (f"  ({run.error})" if run.failed else ""))
    if result.index is not None:
        print(f"index written to {_cwd_relative(result.index)}")
    print(f"{len(result.runs) - result.failed} of {len(result.runs)} reviews done, {result.failed} failed")
    return exit_status(result.runs)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns (and, as a script, exits with) the exit status.

    0: done; 1: a litscope error (one line on stderr); 2: bad usage; 130: interrupted
    (Ctrl-C, SIGINT); 143: terminated (SIGTERM).
    """
    # A script's `litscope review ... &` inherits SIGINT ignored; `kill -INT` must still stop it.
    if (threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.SIG_IGN):
        signal.signal(signal.SIGINT, signal.default_int_handler)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.command == "review":
        from .errors import ParameterError
        from .execute import parse_param
        try:
            args.parsed_params = dict(parse_param(p) for p in args.param)
        except ParameterError as exc:
            parser.error(str(exc))  # bad usage: exit status 2
    handler = {"review": _cmd_review, "render": _cmd_render, "simulate": _cmd_simulate,
               "formats": _cmd_formats,
               "batch": _cmd_batch}[args.command]
    try:
        with interruptible():
            return handler(args)
    except KeyboardInterrupt as exc:
        # The kernel client's event loop is abandoned mid-wait; its "Task was destroyed"
        # complaints at exit would bury the one line that matters.
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        signum = getattr(exc, "signum", signal.SIGINT)
        print("\ninterrupted" if signum == signal.SIGINT else "\nterminated", file=sys.stderr)
        return 128 + signum
    except LitscopeError as exc:
        message = " ".join(str(exc).split())
        print(f"error: {message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
