"""The numbered reference list: citation formatting, ordering and reference numbers."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ..missing import is_missing
from .html import _esc

#: How references are numbered (shown in the report).
REFERENCE_ORDER = ("alphabetically by the first author's family name (by title for papers without "
                   "listed authors), then by year (unknown years last), then by title")


#: The fields of a paper that :func:`compute_references` reads.
_CITED_FIELDS = ("id", "authors", "title", "year", "venue", "doi", "arxiv_id", "pmid", "url")


def _year_text(value: Any) -> str:
    try:
        return "" if is_missing(value) else str(int(value))
    except (TypeError, ValueError):
        return ""


def _fold(text: Any) -> str:
    """Case- and accent-insensitive sort key of a text."""
    s = unicodedata.normalize("NFKD", "" if text is None else str(text))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^0-9a-z]+", " ", s).strip()


def _initials(given: str) -> str:
    parts = [p for p in re.split(r"[\s.]+", given) if p]
    out = []
    for p in parts:
        if "-" in p:
            out.append("-".join(q[:1].upper() + "." for q in p.split("-") if q))
        elif p.isupper() and len(p) <= 4:  # already initials, e.g. 'JQ'
            out.append(" ".join(c + "." for c in p))
        else:
            out.append(p[:1].upper() + ".")
    return " ".join(out)


def format_author(author: str) -> str:
    """'Family, Given Names' as 'Family, G. N.'.

    >>> format_author("Doe, Jane Quinn"), format_author("Doe, JQ"), format_author("Plato")
    ('Doe, J. Q.', 'Doe, J. Q.', 'Plato')
    """
    family, _, given = str(author).partition(",")
    family, given = family.strip(), given.strip()
    return f"{family}, {_initials(given)}" if given else family


def format_authors(authors: Any, limit: int = 8) -> str:
    """Authors in citation form; more than ``limit`` are cut to the first ones and 'et al.'.

    >>> format_authors(["Doe, Jane", "Roe, Rick"])
    'Doe, J., & Roe, R.'
    >>> format_authors([])
    ''
    """
    names = [format_author(a) for a in (authors if isinstance(authors, (list, tuple, np.ndarray)) else [])
             if str(a).strip()]
    if not names:
        return ""
    if len(names) > limit:
        return ", ".join(names[: limit - 1]) + ", … et al."
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _link(row: Mapping[str, Any]) -> tuple[str, str]:
    """(href, visible text) of the best identifier of a record."""
    doi = str(row.get("doi") or "")
    if doi:
        return f"https://doi.org/{doi}", f"doi:{doi}"
    arxiv = str(row.get("arxiv_id") or "")
    if arxiv:
        return f"https://arxiv.org/abs/{arxiv}", f"arXiv:{arxiv}"
    pmid = str(row.get("pmid") or "")
    if pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/", f"PMID:{pmid}"
    url = str(row.get("url") or "")
    if url.lower().startswith(("http://", "https://")):
        return url, url
    return "", ""


def compute_references(df: pd.DataFrame) -> pd.DataFrame:
    """The numbered reference list of a corpus, one row per paper, in :data:`REFERENCE_ORDER`.

    Parameters
    ----------
    df : pandas.DataFrame
        Papers in the canonical schema (one row per paper, e.g. after de-duplication).

    Returns
    -------
    pandas.DataFrame
        Columns ref (1..n), id, authors (citation form), year ('' when unknown), title,
        venue, link (URL or ''), citation_text and citation_html (escaped, with the link).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"id": ["x"], "title": ["A <b>bold</b> claim"], "authors": [["Doe, Jane"]],
    ...                    "year": pd.array([2021], dtype="Int64"), "venue": ["J. Tests"],
    ...                    "doi": ["10.1/x"], "arxiv_id": [""], "url": [""]})
    >>> refs = compute_references(df)
    >>> refs.loc[0, "citation_text"]
    'Doe, J. (2021). A <b>bold</b> claim. J. Tests. doi:10.1/x'
    >>> "&lt;b&gt;" in refs.loc[0, "citation_html"]
    True
    """
    rows = []
    # Only the fields a citation shows, so no dict holds an abstract (or any other text) of every paper.
    cited = df[[c for c in _CITED_FIELDS if c in df.columns]]
    for rec in cited.to_dict("records"):
        authors = rec.get("authors")
        authors = list(authors) if isinstance(authors, (list, tuple, np.ndarray)) else []
        first_family = str(authors[0]).partition(",")[0] if authors else ""
        title = str(rec.get("title") or "").strip() or "[untitled]"
        year = _year_text(rec.get("year"))
        key = (_fold(first_family) or _fold(title), int(year) if year else 10_000, _fold(title), str(rec["id"]))
        href, shown = _link(rec)
        rows.append({"_key": key, "id": rec["id"], "authors": format_authors(authors), "year": year,
                     "title": title, "venue": str(rec.get("venue") or "").strip(), "link": href,
                     "_shown": shown})
    if not rows:
        return pd.DataFrame(columns=["ref", "id", "authors", "year", "title", "venue", "link",
                                     "citation_text", "citation_html"])
    rows.sort(key=lambda r: r["_key"])
    # Built column by column, each row's dict dropped once read, so the rows and the
    # citations are not all held twice (as dicts, then as the frame).
    out: dict[str, list[Any]] = {c: [] for c in ("ref", "id", "authors", "year", "title", "venue", "link",
                                                  "citation_text", "citation_html")}
    for n in range(1, len(rows) + 1):
        r, rows[n - 1] = rows[n - 1], None
        year = f"({r['year']})" if r["year"] else "(n.d.)"
        title = r["title"] if r["title"][-1:] in ".?!" else r["title"] + "."
        head = f"{r['authors']} {year}." if r["authors"] else ""
        parts_text = ([head] if head else []) + [title] + ([f"{r['venue']}." if r["venue"][-1:] != "." else r["venue"]]
                                                         if r["venue"] else [])
        if not r["authors"]:
            parts_text.insert(1, f"{year}.")
        text = " ".join(parts_text)
        if r["_shown"]:
            text += f" {r['_shown']}"
        h_head = f"{_esc(r['authors'])} {year}. " if r["authors"] else ""
        h = f"{h_head}<i>{_esc(title)}</i>"
        if not r["authors"]:
            h += f" {year}."
        if r["venue"]:
            h += f" {_esc(r['venue'])}" + ("" if r["venue"].endswith(".") else ".")
        if r["link"]:
            h += f' <a href="{_esc(r["link"])}">{_esc(r["_shown"])}</a>'
        for column, value in zip(out.values(), (n, r["id"], r["authors"], r["year"], r["title"], r["venue"],
                                                r["link"], text, h)):
            column.append(value)
    del rows
    return pd.DataFrame(out)


def reference_numbers(refs: pd.DataFrame) -> dict[str, int]:
    """Mapping paper id -> reference number, from :func:`compute_references`."""
    return {str(i): int(n) for i, n in zip(refs["id"], refs["ref"])}


def _ref_map(refs: pd.DataFrame | Mapping[str, int]) -> dict[str, int]:
    return reference_numbers(refs) if isinstance(refs, pd.DataFrame) else {str(k): int(v) for k, v in refs.items()}
