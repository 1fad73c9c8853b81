"""Find and merge duplicate records across exports, keeping an audit of every merge.

Records are linked in two passes, and linked records form clusters (union-find):

1. **Identifiers.** Records with the same DOI, arXiv id or PMID are linked. An arXiv DOI
   (``10.48550/arxiv.<id>``) counts as the arXiv id, not as a DOI.
2. **Titles.** Normalised titles (:func:`litscope.schema.normalize_title_key`) are compared
   with rapidfuzz (``max(ratio, token_sort_ratio)``) within blocks (sorted neighbourhoods of the
   title, of the reversed title and of the title rotated to start at its middle word, and groups
   sharing a rare title word), so 100,000 records take about 20 seconds on one core. The title score is adjusted by the evidence around it: a year one apart costs
   3 points, two or more apart rules the pair out; a different first-author family name costs
   15 points; a missing year or author costs 2-3 points. Pairs scoring at least ``threshold``
   are linked, e.g. ``'title+year+author (score 97)'``.

Rules that keep distinct works apart (conservative on purpose: a missed duplicate costs a
reviewer one extra screening decision, a false merge silently loses a study):

* **Different identifiers never merge.** Two records with different DOIs (or arXiv ids, or
  PMIDs) are different works even with identical titles: errata, corrigenda, retraction notices,
  replies, conference and journal versions, and dataset/software companions carry their own DOI
  and often repeat the article's title. A cluster therefore never holds two DOIs. A record
  without a DOI may join one that has one (the same paper from a database that exports no DOI).
  An exact DOI match always merges.
* **Short or generic titles never merge on the title alone.** Titles such as "Editorial",
  "Introduction", "Preface", "Book reviews" (see :data:`GENERIC_TITLES`) merge only through an
  identifier; other short titles (fewer than 4 words or 20 characters) need the identical title,
  the same year and the same first author.
* **Notices stay apart from articles.** A title that starts with "Erratum", "Correction",
  "Retraction", "Reply", "Comment on" ... is never merged with one that does not.
* **Numbers must agree.** Titles whose numbers differ ("Part 1" / "Part 2", "... 2019" /
  "... 2020", roman numerals II-XII) are different works.
* A title link never makes a cluster span more than one year or two volumes (unless identifiers
  did); a differing issue, first page, ISBN or ISSN costs points (``bibfields.PENALTIES``).

Clustering and merging are deterministic: records are put in a canonical order (source file,
record number, id, title, abstract) first, so shuffled input rows give the same clusters.
The record kept for a cluster (its *representative*) is the one with the best identifiers and
most filled fields; its id is the cluster id and the id of the merged record.

Examples
--------
>>> from litscope.schema import to_frame
>>> a = to_frame([{"title": "Deep learning for protein folding", "year": 2020,
...                "authors": ["Doe, Jane"], "doi": "10.1000/x"}], source_format="ris", source_file="a.ris")
>>> b = to_frame([{"title": "Deep Learning for Protein Foldng.", "year": 2021,
...                "authors": ["Doe, J."], "abstract": "We fold."}], source_format="csv", source_file="b.csv")
>>> import pandas as pd
>>> df = pd.concat([a, b], ignore_index=True)
>>> find_duplicates(df)[["id", "cluster_id", "reason"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
[['doi:10.1000/x', 'doi:10.1000/x', ''],
 ['r-48c69e2629', 'doi:10.1000/x', 'title+year+author (score 95)']]
>>> merged = deduplicate(df)
>>> merged[["doi", "abstract", "year"]].values.tolist(), merged.loc[0, "merged_from"]
([['10.1000/x', 'We fold.', 2020]], ['a.ris#1', 'b.csv#1'])
"""

from __future__ import annotations

import copy
import json
import numbers
import re
from collections import Counter, defaultdict, deque
from functools import lru_cache
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd

from .bibfields import BIBLIO_FIELDS, BiblioEvidence, merge_biblio
from .errors import ParameterError, SchemaError
from .schema import COLUMNS, normalize_title_key

__all__ = ["find_duplicates", "deduplicate", "record_clusters", "compute_dedupe_audit",
           "compute_source_counts", "GENERIC_TITLES", "DEFAULT_THRESHOLD"]

