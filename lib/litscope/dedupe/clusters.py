"""Clusters of linked records (union-find refusing links across identifiers or years), and who
matched whom within each."""

from __future__ import annotations

from collections import defaultdict, deque
from typing import Any, Iterable

import numpy as np
import pandas as pd

from .keys import _canonical_order, _Records
from .links import _identifier_edges, _title_edges
from .rules import _PRIORITY, WINDOW

# ---------------------------------------------------------------- union-find

class _Clusters:
    """Union-find that refuses links joining different identifiers or spreading years."""

    def __init__(self, recs: _Records) -> None:
        n = recs.n
        self.parent = list(range(n))
        self.recs = recs
        # identifier sets of the roots that absorbed others; a lone record's are its own
        self.merged_ident: dict[int, dict[str, set[str]]] = {}
        y = recs.years
        self.ymin = [int(v) if v >= 0 else None for v in y]
        self.ymax = list(self.ymin)

    def _ident(self, root: int) -> dict[str, set[str]]:
        found = self.merged_ident.get(root)
        if found is None:
            r = self.recs
            found = {"doi": {r.dois[root]} - {""}, "arxiv_id": {r.arxiv[root]} - {""},
                     "pmid": {r.pmids[root]} - {""}, "volume": {r.biblio.volume[root]} - {""}}
        return found

    def find(self, k: int) -> int:
        root = k
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[k] != root:
            self.parent[k], k = root, self.parent[k]
        return root

    def _conflict(self, ra: int, rb: int, kind: str) -> bool:
        a, b = self._ident(ra), self._ident(rb)
        if kind == "doi":
            return False  # the same DOI is the same work
        checks = {"arxiv_id": ("doi",), "pmid": ("doi", "arxiv_id")}.get(kind, ("doi", "arxiv_id", "pmid", "volume"))
        if any(a[c] and b[c] and not (a[c] & b[c]) for c in checks):
            return True
        if kind == "title" and self.ymin[ra] is not None and self.ymin[rb] is not None:
            span_a = self.ymax[ra] - self.ymin[ra]
            span_b = self.ymax[rb] - self.ymin[rb]
            span = max(self.ymax[ra], self.ymax[rb]) - min(self.ymin[ra], self.ymin[rb])
            return span > max(1, span_a, span_b)
        return False

    def union(self, a: int, b: int, kind: str) -> bool | None:
        """True when joined, None when already together, False when refused."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        if self._conflict(ra, rb, kind):
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        a, b = self._ident(ra), self._ident(rb)
        self.merged_ident[ra] = {c: a[c] | b[c] for c in a}
        self.merged_ident.pop(rb, None)
        if self.ymin[rb] is not None:
            self.ymin[ra] = self.ymin[rb] if self.ymin[ra] is None else min(self.ymin[ra], self.ymin[rb])
            self.ymax[ra] = self.ymax[rb] if self.ymax[ra] is None else max(self.ymax[ra], self.ymax[rb])
        return True


# ---------------------------------------------------------------- clustering

def _cluster(df: pd.DataFrame, threshold: float, progress: bool, window: int = WINDOW):
    """Canonical order, records, cluster label per canonical position, audit frame."""
    order = _canonical_order(df)
    recs = _Records(df, order)
    edges = _identifier_edges(recs) + _title_edges(recs, threshold, window)
    edges.sort(key=lambda e: (e[0], e[1], e[2], e[3]))
    uf = _Clusters(recs)
    accepted: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    iterator: Iterable[tuple] = edges
    if progress:
        from .progress import bar
        iterator = bar(edges, desc="Linking duplicates", unit="link")
    for _prio, _neg, x, y, reason, score in iterator:
        # links inside a cluster are kept too, so the audit can show the most direct one
        if uf.union(x, y, reason if reason in _PRIORITY else "title") is not False:
            accepted[x].append((y, reason, score))
            accepted[y].append((x, reason, score))
    members: dict[int, list[int]] = defaultdict(list)
    for k in range(recs.n):
        members[uf.find(k)].append(k)
    # Clusters ordered by their first record; each represented by its richest record.
    clusters = sorted(members.values(), key=lambda m: m[0])
    label = np.empty(recs.n, dtype=np.int64)
    rep = []
    matched_to = [""] * recs.n
    reasons = [""] * recs.n
    scores: list[Any] = [None] * recs.n
    for c, mem in enumerate(clusters):
        label[mem] = c
        best = max(mem, key=lambda k: (recs.richness[k], -k))
        rep.append(best)
        if len(mem) > 1:
            # Walk the accepted links from the representative: who matched whom, and why.
            seen, queue = {best}, deque([best])
            while queue:
                node = queue.popleft()
                for other, reason, score in accepted[node]:  # strongest links first
                    if other not in seen:
                        seen.add(other)
                        matched_to[other], reasons[other], scores[other] = recs.ids[node], reason, score
                        queue.append(other)
    sizes = np.bincount(label, minlength=len(clusters)) if recs.n else np.array([], dtype=np.int64)
    rows = sorted(range(recs.n), key=lambda k: (label[k], rep[label[k]] != k, k))
    audit = {  # plain lists: cheap to turn into a frame or JSON
        "id": [recs.ids[k] for k in rows],
        "cluster_id": [recs.ids[rep[label[k]]] for k in rows],
        "matched_to": [matched_to[k] for k in rows],
        "reason": [reasons[k] for k in rows],
        "score": [scores[k] for k in rows],
        "cluster_size": [int(sizes[label[k]]) for k in rows],
        "kept": [bool(rep[label[k]] == k) for k in rows],
        "source_file": [recs.files[k] for k in rows],
        "source_record": [recs.records[k] if recs.records[k] >= 0 else None for k in rows],
        "title": [recs.titles[k] for k in rows],
    }
    return order, recs, clusters, rep, audit

