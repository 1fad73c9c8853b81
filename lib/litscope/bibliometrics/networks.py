"""Keyword co-occurrence and co-author networks, and citation links within the corpus.

Each edge keeps the papers behind it (``papers``: reference numbers ``[n]``, else ids), so a
reader can trace every link. Networks keep the ``top`` most frequent keywords or authors
(ties by name) and drop edges seen in fewer than ``min_papers`` papers.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"id": ["a", "b", "c"], "keywords": [["LLM", "agents"], ["llm", "Agents", "RL"], []],
...                    "doi": ["10.1000/a", "10.1000/b", ""],
...                    "references": [["https://doi.org/10.1000/B", "Smith J (2001) Nature"], [], None]})
>>> net = compute_keyword_network(df)
>>> net.edges[["source", "target", "weight", "papers"]].values.tolist()
[['agents', 'llm', 2, 'a; b']]
>>> compute_citation_links(df).table[["citing", "cited"]].values.tolist()
[['a', 'b']]
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from typing import Mapping

import pandas as pd

from .._optional import import_optional
from .citations import MATCHED_BY, MIN_TITLE_WORDS, ReferenceMatcher
from .common import BiblioResult, NetworkResult, filled, lacking, paper_labels

__all__ = ["compute_keyword_network", "compute_coauthor_network", "compute_citation_links", "citation_counts"]

_NODE_COLS = ["node", "papers"]
_EDGE_COLS = ["source", "target", "weight", "papers"]


def _nx():
    return import_optional("networkx", "Drawing keyword and co-author networks", None)


def _by_reference(label: str) -> tuple[int, str]:
    """Sort key of a paper label: ``[n]`` by n, then any other label by its text.

    >>> sorted(["[10]", "x", "[9]"], key=_by_reference)
    ['[9]', '[10]', 'x']
    """
    inner = label[1:-1] if label.startswith("[") and label.endswith("]") else ""
    return (int(inner), "") if inner.isdigit() else (10 ** 9, label)


def _network(df: pd.DataFrame, column: str, *, normalise: bool, top: int, min_papers: int,
             refs: Mapping[str, int] | None, what: str) -> NetworkResult:
    nx = _nx()
    missing = lacking(df, column)
    if missing is not None:
        return NetworkResult(nx.Graph(), pd.DataFrame(columns=_NODE_COLS), pd.DataFrame(columns=_EDGE_COLS),
                             f"{missing}: there is no {what} network to draw.")
    names = paper_labels(df, refs)
    per_paper: list[list[str]] = []
    shown: dict[str, str] = {}
    for values in df[column]:
        items = [values] if isinstance(values, str) else list(values) if values is not None else []
        keys = []
        for v in items:
            if not isinstance(v, str) or not v.strip():
                continue
            key = " ".join(v.split()).lower() if normalise else v.strip()
            shown.setdefault(key, key)
            if key not in keys:
                keys.append(key)
        per_paper.append(keys)
    counts = Counter(k for keys in per_paper for k in keys)
    kept = {k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]}
    behind: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name, keys in zip(names, per_paper):
        for a, b in itertools.combinations(sorted(k for k in keys if k in kept), 2):
            behind[(a, b)].append(name)
    graph = nx.Graph()
    edges = []
    for (a, b), papers in sorted(behind.items()):
        if len(papers) >= min_papers:
            papers = sorted(papers, key=_by_reference)
            graph.add_edge(a, b, weight=len(papers), papers=papers)
            edges.append({"source": a, "target": b, "weight": len(papers), "papers": "; ".join(papers)})
    for node in graph.nodes:
        graph.nodes[node]["papers"] = counts[node]
    nodes = pd.DataFrame([{"node": n, "papers": counts[n]} for n in sorted(graph.nodes, key=lambda n: (-counts[n], n))],
                         columns=_NODE_COLS)
    edge_frame = pd.DataFrame(edges, columns=_EDGE_COLS)
    if len(edge_frame):
        edge_frame = edge_frame.sort_values(["weight", "source", "target"], ascending=[False, True, True],
                                            kind="mergesort").reset_index(drop=True)
    lack = "" if len(edge_frame) else (f"No two {what}s appear together in {min_papers} or more papers: "
                                       "the network has no edge.")
    note = (f"The {top} most frequent {what}s; an edge joins two that appear in the same paper, its weight is "
            f"the number of such papers (at least {min_papers}); hover over an edge's midpoint for its papers.")
    return NetworkResult(graph, nodes, edge_frame, lack, note)


def compute_keyword_network(df: pd.DataFrame, *, top: int = 60, min_papers: int = 2,
                            refs: Mapping[str, int] | None = None) -> NetworkResult:
    """Keywords (compared without case) that appear in the same papers."""
    return _network(df, "keywords", normalise=True, top=top, min_papers=min_papers, refs=refs, what="keyword")


def compute_coauthor_network(df: pd.DataFrame, *, top: int = 60, min_papers: int = 1,
                             refs: Mapping[str, int] | None = None) -> NetworkResult:
    """Authors (as written, 'Family, Given') who wrote papers together."""
    return _network(df, "authors", normalise=False, top=top, min_papers=min_papers, refs=refs, what="author")


def compute_citation_links(df: pd.DataFrame, refs: Mapping[str, int] | None = None, *,
                           progress: bool = False) -> BiblioResult:
    """Which papers of the corpus cite which others: each paper's references matched to the corpus.

    A reference is matched by the DOI, PubMed id, arXiv id or OpenAlex id it gives, else by the whole
    title of a corpus paper written out in it (with the year, when the reference states one;
    see :mod:`litscope.bibliometrics.citations`). ``table`` has ``citing``, ``cited`` (paper
    labels), their titles and ``matched_by``; ``extra["local_citations"]`` counts, per cited
    paper, the papers of the corpus that cite it; ``extra["matched_by"]`` counts the links
    found each way; ``extra["cited_by_corpus"]`` maps every paper id to that count (0 when
    uncited; absent when no input gives references). ``progress`` shows a bar over the
    papers whose references are read.
    """
    cols = ["citing", "citing_title", "cited", "cited_title", "matched_by"]
    empty_local = pd.DataFrame(columns=["paper", "title", "cited_by_corpus"])
    with_refs = filled(df, "references")  # read once: the loop below skips the papers without
    if not with_refs.any():
        return BiblioResult(pd.DataFrame(columns=cols),
                            f"{lacking(df, 'references')}: citation links within the corpus cannot be found.",
                            extra={"local_citations": empty_local, "matched_by": {}})
    names = paper_labels(df, refs)
    titles = df["title"].astype(str).tolist() if "title" in df.columns else [""] * len(df)
    matcher = ReferenceMatcher(df)
    links: dict[tuple[int, int], str] = {}
    n_refs = int(with_refs.sum())
    papers_read = iter(df["references"])
    if progress:
        from ..progress import bar

        papers_read = bar(papers_read, total=len(df), desc="Matching cited references", unit="paper")
    for k, references in enumerate(papers_read):
        if not with_refs.iloc[k]:
            continue
        for ref in [references] if isinstance(references, str) else list(references):
            j, how = matcher.match(ref)
            if j is not None and j != k:
                links.setdefault((k, j), how)  # the first reference that names the paper says how
    rows = [{"citing": names[k], "citing_title": titles[k], "cited": names[j], "cited_title": titles[j],
             "matched_by": how} for (k, j), how in sorted(links.items())]
    cited = Counter(j for _, j in links)
    local = pd.DataFrame([{"paper": names[j], "title": titles[j], "cited_by_corpus": n}
                          for j, n in sorted(cited.items(), key=lambda kv: (-kv[1], kv[0]))],
                         columns=["paper", "title", "cited_by_corpus"])
    ways = Counter(links.values())
    matched_by = {how: ways[how] for how in MATCHED_BY if ways[how]}
    papers = f"{n_refs:,} paper{'s' if n_refs != 1 else ''}"
    lack = "" if rows else f"{papers} list their references, but none of them cites another paper of the corpus."
    found = "; ".join(f"{n:,} by {how}" for how, n in matched_by.items())
    note = (f"References of {papers} matched to the corpus by DOI, PubMed, arXiv or OpenAlex id, else by a "
            f"paper's whole title (of {MIN_TITLE_WORDS} words or more) with its year"
            + (f"; links found: {found}." if found else "."))
    ids = df["id"].astype(str).tolist() if "id" in df.columns else names
    cited_by_corpus = {pid: cited.get(j, 0) for j, pid in enumerate(ids)}
    return BiblioResult(pd.DataFrame(rows, columns=cols), lack, note,
                        {"local_citations": local, "matched_by": matched_by, "cited_by_corpus": cited_by_corpus})


def citation_counts(result: BiblioResult | None, ids) -> list[int] | None:
    """Per paper id of ``ids``, how many papers of the corpus cite it (from
    :func:`compute_citation_links`); None when no input gave cited references (unknown, not 0).

    >>> df = pd.DataFrame({"id": ["a", "b"], "doi": ["10.1000/a", ""], "references": [[], ["10.1000/A"]]})
    >>> citation_counts(compute_citation_links(df), ["b", "a"]), citation_counts(None, ["a"])
    ([0, 1], None)
    """
    counts = result.extra.get("cited_by_corpus") if result is not None else None
    return None if not counts else [counts.get(str(i), 0) for i in ids]
