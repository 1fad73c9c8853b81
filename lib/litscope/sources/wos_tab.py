"""Web of Science tab-delimited exports ("Tab-delimited file", UTF-8 or UTF-16).

The header row holds two-character field codes (``PT AU BA BE GP AF ... TI SO ... AB ... PY
... DI ... UT``); each following line is one record. Cells are not quoted. Mapped: TI title,
AB abstract, AF (full names; else AU) authors, PY (else EA, early access) year, SO venue,
DI doi, DE + ID keywords, PM pmid; UT (the WoS accession number) makes the url.

Examples
--------
>>> import io
>>> data = b"PT\\tAU\\tTI\\tSO\\tPY\\tUT\\nJ\\tDoe, J\\tA study\\tNATURE\\t2020\\tWOS:000123\\n"
>>> read_wos_tab(io.BytesIO(data)).frame[["title", "authors", "year"]].values.tolist()
[['A study', ['Doe, J'], 2020]]
"""

from __future__ import annotations

import re
from typing import Any


from ..errors import FormatDetectionError, ParameterError, RecordError
from ..records import FileRecords, SkippedRecord
from ..schema import to_file_records
from ._columns import WOS_CODES, build_record, has_text, iter_nonblank, map_columns
from ._io import PathOrBuffer, Sample, read_text, source_name

FORMAT = "wos_tab"
EXTENSIONS = (".txt", ".tsv", ".tab")

_CODE = re.compile(r"^[A-Z][A-Z0-9]$")
_URL = "https://www.webofscience.com/wos/woscc/full-record/"


def _header(text: str) -> list[str] | None:
    """The header cells when the first line is a row of WoS field codes including PT/TI."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    cells = [c.strip() for c in first.split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    codes = [c for c in cells if _CODE.match(c)]
    if len(cells) < 3 or len(codes) < 0.9 * len(cells) or "TI" not in cells or not {"PT", "AU", "UT"} & set(cells):
        return None
    return cells


def sniff(sample: Sample) -> float:
    """First line: tab-separated two-character WoS codes including PT/AU/UT and TI."""
    return 0.95 if _header(sample.text) else 0.0


def read_wos_tab(path: PathOrBuffer, *, encoding: str | None = None, errors: str = "skip") -> FileRecords:
    """Read a Web of Science tab-delimited export.

    Parameters
    ----------
    path : str, path-like or file-like
        The export (``savedrecs.txt``).
    encoding : str, optional
        Text encoding; detected when omitted (UTF-8 or UTF-16 with BOM, as WoS writes).
    errors : {'skip', 'raise'}
        What to do with a line that has neither title nor abstract.

    Returns
    -------
    FileRecords
        Canonical records (``frame``); ``skipped`` lists the lines not loaded.

    Raises
    ------
    FormatDetectionError
        When the first line is not a header of WoS field codes.
    RecordError
        With ``errors='raise'``, for the first bad line.
    """
    if errors not in ("skip", "raise"):
        raise ParameterError(f"errors must be 'skip' or 'raise', not {errors!r}")
    name = source_name(path)
    text, used = read_text(path, encoding=encoding)
    text = text.replace("\0", "")
    if not text.strip():
        return to_file_records([], source_format=FORMAT, source_file=name, encoding=used)
    header = _header(text)
    if header is None:
        raise FormatDetectionError("not a Web of Science tab-delimited file: the first line is not a "
                                   "row of field codes (PT, AU, TI, ...)", file=name)
    mapping = map_columns(header, table=WOS_CODES, exact=True)
    ut = header.index("UT") if "UT" in header else None
    records: list[dict[str, Any]] = []
    skipped: list[SkippedRecord] = []
    number = 0
    for line_no, line in enumerate(text.split("\n")[1:], start=2):
        row = line.rstrip("\r").split("\t")
        if not iter_nonblank(row):
            continue
        number += 1
        rec = build_record(row, mapping)
        if not has_text(rec):
            reason = "line has neither title (TI) nor abstract (AB)"
            if errors == "raise":
                raise RecordError(reason, file=name, record=number, line=line_no)
            skipped.append(SkippedRecord(name, number, line_no, reason))
            continue
        if ut is not None and ut < len(row) and row[ut].strip():
            rec["url"] = _URL + row[ut].strip()
        rec["source_record"] = number
        records.append(rec)
    return to_file_records(records, source_format=FORMAT, source_file=name, skipped=skipped, encoding=used)
