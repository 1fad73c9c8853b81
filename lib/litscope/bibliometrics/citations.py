"""Which cited reference is which paper of the corpus: by identifier, else by title.

Exports give a paper's cited references in three shapes: identifiers (DOIs from Web of
Science, Crossref, PubMed Central; OpenAlex work ids), identifiers inside citation text
("..., DOI 10.1000/x", "... PMID: 8028666", "arXiv:2101.00001"), or citation text alone
(Scopus, Semantic Scholar's references without a DOI). :class:`ReferenceMatcher` tries, in
order, the DOI, the PubMed id, the arXiv id and the OpenAlex id found in the reference,
then the title of a corpus paper written out in it.

A title match asks for the paper's whole title, word for word (lower case, accents and
punctuation dropped), standing alone in the reference (no word or "-" joined to it before,
no word, "-" or subtitle ":" after, so a corpus title that is the start of a longer cited
title is not taken for it); titles of fewer than
:data:`MIN_TITLE_WORDS` words are never matched (too many references contain "Deep
learning" or "Introduction"); when the reference states years, one of them must be within
a year of the paper's (a preprint cited before its journal version). A title shared by
several papers of the corpus matches only when the year tells them apart.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"id": ["a", "b", "c"], "doi": ["10.1000/a", "", ""],
...     "arxiv_id": ["", "2101.00001", ""], "url": ["", "", "https://openalex.org/W42"],
...     "title": ["Graph agents for planning", "Sparse attention in long documents",
...               "Vision models at scale: a survey"], "year": [2020, 2021, 2019]})
>>> m = ReferenceMatcher(df)
>>> m.match("Doe J, 2020, NATURE, V1, DOI 10.1000/A")
(0, 'DOI')
>>> m.match("Roe R. Sparse attention in long documents. arXiv:2101.00001")
(1, 'arXiv id')
>>> m.match("https://openalex.org/W42")
(2, 'OpenAlex id')
>>> m.match("Roe, R., Vision Models at Scale - A Survey, (2019) J. Vis., 3, pp. 1-9")
(2, 'title')
>>> m.match("Roe, R., Vision models at scale: a survey, (2009) J. Vis.")  # wrong year
(None, '')
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import pandas as pd

from ..missing import is_missing
from ..normalize import fold_accents, normalize_arxiv, normalize_doi, normalize_pmid, normalize_title_key, normalize_year

__all__ = ["ReferenceMatcher", "MIN_TITLE_WORDS", "MATCHED_BY"]

#: Titles shorter than this (in words) are not matched in citation text.
MIN_TITLE_WORDS = 4
#: Years a cited year may differ from the paper's (preprint, online-first, then the issue).
YEAR_TOLERANCE = 1
#: How a match was made, in the order they are tried.
MATCHED_BY = ("DOI", "PMID", "arXiv id", "OpenAlex id", "title")

_OPENALEX = re.compile(r"openalex\.org/(W\d+)", re.I)
_PMID = re.compile(r"\bPMID:?\s*(\d{1,9})\b", re.I)  # as PubMed writes it, and litscope's PubMed XML reader
_BARE_OPENALEX = re.compile(r"^W\d+$")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_KEY_WORDS = 3  # titles are looked up by their first three words
_WORD = re.compile(r"[0-9a-z]+")  # normalize_title_key's words


def _openalex_id(value: Any) -> str:
    """The ``W...`` work id in an OpenAlex URL or bare id; '' when none.

    >>> _openalex_id("https://openalex.org/W2741809807"), _openalex_id("W12"), _openalex_id("10.1/x")
    ('W2741809807', 'W12', '')
    """
    if is_missing(value):
        return ""
    text = str(value).strip()
    m = _OPENALEX.search(text)
    if m:
        return m.group(1).upper()
    return text.upper() if _BARE_OPENALEX.match(text) else ""


def _stands_alone(folded: str, start: int, end: int) -> bool:
    """Whether ``folded[start:end]`` is a whole title in the citation, not part of a longer one:
    no word (or "-" of a compound) just before it, no word, ":" (a subtitle) or "-" right after.

    >>> _stands_alone("doe j. deep nets for x. nature", 7, 22), _stands_alone("very deep nets for x", 5, 20)
    (True, False)
    >>> _stands_alone("deep nets for x: a survey (2019)", 0, 15)
    False
    """
    before = folded[:start].rstrip()
    after = folded[end:].lstrip()
    if before and (before[-1].isalnum() or before[-1] in "-\u2010\u2013"):
        return False
    return not (after and (after[0].isalnum() or after[0] in ":-\u2010\u2013\u2014"))


class ReferenceMatcher:
    """Index of a corpus's papers for :meth:`match`.

    Parameters
    ----------
    df : DataFrame
        The papers; any of ``doi``, ``pmid``, ``arxiv_id``, ``url`` (or ``id``: an OpenAlex
        work id), ``title``, ``year`` is used when present. A key shared by several rows
        (a DOI of two unmerged records) points to the first.
    """

    def __init__(self, df: pd.DataFrame) -> None:
        def column(name: str) -> list:
            return df[name].tolist() if name in df.columns else [None] * len(df)

        self.by_doi = _first_row_of(normalize_doi(d) for d in column("doi"))
        self.by_pmid = _first_row_of(normalize_pmid(p) if not is_missing(p) else "" for p in column("pmid"))
        self.by_arxiv = _first_row_of(normalize_arxiv(a) if not is_missing(a) else "" for a in column("arxiv_id"))
        self.by_openalex = _first_row_of(_openalex_id(u) or _openalex_id(i)
                                         for u, i in zip(column("url"), column("id")))
        self.years = [None if is_missing(y) else normalize_year(y) for y in column("year")]
        # first three title words -> [(the title's words, paper row)]
        titles: dict[tuple[str, ...], list[tuple[tuple[str, ...], int]]] = defaultdict(list)
        for row, title in enumerate(column("title")):
            words = tuple(normalize_title_key(title).split()) if isinstance(title, str) else ()
            if len(words) >= MIN_TITLE_WORDS:
                titles[words[:_KEY_WORDS]].append((words, row))
        self.titles = dict(titles)  # a plain dict: looking up a missing key adds nothing

    def match(self, reference: Any) -> tuple[int | None, str]:
        """The corpus row ``reference`` cites and how it was found (one of :data:`MATCHED_BY`),
        or ``(None, '')``."""
        if is_missing(reference):
            return None, ""
        text = str(reference)
        doi = normalize_doi(text)
        if doi and doi in self.by_doi:
            return self.by_doi[doi], "DOI"
        pmid = _PMID.search(text)
        if pmid and pmid.group(1) in self.by_pmid:
            return self.by_pmid[pmid.group(1)], "PMID"
        lower = text.lower()
        if "arxiv" in lower:
            arxiv = normalize_arxiv(text)
            if arxiv in self.by_arxiv:
                return self.by_arxiv[arxiv], "arXiv id"
        if "openalex" in lower or _BARE_OPENALEX.match(text.strip()):
            work = _openalex_id(text)
            if work in self.by_openalex:
                return self.by_openalex[work], "OpenAlex id"
        row = self._by_title(text)
        return (row, "title") if row is not None else (None, "")

    def _by_title(self, text: str) -> int | None:
        titles = self.titles
        if not titles:
            return None
        folded = fold_accents(text)
        words = _WORD.findall(folded)
        if len(words) < MIN_TITLE_WORDS:
            return None
        spans: list[tuple[int, int]] | None = None  # word offsets, found once a title matches
        cited_years: list[int] | None = None
        best: tuple[int, set[int]] = (0, set())  # the longest title found, and its rows
        for start, key in enumerate(zip(words, words[1:], words[2:])):  # _KEY_WORDS words
            for title, row in titles.get(key, ()):
                n = len(title)
                if n < best[0] or tuple(words[start:start + n]) != title:
                    continue
                if spans is None:
                    spans = [m.span() for m in _WORD.finditer(folded)]
                    cited_years = [int(y) for y in _YEAR.findall(text)]
                if _stands_alone(folded, spans[start][0], spans[start + n - 1][1]) \
                        and self._year_fits(row, cited_years or []):
                    best = (n, best[1] | {row}) if n == best[0] else (n, {row})
        return next(iter(best[1])) if len(best[1]) == 1 else None  # a title the year cannot tell apart

    def _year_fits(self, row: int, cited_years: list[int]) -> bool:
        year = self.years[row]
        return year is None or not cited_years or any(abs(year - y) <= YEAR_TOLERANCE for y in cited_years)


def _first_row_of(keys) -> dict[str, int]:
    """Key -> the first row that holds it ('' is never a key).

    >>> _first_row_of(["x", "", "y", "x"])
    {'x': 0, 'y': 2}
    """
    index: dict[str, int] = {}
    for row, key in enumerate(keys):
        if key:
            index.setdefault(key, row)
    return index
