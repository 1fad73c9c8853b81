"""Column-name mapping shared by the tabular readers (CSV/TSV, XLSX, Parquet, WoS tab-delimited).

Exports from different databases name the same field differently ("Title", "Document Title",
"Item Title"); headers are normalised (lower case, punctuation to spaces) and looked up in
:data:`GENERIC_HEADERS`. Author and keyword cells come in several styles, parsed here once.
Also here: :func:`decode_best`, text decoding that ranks legacy encodings by plausibility
(used by :func:`litscope.sources._io.read_text`, so by every reader).

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
import functools
import datetime as _dt
import math
import re
from typing import Any, Iterable, Mapping, Sequence

from ..errors import ParameterError

#: Canonical field -> normalised header names, most specific first. The first non-empty
#: cell wins, except for keywords, which are merged from every matching column.
GENERIC_HEADERS: dict[str, tuple[str, ...]] = {
    "title": ("title", "document title", "item title", "article title", "primary title",
              "paper title", "original title"),
    "abstract": ("abstract", "abstract note", "abstract text", "original abstract"),
    "authors": ("author full names", "authors", "author", "author names", "first authors",
                "creators", "creator", "first author"),
    "year": ("year", "publication year", "pubyear", "pub year", "year published", "date",
             "publication date", "date published", "issued", "originalpaperdate"),
    "venue": ("source title", "journal", "journal title", "publication title", "journal book",
              "secondary title", "venue", "publication", "container title", "book title",
              "booktitle", "source"),
    "doi": ("doi", "item doi", "originalpaperdoi"),
    "url": ("url", "link", "urls", "article url", "open url link", "pdf link"),
    "keywords": ("author keywords", "keywords", "keyword", "index keywords", "ieee terms",
                 "keywords plus", "mesh terms", "tags"),
    "pmid": ("pmid", "pubmed id", "pubmed", "originalpaperpubmedid"),
    "arxiv_id": ("arxiv id", "arxiv", "arxivid"),
}

#: Web of Science tab-delimited field codes -> canonical field (exact, upper case).
WOS_CODES: dict[str, tuple[str, ...]] = {
    "title": ("TI",),
    "abstract": ("AB",),
    "authors": ("AF", "AU"),
    "year": ("PY", "EA"),
    "venue": ("SO", "SE"),
    "doi": ("DI",),
    "keywords": ("DE", "ID"),
    "pmid": ("PM",),
}

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
    text = re.sub(r"\s*\(\d+\)", "", text)  # Scopus author ids
    if ";" in text:
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
    elif re.search(r"\s+and\s+", text, re.I):
        pieces = re.split(r"\s+and\s+", text, flags=re.I)
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
    if ";" in text:
        return [p.strip() for p in text.split(";") if p.strip()]
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
    """A raw record dict (for :func:`litscope.schema.to_frame`) from one row of cells."""
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
            if field == "authors":
                names = split_authors(raw, concatenated=concatenated_authors)
                if names:
                    rec["authors"] = names
                    break
                continue
            text = cell_text(raw)
            if field == "pmid" and text.strip("0 ") == "":
                continue  # Retraction Watch writes 0 for 'no PubMed id'
            if not text:
                continue
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


def has_text(rec: Mapping[str, Any]) -> bool:
    """Whether a raw record has a title or an abstract (after markup is stripped)."""
    from ..schema import clean_text
    return bool(clean_text(rec.get("title")).strip(" .") or clean_text(rec.get("abstract")))


def describe(mapping: ColumnMap) -> dict[str, list[str]]:
    """Field -> the headers used for it, for ``df.attrs['columns']``."""
    return {field: [h for _, h in cols] for field, cols in mapping.items()}


def iter_nonblank(values: Iterable[Any]) -> bool:
    """Whether any cell of a row holds something."""
    return any(cell_text(v) for v in values)


# ---------------------------------------------------------------- text decoding
# _io.read_text trusts charset-normalizer's first guess for non-UTF-8 bytes; on short CJK files
# that guess is often wrong (GBK read as cp949). These readers re-rank the candidates by how
# plausible the decoded text looks (scripts do not alternate inside words, no control or
# private-use characters). Suggested for _io.decode itself.

_LEGACY_CANDIDATES = ("gb18030", "big5", "shift_jis", "euc_jp", "cp949", "cp1252", "latin-1")
_JAPANESE = {"shift_jis", "euc_jp", "euc_jis_2004", "euc_jisx0213", "cp932", "shift_jis_2004",
             "shift_jisx0213", "iso2022_jp"}
_CHINESE = {"gb2312", "gbk", "gb18030", "big5", "big5hkscs", "cp950", "hz"}
_PLAUSIBLE_SYMBOLS = set("°©®±×÷€£¥§µ¶·¢¤¦¨¬¯´¸¹²³¼½¾™•‰†‡")


def _script(ch: str) -> str:
    o = ord(ch)
    if o < 0x250 or 0x1E00 <= o < 0x1F00:
        return "latin"
    if 0x370 <= o < 0x400 or 0x1F00 <= o < 0x2000:
        return "greek"
    if 0x400 <= o < 0x530:
        return "cyrillic"
    if 0x590 <= o < 0x600:
        return "hebrew"
    if 0x600 <= o < 0x700:
        return "arabic"
    if 0xE00 <= o < 0xE80:
        return "thai"
    if 0xAC00 <= o < 0xD7B0 or 0x1100 <= o < 0x1200 or 0x3130 <= o < 0x3190:
        return "hangul"
    if 0x3040 <= o < 0x3100 or 0xFF66 <= o < 0xFFA0:
        return "kana"
    if 0x4E00 <= o < 0xA000 or 0x3400 <= o < 0x4DC0:
        return "han"
    return "other"


@functools.lru_cache(maxsize=8192)
def _rare_cjk(ch: str) -> bool:
    """A Han or Hangul character outside the common national sets (GB2312, Big5, JIS X 0208, KS X 1001)."""
    for codec in ("gb2312", "big5", "euc_jp", "euc_kr"):
        try:
            if len(ch.encode(codec)) == 2:  # euc_kr spells rare syllables as 8-byte sequences
                return False
        except UnicodeEncodeError:
            continue
    return True


def text_oddness(text: str) -> int:
    """How implausible decoded text looks (0 = nothing odd). Used to choose an encoding.

    >>> text_oddness("凯撒 测试期刊") < text_oddness("꿎桿퍅엷")
    True
    """
    import unicodedata
    score, prev, last_latin_ext = 0, None, False
    for ch in text:
        if ch < "\x80":
            prev = "latin" if ch.isalpha() else None
            last_latin_ext = False
            if ch < " " and ch not in "\n\t\r":
                score += 3
            continue
        cat = unicodedata.category(ch)
        if cat[0] == "C":
            score += 3
            prev, last_latin_ext = None, False
            continue
        script = _script(ch) if cat[0] == "L" else None
        if script == "other" or (script in ("han", "hangul") and _rare_cjk(ch)):
            score += 2
        elif cat[0] == "S" and ch not in _PLAUSIBLE_SYMBOLS:
            score += 1
        if script and prev and script != prev and {script, prev} != {"han", "kana"}:
            score += 1
        if ch < "\u0250" and last_latin_ext:
            score += 1  # runs of accented Latin letters are mojibake ('ÖÐÎÄ'), real words have one at a time
        last_latin_ext = ch < "\u0250"
        prev = script
    return score


def decode_best(data: bytes) -> tuple[str, str]:
    """Decode non-UTF-8 bytes with the most plausible legacy encoding: ``(text, encoding)``."""
    import codecs
    candidates: list[str] = []
    try:
        from charset_normalizer import from_bytes
        candidates.extend(m.encoding for m in from_bytes(data[:200_000]) if m.encoding)
    except Exception:  # optional, and it must never break reading
        pass
    candidates.extend(_LEGACY_CANDIDATES)
    best: tuple[tuple[int, int, int], str, str] | None = None
    seen: set[str] = set()
    for rank, name in enumerate(candidates):
        try:
            codec = codecs.lookup(name).name
            if codec in seen:
                continue
            seen.add(codec)
            text = data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
        head = text[:100_000]
        odd = text_oddness(head)
        kana = sum(1 for c in head if "\u3040" <= c < "\u3100")
        if codec in _JAPANESE and not kana:
            odd += 1  # Han without any kana is Chinese far more often than Japanese
        elif codec in _CHINESE:
            odd += kana  # kana inside Chinese text is a sign of the wrong Chinese codec
        # ties: cp1252 (Western European) is the most common legacy encoding of exports
        key = (odd, 0 if codec == "cp1252" else 1, rank)
        if best is None or key < best[0]:
            best = (key, text, codec)
    if best is None:
        return data.decode("cp1252", errors="replace"), "cp1252"
    return best[1], best[2]


