"""What every bibliometric computation returns, and how it says that the inputs lack a field.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"title": ["A"], "cited_by": pd.array([None], dtype="Int64")})
>>> lacking(df, "cited_by")
'No input gives citation counts (Scopus "Cited by", Web of Science TC, OpenAlex cited_by_count, Semantic Scholar citationCount)'
>>> lacking(pd.DataFrame({"authors": [["Doe, J"]]}), "authors") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import pandas as pd

__all__ = ["BiblioResult", "NetworkResult", "lacking", "filled", "paper_labels", "listed_papers", "PAPERS_LISTED",
           "WHAT"]

#: Column -> what it is, in the words of the exports that carry it.
WHAT: dict[str, str] = {
    "authors": "author names",
    "venue": "venue (journal or conference) names",
    "countries": "author countries (from affiliations: Scopus \"Affiliations\", Web of Science C1, "
                 "OpenAlex institutions)",
    "affiliations": "author affiliations",
    "cited_by": "citation counts (Scopus \"Cited by\", Web of Science TC, OpenAlex cited_by_count, "
                "Semantic Scholar citationCount)",
    "references": "cited references (Web of Science CR, Scopus \"References\", OpenAlex referenced_works)",
    "keywords": "keywords",
    "year": "publication years",
    "doi": "DOIs",
}


@dataclass
class BiblioResult:
    """A table, and when the inputs lack what it needs, a sentence that says so.

    Attributes
    ----------
    table : pandas.DataFrame
        The result (empty, with its columns, when ``lacking``).
    lacking : str
        ``""`` when the inputs had what is needed; else a plain-language statement.
    note : str
        How the table was computed (shown under it).
    """

    table: pd.DataFrame
    lacking: str = ""
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class NetworkResult:
    """A network (networkx graph) with its nodes and edges as tables.

    ``edges`` has ``source``, ``target``, ``weight`` (papers behind the edge) and ``papers``
    (their reference numbers, or ids when none), so each edge can be traced to its papers.
    """

    graph: Any
    nodes: pd.DataFrame
    edges: pd.DataFrame
    lacking: str = ""
    note: str = ""


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (list, tuple, set)):
        return len(value) == 0
    if hasattr(value, "__len__") and not isinstance(value, str):
        return len(value) == 0
    try:
        if pd.isna(value):
            return True
    except (TypeError, ValueError):
        pass
    return isinstance(value, str) and not value.strip()


def filled(df: pd.DataFrame, column: str) -> pd.Series:
    """Boolean mask of rows where ``column`` holds a value (all False when the column is missing)."""
    if column not in df.columns:
        return pd.Series(False, index=df.index)
    return pd.Series([not _empty(v) for v in df[column]], index=df.index, dtype=bool)


def lacking(df: pd.DataFrame, column: str) -> str | None:
    """A statement that no paper has ``column`` (missing or all empty), else None."""
    if len(df) and filled(df, column).any():
        return None
    return f"No input gives {WHAT.get(column, column)}"


def paper_labels(df: pd.DataFrame, refs: Mapping[str, int] | None = None) -> list[str]:
    """How a paper is named in hover texts and tables: ``[n]`` by reference number, else its id."""
    ids = df["id"].astype(str).tolist() if "id" in df.columns else [str(i) for i in df.index]
    if refs:
        return [f"[{refs[i]}]" if i in refs else i for i in ids]
    return ids


#: Papers named per network edge in the report (hover text and edges table); a keyword pair
#: of a 100k corpus can have thousands, which made a ~40 MB notebook output.
PAPERS_LISTED = 30


def listed_papers(papers: list[str], limit: int = PAPERS_LISTED, sep: str = "; ") -> str:
    """The first ``limit`` paper labels joined, then how many more there are.

    >>> listed_papers(["[1]", "[2]", "[3]"], limit=2)
    '[1]; [2]; … and 1 more'
    >>> listed_papers(["[1]", "[2]"], limit=2)
    '[1]; [2]'
    """
    if len(papers) <= limit:
        return sep.join(papers)
    return sep.join(papers[:limit]) + f"{sep}… and {len(papers) - limit:,} more"
