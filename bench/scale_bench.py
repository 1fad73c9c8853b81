"""Scale benchmark: the real review on 1k / 10k / 100k records, cold, warm and +1 %, vs a bare script.

For each size it builds (or reuses) a corpus of real abstracts recombined sentence by sentence
(bench/scale_corpus.py: RIS files of <= 5,000 records, plus 1 % new records), then for each
embedder runs the review *as a user would*: a fresh ``python`` process calling
:func:`litscope.execute.run_review` (HTML only, no PDF) with ``LITSCOPE_CACHE`` pointing at

* **cold**  an empty cache folder,
* **warm**  the same folder again, inputs unchanged,
* **+1 %**  the same folder, with the file of new records added.

Measured per run: wall seconds of the process (imports included); peak RSS of the whole
process tree (runner + notebook kernel, summed, polled every 0.2 s; the runner's own peak and
its children's (the kernel's) are kept apart in the .json as ``peak_runner_mb`` / ``peak_kernel_mb``); the stage seconds the
kernel writes to ``<report>/run_stats.json`` (load, dedupe, embed, topics, summaries, figures;
"n/a" while the notebook does not write it; "other" sums stages without a column, e.g.
references and write); HTML = from run_review's "rendering HTML" log line
to its return; texts embedded (run_stats: every text the embedder encoded, summary sentences
included; the +1 % budget uses ``papers_embedded`` when run_stats has it). Once per size, bench/bare_script.py (MiniLM +
BERTopic + one chart) runs on the same files in a fresh process; cold rows show the review's
total over the bare total. Budgets (issue 7) are evaluated under the table.

Usage::

    .venv/bin/python bench/scale_bench.py                             # 1k, 10k, 100k; minilm + fast
    .venv/bin/python bench/scale_bench.py --sizes 200 --embedders minilm   # smoke test (~5 min)
    make bench BENCH=scale_bench

Options: ``--sizes``, ``--embedders``, ``--no-bare``, ``--skip-warm`` (cold only),
``--out`` (markdown copy, default bench/results/scale-<date>.md, raw numbers beside it as
.json), ``--workdir`` (corpora, caches and reports; corpora are reused by size and seed),
``--seed``, ``--retable`` (reprint merged .json results). A 10k MiniLM cold run takes ~15 min on 2 cores: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
STAGES = ["load", "dedupe", "embed", "topics", "summaries", "figures", "HTML", "other"]
RUNS = ["cold", "warm", "+1 %"]
#: The embedder the budgets are set for (the review's default).
DEFAULT_EMBEDDER = "minilm"


def say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ child: one review

def child(files: list[str], name: str, embedder: str, reports: str) -> int:
    """Run the review in this (fresh) process; JSON lines on stdout for the parent."""
    def emit(obj: dict) -> None:
        print(json.dumps(obj), flush=True)

    from litscope import paths
    from litscope.execute import notebook_parameters, run_review

    params = {}
    if "embedder" in notebook_parameters(paths.review_notebook()):
        params["embedder"] = embedder
    elif embedder != "minilm":
        emit({"error": "the review notebook has no 'embedder' parameter yet"})
        return 3
    out = run_review(files, name=name, params=params, pdf=False, progress=False,
                     reports_dir=reports, log=lambda line: emit({"log": line, "t": time.time()}))
    emit({"done": time.time(), "output_dir": str(out.output_dir)})
    return 0


# ------------------------------------------------------------------ parent: measuring

def measured(cmd: list[str], env: dict[str, str], log_path: Path) -> dict:
    """Run ``cmd``; wall seconds, peak RSS (MB) of its process tree, stdout, return code."""
    import psutil

    log_path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with open(log_path, "wb") as err, tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=err)
        parent, peak, peak_runner, peak_children = psutil.Process(proc.pid), 0, 0, 0
        while proc.poll() is None:
            rss = runner = 0
            try:
                for p in [parent] + parent.children(recursive=True):
                    try:
                        one = p.memory_info().rss
                    except (psutil.NoSuchProcess, psutil.AccessDenied):
                        continue
                    rss += one
                    if p.pid == parent.pid:
                        runner = one
            except psutil.NoSuchProcess:
                pass
            peak = max(peak, rss)
            peak_runner = max(peak_runner, runner)
            peak_children = max(peak_children, rss - runner)
            time.sleep(0.2)
        seconds = time.perf_counter() - start
        out.seek(0)
        stdout = out.read().decode("utf-8", "replace")
    return {"seconds": seconds, "peak_rss_mb": peak / 2**20, "peak_runner_mb": peak_runner / 2**20,
            "peak_kernel_mb": peak_children / 2**20, "stdout": stdout, "rc": proc.returncode}


def _json_lines(text: str) -> list[dict]:
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                rows.append(json.loads(line))
            except ValueError:
                pass
    return rows


def run_review_measured(files: list[str], *, name: str, embedder: str, cache: Path,
                        work: Path) -> dict:
    env = dict(os.environ, LITSCOPE_CACHE=str(cache), HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    log = work / "logs" / f"{name}.stderr.txt"
    m = measured([sys.executable, __file__, "--child", "--name", name, "--embedder", embedder,
                  "--reports", str(work / "reports"), "--files", *files], env, log)
    lines = _json_lines(m.pop("stdout"))
    row = {"total": m["seconds"], "peak_rss_mb": m["peak_rss_mb"], "stages": {},
           "peak_runner_mb": m["peak_runner_mb"], "peak_kernel_mb": m["peak_kernel_mb"]}
    if m["rc"] != 0:
        error = next((x["error"] for x in lines if "error" in x), "")
        tail = log.read_text(errors="replace").strip().splitlines()[-3:]
        row["error"] = error or f"exit {m['rc']}: {' / '.join(tail)[-300:]} (log: {log})"
        return row
    done = next(x for x in lines if "done" in x)
    html_start = next((x["t"] for x in lines if "rendering HTML" in x.get("log", "")), None)
    if html_start is not None:
        row["stages"]["HTML"] = done["done"] - html_start
    stats_path = Path(done["output_dir"]) / "run_stats.json"
    if stats_path.is_file():
        stats = json.loads(stats_path.read_text())
        for s in stats.get("stages", []):  # "other" = stages without a column (references, write...)
            key = s["stage"] if s["stage"] in STAGES else "other"
            row["stages"][key] = row["stages"].get(key, 0.0) + s["seconds"]
        row["texts_embedded"] = stats.get("texts_embedded")
        # paper texts only, when the kernel reports them apart from summary sentences / labels
        row["papers_embedded"] = stats.get("papers_embedded")
        row["run_stats"] = stats
    return row


def run_bare(files: list[str], work: Path, name: str) -> dict:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    m = measured([sys.executable, str(ROOT / "bench" / "bare_script.py"), *files,
                  "--out", str(work / f"{name}.html")], env, work / "logs" / f"{name}.stderr.txt")
    row = {"total": m["seconds"], "peak_rss_mb": m["peak_rss_mb"], "stages": {},
           "peak_runner_mb": m["peak_runner_mb"], "peak_kernel_mb": m["peak_kernel_mb"]}
    info = _json_lines(m["stdout"])
    if m["rc"] != 0 or not info:
        row["error"] = f"bare script failed (exit {m['rc']}; log {work / 'logs' / (name + '.stderr.txt')})"
        return row
    row["stages"] = {k: v for k, v in info[-1]["stages"].items() if k != "imports"}
    row["texts_embedded"] = info[-1]["docs"]
    return row


# ------------------------------------------------------------------ report

def _f(value, fmt="{:.1f}") -> str:
    return "n/a" if value is None else fmt.format(value)


def table(rows: list[dict]) -> str:
    head = ("| records | embedder | run | total s | " + " | ".join(STAGES)
            + " | papers embedded | peak RSS MB | ratio to bare |")
    lines = [head, "|---:|---|---|---:|" + "---:|" * len(STAGES) + "---:|---:|---:|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['n']:,} | {r['embedder']} | {r['run']} | failed: {r['error']} |"
                         + " |" * (len(STAGES) + 3))
            continue
        cells = [_f(r["stages"].get(s), "{:.1f}") for s in STAGES]
        lines.append(f"| {r['n']:,} | {r['embedder']} | {r['run']} | {r['total']:.1f} | "
                     + " | ".join(cells)
                     + f" | {_f(r.get('papers_embedded', r.get('texts_embedded')), '{:,}')} | {r['peak_rss_mb']:,.0f} "
                     f"| {_f(r.get('ratio'), '{:.2f}')} |")
    return "\n".join(lines)


def budgets(rows: list[dict], extra: dict[int, int]) -> str:
    ok = [r for r in rows if "error" not in r]

    def find(n, emb, run, bare=False):
        return next((r for r in ok if r["n"] == n and r["run"] == run
                     and (r["embedder"] == "bare" if bare else r["embedder"] == emb)), None)

    def at(target: int) -> tuple[int | None, str]:
        sizes = sorted({r["n"] for r in ok if r["embedder"] != "bare"})
        if target in sizes:
            return target, ""
        n = max(sizes) if sizes else None
        return n, (f" (measured at {n:,}; the budget is set for {target:,})" if n else "")

    def verdict(cond) -> str:
        return "n/a" if cond is None else ("PASS" if cond else "FAIL")

    out = ["", "Budgets (issue 7):", ""]
    n, note = at(10_000)
    cold = find(n, "minilm", "cold")
    ratio = cold.get("ratio") if cold else None
    out.append(f"- {verdict(None if ratio is None else ratio <= 1.3)}: end to end <= 1.3x the bare script: "
               f"{_f(ratio, '{:.2f}')}x{note}")
    out.append(f"- {verdict(None if cold is None else cold['total'] <= 600)}: end to end <= 10 min: "
               f"{_f(cold and cold['total'])} s{note}")
    for emb in sorted({r["embedder"] for r in ok if r["embedder"] != "bare"}):
        # The budgets are set for the default model; other embedders' lines are information
        # (fast embeds a sample and projects the rest, new records included, by design).
        judge = verdict if emb == DEFAULT_EMBEDDER else (lambda cond: "info")
        warm = find(n, emb, "warm")
        out.append(f"- {judge(None if warm is None else warm['total'] <= 60)}: warm re-run <= 60 s "
                   f"({emb}): {_f(warm and warm['total'])} s{note}")
        inc = find(n, emb, "+1 %")
        pe = inc.get("papers_embedded") if inc else None
        te = pe if pe is not None else (inc.get("texts_embedded") if inc else None)
        what = "paper texts" if pe is not None else "texts (papers + sentences + labels)"
        out.append(f"- {judge(None if te is None else te == extra.get(n))}: +1 % re-embeds only the new "
                   f"records ({emb}): {_f(te, '{:,}')} {what} embedded for {extra.get(n, 0):,} new{note}")
        c = find(n, emb, "cold")
        if c and c["stages"].get("embed"):
            others = {s: v for s, v in c["stages"].items() if s != "embed"}
            worst = max(others, key=others.get) if others else None
            cond = others[worst] <= 0.25 * c["stages"]["embed"] if worst else None
            out.append(f"- {judge(cond)}: no stage but embed > 25 % of embed ({emb}, cold): "
                       f"largest {worst} {_f(others.get(worst))} s vs embed {c['stages']['embed']:.1f} s"
                       f" ({_f(others.get(worst, 0) / c['stages']['embed'] * 100, '{:.0f}')} %){note}")
        else:
            out.append(f"- n/a: no stage but embed > 25 % of embed ({emb}): no stage times "
                       f"(run_stats.json missing){note}")
    n, note = at(100_000)
    peaks = [r["peak_rss_mb"] for r in ok if r["n"] == n and r["embedder"] != "bare"]
    out.append(f"- {verdict(max(peaks) < 4096 if peaks else None)}: peak RSS < 4 GB: "
               f"{_f(max(peaks) if peaks else None, '{:,.0f}')} MB (largest over its runs){note}")
    return "\n".join(out)


# ------------------------------------------------------------------ main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--embedders", nargs="+", default=["minilm", "fast"])
    ap.add_argument("--no-bare", action="store_true", help="do not run the bare script")
    ap.add_argument("--skip-warm", action="store_true", help="cold runs only (no warm, no +1 %%)")
    ap.add_argument("--out", type=Path,
                    default=ROOT / "bench" / "results" / f"scale-{_dt.date.today().isoformat()}.md")
    ap.add_argument("--workdir", type=Path,
                    default=Path(tempfile.gettempdir()) / "litscope-scale-bench")
    ap.add_argument("--seed", type=int, default=0, help="corpus seed")
    ap.add_argument("--retable", type=Path, nargs="+", metavar="JSON",
                    help="print the table and budgets of earlier runs' .json files (later files win "
                         "for the same size, embedder and run) instead of running")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--name", help=argparse.SUPPRESS)
    ap.add_argument("--embedder", help=argparse.SUPPRESS)
    ap.add_argument("--reports", help=argparse.SUPPRESS)
    ap.add_argument("--files", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        return child(args.files, args.name, args.embedder, args.reports)
    if args.retable:
        merged: dict[tuple, dict] = {}
        for path in args.retable:
            for row in json.loads(path.read_text()):
                merged[(row["n"], row["embedder"], row["run"])] = row
        rows = sorted(merged.values(), key=lambda r: (r["n"], r["embedder"] != "bare", r["embedder"],
                                                      RUNS.index(r["run"])))
        extra = {r["n"]: r.get("n_extra", r["n"] // 100) for r in rows}
        print(f"Scale benchmark, merged from {', '.join(p.name for p in args.retable)}\n\n"
              + table(rows) + "\n" + budgets(rows, extra))
        return 0

    import scale_corpus

    work = args.workdir.resolve()
    work.mkdir(parents=True, exist_ok=True)
    say(f"workdir {work}; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    rows: list[dict] = []
    extra: dict[int, int] = {}
    for n in args.sizes:
        say(f"corpus {n:,}: building or reusing")
        manifest = scale_corpus.build(n, work / f"corpus-{n}-seed{args.seed}", args.seed, log=say)
        files, extra[n] = manifest["files"], manifest["n_extra"]
        say(f"corpus {n:,}: {len(files)} file(s); dedupe would merge {manifest['dedupe_merged']} record(s)")
        bare = None
        if not args.no_bare:
            say(f"{n:,} bare script (MiniLM + BERTopic + chart) ...")
            bare = run_bare(files, work, f"bare-{n}") | {"n": n, "embedder": "bare", "run": "cold", "ratio": 1.0}
            rows.append(bare)
            say(f"{n:,} bare: {bare['total']:.1f} s{' ' + bare['error'] if 'error' in bare else ''}")
        for emb in args.embedders:
            cache = work / f"cache-{n}-{emb}"
            shutil.rmtree(cache, ignore_errors=True)
            cache.mkdir(parents=True)
            for run in RUNS[:1] if args.skip_warm else RUNS:
                inputs = files + [manifest["extra_file"]] if run == "+1 %" else files
                say(f"{n:,} {emb} {run} review ...")
                row = run_review_measured(inputs, name=f"scale-{n}-{emb}", embedder=emb, cache=cache, work=work)
                row |= {"n": n, "embedder": emb, "run": run, "n_extra": extra[n]}
                if run == "cold" and bare and "error" not in bare and "error" not in row:
                    row["ratio"] = row["total"] / bare["total"]
                rows.append(row)
                say(f"{n:,} {emb} {run}: " + (f"failed: {row['error']}" if "error" in row else
                    f"{row['total']:.1f} s, peak {row['peak_rss_mb']:,.0f} MB (runner "
                    f"{row.get('peak_runner_mb', 0):,.0f}, kernel {row.get('peak_kernel_mb', 0):,.0f}), "
                    f"texts embedded {_f(row.get('texts_embedded'), '{:,}')}"))
                if "error" in row:
                    break
    md = (f"Scale benchmark, {_dt.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}; corpus seed {args.seed}\n\n"
          + table(rows) + "\n" + budgets(rows, extra) + "\n")
    print(md)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(md)
    args.out.with_suffix(".json").write_text(json.dumps(rows, indent=2, default=str))
    say(f"written {args.out} and {args.out.with_suffix('.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
