"""BibTeX / BibLaTeX files (.bib), read by a lenient parser of our own.

Understands ``@type{key, field = {..} | ".." | number | macro # concatenation}``, ``@string``
(plus the standard month macros), ``@preamble`` and ``@comment`` (ignored, like any text
between entries and ``%`` comment lines), crossref/xdata inheritance, comma-first style,
missing commas between fields, one-line entries, nested braces and entries without a key.
LaTeX accents and commands become Unicode (pylatexenc) and protection braces are removed.

An entry that cannot be parsed (unbalanced braces, a value running into the next entry) is
listed in ``skipped`` with its line, and parsing resumes at the next ``@``. An entry
with neither title nor abstract is skipped too, with that reason. Things read but worth
knowing (a crossref parent that is missing or a cycle, text ignored inside an entry, an
undefined macro) are listed in the ``notes`` and the entry is kept. Parsing is linear in
the file, and ``@string`` expansion has a budget (a "billion laughs" chain of doubling macros is
not expanded; the entry is listed). LaTeX and name helpers live in :mod:`._bibtext`.

Examples
--------
>>> import io
>>> bib = b'@string{j = "Nice Journal"}\\n@article{k, title = {{\\\\"U}ber {BERT}}, journal = j, year = 2020}'
>>> df = read_bibtex(io.BytesIO(bib)).frame
>>> df.loc[0, "title"], df.loc[0, "venue"], int(df.loc[0, "year"])
('Über BERT', 'Nice Journal', 2020)
"""

from __future__ import annotations

import re
from typing import Any


from ..errors import ParameterError, RecordError
from ..records import FileRecords, SkippedRecord, as_notes
from ..schema import to_file_records
from ._bibparse import _KNOWN_TYPES, _NOT_INHERITED, _NOT_RECORDS, _Entry, _Parser
from ._bibtext import _plain_identifier, latex_to_text, parse_names
from ._columns import has_text
from ._headers import split_cell_list
from ._notes import labelled_notes
from ._io import PathOrBuffer, Sample, read_text, source_name

FORMAT = "bibtex"
EXTENSIONS = (".bib", ".bibtex")


# ---------------------------------------------------------------- records

_VENUE_BY_TYPE = {
    "misc": ("publisher", "howpublished", "organization"),
    "online": ("publisher", "organization"),
    "techreport": ("institution",), "report": ("institution",),
    "phdthesis": ("school", "institution"), "mastersthesis": ("school", "institution"),
    "thesis": ("school", "institution"),
}


def _inherit(entry: _Entry, by_key: dict[str, _Entry]) -> None:
    """Fill missing fields from crossref/xdata parents (recursively); note cycles and missing parents."""
    chain = [entry.key.lower()]
    current = entry
    while True:
        parents = []
        for link in ("crossref", "xdata"):
            for key in current.fields.get(link, "").split(","):
                key = key.strip()
                if key:
                    parents.append((link, key))
        if not parents:
            return
        advanced = None
        for link, key in parents:
            if key.lower() in chain:
                entry.notes.append(f"{link} cycle: {' -> '.join(chain + [key.lower()])}")
                continue
            parent = by_key.get(key.lower())
            if parent is None:
                entry.notes.append(f"{link} parent {key!r} not found")
                continue
            for name, value in parent.fields.items():
                if link == "crossref" and name == "title" and not entry.fields.get("booktitle", "").strip():
                    entry.fields["booktitle"] = value  # the parent's title is the child's book title
                if name in entry.fields and entry.fields[name].strip():
                    continue
                if link == "crossref" and name in _NOT_INHERITED:
                    continue
                if name not in ("crossref", "xdata"):
                    entry.fields[name] = value
            if advanced is None:
                advanced = parent
                chain.append(key.lower())
        if advanced is None:
            return
        current = advanced


def _to_record(entry: _Entry) -> dict[str, Any]:
    f = entry.fields
    title = latex_to_text(f.get("title", ""))
    if f.get("subtitle") and title:
        title = f"{title.rstrip(' .:')}: {latex_to_text(f['subtitle'])}"
    rec: dict[str, Any] = {
        "title": title,
        "abstract": latex_to_text(f.get("abstract", "")),
        "authors": parse_names(f.get("author", "")),
        "year": f.get("year") or f.get("date") or "",
        "doi": _plain_identifier(f.get("doi", "")),
        "url": _plain_identifier(f.get("url") or f.get("link") or ""),
        "source_record": entry.number,
    }
    venue_fields = ("journal", "journaltitle", "booktitle") + _VENUE_BY_TYPE.get(entry.type, ())
    rec["venue"] = next((latex_to_text(f[k]) for k in venue_fields if f.get(k, "").strip()), "")
    prefix = (f.get("archiveprefix") or f.get("eprinttype") or "").strip().lower()
    if prefix == "arxiv" and f.get("eprint"):
        rec["arxiv_id"] = f["eprint"]
    elif f.get("arxivid") or f.get("arxiv"):
        rec["arxiv_id"] = f.get("arxivid") or f.get("arxiv")
    elif "arxiv.org/abs/" in rec["url"]:
        rec["arxiv_id"] = rec["url"]
    pmid = f.get("pmid", "")
    if not pmid:
        m = re.search(r"\bPMID:?\s*(\d{1,9})", f.get("note", "") + " " + f.get("pubmed", ""))
        pmid = m.group(1) if m else ""
    rec["pmid"] = pmid
    words = f.get("keywords") or f.get("keyword") or ""
    sep = ";" if ";" in words else ","
    rec["keywords"] = [latex_to_text(w).strip() for w in words.split(sep) if w.strip()]
    # evidence against merging same-titled volumes or parts (normalised by schema.to_file_records)
    rec.update(volume=f.get("volume", ""), issue=f.get("number") or f.get("issue") or "",
               pages=f.get("pages", ""), isbn=f.get("isbn", ""), issn=f.get("issn", ""))
    rec.update(_metadata(entry))
    return rec


