"""Screening benchmark (issue 10): question-only ranking, active learning, ASReview and random order.

On the labelled sets of ``../shared/corpora`` (Kitchenham 2010 from the ASReview
systematic-review-datasets, and the seven Cohen 2006 drug class reviews, each with
``label_included``), one run replays screening with:

* **question only**: the records in the order of their relevance to the research question
  (BM25 with pseudo-relevance feedback, fused with the embedding cosine,
  :func:`litscope.screening.compute_relevance`); no labels are used; the ROC AUC of that
  ranking is reported too;
* **litscope AL + question**: active learning seeded by the question (relevance order until the
  first exclusion, the question as a pseudo-positive after), :func:`compute_simulation`;
* **litscope AL, no question**: the same learner from a random start (mean over ``--seeds``);
* **ASReview default**: the ``asreview`` package's default model (ELAS u4 in ASReview 2-3:
  TF-IDF words+pairs, linear SVM, balanced sampling, max query), run by ``--asreview-python``
  (a separate venv: asreview is not a litscope dependency) on the *same records* (title,
  abstract, label written to a temporary CSV), from a seeded random start until one included
  and one excluded record are found, as litscope's no-question run; mean over ``--seeds``;
* **random order**: mean over ``--random-seeds`` shuffles.

Metrics (:func:`litscope.screening.compute_metrics`): WSS@95, recall after screening 10 %
of the records, share screened to find all included records.  Every method's records
screened in its random start count as screened.

Research questions (one per set, written before any run and never tuned on results):

* Kitchenham_2010: from the dataset's ``Kitchenham_2010.json`` title, "Systematic literature
  reviews in software engineering - A tertiary study";
* Cohen 2006 sets: from each ``meta/<set>.json`` ``topic`` and the README's source (Cohen et al.
  2006: drug class reviews of the Drug Effectiveness Review Project, which compare the
  effectiveness and safety of the drugs of one class).

Tuning, for honesty: litscope's active-learning settings (TF-IDF features without the embedding
half, C = 1, the question's relevance in the order) were chosen on ADHD, Triptans,
UrinaryIncontinence and Antihistamines; the agreement-scaled weight of the question
(:meth:`litscope.screening.active.ActiveLearner.prior_trust`) was added after seeing the other
four sets, so no set is held out (see the notes of :mod:`litscope.screening.active`).
Question-only relevance (:mod:`litscope.screening.feedback`: BM25 parameters, RM3 expansion,
the pseudo-labelled classifier, the lexical weight) was tuned on Kitchenham_2010, ADHD and
Triptans only (:data:`TUNING_SETS`); the other five are held out, and the tables give the
question-only ROC AUC of both groups apart.

Usage::

    .venv/bin/python bench/screening_bench.py --asreview-python /work/asreview-venv/bin/python
    .venv/bin/python bench/screening_bench.py --sets ADHD Triptans --seeds 1   # quick look
    .venv/bin/python bench/screening_bench.py --only question                  # question-only ranking, ~20 s
    .venv/bin/python bench/screening_bench.py --only question --no-feedback    # ... without the feedback

Options: ``--corpora`` (default ../shared/corpora), ``--embedder`` (static by default: the
static model distilled from MiniLM runs on two CPU cores in seconds; ``minilm`` takes minutes
per thousand uncached records), ``--seeds`` (random-start repeats), ``--random-seeds``,
``--out`` (markdown copy; the raw numbers are written beside it as .json), ``--cache`` (ASReview's
orders are kept there and reused when records, labels, seed and runner are the same;
``--asreview-only`` fills it ahead of a run), ``--only question`` (the question-only ranking alone,
its own small table), ``--no-feedback`` (relevance without pseudo-relevance feedback, for comparison;
active learning seeded by the question then uses it too).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]

#: set name -> (path under the corpora folder, research question, where the question came from)
SETS: dict[str, tuple[str, str, str]] = {
    "Kitchenham_2010": ("screening/Kitchenham_2010.csv",
                        "Which systematic literature reviews have been published in software engineering?",
                        "Kitchenham_2010.json title"),
    "ADHD": ("cohen2006/ADHD.csv",
             "What is the comparative effectiveness and safety of drugs for attention deficit "
             "hyperactivity disorder (ADHD)?", "meta/ADHD.json topic"),
    "Antihistamines": ("cohen2006/Antihistamines.csv",
                       "What is the comparative effectiveness and safety of antihistamines?",
                       "meta/Antihistamines.json topic"),
    "Estrogens": ("cohen2006/Estrogens.csv",
                  "What is the comparative effectiveness and safety of estrogens for menopausal symptoms?",
                  "meta/Estrogens.json topic (+ the DERP review's population)"),
    "NSAIDS": ("cohen2006/NSAIDS.csv",
               "What is the comparative effectiveness and safety of nonsteroidal anti-inflammatory drugs (NSAIDs)?",
               "meta/NSAIDS.json topic"),
    "OralHypoglycemics": ("cohen2006/OralHypoglycemics.csv",
                          "What is the comparative effectiveness and safety of oral hypoglycemic drugs "
                          "for type 2 diabetes?", "meta/OralHypoglycemics.json topic"),
    "Triptans": ("cohen2006/Triptans.csv",
                 "What is the comparative effectiveness and safety of triptans for migraine?",
                 "meta/Triptans.json topic"),
    "UrinaryIncontinence": ("cohen2006/UrinaryIncontinence.csv",
                            "What is the comparative effectiveness and safety of drugs for urinary "
                            "incontinence and overactive bladder?", "meta/UrinaryIncontinence.json topic"),
}

#: The sets the question-only relevance settings were chosen on; the others are held out.
TUNING_SETS = ("Kitchenham_2010", "ADHD", "Triptans")

#: Run by --asreview-python: ASReview's default model from a seeded random start, on a CSV of
#: title, abstract, label_included; prints the screening order (stopped at the last included record).
ASREVIEW_RUNNER = r"""
import json, sys
import numpy as np, pandas as pd
import asreview
from asreview.learner import ActiveLearningCycle
from asreview.models.models import get_ai_config
from asreview.models.queriers import Random
from asreview.models.stoppers import IsFittable
from asreview.simulation.simulate import Simulate
path, seed = sys.argv[1], int(sys.argv[2])
df = pd.read_csv(path, dtype={"title": str, "abstract": str}, keep_default_na=False)
labels = df["label_included"].astype(int).to_numpy()
np.random.seed(seed)
config = get_ai_config(None)
cycles = [ActiveLearningCycle(querier=Random(random_state=seed), stopper=IsFittable()),
          ActiveLearningCycle.from_meta(config["value"])]
