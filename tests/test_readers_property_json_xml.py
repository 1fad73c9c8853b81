"""Property tests of the JSON and XML readers (PubMed XML, arXiv Atom, JSON, HTTP cassettes).

Whatever they get - random text or bytes, random JSON values (also shaped like the records
and envelopes of the APIs), tag soup in PubMed/Atom vocabulary, random cassettes, or real
fixtures truncated, with lines deleted or salted with garbage - each reader either returns a
frame that passes ``schema.validate`` or raises a ``LitscopeError`` subclass; nothing else.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litscope.errors import LitscopeError
from litscope.sources.arxiv import read_arxiv
from litscope.sources.json import read_json
from litscope.sources.pubmed_xml import read_pubmed_xml
from litscope.sources.vcr import read_vcr

from conftest import check_reader_contract

FIXTURES = Path(__file__).parent / "fixtures"
READERS = [read_pubmed_xml, read_arxiv, read_json, read_vcr]

# Small fixtures keep each example fast; together they hold every shape these readers meet.
SEED_FILES = sorted(
    p for pattern in ("pubmed_xml/*.xml", "arxiv_atom/*.xml", "semantic_scholar_api/*", "crossref_json/*",
                      "csl_json/*", "google_scholar/*")
    for p in FIXTURES.glob(pattern)
    if p.name != "PROVENANCE.txt" and p.stat().st_size <= 25_000
)
SEEDS = [p.read_bytes() for p in SEED_FILES]

PROPERTY = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check(data: bytes, readers=READERS) -> None:
    for reader in readers:
        check_reader_contract(reader, data)


def test_seeds_cover_every_reader():
    assert len(SEEDS) >= 15
    for reader in READERS:
        assert any(_reads(reader, data) for data in SEEDS), reader.__name__


def _reads(reader, data: bytes) -> bool:
    try:
        return len(reader(io.BytesIO(data))) > 0
    except LitscopeError:
        return False


# ---------------------------------------------------------------- random input

@PROPERTY
@given(st.text(max_size=2000))
def test_random_text(text):
    check(text.encode("utf-8", "surrogatepass"))


@PROPERTY
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    check(data)


JSON_SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(2 ** 70), max_value=2 ** 70)
                | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30))
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=5)
                           | st.dictionaries(st.text(max_size=10), inner, max_size=5), max_leaves=30)

# Keys of every record shape and envelope the JSON reader knows, so random values reach every mapper.
KNOWN_KEYS = [
    "title", "Title", "abstract", "authors", "author", "year", "venue", "doi", "DOI", "url", "URL", "keywords",
    "paperId", "externalIds", "corpusId", "publicationVenue", "journal", "fieldsOfStudy", "citingPaper", "citedPaper",
    "authorId", "name", "papers", "id", "display_name", "publication_year", "authorships", "ids", "primary_location",
    "host_venue", "abstract_inverted_index", "concepts", "container-title", "issued", "published-print", "keyword",
    "subject", "literal", "family", "given", "date-parts", "raw", "type", "itemType", "creators", "abstractNote",
    "tags", "extra", "date", "uid", "article_url", "source", "middle", "status", "message", "message-type", "items",
    "data", "results", "error", "PMID",
]
SHAPED = st.recursive(JSON_SCALARS | st.just("GS:1") | st.just("https://openalex.org/W1"),
                      lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.sampled_from(KNOWN_KEYS) | st.text(max_size=5), inner, max_size=6),
                      max_leaves=40)


# Records that carry a title (so they load) plus random known keys, inside the envelopes the reader unwraps.
RECORDS = st.builds(lambda d, title: {**d, "title": title},
                    st.dictionaries(st.sampled_from(KNOWN_KEYS), SHAPED, max_size=6), st.text(min_size=1, max_size=30))
ENVELOPED = st.lists(RECORDS | SHAPED, min_size=1, max_size=4).flatmap(lambda items: st.sampled_from([
    items, {"data": items}, {"results": items}, {"status": "ok", "message-type": "work-list",
                                                 "message": {"items": items}},
    {"authorId": "1", "name": "A", "papers": items}, {"data": [{"citedPaper": i} for i in items]}, items[0]]))


@PROPERTY
@given(ENVELOPED)
def test_json_records_in_envelopes(value):
    check(json.dumps(value).encode(), readers=[read_json])


@PROPERTY
@given(JSON_VALUES)
def test_random_json_values(value):
    check(json.dumps(value).encode(), readers=[read_json, read_vcr])


@PROPERTY
@given(SHAPED)
def test_json_shaped_like_api_records(value):
    check(json.dumps(value).encode(), readers=[read_json])
    check("\n".join(json.dumps(v) for v in (value if isinstance(value, list) else [value])).encode(),
          readers=[read_json])  # as JSON Lines


@PROPERTY
@given(st.lists(st.tuples(st.sampled_from([200, 301, 404, 429, 500]) | st.integers(),
                          SHAPED.map(json.dumps) | st.text(max_size=50) | st.binary(max_size=50)),
                max_size=4))
def test_random_cassettes(interactions):
    doc = {"interactions": [{"request": {"method": "GET", "uri": "https://x.org"},
                             "response": {"status": {"code": code}, "headers": {}, "body": {"string": body}}}
                            for code, body in interactions], "version": 1}
    check(yaml.safe_dump(doc).encode(), readers=[read_vcr])


PUBMED_TAGS = ["PubmedArticle", "PubmedBookArticle", "MedlineCitation", "Article", "ArticleTitle", "Abstract",
               "AbstractText", "AuthorList", "Author", "LastName", "ForeName", "CollectiveName", "PMID", "Journal",
               "JournalIssue", "PubDate", "Year", "MedlineDate", "Title", "ELocationID", "PubmedData",
               "ArticleIdList", "ArticleId", "KeywordList", "Keyword", "BookDocument", "Book", "BookTitle",
               "article", "front", "article-meta", "title-group", "article-title", "abstract", "sec", "p",
               "contrib-group", "contrib", "name", "surname", "pub-date", "year", "i", "sup"]
ATOM_TAGS = ["entry", "id", "title", "summary", "author", "name", "published", "category", "link",
             "arxiv:doi", "arxiv:journal_ref", "arxiv:primary_category", "opensearch:totalResults"]
ATTRIBUTES = st.sampled_from(['', ' Label="L"', ' EIdType="doi"', ' IdType="doi"', ' ValidYN="N"',
                              ' term="cs.AI"', ' rel="alternate" href="h"', ' pub-id-type="pmid"',
                              ' Type="authors"', ' pub-type="epub"'])


XML_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20).map(escape)


def _soup(tags):
    text = XML_TEXT
    return st.recursive(text, lambda inner: st.builds(
        lambda tag, attrs, children: f"<{tag}{attrs}>{''.join(children)}</{tag}>",
        st.sampled_from(tags), ATTRIBUTES, st.lists(inner, max_size=4)), max_leaves=25)


@PROPERTY
@given(st.lists(_soup(PUBMED_TAGS), max_size=4), st.sampled_from(["PubmedArticleSet", "pmc-articleset",
                                                                  "eFetchResult"]))
def test_pubmed_tag_soup(children, root):
    check(f"<?xml version='1.0'?>\n<{root}>{''.join(children)}</{root}>".encode(), readers=[read_pubmed_xml])


def _maybe(tag: str, content=XML_TEXT):
    return st.one_of(st.just(""), content.map(lambda c: f"<{tag}>{c}</{tag}>"))


# A well-formed PubMed article skeleton with random (or missing) parts, so the field mapping runs.
PUBMED_ARTICLE = st.builds(
    lambda pmid, title, abstract, authors, date, extra: (
        f"<PubmedArticle><MedlineCitation>{pmid}<Article><Journal><JournalIssue><PubDate>{date}</PubDate>"
        f"</JournalIssue></Journal>{title}{abstract}<AuthorList>{authors}</AuthorList>{extra}</Article>"
        f"</MedlineCitation></PubmedArticle>"),
    _maybe("PMID"), _maybe("ArticleTitle", _soup(["i", "sup", "b"])),
    _maybe("Abstract", st.lists(XML_TEXT.map(lambda t: f'<AbstractText Label="X">{t}</AbstractText>'),
                                max_size=3).map("".join)),
    st.lists(st.builds(lambda a, b, c: f"<Author>{a}{b}{c}</Author>", _maybe("LastName"), _maybe("ForeName"),
                       _maybe("CollectiveName")), max_size=3).map("".join),
    _maybe("Year") | _maybe("MedlineDate"), st.lists(_soup(PUBMED_TAGS), max_size=2).map("".join))


@PROPERTY
@given(st.lists(PUBMED_ARTICLE, max_size=4))
def test_pubmed_article_skeletons(articles):
    check(("<PubmedArticleSet>" + "".join(articles) + "</PubmedArticleSet>").encode(), readers=[read_pubmed_xml])


@PROPERTY
@given(st.lists(_soup(ATOM_TAGS), max_size=4))
def test_atom_tag_soup(children):
    feed = ('<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom" '
            'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">' + "".join(children) + "</feed>")
    check(feed.encode(), readers=[read_arxiv])


# ---------------------------------------------------------------- mutated fixtures

@st.composite
def mutated_seed(draw) -> bytes:
    data = draw(st.sampled_from(SEEDS))
    kind = draw(st.sampled_from(["truncate", "delete_lines", "garbage", "duplicate", "swap_bytes"]))
    if kind == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if kind == "delete_lines":
        lines = data.split(b"\n")
        start = draw(st.integers(0, max(0, len(lines) - 1)))
        stop = draw(st.integers(start, min(len(lines), start + 20)))
        return b"\n".join(lines[:start] + lines[stop:])
    if kind == "garbage":
        at = draw(st.integers(0, len(data)))
        junk = draw(st.binary(min_size=1, max_size=40) | st.sampled_from(
            [b"<", b"&", b"]]>", b'"', b"{", b"}", b"[", b",", b"</PubmedArticle>", b"<entry>", b"\x00", b"\xff\xfe"]))
        return data[:at] + junk + data[at:]
    if kind == "duplicate":
        start = draw(st.integers(0, len(data)))
        stop = draw(st.integers(start, min(len(data), start + 2000)))
        return data[:stop] + data[start:stop] + data[stop:]
    at = draw(st.integers(0, max(0, len(data) - 2)))
    return data[:at] + data[at + 1: at + 2] + data[at: at + 1] + data[at + 2:]


@PROPERTY
@given(mutated_seed())
def test_mutated_fixtures(data):
    check(data)
