"""Metadata the exports carry beyond the citation: citation counts, cited references, language,
document type, affiliations, countries and funding.

:data:`META_FIELDS` are schema columns (:mod:`litscope.schema`); :func:`normalize_metadata`
turns a reader's raw values into them, once, for every reader; :func:`merge_metadata` keeps
the richest value of each when :mod:`litscope.dedupe` merges duplicates.

A reader puts any of these keys in its raw record: ``cited_by`` (a count, as text or
number), ``cited_by_source`` (the database: :data:`SOURCES`), ``cited_by_date`` (the date
the count was taken, when the export says), ``references``, ``affiliations``, ``funding``
(lists, or text separated by ``;``), ``countries`` (when the export states them; else
they are read from the affiliations, see :mod:`litscope.metadata.countries`),
``language`` and ``document_type``.

Examples
--------
>>> m = normalize_metadata({"cited_by": "1,204", "cited_by_source": "Scopus", "language": "English",
...                         "affiliations": "Univ A, Paris, France; Univ B, Urbana, IL, United States"})
>>> m["cited_by"], m["language"], m["countries"]
(1204, 'en', ['France', 'United States'])
>>> normalize_metadata({})["references"], normalize_metadata({})["cited_by"] is None
([], True)
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Iterable, Mapping, Sequence

from ..missing import as_text, is_missing
from .countries import countries_of_affiliations, country_of_affiliation, country_of_code
from .languages import normalize_language

__all__ = ["META_FIELDS", "META_LIST_FIELDS", "META_STRING_FIELDS", "SOURCES", "normalize_metadata",
           "normalize_cited_by", "normalize_date", "split_items", "merge_metadata", "countries_of_affiliations",
           "country_of_affiliation", "country_of_code", "normalize_language"]

#: Column -> short description (schema columns, in this order, after ``keywords``).
META_FIELDS: dict[str, str] = {
    "cited_by": "citation count as the export gives it (nullable integer)",
    "cited_by_source": "database the count is from ('Scopus', 'Web of Science', 'OpenAlex', ...; '' when none)",
    "cited_by_date": "ISO date the count was taken, when the export says ('' otherwise)",
    "references": "cited references: DOIs where the export gives DOIs, else the reference strings",
    "language": "language as ISO 639-1 codes joined with '; ' (a name the table lacks is kept as written)",
    "document_type": "document type as the export writes it ('Article', 'Journal Article', 'journal-article')",
    "affiliations": "list of the authors' affiliations as written",
    "countries": "list of countries: stated by the export, else read from the affiliations",
    "funding": "list of funders and grants as written",
}
META_LIST_FIELDS = ("references", "affiliations", "countries", "funding")
META_STRING_FIELDS = ("cited_by_source", "cited_by_date", "language", "document_type")

#: The names used for ``cited_by_source``.
SOURCES = ("Scopus", "Web of Science", "OpenAlex", "Semantic Scholar", "Crossref", "Google Scholar", "PubMed")

_RAW_KEYS = tuple(META_FIELDS)
_NUMBER = re.compile(r"^\s*(\d{1,3}(?:[,\s]\d{3})+|\d+)(?:\.0+)?\s*$")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def normalize_cited_by(value: Any) -> int | None:
    """A citation count as a non-negative integer; None when the value is not one.

    >>> normalize_cited_by("13169"), normalize_cited_by(12.0), normalize_cited_by("1,204"), normalize_cited_by("n/a")
    (13169, 12, 1204, None)
    """
    if value is None or isinstance(value, bool) or is_missing(value):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    m = _NUMBER.match(as_text(value))
    return int(re.sub(r"[,\s]", "", m.group(1))) if m else None


def normalize_date(value: Any) -> str:
    """An ISO date (YYYY-MM-DD) from a date, datetime or text that starts with one ('' otherwise).

    >>> normalize_date("2024-03-05T10:00:00Z"), normalize_date("yesterday")
    ('2024-03-05', '')
    """
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.strftime("%Y-%m-%d")
    m = _ISO_DATE.search(as_text(value))
    if not m:
        return ""
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return ""


def split_items(value: Any, sep: str = ";", clean: Any = None) -> list[str]:
    """Cleaned, non-empty, distinct items of a list or of text separated by ``sep`` (order kept).

    Unlike keywords, items are compared as written (two references may differ only in case).

    >>> split_items("Doe J (2001) X; ; Roe R (2002) Y; Doe J (2001) X")
    ['Doe J (2001) X', 'Roe R (2002) Y']
    """
    if value is None or is_missing(value):
        return []
    if isinstance(value, str):
        items: Iterable[Any] = value.split(sep)
    elif isinstance(value, Iterable) and not isinstance(value, (bytes, Mapping)):
        items = value
    else:
        items = [value]
    out = []
    for item in items:
        text = clean(item) if clean else " ".join(as_text(item).split())
        if text:
            out.append(text)
    return list(dict.fromkeys(out))


_EMPTY = {"cited_by": None, "cited_by_source": "", "cited_by_date": "", "references": [], "language": "",
          "document_type": "", "affiliations": [], "countries": [], "funding": []}


def normalize_metadata(raw: Mapping[str, Any], clean: Any = None) -> dict[str, Any]:
    """The metadata columns from a raw record; ``clean`` turns one value into plain text."""
    if not any(raw.get(k) is not None for k in _RAW_KEYS):  # formats and records without any
        return {k: (list(v) if isinstance(v, list) else v) for k, v in _EMPTY.items()}
    clean = clean or (lambda v: " ".join(as_text(v).split()))
    cited_by = normalize_cited_by(raw.get("cited_by"))
    affiliations = split_items(raw.get("affiliations"), clean=clean)
    stated = raw.get("countries")
    if stated is None:
        countries = countries_of_affiliations(affiliations)
    else:
        items = split_items(stated, clean=clean)
        countries = list(dict.fromkeys(c for c in (country_of_code(i) or country_of_affiliation(i) or i
                                                   for i in items) if c))
    return {
        "cited_by": cited_by,
        # a source or date without a count says nothing
        "cited_by_source": clean(raw.get("cited_by_source")) if cited_by is not None else "",
        "cited_by_date": normalize_date(raw.get("cited_by_date")) if cited_by is not None else "",
        "references": split_items(raw.get("references"), clean=clean),
        "language": normalize_language(clean(raw.get("language")) if isinstance(raw.get("language"), str)
                                       else raw.get("language")),
        "document_type": "; ".join(split_items(raw.get("document_type"), clean=clean)),
        "affiliations": affiliations,
        "countries": countries,
        "funding": split_items(raw.get("funding"), clean=clean),
    }


def _list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    if value is None or is_missing(value):
        return []
    return [as_text(v) for v in value if as_text(v)]


def merge_metadata(records: Sequence[Mapping[str, Any]], rep: Mapping[str, Any]) -> dict[str, Any]:
    """Richest value of each metadata column over the records of one duplicate cluster.

    The highest citation count, with its own source and date (on a tie the representative's,
    then the latest date); list columns are the union in order (the representative's items
    first, then the others' in cluster order); a text column takes the representative's value,
    else the first record's that has one.

    >>> a = {"cited_by": 5, "cited_by_source": "Scopus", "cited_by_date": "", "references": ["x"], "language": ""}
    >>> b = {"cited_by": 9, "cited_by_source": "OpenAlex", "cited_by_date": "2024-01-02", "references": ["y", "x"],
    ...      "language": "en"}
    >>> m = merge_metadata([a, b], a)
    >>> m["cited_by"], m["cited_by_source"], m["cited_by_date"], m["references"], m["language"]
    (9, 'OpenAlex', '2024-01-02', ['x', 'y'], 'en')
    """
    out: dict[str, Any] = {}
    counted = [r for r in records if normalize_cited_by(r.get("cited_by")) is not None]
    if counted:
        best = max(counted, key=lambda r: (normalize_cited_by(r.get("cited_by")), r is rep,
                                           as_text(r.get("cited_by_date"))))
        out["cited_by"] = normalize_cited_by(best.get("cited_by"))
        out["cited_by_source"] = as_text(best.get("cited_by_source"))
        out["cited_by_date"] = as_text(best.get("cited_by_date"))
    else:
        out.update(cited_by=None, cited_by_source="", cited_by_date="")
    ordered = [rep, *[r for r in records if r is not rep]]
    for col in META_LIST_FIELDS:
        out[col] = list(dict.fromkeys(v for r in ordered for v in _list(r.get(col))))
    for col in META_STRING_FIELDS[2:]:
        out[col] = next((as_text(r.get(col)) for r in ordered if as_text(r.get(col))), "")
    return out