sim = Simulate(df[["title", "abstract"]], labels, cycles, stopper=None, print_progress=False)
sim.review()
print(json.dumps({"version": asreview.__version__, "model": config["name"],
                  "order": sim._results["record_id"].astype(int).tolist()}))
"""


def say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def load_set(corpora: Path, name: str):
    from litscope.screening.labels import read_label_column
    from litscope.screening.simulate import read_labels_vector
    from litscope.sources import read

    path = corpora / SETS[name][0]
    papers = read(path).frame
    labels = read_labels_vector(read_label_column(path, "label_included", papers))
    return papers, labels


def metrics_from_order(order: list[int], labels: np.ndarray) -> dict:
    """Metrics of a screening order that may stop early (the rest is screened after, all excluded)."""
    from litscope.screening import compute_metrics

    seen = set(order)
    rest = [i for i in range(len(labels)) if i not in seen]
    full = list(order) + rest
    if labels[rest].sum():
        raise RuntimeError("the order stopped before the last included record")
    return compute_metrics(labels[full])


def run_asreview(python: str, papers: pd.DataFrame, labels: np.ndarray, seed: int,
                 cache: Path | None = None) -> tuple[dict, str]:
    """ASReview's screening order on these records; kept in ``cache`` by records, labels, seed and runner."""
    records = pd.DataFrame({"title": papers["title"].fillna(""), "abstract": papers["abstract"].fillna(""),
                            "label_included": labels})
    text = records.to_csv(index=False)
    key = hashlib.sha256(f"{ASREVIEW_RUNNER}\0{python}\0{seed}\0{text}".encode()).hexdigest()[:24]
    hit = cache / f"asreview-{key}.json" if cache else None
    if hit is not None and hit.exists():
        out = json.loads(hit.read_text(encoding="utf-8"))
    else:
        with tempfile.TemporaryDirectory(prefix="screening-bench-") as tmp:
            csv_path = Path(tmp) / "records.csv"
            csv_path.write_text(text, encoding="utf-8")
            env = {**os.environ, "PYTHONPATH": ""}
            proc = subprocess.run([python, "-c", ASREVIEW_RUNNER, str(csv_path), str(seed)], capture_output=True,
                                  text=True, env=env, cwd=tmp)
        if proc.returncode != 0:
            raise RuntimeError(f"asreview failed: {proc.stderr.strip().splitlines()[-1:]}")
        out = json.loads(proc.stdout.strip().splitlines()[-1])
        if hit is not None:
            hit.parent.mkdir(parents=True, exist_ok=True)
            hit.write_text(json.dumps(out), encoding="utf-8")
    return metrics_from_order(out["order"], labels), f"asreview {out['version']} {out['model']}"


