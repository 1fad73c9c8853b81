"""Bibliographic details (volume, issue, pages, ISBN, ISSN): normalised once, compared by dedupe.

Two records with the same title and year can still be different works: the volumes of one
proceedings series, the parts of a multi-volume book, two papers in one issue that repeat a
generic title. These fields tell them apart. The normalisers here are used by
:func:`litscope.schema.normalize_record`; the ``*_key`` functions give the comparable core
of each value (so 'Vol. 12' and '12', ISBN-10 and ISBN-13 of one book agree), used by
:mod:`litscope.dedupe`.

Examples
--------
>>> normalize_pages("101–110"), normalize_pages("7", "19"), normalize_isbn("3-642-12164-0; 9783642121647")
('101-110', '7-19', '3642121640; 9783642121647')
>>> normalize_issn("03029743"), number_key("Vol. 12"), number_key("6017 LNCS"), isbn_keys("3642121640; 9783642121647")
('0302-9743', '12', '6017', frozenset({'364212164'}))
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from .missing import as_text

__all__ = ["BIBLIO_FIELDS", "normalize_biblio", "normalize_pages", "normalize_isbn", "normalize_issn", "number_key",
           "isbn_keys", "issn_keys", "merge_biblio", "BiblioEvidence", "PENALTIES"]

#: Schema columns holding bibliographic details (optional strings, '' when missing).
BIBLIO_FIELDS = ("volume", "issue", "pages", "isbn", "issn")

_DASHES = re.compile(r"\s*[-\u2010-\u2015\u2212]+\s*")
_ISBN = re.compile(r"(?<![0-9Xx])(?:97[89][- ]?)?(?:\d[- ]?){9}[\dXx](?![0-9Xx])")
_ISSN = re.compile(r"(?<![\dXx])(\d{4})-?(\d{3}[\dXx])(?![\dXx])")
_DIGITS = re.compile(r"\d+")


def _text(value: Any) -> str:
    text = as_text(value).strip()
    # spreadsheets and earlier pandas writes leave these words where a cell was empty
    return "" if text in ("nan", "None", "<NA>") else text


def normalize_pages(pages: Any, end: Any = None) -> str:
    """Page range with a plain hyphen; ``end`` (a separate last page) is joined to a start page.

    >>> normalize_pages("e1234"), normalize_pages("12 - 19", "19"), normalize_pages("", "9")
    ('e1234', '12-19', '9')
    """
    text = _DASHES.sub("-", _text(pages)).strip("-")
    last = _text(end)
    if float_like(text):
        text = text[:-2]
    if float_like(last):
        last = last[:-2]
    if last and "-" not in text and last != text:
        return f"{text}-{last}" if text else last
    return text


_NO_BIBLIO = dict.fromkeys(BIBLIO_FIELDS, "")
_RAW_KEYS = BIBLIO_FIELDS + ("page_end",)


def normalize_biblio(raw: Any, clean: Any = _text) -> dict[str, str]:
    """The five schema fields from a raw record (``pages`` or a start page with ``page_end``).

    ``clean`` turns a raw value into plain text (the schema passes its ``clean_text``).

    >>> normalize_biblio({"volume": "7", "pages": "3", "page_end": "9", "issn": "12345678"})
    {'volume': '7', 'issue': '', 'pages': '3-9', 'isbn': '', 'issn': '1234-5678'}
    """
    if not any(raw.get(k) for k in _RAW_KEYS):  # most records of most formats: nothing to do
        return dict(_NO_BIBLIO)
    return {"volume": clean(raw.get("volume")), "issue": clean(raw.get("issue")),
            "pages": normalize_pages(clean(raw.get("pages")), clean(raw.get("page_end"))),
            "isbn": normalize_isbn(clean(raw.get("isbn"))), "issn": normalize_issn(clean(raw.get("issn")))}


def _plain(value: Any) -> Any:
    return value if type(value) is str else _text(value)


def float_like(text: str) -> bool:
    """'12.0' (a page number a spreadsheet turned into a float)."""
    return text.endswith(".0") and text[:-2].isdigit()


def normalize_isbn(value: Any) -> str:
    """ISBNs found in the value, digits only, joined with '; ' ('' when it has none).

    >>> normalize_isbn("ISBN 978-0-262-03384-8 (hbk)"), normalize_isbn("n/a")
    ('9780262033848', '')
    """
    found = [re.sub(r"[- ]", "", m.group(0)).upper() for m in _ISBN.finditer(_text(value))]
    return "; ".join(dict.fromkeys(found))


def normalize_issn(value: Any) -> str:
    """ISSNs found in the value as 'NNNN-NNNN', joined with '; '.

    >>> normalize_issn("1234-5678|8765432X"), normalize_issn("none")
    ('1234-5678; 8765-432X', '')
    """
    found = [f"{a}-{b.upper()}" for a, b in _ISSN.findall(_text(value))]
    return "; ".join(dict.fromkeys(found))


def number_key(value: Any) -> str:
    """The first number of a volume, issue or page value ('' when it has none): what is compared.

    >>> number_key("PART 2"), number_key("no. 03"), number_key("S12-S19"), number_key("Spring")
    ('2', '3', '12', '')
    """
    m = _DIGITS.search(_text(value))
    return str(int(m.group(0))) if m else ""


def isbn_keys(value: Any) -> frozenset[str]:
    """The 9-digit cores of the ISBNs in a value, so an ISBN-10 and its ISBN-13 agree."""
    keys = set()
    for isbn in normalize_isbn(value).split("; "):
        if len(isbn) == 10:
            keys.add(isbn[:9])
        elif len(isbn) == 13:
            keys.add(isbn[3:12] if isbn.startswith("978") else isbn[:12])
    return frozenset(keys)


def issn_keys(value: Any) -> frozenset[str]:
    """The ISSNs in a value, as a set."""
    text = normalize_issn(value)
    return frozenset(text.split("; ")) if text else frozenset()


def merge_biblio(values: list[dict[str, Any]], rep: dict[str, Any]) -> dict[str, str]:
    """Each bibliographic field of a merged record: the representative's, else the first one found.

    >>> merge_biblio([{"volume": "", "pages": "1-9"}, {"volume": "7", "pages": "1"}], {"pages": "1-9"})
    {'volume': '7', 'issue': '', 'pages': '1-9', 'isbn': '', 'issn': ''}
    """
    out = {}
    for field in BIBLIO_FIELDS:
        out[field] = _text(rep.get(field)) or next((_text(v.get(field)) for v in values if _text(v.get(field))), "")
    return out


# ---------------------------------------------------------------- evidence for dedupe

#: Points taken off a title score when both records have the field and it differs. A volume
#: that differs rules the pair out (see :meth:`BiblioEvidence.vetoed`). Print and electronic
#: ISBNs/ISSNs of one work differ legitimately, so they count for less.
PENALTIES = {"issue": 10, "page": 10, "isbn": 10, "issn": 5}


class BiblioEvidence:
    """Comparable cores of the bibliographic fields of records, for pairs ``(a, b)`` of positions.

    >>> ev = BiblioEvidence(["1", "2", ""], ["", "", ""], ["5-9", "5", "7"], ["", "", ""], ["", "", ""])
    >>> ev.vetoed(np.array([0, 0]), np.array([1, 2])).tolist(), ev.penalty(np.array([0, 1]), np.array([2, 2])).tolist()
    ([True, False], [10.0, 10.0])
    """

    def __init__(self, volumes: list, issues: list, pages: list, isbns: list, issns: list) -> None:
        def keys(fn: Any, values: list, empty: Any) -> np.ndarray:
            # '' (most records) skips the regexes; NaN/NA and other values go through _text
            return np.array([empty if v == "" else fn(v) for v in (_plain(v) for v in values)], dtype=object)

        self.volume, self.issue, self.page = (keys(number_key, v, "") for v in (volumes, issues, pages))
        self.isbn, self.issn = keys(isbn_keys, isbns, frozenset()), keys(issn_keys, issns, frozenset())
        self.has = {name: np.array([bool(k) for k in getattr(self, name)], dtype=bool) for name in ("isbn", "issn")}
        # integer codes (-1 = missing) so that millions of candidate pairs compare in numpy
        self.codes = {name: _codes(getattr(self, name)) for name in ("volume", "issue", "page")}

    def vetoed(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Pairs whose volumes differ: different works, whatever their titles."""
        va, vb = self.codes["volume"][a], self.codes["volume"][b]
        return (va >= 0) & (vb >= 0) & (va != vb)

    def penalty(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Points against each pair: issue, first page, ISBNs or ISSNs that disagree."""
        out = np.zeros(len(a))
        for name in ("issue", "page"):
            x, y = self.codes[name][a], self.codes[name][b]
            out += np.where((x >= 0) & (y >= 0) & (x != y), PENALTIES[name], 0)
        for name in ("isbn", "issn"):
            both = np.flatnonzero(self.has[name][a] & self.has[name][b])  # usually few pairs
            keys = getattr(self, name)
            disjoint = [k for k in both if not keys[a[k]] & keys[b[k]]]
            out[disjoint] += PENALTIES[name]
        return out


def _codes(keys: np.ndarray) -> np.ndarray:
    """Each key as a small integer, equal keys equal; '' as -1."""
    lookup: dict[str, int] = {}
    return np.array([-1 if k == "" else lookup.setdefault(k, len(lookup)) for k in keys], dtype=np.int64)
