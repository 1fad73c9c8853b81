"""Apache Parquet tables of records, read with pyarrow.

Columns are either canonical (a litscope frame saved with ``df.to_parquet``: list columns
for authors and keywords) or named as in CSV exports, mapped the same way
(:mod:`litscope.sources._columns`); ``columns=`` overrides.

Examples
--------
>>> import io, pandas as pd
>>> buf = io.BytesIO()
>>> pd.DataFrame({"title": ["A study"], "authors": [["Doe, Jane"]]}).to_parquet(buf)
>>> _ = buf.seek(0)
>>> read_parquet(buf).frame[["title", "authors"]].values.tolist()
[['A study', ['Doe, Jane']]]
"""

from __future__ import annotations

import io
from typing import Any, Mapping


from .._optional import import_optional
from ..errors import (FormatDetectionError, InputError, LitscopeError, ParameterError,
                      RecordError)
from ..records import FileRecords, SkippedRecord
from ..schema import to_file_records
from ._columns import build_record, describe, has_text, iter_nonblank, map_columns
from ._io import PathOrBuffer, Sample, read_bytes, source_name

FORMAT = "parquet"
EXTENSIONS = (".parquet", ".pq")


def sniff(sample: Sample) -> float:
    """Parquet files start (and end) with the magic bytes ``PAR1``."""
    return 0.95 if sample.head.startswith(b"PAR1") else 0.0


def read_parquet(path: PathOrBuffer, *, errors: str = "skip", columns: Mapping[str, str] | None = None,
                 encoding: str | None = None) -> FileRecords:
    """Read a table of records from a Parquet file.

    Parameters
    ----------
    path : str, path-like or file-like
        The Parquet file.
    errors : {'skip', 'raise'}
        What to do with a row that has neither title nor abstract.
    columns : mapping, optional
        ``{"column": "canonical field"}`` overrides.
    encoding : None
        Accepted for the reader contract; Parquet strings are UTF-8.

    Raises
    ------
    InputError
        When the file is not readable Parquet.
    FormatDetectionError
        When no column holds titles or abstracts.
    RecordError
        With ``errors='raise'``, for the first bad row (record = line = 1-based row).
    """
    if errors not in ("skip", "raise"):
        raise ParameterError(f"errors must be 'skip' or 'raise', not {errors!r}")
    pq = import_optional("pyarrow.parquet", "Reading Parquet files", "formats", name="pyarrow")
    name = source_name(path)
    data = read_bytes(path)
    try:
        table = pq.read_table(io.BytesIO(data))
        header = [str(c) for c in table.column_names]
        mapping = map_columns(header, columns)
        if "title" not in mapping and "abstract" not in mapping:
            raise FormatDetectionError(f"no title or abstract column among {header[:30]}; "
                                       "pass columns={'<column>': 'title'}", file=name)
        wanted = sorted({i for cols in mapping.values() for i, _ in cols})
        cells = {i: table.column(i).to_pylist() for i in wanted}
    except LitscopeError:  # ours already name the file and the problem
        raise
    except Exception as exc:  # pyarrow.ArrowInvalid, OSError, ...: not (readable) Parquet
        raise InputError(f"not a readable Parquet file: {type(exc).__name__}: {exc}", file=name) from exc
    records: list[dict[str, Any]] = []
    skipped: list[SkippedRecord] = []
    width = len(header)
    number = 0
    for r in range(table.num_rows):
        row: list[Any] = [None] * width
        for i in wanted:
            row[i] = cells[i][r]
        if not iter_nonblank(row):
            continue
        number = r + 1
        rec = build_record(row, mapping)
        if not has_text(rec):
            reason = "row has neither title nor abstract"
            if errors == "raise":
                raise RecordError(reason, file=name, record=number, line=number)
            skipped.append(SkippedRecord(name, number, number, reason))
            continue
        rec["source_record"] = number
        records.append(rec)
    return to_file_records(records, source_format=FORMAT, source_file=name, skipped=skipped,
                           details={"columns": describe(mapping)})