def mean_metrics(runs: list[dict]) -> dict:
    keys = ["wss@95", "recall@10%", "screened_for_all"]
    return {k: round(float(np.mean([r[k] for r in runs])), 4) for k in keys}


def bench_set(name: str, args, embedder) -> dict:
    from litscope.embed import paper_texts
    from litscope.screening import compute_metrics, compute_simulation

    papers, labels = load_set(Path(args.corpora), name)
    if args.asreview_only:
        for seed in range(args.seeds):
            m, label = run_asreview(args.asreview_python, papers, labels, seed, Path(args.cache) if args.cache else None)
            say(f"{name} seed {seed}: {label} WSS@95 {m['wss@95']:.3f}")
        return {}
    question = SETS[name][1]
    row: dict = {"set": name, "records": len(papers), "included": int(labels.sum()), "question": question,
                 "question_source": SETS[name][2]}
    t = time.time()
    embeddings = np.asarray(embedder.encode(paper_texts(papers)))
    row["embed_s"] = round(time.time() - t, 1)
    t = time.time()
    if args.no_feedback:
        relevance_without_feedback(embedder)
    q_only = compute_simulation(papers, labels, question, embeddings=embeddings, embedder=embedder, active=False)
    row["question_only"] = {**q_only.metrics, "seconds": round(time.time() - t, 1)}
    if args.only == "question":
        say(f"{name}: question only WSS@95 {q_only.metrics['wss@95']:.3f} (AUC {q_only.metrics['roc_auc']:.3f}, "
            f"{row['question_only']['seconds']} s)")
        return row
    t = time.time()
    al_q = compute_simulation(papers, labels, question, embeddings=embeddings, embedder=embedder, seed=0)
    row["al_question"] = {**al_q.metrics, "fits": al_q.fits, "seconds": round(time.time() - t, 1),
                          "left_at_95": al_q.estimate_when(0.95)}
    say(f"{name}: question only WSS@95 {q_only.metrics['wss@95']:.3f} (AUC {q_only.metrics['roc_auc']:.3f}); "
        f"AL+question {al_q.metrics['wss@95']:.3f} ({row['al_question']['seconds']} s)")
    runs = []
    for seed in range(args.seeds):
        runs.append(compute_simulation(papers, labels, None, embeddings=embeddings, embedder=embedder,
                                       seed=seed).metrics)
    row["al_no_question"] = mean_metrics(runs)
    rng = np.random.default_rng(12345)
    row["random"] = mean_metrics([compute_metrics(labels[rng.permutation(len(labels))])
                                  for _ in range(args.random_seeds)])
    if args.asreview_python:
        runs, label = [], ""
        t = time.time()
        for seed in range(args.seeds):
            m, label = run_asreview(args.asreview_python, papers, labels, seed,
                                    Path(args.cache) if args.cache else None)
            runs.append(m)
        row["asreview"] = {**mean_metrics(runs), "model": label, "seconds": round(time.time() - t, 1)}
        say(f"{name}: {label} WSS@95 {row['asreview']['wss@95']:.3f}")
    return row


