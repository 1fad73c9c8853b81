"""Quality and speed of litscope's extractive summaries and topic syntheses.

Two corpora:

* the sample listing (``data/samples/hf-papers-listing.txt``, 91 papers), grouped by
  ``litscope.topics.compute_topics`` (k-means on the embeddings if that fails);
* Cohen et al. (2006) systematic-review sets (``bench/data/cohen2006/*.csv``), where the
  file (drug class) is a known grouping, so no topic model is needed.  By default a
  seeded sample of ``--per-file`` papers per file keeps the CPU time reasonable;
  ``--per-file 0`` uses every paper.

Per corpus it prints: topics, papers, mean sentences per synthesis, mean distinct
papers cited, mean coverage, mean redundancy, the share of synthesis sentences found
verbatim in the cited abstract (must be 100 %), the share of per-paper summaries that
are not the abstract's first sentence (among abstracts of 2+ sentences), and the time
of each step.  The first embedding run fills the on-disk cache; later runs are faster.

Usage::

    HF_HUB_OFFLINE=1 .venv/bin/python bench/synthesis_quality.py [--per-file 25] [--files ADHD NSAIDS]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "lib"))

import litscope  # noqa: E402
from litscope import schema  # noqa: E402
from litscope.summarize import compute_key_phrases, compute_paper_summaries, compute_syntheses  # noqa: E402
from litscope.text import split_sentences  # noqa: E402


def get_encoder():
    """The real embedder when litscope.embed exists, else a hashed bag of words (said so)."""
    try:
        from litscope.embed import Embedder
    except ImportError:
        from sklearn.feature_extraction.text import HashingVectorizer
        print("litscope.embed not available: using a hashed bag-of-words encoder instead")
        vec = HashingVectorizer(n_features=2 ** 14, alternate_sign=False, norm="l2", stop_words="english")
        return "hashing", lambda texts: vec.transform(list(texts)).toarray().astype(np.float32)
    embedder = Embedder(progress=sys.stderr.isatty())
    return embedder.model_name, embedder.encode


def load_cohen(files: list[str] | None, per_file: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    folder = ROOT / "bench" / "data" / "cohen2006"
    paths = sorted(folder.glob("*.csv"))
    if files:
        paths = [p for p in paths if p.stem in files]
    frames, assign = [], []
    for topic, path in enumerate(paths):
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        records = [{"title": r["title"], "abstract": r["abstract"], "pmid": r["pubmedID"],
                    "authors": [a for a in r["authors"].split("; ") if a], "source_record": i + 1}
                   for i, r in raw.iterrows()]
        df = schema.to_frame(records, source_format="csv", source_file=str(path))
        df = df[df["abstract"].str.strip() != ""]
        if per_file and len(df) > per_file:
            df = df.sample(per_file, random_state=seed).sort_index()
        frames.append(df)
        assign.append(pd.DataFrame({"id": df["id"], "topic": topic, "label": path.stem}))
    df = pd.concat(frames, ignore_index=True).drop_duplicates("id").reset_index(drop=True)
    papers = pd.concat(assign, ignore_index=True).drop_duplicates("id").reset_index(drop=True)
    return df, papers


def sample_topics(df: pd.DataFrame, encode_name: str, seed: int) -> tuple[pd.DataFrame, str]:
    from litscope.embed import embed_papers
    emb = embed_papers(df)
    try:
        from litscope.topics import compute_topics
        res = compute_topics(df, emb, seed=seed, progress=False)
        return res.papers[["id", "topic"]].copy(), "compute_topics"
    except Exception as exc:  # benchmark keeps going with a simpler grouping
        from sklearn.cluster import KMeans
        print(f"compute_topics failed ({type(exc).__name__}: {exc}); using k-means (k=8)")
        labels = KMeans(8, random_state=seed, n_init=10).fit_predict(emb)
        return pd.DataFrame({"id": df["id"], "topic": labels}), "k-means"


def evaluate(name: str, df: pd.DataFrame, papers: pd.DataFrame, encode) -> dict:
    refs = {pid: i + 1 for i, pid in enumerate(df["id"])}
    t0 = time.perf_counter()
    summaries = compute_paper_summaries(df, encode=encode)
    t_sum = time.perf_counter() - t0
    t0 = time.perf_counter()
    syn = compute_syntheses(df, papers, refs=refs, encode=encode)
    t_syn = time.perf_counter() - t0
    t0 = time.perf_counter()
    compute_key_phrases(df, papers)
    t_kp = time.perf_counter() - t0

    abstracts = dict(zip(df["id"], df["abstract"]))
    sentences = [s for row in syn["sentences"] for s in row]
    verbatim = np.mean([s["text"] in abstracts[s["id"]] and
                        abstracts[s["id"]][s["start"]:s["end"]] == s["text"] for s in sentences])
    members = papers.groupby("topic")["id"].apply(set).to_dict()
    only_topic = all(set(r.cited_ids) <= members.get(r.topic, set()) for r in syn.itertuples())
    multi = [(summaries[pid], split_sentences(a)) for pid, a in zip(df["id"], df["abstract"])]
    multi = [(s, sents) for s, sents in multi if len(sents) > 1]
    not_first = np.mean([s != sents[0] for s, sents in multi]) if multi else float("nan")
    filled = syn[syn["sentences"].map(len) > 0]
    return {
        "corpus": name, "papers": len(df), "topics": len(syn),
        "sent/synth": filled["sentences"].map(len).mean(),
        "papers cited": filled["cited_ids"].map(lambda ids: len(set(ids))).mean(),
        "coverage": filled["coverage"].mean(), "redundancy": filled["redundancy"].mean(),
        "verbatim %": 100 * verbatim, "only topic": only_topic,
        "summary != 1st %": 100 * not_first,
        "t summaries s": t_sum, "t syntheses s": t_syn, "t key phrases s": t_kp,
        "_example": syn.iloc[0]["synthesis"] if len(syn) else "",
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--per-file", type=int, default=25, help="Cohen papers sampled per file (0 = all)")
    ap.add_argument("--files", nargs="*", help="Cohen files (stems) to use, e.g. ADHD NSAIDS")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--skip-sample", action="store_true")
    args = ap.parse_args(argv)

    encode_name, encode = get_encoder()
    print(f"encoder: {encode_name}")
    results = []
    if not args.skip_sample:
        df = litscope.load(str(ROOT / "data" / "samples" / "hf-papers-listing.txt"))
        t0 = time.perf_counter()
        papers, how = sample_topics(df, encode_name, args.seed)
        print(f"sample topics by {how} in {time.perf_counter() - t0:.1f} s")
        results.append(evaluate("hf-papers sample", df, papers, encode))
    df, papers = load_cohen(args.files, args.per_file, args.seed)
    label = f"cohen2006 ({papers['topic'].nunique()} files, {args.per_file or 'all'}/file)"
    results.append(evaluate(label, df, papers, encode))

    table = pd.DataFrame([{k: v for k, v in r.items() if not k.startswith("_")} for r in results])
    with pd.option_context("display.width", 250, "display.max_columns", 30, "display.precision", 3):
        print(table.set_index("corpus").T.to_string())
    for r in results:
        print(f"\nexample synthesis ({r['corpus']}):\n  {r['_example']}")
    if any(r["verbatim %"] < 100 for r in results) or not all(r["only topic"] for r in results):
        raise SystemExit("FAILED: a synthesis sentence is not verbatim or cites a paper outside its topic")


if __name__ == "__main__":
    main()
