"""Column-name mapping shared by the tabular readers (CSV/TSV, XLSX, Parquet, WoS tab-delimited).

Exports from different databases name the same field differently ("Title", "Document Title",
"Item Title"); headers are normalised (lower case, punctuation to spaces) and looked up in
:data:`GENERIC_HEADERS`. Author and keyword cells come in several styles, parsed here once.
:func:`decode_best` (text decoding that ranks legacy encodings by plausibility, used by
:func:`litscope.sources._io.read_text`) lives in :mod:`._decode` and is importable from here.

Examples
--------
>>> m = map_columns(["Document Title", "Publication Title", "Authors", "DOI"])
>>> sorted(m)
['authors', 'doi', 'title', 'venue']
>>> split_authors("Phillips J.C., Braun R.")
[{'family': 'Phillips', 'given': 'J.C.'}, {'family': 'Braun', 'given': 'R.'}]
"""

from __future__ import annotations

import ast
import datetime as _dt
import math
import re
from typing import Any, Iterable, Mapping, Sequence

from ..errors import ParameterError
from ._decode import decode_best, text_oddness  # noqa: F401  (imported from here by _io)
from ._headers import (_OPENALEX_WORKS, CITED_BY_SOURCES, GENERIC_HEADERS, LIST_FIELDS,  # noqa: F401
                       WOS_CODES, split_cell_list)

FIELDS = tuple(GENERIC_HEADERS)

#: Field -> [(column index, header as written)], in priority order.
ColumnMap = dict[str, list[tuple[int, str]]]


def normalize_header(name: Any) -> str:
    """Lower-case header with punctuation as single spaces ('Author(s) ID' -> 'author s id').

    >>> normalize_header("\\ufeffJournal/Book"), normalize_header("publication_year")
    ('journal book', 'publication year')
    """
    text = str(name if name is not None else "").lstrip("\ufeff").lower()
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


def map_columns(headers: Sequence[Any], overrides: Mapping[str, str] | None = None, *,
                table: Mapping[str, tuple[str, ...]] | None = None, exact: bool = False) -> ColumnMap:
    """Which columns hold which canonical field.

    Parameters
    ----------
    headers : sequence
        The header row as written.
    overrides : mapping, optional
        ``{"header as written": "canonical field"}``; these win over the built-in table.
    table : mapping, optional
        Field -> header names; :data:`GENERIC_HEADERS` by default.
    exact : bool
        Compare headers exactly (WoS codes) instead of normalised.

    Raises
    ------
    ParameterError
        When an override names an unknown field or a header the file does not have.
    """
    table = GENERIC_HEADERS if table is None else table
    keys = [str(h).strip().lstrip("\ufeff") if exact else normalize_header(h) for h in headers]
    mapping: ColumnMap = {}
    taken: set[int] = set()
    for header, field in (overrides or {}).items():
        if field not in FIELDS:
            raise ParameterError(f"columns: unknown field {field!r} for {header!r}; "
                                 f"known fields: {', '.join(FIELDS)}")
        key = normalize_header(header)
        found = [i for i, k in enumerate(keys) if normalize_header(k) == key]
        if not found:
            raise ParameterError(f"columns: no column {header!r}; the header row has: "
                                 f"{', '.join(map(str, headers))}")
        mapping.setdefault(field, []).extend((i, str(headers[i])) for i in found)
        taken.update(found)
    for field, names in table.items():
        if field in mapping:  # an explicit override replaces the built-in names for that field
            continue
        for name in names:
            for i, key in enumerate(keys):
                if key == name and i not in taken:
                    mapping.setdefault(field, []).append((i, str(headers[i])))
                    taken.add(i)
    title = mapping.get("title", [])
    if title and normalize_header(title[0][1]) == "display name" and not _OPENALEX_WORKS & set(keys) \
            and "title" not in (overrides or {}).values():
        del mapping["title"]
    venue = mapping.get("venue", [])
    if len(venue) > 1 and "venue" not in (overrides or {}).values():
        # Embase's 'Source' is the venue; in Scopus 'Source' is the database name ('Scopus').
        mapping["venue"] = [c for c in venue if normalize_header(c[1]) != "source"]
    return mapping


# ---------------------------------------------------------------- cells