#: Minimum adjusted title score (0-100) for a title link.
DEFAULT_THRESHOLD = 90
#: Window of the sorted-neighbourhood blocking (records compared with the next WINDOW ones).
WINDOW = 8
#: Largest rare-word block compared pairwise (larger ones are left to the sorted windows).
MAX_BLOCK = 40

#: Normalised titles that name a kind of item, not a work: never merged on the title.
GENERIC_TITLES = frozenset(p for line in """
editorial|guest editorial|editorials|editor s note|editors note|editor s introduction|from the editor
from the editors|letter from the editor|letter from the editors|editor s comments|editorial comment
introduction|introductions|preface|foreword|forward|prologue|epilogue|overview|summary|conclusion
conclusions|concluding remarks|abstract|abstracts|index|author index|subject index|contents
table of contents|front matter|back matter|frontmatter|backmatter|cover|masthead|issue information
in this issue|this issue|book review|book reviews|books|reviews|review|reviewers
reviewer acknowledgement|reviewer acknowledgements|acknowledgement|acknowledgements|acknowledgment
acknowledgments|thanks to reviewers|call for papers|announcement|announcements|news|obituary
in memoriam|correspondence|letter|letters|letter to the editor|letters to the editor|reply
response|author s reply|authors reply|comment|comments|commentary|discussion|erratum|errata
corrigendum|corrigenda|correction|corrections|retraction|retraction notice|expression of concern
notes on contributors|contributors|about the authors|keynote|keynote address|panel discussion
poster session|tutorial|workshop|proceedings|invited talk|miscellaneous|untitled|no title
""".strip().split("\n") for p in line.split("|"))

# Titles that open like this ("Introduction to the special issue on X") are generic unless long.
_GENERIC_PREFIX = re.compile(
    r"^(?:guest editorial|editorial|introduction to (?:the|this) (?:special|focus(?:ed)?|thematic) "
    r"(?:issue|section)|special issue introduction|preface to|foreword to|editor s introduction)\b")
# Notices about another work: kept apart from the work itself.
_NOTICE = re.compile(
    r"^(?:erratum|errata|corrigendum|corrigenda|correction|corrections|retraction|retracted|"
    r"expression of concern|reply|response to|author s reply|authors reply|comment on|comments on|"
    r"commentary on|addendum|notice of retraction|withdrawn)\b")
_NUMBER_TOKENS = re.compile(r"^(?:\d+|ii|iii|iv|vi|vii|viii|ix|xi|xii)$")
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$")

_PRIORITY = {"doi": 0, "arxiv_id": 1, "pmid": 2, "title": 3}
_DEDUPE_COLUMNS = ["id", "cluster_id", "matched_to", "reason", "score", "cluster_size", "kept",
                   "source_file", "source_record", "title"]


# ---------------------------------------------------------------- helpers

def _text(value: Any) -> str:
    if type(value) is str:
        return value
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    return str(value)


def _list(value: Any) -> list[str]:
    """A new list of the non-empty strings of a list cell (never the input's list object)."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return [v if type(v) is str else str(v) for v in value if _text(v)]
    text = _text(value)
    return [text] if text else []


def _year(value: Any) -> int:
    """Year as int, -1 when missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return -1
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _check(df: pd.DataFrame, threshold: float) -> None:
    if not isinstance(df, pd.DataFrame):
        raise SchemaError(f"expected a pandas DataFrame, got {type(df).__name__}")
    needed = ["id", "title", "authors", "year", "doi", "arxiv_id", "pmid", "source_file", "source_record"]
    missing = [c for c in needed if c not in df.columns]
    if missing:
        raise SchemaError(f"missing columns {missing}", column=missing[0])
    if isinstance(threshold, bool) or not (isinstance(threshold, numbers.Real) and 0 < threshold <= 100):
        raise ParameterError(f"threshold must be a number in (0, 100], not {threshold!r}")


_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def _title_key(title: str) -> str:
    """:func:`normalize_title_key`, with a fast path for ASCII titles (the same result)."""
    if title.isascii():
        return _NON_ALNUM.sub(" ", title.lower()).strip()
    return normalize_title_key(title)


