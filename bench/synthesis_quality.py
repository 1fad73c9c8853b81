"""Quality and speed of litscope's extractive summaries and topic syntheses.

Two corpora:

* the sample listing (``data/samples/hf-papers-listing.txt``, 91 papers), grouped by
  ``litscope.topics.compute_topics`` (k-means on the embeddings if that fails);
* Cohen et al. (2006) systematic-review sets (``bench/data/cohen2006/*.csv``), where the
  file (drug class) is a known grouping, so no topic model is needed.  By default a
  seeded sample of ``--per-file`` papers per file keeps the CPU time reasonable;
  ``--per-file 0`` uses every paper.

Sentences are *chosen* in the space of a selection encoder (``--selectors``: ``minilm``
encodes every sentence with the transformer, as litscope did up to 0.1; ``static`` uses the
static model distilled from it, as reviews do now) but always *judged* with MiniLM: coverage
is the mean over a topic's papers of the best MiniLM cosine between the paper (mean of its
sentence vectors) and a chosen sentence, so the selectors are compared on one scale.

Per corpus and selector it prints: topics, papers, mean sentences per synthesis, mean distinct
papers cited, mean (MiniLM-judged) coverage, mean redundancy, the share of synthesis sentences found
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


def get_selector(name: str, shortlist: int = 48):
    """How sentences are chosen: ``minilm`` (every sentence through the transformer, litscope
    0.1), ``static`` (the distilled static model only) or ``static+minilm`` (static shortlists,
    MiniLM re-ranks the shortlist against the papers' MiniLM embeddings: what reviews use).

    Returns the summary encoder and a function ``df -> extra compute_syntheses arguments``.
    """
    from litscope.embed import embed_papers
    from litscope.embedders import make_embedder

    minilm = get_encoder()[1]
    if name == "minilm":
        return minilm, lambda df: {}
    static = make_embedder("static", progress=False, cache_dir=False).encode
    if name == "static":
        return static, lambda df: {}
    if name == "static+minilm":
        def extra(df):
            from litscope.embed import Embedder
            vectors = embed_papers(df, embedder=Embedder(progress=False))
            return {"rerank": minilm, "paper_vectors": dict(zip(df["id"], vectors)), "shortlist": shortlist}
        return static, extra
    raise SystemExit(f"unknown selector {name!r}")


def judged(syn: pd.DataFrame, df: pd.DataFrame, papers: pd.DataFrame, judge) -> tuple[list, list]:
    """Coverage and redundancy of each synthesis, measured with ``judge`` (MiniLM)."""
    from litscope.text import sentence_spans

    abstracts = dict(zip(df["id"], df["abstract"]))
    members = papers.groupby("topic")["id"].apply(list).to_dict()

    def unit(m):
        return m / np.maximum(np.linalg.norm(m, axis=-1, keepdims=True), 1e-12)

    def paper_vec(pid):
        a = abstracts[pid]
        sents = [a[x:y] for x, y in sentence_spans(a)]
        return unit(judge(sents).mean(axis=0)) if sents else None

    vecs = {}
    coverage, redundancy = [], []
    for row in syn.itertuples():
        if not row.sentences:
            continue
        pids = members.get(row.topic, [])
        for p in pids:
            if p not in vecs:
                vecs[p] = paper_vec(p)
        pmat = np.stack([vecs[p] for p in pids if vecs[p] is not None])
        smat = unit(judge([x["text"] for x in row.sentences]))
        coverage.append(float(np.clip((pmat @ smat.T).max(axis=1), 0, 1).mean()))
        pair = smat @ smat.T
        redundancy.append(float(pair[np.triu_indices(len(smat), 1)].max()) if len(smat) > 1 else 0.0)
    return coverage, redundancy


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


def evaluate(name: str, df: pd.DataFrame, papers: pd.DataFrame, selector, judge) -> dict:
    encode, extra = selector
    refs = {pid: i + 1 for i, pid in enumerate(df["id"])}
    t0 = time.perf_counter()
    summaries = compute_paper_summaries(df, encode=encode)
    t_sum = time.perf_counter() - t0
    t0 = time.perf_counter()
    syn = compute_syntheses(df, papers, refs=refs, encode=encode, **extra(df))
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
    coverage, redundancy = judged(filled, df, papers, judge)
    return {
        "corpus": name, "papers": len(df), "topics": len(syn),
        "sent/synth": filled["sentences"].map(len).mean(),
        "papers cited": filled["cited_ids"].map(lambda ids: len(set(ids))).mean(),
        "coverage": float(np.mean(coverage)), "redundancy": float(np.mean(redundancy)),
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
    ap.add_argument("--selectors", nargs="+", default=["minilm", "static", "static+minilm"],
                    help="encoders that choose the sentences (judged with MiniLM either way)")
    ap.add_argument("--shortlist", type=int, default=48, help="candidates per topic re-ranked by MiniLM")
    args = ap.parse_args(argv)

    encode_name, judge = get_encoder()
    print(f"judge: {encode_name}; selectors: {', '.join(args.selectors)}")
    selectors = {name: get_selector(name, args.shortlist) for name in args.selectors}
    corpora = []
    if not args.skip_sample:
        df = litscope.load(str(ROOT / "data" / "samples" / "hf-papers-listing.txt")).papers
        t0 = time.perf_counter()
        papers, how = sample_topics(df, encode_name, args.seed)
        print(f"sample topics by {how} in {time.perf_counter() - t0:.1f} s")
        corpora.append(("hf-papers sample", df, papers))
    df, papers = load_cohen(args.files, args.per_file, args.seed)
    corpora.append((f"cohen2006 ({papers['topic'].nunique()} files, {args.per_file or 'all'}/file)", df, papers))
    results = [evaluate(f"{label} / {sel}", df, papers, selector, judge)
               for label, df, papers in corpora for sel, selector in selectors.items()]

    table = pd.DataFrame([{k: v for k, v in r.items() if not k.startswith("_")} for r in results])
    with pd.option_context("display.width", 250, "display.max_columns", 30, "display.precision", 3):
        print(table.set_index("corpus").T.to_string())
    for r in results:
        print(f"\nexample synthesis ({r['corpus']}):\n  {r['_example']}")
    if any(r["verbatim %"] < 100 for r in results) or not all(r["only topic"] for r in results):
        raise SystemExit("FAILED: a synthesis sentence is not verbatim or cites a paper outside its topic")


if __name__ == "__main__":
    main()
