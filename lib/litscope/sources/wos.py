"""Web of Science plain text ("Plain Text File" export, the ISI tagged format).

A header ``FN Clarivate Analytics Web of Science`` / ``VR 1.0``, then records
that start with ``PT J`` (publication type) and end with ``ER``; ``EF`` ends the
file. Each line is a two-character tag, a space and the value; further values or
wrapped text follow on lines indented by three spaces (one author per line in
``AU``/``AF``, wrapped text in ``TI``, ``AB``, ``DE``, ``ID``).

Examples
--------
>>> import io
>>> text = (b"FN Clarivate Analytics Web of Science\\nVR 1.0\\nPT J\\nAU Doe, J\\n   Roe, R\\n"
...         b"AF Doe, Jane\\n   Roe, Richard\\nTI A long\\n   title\\nPY 2017\\nDI 10.1000/X\\nER\\nEF\\n")
>>> df = read_wos(io.BytesIO(text))
>>> df[["title", "year", "doi"]].values.tolist(), df.loc[0, "authors"]
([['A long title', 2017, '10.1000/x']], ['Doe, Jane', 'Roe, Richard'])
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from ..errors import InputError, LitscopeError, ParameterError, RecordError
from ..schema import SkippedRecord, clean_text, normalize_record, to_frame
from ._io import PathOrBuffer, Sample, read_text, source_name

FORMAT = "wos"
EXTENSIONS = (".txt", ".isi", ".ciw")

#: 'TI Title', 'ER', 'EF': a two-character tag, then a space and the value or nothing.
_FIELD = re.compile(r"^([A-Z][A-Z0-9])(?: (.*)|\s*)$")
#: Lines whose value starts with a dash belong to RIS/MEDLINE ('TI  - x'), not to WoS.
_DASHED = re.compile(r"^[A-Z][A-Z0-9]{1,3} {0,3}- ")
_LIST_TAGS = {"AU", "AF", "CR", "C1", "BE", "BF", "CA"}
_HEADER_TAGS = {"FN", "VR"}


def sniff(sample: Sample) -> float:
    """WoS plain text: an ``FN``/``VR`` header or ``PT J`` record starts, two-letter tags without dashes.

    Examples
    --------
    >>> sniff(Sample.from_bytes("x.txt", b"FN Clarivate Analytics Web of Science\\nVR 1.0\\nPT J\\nTI T\\nER\\n"))
    0.95
    >>> sniff(Sample.from_bytes("x.txt", b"PMID- 1\\nPT  - Journal Article\\n"))
    0.0
    """
    text = sample.text
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if not lines:
        return 0.0
    if sum(1 for ln in lines if _DASHED.match(ln)) > 0.2 * len(lines):
        return 0.0
    head = lines[0]
    tagged = [m.group(1) for m in map(_FIELD.match, lines) if m]
    indented = sum(1 for ln in lines if ln.startswith("   "))
    if len(tagged) + indented < 0.8 * len(lines):
        return 0.0
    starts = sum(1 for ln in lines if re.match(r"^PT [A-Z]\s*$", ln))
    header = head.startswith("FN ") and any(ln.startswith("VR ") for ln in lines[:3])
    known = sum(1 for t in tagged if t in {"AU", "AF", "TI", "SO", "PY", "UT", "DI", "AB", "DE", "ID"})
    if header and (starts or "ER" in tagged or known):
        return 0.95
    if re.match(r"^PT [A-Z]\s*$", head) and known >= 2:
        return 0.9
    if header:
        return 0.6
    if starts and known >= 2:
        return 0.5
    return 0.0


def read_wos(path: PathOrBuffer, *, encoding: str | None = None, errors: str = "skip") -> pd.DataFrame:
    """Read a Web of Science plain-text export.

    Parameters
    ----------
    path : str, path-like or file-like
        The export (``savedrecs.txt``).
    encoding : str, optional
        Text encoding; detected when omitted.
    errors : {'skip', 'raise'}
        What to do with a record that has neither title nor abstract.

    Returns
    -------
    pandas.DataFrame
        Canonical records; ``attrs["skipped"]`` lists records not loaded.

    Raises
    ------
    RecordError
        With ``errors='raise'``, for the first record with neither title nor abstract.
    InputError
        When the file cannot be read or holds no WoS record.
    """
    if errors not in ("skip", "raise"):
        raise ParameterError(f"errors must be 'skip' or 'raise', not {errors!r}")
    name = source_name(path)
    try:
        text, used = read_text(path, encoding=encoding)
        df = _parse(text, name, errors)
    except LitscopeError:
        raise
    except Exception as exc:  # the reader contract: only litscope errors leave a reader
        raise InputError(f"cannot parse as Web of Science text: {type(exc).__name__}: {exc}",
                         file=name) from exc
    df.attrs["encoding"] = used
    return df


class _Record:
    def __init__(self, number: int, line: int) -> None:
        self.number = number
        self.line = line
        self.fields: dict[str, list[str]] = {}
        self.last: str | None = None

    def add(self, tag: str, value: str) -> None:
        self.fields.setdefault(tag, []).append(value)
        self.last = tag

    def continue_last(self, text: str) -> None:
        if self.last is None:
            return
        values = self.fields[self.last]
        if self.last in _LIST_TAGS:
            values.append(text)
        else:
            values[-1] = f"{values[-1]} {text}".strip()

    def first(self, *tags: str) -> str:
        for tag in tags:
            for value in self.fields.get(tag, ()):
                if clean_text(value):
                    return value
        return ""

    def all(self, *tags: str) -> list[str]:
        return [v for tag in tags for v in self.fields.get(tag, ()) if v.strip()]


def _parse(text: str, name: str, errors: str) -> pd.DataFrame:
    if not text.strip():
        return to_frame([], source_format=FORMAT, source_file=name)
    records: list[_Record] = []
    current: _Record | None = None
    stray: list[int] = []
    framed = False  # an FN/VR header or EF seen: a valid export, possibly with no record
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        m = _FIELD.match(line)
        if m and not line[0].isspace():
            tag, value = m.group(1), (m.group(2) or "").strip()
            if tag == "EF":
                framed = True
                break
            if tag == "ER":
                current = None
                continue
            if tag in _HEADER_TAGS and current is None:
                framed = True
                continue
            if tag == "PT" or current is None:
                # 'PT' opens a record; any other field outside a record opens one too (lenient).
                current = _Record(len(records) + 1, number)
                records.append(current)
            current.add(tag, value)
        elif current is not None:
            current.continue_last(line.strip())
        else:
            stray.append(number)
    if not records and framed and not stray:
        return to_frame([], source_format=FORMAT, source_file=name)
    if not records:
        raise InputError("no Web of Science record (no 'PT ' line and no two-letter fields)",
                         file=name, line=stray[0] if stray else None)
    skipped: list[SkippedRecord] = []
    if stray:
        skipped.append(SkippedRecord(name, None, stray[0],
                                     f"{len(stray)} line(s) outside any record are not WoS fields"))
    rows: list[dict[str, Any]] = []
    for rec in records:
        row = _to_row(rec)
        norm = normalize_record(row)
        if not norm["title"] and not norm["abstract"]:
            reason = "record has neither title nor abstract"
            if errors == "raise":
                raise RecordError(reason, file=name, record=rec.number, line=rec.line)
            skipped.append(SkippedRecord(name, rec.number, rec.line, reason))
            continue
        rows.append(row)
    return to_frame(rows, source_format=FORMAT, source_file=name, skipped=skipped)


def _to_row(rec: _Record) -> dict[str, Any]:
    keywords = [k for value in rec.all("DE", "ID") for k in value.split(";")]
    authors = rec.all("AF") or rec.all("AU")
    # 'AU Doe, J; Roe, R' on one line (some exporters) is still one author per item.
    authors = [a for value in authors for a in value.split(";")]
    return {
        "title": rec.first("TI"),
        "abstract": rec.first("AB"),
        "authors": authors,
        "year": rec.first("PY") or rec.first("EA", "PD", "EY"),
        "venue": rec.first("SO", "SE", "J9", "JI", "CT"),
        "doi": rec.first("DI", "D2"),
        "arxiv_id": "",
        "pmid": rec.first("PM"),
        "url": "",
        "keywords": keywords,
        "source_record": rec.number,
    }
