"""A reviewer's screening decisions, kept as a CSV file.

The file has one row per record: ``id``, ``doi``, ``title`` (any of them identifies
the record), ``decision`` (``include``, ``exclude``, ``maybe``, or empty for a
record not screened yet), ``reason``, ``reviewer`` and ``date``.  It can be edited
in a spreadsheet, written back by the review (with new records added undecided)
and updated one decision at a time (:func:`write_decision`), each write atomic
(temporary file + :func:`os.replace`), so a crash never leaves half a file.

A row is matched to a paper by id, else by DOI, else by normalised title
(:func:`litscope.schema.normalize_title_key`), in that order.  When several rows
decide the same paper, the last row wins (appending a row is how a decision is
changed by hand).  Rows that match no paper are kept when the file is written back.

Examples
--------
>>> import io
>>> text = "id,doi,title,decision,reason,reviewer,date\\n,,A study of X,Include,on topic,ann,2026-01-02\\n"
>>> d = read_decisions(io.StringIO(text))
>>> d[["title", "decision", "line"]].values.tolist()
[['A study of X', 'include', 2]]
>>> papers = pd.DataFrame({"id": ["p1", "p2"], "doi": ["", ""], "title": ["A Study of X!", "Other"]})
>>> apply_decisions(papers, d).table[["id", "decision", "matched_by"]].values.tolist()
[['p1', 'include', 'title'], ['p2', '', '']]
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path
from typing import IO, Any, Union

import pandas as pd

from ..atomic import replacing
from ..csvsafe import unescape_cell, write_frame
from ..errors import DecisionsError
from ..missing import as_text, is_missing
from ..schema import normalize_doi, normalize_title_key

__all__ = ["DECISION_COLUMNS", "DECISIONS", "AppliedDecisions", "normalize_decision", "read_decisions",
           "apply_decisions", "write_decisions", "write_decision", "empty_decisions"]

PathLike = Union[str, "os.PathLike[str]"]

#: Columns of a decisions file, in order.
DECISION_COLUMNS = ["id", "doi", "title", "decision", "reason", "reviewer", "date"]
#: The decisions a reviewer makes ('' = not screened yet).
DECISIONS = ("include", "exclude", "maybe")
_ALIASES = {"include": "include", "included": "include", "exclude": "exclude", "excluded": "exclude",
            "maybe": "maybe", "undecided": "", "": ""}


def normalize_decision(value: Any) -> str | None:
    """``include``/``exclude``/``maybe``/'' for a decision as written; None when unknown.

    >>> normalize_decision(" Included "), normalize_decision(None), normalize_decision("perhaps")
    ('include', '', None)
    """
    if is_missing(value):
        return ""
    return _ALIASES.get(str(value).strip().lower())


def empty_decisions() -> pd.DataFrame:
    """A decisions table with no rows (the columns of :data:`DECISION_COLUMNS` and ``line``)."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in DECISION_COLUMNS} | {"line": pd.Series(dtype="Int64")})


def read_decisions(path: PathLike | IO[str]) -> pd.DataFrame:
    """Read a decisions CSV.

    Parameters
    ----------
    path : path-like or text file-like
        The CSV (UTF-8, a BOM is fine). Columns other than :data:`DECISION_COLUMNS` are ignored;
        ``decision`` and one of ``id``, ``doi``, ``title`` are required.

    Returns
    -------
    pandas.DataFrame
        :data:`DECISION_COLUMNS` (text, '' when missing; DOIs normalised; decisions lower-case)
        and ``line``, the 1-based line where the row starts. A missing file gives no rows.

    Raises
    ------
    DecisionsError
        For a file without the required columns, or a row with an unknown decision or no
        identifier; the message names the file and line.
    """
    name = getattr(path, "name", "<buffer>") if hasattr(path, "read") else os.fspath(path)
    if hasattr(path, "read"):
        text = path.read()
    else:
        if not Path(path).exists():
            return empty_decisions()
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise DecisionsError(f"cannot read the decisions file: {exc}", file=name) from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return empty_decisions()
    except csv.Error as exc:
        raise DecisionsError(f"cannot parse the header: {exc}", file=name, line=1) from exc
    cols = {h.strip().lower(): i for i, h in enumerate(header)}
    if "decision" not in cols or not ({"id", "doi", "title"} & set(cols)):
        raise DecisionsError("a decisions file needs a 'decision' column and one of 'id', 'doi', 'title'; "
                             f"found {header[:10]}", file=name, line=1)
    rows = []
    line = 2
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise DecisionsError(f"cannot parse the row: {exc}", file=name, line=line) from exc
        start, line = line, reader.line_num + 1
        if not any(c.strip() for c in row):
            continue
        cell = {c: unescape_cell(row[i]).strip() if i < len(row) else "" for c, i in cols.items()}
        rec = {c: cell.get(c, "") for c in DECISION_COLUMNS}
        decision = normalize_decision(rec["decision"])
        if decision is None:
            raise DecisionsError(f"unknown decision {rec['decision']!r}; use include, exclude, maybe "
                                 "or leave it empty", file=name, line=start)
        rec["decision"] = decision
        rec["doi"] = normalize_doi(rec["doi"]) if rec["doi"] else ""
        if not (rec["id"] or rec["doi"] or rec["title"]):
            raise DecisionsError("the row has no id, DOI or title to match a record", file=name, line=start)
        rec["line"] = start
        rows.append(rec)
    if not rows:
        return empty_decisions()
    out = pd.DataFrame(rows, columns=DECISION_COLUMNS + ["line"])
    out["line"] = out["line"].astype("Int64")
    return out


