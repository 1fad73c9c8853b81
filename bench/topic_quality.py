"""Topics a reviewer can trust, measured against known answers.

For corpora whose papers carry a known class, compare three ways of finding
topics on the same embeddings (computed once per corpus through the
:class:`litscope.embed.Embedder` cache):

* ``litscope``: :func:`litscope.topics.compute_topics` with its defaults;
* ``bertopic``: BERTopic defaults (UMAP seeded, HDBSCAN ``min_topic_size=10``,
  no outlier reduction);
* ``kmeans``: k-means on the embeddings *given the true number of classes*
  (an oracle on the count, the yardstick for the target).

Scores (scikit-learn): NMI, ARI, homogeneity, completeness, computed over *all*
papers with the unassigned ones (topic -1) counted as one extra cluster, so
leaving papers out is never free.  Time is topic finding only (embeddings are
cached and shared).

Corpora (``bench/data``):

* ``cohen2006``: one CSV per drug-class systematic review; the class of a
  record is the file it is in.  PubMed ids found in several files are
  **dropped** (their class is ambiguous); a PubMed id repeated inside one file
  is kept once.
* ``s2orc_sample``: S2ORC metadata sample, records with an abstract only;
  ``mag_field_of_study`` may list several fields: the **first** one is the
  class; records without a field are dropped.

Target (cohen2006): litscope NMI >= 0.9 x k-means NMI, <= 15 % unassigned,
<= 4 x as many topics as classes.

Run::

    .venv/bin/python bench/topic_quality.py              # both corpora
    .venv/bin/python bench/topic_quality.py --corpus cohen2006 --seed 7
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parent / "data"


def load_cohen2006(folder: Path = DATA / "cohen2006") -> tuple[pd.DataFrame, str]:
    """Records of the Cohen et al. (2006) drug-class reviews with their review as class."""
    frames = []
    for path in sorted(folder.glob("*.csv")):
        part = pd.read_csv(path, dtype=str, keep_default_na=False)
        part["truth"] = path.stem
        frames.append(part)
    raw = pd.concat(frames, ignore_index=True)
    raw = raw[raw["pubmedID"].str.strip() != ""]
    within = raw.drop_duplicates(["pubmedID", "truth"])
    n_files = within.groupby("pubmedID")["truth"].nunique()
    ambiguous = set(n_files[n_files > 1].index)
    kept = within[~within["pubmedID"].isin(ambiguous)]
    df = pd.DataFrame({"id": "pmid-" + kept["pubmedID"].str.strip(), "title": kept["title"],
                       "abstract": kept["abstract"], "truth": kept["truth"]}).reset_index(drop=True)
    note = (f"{len(raw)} records in {len(frames)} files; {len(raw) - len(within)} repeats inside a file "
            f"kept once; {len(ambiguous)} PubMed ids in several files dropped "
            f"({len(within) - len(kept)} records) -> {len(df)} papers")
    return df, note


def load_s2orc_sample(path: Path = DATA / "s2orc_sample" / "metadata_sample.jsonl") -> tuple[pd.DataFrame, str]:
    """S2ORC sample records with an abstract; class = first MAG field of study."""
    rows, total, no_abstract, no_field, multi = [], 0, 0, 0, 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            total += 1
            rec = json.loads(line)
            if not (rec.get("abstract") or "").strip():
                no_abstract += 1
                continue
            fields = rec.get("mag_field_of_study") or []
            if not fields:
                no_field += 1
                continue
            multi += len(fields) > 1
            rows.append({"id": f"s2-{rec['paper_id']}", "title": rec.get("title") or "",
                         "abstract": rec["abstract"], "truth": fields[0]})
    df = pd.DataFrame(rows)
    note = (f"{total} records; {no_abstract} without abstract and {no_field} without field dropped; "
            f"{multi} multi-field records scored against their first field -> {len(df)} papers")
    return df, note


CORPORA = {"cohen2006": load_cohen2006, "s2orc_sample": load_s2orc_sample}


def scores(truth, pred) -> dict[str, float]:
    from sklearn import metrics

    pred = np.asarray(pred)
    return {"NMI": metrics.normalized_mutual_info_score(truth, pred),
            "ARI": metrics.adjusted_rand_score(truth, pred),
            "homogeneity": metrics.homogeneity_score(truth, pred),
            "completeness": metrics.completeness_score(truth, pred)}


def run_litscope(df, X, seed, embedder):
    from litscope.topics import compute_topics

    embedder.progress = False
    res = compute_topics(df, X, seed=seed, embedder=embedder, progress=False)
    return res.papers["topic"].to_numpy(), res


def run_bertopic(df, X, seed, embedder):
    from bertopic import BERTopic
    from umap import UMAP

    from litscope.embed import paper_texts

    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=seed)
    model = BERTopic(umap_model=umap_model, verbose=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        topics, _ = model.fit_transform(paper_texts(df), X)
    return np.asarray(topics), model


def run_kmeans(df, X, seed, embedder):
    from sklearn.cluster import KMeans

    k = df["truth"].nunique()
    return KMeans(n_clusters=k, random_state=seed, n_init=10).fit_predict(X), None


METHODS = {"litscope": run_litscope, "bertopic": run_bertopic, "kmeans (true k)": run_kmeans}


def evaluate(name: str, seed: int = 42, methods=METHODS, embedder_name: str = "minilm") -> tuple[pd.DataFrame, dict]:
    from litscope.embed import embed_papers
    from litscope.embedders import make_embedder

    df, note = CORPORA[name]()
    embedder = make_embedder(embedder_name, progress=sys.stderr.isatty())
    t = time.perf_counter()
    X = embed_papers(df, embedder=embedder)
    embed_s = time.perf_counter() - t
    rows, extras = [], {"note": note, "n_papers": len(df), "n_classes": int(df["truth"].nunique()),
                        "embed_s": embed_s, "texts_embedded": embedder.texts_embedded}
    for method, fn in methods.items():
        t = time.perf_counter()
        pred, obj = fn(df, X, seed, embedder)
        elapsed = time.perf_counter() - t
        row = {"method": method, "n topics": len(set(pred.tolist()) - {-1}),
               "unassigned": float((pred == -1).mean())}
        row.update(scores(df["truth"], pred))
        row["time (s)"] = elapsed
        rows.append(row)
        if method == "litscope":
            extras["litscope"] = obj
    return pd.DataFrame(rows), extras


def format_table(table: pd.DataFrame) -> str:
    out = table.copy()
    out["unassigned"] = (out["unassigned"] * 100).map("{:.1f} %".format)
    for c in ("NMI", "ARI", "homogeneity", "completeness"):
        out[c] = out[c].map("{:.3f}".format)
    out["time (s)"] = out["time (s)"].map("{:.1f}".format)
    return out.to_markdown(index=False) if _has_tabulate() else out.to_string(index=False)


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


def check_target(table: pd.DataFrame, n_classes: int) -> tuple[bool, str]:
    lit = table.set_index("method").loc["litscope"]
    km = table.set_index("method").loc["kmeans (true k)"]
    ok_nmi = lit["NMI"] >= 0.9 * km["NMI"]
    ok_un = lit["unassigned"] <= 0.15
    ok_k = lit["n topics"] <= 4 * n_classes
    text = (f"NMI {lit['NMI']:.3f} vs 0.9 x k-means {0.9 * km['NMI']:.3f}: {'ok' if ok_nmi else 'MISSED'}; "
            f"unassigned {lit['unassigned']:.1%} <= 15 %: {'ok' if ok_un else 'MISSED'}; "
            f"{int(lit['n topics'])} topics <= 4 x {n_classes}: {'ok' if ok_k else 'MISSED'}")
    return bool(ok_nmi and ok_un and ok_k), text


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", nargs="*", default=list(CORPORA), choices=list(CORPORA))
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--labels", action="store_true", help="also print litscope's topic labels")
    parser.add_argument("--embedder", default="minilm", help="minilm (default) or static")
    args = parser.parse_args(argv)
    status = 0
    for name in args.corpus:
        table, extras = evaluate(name, seed=args.seed, embedder_name=args.embedder)
        print(f"\n## {name}: {extras['n_papers']} papers, {extras['n_classes']} classes "
              f"(seed {args.seed}, embedder {args.embedder})\n{extras['note']}\n"
              f"embeddings: {extras['embed_s']:.1f} s ({extras['texts_embedded']} texts not cached)\n")
        print(format_table(table))
        if name == "cohen2006":
            ok, text = check_target(table, extras["n_classes"])
            print(f"\ntarget: {text} -> {'MET' if ok else 'NOT MET'}")
            status |= 0 if ok else 1
        if args.labels:
            res = extras["litscope"]
            print()
            print(res.topics[["topic", "label", "size", "parent_label"]].to_string(index=False))
            print(f"litscope steps (s): {res.params.get('timings')}")
    return status


if __name__ == "__main__":
    sys.exit(main())
