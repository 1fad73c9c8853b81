"""Benchmark loading and de-duplicating synthetic corpora of 1,000 / 10,000 / 100,000 records.

Each corpus is a set of "works" with titles drawn from a vocabulary with Zipf-like word
frequencies, plus 10-20 % injected duplicates (typos, case and punctuation changes, DOIs
dropped, years off by one, initials instead of given names). The records are split over a
RIS file and a CSV file (written with :mod:`litscope.export`), loaded back with
:func:`litscope.load`, de-duplicated with :func:`litscope.dedupe.deduplicate`, and the found
clusters are compared with the injected ones (pairwise precision and recall).

Each size runs in a fresh child process, so the peak memory (maximum resident set size)
belongs to that size alone.

Usage::

    .venv/bin/python bench/dedupe_bench.py                 # 1000, 10000, 100000
    .venv/bin/python bench/dedupe_bench.py --sizes 1000,10000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import string
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

SYLLABLES = ["ka", "lo", "mi", "ne", "ra", "to", "su", "vi", "de", "an", "el", "or", "un", "is",
             "tra", "gen", "pro", "con", "sta", "lin", "mor", "ver", "tic", "nal", "sis", "ity",
             "ment", "ing", "ion", "al", "er", "ous", "ive", "ar", "ex", "bio", "neu", "dat"]
STOP = ["of", "the", "for", "and", "in", "a", "on", "with", "to", "using"]


def make_vocabulary(rng: random.Random, size: int = 6000) -> tuple[list[str], list[float]]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    vocab = sorted(words)
    rng.shuffle(vocab)
    weights = [1.0 / (rank + 1) ** 1.07 for rank in range(len(vocab))]  # Zipf-like
    return vocab, weights


def make_works(n_works: int, rng: random.Random) -> list[dict]:
    vocab, weights = make_vocabulary(rng)
    families = sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
                       for _ in range(4000)})
    givens = ["Anna", "Ben", "Chen", "Dana", "Emil", "Fatima", "Goran", "Hiro", "Ines", "Jon",
              "Kofi", "Lea", "Mats", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tariq"]
    works = []
    for w in range(n_works):
        words = rng.choices(vocab, weights=weights, k=rng.randint(6, 13))
        for i in range(1, len(words) - 1):
            if rng.random() < 0.25:
                words[i] = rng.choice(STOP)
        title = " ".join(words).capitalize()
        if rng.random() < 0.2:
            title += ": " + " ".join(rng.choices(vocab, weights=weights, k=rng.randint(2, 4)))
        authors = [f"{rng.choice(families)}, {rng.choice(givens)}" for _ in range(rng.randint(1, 6))]
        works.append({
            "title": title,
            "authors": authors,
            "year": rng.randint(1990, 2024),
            "venue": f"Journal of {rng.choice(vocab).capitalize()} {rng.choice(['Research', 'Studies', 'Letters'])}",
            "doi": f"10.{rng.randint(1000, 9999)}/{''.join(rng.choices(string.ascii_lowercase + string.digits, k=10))}.{w}"
                   if rng.random() < 0.7 else "",
            "abstract": " ".join(rng.choices(vocab, weights=weights, k=rng.randint(40, 120))).capitalize() + ".",
            "keywords": sorted(set(rng.choices(vocab[:400], k=rng.randint(2, 5)))),
        })
    return works


def _typo(text: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if not letters:
        return text
    i = rng.choice(letters)
    kind = rng.choice(["sub", "del", "ins", "swap"])
    if kind == "sub":
        return text[:i] + rng.choice(string.ascii_lowercase) + text[i + 1:]
    if kind == "del":
        return text[:i] + text[i + 1:]
    if kind == "ins":
        return text[:i] + rng.choice(string.ascii_lowercase) + text[i:]
    return text[:i] + text[i + 1:i + 2] + text[i] + text[i + 2:] if i + 1 < len(text) else text


def make_duplicate(work: dict, rng: random.Random) -> dict:
    dup = dict(work, authors=list(work["authors"]), keywords=list(work["keywords"]))
    title = dup["title"]
    for _ in range(rng.choice([0, 1, 1, 2])):
        title = _typo(title, rng)
    r = rng.random()
    if r < 0.15:
        title = title.upper()
    elif r < 0.3:
        title = title.title()
    if rng.random() < 0.3:
        title = title.replace(":", " -").rstrip(".") + rng.choice(["", ".", " ."])
    dup["title"] = title
    if rng.random() < 0.5:
        dup["doi"] = ""
    if rng.random() < 0.2:
        dup["year"] = dup["year"] + rng.choice([-1, 1])
    if rng.random() < 0.4:
        dup["authors"] = [f"{a.split(', ')[0]}, {a.split(', ')[1][0]}." for a in dup["authors"]]
    if rng.random() < 0.3:
        dup["abstract"] = ""
    if rng.random() < 0.3:
        dup["keywords"] = []
    return dup


def make_corpus(n: int, seed: int = 0, dup_rate: float = 0.15) -> tuple[list[dict], list[int]]:
    """n records and, for each, the index of the work it describes."""
    rng = random.Random(seed)
    n_dups = int(round(n * dup_rate))
    works = make_works(n - n_dups, rng)
    records = [dict(w) for w in works]
    truth = list(range(len(works)))
    for _ in range(n_dups):
        w = rng.randrange(len(works))
        records.append(make_duplicate(works[w], rng))
        truth.append(w)
    order = list(range(n))
    rng.shuffle(order)
    return [records[i] for i in order], [truth[i] for i in order]


def pair_scores(pred: list[int], truth: list[int]) -> tuple[float, float, int, int]:
    """Pairwise precision and recall of predicted clusters against true clusters."""
    def pairs(counts: Counter) -> int:
        return sum(c * (c - 1) // 2 for c in counts.values())
    tp = pairs(Counter(zip(pred, truth)))
    pp, tpairs = pairs(Counter(pred)), pairs(Counter(truth))
    return (tp / pp if pp else 1.0), (tp / tpairs if tpairs else 1.0), pp, tpairs


def run_one(n: int, seed: int = 0) -> dict:
    import pandas as pd

    import litscope
    from litscope.dedupe import deduplicate, record_clusters
    from litscope.export import write_csv, write_ris
    from litscope.schema import to_frame

    result: dict = {"n": n}
    records, truth = make_corpus(n, seed)
    half = n // 2
    with tempfile.TemporaryDirectory() as tmp:
        ris_path, csv_path = Path(tmp, "scopus.ris"), Path(tmp, "wos.csv")
        t0 = time.perf_counter()
        write_ris(to_frame(records[:half], source_format="synthetic", source_file="scopus"), ris_path)
        write_csv(to_frame(records[half:], source_format="synthetic", source_file="wos"), csv_path)
        result["write_s"] = time.perf_counter() - t0
        truth_by_source = {("scopus.ris", i + 1): truth[i] for i in range(half)}
        truth_by_source.update({("wos.csv", i + 1 - half): truth[i] for i in range(half, n)})
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            df = litscope.load([ris_path, csv_path]).papers
        except Exception as exc:  # a reader may be missing or slow while others write it
            result["load_error"] = f"{type(exc).__name__}: {exc}"[:200]
            df = to_frame(records, source_format="synthetic", source_file="memory")
            df["source_file"] = ["scopus.ris" if i < half else "wos.csv" for i in range(n)]
            df["source_record"] = pd.array([i + 1 if i < half else i + 1 - half for i in range(n)], dtype="Int64")
        else:
            result["load_s"] = time.perf_counter() - t0
            result["load_cpu_s"] = time.process_time() - c0
        result["loaded"] = len(df)
        t0, c0 = time.perf_counter(), time.process_time()
        merged = deduplicate(df)
        result["dedupe_s"] = time.perf_counter() - t0
        result["dedupe_cpu_s"] = time.process_time() - c0
    clusters = record_clusters(merged)
    label = {(Path(f).name, int(r)): c for f, r, c in zip(clusters["source_file"], clusters["source_record"],
                                                           clusters["cluster_id"])}
    keys = [k for k in truth_by_source if k in label]
    cluster_ids = {c: i for i, c in enumerate(sorted(set(label.values())))}
    precision, recall, _pp, _tp = pair_scores([cluster_ids[label[k]] for k in keys],
                                              [truth_by_source[k] for k in keys])
    result.update(injected=n - len(set(truth)), found=len(df) - len(merged),
                  precision=precision, recall=recall,
                  peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return result


def _fmt_rate(n: int, seconds: float | None) -> str:
    return f"{n / seconds:,.0f}" if seconds else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated corpus sizes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: one size, JSON out
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, args.seed)))
        return 0
    rows = []
    for n in [int(s) for s in args.sizes.split(",") if s.strip()]:
        proc = subprocess.run([sys.executable, __file__, "--one", str(n), "--seed", str(args.seed)],
                              capture_output=True, text=True, env=dict(os.environ, PYTHONHASHSEED="0"))
        if proc.returncode:
            print(proc.stderr[-2000:], file=sys.stderr)
            return proc.returncode
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (wall times suffer "
          "when the machine is shared; CPU times less so)")
    print("| records | load (rec/s) | load wall / CPU (s) | dedupe (rec/s) | dedupe wall / CPU (s) "
          "| duplicates injected | found | pair precision | pair recall | peak RSS (MB) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        load = _fmt_rate(r["loaded"], r.get("load_s"))
        if "load_error" in r:
            load = f"n/a ({r['load_error']})"
        load_times = f"{r['load_s']:.1f} / {r['load_cpu_s']:.1f}" if "load_s" in r else "n/a"
        print(f"| {r['n']:,} | {load} | {load_times} | {_fmt_rate(r['loaded'], r['dedupe_s'])} "
              f"| {r['dedupe_s']:.1f} / {r['dedupe_cpu_s']:.1f} "
              f"| {r['injected']:,} | {r['found']:,} | {r['precision']:.4f} | {r['recall']:.4f} "
              f"| {r['peak_rss_mb']:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
