"""Record shapes found in JSON from literature APIs and reference managers.

Used by the JSON reader and the HTTP-cassette reader. Two steps:

:func:`unwrap` finds the record candidates inside one parsed JSON value (a Semantic
Scholar search page ``{"data": [...]}``, a Crossref ``message``, an OpenAlex
``results`` list, an author's ``papers``...) and raises for whole-response errors;
:func:`to_record` maps one candidate to a raw record dict for :func:`litscope.schema.to_file_records`,
choosing the mapping by the candidate's keys (:func:`shape_of`).

Every mapper returns only strings, lists of strings, and author dicts of strings, whatever
the JSON holds, so hostile or odd values can never break normalisation.

Examples
--------
>>> rec, reason = to_record({"id": "https://openalex.org/W1", "display_name": "T",
...                          "abstract_inverted_index": {"world": [1], "Hello": [0]}})
>>> rec["abstract"], shape_of({"paperId": "x"})
('Hello world', 'semantic_scholar')
"""

from __future__ import annotations

import re
from typing import Any, Callable

from ..errors import FeedError, InputError
from ..schema import clean_text
from ._json_meta import json_metadata
from ._json_values import _jats_abstract, get, inline_text, openalex_abstract, people, text, texts, year_of

#: Lists inside an envelope object that hold the records (checked in this order).
ENVELOPE_KEYS = ("data", "results", "items", "records", "papers", "works", "recommendedPapers",
                 "references", "citations", "entries", "hits")
#: Keys (lower-case) that make a flat dict a plausible record.
GENERIC_KEYS = {
    "title": ("title", "article_title", "paper_title", "document_title", "primary_title", "ti"),
    "abstract": ("abstract", "abstractnote", "summary", "description", "ab"),
    "authors": ("authors", "author", "creators", "author_names", "au"),
    "year": ("year", "publication_year", "pub_year", "py", "date", "publication_date", "published",
             "issued", "pubdate"),
    "venue": ("venue", "journal", "journal_title", "source_title", "source", "container-title",
              "publication", "publicationtitle", "booktitle", "conference", "so"),
    "doi": ("doi", "di"),
    "arxiv_id": ("arxiv_id", "arxiv", "arxivid", "eprint"),
    "pmid": ("pmid", "pubmed_id", "pubmedid"),
    "url": ("url", "link", "href", "article_url", "landing_page_url"),
    "keywords": ("keywords", "keyword", "tags", "subjects", "subject", "categories", "kw"),
}
_RECORD_HINTS = {"paperid", "externalids", "abstract_inverted_index", "display_name", "container-title",
                 "itemtype", "citation-key"} | {k for keys in GENERIC_KEYS.values() for k in keys
                                                if k not in ("date", "source", "link", "href", "published")}


# ---------------------------------------------------------------- shapes

def shape_of(item: dict) -> str:
    """Name of the mapping for one record dict.

    >>> shape_of({"DOI": "10.1/x", "container-title": ["J"]}), shape_of({"title": "t"})
    ('csl', 'generic')
    """
    ident = item.get("id")
    if "paperId" in item or ("externalIds" in item and "corpusId" in item):
        return "semantic_scholar"
    if (isinstance(ident, str) and ident.startswith("https://openalex.org/W")) or "authorships" in item \
            or "abstract_inverted_index" in item or ("display_name" in item and "publication_year" in item):
        return "openalex"
    if ("itemType" in item and "creators" in item) or "abstractNote" in item or "publicationTitle" in item:
        return "zotero"
    uid = item.get("uid")
    if (isinstance(uid, str) and uid.startswith("GS:")) or "cites_url" in item or "article_url" in item:
        return "google_scholar"
    # CSL-JSON and Crossref: their own keys, or a DOI with a CSL type / author list of name parts.
    if any(k in item for k in ("container-title", "issued", "citation-key", "reference-count", "published-print",
                               "published-online")) \
            or ("DOI" in item and ("type" in item or isinstance(item.get("author"), list))):
        return "csl"
    return "generic"


