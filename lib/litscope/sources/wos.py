"""Web of Science plain text ("Plain Text File" export, the ISI tagged format).

A header ``FN Clarivate Analytics Web of Science`` / ``VR 1.0``, then records
that start with ``PT J`` (publication type) and end with ``ER``; ``EF`` ends the
file. Each line is a two-character tag, a space and the value; further values or
wrapped text follow on lines indented by three spaces (one author per line in
``AU``/``AF``, wrapped text in ``TI``, ``AB``, ``DE``, ``ID``).

Kept besides the citation: VL, IS, BP-EP (or AR), BN, SN/EI; TC (else Z9) as the citation
count with DA (export date); CR references; LA language; DT document type; C1 affiliations
(without the '[authors]' groups); FU funding.

Examples
--------
>>> import io
>>> text = (b"FN Clarivate Analytics Web of Science\\nVR 1.0\\nPT J\\nAU Doe, J\\n   Roe, R\\n"
...         b"AF Doe, Jane\\n   Roe, Richard\\nTI A long\\n   title\\nPY 2017\\nDI 10.1000/X\\nER\\nEF\\n")
>>> df = read_wos(io.BytesIO(text)).frame
>>> df[["title", "year", "doi"]].values.tolist(), df.loc[0, "authors"]
([['A long title', 2017, '10.1000/x']], ['Doe, Jane', 'Roe, Richard'])
"""

from __future__ import annotations

import re
from typing import Any


from ..errors import InputError
from ..records import FileRecords
from ..schema import to_file_records
from ._io import PathOrBuffer, Sample
from ._headers import split_cell_list
from ._tagged import TaggedRecord, finish, run_reader, stray_lines

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


def read_wos(path: PathOrBuffer, *, encoding: str | None = None, errors: str = "skip") -> FileRecords:
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
    FileRecords
        Canonical records (``frame``); ``skipped`` lists records not loaded.

    Raises
    ------
    RecordError
        With ``errors='raise'``, for the first record with neither title nor abstract.
    InputError
        When the file cannot be read or holds no WoS record.
    """
    return run_reader(path, encoding=encoding, errors=errors, fmt=FORMAT,
                      format_label="Web of Science text", parse=_parse)


def _parse(text: str, name: str, errors: str) -> FileRecords:
    records: list[TaggedRecord] = []
    current: TaggedRecord | None = None
    stray: list[int] = []
    framed = False  # an FN/VR header or EF seen: a valid export, possibly with no record
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        m = _FIELD.match(line)
        if not m or line[0].isspace():  # an indented line: more of the field above, or stray
            if current is None:
                stray.append(number)
            else:
                current.continue_last(line.strip())
            continue
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
            current = TaggedRecord(len(records) + 1, number, list_tags=_LIST_TAGS)
            records.append(current)
        current.add(tag, value)
    if not records and framed and not stray:
        return to_file_records([], source_format=FORMAT, source_file=name)
    if not records:
        raise InputError("no Web of Science record (no 'PT ' line and no two-letter fields)",
                         file=name, line=stray[0] if stray else None)
    return finish(records, _to_row, name=name, errors=errors, fmt=FORMAT,
                  skipped=stray_lines(name, stray, "WoS"))


def _to_row(rec: TaggedRecord) -> dict[str, Any]:
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
        "volume": rec.first("VL"),
        "issue": rec.first("IS"),
        "pages": rec.first("BP") or rec.first("AR"),
        "page_end": rec.first("EP"),
        "isbn": "; ".join(rec.all("BN")),
        "issn": "; ".join(rec.all("SN", "EI")),
        # TC: times cited in the Core Collection (what bibliometrix reads); Z9: in all databases
        "cited_by": rec.first("TC") or rec.first("Z9") or None,
        "cited_by_source": "Web of Science",
        "cited_by_date": rec.first("DA"),  # the date of the export, in exports since 2020
        "references": rec.all("CR"),
        "language": rec.first("LA"),
        "document_type": rec.first("DT"),
        "affiliations": [a for value in rec.all("C1") for a in split_cell_list(value)],
        "funding": [f for value in rec.all("FU") for f in split_cell_list(value)],
        "source_record": rec.number,
    }
