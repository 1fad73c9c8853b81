"""The canonical record schema, defined once.

Every reader returns records (a :class:`~litscope.records.FileRecords`) whose frame has
exactly :data:`COLUMNS`, built by :func:`to_file_records` from plain dicts, so normalisation
(DOI, arXiv id, authors, year, markup in titles and abstracts) happens in one place
(the normalisers are in :mod:`litscope.normalize`).

Examples
--------
>>> from litscope.schema import to_frame, validate
>>> df = to_frame([{"title": "A <i>study</i>", "doi": "https://doi.org/10.1000/ABC",
...                 "authors": ["Doe, Jane"], "year": "2020", "source_record": 1}],
...               source_format="ris", source_file="refs.ris")
>>> df.loc[0, "title"], df.loc[0, "doi"], int(df.loc[0, "year"])
('A study', '10.1000/abc', 2020)
>>> validate(df) is df
True
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Iterable, Mapping

import pandas as pd

from .bibfields import normalize_biblio
from .controls import removal_note, scrub_record
from .errors import SchemaError
from .metadata import META_FIELDS, META_LIST_FIELDS, META_STRING_FIELDS, normalize_metadata
# The normalisers live in litscope.normalize; importable from here, where callers found them first.
from .normalize import (AUTHOR_PLACEHOLDERS, clean_text, is_author_placeholder, normalize_arxiv,  # noqa: F401
                        normalize_author, normalize_doi, normalize_pmid, normalize_title_key, normalize_year,
                        split_list)
from .records import FileRecords, Note, SkippedRecord

#: Column name -> short description. The order is the column order of every frame.
FIELDS: dict[str, str] = {
    "id": "stable record id derived from identifiers or title/year (e.g. 'doi:10.1000/x' or 'r-3f2a9c1b7d')",
    "title": "title, plain text",
    "abstract": "abstract, plain text ('' when missing)",
    "authors": "list of 'Family, Given' strings",
    "year": "publication year (nullable integer)",
    "venue": "journal, conference or repository",
    "volume": "volume as written ('' when missing)",
    "issue": "issue or number as written ('' when missing)",
    "pages": "page range 'first-last' or an article number ('' when missing)",
    "isbn": "ISBNs, digits only, joined with '; ' ('' when missing)",
    "issn": "ISSNs as 'NNNN-NNNN', joined with '; ' ('' when missing)",
    "doi": "lower-case DOI without resolver prefix ('' when missing)",
    "arxiv_id": "arXiv identifier without version ('' when missing)",
    "pmid": "PubMed id ('' when missing)",
    "url": "link to the record",
    "keywords": "list of keywords",
    **META_FIELDS,  # citation count, references, language, type, affiliations, countries, funding
    "source_format": "reader that produced the record (e.g. 'ris')",
    "source_file": "path of the file the record came from",
    "source_record": "1-based number of the record in its file",
}
COLUMNS: list[str] = list(FIELDS)
LIST_COLUMNS = ("authors", "keywords", *META_LIST_FIELDS)
STRING_COLUMNS = ("id", "title", "abstract", "venue", "volume", "issue", "pages", "isbn", "issn", "doi",
                  "arxiv_id", "pmid", "url", "source_format", "source_file", *META_STRING_FIELDS)


# ---------------------------------------------------------------- ids

def record_id(rec: Mapping[str, Any]) -> str:
    """Stable id of a normalised record: from DOI, arXiv id or PMID, else title/year/first author.

    >>> record_id({"doi": "10.1000/x"}), record_id({"title": "A", "year": 2020, "authors": []})[:2]
    ('doi:10.1000/x', 'r-')
    """
    if rec.get("doi"):
        return f"doi:{rec['doi']}"
    if rec.get("arxiv_id"):
        return f"arxiv:{rec['arxiv_id']}"
    if rec.get("pmid"):
        return f"pmid:{rec['pmid']}"
    first = (rec.get("authors") or [""])[0]
    key = "|".join([normalize_title_key(rec.get("title") or ""), str(rec.get("year") or ""),
                    normalize_title_key(first.split(",")[0])])
    if key.strip("|") == "":
        key = (rec.get("abstract") or "")[:500]
    return "r-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


# ---------------------------------------------------------------- frames

def normalize_record(raw: Mapping[str, Any]) -> dict[str, Any]:
    """One record dict in canonical form (without id and source fields)."""
    authors = raw.get("authors") or []
    if isinstance(authors, str):
        authors = [a for a in re.split(r"\s*;\s*|\s+and\s+", authors) if a.strip()]
    authors = [a for a in (normalize_author(a) for a in authors) if a]
    return {
        "title": clean_text(raw.get("title")).rstrip(" ."),
        "abstract": clean_text(raw.get("abstract")),
        "authors": authors,
        "year": normalize_year(raw.get("year")),
        "venue": clean_text(raw.get("venue")),
        **normalize_biblio(raw, clean_text),
        "doi": normalize_doi(raw.get("doi")),
        "arxiv_id": normalize_arxiv(raw.get("arxiv_id")),
        "pmid": normalize_pmid(raw.get("pmid")),
        "url": clean_text(raw.get("url")),
        "keywords": split_list(raw.get("keywords")),
        **normalize_metadata(raw, clean_text),
    }


def empty_frame() -> pd.DataFrame:
    """A frame with the canonical columns and no rows."""
    return _typed(pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS}))


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    df["year"] = pd.array(df["year"].tolist(), dtype="Int64")
    df["cited_by"] = pd.array(df["cited_by"].tolist(), dtype="Int64")
    df["source_record"] = pd.array(df["source_record"].tolist(), dtype="Int64")
    return df


def to_file_records(records: Iterable[Mapping[str, Any]], *, source_format: str, source_file: Any,
                    skipped: Iterable[SkippedRecord] = (), notes: Iterable[Note] = (), encoding: str = "",
                    details: Mapping[str, Any] | None = None) -> FileRecords:
    """Build a reader's result from raw record dicts, as every reader does.

    Parameters
    ----------
    records : iterable of mapping
        Raw records with any of the keys title, abstract, authors, year, venue, volume,
        issue, pages (or a start page, with ``page_end`` the last page), isbn, issn,
        doi, arxiv_id, pmid, url, keywords, source_record (1-based; defaults to the
        position) and source_line (for the notes). Control characters are removed from
        every field first (see :mod:`litscope.controls`).
    source_format : str
        Name of the reader.
    source_file : str or path-like
        File the records came from.
    skipped : iterable of SkippedRecord
        Records the reader could not load.
    notes : iterable of Note
        The reader's notes about records it read.
    encoding : str
        Text encoding the reader used.
    details : mapping, optional
        Reader-specific facts (see :class:`litscope.records.FileRecords`).

    Returns
    -------
    FileRecords
        ``frame`` with columns :data:`COLUMNS`; ``skipped`` adds any record whose whole text
        was control characters, in record order; ``notes`` adds one note per record that had
        control characters removed, and is sorted by record.

    Examples
    --------
    >>> result = to_file_records([{"title": "T\\x07"}, {"title": "\\x00"}], source_format="ris", source_file="a.ris")
    >>> len(result), [s.record for s in result.skipped], [n.note for n in result.notes]
    (1, [2], ['removed 1 control character from title'])
    """
    rows = []
    removal_notes = []
    skipped = list(skipped)
    # One string object per distinct list item of the file: keywords, authors and countries
    # repeat across records, and each copy would otherwise stay in memory for the whole review.
    shared: dict[str, str] = {}
    for position, raw in enumerate(records, start=1):
        raw, removed = scrub_record(raw)
        rec = normalize_record(raw)
        for col in LIST_COLUMNS:
            items = rec.get(col)
            if type(items) is list and items:
                rec[col] = [shared.setdefault(v, v) if type(v) is str else v for v in items]
        number, line = int(raw.get("source_record") or position), raw.get("source_line")
        if removed and not rec["title"] and not rec["abstract"]:  # its text was all control characters
            skipped.append(SkippedRecord(str(source_file), number, line, "record has neither title nor "
                                         "abstract once control characters are removed"))
            continue
        rec["id"] = record_id(rec)
        rec["source_format"] = source_format
        rec["source_file"] = str(source_file)
        rec["source_record"] = number
        rows.append(rec)
        if removed:
            removal_notes.append(Note(str(source_file), number, line, removal_note(removed)))
    df = pd.DataFrame(rows, columns=COLUMNS) if rows else empty_frame()
    if rows:
        df = _typed(df)
    return FileRecords(df, skipped=sorted(skipped, key=lambda s: s.record or 0),
                       notes=sorted([*notes, *removal_notes], key=lambda n: n.record or 0),
                       encoding=encoding, details=details or {})


def to_frame(records: Iterable[Mapping[str, Any]], *, source_format: str, source_file: Any) -> pd.DataFrame:
    """The canonical frame of raw record dicts: the ``frame`` of :func:`to_file_records`.

    For frames built in code (tests, examples); readers use :func:`to_file_records`, which
    also lists the records left out and the notes.
    """
    return to_file_records(records, source_format=source_format, source_file=source_file).frame


def validate(df: pd.DataFrame) -> pd.DataFrame:
    """Check that ``df`` follows the canonical schema; return it unchanged.

    Raises
    ------
    SchemaError
        Naming the column and record that break the schema.
    """
    if not isinstance(df, pd.DataFrame):
        raise SchemaError(f"expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise SchemaError(f"missing columns {missing}", column=missing[0])
    for col in LIST_COLUMNS:
        for idx, value in df[col].items():
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise SchemaError(f"expected a list of strings, got {value!r}", column=col,
                                  record=df.at[idx, "id"])
    for col in STRING_COLUMNS:
        for idx, value in df[col].items():
            if not isinstance(value, str):
                raise SchemaError(f"expected a string, got {value!r}", column=col,
                                  record=df.at[idx, "id"] if col != "id" else idx)
    for col in ("year", "cited_by"):
        if str(df[col].dtype) != "Int64":
            raise SchemaError(f"expected dtype Int64, got {df[col].dtype}", column=col)
    empty_ids = df.index[df["id"] == ""]
    if len(empty_ids):
        raise SchemaError("empty id", column="id", record=int(empty_ids[0]))
    no_title = df.index[(df["title"] == "") & (df["abstract"] == "")]
    if len(no_title):
        raise SchemaError("record has neither title nor abstract", column="title",
                          record=df.at[no_title[0], "id"])
    return df
