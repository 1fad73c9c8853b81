"""Merging each cluster of duplicates into one paper."""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

import numpy as np
import pandas as pd

from ..bibfields import merge_biblio
from ..corpus import Corpus, as_corpus, record_key
from ..metadata import merge_metadata
from ..schema import COLUMNS, LIST_COLUMNS
from .audit import _audit_frame
from .clusters import _cluster
from .rules import DEFAULT_THRESHOLD, _ARXIV_DOI, _check, _list, _text, _title_key, _year

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
    out.update(merge_metadata(sub, rep))
    return out


def _list_cell(value: Any, single: bool) -> list[str]:
    """The list cell of a paper: ``_list(value)``, or the input's list itself for a paper of one
    record whose cell is already that list (non-empty strings), so a corpus where little or
    nothing merges does not hold every list twice (about 220 MB at 100,000 records). Like
    ``skip_deduplication`` and ``DataFrame.copy``, the papers then share those lists with the
    records: neither frame's list cells are to be changed in place (nothing in litscope does).
    A merged paper always gets new lists.

    >>> cell = ["Doe, J", "Roe, R"]
    >>> _list_cell(cell, True) is cell, _list_cell(cell, False) is cell, _list_cell(["a", ""], True)
    (True, False, ['a'])
    """
    if single and type(value) is list and all(type(v) is str and _text(v) for v in value):
        return value
    return _list(value)


def _papers_frame(df: pd.DataFrame, positions: np.ndarray, columns: list[str], rows: dict[int, dict[str, Any]],
                  single: list[bool], ids: list[str]) -> pd.DataFrame:
    """One row per cluster: the representative's row of ``df`` (at ``positions``), the merged
    ``rows`` of clusters of several records, the clusters' ``ids``.

    The representatives' cells are taken column by column (no Python object per text cell);
    when every record is its own paper in the input's order, the papers' text columns are the
    records' columns themselves (pandas copy-on-write: changing one frame never changes the
    other), so a corpus where nothing merges does not hold its abstracts twice. Values and
    dtypes are those of building each column from its cells: a merged value that does not fit
    the input's dtype leaves the column of object dtype; ``year`` and ``source_record`` are
    Int64 with missing or negative values as <NA>.
    """
    n = len(positions)
    same_rows = n == len(df) and bool(np.array_equal(positions, np.arange(n)))
    base = df[columns] if same_rows else df[columns].iloc[positions]
    base = base.reset_index(drop=True)
    out = {}
    multi = sorted(rows)
    for col in columns:
        if col in LIST_COLUMNS:  # cleaned lists; see _list_cell for when the input's list is kept
            values = [_list_cell(v, s) for v, s in zip(base[col].tolist(), single)]
            for c in multi:
                values[c] = rows[c][col]
            out[col] = pd.Series(values, dtype=object)
        elif col in ("year", "source_record"):
            values = base[col].tolist()
            for c in multi:
                values[c] = rows[c][col]
            out[col] = pd.Series(pd.array([None if _year(v) < 0 else _year(v) for v in values], dtype="Int64"))
        elif col == "id":
            out[col] = _with_values(base[col], df[col].dtype, dict(enumerate(ids)) if base[col].tolist() != ids
                                    else {})
        else:
            out[col] = _with_values(base[col], df[col].dtype, {c: rows[c][col] for c in multi})
    return pd.DataFrame(out, columns=columns)


def _with_values(column: pd.Series, dtype: Any, changes: dict[int, Any]) -> pd.Series:
    """``column`` with the values at the positions ``changes`` replaced, in ``dtype`` when
    every value fits it (as ``pd.Series(values, dtype=object).astype(dtype)``), else object.
    Without changes (and rows) the column is returned as it is, sharing the input's data."""
    if not len(column):
        return pd.Series([], dtype=object)
    if not changes:
        return column
    try:
        new = pd.Series(list(changes.values()), dtype=object).astype(dtype)
    except (TypeError, ValueError):
        values = column.tolist()
        for c, v in changes.items():
            values[c] = v
        return pd.Series(values, dtype=object)
    column = column.copy()
    column.iloc[list(changes)] = new.to_numpy() if not isinstance(new.dtype, pd.api.extensions.ExtensionDtype) \
        else new.array
    return column