def _semantic_scholar(d: dict) -> dict[str, Any]:
    ext = d.get("externalIds") if isinstance(d.get("externalIds"), dict) else {}
    keywords = texts(d.get("fieldsOfStudy")) or texts(d.get("s2FieldsOfStudy"))
    return {"title": inline_text(d.get("title")), "abstract": inline_text(d.get("abstract")),
            "authors": people(d.get("authors")), "year": year_of(d.get("year") or d.get("publicationDate")),
            "venue": (text(d.get("venue")) or text(get(d, "publicationVenue", "name"))
                      or text(get(d, "journal", "name"))),
            "doi": text(ext.get("DOI")), "arxiv_id": text(ext.get("ArXiv")), "pmid": text(ext.get("PubMed")),
            "url": text(d.get("url")), "keywords": keywords}


def _openalex(d: dict) -> dict[str, Any]:
    authors = []
    authorships = d.get("authorships")
    for authorship in authorships if isinstance(authorships, list) else []:
        if isinstance(authorship, dict):
            name = text(get(authorship, "author", "display_name")) or text(authorship.get("raw_author_name"))
            if name:
                authors.append(name)
    ids = d.get("ids") if isinstance(d.get("ids"), dict) else {}
    venue = (text(get(d, "primary_location", "source", "display_name")) or text(get(d, "host_venue", "display_name")))
    landing = text(get(d, "primary_location", "landing_page_url"))
    arxiv = landing if "arxiv.org/abs/" in landing else ""
    keywords = texts(d.get("keywords")) or texts(d.get("concepts"))
    abstract = openalex_abstract(d.get("abstract_inverted_index")) or text(d.get("abstract"))
    return {"title": inline_text(d.get("display_name")) or inline_text(d.get("title")), "abstract": abstract,
            "authors": authors,
            "year": year_of(d.get("publication_year") or d.get("publication_date")), "venue": venue,
            "doi": text(d.get("doi")) or text(ids.get("doi")), "arxiv_id": arxiv, "pmid": text(ids.get("pmid")),
            # the work's OpenAlex id (as the CSV export gives it): what referenced_works cite
            "url": text(d.get("id")) or landing, "keywords": keywords}


def _csl(d: dict) -> dict[str, Any]:
    """CSL-JSON (Zotero, Better BibTeX, citeproc) and Crossref works: the same field names."""
    year = None
    for key in ("issued", "published-print", "published-online", "published", "original-date"):
        year = year_of(d.get(key))
        if year:
            break
    keywords = d.get("keyword") if d.get("keyword") is not None else d.get("subject")
    if isinstance(keywords, str):
        keywords = re.split(r"\s*[;,]\s*", keywords)
    venue = text(d.get("container-title")) or text(d.get("short-container-title")) or text(d.get("event-title"))
    return {"title": inline_text(d.get("title")), "abstract": _jats_abstract(d.get("abstract")),
            "authors": people(d.get("author"), literal_names=True), "year": year, "venue": venue,
            "doi": text(d.get("DOI")),
            "pmid": text(d.get("PMID")), "url": text(d.get("URL")), "keywords": texts(keywords)}


def _zotero(d: dict) -> dict[str, Any]:
    creators = [c for c in d.get("creators") or [] if isinstance(c, dict)
                and c.get("creatorType", "author") == "author"] if isinstance(d.get("creators"), list) else []
    extra = text(d.get("extra"))
    pmid = re.search(r"PMID:\s*(\d+)", extra)
    arxiv = re.search(r"arXiv:\s*(\S+)", extra)
    venue = next((text(d.get(k)) for k in ("publicationTitle", "proceedingsTitle", "bookTitle", "websiteTitle",
                                           "conferenceName", "repository") if text(d.get(k))), "")
    return {"title": inline_text(d.get("title")), "abstract": inline_text(d.get("abstractNote")),
            "authors": people(creators),
            "year": year_of(d.get("date")), "venue": venue, "doi": text(d.get("DOI")),
            "pmid": pmid.group(1) if pmid else "", "arxiv_id": arxiv.group(1) if arxiv else "",
            "url": text(d.get("url")), "keywords": texts(d.get("tags"))}


