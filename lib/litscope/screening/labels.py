"""Labels and prior decisions that exports already carry, read from the export file itself.

litscope's readers keep the canonical fields only, so a screening tool's label
column is read here, from the same file, and matched to the papers:

* ASReview exports: ``included`` (v1: 1, 0, or empty when not screened),
  ``asreview_label`` (v2), ``label_included`` (the benchmark datasets, Cohen 2006),
  ``label_abstract_screening``;
* ASReview RIS exports: ``ASReview_relevant`` / ``ASReview_irrelevant`` (``ASReview_not_seen``:
  no decision) in each record's ``N1`` notes;
* Rayyan exports: the ``notes`` column with
  ``RAYYAN-INCLUSION: {"Ann"=>"Included", "Bob"=>"Excluded"}`` (the decision is
  ``include`` when every reviewer included, ``exclude`` when every reviewer excluded,
  ``maybe`` otherwise) and ``RAYYAN-EXCLUSION-REASONS: ...`` as the reason.

Rows are matched to papers by the file's row number (``source_record``, the 1-based
number of the data row that litscope's CSV reader gives each record), and the
result is a decisions table (:data:`~litscope.screening.decisions.DECISION_COLUMNS`)
that :func:`~litscope.screening.decisions.apply_decisions` matches by id, DOI or title.

Examples
--------
>>> parse_rayyan_note('RAYYAN-INCLUSION: {"Ann"=>"Included", "Bob"=>"Maybe"} | RAYYAN-EXCLUSION-REASONS: wrong population')
('maybe', 'wrong population', 'Ann, Bob')
>>> parse_rayyan_note("nothing here")
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..errors import DecisionsError
from .decisions import DECISION_COLUMNS

__all__ = ["LABEL_COLUMNS", "TABLE_FORMATS", "read_ris_notes", "read_table_rows", "read_label_column", "parse_rayyan_note", "read_prior_decisions"]

#: Columns read as prior 0/1 labels, first found wins.
LABEL_COLUMNS = ("included", "asreview_label", "label_included", "label_abstract_screening")
_RAYYAN = re.compile(r"RAYYAN-INCLUSION:\s*\{([^}]*)\}")
_RAYYAN_PAIR = re.compile(r'"([^"]*)"\s*=>\s*"([^"]*)"')
_RAYYAN_REASONS = re.compile(r"RAYYAN-EXCLUSION-REASONS:\s*([^|]*)")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace")


def read_table_rows(path: str | os.PathLike[str]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and data rows (with the line each starts on) of a CSV/TSV, blank rows skipped.

    Data rows are numbered as litscope's CSV reader numbers records, so row ``k`` of the
    result is the record with ``source_record == k``. ``.xlsx`` files are read with openpyxl.
    """
    name = os.fspath(path)
    if name.lower().endswith((".xlsx", ".xlsm")):
        frame = pd.read_excel(name, dtype=str).fillna("")
        rows = [(i + 2, [str(c) for c in r]) for i, r in enumerate(frame.itertuples(index=False))
                if any(str(c).strip() for c in r)]
        return [str(c) for c in frame.columns], rows
    try:
        text = _decode(Path(name).read_bytes())
    except OSError as exc:
        raise DecisionsError(f"cannot read the file: {exc}", file=name) from exc
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=first.count)
    if csv.field_size_limit() < 2**31 - 1:
        csv.field_size_limit(2**31 - 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for row in reader:
            start, line = line, reader.line_num + 1
            if not any(c.strip() for c in row):
                continue
            if not header:
                header = [h.replace("\0", "").strip() for h in row]
                continue
            rows.append((start, row))
    except csv.Error as exc:
        raise DecisionsError(f"cannot parse the table: {exc}", file=name, line=line) from exc
    if not header:
        raise DecisionsError("the file has no header row", file=name, line=1)
    return header, rows


_ASREVIEW_RIS = re.compile(r"ASReview_(relevant|irrelevant|not_seen)", re.I)
_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def read_ris_notes(path: str | os.PathLike[str]) -> list[tuple[int, str]]:
    """``(line, notes)`` of each record of a RIS file: its N1/NO lines joined, records ended by ``ER``.

    Records are numbered as litscope's RIS reader numbers them (1-based, in file order).
    """
    name = os.fspath(path)
    try:
        text = _decode(Path(name).read_bytes())
    except OSError as exc:
        raise DecisionsError(f"cannot read the file: {exc}", file=name) from exc
    out: list[tuple[int, str]] = []
    notes: list[str] = []
    start = None
    for number, line in enumerate(text.splitlines(), start=1):
        m = _RIS_TAG.match(line.strip("\ufeff"))
        if not m:
            continue
        tag, value = m.group(1), m.group(2) or ""
        if start is None:
            start = number
        if tag in ("N1", "NO"):
            notes.append(value)
        elif tag == "ER":
            out.append((start, " ".join(notes)))
            notes, start = [], None
    return out


#: Reader formats whose files are tables this module can read a column from.
TABLE_FORMATS = ("csv", "xlsx", "wos_tab")


def _check_table(papers: pd.DataFrame | None, name: str) -> None:
    if papers is None or "source_format" not in papers or not len(papers):
        return
    formats = sorted(set(papers["source_format"].astype(str)) - set(TABLE_FORMATS))
    if formats:
        raise DecisionsError(f"labels are read from table exports (CSV, TSV, XLSX); this file was read as "
                             f"{', '.join(formats)}", file=name)


def _row_numbers(papers: pd.DataFrame, n_rows: int, name: str) -> np.ndarray:
    """For each paper, the 0-based data row of the file it came from."""
    if "source_record" in papers:
        rec = pd.to_numeric(papers["source_record"], errors="coerce")
        if rec.notna().all() and (rec >= 1).all() and (rec <= n_rows).all():
            return rec.to_numpy(dtype=np.int64) - 1
    if len(papers) == n_rows:
        return np.arange(n_rows)
    raise DecisionsError(f"cannot match the {len(papers)} papers to the file's {n_rows} rows "
                         "(no source_record within range, and the counts differ)", file=name)


def read_label_column(path: str | os.PathLike[str], column: str, papers: pd.DataFrame | None = None) -> pd.Series:
    """The raw cells of one column of an export, row-aligned with ``papers``.

    Parameters
    ----------
    path : path-like
        The CSV/TSV/XLSX the papers were read from.
    column : str
        The header (case-insensitive).
    papers : pandas.DataFrame, optional
        Papers read from this file (``source_record`` aligns them); all data rows when None.

    Raises
    ------
    DecisionsError
        When the column is missing (the message lists the headers) or rows cannot be matched.
    """
    name = os.fspath(path)
    _check_table(papers, name)
    header, rows = read_table_rows(path)
    lower = [h.lower() for h in header]
    if column.lower() not in lower:
        raise DecisionsError(f"no column {column!r}; the columns are {header[:30]}", file=name, line=1)
    j = lower.index(column.lower())
    cells = [r[j].strip() if j < len(r) else "" for _, r in rows]
    if papers is None:
        return pd.Series(cells, name=column)
    idx = _row_numbers(papers, len(rows), name)
    return pd.Series([cells[i] for i in idx], index=papers.index, name=column)


def parse_rayyan_note(note: Any) -> tuple[str, str, str] | None:
    """``(decision, reason, reviewers)`` from a Rayyan ``notes`` cell; None without a decision."""
    if not isinstance(note, str):
        return None
    m = _RAYYAN.search(note)
    if not m:
        return None
    votes = _RAYYAN_PAIR.findall(m.group(1))
    if not votes:
        return None
    kinds = {v.strip().lower() for _, v in votes}
    decision = "include" if kinds == {"included"} else "exclude" if kinds == {"excluded"} else "maybe"
    r = _RAYYAN_REASONS.search(note)
    reason = r.group(1).strip() if r else ""
    return decision, reason, ", ".join(name for name, _ in votes)


def read_prior_decisions(path: str | os.PathLike[str], papers: pd.DataFrame, *,
                         columns: Sequence[str] = LABEL_COLUMNS) -> pd.DataFrame:
    """Decisions carried by an export (ASReview label columns or Rayyan notes), for ``papers`` read from it.

    Returns
    -------
    pandas.DataFrame
        A decisions table (:data:`DECISION_COLUMNS` and ``line``) with one row per labelled
        paper; empty when the file carries no labels. ``reviewer`` names the tool.
    """
    name = os.fspath(path)
    if "source_format" in papers and len(papers) and set(papers["source_format"].astype(str)) == {"ris"}:
        return _asreview_ris_decisions(name, papers)
    _check_table(papers, name)
    header, rows = read_table_rows(path)
    lower = [h.lower() for h in header]
    idx = _row_numbers(papers, len(rows), name)
    ids = papers["id"].tolist() if "id" in papers else [""] * len(papers)
    dois = papers["doi"].tolist() if "doi" in papers else [""] * len(papers)
    titles = papers["title"].tolist() if "title" in papers else [""] * len(papers)
    out = []
    label = next((c for c in columns if c.lower() in lower), None)
    notes = lower.index("notes") if "notes" in lower else None
    for k, i in enumerate(idx):
        line, row = rows[i]
        decision = reason = reviewer = ""
        if label is not None:
            j = lower.index(label.lower())
            cell = row[j].strip().lower() if j < len(row) else ""
            if cell in ("1", "1.0", "true"):
                decision = "include"
            elif cell in ("0", "0.0", "false"):
                decision = "exclude"
            elif cell not in ("", "-1", "nan", "none"):
                raise DecisionsError(f"cannot read {row[j]!r} in column {label!r} as a label (1, 0 or empty)",
                                     file=name, line=line)
            reason, reviewer = f"prior label ({label} = {cell})" if decision else "", f"export: {label}"
        if not decision and notes is not None and notes < len(row):
            parsed = parse_rayyan_note(row[notes])
            if parsed:
                decision, reason, who = parsed
                reviewer = f"Rayyan: {who}"
        if decision:
            out.append({"id": ids[k], "doi": dois[k] or "", "title": titles[k] or "", "decision": decision,
                        "reason": reason, "reviewer": reviewer, "date": "", "line": line})
    frame = pd.DataFrame(out, columns=DECISION_COLUMNS + ["line"])
    frame["line"] = frame["line"].astype("Int64")
    return frame


def _asreview_ris_decisions(name: str, papers: pd.DataFrame) -> pd.DataFrame:
    """Decisions from ASReview's RIS export: ``ASReview_relevant`` / ``_irrelevant`` in the notes."""
    records = read_ris_notes(name)
    idx = _row_numbers(papers, len(records), name)
    out = []
    for k, i in enumerate(idx):
        line, notes = records[i]
        m = _ASREVIEW_RIS.search(notes)
        if not m or m.group(1).lower() == "not_seen":
            continue
        decision = "include" if m.group(1).lower() == "relevant" else "exclude"
        out.append({"id": papers["id"].iloc[k], "doi": papers["doi"].iloc[k] if "doi" in papers else "",
                    "title": papers["title"].iloc[k], "decision": decision,
                    "reason": f"prior label (ASReview_{m.group(1)})", "reviewer": "export: ASReview RIS",
                    "date": "", "line": line})
    frame = pd.DataFrame(out, columns=DECISION_COLUMNS + ["line"])
    frame["line"] = frame["line"].astype("Int64")
    return frame
