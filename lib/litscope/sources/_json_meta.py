"""Metadata of JSON records beyond the citation (see :mod:`litscope.metadata`), per record shape.

:func:`json_metadata` adds to a record mapped by :mod:`._json_shapes` what its shape carries:

================  ==========================================================================
OpenAlex          cited_by_count (dated by updated_date), referenced_works, language, type,
                  authorships' raw_affiliation_strings (else institution names) and their
                  institutions' country_code, grants/funders, biblio volume/issue/pages, ISSN
Semantic Scholar  citationCount, references (DOI, else title), publicationTypes,
                  journal volume/pages, authors' affiliations
Crossref / CSL    is-referenced-by-count (Crossref, dated by indexed), reference (DOI, else
                  the unstructured text), funder (name and awards), language, type, volume,
                  issue, page, ISSN, ISBN, authors' affiliation names
Zotero            language, itemType, volume, issue, pages, ISSN, ISBN
Google Scholar    the citation count (cited_by / num_citations / citations)
================  ==========================================================================

Examples
--------
>>> m = json_metadata("openalex", {"cited_by_count": 7, "updated_date": "2024-05-01T00:00:00",
...     "referenced_works": ["https://openalex.org/W1"], "language": "en", "type": "article",
...     "authorships": [{"institutions": [{"display_name": "MIT", "country_code": "US"}]}]})
>>> m["cited_by"], m["cited_by_date"], m["references"], m["affiliations"], m["countries"]
(7, '2024-05-01T00:00:00', ['https://openalex.org/W1'], ['MIT'], ['US'])
"""

from __future__ import annotations

from typing import Any, Callable

from ._json_values import get, text, texts

__all__ = ["json_metadata"]


def _dicts(value: Any) -> list[dict]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _count(value: Any) -> Any:
    return value if isinstance(value, (int, str)) and not isinstance(value, bool) else None


def _openalex(d: dict) -> dict[str, Any]:
    affiliations: list[str] = []
    countries: list[str] = []
    for authorship in _dicts(d.get("authorships")):
        institutions = _dicts(authorship.get("institutions"))
        raw = texts(authorship.get("raw_affiliation_strings"))
        affiliations += raw or [text(i.get("display_name")) for i in institutions if text(i.get("display_name"))]
        countries += [text(i.get("country_code")) for i in institutions if text(i.get("country_code"))]
        countries += texts(authorship.get("countries"))
    funding = []
    for grant in _dicts(d.get("grants")) + _dicts(d.get("awards")):
        funder, award = text(grant.get("funder_display_name")), text(grant.get("award_id") or grant.get("funder_award_id"))
        if funder or award:
            funding.append(f"{funder}: {award}" if funder and award else funder or award)
    if not funding:
        funding = texts(d.get("funders"))
    biblio = d.get("biblio") if isinstance(d.get("biblio"), dict) else {}
    rec: dict[str, Any] = {
        "cited_by": _count(d.get("cited_by_count")), "cited_by_source": "OpenAlex",
        "cited_by_date": text(d.get("updated_date")),
        "references": texts(d.get("referenced_works")), "language": text(d.get("language")),
        "document_type": text(d.get("type")) or text(d.get("type_crossref")),
        "affiliations": affiliations, "funding": funding,
        "volume": text(biblio.get("volume")), "issue": text(biblio.get("issue")),
        "pages": text(biblio.get("first_page")), "page_end": text(biblio.get("last_page")),
        "issn": "; ".join(texts(get(d, "primary_location", "source", "issn"))),
    }
    if countries:  # stated codes; without them the countries are read from the affiliations
        rec["countries"] = countries
    return rec


def _semantic_scholar(d: dict) -> dict[str, Any]:
    refs = []
    for ref in _dicts(d.get("references")):
        ref = ref.get("citedPaper") if isinstance(ref.get("citedPaper"), dict) else ref
        ext = ref.get("externalIds") if isinstance(ref.get("externalIds"), dict) else {}
        found = text(ext.get("DOI")) or text(ref.get("title"))
        if found:
            refs.append(found)
    journal = d.get("journal") if isinstance(d.get("journal"), dict) else {}
    return {"cited_by": _count(d.get("citationCount")), "cited_by_source": "Semantic Scholar",
            "references": refs, "document_type": texts(d.get("publicationTypes")),
            "volume": text(journal.get("volume")), "pages": text(journal.get("pages")).strip(),
            "affiliations": [a for author in _dicts(d.get("authors")) for a in texts(author.get("affiliations"))]}


def _reference_text(ref: dict) -> str:
    """A Crossref reference: its DOI, else its unstructured text, else its parts joined."""
    found = text(ref.get("DOI")) or text(ref.get("unstructured"))
    if found:
        return found
    parts = [text(ref.get(k)) for k in ("author", "year", "article-title", "volume-title", "series-title",
                                         "journal-title", "volume", "first-page")]
    return ", ".join(p for p in parts if p)


def _csl(d: dict) -> dict[str, Any]:
    funding = []
    for funder in _dicts(d.get("funder")):
        name, awards = text(funder.get("name")), texts(funder.get("award"))
        if name or awards:
            funding.append(f"{name}: {', '.join(awards)}" if name and awards else name or ", ".join(awards))
    rec: dict[str, Any] = {
        "references": [r for r in (_reference_text(ref) for ref in _dicts(d.get("reference"))) if r],
        "language": text(d.get("language")), "document_type": text(d.get("type")),
        "affiliations": [text(a.get("name")) for author in _dicts(d.get("author"))
                         for a in _dicts(author.get("affiliation")) if text(a.get("name"))],
        "funding": funding, "volume": text(d.get("volume")), "issue": text(d.get("issue")),
        "pages": text(d.get("page")), "issn": "; ".join(texts(d.get("ISSN"))),
        "isbn": "; ".join(texts(d.get("ISBN"))),
    }
    if _count(d.get("is-referenced-by-count")) is not None:  # a Crossref work
        rec.update(cited_by=_count(d["is-referenced-by-count"]), cited_by_source="Crossref",
                   cited_by_date=text(get(d, "indexed", "date-time")))
    return rec


def _zotero(d: dict) -> dict[str, Any]:
    return {"language": text(d.get("language")), "document_type": text(d.get("itemType")),
            "volume": text(d.get("volume")), "issue": text(d.get("issue")), "pages": text(d.get("pages")),
            "issn": text(d.get("ISSN")), "isbn": text(d.get("ISBN"))}


def _google_scholar(d: dict) -> dict[str, Any]:
    count = next((_count(d.get(k)) for k in ("cited_by", "num_citations", "citations", "cites")
                  if _count(d.get(k)) is not None), None)
    if isinstance(d.get("cited_by"), dict):  # SerpAPI: {"total": 12, "link": ...}
        count = _count(d["cited_by"].get("total"))
    return {"cited_by": count, "cited_by_source": "Google Scholar"} if count is not None else {}


_BY_SHAPE: dict[str, Callable[[dict], dict[str, Any]]] = {
    "openalex": _openalex, "semantic_scholar": _semantic_scholar, "csl": _csl, "zotero": _zotero,
    "google_scholar": _google_scholar,
}


def json_metadata(shape: str, item: dict) -> dict[str, Any]:
    """Raw metadata fields of one JSON record of ``shape`` ({} for shapes that carry none)."""
    mapper = _BY_SHAPE.get(shape)
    return mapper(item) if mapper else {}