def _google_scholar(d: dict) -> dict[str, Any]:
    rec = _generic(d)
    rec["venue"] = text(d.get("source")) or text(d.get("venue")) or text(d.get("journal"))
    rec["url"] = text(d.get("article_url")) or text(d.get("url"))
    return rec


def _generic(d: dict) -> dict[str, Any]:
    lower = {k.lower(): v for k, v in d.items() if isinstance(k, str)}

    def pick(field: str) -> Any:
        for key in GENERIC_KEYS[field]:
            value = lower.get(key)
            if value not in (None, "", []):
                return value
        return None

    keywords = pick("keywords")
    if isinstance(keywords, str):
        keywords = re.split(r"\s*[;,]\s*", keywords)
    venue = pick("venue")
    return {"title": inline_text(pick("title")), "abstract": inline_text(pick("abstract")),
            "authors": people(pick("authors")), "year": year_of(pick("year")),
            "venue": text(venue) or (text(venue.get("name")) if isinstance(venue, dict) else ""),
            "doi": text(pick("doi")), "arxiv_id": text(pick("arxiv_id")), "pmid": text(pick("pmid")),
            "url": text(pick("url")), "keywords": texts(keywords)}


MAPPERS: dict[str, Callable[[dict], dict[str, Any]]] = {
    "semantic_scholar": _semantic_scholar, "openalex": _openalex, "zotero": _zotero,
    "google_scholar": _google_scholar, "csl": _csl, "generic": _generic,
}


def has_text(rec: dict[str, Any]) -> bool:
    """Whether a raw record keeps a title or an abstract once normalised (markup, dots and spaces removed).

    >>> has_text({"title": "<b> </b>", "abstract": ""}), has_text({"title": " . ", "abstract": "x"})
    (False, True)
    """
    return bool(clean_text(rec.get("title")).rstrip(" .") or clean_text(rec.get("abstract")))


def _json_type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def to_record(item: Any) -> tuple[dict[str, Any] | None, str]:
    """Map one record candidate: ``(raw_record, shape)`` or ``(None, reason it is not a record)``."""
    if not isinstance(item, dict):
        return None, f"record is {_json_type(item)}, not an object"
    for wrapper in ("citingPaper", "citedPaper"):  # Semantic Scholar citation/reference entries
        if isinstance(item.get(wrapper), dict) and "title" not in item:
            item = item[wrapper]
            break
    shape = shape_of(item)
    rec = MAPPERS[shape](item)
    rec.update(json_metadata(shape, item))  # citation count, references, affiliations... (_json_meta)
    if not has_text(rec):
        return None, f"record has neither title nor abstract ({shape.replace('_', ' ')} record)"
    return rec, shape


def is_record_like(item: Any) -> bool:
    """Whether a dict has any key of a known record shape (title, DOI, paperId, ...)."""
    if not isinstance(item, dict):
        return False
    for wrapper in ("citingPaper", "citedPaper"):
        if isinstance(item.get(wrapper), dict):
            return True
    return any(isinstance(k, str) and k.lower() in _RECORD_HINTS for k in item) or shape_of(item) != "generic"


def _is_s2_author(item: Any) -> bool:
    return isinstance(item, dict) and "authorId" in item and "paperId" not in item and "title" not in item