@dataclass
class AppliedDecisions:
    """Decisions matched to papers.

    Attributes
    ----------
    table : pandas.DataFrame
        Row-aligned with the papers: ``id``, ``decision`` ('' when undecided), ``reason``,
        ``reviewer``, ``date``, ``matched_by`` (``id``, ``doi``, ``title`` or '').
    unmatched : pandas.DataFrame
        Decision rows that matched no paper (kept when the file is written back).
    """

    table: pd.DataFrame
    unmatched: pd.DataFrame

    def counts(self) -> dict[str, int]:
        """Papers per decision, '' counted as ``undecided``.

        >>> AppliedDecisions(pd.DataFrame({"decision": ["include", "", ""]}), empty_decisions()).counts()
        {'include': 1, 'exclude': 0, 'maybe': 0, 'undecided': 2}
        """
        values = self.table["decision"].tolist()
        return {**{d: values.count(d) for d in DECISIONS}, "undecided": values.count("")}


def _column(papers: pd.DataFrame, name: str) -> list[str]:
    if name not in papers:
        return [""] * len(papers)
    return ["" if v is None or (isinstance(v, float) and v != v) else str(v) for v in papers[name]]


def apply_decisions(papers: pd.DataFrame, decisions: pd.DataFrame) -> AppliedDecisions:
    """Match decision rows to papers (by id, else DOI, else normalised title; last row wins).

    Parameters
    ----------
    papers : pandas.DataFrame
        One row per paper (``id``, ``doi``, ``title``).
    decisions : pandas.DataFrame
        From :func:`read_decisions` (or :func:`litscope.screening.labels.read_prior_decisions`).

    Returns
    -------
    AppliedDecisions
    """
    ids, dois, titles = _column(papers, "id"), _column(papers, "doi"), _column(papers, "title")
    by_id: dict[str, list[int]] = {}
    by_doi: dict[str, list[int]] = {}
    by_title: dict[str, list[int]] = {}
    for i, (pid, doi, title) in enumerate(zip(ids, dois, titles)):
        if pid:
            by_id.setdefault(pid, []).append(i)
        if doi:
            by_doi.setdefault(normalize_doi(doi), []).append(i)
        key = normalize_title_key(title)
        if key:
            by_title.setdefault(key, []).append(i)
    n = len(papers)
    table = {"id": ids, "decision": [""] * n, "reason": [""] * n, "reviewer": [""] * n, "date": [""] * n,
             "matched_by": [""] * n}
    unmatched = []
    for rec in decisions.to_dict("records"):
        rows, how = [], ""
        for how, index, key in (("id", by_id, rec.get("id") or ""),
                                ("doi", by_doi, normalize_doi(rec.get("doi") or "")),
                                ("title", by_title, normalize_title_key(rec.get("title") or ""))):
            rows = index.get(key, []) if key else []
            if rows:
                break
        if not rows:
            unmatched.append(rec)
            continue
        for i in rows:
            for col in ("decision", "reason", "reviewer", "date"):
                value = rec.get(col)
                table[col][i] = as_text(value)
            table["matched_by"][i] = how
    frame = pd.DataFrame(table, index=papers.index)
    left = pd.DataFrame(unmatched, columns=list(decisions.columns)) if unmatched else empty_decisions()
    return AppliedDecisions(frame, left)


def _write_atomic(frame: pd.DataFrame, path: PathLike) -> Path:
    with replacing(path) as tmp:
        write_frame(frame, tmp)
    return Path(path)


def write_decisions(path: PathLike, papers: pd.DataFrame, decisions: pd.DataFrame | None = None) -> Path:
    """Write the decisions file: one row per paper (undecided ones empty), then unmatched rows.

    Parameters
    ----------
    path : path-like
        The CSV, replaced atomically; cells are neutralised against spreadsheet formulas.
    papers : pandas.DataFrame
        The papers of the review, in the order rows are written.
    decisions : pandas.DataFrame, optional
        Earlier decisions (:func:`read_decisions`); the file's own when None and it exists.

    Returns
    -------
    pathlib.Path
    """
    if decisions is None:
        decisions = read_decisions(path)
    applied = apply_decisions(papers, decisions)
    t = applied.table
    out = pd.DataFrame({"id": t["id"].to_numpy(), "doi": _column(papers, "doi"), "title": _column(papers, "title"),
                        "decision": t["decision"].to_numpy(), "reason": t["reason"].to_numpy(),
                        "reviewer": t["reviewer"].to_numpy(), "date": t["date"].to_numpy()})
    if len(applied.unmatched):
        extra = applied.unmatched.reindex(columns=DECISION_COLUMNS).fillna("")
        out = pd.concat([out, extra], ignore_index=True)
    return _write_atomic(out, path)


def write_decision(path: PathLike, papers: pd.DataFrame, paper_id: str, decision: str, *, reason: str = "",
                   reviewer: str = "", date: str | None = None) -> Path:
    """Record one decision at once: the file is read, updated for ``paper_id`` and replaced atomically.

    Raises
    ------
    DecisionsError
        For an unknown decision or a paper id not among ``papers``.
    """
    value = normalize_decision(decision)
    if value is None:
        raise DecisionsError(f"unknown decision {decision!r}; use include, exclude, maybe or ''", file=os.fspath(path))
    ids = _column(papers, "id")
    if paper_id not in ids:
        raise DecisionsError(f"no paper with id {paper_id!r}", file=os.fspath(path))
    existing = read_decisions(path)
    new = pd.DataFrame([{"id": paper_id, "doi": "", "title": "", "decision": value, "reason": reason,
                         "reviewer": reviewer, "date": date or _date.today().isoformat(), "line": pd.NA}])
    merged = new if not len(existing) else pd.concat([existing, new], ignore_index=True)
    return write_decisions(path, papers, merged)
