"""PubMed XML (efetch ``PubmedArticleSet``) and PMC efetch XML (``pmc-articleset`` of JATS articles).

XML is parsed with :mod:`defusedxml`, so a document declaring entities (billion laughs,
external entities) is refused with an :class:`~litscope.errors.InputError` instead of being
expanded. The parse is incremental: when a file is cut short or broken part-way, the
records before the damage load and the damage is listed (or raised with ``errors='raise'``).

The safe-parsing helpers here (:func:`xml_records`, :func:`element_text`) are shared with
the arXiv Atom reader.

Examples
--------
>>> import io
>>> xml = (b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
...        b"<Journal><JournalIssue><PubDate><Year>2020</Year></PubDate></JournalIssue>"
...        b"<Title>J</Title></Journal><ArticleTitle>A <i>TERT</i> study.</ArticleTitle>"
...        b"<AuthorList><Author><LastName>Doe</LastName><ForeName>Jane</ForeName></Author>"
...        b"</AuthorList></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>")
>>> df = read_pubmed_xml(io.BytesIO(xml))
>>> df.loc[0, ["title", "pmid", "venue"]].tolist(), df.loc[0, "authors"], int(df.loc[0, "year"])
(['A TERT study', '1', 'J'], ['Doe, Jane'], 2020)
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any, Callable
from xml.etree.ElementTree import Element, ParseError

import pandas as pd

from ..errors import FeedError, InputError, LitscopeError, RecordError
from ..schema import SkippedRecord, clean_text, to_frame
from ._io import PathOrBuffer, Sample, read_bytes, source_name

FORMAT = "pubmed_xml"
EXTENSIONS = (".xml", ".nxml")

_MATHML = "{http://www.w3.org/1998/Math/MathML}"
_ROOTS = {"PubmedArticleSet": "pubmed", "pmc-articleset": "pmc", "PubmedArticle": "pubmed", "article": "pmc"}
_RECORD_TAGS = {"PubmedArticle", "PubmedBookArticle", "article"}
_ERROR_ROOTS = ("eFetchResult", "eSearchResult", "eSummaryResult", "ERROR")


# ---------------------------------------------------------------- shared safe-XML helpers

def local_name(tag: Any) -> str:
    """Tag name without its ``{namespace}``.

    >>> local_name("{http://www.w3.org/2005/Atom}entry")
    'entry'
    """
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def root_element_name(text: str) -> str:
    """Name of the first element of an XML text (after declaration, comments and DOCTYPE), or ''.

    >>> root_element_name('<?xml version="1.0"?>\\n<!DOCTYPE a [<!ENTITY x "y">]><!-- c --><ns:feed xmlns:ns="u">')
    'ns:feed'
    """
    pos, n = 0, len(text)
    while pos < n:
        while pos < n and text[pos].isspace():
            pos += 1
        if text.startswith("<?", pos):
            end = text.find("?>", pos)
            end = end + 1 if end >= 0 else end
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos)
            end = end + 2 if end >= 0 else end
        elif text.startswith("<!DOCTYPE", pos) or text.startswith("<!doctype", pos):
            m = re.compile(r"<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>", re.S | re.I).match(text, pos)
            end = m.end() - 1 if m else -1
        else:
            m = re.compile(r"<([A-Za-z_][\w.:-]*)").match(text, pos)
            return m.group(1) if m else ""
        if end < 0:
            return ""
        pos = end + 1
    return ""


def element_text(elem: Element | None) -> str:
    """Text of an element with its inline markup (``<i>``, ``<sup>``, MathML) flattened.

    Iterative, so absurdly deep nesting cannot exhaust the stack; MathML is written
    without spaces between its tokens ('VO2max', not 'V O 2 m a x').

    >>> from xml.etree.ElementTree import fromstring
    >>> element_text(fromstring("<t>A <i>TERT</i> gene<sup>2</sup></t>"))
    'A TERT gene2'
    """
    if elem is None:
        return ""
    parts: list[str] = []
    stack: list[Any] = [elem]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        if isinstance(item.tag, str) and item.tag.startswith(_MATHML):
            parts.append(" " + (item.get("alttext") or "".join(t.strip() for t in item.itertext())) + " ")
            continue
        if item.text:
            parts.append(item.text)
        for child in reversed(list(item)):
            if child.tail:
                stack.append(child.tail)
            stack.append(child)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _parse_error_line(exc: BaseException) -> int | None:
    position = getattr(exc, "position", None)
    return position[0] if isinstance(position, tuple) and position else None


@dataclass
class XmlRecords:
    """What :func:`xml_records` found: the root element, the record elements, and the damage."""

    root: Element | None
    broken: tuple[int | None, int | None, str] | None  # (record, line, reason) when parsing stopped early


def xml_records(data: bytes, name: str, *, record_tags: set[str], on_root: Callable[[Element], None],
                on_record: Callable[[int, Element], None]) -> XmlRecords:
    """Parse XML safely and incrementally, calling ``on_record(number, element)`` per record.

    Records are the children of the root whose local name is in ``record_tags``; each is
    cleared after ``on_record`` so large files stay small in memory. ``on_root`` sees the
    root element first and may raise to refuse the document.

    Raises
    ------
    InputError
        When the document declares entities (refused, never expanded) or is not
        well-formed before its first record.
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    root: Element | None = None
    depth = 0
    started = 0  # records whose start tag was seen
    open_record = False
    try:
        for event, elem in iterparse(io.BytesIO(data), events=("start", "end"),
                                     forbid_dtd=False, forbid_entities=True, forbid_external=True):
            if event == "start":
                depth += 1
                if root is None:
                    root = elem
                    on_root(elem)
                elif depth == 2 and local_name(elem.tag) in record_tags:
                    started += 1
                    open_record = True
                continue
            depth -= 1
            if depth == 1 and open_record and local_name(elem.tag) in record_tags:
                open_record = False
                on_record(started, elem)
                elem.clear()
    except LitscopeError:
        raise  # refused by on_root / on_record (RecordError, FeedError): not a parse error
    except DefusedXmlException as exc:
        raise InputError("refused unsafe XML: the document declares entities or external "
                         f"references ({type(exc).__name__}); they are never expanded", file=name) from exc
    except (ParseError, ValueError, LookupError, UnicodeError, SyntaxError) as exc:
        line = _parse_error_line(exc)
        if root is None or (started == 0 and not open_record):
            raise InputError(f"not well-formed XML: {exc}", file=name, line=line) from exc
        if open_record:
            return XmlRecords(root, (started, line, f"malformed XML inside the record: {exc}"))
        return XmlRecords(root, (None, line, f"malformed XML after record {started}: {exc}; "
                                             "the rest of the file could not be read"))
    if root is None:
        raise InputError("not XML: no root element", file=name)
    return XmlRecords(root, None)