def deduplicate(corpus: Corpus | pd.DataFrame, *, threshold: float = DEFAULT_THRESHOLD,
                progress: bool = False) -> Corpus:
    """Merge each cluster of duplicates (see :func:`find_duplicates`) into one record.

    Each field keeps its richest value: the longest abstract, the longest author list, the
    year most records agree on (the earliest on a tie), the most frequent venue, a DOI from
    whichever record has one (a journal DOI before an arXiv DOI), the union of keywords, and a
    title in mixed case when one exists; the highest citation count with its source and date,
    the union of references, affiliations, countries and funding (see
    :func:`litscope.metadata.merge_metadata`). ``id``, ``url`` and the ``source_*`` columns are the
    representative's (the record kept, see ``find_duplicates(...)["kept"]``).

    Parameters
    ----------
    corpus : Corpus or pandas.DataFrame
        The corpus (e.g. from :func:`litscope.load`), or records in the canonical schema.
        Its papers are merged; nothing of it is modified.
    threshold : float
        Minimum adjusted title score for a title link.
    progress : bool
        Show progress bars.

    Returns
    -------
    Corpus
        The same corpus (records, load report, skipped records, notes) with ``papers`` one
        row per cluster: canonical columns plus ``merged_from`` (list of
        ``'source_file#source_record'`` of every record merged, in canonical order);
        ``clusters`` the :func:`find_duplicates` table (read it with :func:`record_clusters`
        or :func:`compute_dedupe_audit`) and ``deduplicated`` True.

    Examples
    --------
    >>> from litscope.schema import to_frame
    >>> df = to_frame([{"title": "On graphs", "doi": "10.1000/g", "keywords": ["a"]},
    ...                {"title": "On Graphs", "doi": "10.1000/G", "keywords": ["b"], "year": 2001}],
    ...               source_format="ris", source_file="x.ris")
    >>> m = deduplicate(df).papers
    >>> m[["title", "year"]].values.tolist(), m.loc[0, "keywords"], m.loc[0, "merged_from"]
    ([['On Graphs', 2001]], ['a', 'b'], ['x.ris#1', 'x.ris#2'])
    >>> from litscope.dedupe import record_clusters
    >>> record_clusters(deduplicate(df))["reason"].tolist()
    ['', 'doi']
    """
    corpus = as_corpus(corpus)
    df = corpus.papers
    _check(df, threshold)
    order, recs, clusters, rep, audit = _cluster(df, threshold, progress)
    columns = [c for c in COLUMNS if c in df.columns] + [c for c in df.columns
                                                          if c not in COLUMNS and c != "merged_from"]
    if "merged_from" in df.columns:  # de-duplicating an already merged corpus keeps the history
        provenance = [_list(v) or [record_key(f, r)]
                      for v, f, r in zip(df["merged_from"].iloc[order].tolist(), recs.files, recs.records)]
    else:
        provenance = [[record_key(f, r)] for f, r in zip(recs.files, recs.records)]
    multi: Iterable[int] = [c for c, mem in enumerate(clusters) if len(mem) > 1]
    rows: dict[int, dict[str, Any]] = {}
    if multi:
        # Only the records of merged clusters become dicts; the others stay in their columns.
        members = [k for c in multi for k in clusters[c]]
        member_frame = df.iloc[np.asarray(order)[members]]
        member_values = {c: dict(zip(members, member_frame[c].tolist())) for c in columns}
        del member_frame
        if progress:
            from .progress import bar
            multi = bar(multi, desc="Merging duplicates", unit="cluster")
        for c in multi:
            mem = clusters[c]
            rows[c] = _merge_cluster([{col: member_values[col][k] for col in columns} for k in mem],
                                     mem.index(rep[c]))
        del member_values
    merged = _papers_frame(df, np.asarray(order)[rep] if len(rep) else np.array([], dtype=np.int64),
                           columns, rows, [len(mem) == 1 for mem in clusters], [recs.ids[b] for b in rep])
    merged["merged_from"] = pd.Series([[p for k in mem for p in provenance[k]] for mem in clusters],
                                      dtype=object)
    return corpus.replace(papers=merged, clusters=_audit_frame(audit), deduplicated=True, dedupe_note="")


def skip_deduplication(corpus: Corpus | pd.DataFrame, reason: str = "") -> Corpus:
    """The corpus with every record as its own paper, saying why duplicates were not merged.

    ``papers`` is a copy of the records with a one-element ``merged_from`` per row, so
    everything downstream reads it as it reads a de-duplicated corpus.

    >>> from litscope.schema import to_frame
    >>> df = to_frame([{"title": "A"}, {"title": "A"}], source_format="ris", source_file="x.ris")
    >>> c = skip_deduplication(df, "switched off")
    >>> c.papers["merged_from"].tolist(), c.deduplicated, c.dedupe_note
    ([['x.ris#1'], ['x.ris#2']], False, 'switched off')
    """
    corpus = as_corpus(corpus)
    papers = corpus.records.copy()
    papers["merged_from"] = [[record_key(f, r)] for f, r in zip(papers["source_file"], papers["source_record"])]
    return corpus.replace(papers=papers.reset_index(drop=True), clusters=None, deduplicated=False,
                          dedupe_note=reason)

