"""Delimited tables (CSV, TSV, semicolon-separated) exported by literature databases.

The delimiter (``,`` ``;`` or tab) is sniffed from the header row; columns are mapped to
canonical fields by their normalised header names (Scopus old and new headers, IEEE Xplore,
Springer Link, Embase, PubMed, ASReview-style generic tables, a litscope frame saved with
``to_csv``), see :data:`litscope.sources._columns.GENERIC_HEADERS`. ``columns=`` overrides.

A file is only claimed when its header row has a title or abstract column, so plain text
and other tab-separated formats are not taken for tables.

Examples
--------
>>> import io
>>> data = b"Title;Authors;Year\\nA study;Doe J., Roe R.;2020\\n"
>>> result = read_csv(io.BytesIO(data))
>>> df = result.frame
>>> df.loc[0, "title"], int(df.loc[0, "year"]), df.loc[0, "authors"], result.details["delimiter"]
('A study', 2020, ['Doe, J.', 'Roe, R.'], ';')
"""

from __future__ import annotations

import csv as _csv
import io
import re
import sys
from typing import Any, Iterator, Mapping


from ..csvsafe import unescape_cell
from ..errors import FormatDetectionError, ParameterError, RecordError
from ..records import FileRecords, SkippedRecord, as_notes
from ..schema import to_file_records
from ._columns import build_record, describe, has_text, iter_nonblank, map_columns, normalize_header
from ._io import PathOrBuffer, Sample, read_text, source_name

FORMAT = "csv"
EXTENSIONS = (".csv", ".tsv", ".tab")

_DELIMITERS = (",", ";", "\t")
# Columns that only a litscope export (corpus.csv, papers.csv, a saved frame) has.
_LITSCOPE_COLUMNS = {"id", "source file", "source record"}


def _first_row(text: str, delimiter: str) -> list[str]:
    try:
        return [h.replace("\0", "") for h in next(_csv.reader(io.StringIO(text), delimiter=delimiter), [])]
    except _csv.Error:
        return []


_SEP_HINT = re.compile(r"sep=([^\"\n\r])[ \t]*\n")


def choose_delimiter(text: str) -> tuple[str, list[str]]:
    """The delimiter whose header row maps the most canonical fields (ties: more columns).

    An Excel ``sep=;`` first line names the delimiter.

    >>> choose_delimiter("title\\tabstract\\tyear\\nA\\tB\\t2020\\n")
    ('\\t', ['title', 'abstract', 'year'])
    >>> choose_delimiter("sep=;\\nTitle;Year\\n")
    (';', ['Title', 'Year'])
    """
    hint = _SEP_HINT.match(text)
    if hint:
        return hint.group(1), _first_row(text[hint.end():hint.end() + 200_000], hint.group(1))
    head = text[:200_000]
    best: tuple[int, int, int, str, list[str]] | None = None
    for order, delim in enumerate(_DELIMITERS):
        header = _first_row(head, delim)
        mapped = len(map_columns(header)) if header else 0
        key = (mapped, len(header), -order, delim, header)
        if best is None or key[:3] > best[:3]:
            best = key
    assert best is not None
    return best[3], best[4]


def sniff(sample: Sample) -> float:
    """A header row mapping a title or abstract column: 0.6 to 0.9 with more mapped fields."""
    text = sample.text.lstrip()
    if not text or text[0] in "{[<@%":
        return 0.0
    first_line = text.split("\n", 1)[0]
    if not any(d in first_line for d in _DELIMITERS):
        return 0.0  # a single column is text, not a table
    _, header = choose_delimiter(text)
    mapping = map_columns(header)
    if "title" not in mapping and "abstract" not in mapping:
        return 0.0
    return min(0.9, 0.5 + 0.1 * len(mapping))


