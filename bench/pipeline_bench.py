"""Time each stage of a review and its peak memory, with a cold and a warm embedding cache.

Stages: load, dedupe, embed (including the model load), topics, summaries (run in one
child process, timed with :class:`litscope.timing.StageTimer`), then execute (papermill
runs the whole review notebook), HTML (nbconvert + table of contents) and PDF (Chromium),
each in its own process. *Cold* points ``LITSCOPE_CACHE`` at a fresh empty folder; *warm*
runs again with the cache the cold run filled. Peak memory is the largest resident set
of the stage's process tree (sampled every 0.1 s for the subprocess stages; ``ru_maxrss``
of the child for the in-process stages, so those numbers only grow).

Usage::

    .venv/bin/python bench/pipeline_bench.py                      # the sample corpus
    .venv/bin/python bench/pipeline_bench.py --inputs bench/data/cohen2006 --no-pdf

Prints a markdown table; the raw numbers go to ``bench/results/pipeline.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
IN_PROCESS = ("load", "dedupe", "embed", "topics", "summaries")


def child(inputs: list[str], seed: int) -> None:
    """The in-process stages; prints one JSON object."""
    import litscope
    from litscope import embed, report, summarize, topics
    from litscope.timing import StageTimer

    timer = StageTimer()
    with timer("load"):
        loaded = litscope.load(inputs)
    with timer("dedupe"):
        papers = report.merge_duplicates(loaded).papers
    embedder = embed.Embedder(progress=False)
    with timer("embed"):
        vectors = embed.embed_papers(papers, embedder=embedder)
    with timer("topics"):
        result = topics.compute_topics(papers, vectors, seed=seed, embedder=embedder, progress=False)
    refs = report.reference_numbers(report.compute_references(papers))
    with timer("summaries"):
        summarize.compute_paper_summaries(papers, encode=embedder.encode)
        summarize.compute_syntheses(papers, result.papers, result.topics, refs=refs, encode=embedder.encode)
    frame = timer.frame()
    print(json.dumps({"papers": len(papers), "topics": int(len(result.topics)),
                      "texts_embedded": embedder.texts_embedded,
                      "stages": {r.stage: {"seconds": r.seconds, "peak_mb": r.peak_rss_mb}
                                 for r in frame.itertuples()}}))


def measured(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a command; (seconds, peak RSS of its process tree in MiB, stdout)."""
    import psutil

    start = time.perf_counter()
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=err)
    parent = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            tree = [parent] + parent.children(recursive=True)
            rss = 0
            for p in tree:
                try:
                    rss += p.memory_info().rss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    pass
            peak = max(peak, rss)
        except psutil.NoSuchProcess:
            pass
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    out.seek(0)
    err.seek(0)
    stdout = out.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.read().decode('utf-8', 'replace')[-3000:]}")
    return seconds, peak / 2**20, stdout


def scenario(label: str, inputs: list[str], cache: Path, work: Path, *, seed: int, pdf: bool) -> dict:
    env = dict(os.environ, LITSCOPE_CACHE=str(cache), HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    rows: dict[str, dict[str, float]] = {}
    print(f"[{label}] in-process stages ...", file=sys.stderr)
    _, _, stdout = measured([PY, __file__, "--child", "--seed", str(seed), "--inputs", *inputs], env)
    info = json.loads(stdout.strip().splitlines()[-1])
    rows.update(info["stages"])
    out = work / label
    out.mkdir(parents=True, exist_ok=True)
    nb = out / "review.ipynb"
    print(f"[{label}] execute ...", file=sys.stderr)
    code = ("import papermill, sys; papermill.execute_notebook(sys.argv[1], sys.argv[2], "
            "parameters={'inputs': sys.argv[4:], 'output_dir': sys.argv[3], 'name': 'bench', "
            f"'seed': {seed}}}, progress_bar=False)")
    s, m, _ = measured([PY, "-c", code, str(ROOT / "notebooks" / "review.ipynb"), str(nb), str(out), *inputs], env)
    rows["execute"] = {"seconds": s, "peak_mb": m}
    print(f"[{label}] HTML ...", file=sys.stderr)
    s, m, _ = measured([PY, "-c", "import sys; from litscope.render import render_html; "
                        "render_html(sys.argv[1], sys.argv[2])", str(nb), str(out / "review.html")], env)
    rows["HTML"] = {"seconds": s, "peak_mb": m}
    if pdf:
        print(f"[{label}] PDF ...", file=sys.stderr)
        s, m, _ = measured([PY, "-c", "import sys; from litscope.render import render_pdf; "
                            "render_pdf(sys.argv[1], sys.argv[2])", str(out / "review.html"),
                            str(out / "review.pdf")], env)
        rows["PDF"] = {"seconds": s, "peak_mb": m}
    return {"papers": info["papers"], "topics": info["topics"], "texts_embedded": info["texts_embedded"],
            "stages": rows}


def table(results: dict[str, dict]) -> str:
    labels = list(results)
    stages = list(dict.fromkeys(s for r in results.values() for s in r["stages"]))
    head = "| stage | " + " | ".join(f"{lbl} (s) | {lbl} peak MiB" for lbl in labels) + " |"
    sep = "|---|" + "---:|---:|" * len(labels)
    lines = [head, sep]
    for st in stages:
        cells = []
        for lbl in labels:
            v = results[lbl]["stages"].get(st)
            cells += [f"{v['seconds']:.2f}", f"{v['peak_mb']:.0f}"] if v else ["", ""]
        lines.append(f"| {st} | " + " | ".join(cells) + " |")
    first = results[labels[0]]
    lines.append("")
    lines.append(f"{first['papers']} papers, {first['topics']} topics; texts embedded: "
                 + ", ".join(f"{lbl} {results[lbl]['texts_embedded']}" for lbl in labels) + ".")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", nargs="+", default=[str(ROOT / "data" / "samples" / "hf-papers-listing.txt")])
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--no-pdf", action="store_true")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    inputs = [str(Path(p).resolve()) for p in args.inputs]
    if args.child:
        child(inputs, args.seed)
        return
    with tempfile.TemporaryDirectory(prefix="litscope-bench-") as tmp:
        cache, work = Path(tmp) / "cache", Path(tmp) / "work"
        results = {}
        for label in ("cold", "warm"):
            results[label] = scenario(label, inputs, cache, work, seed=args.seed, pdf=not args.no_pdf)
    md = table(results)
    print(md)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "pipeline.json").write_text(json.dumps({"inputs": inputs, "results": results}, indent=2))


if __name__ == "__main__":
    main()
