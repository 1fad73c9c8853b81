"""MEDLINE / PubMed tagged text (``.nbib``, "PMID- " format, also ERIC's nbib).

Each line is a tag padded to four characters, a dash and the value
(``PMID- 12345``, ``TI  - A title``); long values go on in lines indented by six
spaces. Records are separated by blank lines (a new ``PMID-`` line also starts one).

Examples
--------
>>> import io
>>> text = (b"PMID- 123\\nDP  - 2002 Sep\\nTI  - A title\\n      going on.\\n"
...         b"FAU - Doe, Jane\\nAU  - Doe J\\nAID - 10.1000/X [doi]\\n")
>>> df = read_medline(io.BytesIO(text))
>>> df[["title", "year", "doi", "pmid"]].values.tolist(), df.loc[0, "authors"]
([['A title going on', 2002, '10.1000/x', '123']], ['Doe, Jane'])
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from ..errors import InputError, LitscopeError, ParameterError, RecordError
from ..schema import SkippedRecord, clean_text, normalize_record, to_frame
from ._io import PathOrBuffer, Sample, read_text, source_name

FORMAT = "medline"
EXTENSIONS = (".nbib", ".medline", ".txt")

#: 'PMID- 1', 'TI  - x', 'OWN - NLM', 'ISSN- x': a tag of 2-4 capitals/digits padded to four, then '- '.
_FIELD = re.compile(r"^([A-Z][A-Z0-9]{1,3}) {0,3}-(?: (.*)|\s*)$")
#: Tags found only in MEDLINE-style files (RIS has 2-character tags, WoS has no dash).
_MEDLINE_ONLY = re.compile(r"^(?:PMID|OWN |STAT|DCOM|LR  |FAU |JID |EDAT|MHDA|CRDT|PHST|PST |AID |LID |"
                           r"OID |ISSN|PMC |DEP |SB  |JT  |TA  |MH  |OT  |GR  |CIN |PL  )-", re.M)
_LIST_TAGS = {"AU", "FAU", "MH", "OT"}
_DOI_TAGGED = re.compile(r"(10\.\d{4,9}/\S+)\s*\[doi\]", re.I)
_DOI_ANY = re.compile(r"(10\.\d{4,9}/[^\s\[\]]+)")
_DOI_IN_SO = re.compile(r"doi:\s*(10\.\d{4,9}/\S+)", re.I)
_ARXIV_TAGGED = re.compile(r"(\S+)\s*\[arxiv\]", re.I)


def sniff(sample: Sample) -> float:
    """MEDLINE when lines are 4-wide ``XXXX- `` tags with MEDLINE-only tags and no RIS ``TY``.

    Examples
    --------
    >>> sniff(Sample.from_bytes("x.nbib", b"PMID- 1\\nOWN - NLM\\nTI  - T\\n"))
    0.95
    >>> sniff(Sample.from_bytes("x.ris", b"TY  - JOUR\\nTI  - T\\nER  - \\n"))
    0.0
    """
    text = sample.text
    if not text.strip():
        return 0.0
    lines = [ln for ln in text.split("\n") if ln.strip()]
    tagged = [ln for ln in lines if _FIELD.match(ln)]
    if not tagged or any(re.match(r"^(?:TY|ER) {1,2}-", ln) for ln in tagged):
        return 0.0
    indented = sum(1 for ln in lines if ln.startswith("      "))
    if len(tagged) + indented < 0.8 * len(lines):
        return 0.0
    special = len(_MEDLINE_ONLY.findall(text))
    if re.search(r"^PMID- ?\d", text, re.M) and special >= 2:
        return 0.95
    if special >= 2:
        return 0.8
    return 0.0


def read_medline(path: PathOrBuffer, *, encoding: str | None = None, errors: str = "skip") -> pd.DataFrame:
    """Read a MEDLINE/PubMed (``.nbib``) file.

    Parameters
    ----------
    path : str, path-like or file-like
        The MEDLINE text, as PubMed's "Send to: Citation manager" or ERIC export it.
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
        When the file cannot be read or holds no MEDLINE field at all.
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
        raise InputError(f"cannot parse as MEDLINE: {type(exc).__name__}: {exc}", file=name) from exc
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
        if self.last is not None:
            values = self.fields[self.last]
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
    junk: list[int] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            current = None  # a blank line ends the record
            continue
        m = _FIELD.match(line)
        if m and not line.startswith(" "):
            tag, value = m.group(1), (m.group(2) or "").strip()
            if current is None or (tag == "PMID" and "PMID" in current.fields):
                current = _Record(len(records) + 1, number)
                records.append(current)
            current.add(tag, value)
        elif current is not None:
            current.continue_last(line.strip())
        else:
            junk.append(number)
    if not records:
        raise InputError("no MEDLINE record (no 'XXXX- value' field lines)", file=name,
                         line=junk[0] if junk else None)
    skipped: list[SkippedRecord] = []
    if junk:
        skipped.append(SkippedRecord(name, None, junk[0],
                                     f"{len(junk)} line(s) outside any record are not MEDLINE fields"))
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
    pmid = rec.first("PMID")
    lids = rec.all("AID", "LID")
    url = ""
    if re.fullmatch(r"\s*\d{1,9}\s*", pmid or ""):
        url = f"https://pubmed.ncbi.nlm.nih.gov/{pmid.strip()}/"
    else:
        url = next((v.split()[0] for v in lids if v.startswith("http")), "")
    return {
        "title": rec.first("TI", "BTI", "TT"),
        "abstract": rec.first("AB"),
        "authors": rec.all("FAU") or rec.all("AU"),
        "year": rec.first("DP") or rec.first("DEP", "EDAT", "SO"),
        "venue": rec.first("JT", "TA", "BTI" if rec.first("TI") else "JT"),
        "doi": _doi(rec, lids),
        "arxiv_id": next((m.group(1) for v in lids for m in [_ARXIV_TAGGED.search(v)] if m), ""),
        "pmid": pmid,
        "url": url,
        "keywords": rec.all("MH", "OT"),
        "source_record": rec.number,
    }


def _doi(rec: _Record, lids: list[str]) -> str:
    for value in lids:
        m = _DOI_TAGGED.search(value)
        if m:
            return m.group(1)
    for value in lids:  # ERIC: 'AID - http://dx.doi.org/10.1000/123'
        if "[" not in value:
            m = _DOI_ANY.search(value)
            if m:
                return m.group(1)
    m = _DOI_IN_SO.search(rec.first("SO"))
    return m.group(1) if m else ""
