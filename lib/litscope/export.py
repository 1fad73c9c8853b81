"""Write a corpus (e.g. the de-duplicated one) to BibTeX, RIS or CSV.

Each writer takes a frame in the canonical schema (extra columns such as ``merged_from`` are
kept where the format has room for them) and writes UTF-8 text that :func:`litscope.load`
reads back with the same titles, authors, years, DOIs, abstracts and keywords.

Examples
--------
>>> import io
>>> from litscope.schema import to_frame
>>> df = to_frame([{"title": "Heat & mass: 100% {new}", "authors": ["Doe, Jane"], "year": 2020,
...                 "doi": "10.1000/x", "keywords": ["heat", "mass"]}], source_format="ris", source_file="a.ris")
>>> buf = io.StringIO(); write_bibtex(df, buf)
>>> print(buf.getvalue().splitlines()[1])
  title = {Heat \\& mass: 100\\% \\{new\\}},
>>> buf = io.StringIO(); write_ris(df, buf)
>>> buf.getvalue().splitlines()[:3]
['TY  - GEN', 'TI  - Heat & mass: 100% {new}', 'AU  - Doe, Jane']
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path
from typing import IO, Any, BinaryIO, Callable, Union

import pandas as pd

from .atomic import atomic_write
from .citekeys import citation_keys
from .exportrows import _items, _records, _text, _year
from .csvsafe import escape_row
from .errors import InputError, SchemaError

__all__ = ["write_bibtex", "write_ris", "write_csv", "citation_keys", "bibtex_escape"]

PathOrTextBuffer = Union[str, "os.PathLike[str]", IO[str]]

#: Separator of list items (authors, keywords) in CSV cells.
LIST_SEPARATOR = "; "
#: Separator of keywords in the BibTeX ``keywords`` field.
BIBTEX_KEYWORD_SEPARATOR = "; "

_CSV_COLUMNS = ["title", "authors", "year", "venue", "volume", "issue", "pages", "isbn", "issn", "doi",
                "arxiv_id", "pmid", "url", "abstract", "keywords", "id", "source_format", "source_file",
                "source_record"]


# ---------------------------------------------------------------- helpers

def _join_items(items: list[str], sep: str, protect_single: bool = True) -> str:
    """Items joined with ``sep`` ('; '); a ';' inside an item becomes ','. A single item with a
    comma gets a trailing ';' so readers that split on ',' when there is no ';' keep it whole.

    >>> _join_items(["a;b", "c"], "; "), _join_items(["learning, machine"], "; ")
    ('a,b; c', 'learning, machine;')
    """
    items = [i.replace(";", ",") for i in items]
    text = sep.join(items)
    return text + ";" if protect_single and len(items) == 1 and "," in text else text


def _check(df: Any) -> pd.DataFrame:
    """The frame to write: ``df``, or the papers of a :class:`~litscope.corpus.Corpus`."""
    from .corpus import Corpus

    if isinstance(df, Corpus):
        df = df.papers
    if not isinstance(df, pd.DataFrame):
        raise SchemaError(f"expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in ("title", "authors", "year") if c not in df.columns]
    if missing:
        raise SchemaError(f"missing columns {missing}", column=missing[0])
    return df


def _stream(path: PathOrTextBuffer, write: Callable[[IO[str]], None]) -> Path | None:
    """Call ``write(out)`` with a text stream into a path (UTF-8, '\\n' line ends kept as
    written; atomically, so a reader never sees half an export) or into a text buffer.

    The text goes to the file entry by entry through an encoder with a small buffer, so an
    export of 100,000 records never holds the whole file in memory (as a str, then as its
    UTF-8 bytes): the bytes are the same as encoding the whole text at once.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> _stream(target, lambda out: [out.write(t) for t in ("caf\\u00e9", "\\r\\n", "ok")]).read_bytes()
    b'caf\\xc3\\xa9\\r\\nok'
    """
    if hasattr(path, "write"):
        write(path)  # type: ignore[arg-type]
        return None
    target = Path(os.fspath(path))  # type: ignore[arg-type]

    def encode_into(fh: BinaryIO) -> None:
        # newline="": no line-end translation, as when the str was encoded in one piece
        out = io.TextIOWrapper(fh, encoding="utf-8", newline="")
        write(out)
        out.flush()
        out.detach()  # atomic_write closes (and renames) the file itself

    try:
        atomic_write(target, encode_into)
    except OSError as exc:
        raise InputError(f"cannot write file: {exc.strerror or exc}", file=target) from exc
    return target


# ---------------------------------------------------------------- BibTeX

_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL_RE = re.compile(r"[\\{}&%$#_~^]")


def bibtex_escape(text: str) -> str:
    """Text safe inside a braced BibTeX field: LaTeX specials escaped, other Unicode kept (UTF-8).

    >>> bibtex_escape("50% of {A} & B_1 ~ x^2 \\\\ y")
    '50\\\\% of \\\\{A\\\\} \\\\& B\\\\_1 \\\\textasciitilde{} x\\\\textasciicircum{}2 \\\\textbackslash{} y'
    """
    return _BIBTEX_SPECIAL_RE.sub(lambda m: _BIBTEX_SPECIALS[m.group(0)], text)


#: BibTeX field -> schema column, for the bibliographic details.
_BIBTEX_BIBLIO = (("volume", "volume"), ("number", "issue"), ("pages", "pages"), ("isbn", "isbn"),
                  ("issn", "issn"))

def _bibtex_author(name: str) -> str:
    family, comma, given = name.partition(",")
    if not comma:
        # one-part names (organisations, 'Plato') are protected so BibTeX does not split them
        return "{" + bibtex_escape(name) + "}"
    family, given = family.strip(), given.strip()
    fam = bibtex_escape(family)
    if re.search(r"\band\b", family, re.I):
        fam = "{" + fam + "}"
    return f"{fam}, {bibtex_escape(given)}" if given else fam


def write_bibtex(df: pd.DataFrame, path: PathOrTextBuffer) -> Path | None:
    """Write records as BibTeX (UTF-8), one entry per row, with unique citation keys.

    ``@article`` when the record has a venue, else ``@misc``. Fields: title, author, year,
    journal, volume, number, pages, isbn, issn, doi, eprint/archiveprefix (arXiv), pmid, url, abstract, keywords (joined with
    '; ') and, for merged records, ``note = {merged from ...}``. LaTeX specials are escaped
    (see :func:`bibtex_escape`); other characters are written as UTF-8.

    Parameters
    ----------
    df : pandas.DataFrame or Corpus
        Records in the canonical schema.
    path : path or writable text file-like
        Where to write.

    Returns
    -------
    pathlib.Path or None
        The file written (None for a buffer).
    """
    df = _check(df)
    keys = citation_keys(df)  # needs the whole frame (repeats get suffixes), so before writing
    return _stream(path, lambda out: _write_bibtex_entries(df, keys, out))


def _write_bibtex_entries(df: pd.DataFrame, keys: list[str], out: IO[str]) -> None:
    for key, rec in zip(keys, _records(df)):
        venue = _text(rec.get("venue"))
        fields: list[tuple[str, str]] = [
            ("title", bibtex_escape(_text(rec.get("title")))),
            ("author", " and ".join(_bibtex_author(a) for a in _items(rec.get("authors")))),
            ("year", _year(rec.get("year"))),
            ("journal", bibtex_escape(venue)),
        ]
        fields += [(name, bibtex_escape(_text(rec.get(col)))) for name, col in _BIBTEX_BIBLIO]
        fields.append(("doi", bibtex_escape(_text(rec.get("doi")))))
        arxiv = _text(rec.get("arxiv_id"))
        if arxiv:
            fields += [("eprint", bibtex_escape(arxiv)), ("archiveprefix", "arXiv")]
        fields += [
            ("pmid", bibtex_escape(_text(rec.get("pmid")))),
            ("url", bibtex_escape(_text(rec.get("url")))),
            ("abstract", bibtex_escape(_text(rec.get("abstract")))),
            ("keywords", bibtex_escape(_join_items(_items(rec.get("keywords")), BIBTEX_KEYWORD_SEPARATOR))),
            ("language", bibtex_escape(_text(rec.get("language")))),
        ]
        merged_from = _items(rec.get("merged_from"))
        if len(merged_from) > 1:
            fields.append(("note", bibtex_escape("merged from " + ", ".join(merged_from))))
        out.write(f"@{'article' if venue else 'misc'}{{{key},\n")
        for name, value in fields:
            if value:
                out.write(f"  {name} = {{{value}}},\n")
        out.write("}\n\n")


# ---------------------------------------------------------------- RIS

_LINE_BREAKS = re.compile(r"[\r\n]+")


def _ris_value(text: str) -> str:
    """One line per field (a line starting 'XX  - ' would start a new field).

    >>> _ris_value(" two\\r\\nlines "), _ris_value(" one line ")
    ('two lines', 'one line')
    """
    if "\n" in text or "\r" in text:
        text = _LINE_BREAKS.sub(" ", text)
    return text.strip()


def write_ris(df: pd.DataFrame, path: PathOrTextBuffer) -> Path | None:
    """Write records as RIS (UTF-8): ``TY`` (JOUR with a venue, else GEN), TI, AU (one per
    author), PY, T2, VL, IS, SP/EP, SN (each ISBN and ISSN), AB, KW (one per keyword), DO, UR (the record's URL, then arXiv and PubMed
    links), ``N1`` for merged records, ``ER``.

    Parameters
    ----------
    df : pandas.DataFrame or Corpus
        Records in the canonical schema.
    path : path or writable text file-like
        Where to write.

    Returns
    -------
    pathlib.Path or None
        The file written (None for a buffer).
    """
    df = _check(df)
    return _stream(path, lambda out: _write_ris_entries(df, out))


def _write_ris_entries(df: pd.DataFrame, out: IO[str]) -> None:
    for rec in _records(df):
        venue = _text(rec.get("venue"))
        lines = [("TY", "JOUR" if venue else "GEN"), ("TI", _text(rec.get("title")))]
        lines += [("AU", a) for a in _items(rec.get("authors"))]
        lines += [("PY", _year(rec.get("year"))), ("T2", venue)]
        first, _, last = _text(rec.get("pages")).partition("-")
        lines += [("VL", _text(rec.get("volume"))), ("IS", _text(rec.get("issue"))), ("SP", first), ("EP", last)]
        lines += [("SN", v) for v in _text(rec.get("isbn")).split("; ") + _text(rec.get("issn")).split("; ")]
        lines.append(("AB", _text(rec.get("abstract"))))
        lines += [("KW", k) for k in _items(rec.get("keywords"))]
        lines.append(("DO", _text(rec.get("doi"))))
        lines += [("LA", _text(rec.get("language"))), ("M3", _text(rec.get("document_type")))]
        urls = [_text(rec.get("url"))]
        arxiv, pmid = _text(rec.get("arxiv_id")), _text(rec.get("pmid"))
        if arxiv:
            urls.append(f"https://arxiv.org/abs/{arxiv}")
        if pmid:
            urls.append(f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/")
        seen: set[str] = set()
        for url in urls:
            if url and url not in seen:
                seen.add(url)
                lines.append(("UR", url))
        merged_from = _items(rec.get("merged_from"))
        if len(merged_from) > 1:
            lines.append(("N1", "merged from " + ", ".join(merged_from)))
        for tag, value in lines:
            value = _ris_value(value)
            if value:
                out.write(f"{tag}  - {value}\n")
        out.write("ER  - \n\n")


# ---------------------------------------------------------------- CSV

def write_csv(df: pd.DataFrame, path: PathOrTextBuffer) -> Path | None:
    """Write records as CSV (UTF-8, comma-separated, a header row).

    Columns: title, authors, year, venue, volume, issue, pages, isbn, issn, doi, arxiv_id, pmid,
    url, abstract, keywords, id, source_format, source_file, source_record, then any extra
    columns (``merged_from``...). List cells are joined with '; ' (a ';' inside an item is
    written as ',' so items survive the round trip). A text cell a spreadsheet would run as a
    formula gets a leading ``'`` (see :mod:`litscope.csvsafe`); litscope reads it back without.

    Parameters
    ----------
    df : pandas.DataFrame or Corpus
        Records in the canonical schema.
    path : path or writable text file-like
        Where to write.

    Returns
    -------
    pathlib.Path or None
        The file written (None for a buffer).

    Examples
    --------
    >>> import io
    >>> from litscope.schema import to_frame
    >>> df = to_frame([{"title": "T", "authors": ["Doe, J", "Roe, R"], "keywords": ["a;b", "c"]}],
    ...               source_format="ris", source_file="a.ris")
    >>> buf = io.StringIO(); write_csv(df, buf)
    >>> buf.getvalue().splitlines()[1].startswith(  # then the schema's other columns, empty here
    ...     'T,"Doe, J; Roe, R",,,,,,,,,,,,,"a,b; c",r-92db5b52ec,ris,a.ris,1,')
    True
    """
    df = _check(df)
    columns = [c for c in _CSV_COLUMNS if c in df.columns] + [c for c in df.columns if c not in _CSV_COLUMNS]
    return _stream(path, lambda out: _write_csv_rows(df, columns, out))


def _write_csv_rows(df: pd.DataFrame, columns: list[str], out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(escape_row(columns))
    for rec in _records(df):
        row = []
        for c in columns:
            value = rec.get(c)
            if isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray":
                row.append(_join_items(_items(value), LIST_SEPARATOR, protect_single=c != "authors"))
            elif c in ("year", "source_record"):
                row.append(_year(value))
            else:
                row.append(_text(value))
        writer.writerow(escape_row(row))  # no cell can run as a spreadsheet formula
