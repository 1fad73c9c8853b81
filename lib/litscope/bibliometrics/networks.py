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
from ..schema import normalize_doi
from .common import BiblioResult, NetworkResult, filled, lacking, paper_labels

__all__ = ["compute_keyword_network", "compute_coauthor_network", "compute_citation_links"]

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


def compute_citation_links(df: pd.DataFrame, refs: Mapping[str, int] | None = None) -> BiblioResult:
    """Which papers of the corpus cite which others: references matched to the corpus by DOI.

    A reference is matched when it is, or contains, the DOI of a paper in the corpus
    (references without a DOI are not matched by title: too error-prone). ``table`` has
    ``citing``, ``cited`` (paper labels) and their titles; ``extra["local_citations"]``
    counts, per cited paper, the papers of the corpus that cite it.
    """
    cols = ["citing", "citing_title", "cited", "cited_title"]
    for column, what in (("references", "cited references"), ("doi", "DOIs")):
        missing = lacking(df, column)
        if missing is not None:
            return BiblioResult(pd.DataFrame(columns=cols),
                                f"{missing}: citation links within the corpus cannot be found.",
                                extra={"local_citations": pd.DataFrame(columns=["paper", "title", "cited_by_corpus"])})
    names = paper_labels(df, refs)
    titles = df["title"].astype(str).tolist() if "title" in df.columns else [""] * len(df)
    by_doi = {str(d).lower(): k for k, d in enumerate(df["doi"]) if isinstance(d, str) and d}
    links: set[tuple[int, int]] = set()
    with_refs = filled(df, "references")
    for k, references in enumerate(df["references"]):
        if not with_refs.iloc[k]:
            continue
        items = [references] if isinstance(references, str) else list(references)
        for ref in items:
            doi = normalize_doi(ref)
            j = by_doi.get(doi)
            if j is not None and j != k:
                links.add((k, j))
    rows = [{"citing": names[k], "citing_title": titles[k], "cited": names[j], "cited_title": titles[j]}
            for k, j in sorted(links)]
    cited = Counter(j for _, j in links)
    local = pd.DataFrame([{"paper": names[j], "title": titles[j], "cited_by_corpus": n}
                          for j, n in sorted(cited.items(), key=lambda kv: (-kv[1], kv[0]))],
                         columns=["paper", "title", "cited_by_corpus"])
    n_refs = int(with_refs.sum())
    lack = "" if rows else (f"{n_refs} paper{'s' if n_refs != 1 else ''} list their references, but none of "
                            "them cites another paper of the corpus by DOI.")
    note = (f"References of {n_refs} papers matched to the corpus by DOI; references without a DOI "
            "are not matched.")
    return BiblioResult(pd.DataFrame(rows, columns=cols), lack, note, {"local_citations": local})