def declared_encoding(data: bytes) -> str:
    """Encoding named in the XML declaration (default utf-8)."""
    m = re.match(rb"\s*<\?xml[^>]*encoding=[\"']([A-Za-z0-9._-]+)[\"']", data)
    return m.group(1).decode("ascii").lower() if m else "utf-8"


def xml_bytes(path: PathOrBuffer, encoding: str | None) -> tuple[bytes, str]:
    """Bytes to parse and the encoding they are in; an explicit encoding is transcoded to UTF-8."""
    data = read_bytes(path)
    if isinstance(data, str):  # pragma: no cover - read_bytes always returns bytes
        data = data.encode("utf-8")
    if not encoding:
        return data, declared_encoding(data)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError(f"cannot decode as {encoding}: {exc}", file=source_name(path)) from exc
    text = re.sub(r"^(\s*<\?xml[^>]*encoding=)[\"'][^\"']*[\"']", r'\1"utf-8"', text.lstrip("\ufeff"))
    return text.encode("utf-8"), encoding


def start_lines(data: bytes, pattern: bytes) -> list[int]:
    """1-based line numbers where each match of ``pattern`` starts (record start tags)."""
    lines, last, line = [], 0, 1
    for m in re.finditer(pattern, data):
        line += data.count(b"\n", last, m.start())
        last = m.start()
        lines.append(line)
    return lines


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
            "keywords": _keywords(citation)}


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
            "keywords": _keywords(doc)}


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
            "keywords": [k for k in keywords if k]}


_PARSERS = {"PubmedArticle": _pubmed_article, "PubmedBookArticle": _pubmed_book, "article": _jats_article}


def read_pubmed_xml(path: PathOrBuffer, *, encoding: str | None = None, errors: str = "skip") -> pd.DataFrame:
    """Read PubMed XML (``PubmedArticle`` and ``PubmedBookArticle``) or PMC efetch XML (JATS).

    Parameters
    ----------
    path : str, path-like or binary file-like
        The XML file.
    encoding : str, optional
        Override the encoding the XML declares.
    errors : {'skip', 'raise'}
        A record with neither title nor abstract, a record the parser cannot map, or the
        damage in a truncated/broken file: list it in ``attrs["skipped"]`` or raise.

    Returns
    -------
    pandas.DataFrame
        Canonical records; an article set with no articles gives an empty frame.

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
    lines = start_lines(data, rb"<(?:PubmedArticle|PubmedBookArticle|article)[\s>]")
    records: list[dict[str, Any]] = []
    skipped: list[SkippedRecord] = []

    def line_of(number: int | None) -> int | None:
        return lines[number - 1] if number and len(lines) >= number else None

    def bad(number: int | None, line: int | None, reason: str) -> None:
        if errors == "raise":
            raise RecordError(reason, file=name, record=number, line=line)
        skipped.append(SkippedRecord(name, number, line, reason))

    def on_root(root: Element) -> None:
        tag = local_name(root.tag)
        if tag in _ERROR_ROOTS:
            return  # decided once the whole (small) response is read
        if tag not in _ROOTS:
            raise InputError(f"not PubMed or PMC XML (root element <{tag}>)", file=name)

    def on_record(number: int, elem: Element) -> None:
        tag = local_name(elem.tag)
        try:
            rec = _PARSERS[tag](elem)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            bad(number, line_of(number), f"cannot read <{tag}>: {exc}")
            return
        if not (clean_text(rec["title"]).rstrip(" .") or clean_text(rec["abstract"])):
            bad(number, line_of(number), "record has neither title nor abstract")
            return
        rec["source_record"] = number
        records.append(rec)

    result = xml_records(data, name, record_tags=_RECORD_TAGS, on_root=on_root, on_record=on_record)
    root = result.root
    if root is not None and local_name(root.tag) in _ERROR_ROOTS:
        messages = [element_text(e) for e in root.iter() if local_name(e.tag) == "ERROR"]
        if messages:
            raise FeedError(f"PubMed E-utilities error: {'; '.join(m for m in messages if m)}", file=name)
        raise InputError(f"not PubMed or PMC XML (root element <{local_name(root.tag)}>)", file=name)
    if root is not None and local_name(root.tag) in ("PubmedArticle", "article") and not records and not skipped \
            and result.broken is None:
        on_record(1, root)  # a single article saved on its own
    if result.broken is not None:
        number, line, reason = result.broken
        bad(number, line, reason)
    df = to_frame(records, source_format=FORMAT, source_file=name, skipped=skipped)
    df.attrs["encoding"] = used
    return df