def _metadata(entry: _Entry) -> dict[str, Any]:
    """Language, type, affiliations, funding, references and citation count (Scopus and WoS fields)."""
    f = entry.fields
    rec: dict[str, Any] = {
        "language": latex_to_text(f.get("language") or f.get("langid") or ""),
        # Scopus 'document_type', WoS 'type'; else the entry type ('article', 'inproceedings')
        "document_type": latex_to_text(f.get("document_type") or f.get("type") or entry.type or ""),
        "affiliations": split_cell_list(latex_to_text(f.get("affiliations") or f.get("affiliation") or "")),
        "funding": split_cell_list(latex_to_text(f.get("funding_details") or f.get("funding-acknowledgement") or "")),
    }
    refs = f.get("references") or f.get("cited-references") or ""
    if refs:  # Scopus separates references with '; ', Web of Science puts one per line
        rec["references"] = [latex_to_text(r).strip() for r in re.split(r";\s|\n", refs) if r.strip()]
    if f.get("times-cited", "").strip():
        rec.update(cited_by=f["times-cited"].strip(), cited_by_source="Web of Science")
    else:
        rec.update({k: v for k, v in labelled_notes(f.get("note", "").split(";")).items() if k.startswith("cited_by")})
    return rec


def sniff(sample: Sample) -> float:
    """``@type{`` at the start of a line; confident with a known entry type and ``name =`` fields."""
    kinds = {k.lower() for k in re.findall(r"^[ \t]*@[ \t]*([A-Za-z][\w:-]*)[ \t\r\n]*[{(]", sample.text, re.M)}
    if not kinds:
        return 0.0
    records = kinds - _NOT_RECORDS
    if not records:
        return 0.6  # only @string/@comment/@preamble: BibTeX without entries
    if records & _KNOWN_TYPES:
        # '(?:,[ \t]*)?' as in _FIELD_LINE: ',?[ \t]*' after '[ \t]*' is quadratic on a blank run
        has_field = re.search(r"^[ \t]*(?:,[ \t]*)?[A-Za-z][\w.:+-]*[ \t]*=[ \t]*[{\"\w]", sample.text, re.M)
        return 0.95 if has_field else 0.8
    return 0.5


def read_bibtex(path: PathOrBuffer, *, encoding: str | None = None, errors: str = "skip") -> FileRecords:
    """Read a BibTeX/BibLaTeX file.

    Parameters
    ----------
    path : str, path-like or file-like
        The .bib file.
    encoding : str, optional
        Text encoding; detected when omitted (UTF-8, else the most plausible legacy
        encoding, e.g. GBK, see :func:`litscope.sources._columns.decode_best`).
    errors : {'skip', 'raise'}
        What to do with an entry that cannot be parsed or has neither title nor abstract.

    Returns
    -------
    FileRecords
        Canonical records (``frame``), ``encoding``, ``skipped`` (file, record, line, reason)
        and ``notes`` (file, record, line, note) for things read but worth knowing.

    Raises
    ------
    RecordError
        With ``errors='raise'``, naming the file, entry number and line.

    Examples
    --------
    >>> import io
    >>> df = read_bibtex(io.BytesIO(b"@book{b, author = {Bird, R.B. AND {ACME Inc.}}, title = {T}}")).frame
    >>> df.loc[0, "authors"]
    ['Bird, R.B.', 'ACME Inc.']
    """
    if errors not in ("skip", "raise"):
        raise ParameterError(f"errors must be 'skip' or 'raise', not {errors!r}")
    name = source_name(path)
    text, used = read_text(path, encoding=encoding)
    parser = _Parser(text)
    entries: list[_Entry] = []
    skipped: list[SkippedRecord] = []
    for item in parser.parse():
        if isinstance(item, tuple):
            offset, number, reason = item
            if errors == "raise":
                raise RecordError(reason, file=name, record=number, line=parser.line(offset))
            skipped.append(SkippedRecord(name, number, parser.line(offset), reason))
        else:
            entries.append(item)
    by_key: dict[str, _Entry] = {}
    for entry in entries:
        if entry.key:
            by_key.setdefault(entry.key.lower(), entry)
    notes: list[dict[str, Any]] = [
        {"file": name, "record": None, "line": parser.line(off), "note": note} for off, note in parser.notes]
    records: list[dict[str, Any]] = []
    for entry in entries:
        _inherit(entry, by_key)
        line = parser.line(entry.start)
        notes.extend({"file": name, "record": entry.number, "line": line, "note": n} for n in entry.notes)
        reason = None
        if entry.type == "xdata":
            reason = "@xdata entry: shared field data for other entries, not a record"
        else:
            rec = _to_record(entry)
            if not has_text(rec):
                reason = "entry has neither title nor abstract"
        if reason:
            if errors == "raise":
                raise RecordError(reason, file=name, record=entry.number, line=line)
            skipped.append(SkippedRecord(name, entry.number, line, reason))
            continue
        records.append(rec)
    skipped.sort(key=lambda s: (s.record or 0))
    # to_file_records adds its own notes (control characters removed) to these
    return to_file_records(records, source_format=FORMAT, source_file=name, skipped=skipped,
                           notes=as_notes(notes, name), encoding=used)
