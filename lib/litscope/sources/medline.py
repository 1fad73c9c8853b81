"""MEDLINE / PubMed tagged text (``.nbib``, "PMID- " format, also ERIC's nbib).

Each line is a tag padded to four characters, a dash and the value
(``PMID- 12345``, ``TI  - A title``); long values go on in lines indented by six
spaces. Records are separated by blank lines (a new ``PMID-`` line also starts one).
Kept besides the citation: VI volume, IP issue, PG pages, IS ISSN, ISBN, LA language, PT
publication types, AD affiliations and GR grants.

Examples
--------
>>> import io
>>> text = (b"PMID- 123\\nDP  - 2002 Sep\\nTI  - A title\\n      going on.\\n"
...         b"FAU - Doe, Jane\\nAU  - Doe J\\nAID - 10.1000/X [doi]\\n")
>>> df = read_medline(io.BytesIO(text)).frame
>>> df[["title", "year", "doi", "pmid"]].values.tolist(), df.loc[0, "authors"]
([['A title going on', 2002, '10.1000/x', '123']], ['Doe, Jane'])
"""

from __future__ import annotations

import re
from typing import Any


from ..errors import InputError
from ..records import FileRecords
from ._io import PathOrBuffer, Sample
from ._tagged import TaggedRecord, finish, run_reader, split_blocks, stray_lines

FORMAT = "medline"
EXTENSIONS = (".nbib", ".medline", ".txt")

#: 'PMID- 1', 'TI  - x', 'OWN - NLM', 'ISSN- x': a tag of 2-4 capitals/digits padded to four, then '- '.
_FIELD = re.compile(r"^([A-Z][A-Z0-9]{1,3}) {0,3}-(?: (.*)|\s*)$")
#: Tags found only in MEDLINE-style files (RIS has 2-character tags, WoS has no dash).
_MEDLINE_ONLY = re.compile(r"^(?:PMID|OWN |STAT|DCOM|LR  |FAU |JID |EDAT|MHDA|CRDT|PHST|PST |AID |LID |"
                           r"OID |ISSN|PMC |DEP |SB  |JT  |TA  |MH  |OT  |GR  |CIN |PL  )-", re.M)
#: '<token> [doi]' / '<token> [arxiv]': '(?<!\S)' starts only at a token's start; '(\S+)\s*\[doi\]'
#: alone rescans the rest of a long token from each of its characters (quadratic).
_DOI_TAGGED = re.compile(r"(?<!\S)(\S+)\s*\[doi\]", re.I)
_DOI_START = re.compile(r"10\.\d{4,9}/\S")
_DOI_ANY = re.compile(r"(10\.\d{4,9}/[^\s\[\]]+)")
_DOI_IN_SO = re.compile(r"doi:\s*(10\.\d{4,9}/\S+)", re.I)
_ARXIV_TAGGED = re.compile(r"(?<!\S)(\S+)\s*\[arxiv\]", re.I)


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


def read_medline(path: PathOrBuffer, *, encoding: str | None = None, errors: str = "skip") -> FileRecords:
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
    FileRecords
        Canonical records (``frame``); ``skipped`` lists records not loaded.

    Raises
    ------
    RecordError
        With ``errors='raise'``, for the first record with neither title nor abstract.
    InputError
        When the file cannot be read or holds no MEDLINE field at all.
    """
    return run_reader(path, encoding=encoding, errors=errors, fmt=FORMAT,
                      format_label="MEDLINE", parse=_parse)


def _parse(text: str, name: str, errors: str) -> FileRecords:
    # A blank line ends a record, a second 'PMID-' starts one; an indented line wraps the
    # value above, lists included (MEDLINE puts one author or MeSH term per tagged line).
    records, junk = split_blocks(text, _FIELD, opener="PMID")
    if not records:
        raise InputError("no MEDLINE record (no 'XXXX- value' field lines)", file=name,
                         line=junk[0] if junk else None)
    return finish(records, _to_row, name=name, errors=errors, fmt=FORMAT,
                  skipped=stray_lines(name, junk, "MEDLINE"))


def _to_row(rec: TaggedRecord) -> dict[str, Any]:
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
        "volume": rec.first("VI"),
        "issue": rec.first("IP"),
        "pages": rec.first("PG"),
        "isbn": "; ".join(rec.all("ISBN")),
        "issn": "; ".join(rec.all("IS")),
        "language": rec.all("LA"),
        "document_type": rec.all("PT"),
        "affiliations": rec.all("AD"),
        "funding": rec.all("GR"),
        "source_record": rec.number,
    }


def _doi(rec: TaggedRecord, lids: list[str]) -> str:
    for value in lids:
        for m in _DOI_TAGGED.finditer(value):
            doi = _DOI_START.search(m.group(1))  # 'doi:10.1000/x [doi]': the DOI inside the token
            if doi:
                return m.group(1)[doi.start():]
    for value in lids:  # ERIC: 'AID - http://dx.doi.org/10.1000/123'
        if "[" not in value:
            m = _DOI_ANY.search(value)
            if m:
                return m.group(1)
    m = _DOI_IN_SO.search(rec.first("SO"))
    return m.group(1) if m else ""
