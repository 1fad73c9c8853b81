"""PubMed XML (efetch ``PubmedArticleSet``) and PMC efetch XML (``pmc-articleset`` of JATS articles).

XML is parsed safely and record by record (:mod:`litscope.sources._xml`): entity
declarations are refused, never expanded; absurd nesting is refused; and when a file is
broken part-way or cut short, every good record loads and each bad one is listed with its
number, line and reason (or raised with ``errors='raise'``).

Kept besides the citation: volume, issue, pagination, ISSN/ISBN, Language, PublicationType,
affiliations (AffiliationInfo), grants (GrantList, as 'Agency: GrantID') and the ReferenceList
(each reference's DOI when it has one, else its citation text); for PMC articles the JATS
equivalents (aff, funding-source, ref-list, article-type, xml:lang).

Examples
--------
>>> import io
>>> xml = (b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
...        b"<Journal><JournalIssue><PubDate><Year>2020</Year></PubDate></JournalIssue>"
...        b"<Title>J</Title></Journal><ArticleTitle>A <i>TERT</i> study.</ArticleTitle>"
...        b"<AuthorList><Author><LastName>Doe</LastName><ForeName>Jane</ForeName></Author>"
...        b"</AuthorList></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>")
>>> df = read_pubmed_xml(io.BytesIO(xml)).frame
>>> df.loc[0, ["title", "pmid", "venue"]].tolist(), df.loc[0, "authors"], int(df.loc[0, "year"])
(['A TERT study', '1', 'J'], ['Doe, Jane'], 2020)
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element


from ..errors import FeedError, InputError, RecordError
from ..records import FileRecords, SkippedRecord, as_notes
from ..schema import clean_text, to_file_records
from ._io import PathOrBuffer, Sample, source_name
from ._xml import Bad, element_text, local_name, root_element_name, xml_bytes, xml_records

FORMAT = "pubmed_xml"
EXTENSIONS = (".xml", ".nxml")

_ROOTS = {"PubmedArticleSet": "pubmed", "pmc-articleset": "pmc", "PubmedArticle": "pubmed", "article": "pmc"}
_RECORD_TAGS = {"PubmedArticle", "PubmedBookArticle", "article"}
_ERROR_ROOTS = ("eFetchResult", "eSearchResult", "eSummaryResult", "ERROR")


# ---------------------------------------------------------------- sniffing

def sniff(sample: Sample) -> float:
    """PubMed/PMC XML by its root element (or DOCTYPE)."""
    text = sample.text.lstrip()
    if not text.startswith("<"):
        return 0.0
    if re.search(r"<!DOCTYPE\s+(PubmedArticleSet|pmc-articleset)\b", text[:4096]):
        return 0.95
    root = root_element_name(text)
    if root in ("PubmedArticleSet", "pmc-articleset"):
        return 0.95
    if root == "PubmedArticle":
        return 0.8
    if root in ("eFetchResult", "eSearchResult") and "<ERROR>" in text:
        return 0.6  # an E-utilities error response: claim it so the error is reported
    return 0.0


# ---------------------------------------------------------------- PubMed records

def _find_text(elem: Element, path: str) -> str:
    return element_text(elem.find(path))


def _authors(author_list: Element | None) -> list[Any]:
    """PubMed AuthorList as dicts ('Family, Given' once normalised; collective names kept whole)."""
    out: list[Any] = []
    if author_list is None:
        return out
    for author in author_list.findall("Author"):
        if author.get("ValidYN", "Y") == "N":
            continue
        collective = _find_text(author, "CollectiveName")
        last = _find_text(author, "LastName")
        given = _find_text(author, "ForeName") or _find_text(author, "Initials")
        if last:
            out.append({"family": last, "given": given})
        elif collective:
            out.append({"family": collective})
    return out


def _abstract(abstract: Element | None) -> str:
    if abstract is None:
        return ""
    parts = []
    for part in abstract.findall("AbstractText"):
        text = element_text(part)
        label = (part.get("Label") or "").strip()
        if text:
            parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)


def _article_ids(container: Element | None) -> dict[str, str]:
    ids: dict[str, str] = {}
    if container is not None:
        for aid in container.findall("ArticleIdList/ArticleId"):
            kind = (aid.get("IdType") or "").lower()
            if kind and kind not in ids:
                ids[kind] = element_text(aid)
    return ids


def _keywords(elem: Element) -> list[str]:
    words = [element_text(k) for k in elem.findall("KeywordList/Keyword")]
    words += [element_text(d) for d in elem.findall("MeshHeadingList/MeshHeading/DescriptorName")]
    return [w for w in words if w]


def _texts(elem: Element | None, *paths: str) -> list[str]:
    if elem is None:
        return []
    return [t for path in paths for t in (element_text(e) for e in elem.findall(path)) if t]


def _references(elem: Element | None, ref_path: str, id_path: str, text_paths: tuple[str, ...]) -> list[str]:
    """Each reference's DOI when it gives one, else its citation text, followed by
    ``PMID: n`` when it gives a PubMed id (PubMed's citations are often only journal, date
    and pages: the id is what tells which paper it is)."""
    out = []
    for ref in elem.findall(ref_path) if elem is not None else ():
        ids: dict[str, str] = {}  # id type -> its first non-empty value
        for i in ref.findall(id_path):
            if element_text(i):
                ids.setdefault((i.get("IdType") or i.get("pub-id-type") or "").lower(), element_text(i))
        if ids.get("doi"):
            out.append(ids["doi"])
            continue
        text = next((t for t in _texts(ref, *text_paths)), "")
        pmid = ids.get("pubmed") or ids.get("pmid")
        if pmid:
            text = f"{text.rstrip('.')}. PMID: {pmid}" if text else f"PMID: {pmid}"
        if text:
            out.append(text)
    return out


def _pubmed_extras(article: Element, citation: Element, data: Element | None) -> dict[str, Any]:
    """Volume, issue, pages, ISSN, language, publication types, affiliations, grants, references."""
    issue = article.find("Journal/JournalIssue")
    grants = []
    for grant in article.findall("GrantList/Grant"):
        agency, grant_id = _find_text(grant, "Agency"), _find_text(grant, "GrantID")
        if agency or grant_id:
            grants.append(f"{agency}: {grant_id}" if agency and grant_id else agency or grant_id)
    return {"volume": _find_text(issue, "Volume") if issue is not None else "",
            "issue": _find_text(issue, "Issue") if issue is not None else "",
            "pages": _find_text(article, "Pagination/MedlinePgn") or _find_text(article, "Pagination/StartPage"),
            "page_end": "" if _find_text(article, "Pagination/MedlinePgn") else _find_text(article, "Pagination/EndPage"),
            "issn": "; ".join(_texts(article, "Journal/ISSN")),
            "language": _texts(article, "Language"),
            "document_type": _texts(article, "PublicationTypeList/PublicationType"),
            "affiliations": _texts(article, "AuthorList/Author/AffiliationInfo/Affiliation", "AuthorList/Author/Affiliation",
                                   "Affiliation"),
            "funding": grants,
            "references": _references(data, "ReferenceList/Reference", "ArticleIdList/ArticleId", ("Citation",))}


def _pubmed_article(elem: Element) -> dict[str, Any]:
    citation = elem.find("MedlineCitation")
    if citation is None:
        raise ValueError("no MedlineCitation element")
    article = citation.find("Article")
    if article is None:
        raise ValueError("no Article element")
    pmid = _find_text(citation, "PMID")
    title = _find_text(article, "ArticleTitle") or _find_text(article, "VernacularTitle")
    abstract = _abstract(article.find("Abstract"))
    if not abstract:
        for other in citation.findall("OtherAbstract"):
            if other.get("Language", "eng") == "eng":
                abstract = _abstract(other)
                break
    pub_date = article.find("Journal/JournalIssue/PubDate")
    year: Any = None
    if pub_date is not None:
        year = _find_text(pub_date, "Year") or _find_text(pub_date, "MedlineDate")
    if not year:
        year = _find_text(article, "ArticleDate/Year")
    doi = ""
    for loc in article.findall("ELocationID"):
        if (loc.get("EIdType") or "").lower() == "doi" and loc.get("ValidYN", "Y") != "N":
            doi = element_text(loc)
            break
    ids = _article_ids(elem.find("PubmedData"))
    doi = doi or ids.get("doi", "")
    venue = (_find_text(article, "Journal/Title") or _find_text(article, "Journal/ISOAbbreviation")
             or _find_text(citation, "MedlineJournalInfo/MedlineTA"))
    return {"title": title, "abstract": abstract, "authors": _authors(article.find("AuthorList")),
            "year": year, "venue": venue, "doi": doi, "pmid": pmid or ids.get("pubmed", ""),
            "url": f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid.isdigit() else "",
            "keywords": _keywords(citation), **_pubmed_extras(article, citation, elem.find("PubmedData"))}


def _pubmed_book(elem: Element) -> dict[str, Any]:
    doc = elem.find("BookDocument")
    if doc is None:
        raise ValueError("no BookDocument element")
    book = doc.find("Book")
    pmid = _find_text(doc, "PMID")
    chapter = _find_text(doc, "ArticleTitle")
    book_title = _find_text(book, "BookTitle") if book is not None else ""
    authors = _authors(doc.find("AuthorList"))
    if not authors and book is not None:
        lists = [a for a in book.findall("AuthorList") if a.get("Type", "authors") == "authors"]
        authors = _authors(lists[0]) if lists else []
    year: Any = None
    if book is not None:
        year = _find_text(book, "PubDate/Year") or _find_text(book, "PubDate/MedlineDate")
    ids = _article_ids(doc)
    ids.update({k: v for k, v in _article_ids(elem.find("PubmedBookData")).items() if k not in ids})
    venue = book_title if chapter else (_find_text(book, "Publisher/PublisherName") if book is not None else "")
    return {"title": chapter or book_title, "abstract": _abstract(doc.find("Abstract")), "authors": authors,
            "year": year, "venue": venue, "doi": ids.get("doi", ""), "pmid": pmid,
            "url": f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid.isdigit() else "",
            "keywords": _keywords(doc), "isbn": "; ".join(_texts(book, "Isbn")),
            "language": _texts(doc, "Language"), "document_type": _texts(doc, "PublicationType"),
            "affiliations": _texts(doc, "AuthorList/Author/AffiliationInfo/Affiliation"),
            "references": _references(elem.find("PubmedBookData"), "ReferenceList/Reference",
                                      "ArticleIdList/ArticleId", ("Citation",))}


def _jats_article(elem: Element) -> dict[str, Any]:
    """A PMC (JATS) article from its front matter."""
    meta = elem.find("front/article-meta")
    if meta is None:
        raise ValueError("no front/article-meta element")
    ids = {(a.get("pub-id-type") or "").lower(): element_text(a) for a in reversed(meta.findall("article-id"))}
    parts = []
    for abstract in meta.findall("abstract"):
        if abstract.get("abstract-type") not in (None, "", "structured"):
            continue  # graphical/teaser abstracts are not the abstract
        sections = abstract.findall("sec")
        if sections:
            for sec in sections:
                label = _find_text(sec, "title")
                body = " ".join(element_text(p) for p in sec.findall("p"))
                parts.append(f"{label}: {body}" if label and body else body or label)
        else:
            parts.append(" ".join(element_text(p) for p in abstract.findall("p")) or element_text(abstract))
        break
    authors: list[Any] = []
    for contrib in meta.findall("contrib-group/contrib"):
        if contrib.get("contrib-type", "author") != "author":
            continue
        family = _find_text(contrib, "name/surname")
        if family:
            authors.append({"family": family, "given": _find_text(contrib, "name/given-names")})
        elif _find_text(contrib, "collab"):
            authors.append({"family": _find_text(contrib, "collab")})
    year = ""
    dates = meta.findall("pub-date")
    preferred = ("epub", "ppub", "pub", "collection")
    for kind in preferred:
        for date in dates:
            if kind in (date.get("pub-type"), date.get("date-type")) and _find_text(date, "year"):
                year = _find_text(date, "year")
                break
        if year:
            break
    if not year:
        year = next((_find_text(d, "year") for d in dates if _find_text(d, "year")), "")
    keywords = [element_text(k) for k in meta.findall("kwd-group/kwd")]
    pmc = ids.get("pmc", "") or ids.get("pmcid", "")
    pmc = pmc if pmc.upper().startswith("PMC") or not pmc else f"PMC{pmc}"
    return {"title": _find_text(meta, "title-group/article-title"), "abstract": " ".join(p for p in parts if p),
            "authors": authors, "year": year,
            "venue": _find_text(elem, "front/journal-meta/journal-title-group/journal-title")
            or _find_text(elem, "front/journal-meta/journal-title"),
            "doi": ids.get("doi", ""), "pmid": ids.get("pmid", ""),
            "url": f"https://www.ncbi.nlm.nih.gov/pmc/articles/{pmc}/" if pmc else "",
            "keywords": [k for k in keywords if k],
            "volume": _find_text(meta, "volume"), "issue": _find_text(meta, "issue"),
            "pages": _find_text(meta, "fpage") or _find_text(meta, "elocation-id"), "page_end": _find_text(meta, "lpage"),
            "issn": "; ".join(_texts(elem, "front/journal-meta/issn")),
            "language": elem.get("{http://www.w3.org/XML/1998/namespace}lang") or elem.get("xml:lang") or "",
            "document_type": elem.get("article-type") or "",
            "affiliations": _texts(meta, "aff", "contrib-group/aff", "contrib-group/contrib/aff"),
            "funding": _texts(meta, "funding-group/award-group/funding-source"),
            "references": _references(elem, "back/ref-list/ref", "*/pub-id", ("mixed-citation", "element-citation",
                                                                                "citation"))}


_PARSERS = {"PubmedArticle": _pubmed_article, "PubmedBookArticle": _pubmed_book, "article": _jats_article}


def read_pubmed_xml(path: PathOrBuffer, *, encoding: str | None = None, errors: str = "skip") -> FileRecords:
    """Read PubMed XML (``PubmedArticle`` and ``PubmedBookArticle``) or PMC efetch XML (JATS).

    Parameters
    ----------
    path : str, path-like or binary file-like
        The XML file.
    encoding : str, optional
        Override the encoding the XML declares.
    errors : {'skip', 'raise'}
        A record with neither title nor abstract, a record the parser cannot map, or the
        damage in a truncated/broken file: list it in ``skipped`` or raise.

    Returns
    -------
    FileRecords
        Canonical records (``frame``); an article set with no articles gives an empty frame.

    Raises
    ------
    InputError
        The file is not XML, declares entities (refused), or is not PubMed/PMC XML.
    FeedError
        An E-utilities error response (``<ERROR>...``).
    RecordError
        With ``errors='raise'``, for the first bad record.
    """
    name = source_name(path)
    data, used = xml_bytes(path, encoding)

    def on_root(root: Element) -> None:
        tag = local_name(root.tag)
        if tag in _ERROR_ROOTS:
            return  # decided once the whole (small) response is read
        if tag not in _ROOTS:
            raise InputError(f"not PubMed or PMC XML (root element <{tag}>)", file=name)

    def on_record(elem: Element) -> dict[str, Any] | Bad:
        tag = local_name(elem.tag)
        try:
            rec = _PARSERS[tag](elem)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return Bad(f"cannot read <{tag}>: {exc}")
        if not (clean_text(rec["title"]).rstrip(" .") or clean_text(rec["abstract"])):
            return Bad("record has neither title nor abstract")
        return rec

    result = xml_records(data, name, record_tags=_RECORD_TAGS, on_root=on_root, on_record=on_record,
                         errors=errors)
    root = result.root
    if root is not None and local_name(root.tag) in _ERROR_ROOTS:
        messages = [element_text(e) for e in root.iter() if local_name(e.tag) == "ERROR"]
        if messages:
            raise FeedError(f"PubMed E-utilities error: {'; '.join(m for m in messages if m)}", file=name)
        raise InputError(f"not PubMed or PMC XML (root element <{local_name(root.tag)}>)", file=name)
    records: list[dict[str, Any]] = []
    for number, _, rec in result.items:
        rec["source_record"] = number
        records.append(rec)
    skipped: list[SkippedRecord] = list(result.skipped)
    if root is not None and local_name(root.tag) in ("PubmedArticle", "article") and not records and not skipped:
        single = on_record(root)  # a single article saved on its own
        if isinstance(single, Bad):
            if errors == "raise":
                raise RecordError(single.reason, file=name, record=1)
            skipped.append(SkippedRecord(name, 1, None, single.reason))
        else:
            single["source_record"] = 1
            records.append(single)
    return to_file_records(records, source_format=FORMAT, source_file=name, skipped=skipped,
                           notes=as_notes(result.notes, name), encoding=used)