def relevance_without_feedback(embedder) -> None:
    """Make :func:`compute_relevance` skip pseudo-relevance feedback in this process (``--no-feedback``)."""
    import functools

    import litscope.screening.relevance as relevance

    if not getattr(relevance.compute_relevance, "_bench_no_feedback", False):
        plain = functools.partial(relevance.compute_relevance, feedback=False)
        plain._bench_no_feedback = True  # type: ignore[attr-defined]
        relevance.compute_relevance = plain


def split_of(name: str) -> str:
    return "tune" if name in TUNING_SETS else "held out"


def auc_by_split(rows: list[dict]) -> str:
    """Mean question-only ROC AUC of the tuning sets, the held-out sets and all sets."""
    parts = []
    for label, group in (("tuning sets", [r for r in rows if r["set"] in TUNING_SETS]),
                         ("held-out sets", [r for r in rows if r["set"] not in TUNING_SETS]), ("all", rows)):
        if group:
            parts.append(f"{label} {np.mean([r['question_only']['roc_auc'] for r in group]):.3f} "
                         f"({len(group)})")
    return "Question-only ROC AUC, mean: " + "; ".join(parts) + "."


def question_table(rows: list[dict], embedder: str, feedback: bool) -> str:
    head = ["set", "split", "N", "incl", "Q AUC", "Q WSS@95", "Q R@10%", "Q all", "seconds"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        q = r["question_only"]
        lines.append("| " + " | ".join([r["set"], split_of(r["set"]), str(r["records"]), str(r["included"]),
                                        f"{q['roc_auc']:.3f}", f"{q['wss@95']:.3f}", f"{q['recall@10%']:.3f}",
                                        f"{q['screened_for_all']:.3f}", f"{q['seconds']}"]) + " |")
    return "\n".join(lines + ["", auc_by_split(rows),
                              f"Question only (no labels), embedder {embedder}, pseudo-relevance feedback "
                              f"{'on' if feedback else 'off'}; tuning sets: {', '.join(TUNING_SETS)}."])


def table(rows: list[dict], embedder: str, seeds: int, random_seeds: int, asreview: bool) -> str:
    def f(x):
        return f"{x:.3f}"

    def left(pair):
        return "-" if not pair else f"{pair[0]}/{pair[1]:.1f}/{pair[2]:.1f}"

    head = ["set", "N", "incl", "Q AUC", "Q WSS@95", "Q R@10%", "AL+Q WSS@95", "AL+Q R@10%", "AL+Q all",
            "AL+Q left@95 true/model/recent", "AL WSS@95", "ASR WSS@95", "ASR R@10%", "ASR all", "rand WSS@95", "rand R@10%"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    cols = []
    for r in rows:
        a = r.get("asreview")
        vals = [r["set"] + (" (tune)" if r["set"] in TUNING_SETS else ""), str(r["records"]), str(r["included"]), f(r["question_only"]["roc_auc"]),
                f(r["question_only"]["wss@95"]), f(r["question_only"]["recall@10%"]),
                f(r["al_question"]["wss@95"]), f(r["al_question"]["recall@10%"]),
                f(r["al_question"]["screened_for_all"]), left(r["al_question"].get("left_at_95")),
                f(r["al_no_question"]["wss@95"]),
                f(a["wss@95"]) if a else "-", f(a["recall@10%"]) if a else "-",
                f(a["screened_for_all"]) if a else "-", f(r["random"]["wss@95"]), f(r["random"]["recall@10%"])]
        cols.append(vals)
        lines.append("| " + " | ".join(vals) + " |")
    mean = ["**mean**", str(sum(r["records"] for r in rows)), str(sum(r["included"] for r in rows))]
    for j in range(3, len(head)):
        if "/" in head[j]:
            mean.append("")
            continue
        nums = [float(v[j]) for v in cols if v[j] != "-"]
        mean.append(f"**{np.mean(nums):.3f}**" if len(nums) == len(cols) else "-")
    lines.append("| " + " | ".join(mean) + " |")
    model = next((r["asreview"]["model"] for r in rows if r.get("asreview")), "not run")
    notes = [
        "",
        f"Q = question only (no labels); AL+Q = litscope active learning seeded by the question; "
        f"AL = litscope active learning without a question, random start (mean of {seeds} seeds); "
        f"ASR = ASReview default ({model}), random start until fittable (mean of {seeds} seeds); "
        f"rand = random order (mean of {random_seeds}). Embedder: {embedder}. "
        "WSS@95 = work saved over sampling at 95 % recall; R@10% = recall after screening 10 % of the "
        "records; all = share screened to find every included record; left@95 = included records truly "
        "left / the model-probability stopping estimate / the recent-inclusion-rate estimate, at the first "
        "model fit after 95 % recall.",
        auc_by_split(rows) + " (tune) marks the sets the question-only relevance settings were chosen on.",
    ]
    if not asreview:
        notes.append("ASReview columns: not run (no --asreview-python).")
    return "\n".join(lines + notes)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", default=str(ROOT.parent / "shared" / "corpora"))
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    parser.add_argument("--embedder", default="static")
    parser.add_argument("--seeds", type=int, default=3, help="random-start repeats (AL without question, ASReview)")
    parser.add_argument("--random-seeds", type=int, default=20)
    parser.add_argument("--asreview-python", default=None,
                        help="python of a venv with asreview installed (e.g. /work/asreview-venv/bin/python)")
    parser.add_argument("--cache", default=str(ROOT / "bench" / "results" / "screening-cache"),
                        help="folder keeping ASReview's orders (by records, labels, seed); '' for none")
    parser.add_argument("--asreview-only", action="store_true",
                        help="only run (and cache) ASReview, e.g. ahead of the full run")
    parser.add_argument("--only", choices=["question"], default=None,
                        help="run only the question-only ranking (no active learning, ASReview or random order)")
    parser.add_argument("--no-feedback", action="store_true",
                        help="relevance without pseudo-relevance feedback (plain BM25 + cosine), for comparison")
    parser.add_argument("--out", default=None, help="markdown copy (default bench/results/screening-<date>.md)")
    args = parser.parse_args(argv)
    if args.only == "question":
        args.asreview_python = None
    elif args.asreview_python and not Path(args.asreview_python).exists():
        say(f"--asreview-python {args.asreview_python} does not exist: ASReview is skipped")
        args.asreview_python = None
    if not args.asreview_python and args.only != "question":
        say("ASReview skipped: pass --asreview-python PATH (a venv with `pip install asreview`)")
    from litscope.embedders import make_embedder

    embedder = make_embedder(args.embedder, progress=False)
    rows = []
    started = time.time()
    for name in args.sets:
        rows.append(bench_set(name, args, embedder))
    if args.asreview_only:
        return 0
    if args.only == "question":
        text = question_table(rows, args.embedder, not args.no_feedback)
    else:
        text = table(rows, args.embedder, args.seeds, args.random_seeds, bool(args.asreview_python))
    text += f"\n\nRun {_dt.datetime.now(_dt.timezone.utc):%Y-%m-%d %H:%M} UTC, {time.time() - started:.0f} s in all."
    print(text)
    stem = f"screening-{_dt.date.today()}" + ("-question" if args.only == "question" else "")
    out = Path(args.out) if args.out else ROOT / "bench" / "results" / f"{stem}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    say(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
