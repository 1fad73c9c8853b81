"""Header names of the tabular exports, and how their list cells are split.

:data:`GENERIC_HEADERS` maps each canonical field to the (normalised) header names that
databases use for it; :data:`WOS_CODES` does the same for Web of Science field codes.
:data:`CITED_BY_SOURCES` says which database a citation-count header belongs to.

Examples
--------
>>> split_cell_list("[Doe, J; Roe, R] Univ A, Paris, France; [Poe, P] Univ B, Oslo, Norway")
['Univ A, Paris, France', 'Univ B, Oslo, Norway']
>>> split_cell_list("CZ|GB|GB")
['CZ', 'GB', 'GB']
"""

from __future__ import annotations

#: Canonical field -> normalised header names, most specific first. The first non-empty
#: cell wins, except for keywords, which are merged from every matching column.
GENERIC_HEADERS: dict[str, tuple[str, ...]] = {
    "title": ("title", "document title", "item title", "article title", "primary title",
              "paper title", "original title", "display name"),
    "abstract": ("abstract", "abstract note", "abstract text", "original abstract",
                 "abstract inverted index"),
    "authors": ("author full names", "authors", "author", "author names", "first authors",
                "creators", "creator", "first author", "authorships author display name",
                "authorships raw author name"),
    "year": ("year", "publication year", "pubyear", "pub year", "year published", "date",
             "publication date", "date published", "issued", "originalpaperdate"),
    "venue": ("source title", "journal", "journal title", "publication title", "journal book",
              "secondary title", "venue", "publication", "container title", "book title",
              "booktitle", "source", "primary location source display name",
              "host venue display name"),
    "volume": ("volume", "vol", "biblio volume"),
    "issue": ("issue", "number", "issue number", "biblio issue"),
    "pages": ("pages", "page range", "page", "page start", "start page", "first page",
              "biblio first page"),
    "page_end": ("page end", "end page", "last page", "biblio last page"),
    "isbn": ("isbn", "isbns", "print isbn", "electronic isbn"),
    "issn": ("issn", "issns", "eissn", "e issn", "print issn", "electronic issn", "online issn",
             "primary location source issn", "primary location source issn l"),
    "doi": ("doi", "item doi", "originalpaperdoi", "ids doi"),
    "url": ("url", "link", "urls", "article url", "open url link", "pdf link",
            "primary location landing page url", "ids openalex"),
    "keywords": ("author keywords", "keywords", "keyword", "index keywords", "ieee terms",
                 "keywords plus", "mesh terms", "tags", "keywords display name"),
    "pmid": ("pmid", "pubmed id", "pubmed", "originalpaperpubmedid", "ids pmid"),
    "arxiv_id": ("arxiv id", "arxiv", "arxivid"),
    # kept metadata (litscope.metadata): Scopus, OpenAlex's web export, WoS spreadsheets, Lens
    "cited_by": ("cited by", "cited by count", "times cited all databases", "times cited wos core",
                 "times cited", "citationcount", "citation count", "citations", "cites", "citing works count"),
    "references": ("references", "cited references", "referenced works"),
    "language": ("language of original document", "language", "languages"),
    "document_type": ("document type", "publication type", "type", "item type", "content type"),
    "affiliations": ("affiliations", "affiliation", "author affiliations", "addresses",
                     "authorships institutions display name"),
    "countries": ("authorships countries", "countries", "country"),
    "funding": ("funding details", "funding orgs", "funders display name", "funding", "funding text 1",
                "funding text", "grants"),
}
# OpenAlex names a work's title 'display_name', as it names an author's or a journal's: it is a
# title only in a table of works, which has one of these columns too.
_OPENALEX_WORKS = {"publication year", "publication date", "authorships author display name",
                   "primary location source display name", "abstract inverted index"}

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
    "volume": ("VL",),
    "issue": ("IS",),
    "pages": ("BP", "AR"),
    "page_end": ("EP",),
    "isbn": ("BN",),
    "issn": ("SN", "EI"),
    "cited_by": ("TC", "Z9"),  # TC: Core Collection times cited (what bibliometrix reads); Z9: all databases
    "cited_by_date": ("DA",),  # the date the export was made
    "references": ("CR",),
    "language": ("LA",),
    "document_type": ("DT",),
    "affiliations": ("C1",),
    "funding": ("FU",),
}


#: Citation-count header (normalised, or WoS code) -> the database the count is from.
CITED_BY_SOURCES: dict[str, str] = {
    "cited by": "Scopus", "cited by count": "OpenAlex", "times cited all databases": "Web of Science",
    "times cited wos core": "Web of Science", "times cited": "Web of Science", "TC": "Web of Science",
    "Z9": "Web of Science", "citationcount": "Semantic Scholar", "cites": "Google Scholar",
    "citing works count": "Lens",
}
#: Fields whose cells hold lists.
LIST_FIELDS = ("references", "affiliations", "countries", "funding")


def split_cell_list(text: str) -> list[str]:
    """Items of a list cell: '|'-separated (OpenAlex) when it has no ';', else ';'-separated
    outside square brackets, each without a leading '[authors]' group (Web of Science C1)."""
    if "|" in text and ";" not in text:
        return [p.strip() for p in text.split("|") if p.strip()]
    items, depth, start = [], 0, 0
    for i, ch in enumerate(text):  # one pass: cells can be long (hundreds of references)
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0:
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    if depth:  # an unclosed '[' would hide every later separator
        items = text.split(";")
    out = []
    for item in items:
        item = item.strip()
        if item.startswith("[") and "]" in item:
            item = item[item.index("]") + 1:].strip()
        if item:
            out.append(item)
    return out
