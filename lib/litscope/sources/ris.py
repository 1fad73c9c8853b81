"""RIS (Research Information Systems) tagged text, read leniently.

A record runs from ``TY  - <type>`` to ``ER  - ``; every line in between is
``XX  - value`` or a continuation of the field above it. Exports differ in
details, all accepted here: one or two spaces around the dash, ``ER  -``
without its trailing space, 3-4 letter tags (``PMID  - ``), repeated tags,
untagged continuation lines (joined for titles and abstracts, one item each for
keywords and authors), numbered Ovid preambles (``1.``, ``<1>``), provider
headers (JSTOR, rispy), blank lines inside records, a last record that is
not closed by ``ER``, and fields closed by ``ER`` whose ``TY`` line is missing.
Field lines after ``ER`` that no ``ER`` closes (Ovid's ``NL  - ``) belong to the
record before them; field lines before the first record are listed as skipped.

Kept besides the citation: VL, IS, SP-EP, SN (ISBN or ISSN), LA language, M3 (else the TY
type's name) as the document type, AD affiliations, and what Scopus writes in labelled notes
(N1/U1-U5: 'Cited By :12', 'Export Date: ...', 'References: ...', 'Funding details: ...').

Examples
--------
>>> import io
>>> text = b"TY  - JOUR\\nTI  - A title\\nAU  - Doe, Jane\\nPY  - 2020///\\nDO  - 10.1000/ABC\\nER  -\\n"
>>> df = read_ris(io.BytesIO(text)).frame
>>> df[["title", "year", "doi"]].values.tolist(), df.loc[0, "authors"]
([['A title', 2020, '10.1000/abc']], ['Doe, Jane'])
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote


from ..errors import InputError
from ..records import FileRecords
from ..records import SkippedRecord
from ..schema import normalize_year
from ._io import PathOrBuffer, Sample
from ._notes import labelled_notes
from ._tagged import TaggedRecord, finish, run_reader

FORMAT = "ris"
EXTENSIONS = (".ris", ".txt")

#: A tagged line: 2-4 character tag, one or two spaces (a tab tolerated), a dash, then a
#: space and the value, or nothing at all ('ER  -').
_FIELD = re.compile(r"^([A-Z][A-Z0-9]{1,3})[ \t]{1,2}-(?:[ \t](.*)|[ \t]*)$")
#: Ovid-style record numbers ('1.', '<1>') that precede records.
_NUMBER_LINE = re.compile(r"^\s*(?:<\d+>|\d+\.)\s*$")

_TITLE_TAGS = ("TI", "T1", "CT")
_VENUE_TAGS = ("JF", "JO", "T2", "J2", "JA", "BT")
_URL_TAGS = ("UR", "L1", "L2", "LK", "L4")
#: Fields whose untagged continuation lines are new items rather than more text.
_LIST_TAGS = {"KW", "AU", "A1", "UR", "L1", "L2", "L4", "LK"}

_DOI_IN_TEXT = re.compile(r"(?:doi\.org/|\bdoi[:=]\s*|^\s*)(10\.\d{4,9}/[^\s&?#\"<>]+)", re.I)
_PUBMED_URL = re.compile(r"(?:pubmed\.ncbi\.nlm\.nih\.gov/|ncbi\.nlm\.nih\.gov/pubmed/)(\d{1,9})\b", re.I)
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([^\s?#]+?)(?:\.pdf)?(?:[?#\s]|$)", re.I)
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(\S+)", re.I)
_DATE8 = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)[01]\d[0-3]\d(?!\d)")
#: A name ending in initials, matched on the reversed name: what ``^(.+?)\s+((?:[A-Z]\.\s?-?)+)$``
#: matches, without its quadratic backtracking over a long whitespace run or run of initials
#: (read from the end, each character has one way to be parsed).
_INITIALS_LAST_REVERSED = re.compile(r"((?:-?\s?\.[A-Z])+)\s+(.+)")


def sniff(sample: Sample) -> float:
    """RIS when ``TY  - `` lines open records of ``XX  - value`` fields.

    Examples
    --------
    >>> sniff(Sample.from_bytes("x.ris", b"TY  - JOUR\\nTI  - T\\nER  - \\n"))
    0.95
    >>> sniff(Sample.from_bytes("x.txt", b"PMID- 1\\nTI  - T\\n"))
    0.0
    """
    text = sample.text
    if not text.strip():
        return 0.0
    lines = text.split("\n")
    fields = [m.group(1) for m in map(_FIELD.match, lines) if m]
    if not fields:
        return 0.0
    types = fields.count("TY")
    ends = fields.count("ER")
    # MEDLINE shares the 'XX  - ' shape but has 'PMID- ' and no TY/ER.
    if types == 0:
        return 0.35 if ends and len(fields) >= 3 * ends else 0.0
    if len(fields) >= 2 * types and (ends or len(fields) >= 3):
        return 0.95
    return 0.6


def read_ris(path: PathOrBuffer, *, encoding: str | None = None, errors: str = "skip") -> FileRecords:
    """Read an RIS file.

    Parameters
    ----------
    path : str, path-like or file-like
        The RIS text (any flavour: EndNote, Zotero, Scopus, WoS, ProQuest, Embase, Ovid, Rayyan).
    encoding : str, optional
        Text encoding; detected when omitted.
    errors : {'skip', 'raise'}
        What to do with a record that has neither title nor abstract.

    Returns
    -------
    FileRecords
        Canonical records (``frame``); ``skipped`` lists records and stray field lines not loaded.

    Raises
    ------
    RecordError
        With ``errors='raise'``, for the first record with neither title nor abstract.
    InputError
        When the file cannot be read or has no RIS record at all.
    """
    return run_reader(path, encoding=encoding, errors=errors, fmt=FORMAT,
                      format_label="RIS", parse=_parse)


def _parse(text: str, name: str, errors: str) -> FileRecords:
    records: list[TaggedRecord] = []
    stray: list[tuple[int, str]] = []  # field lines before the first record that belong to none
    current: TaggedRecord | None = None
    closed: TaggedRecord | None = None  # the record just ended
    # Field lines after an ER: a record without its TY line when another ER closes them,
    # else fields trailing the record before (Ovid puts 'NL  - ' after ER).
    pending: TaggedRecord | None = None

    def settle_pending() -> None:
        nonlocal pending
        if pending is not None:
            if closed is not None:
                for tag, values in pending.fields.items():
                    closed.fields.setdefault(tag, []).extend(values)
            else:
                stray.extend((pending.line, tag) for tag in pending.fields for _ in pending.fields[tag])
            pending = None

    for number, line in enumerate(text.split("\n"), start=1):
        m = _FIELD.match(line)
        if m:
            tag, value = m.group(1), (m.group(2) or "").strip()
            if tag == "TY":
                settle_pending()
                current = TaggedRecord(len(records) + 1, number, list_tags=_LIST_TAGS)
                records.append(current)
                current.add("TY", value)
                closed = None
            elif tag == "ER":
                if current is not None:
                    closed, current = current, None
                elif pending is not None:  # fields closed by ER without a TY: still a record
                    pending.number = len(records) + 1
                    records.append(pending)
                    closed, pending = pending, None
            elif current is not None:
                current.add(tag, value)
            else:
                if pending is None:
                    pending = TaggedRecord(0, number, list_tags=_LIST_TAGS)
                pending.add(tag, value)
            continue
        stripped = line.strip()
        target = current or pending
        if not stripped or target is None or _NUMBER_LINE.match(line):
            continue  # blank lines, junk outside records (preambles, Ovid links), '2.' / '<2>'
        target.continue_last(stripped)
    settle_pending()
    if not records:
        if stray:
            first_line = stray[0][0]
            raise InputError(f"no RIS record: field lines ({', '.join(sorted({t for _, t in stray}))}) "
                             "but no 'TY  - ' line opening a record", file=name, line=first_line)
        raise InputError("no RIS record (no 'TY  - ' line)", file=name)
    skipped: list[SkippedRecord] = []
    if stray:
        tags = ", ".join(sorted({t for _, t in stray}))
        skipped.append(SkippedRecord(name, None, stray[0][0],
                                     f"{len(stray)} field line(s) outside any TY...ER record ({tags}) belong to no record"))
    return finish(records, _to_row, name=name, errors=errors, fmt=FORMAT, skipped=skipped)


def _to_row(rec: TaggedRecord) -> dict[str, Any]:
    title = rec.first(*_TITLE_TAGS)
    venue_tags = _VENUE_TAGS
    if not title:
        title = rec.first("BT") or rec.first("ST", "TT")
        venue_tags = tuple(t for t in _VENUE_TAGS if t != "BT")
    abstract = rec.first("AB") or rec.first("N2")
    urls = [u for value in rec.all(*_URL_TAGS) for u in re.split(r"[;\s]+", value) if u]
    link_text = " ".join(urls)
    return {
        "title": title,
        "abstract": abstract,
        "authors": [_author(a) for a in rec.all("AU", "A1")],
        "year": _year(rec),
        "venue": rec.first(*venue_tags),
        "doi": _doi(rec, urls),
        "arxiv_id": _arxiv(rec, link_text),
        "pmid": _pmid(rec, link_text),
        "url": urls[0] if urls else "",
        "keywords": [k for value in rec.all("KW") for k in value.split(";")],
        "source_record": rec.number,
        # evidence against merging same-titled volumes or parts; SN holds an ISBN or an ISSN
        "volume": rec.first("VL"), "issue": rec.first("IS"), "pages": rec.first("SP"),
        "page_end": rec.first("EP"), "isbn": "; ".join(rec.all("SN")), "issn": "; ".join(rec.all("SN")),
        "language": rec.all("LA"),
        "document_type": _document_type(rec),
        "affiliations": rec.all("AD"),
        **labelled_notes(rec.all("N1", "U1", "U2", "U3", "U4", "U5")),  # Scopus: 'Cited By :12', 'References: ...'
    }


#: RIS reference types (TY) by their names in the RIS specification.
_TYPES = {"JOUR": "Journal Article", "CONF": "Conference Proceeding", "CPAPER": "Conference Paper", "BOOK": "Book",
          "CHAP": "Book Section", "THES": "Thesis", "RPRT": "Report", "GEN": "Generic", "ABST": "Abstract",
          "EJOUR": "Electronic Article", "ELEC": "Web Page", "PAT": "Patent", "DATA": "Dataset",
          "NEWS": "Newspaper Article", "MGZN": "Magazine Article", "UNPB": "Unpublished Work", "SER": "Serial",
          "EBOOK": "Electronic Book", "ECHAP": "Electronic Book Section", "INPR": "In Press", "STD": "Standard",
          "COMP": "Computer Program", "PCOMM": "Personal Communication", "JFULL": "Journal (full)"}
_CLASSIFICATION = re.compile(r"\[\d+\]\s*$")  # PsycINFO writes its classification codes in M3


def _document_type(rec: TaggedRecord) -> str:
    """M3 ('Type of Work': Scopus 'Article'), else the name of the TY reference type."""
    kind = rec.first("M3")
    if kind and not _CLASSIFICATION.search(kind):
        return kind
    ty = rec.first("TY").strip().upper()
    return _TYPES.get(ty, ty)


def _author(name: str) -> str:
    """'Liu R.' / 'Adler D.G.' (Embase) as 'Liu, R.' so the initials stay the given names."""
    name = name.strip()
    family, comma, given = name.partition(",")
    if comma and given.strip().lower() in ("null", "none", "nan", "n/a"):
        return family  # 'van den Hoven, null': an exporter's missing given name
    if "," not in name and "\n" not in name:
        m = _INITIALS_LAST_REVERSED.fullmatch(name[::-1])
        if m and not m.group(2).startswith("."):
            return f"{m.group(2)[::-1]}, {m.group(1)[::-1].strip()}"
    return name


def _year(rec: TaggedRecord) -> int | None:
    for value in rec.all("PY", "Y1", "DA", "Y2"):
        year = normalize_year(value)
        if year is None:
            m = _DATE8.search(value)  # 'Start date: 20170812'
            year = int(m.group(1)) if m else None
        if year is not None:
            return year
    return None


def _doi_in(text: str) -> str:
    m = _DOI_IN_TEXT.search(unquote(text))
    return m.group(1).rstrip(".,;)]}") if m else ""


def _doi(rec: TaggedRecord, urls: list[str]) -> str:
    for value in rec.all("DO", "DI"):
        found = _doi_in(value) or (value if "10." in value else "")
        if found:
            return found
    for value in rec.all("M3", "N1") + urls:
        found = _doi_in(value)
        if found:
            return found
    return ""


def _arxiv(rec: TaggedRecord, link_text: str) -> str:
    for value in [link_text, *rec.all("DO")]:
        m = _ARXIV_URL.search(value) or _ARXIV_DOI.search(value)
        if m:
            return m.group(1)
    return ""


def _pmid(rec: TaggedRecord, link_text: str) -> str:
    """A PubMed id only when the record says so: a PMID tag, a PubMed URL, or an MEDLINE accession number."""
    value = rec.first("PMID", "PM")
    if value:
        return value
    m = _PUBMED_URL.search(link_text)
    if m:
        return m.group(1)
    accession = rec.first("AN").strip()
    origin = " ".join(rec.all("DP", "DB")).lower()
    if re.fullmatch(r"\d{1,9}", accession) and any(k in origin for k in ("nlm", "medline", "pubmed")):
        return accession
    return ""