def cell_text(value: Any) -> str:
    """A cell as text: '' for empty/NaN, integers without '.0', dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if _is_sequence(value):
        return "; ".join(cell_text(v) for v in value)
    try:
        if value != value:  # pandas NA/NaT and friends
            return ""
    except (TypeError, ValueError):
        pass
    text = str(value)
    return "" if text in ("nan", "NaN", "<NA>", "NaT", "None") else text.strip()


def _is_sequence(value: Any) -> bool:
    return (isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray") and not isinstance(value, str)


def _literal_list(text: str) -> list[Any] | None:
    """"['a', 'b']" (a list written by Python/pandas) as a list; None when it is not one."""
    text = text.strip()
    if not (text.startswith("[") and text.endswith("]")) or len(text) > 100_000:
        return None
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError):
        return None
    return list(value) if isinstance(value, (list, tuple)) else None


# ---------------------------------------------------------------- authors

_INITIALS = re.compile(r"(?:[A-Z][a-z]?\.?-?){1,4}")
_NAME_PREFIXES = {"mc", "mac", "de", "di", "da", "du", "le", "la", "van", "von", "o", "fitz", "del", "della", "st"}


def _is_initials(token: str) -> bool:
    if not _INITIALS.fullmatch(token):
        return False
    return "." in token or (token.isupper() and len(token) <= 3)


def parse_name(text: str) -> str | dict[str, str]:
    """One author as 'Family, Given' or a {'family', 'given'} dict the schema understands.

    >>> parse_name("Phillips J.C."), parse_name("P. Kogge"), parse_name("Doe, Jane")
    ({'family': 'Phillips', 'given': 'J.C.'}, {'family': 'Kogge', 'given': 'P.'}, 'Doe, Jane')
    """
    text = re.sub(r"\s+", " ", str(text)).strip(" ;,")
    if not text:
        return ""
    if "," in text:
        family, _, given = text.partition(",")
        return f"{family.strip()}, {given.strip()}" if given.strip() else family.strip()
    tokens = text.split(" ")
    if len(tokens) == 1:
        return {"family": tokens[0]}
    if _is_initials(tokens[-1]) and not _is_initials(tokens[0]):
        return {"family": " ".join(tokens[:-1]), "given": tokens[-1]}
    if _is_initials(tokens[0]):
        i = 1
        while i < len(tokens) - 1 and _is_initials(tokens[i]):
            i += 1
        return {"family": " ".join(tokens[i:]), "given": " ".join(tokens[:i])}
    return text  # 'Given Family': the schema keeps particles with the family name


def _split_concatenated(text: str) -> list[str]:
    """Springer writes authors glued together ('Andy SmithTom Weber'); split at lower->Upper joins."""
    pieces, start = [], 0
    for m in re.finditer(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ][a-zà-ÿ])", text):
        piece = text[start:m.start()]
        last_word = piece.rsplit(" ", 1)[-1].lower()
        if " " not in piece.strip() or last_word in _NAME_PREFIXES:
            continue  # 'McDonald', 'LeCun' and single words are one name
        pieces.append(piece)
        start = m.start()
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]


def split_authors(value: Any, *, concatenated: bool = False) -> list[str | dict[str, str]]:
    """Authors from a cell in any common export style.

    Handles ';'-separated lists, Scopus' ', '-separated 'Family I.' names, Scopus 'Author
    full names' with ids in parentheses, a single 'Family, Given', Python list literals and
    (``concatenated=True``) Springer's glued names.

    >>> split_authors("Doe, Jane (123); Roe, R. (456)")
    ['Doe, Jane', 'Roe, R.']
    >>> split_authors("Andy SmithTom Weber", concatenated=True)
    ['Andy Smith', 'Tom Weber']
    """
    if _is_sequence(value):
        return [n for n in (parse_name(cell_text(v)) for v in value) if n]
    text = cell_text(value)
    if not text:
        return []
    listed = _literal_list(text)
    if listed is not None:
        return [n for n in (parse_name(cell_text(v)) for v in listed) if n]
    # (?<!\s): start only at a run's first blank, so a long whitespace run stays linear
    text = re.sub(r"(?<!\s)\s*\(\d+\)", "", text)  # Scopus author ids
    if "|" in text and ";" not in text:
        pieces = text.split("|")  # OpenAlex's web export: 'Jane Doe|Rick Roe'
    elif ";" in text:
        pieces = text.split(";")
    elif "," in text:
        parts = [p.strip() for p in text.split(",") if p.strip()]
        if len(parts) > 1 and all(len(p.split()) >= 2 for p in parts):
            pieces = parts  # 'Phillips J.C., Braun R.' / 'Joseph Rottman, Erran Carmel'
        elif len(parts) == 2:
            pieces = [text]  # one 'Family, Given'
        elif len(parts) % 2 == 0 and all(_is_initials(p.replace(" ", "")) for p in parts[1::2]):
            pieces = [f"{a}, {b}" for a, b in zip(parts[::2], parts[1::2])]  # 'Doe, J., Roe, R.'
        else:
            pieces = parts
    elif re.search(r"(?<!\s)\s+and\s+", text, re.I):
        pieces = re.split(r"(?<!\s)\s+and\s+", text, flags=re.I)
    elif concatenated:
        pieces = _split_concatenated(text)
    else:
        pieces = [text]
    return [n for n in (parse_name(p) for p in pieces) if n]


def split_keywords(value: Any) -> list[str]:
    """Keywords from a cell: ';'-separated, else ','-separated outside parentheses.

    >>> split_keywords("cyst (diagnosis, surgery), human")
    ['cyst (diagnosis, surgery)', 'human']
    """
    if _is_sequence(value):
        return [cell_text(v) for v in value if cell_text(v)]
    text = cell_text(value)
    if not text:
        return []
    listed = _literal_list(text)
    if listed is not None:
        return [cell_text(v) for v in listed if cell_text(v)]
    if ";" in text or "|" in text:
        return [p.strip() for p in re.split(r"[;|]" if ";" in text else r"\|", text) if p.strip()]
    out, depth, current = [], 0, []
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0:
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
    out.append("".join(current))
    return [p.strip() for p in out if p.strip()]


# ---------------------------------------------------------------- records

_SOURCE_WITH_YEAR = re.compile(r"^(.+?)\s*\((\d{4})\)")


def build_record(row: Sequence[Any], mapping: ColumnMap, *, concatenated_authors: bool = False) -> dict[str, Any]:
    """A raw record dict (for :func:`litscope.schema.to_file_records`) from one row of cells."""
    rec: dict[str, Any] = {}

    def cell(i: int) -> Any:
        return row[i] if i < len(row) else None

    for field, cols in mapping.items():
        if field == "keywords":
            words: list[str] = []
            for i, _ in cols:
                words.extend(split_keywords(cell(i)))
            rec["keywords"] = words
            continue
        for i, header in cols:
            raw = cell(i)
            if type(raw) is str and not raw:
                continue  # the common empty cell, skipped before any parsing
            if field == "authors":
                names = split_authors(raw, concatenated=concatenated_authors)
                if names:
                    rec["authors"] = names
                    break
                continue
            text = cell_text(raw)
            if field == "abstract" and normalize_header(header) == "abstract inverted index":
                text = _inverted_abstract(text)
            if field == "pmid" and text.strip("0 ") == "":
                continue  # Retraction Watch writes 0 for 'no PubMed id'
            if not text:
                continue
            if field in LIST_FIELDS:
                text = split_cell_list(text)  # type: ignore[assignment]
            elif field == "cited_by":
                rec["cited_by_source"] = CITED_BY_SOURCES.get(header.strip(), "") or \
                    CITED_BY_SOURCES.get(normalize_header(header), "")
            if field == "venue" and normalize_header(header) == "source":
                m = _SOURCE_WITH_YEAR.match(text)  # Embase: 'Journal (2014) 3:3 (152-160). Date ...'
                if m:
                    text = m.group(1)
                    rec.setdefault("_year_from_source", m.group(2))
            rec[field] = text
            break
    fallback = rec.pop("_year_from_source", None)
    if fallback and not rec.get("year"):
        rec["year"] = fallback
    return rec


def _inverted_abstract(text: str) -> str:
    """OpenAlex's ``abstract_inverted_index`` cell (JSON word -> positions) as plain text.

    >>> _inverted_abstract('{"world.": [1], "Hello": [0]}'), _inverted_abstract('{"cut off')
    ('Hello world.', '')
    """
    import json

    from ._json_shapes import openalex_abstract
    try:
        return openalex_abstract(json.loads(text)) if text.startswith("{") else text
    except (ValueError, RecursionError):
        return ""  # a cell cut at a spreadsheet's length limit: no abstract rather than JSON text


def has_text(rec: Mapping[str, Any]) -> bool:
    """Whether a raw record has a title or an abstract (after markup is stripped)."""
    from ..schema import clean_text
    return bool(clean_text(rec.get("title")).strip(" .") or clean_text(rec.get("abstract")))


def describe(mapping: ColumnMap) -> dict[str, list[str]]:
    """Field -> the headers used for it, for a reader's ``details["columns"]``."""
    return {field: [h for _, h in cols] for field, cols in mapping.items()}


def iter_nonblank(values: Iterable[Any]) -> bool:
    """Whether any cell of a row holds something."""
    return any(cell_text(v) for v in values)