def _rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Rows with the 1-based line each starts on."""
    # only '\n' ends a line: str.splitlines would also split at form feeds and U+2028 inside cells
    reader = _csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        yield line, row
        line = reader.line_num + 1


def read_csv(path: PathOrBuffer, *, encoding: str | None = None, errors: str = "skip",
             columns: Mapping[str, str] | None = None, delimiter: str | None = None) -> FileRecords:
    """Read a CSV/TSV export.

    Parameters
    ----------
    path : str, path-like or file-like
        The table.
    encoding : str, optional
        Text encoding; detected when omitted.
    errors : {'skip', 'raise'}
        What to do with a row that has neither title nor abstract or cannot be parsed.
    columns : mapping, optional
        ``{"header as written": "canonical field"}``, e.g. ``{"My Title": "title"}``; wins over
        the built-in header names.
    delimiter : str, optional
        Force the delimiter instead of sniffing it.

    Returns
    -------
    FileRecords
        Canonical records (``frame``), ``encoding``, ``details``: ``delimiter``, ``columns`` (field -> headers
        used), ``skipped`` (file, record = data row number, line, reason) and ``notes``
        (rows with more cells than the header, kept and mapped by position).

    Raises
    ------
    FormatDetectionError
        When the header row has no title or abstract column (and ``columns`` names none).
    RecordError
        With ``errors='raise'``, for the first bad row.
    """
    if errors not in ("skip", "raise"):
        raise ParameterError(f"errors must be 'skip' or 'raise', not {errors!r}")
    name = source_name(path)
    text, used = read_text(path, encoding=encoding)
    if not text.strip():
        return to_file_records([], source_format=FORMAT, source_file=name, encoding=used)
    hint = _SEP_HINT.match(text)
    if hint:
        delimiter = delimiter or hint.group(1)
        text = "\n" + text[hint.end():]  # keep line numbers: the hint is line 1
    elif delimiter is None:
        delimiter, _ = choose_delimiter(text)
    if _csv.field_size_limit() < sys.maxsize // 2:
        _csv.field_size_limit(2**31 - 1)  # Scopus 'References' cells can exceed the 128 KiB default
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\n\r':
        raise ParameterError(f"delimiter must be one character other than a quote or newline, not {delimiter!r}")
    rows = _rows(text, delimiter)
    header: list[str] = []
    try:
        while not iter_nonblank(header):
            _, header = next(rows)
            # NULs in cells are removed (and noted) by to_file_records; in the header they would hide a name
            header = [h.replace("\0", "") for h in header]
    except (StopIteration, _csv.Error) as exc:
        raise FormatDetectionError(f"no header row could be read: {exc or 'only blank lines'}",
                                   file=name) from exc
    mapping = map_columns(header, columns)
    if "title" not in mapping and "abstract" not in mapping:
        raise FormatDetectionError(
            "not a table of records: no title or abstract column among "
            f"{[h for h in header][:30]}; pass columns={{'<header>': 'title'}} to name it", file=name)
    springer = "item title" in {normalize_header(h) for h in header}
    ours = _LITSCOPE_COLUMNS <= {normalize_header(h) for h in header}
    nul = "\0" in text
    records: list[dict[str, Any]] = []
    skipped: list[SkippedRecord] = []
    notes: list[dict[str, Any]] = []

    def bad(number: int, line: int, reason: str) -> None:
        if errors == "raise":
            raise RecordError(reason, file=name, record=number, line=line)
        skipped.append(SkippedRecord(name, number, line, reason))

    number = 0
    while True:
        try:
            line, row = next(rows)
        except StopIteration:
            break
        except _csv.Error as exc:
            bad(number + 1, None, f"cannot parse the rest of the file: {exc}")  # type: ignore[arg-type]
            break
        if not iter_nonblank(row) or (nul and not iter_nonblank([c.replace("\0", "") for c in row])):
            continue  # blank lines and rows of empty cells (or only NULs) hold nothing
        number += 1
        if len(row) > len(header) and iter_nonblank(row[len(header):]):
            # Kept (Scopus exports add unnamed 'Funding Text n' columns), but worth knowing:
            # cells right of the extra one are read one column off.
            notes.append({"file": name, "record": number, "line": line,
                          "note": f"row has {len(row)} cells but the header has {len(header)}; "
                                  "cells were mapped by position"})
        if ours:  # a table litscope wrote: undo its spreadsheet-formula quoting
            row = [unescape_cell(c) if c[:1] == "'" else c for c in row]
        rec = build_record(row, mapping, concatenated_authors=springer)
        if not has_text(rec):
            bad(number, line, "row has neither title nor abstract")
            continue
        rec["source_record"], rec["source_line"] = number, line
        records.append(rec)
    return to_file_records(records, source_format=FORMAT, source_file=name, skipped=skipped,
                           notes=as_notes(notes, name), encoding=used,
                           details={"delimiter": delimiter, "columns": describe(mapping)})
