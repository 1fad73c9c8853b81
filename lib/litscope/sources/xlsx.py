"""Excel workbooks (.xlsx) holding a table of records, read with openpyxl.

The first sheet whose first non-empty row maps a title or abstract column is read (header
names as for CSV, see :mod:`litscope.sources._columns`); ``sheet=`` picks one by name.

Examples
--------
>>> import io, pandas as pd
>>> buf = io.BytesIO()
>>> pd.DataFrame({"Title": ["A study"], "Year": [2020]}).to_excel(buf, index=False)
>>> _ = buf.seek(0)
>>> read_xlsx(buf).frame[["title", "year"]].values.tolist()
[['A study', 2020]]
"""

from __future__ import annotations

import io
import zipfile
from typing import Any, Mapping


from .._optional import import_optional
from ..errors import (FormatDetectionError, InputError, LitscopeError, ParameterError,
                      RecordError)
from ..records import FileRecords, SkippedRecord
from ..schema import to_file_records
from ._columns import build_record, describe, has_text, iter_nonblank, map_columns, normalize_header
from ._io import PathOrBuffer, Sample, read_bytes, source_name

FORMAT = "xlsx"
EXTENSIONS = (".xlsx", ".xlsm")


def sniff(sample: Sample) -> float:
    """A zip archive (``PK``) holding an ``xl/`` folder: an Office Open XML workbook."""
    head = sample.head
    if not head.startswith(b"PK\x03\x04"):
        return 0.0
    # member names are stored in local headers near the start; sniff samples are truncated zips
    return 0.95 if b"xl/" in head else (0.4 if sample.suffix in EXTENSIONS else 0.0)


def read_xlsx(path: PathOrBuffer, *, errors: str = "skip", columns: Mapping[str, str] | None = None,
              sheet: str | None = None, encoding: str | None = None) -> FileRecords:
    """Read a table of records from an .xlsx workbook.

    Parameters
    ----------
    path : str, path-like or file-like
        The workbook.
    errors : {'skip', 'raise'}
        What to do with a row that has neither title nor abstract.
    columns : mapping, optional
        ``{"header as written": "canonical field"}`` overrides.
    sheet : str, optional
        Sheet to read; by default the first with a title or abstract column.
    encoding : None
        Accepted for the reader contract; workbooks carry their own encoding.

    Raises
    ------
    InputError
        When the file is not a readable workbook.
    FormatDetectionError
        When no sheet has a title or abstract column.
    RecordError
        With ``errors='raise'``, for the first bad row (record = data row, line = sheet row).
    """
    if errors not in ("skip", "raise"):
        raise ParameterError(f"errors must be 'skip' or 'raise', not {errors!r}")
    openpyxl = import_optional("openpyxl", "Reading .xlsx files", "formats")
    name = source_name(path)
    data = read_bytes(path)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, XML errors...: not a workbook
        raise InputError(f"not a readable .xlsx workbook: {type(exc).__name__}: {exc}", file=name) from exc
    try:
        return _read_book(book, name, errors, columns, sheet)
    except LitscopeError:  # ours already name the file and the problem
        raise
    except Exception as exc:  # a damaged part of the workbook found while reading rows
        raise InputError(f"damaged .xlsx workbook: {type(exc).__name__}: {exc}", file=name) from exc
    finally:
        book.close()


def _read_book(book: Any, name: str, errors: str, columns: Mapping[str, str] | None,
               sheet: str | None) -> FileRecords:
    sheets = [book[sheet]] if sheet is not None and sheet in book.sheetnames else list(book.worksheets)
    if sheet is not None and sheet not in book.sheetnames:
        raise FormatDetectionError(f"no sheet {sheet!r}; sheets: {book.sheetnames}", file=name)
    seen_headers = []
    for ws in sheets:
        rows = ws.iter_rows(values_only=True)
        header: list[Any] | None = None
        header_row = 0
        for header_row, row in enumerate(rows, start=1):
            if row and iter_nonblank(row):
                header = ["" if v is None else str(v) for v in row]
                break
        if header is None:
            continue
        seen_headers.append(header)
        try:
            mapping = map_columns(header, columns)
        except Exception:
            if sheet is None and len(sheets) > 1:
                continue  # the override names a column of another sheet
            raise
        if "title" not in mapping and "abstract" not in mapping:
            continue
        springer = "item title" in {normalize_header(h) for h in header}
        records: list[dict[str, Any]] = []
        skipped: list[SkippedRecord] = []
        number = 0
        for line, row in enumerate(rows, start=header_row + 1):
            if not row or not iter_nonblank(row):
                continue
            number += 1
            rec = build_record(list(row), mapping, concatenated_authors=springer)
            if not has_text(rec):
                reason = f"row has neither title nor abstract (sheet {ws.title!r})"
                if errors == "raise":
                    raise RecordError(reason, file=name, record=number, line=line)
                skipped.append(SkippedRecord(name, number, line, reason))
                continue
            rec["source_record"] = number
            records.append(rec)
        return to_file_records(records, source_format=FORMAT, source_file=name, skipped=skipped,
                               details={"sheet": ws.title, "columns": describe(mapping)})
    if not seen_headers:
        return to_file_records([], source_format=FORMAT, source_file=name)  # an empty workbook
    raise FormatDetectionError("no sheet has a title or abstract column (first header row: "
                               f"{seen_headers[0][:30]}); pass columns={{'<header>': 'title'}}", file=name)


def is_workbook(data: bytes) -> bool:
    """Whether bytes are a zip with an ``xl/workbook.xml`` member."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "xl/workbook.xml" in z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
