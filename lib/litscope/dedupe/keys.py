"""The records' matching keys (titles, years, first authors, identifiers), in a canonical order."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..bibfields import BIBLIO_FIELDS, BiblioEvidence
from .rules import _ARXIV_DOI, MAX_BLOCK, _list, _text, _title_key, _year


# Called with a block's size, at most MAX_BLOCK (40): all sizes together hold about 170 KB of
# index pairs; the bound keeps it so should a caller ever pass larger sizes.
@lru_cache(maxsize=MAX_BLOCK)
def _triu(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i < j) of ``n`` items, shared between calls: read them, never write them.

    >>> _triu(3)
    (array([0, 0, 1]), array([1, 2, 2]))
    """
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
        "i": strings("id"), "t": strings("title"),
        "p": np.arange(len(df)),
    })
    keys = keys.sort_values(["f", "r", "i", "t", "p"], kind="stable").reset_index(drop=True)
    # The abstract only breaks ties of the other keys: sorting the tied rows alone by it gives the
    # order of sorting every row by it, and no other abstract becomes a Python string (sorting
    # an Arrow string column goes through one).
    tied = keys.duplicated(["f", "r", "i", "t"], keep=False).to_numpy()
    if tied.any():
        sub = keys[tied].copy()
        abstracts = df["abstract"] if "abstract" in df.columns else pd.Series([""] * len(df), dtype=object)
        sub["a"] = abstracts.iloc[sub["p"].to_numpy()].astype("string").fillna("").to_numpy()
        keys.loc[tied, "p"] = sub.sort_values(["f", "r", "i", "t", "a", "p"], kind="stable")["p"].to_numpy()
    return keys["p"].to_numpy()


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
        shared: dict[str, str] = {}  # one string per file name, not one per record
        self.files = [shared.setdefault(f, f) for f in map(_text, column("source_file"))]
        self.biblio = BiblioEvidence(*(column(c) for c in BIBLIO_FIELDS))
        self.records = [_year(v) for v in column("source_record")]
        has_abstract = _filled(sub["abstract"]) if "abstract" in sub.columns else [False] * self.n
        venues = column("venue")
        # Richness decides which record represents a cluster.
        self.richness = [
            (bool(self.dois[k]), bool(self.arxiv[k] or self.pmids[k]),
             sum(map(bool, (self.titles[k], a, firsts[k], self.years[k] >= 0, _text(v)))))
            for k, (a, v) in enumerate(zip(has_abstract, venues))
        ]


#: Cells turned into Python objects at a time by :func:`_filled`.
FILLED_CHUNK = 10_000


def _filled(column: pd.Series) -> list[bool]:
    """Whether each cell has text (``bool(as_text(cell))``), reading ``FILLED_CHUNK`` cells at a
    time, so a column of abstracts never exists as Python strings all at once.

    >>> _filled(pd.Series(["a", "", None, float("nan"), " "], dtype=object))
    [True, False, False, False, True]
    """
    out: list[bool] = []
    for start in range(0, len(column), FILLED_CHUNK):
        out.extend(bool(_text(v)) for v in column.iloc[start:start + FILLED_CHUNK].tolist())
    return out