def _error_message(d: dict) -> str | None:
    """The message of a whole-response API error, or None when ``d`` is not one."""
    if is_record_like(d) and "message" not in d:
        return None
    status = d.get("status")
    if isinstance(status, str) and status.lower() in ("failed", "error") and "message" in d:
        message = d.get("message")
        if isinstance(message, list):  # Crossref validation failure: [{"type", "value", "message"}]
            return "; ".join(text(m.get("message")) if isinstance(m, dict) else text(m) for m in message) or status
        return text(message) or text(get(message, "message")) or f"status {status}"
    if "error" in d and not any(k in d for k in ENVELOPE_KEYS if isinstance(d.get(k), list)) and not is_record_like(d):
        err = d.get("error")
        return text(err) or text(get(err, "message")) or text(d.get("message")) or "unspecified error"
    if isinstance(d.get("message"), str) and len(d) <= 4 and not is_record_like(d) \
            and not any(isinstance(v, list) for v in d.values()):
        return d["message"]
    return None


def unwrap(value: Any, *, file: str, _depth: int = 0) -> list[Any]:
    """The record candidates inside one parsed JSON document.

    Raises
    ------
    FeedError
        The document is an API error response (Semantic Scholar ``{"error": ...}`` or
        ``{"message": ...}``, Crossref ``"status": "failed"``).
    InputError
        The document is JSON but not records: a Semantic Scholar author without papers,
        a list of numbers, an object with no record fields.
    """
    if isinstance(value, list):
        if value and all(isinstance(v, list) for v in value) and any(is_record_like(x) for v in value for x in v):
            value = [x for v in value for x in v]  # records one list too deep: pages of results, or a stray '['
        if value and all(_is_s2_author(v) for v in value):
            return _author_papers(value, file)
        if value and not any(isinstance(v, dict) for v in value):
            raise InputError(f"JSON list of {_json_type(value[0]).split(' ', 1)[-1]}s, not literature records",
                             file=file)
        if value and not any(is_record_like(v) for v in value):
            keys = sorted({k for v in value if isinstance(v, dict) for k in v if isinstance(k, str)})[:8]
            raise InputError("JSON objects with none of the record fields (title, abstract, doi, ...); "
                             f"keys seen: {', '.join(keys) or 'none'}", file=file)
        return value
    if not isinstance(value, dict):
        raise InputError(f"JSON document is {_json_type(value)}, not literature records", file=file)
    message = _error_message(value)
    if message is not None:
        raise FeedError(f"API error response: {message}", file=file)
    if "message-type" in value or ("status" in value and isinstance(value.get("message"), dict)):
        message_body = value.get("message")
        if isinstance(message_body, dict):
            items = message_body.get("items")
            return items if isinstance(items, list) else [message_body]
    if _is_s2_author(value):
        return _author_papers([value], file)
    if is_record_like(value) and not (isinstance(value.get("data"), list) or isinstance(value.get("results"), list)):
        return [value]
    for key in ENVELOPE_KEYS:
        items = value.get(key)
        if isinstance(items, list):
            if items and all(_is_s2_author(v) for v in items):
                return _author_papers(items, file)
            return items
    if isinstance(value.get("message"), dict) and _depth < 3:
        return unwrap(value["message"], file=file, _depth=_depth + 1)
    keys = [k for k in value if isinstance(k, str)][:8]
    raise InputError("JSON object with none of the record fields (title, abstract, doi, ...) and no list of "
                     f"records; keys: {', '.join(keys) or 'none'}", file=file)


def _author_papers(authors: list[dict], file: str) -> list[Any]:
    """Papers listed in Semantic Scholar author records, or a clear error when there are none."""
    papers: list[Any] = []
    for author in authors:
        if isinstance(author.get("papers"), list):
            papers.extend(author["papers"])
    if not papers:
        names = ", ".join(text(a.get("name")) or text(a.get("authorId")) for a in authors[:3])
        what = "an author profile" if len(authors) == 1 else f"{len(authors)} author profiles"
        raise InputError(f"Semantic Scholar {what} ({names}), not papers, and it lists no papers; "
                         "request the author's papers (fields=papers.title,...) to read them", file=file)
    return papers
