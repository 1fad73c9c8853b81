"""Top authors, venues and countries; the most cited papers.

Each ``compute_`` function returns a :class:`~litscope.bibliometrics.common.BiblioResult`
whose ``lacking`` says, in plain words, when the inputs do not have the field it counts.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"id": ["a", "b", "c"], "title": ["A", "B", "C"],
...                    "authors": [["Doe, J", "Roe, R"], ["Doe, J"], []],
...                    "cited_by": pd.array([5, 40, None], dtype="Int64")})
>>> compute_top_authors(df).table[["author", "papers", "citations"]].values.tolist()
[['Doe, J', 2, 45], ['Roe, R', 1, 5]]
>>> compute_most_cited(df).table["title"].tolist()
['B', 'A']
>>> compute_top_venues(df).lacking
'No input gives venue (journal or conference) names: the venue table is empty.'
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Mapping

import pandas as pd

from .common import BiblioResult, filled, lacking, paper_labels

__all__ = ["compute_top_authors", "compute_top_venues", "compute_top_countries", "compute_most_cited"]


def _citations(df: pd.DataFrame) -> list[int | None]:
    if "cited_by" not in df.columns:
        return [None] * len(df)
    return [None if pd.isna(v) else int(v) for v in df["cited_by"]]


def _ranked(counts: Counter, cites: Mapping[str, int], key: str, top: int, with_cites: bool) -> pd.DataFrame:
    rows = [{key: name, "papers": n, **({"citations": cites.get(name, 0)} if with_cites else {})}
            for name, n in counts.items()]
    cols = [key, "papers"] + (["citations"] if with_cites else [])
    frame = pd.DataFrame(rows, columns=cols)
    if not len(frame):
        return frame
    order = ["papers", "citations", key] if with_cites else ["papers", key]
    frame = frame.sort_values(order, ascending=[False] * (len(order) - 1) + [True], kind="mergesort")
    return frame.head(top).reset_index(drop=True)


def _count_lists(df: pd.DataFrame, column: str, key: str, top: int, what: str, whats: str = "") -> BiblioResult:
    missing = lacking(df, column)
    with_cites = "cited_by" in df.columns and filled(df, "cited_by").any()
    counts: Counter = Counter()
    cites: dict[str, int] = defaultdict(int)
    if missing is None:
        for values, cited in zip(df[column], _citations(df)):
            items = [values] if isinstance(values, str) else list(values) if values is not None else []
            seen = {str(v).strip() for v in items if isinstance(v, str) and v.strip()}
            for name in seen:  # each paper counts once per name
                counts[name] += 1
                cites[name] += cited or 0
    table = _ranked(counts, cites, key, top, with_cites)
    each = f" (a paper counts once for each of its {whats})" if whats else ""  # venue: one per paper
    note = (f"Papers per {what}{each}"
            + ("; citations: the sum of the citation counts of those papers." if with_cites else "."))
    return BiblioResult(table, f"{missing}: the {what} table is empty." if missing else "", note)


def compute_top_authors(df: pd.DataFrame, top: int = 20) -> BiblioResult:
    """The ``top`` authors by number of papers (then citations, then name)."""
    return _count_lists(df, "authors", "author", top, "author", "authors")


def compute_top_venues(df: pd.DataFrame, top: int = 20) -> BiblioResult:
    """The ``top`` venues by number of papers."""
    return _count_lists(df, "venue", "venue", top, "venue")


def compute_top_countries(df: pd.DataFrame, top: int = 20) -> BiblioResult:
    """The ``top`` countries of the authors' affiliations, by number of papers."""
    result = _count_lists(df, "countries", "country", top, "country", "countries")
    if result.lacking and not lacking(df, "affiliations"):
        result.lacking = ("The inputs give affiliations but no countries could be read from them: "
                          "the country table is empty.")
    return result


def compute_most_cited(df: pd.DataFrame, top: int = 20, refs: Mapping[str, int] | None = None) -> BiblioResult:
    """The ``top`` papers by citation count (ties: earlier year, then title), with the count's source."""
    cols = ["paper", "title", "year", "venue", "cited_by", "cited_by_source", "cited_by_date"]
    missing = lacking(df, "cited_by")
    if missing is not None:
        return BiblioResult(pd.DataFrame(columns=cols), f"{missing}: the most cited papers cannot be listed.")
    known = df.loc[filled(df, "cited_by")].copy()
    known["paper"] = paper_labels(known, refs)
    for col in ("year", "venue", "cited_by_source", "cited_by_date"):
        if col not in known.columns:
            known[col] = ""
    known["_cites"] = known["cited_by"].astype("int64")
    known["_year"] = pd.to_numeric(known["year"], errors="coerce").fillna(9999)
    known = known.sort_values(["_cites", "_year", "title"], ascending=[False, True, True], kind="mergesort")
    table = known.head(top)[cols].reset_index(drop=True)
    sources = sorted({str(s) for s in known["cited_by_source"] if isinstance(s, str) and s})
    unknown = len(df) - len(known)
    note = ("Citation counts as the exports give them" + (f" ({', '.join(sources)})" if sources else "")
            + "; counts from different databases and dates are not comparable"
            + (f"; {unknown} paper{'s' if unknown != 1 else ''} without a count." if unknown else "."))
    return BiblioResult(table, "", note)