@lru_cache(maxsize=None)
def _triu(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(n, k=1)


def _canonical_order(df: pd.DataFrame) -> np.ndarray:
    """Row positions sorted by content, so the row order of the input does not matter."""
    def strings(name: str) -> pd.Series:
        if name not in df.columns:
            return pd.Series([""] * len(df), dtype=object)
        return df[name].astype("string").fillna("").reset_index(drop=True)

    keys = pd.DataFrame({
        "f": strings("source_file"),
        "r": pd.to_numeric(df["source_record"], errors="coerce").fillna(-1).to_numpy(),
        "i": strings("id"), "t": strings("title"), "a": strings("abstract"),
        "p": np.arange(len(df)),
    })
    return keys.sort_values(["f", "r", "i", "t", "a", "p"], kind="stable")["p"].to_numpy()


def _unique(values: Sequence[str]) -> list[str]:
    """Values made unique by suffixing repeats ('-2', '-3'...) in order."""
    seen: Counter[str] = Counter()
    out = []
    for v in values:
        seen[v] += 1
        out.append(v if seen[v] == 1 else f"{v}-{seen[v]}")
    return out


class _Records:
    """Matching keys of the records, in canonical order."""

    def __init__(self, df: pd.DataFrame, order: np.ndarray) -> None:
        sub = df.iloc[order]
        self.n = len(sub)

        def column(name: str) -> list[Any]:
            return sub[name].tolist() if name in sub.columns else [""] * self.n

        self.ids = _unique([_text(v) or f"row-{k + 1}" for k, v in enumerate(column("id"))])
        self.titles = [_text(v) for v in column("title")]
        self.keys = [_title_key(t) for t in self.titles]
        self.years = np.array([_year(v) for v in column("year")], dtype=np.int64)
        firsts = [_list(v)[:1] for v in column("authors")]
        self.first_author = [_title_key(a[0].split(",")[0]) if a else "" for a in firsts]
        dois, arxiv = [], []
        for d, x in zip(column("doi"), column("arxiv_id")):
            d, x = _text(d).lower(), _text(x)
            m = _ARXIV_DOI.match(d)
            if m:  # an arXiv DOI is the arXiv id in disguise
                x = x or m.group(1)
                d = ""
            dois.append(d)
            arxiv.append(x.lower())
        self.dois, self.arxiv = dois, arxiv
        self.pmids = [_text(v) for v in column("pmid")]
        self.files = [_text(v) for v in column("source_file")]
        self.biblio = BiblioEvidence(*(column(c) for c in BIBLIO_FIELDS))
        self.records = [_year(v) for v in column("source_record")]
        abstracts = column("abstract")
        venues = column("venue")
        # Richness decides which record represents a cluster.
        self.richness = [
            (bool(self.dois[k]), bool(self.arxiv[k] or self.pmids[k]),
             sum(map(bool, (self.titles[k], _text(a), firsts[k], self.years[k] >= 0, _text(v)))))
            for k, (a, v) in enumerate(zip(abstracts, venues))
        ]


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


# ---------------------------------------------------------------- candidate links

def _identifier_edges(recs: _Records) -> list[tuple]:
    edges = []
    for kind, values in (("doi", recs.dois), ("arxiv_id", recs.arxiv), ("pmid", recs.pmids)):
        first: dict[str, int] = {}
        for k, v in enumerate(values):
            if not v:
                continue
            if v in first:
                edges.append((_PRIORITY[kind], -100, first[v], k, kind, 100))
            else:
                first[v] = k
    return edges


def _title_features(recs: _Records):
    tokens = [key.split() for key in recs.keys]
    generic = np.array([(not key) or key in GENERIC_TITLES
                        or (bool(_GENERIC_PREFIX.match(key)) and len(tok) < 9)
                        for key, tok in zip(recs.keys, tokens)], dtype=bool)
    short = np.array([len(tok) < 4 or len(key) < 20 for key, tok in zip(recs.keys, tokens)], dtype=bool)
    notice = np.array([bool(_NOTICE.match(key)) for key in recs.keys], dtype=bool)
    numbers = [" ".join(sorted(t for t in tok if _NUMBER_TOKENS.match(t))) for tok in tokens]
    return tokens, generic, short, notice, numbers


def _candidate_pairs(recs: _Records, tokens: list[list[str]], eligible: np.ndarray,
                     window: int) -> np.ndarray:
    """Pairs (a < b) worth scoring, from three blockings, as an (m, 2) int array."""
    idx = np.flatnonzero(eligible)
    if len(idx) < 2:
        return np.empty((0, 2), dtype=np.int64)
    chunks = []
    # Sorted neighbourhoods of 1. title|year|author, 2. the reversed title (typos up front),
    # 3. the title rotated to start at its middle word (typos at both ends).
    forward = sorted(idx, key=lambda k: (recs.keys[k], int(recs.years[k]), recs.first_author[k], k))
    backward = sorted(idx, key=lambda k: (recs.keys[k][::-1], int(recs.years[k]), k))

    def rotated(k: int) -> str:
        words = tokens[k]
        m = len(words) // 2
        return " ".join(words[m:] + words[:m])

    middle = sorted(idx, key=lambda k: (rotated(k), k))
    for order in (np.array(forward), np.array(backward), np.array(middle)):
        for w in range(1, min(window, len(order) - 1) + 1):
            chunks.append(np.stack([order[:-w], order[w:]], axis=1))
    # 4. records sharing one of their two rarest words (catches typos at both ends, word swaps).
    df_count: Counter[str] = Counter()
    for k in idx:
        df_count.update(set(tokens[k]))
    blocks: dict[str, list[int]] = defaultdict(list)
    for k in idx:
        # a word no other record has blocks nothing (typos make many): take the rarest shared ones
        shared = {t for t in tokens[k] if len(t) > 3 and df_count[t] > 1}
        words = sorted(shared, key=lambda t: (df_count[t], t))[:2]
        for t in words:
            blocks[t].append(int(k))
    for members in blocks.values():
        if 2 <= len(members) <= MAX_BLOCK:
            m = np.array(members)
            a, b = _triu(len(m))
            chunks.append(np.stack([m[a], m[b]], axis=1))
    pairs = np.concatenate(chunks) if chunks else np.empty((0, 2), dtype=np.int64)
    lo, hi = pairs.min(axis=1).astype(np.int64), pairs.max(axis=1).astype(np.int64)
    code = np.sort((lo * recs.n + hi)[lo != hi])
    if len(code):
        code = code[np.concatenate(([True], code[1:] != code[:-1]))]
    return np.stack([code // recs.n, code % recs.n], axis=1)


def _title_edges(recs: _Records, threshold: float, window: int) -> list[tuple]:
    from rapidfuzz import fuzz, process

    tokens, generic, short, notice, numbers = _title_features(recs)
    pairs = _candidate_pairs(recs, tokens, ~generic, window)
    if not len(pairs):
        return []
    a, b = pairs[:, 0], pairs[:, 1]
    ya, yb = recs.years[a], recs.years[b]
    both_years = (ya >= 0) & (yb >= 0)
    dy = np.abs(ya - yb)
    lengths = np.array([len(k) for k in recs.keys])
    la, lb = lengths[a], lengths[b]
    # fuzz.ratio can never exceed 200*min/(sum); drop pairs that cannot reach the threshold.
    best_possible = 200.0 * np.minimum(la, lb) / np.maximum(la + lb, 1)
    keep = (~(both_years & (dy > 1))) & (notice[a] == notice[b]) & (best_possible >= threshold - 2)
    nums = np.array(numbers, dtype=object)
    keep &= nums[a] == nums[b]
    for ids in (recs.dois, recs.arxiv, recs.pmids):
        arr = np.array(ids, dtype=object)
        keep &= ~((arr[a] != "") & (arr[b] != "") & (arr[a] != arr[b]))
    keep &= ~recs.biblio.vetoed(a, b)
    a, b, dy, both_years = a[keep], b[keep], dy[keep], both_years[keep]
    if not len(a):
        return []
    keys = recs.keys
    qa, qb = [keys[k] for k in a], [keys[k] for k in b]
    sim = np.maximum(process.cpdist(qa, qb, scorer=fuzz.ratio, dtype=np.float32).ravel(),
                     process.cpdist(qa, qb, scorer=fuzz.token_sort_ratio, dtype=np.float32).ravel())
    fa = [recs.first_author[k] for k in a]
    fb = [recs.first_author[k] for k in b]
    both_authors = np.array([bool(x and y) for x, y in zip(fa, fb)])
    author_sim = process.cpdist(fa, fb, scorer=fuzz.ratio, dtype=np.float32).ravel()
    author_match = both_authors & ((author_sim >= 85) | np.array(
        [bool(x and y) and (x.startswith(y) or y.startswith(x)) for x, y in zip(fa, fb)]))
    score = sim.astype(np.float64)
    score -= np.where(both_years, np.where(dy == 0, 0, 3), 2)
    score -= np.where(both_authors, np.where(author_match, 0, 15), 3)
    # Short titles need the identical title, the same year and the same first author.
    is_short = short[a] | short[b]
    exact = np.array([keys[x] == keys[y] for x, y in zip(a, b)])
    short_ok = exact & both_years & (dy == 0) & author_match
    score = np.where(is_short, np.where(short_ok, 100.0, 0.0), score) - recs.biblio.penalty(a, b)
    score = np.floor(np.minimum(score, 100.0) + 1e-9).astype(int)
    edges = []
    for x, y, s, by, am in zip(a.tolist(), b.tolist(), score.tolist(), both_years.tolist(), author_match.tolist()):
        if s >= threshold:
            evidence = "title" + ("+year" if by else "") + ("+author" if am else "")
            edges.append((_PRIORITY["title"], -s, x, y, f"{evidence} (score {s})", s))
    return edges


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


def _audit_frame(data: dict[str, list[Any]]) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(data[c], dtype=object) for c in _DEDUPE_COLUMNS}, columns=_DEDUPE_COLUMNS)
    for col in ("score", "source_record"):
        frame[col] = pd.array([None if v is None or v is pd.NA else int(v) for v in data[col]], dtype="Int64")
    frame["cluster_size"] = frame["cluster_size"].astype("int64")
    frame["kept"] = frame["kept"].astype(bool)
    return frame


def find_duplicates(df: pd.DataFrame, *, threshold: float = DEFAULT_THRESHOLD,
                    progress: bool = False) -> pd.DataFrame:
    """Cluster the records of ``df`` that describe the same work.

    Parameters
    ----------
    df : pandas.DataFrame
        Records in the canonical schema (e.g. from :func:`litscope.load`). Not modified.
    threshold : float
        Minimum adjusted title score (0-100) for a title link; identifiers link regardless.
    progress : bool
        Show a progress bar while linking.

    Returns
    -------
    pandas.DataFrame
        One row per input record, grouped by cluster: ``id``, ``cluster_id`` (id of the record
        kept for the cluster), ``matched_to`` (id of the record this one was linked to, '' for
        the kept one), ``reason`` ('doi', 'arxiv_id', 'pmid' or 'title+year+author (score 97)'),
        ``score`` (Int64), ``cluster_size``, ``kept`` (bool), ``source_file``,
        ``source_record`` and ``title``.

    Raises
    ------
    SchemaError
        When a column needed for matching is missing.
    ParameterError
        When ``threshold`` is not in (0, 100].

    Examples
    --------
    >>> from litscope.schema import to_frame
    >>> df = to_frame([{"title": "Editorial", "year": 2020, "authors": ["Doe, J"]},
    ...                {"title": "Editorial", "year": 2020, "authors": ["Doe, J"]},
    ...                {"title": "A", "doi": "10.1000/a"}, {"title": "A (copy)", "doi": "10.1000/A"}],
    ...               source_format="ris", source_file="x.ris")
    >>> find_duplicates(df)["cluster_size"].tolist()  # generic titles stay apart
    [1, 1, 2, 2]
    """
    _check(df, threshold)
    return _audit_frame(_cluster(df, threshold, progress)[4])


def _merge_cluster(sub: list[dict[str, Any]], rep_pos: int) -> dict[str, Any]:
    """Richest value of each field over the records of one cluster (in canonical order)."""
    rep = sub[rep_pos]
    out = dict(rep)

    def pick(field: str) -> str:
        values = [_text(r.get(field)) for r in sub if _text(r.get(field))]
        if not values:
            return ""
        counts = Counter(values)
        # most frequent, then longest, then the representative's order
        return max(values, key=lambda v: (counts[v], len(v), v == _text(rep.get(field)), -values.index(v)))

    titles = [_text(r.get("title")) for r in sub if _text(r.get("title"))]
    if titles:
        title_counts = Counter(_title_key(t) for t in titles)
        rep_title = _text(rep.get("title"))
        out["title"] = max(titles, key=lambda t: (not (t.isupper() or t.islower()),
                                                   title_counts[_title_key(t)], t == rep_title,
                                                   -titles.index(t)))
    abstracts = [_text(r.get("abstract")) for r in sub]
    out["abstract"] = max(abstracts, key=lambda a: (len(a), -abstracts.index(a)))
    author_lists = [_list(r.get("authors")) for r in sub]
    out["authors"] = list(max(author_lists, key=lambda a: (len(a), sum(map(len, a)), -author_lists.index(a))))
    years = [_year(r.get("year")) for r in sub if _year(r.get("year")) >= 0]
    if years:
        counts = Counter(years)
        out["year"] = max(counts, key=lambda y: (counts[y], -y))
    else:
        out["year"] = None
    out["venue"] = pick("venue")
    dois = [_text(r.get("doi")) for r in sub if _text(r.get("doi"))]
    # a journal DOI rather than an arXiv DOI, when both are there
    out["doi"] = max(dois, key=lambda d: (not _ARXIV_DOI.match(d), dois.count(d), -dois.index(d))) if dois else ""
    out["arxiv_id"] = pick("arxiv_id")
    out["pmid"] = pick("pmid")
    out["url"] = _text(rep.get("url")) or next((_text(r.get("url")) for r in sub if _text(r.get("url"))), "")
    keywords: list[str] = []
    seen: set[str] = set()
    for r in sub:
        for kw in _list(r.get("keywords")):
            if kw.lower() not in seen:
                seen.add(kw.lower())
                keywords.append(kw)
    out["keywords"] = keywords
    out.update(merge_biblio(sub, rep))
    return out


def _provenance(file: str, record: int) -> str:
    return f"{file}#{record if record >= 0 else ''}"


def deduplicate(df: pd.DataFrame, *, threshold: float = DEFAULT_THRESHOLD,
                progress: bool = False) -> pd.DataFrame:
    """Merge each cluster of duplicates (see :func:`find_duplicates`) into one record.

    Each field keeps its richest value: the longest abstract, the longest author list, the
    year most records agree on (the earliest on a tie), the most frequent venue, a DOI from
    whichever record has one (a journal DOI before an arXiv DOI), the union of keywords, and a
    title in mixed case when one exists. ``id``, ``url`` and the ``source_*`` columns are the
    representative's (the record kept, see ``find_duplicates(...)["kept"]``).

    Parameters
    ----------
    df : pandas.DataFrame
        Records in the canonical schema. Not modified.
    threshold : float
        Minimum adjusted title score for a title link.
    progress : bool
        Show progress bars.

    Returns
    -------
    pandas.DataFrame
        One row per cluster, canonical columns plus ``merged_from`` (list of
        ``'source_file#source_record'`` of every record merged, in canonical order).
        ``attrs["load_report"]`` and ``attrs["skipped"]`` are carried over from ``df``;
        ``attrs["dedupe"]`` holds the :func:`find_duplicates` table as a JSON string (so that
        ``pd.concat`` and ``to_parquet`` keep working and attrs stay cheap to copy); read it
        with :func:`record_clusters` or :func:`compute_dedupe_audit`.

    Examples
    --------
    >>> from litscope.schema import to_frame
    >>> df = to_frame([{"title": "On graphs", "doi": "10.1000/g", "keywords": ["a"]},
    ...                {"title": "On Graphs", "doi": "10.1000/G", "keywords": ["b"], "year": 2001}],
    ...               source_format="ris", source_file="x.ris")
    >>> m = deduplicate(df)
    >>> m[["title", "year"]].values.tolist(), m.loc[0, "keywords"], m.loc[0, "merged_from"]
    ([['On Graphs', 2001]], ['a', 'b'], ['x.ris#1', 'x.ris#2'])
    >>> record_clusters(m)["reason"].tolist()
    ['', 'doi']
    """
    _check(df, threshold)
    order, recs, clusters, rep, audit = _cluster(df, threshold, progress)
    columns = [c for c in COLUMNS if c in df.columns] + [c for c in df.columns
                                                          if c not in COLUMNS and c != "merged_from"]
    sub = df.iloc[order]
    col_values = {c: sub[c].tolist() for c in columns}
    if "merged_from" in df.columns:  # de-duplicating an already merged corpus keeps the history
        provenance = [_list(v) or [_provenance(f, r)]
                      for v, f, r in zip(sub["merged_from"].tolist(), recs.files, recs.records)]
    else:
        provenance = [[_provenance(f, r)] for f, r in zip(recs.files, recs.records)]
    # Start from each cluster's representative, then overwrite the clusters of several records.
    out = {c: [col_values[c][b] for b in rep] for c in columns}
    for col in ("authors", "keywords"):
        if col in out:  # new lists, so the result never shares a list with the input
            out[col] = [_list(v) for v in out[col]]
    out["id"] = [recs.ids[b] for b in rep]
    out["merged_from"] = [[p for k in mem for p in provenance[k]] for mem in clusters]
    multi: Iterable[int] = [c for c, mem in enumerate(clusters) if len(mem) > 1]
    if progress:
        from .progress import bar
        multi = bar(multi, desc="Merging duplicates", unit="cluster")
    for c in multi:
        mem = clusters[c]
        row = _merge_cluster([{col: col_values[col][k] for col in columns} for k in mem], mem.index(rep[c]))
        for col in columns:
            if col != "id":
                out[col][c] = row[col]
    merged = pd.DataFrame({c: pd.Series(out[c], dtype=object) for c in columns + ["merged_from"]})
    for col in columns:
        if col in ("year", "source_record"):
            merged[col] = pd.array([None if _year(v) < 0 else _year(v) for v in out[col]], dtype="Int64")
        elif col not in ("authors", "keywords") and len(merged):
            try:
                merged[col] = merged[col].astype(df[col].dtype)
            except (TypeError, ValueError):
                pass  # keep object dtype for a column whose values no longer fit
    merged.attrs = {
        "load_report": copy.deepcopy(df.attrs.get("load_report", [])),
        "skipped": copy.deepcopy(df.attrs.get("skipped", [])),
        "dedupe": json.dumps({"columns": _DEDUPE_COLUMNS, "data": audit}, ensure_ascii=False,
                             separators=(",", ":")),
    }
    return merged


# ---------------------------------------------------------------- audit and counts

def record_clusters(merged: pd.DataFrame) -> pd.DataFrame:
    """The :func:`find_duplicates` table stored by :func:`deduplicate` in ``merged.attrs``.

    Raises
    ------
    SchemaError
        When ``merged`` does not come from :func:`deduplicate`.
    """
    stored = merged.attrs.get("dedupe") if isinstance(merged, pd.DataFrame) else None
    if stored is None:
        raise SchemaError("no de-duplication audit in attrs['dedupe']; run litscope.dedupe.deduplicate first")
    if isinstance(stored, pd.DataFrame):
        return stored.copy()
    data = json.loads(stored) if isinstance(stored, str) else stored
    return _audit_frame(data["data"])


def compute_dedupe_audit(merged: pd.DataFrame) -> pd.DataFrame:
    """Every record that was merged with another, grouped by cluster, with who matched whom and why.

    Parameters
    ----------
    merged : pandas.DataFrame
        A frame returned by :func:`deduplicate`.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`record_clusters` whose cluster has more than one record, the kept
        record first in each cluster. Write it with ``audit.to_csv(path, index=False)``.

    Examples
    --------
    >>> from litscope.schema import to_frame
    >>> df = to_frame([{"title": "On graphs", "doi": "10.1000/g"}, {"title": "Other", "doi": "10.1000/o"},
    ...                {"title": "On graphs", "pmid": "77", "doi": "10.1000/g"}],
    ...               source_format="ris", source_file="x.ris")
    >>> audit = compute_dedupe_audit(deduplicate(df))  # the record with a PMID too is kept
    >>> audit[["source_record", "kept", "matched_to", "reason"]].values.tolist()
    [[3, True, '', ''], [1, False, 'doi:10.1000/g-2', 'doi']]
    """
    table = record_clusters(merged)
    out = table[table["cluster_size"] > 1]
    out = out.sort_values(["cluster_id", "kept"], ascending=[True, False], kind="stable")
    return out.reset_index(drop=True)


def _split_provenance(entry: str) -> tuple[str, str]:
    file, _, record = str(entry).rpartition("#")
    return file, record


def compute_source_counts(df_before: pd.DataFrame, merged: pd.DataFrame) -> pd.DataFrame:
    """Per source file: records identified, duplicates removed, records found only there.

    Parameters
    ----------
    df_before : pandas.DataFrame
        The records before de-duplication (e.g. from :func:`litscope.load`); its
        ``attrs["skipped"]`` gives the records that could not be loaded.
    merged : pandas.DataFrame
        The result of :func:`deduplicate` on ``df_before``.

    Returns
    -------
    pandas.DataFrame
        Columns ``source_file``, ``source_format``, ``identified`` (loaded + not loaded),
        ``not_loaded``, ``loaded``, ``duplicates_removed`` (records of this file merged into a
        record kept from this or another file), ``retained`` (loaded - duplicates_removed),
        ``unique`` (merged records found only in this file), then a ``'Total'`` row.

    Examples
    --------
    >>> import pandas as pd
    >>> from litscope.schema import to_frame
    >>> a = to_frame([{"title": "T1", "doi": "10.1000/1"}, {"title": "T2", "doi": "10.1000/2"}],
    ...              source_format="ris", source_file="a.ris")
    >>> b = to_frame([{"title": "T1", "doi": "10.1000/1"}], source_format="csv", source_file="b.csv")
    >>> df = pd.concat([a, b], ignore_index=True)
    >>> counts = compute_source_counts(df, deduplicate(df))
    >>> counts[["source_file", "identified", "duplicates_removed", "unique"]].values.tolist()
    [['a.ris', 2, 0, 1], ['b.csv', 1, 1, 0], ['Total', 3, 1, 1]]
    """
    loaded = Counter(_text(f) for f in df_before["source_file"])
    formats: dict[str, str] = {}
    for f, fmt in zip(df_before["source_file"], df_before.get("source_format", [""] * len(df_before))):
        formats.setdefault(_text(f), _text(fmt))
    not_loaded = Counter(_text(s.get("file")) for s in df_before.attrs.get("skipped", []) or [])
    removed: Counter[str] = Counter()
    unique: Counter[str] = Counter()
    for kept_file, kept_record, members in zip(merged["source_file"], merged["source_record"],
                                               merged["merged_from"]):
        kept = _provenance(_text(kept_file), _year(kept_record))
        parts = [_split_provenance(m) for m in members]
        files = {f for f, _ in parts}
        dropped_kept = False
        for m, (f, _r) in zip(members, parts):
            if m == kept and not dropped_kept:
                dropped_kept = True
                continue
            removed[f] += 1
        if len(files) == 1:
            unique[next(iter(files))] += 1
    files = sorted(set(loaded) | set(not_loaded) | set(removed))
    rows = []
    for f in files:
        rows.append({"source_file": f, "source_format": formats.get(f, ""),
                     "identified": loaded[f] + not_loaded[f], "not_loaded": not_loaded[f],
                     "loaded": loaded[f], "duplicates_removed": removed[f],
                     "retained": loaded[f] - removed[f], "unique": unique[f]})
    cols = ["source_file", "source_format", "identified", "not_loaded", "loaded",
            "duplicates_removed", "retained", "unique"]
    out = pd.DataFrame(rows, columns=cols)
    total = {c: int(out[c].sum()) for c in cols[2:]}
    out = pd.concat([out, pd.DataFrame([{"source_file": "Total", "source_format": "", **total}])],
                    ignore_index=True)
    for c in cols[2:]:
        out[c] = out[c].astype("int64")
    return out
