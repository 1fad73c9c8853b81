"""EndNote tagged text (the refer/``.enw``/``.enl`` export): ``%T Title``, ``%A Author``...

Records are blocks of ``%X value`` lines separated by blank lines; a ``%0 <type>``
line starts a new record when the block already has one
(``%0`` is usually first, but AIS eLibrary puts ``%T`` first). Lines without a
``%`` tag continue the field above them.

Tags used: ``%T`` title, ``%A`` authors, ``%J`` journal / ``%B`` secondary title
(venue), ``%D`` year (``%8`` date as fallback), ``%X`` abstract, ``%K`` keywords
(one per line or ``;``-separated), ``%R`` DOI, ``%U`` URL, ``%M`` accession
(a PubMed id only when written ``PMID``); ``%V`` volume, ``%N`` issue, ``%P`` pages, ``%@``
ISBN/ISSN, ``%G`` language, ``%0`` document type, ``%+`` affiliations, labelled ``%Z`` notes.

Examples
--------
>>> import io
>>> text = b"%0 Journal Article\\n%T A title\\n%A Doe, Jane\\n%D 2021\\n%R 10.1000/X\\n\\n%T Another\\n"
>>> df = read_endnote(io.BytesIO(text)).frame
>>> df[["title", "year", "doi"]].values.tolist()
[['A title', 2021, '10.1000/x'], ['Another', <NA>, '']]
"""

from __future__ import annotations

import re
from typing import Any


from ..errors import InputError
from ..records import FileRecords
from ._io import PathOrBuffer, Sample
from ._notes import labelled_notes
from ._tagged import TaggedRecord, finish, run_reader, split_blocks, stray_lines

FORMAT = "endnote"
EXTENSIONS = (".enw", ".enl", ".txt", ".refer")

#: '%T value': a % then one tag character (letter, digit or refer punctuation) and a space.
_FIELD = re.compile(r"^%([0-9A-Z@!#$&()*+^~>?<|\[\]])(?:[ \t](.*)|\s*)$")
_LIST_TAGS = {"A", "E", "K", "U", "Y", "?"}
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([^\s?#]+?)(?:\.pdf)?(?:[?#\s]|$)", re.I)


def sniff(sample: Sample) -> float:
    """EndNote tagged text: most non-blank lines are ``%X value`` refer fields, with a title or author.

    Examples
    --------
    >>> sniff(Sample.from_bytes("x.enw", b"%0 Journal Article\\n%T A title\\n%A Doe, J\\n"))
    0.95
    >>> sniff(Sample.from_bytes("x.bib", b"% a comment\\n@article{k, title={T}}\\n"))
    0.0
    """
    lines = [ln for ln in sample.text.split("\n") if ln.strip()]
    if not lines:
        return 0.0
    tags = [m.group(1) for m in map(_FIELD.match, lines) if m]
    if not tags or not _FIELD.match(lines[0]):
        return 0.0
    share = len(tags) / len(lines)
    if share < 0.5 or not ({"T", "A"} & set(tags)):
        return 0.0
    if "0" in tags or share >= 0.8:
        return 0.95 if share >= 0.6 else 0.7
    return 0.6


def read_endnote(path: PathOrBuffer, *, encoding: str | None = None, errors: str = "skip") -> FileRecords:
    """Read an EndNote tagged (refer) file.

    Parameters
    ----------
    path : str, path-like or file-like
        The export (``.enw``, ``.enl`` text, AIS eLibrary ``.txt``).
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
        When the file cannot be read or holds no ``%`` field.
    """
    return run_reader(path, encoding=encoding, errors=errors, fmt=FORMAT,
                      format_label="EndNote tagged text", parse=_parse)


def _parse(text: str, name: str, errors: str) -> FileRecords:
    # A blank line ends a record, a second '%0' starts one.
    records, stray = split_blocks(text, _FIELD, opener="0", list_tags=_LIST_TAGS)
    if not records:
        raise InputError("no EndNote record (no '%T'/'%A'-style field lines)", file=name,
                         line=stray[0] if stray else None)
    return finish(records, _to_row, name=name, errors=errors, fmt=FORMAT,
                  skipped=stray_lines(name, stray, "EndNote"))


def _to_row(rec: TaggedRecord) -> dict[str, Any]:
    urls = [u for value in rec.all("U") for u in value.split()]
    accession = rec.first("M")
    pmid = accession if re.search(r"\bpmid\b", accession, re.I) else ""
    arxiv = next((m.group(1) for u in urls for m in [_ARXIV_URL.search(u)] if m), "")
    return {
        "title": rec.first("T") or rec.first("Q"),
        "abstract": rec.first("X"),
        "authors": rec.all("A"),
        "year": rec.first("D") or rec.first("8"),
        "venue": rec.first("J", "B"),
        "doi": rec.first("R") or next((u for u in urls if "doi.org/10." in u), ""),
        "arxiv_id": arxiv,
        "pmid": pmid,
        "url": urls[0] if urls else "",
        "keywords": [k for value in rec.all("K") for k in value.split(";")],
        "volume": rec.first("V"),
        "issue": rec.first("N"),
        "pages": rec.first("P"),
        "isbn": "; ".join(rec.all("@")),  # %@ holds an ISBN or an ISSN: each normaliser keeps its own
        "issn": "; ".join(rec.all("@")),
        "language": rec.first("G"),
        "document_type": rec.first("0"),
        "affiliations": rec.all("+"),
        **labelled_notes(rec.all("Z")),  # a Scopus export converted to EndNote keeps its labelled notes
        "source_record": rec.number,
    }
