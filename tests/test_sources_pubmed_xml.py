"""PubMed XML and PMC efetch XML reader: every fixture, field mapping, damage handling, safe parsing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import litscope
from litscope import schema
from litscope.errors import FeedError, InputError, RecordError
from litscope.sources import detect_format
from litscope.sources._io import Sample
from litscope.sources.pubmed_xml import read_pubmed_xml, sniff

FIXTURES = Path(__file__).parent / "fixtures" / "pubmed_xml"

# Expected records per file, counted independently of the reader with
#   grep -o '<PubmedArticle>' FILE | wc -l     (PubMed; grep -c undercounts: pubmed1/2 hold two per line)
#   grep -c '<article ' FILE                   (PMC efetch: one JATS <article> per record)
# The PMC file is a correction notice (other DTD: pmc-articleset): title, ids, journal, no authors/abstract.
EXPECTED = {
    "biopython_efetch_pmc.xml": 1,
    "biopython_pubmed1.xml": 2,
    "biopython_pubmed2.xml": 2,
    "biopython_pubmed4.xml": 1,
    "biopython_pubmed5.xml": 1,
    "biopython_pubmed6.xml": 1,
    "biopython_pubmed7.xml": 1,
}


def _buffer(data: bytes, name: str = "test.xml") -> io.BytesIO:
    buf = io.BytesIO(data)
    buf.name = name
    return buf


def _article(pmid: str, title: str = "", abstract: str = "", extra: str = "") -> str:
    title_xml = f"<ArticleTitle>{title}</ArticleTitle>" if title else ""
    abstract_xml = f"<Abstract><AbstractText>{abstract}</AbstractText></Abstract>" if abstract else ""
    return (f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><Journal><JournalIssue><PubDate>"
            f"<Year>2020</Year></PubDate></JournalIssue><Title>J</Title></Journal>{title_xml}{abstract_xml}"
            f"{extra}</Article></MedlineCitation></PubmedArticle>\n")


def _set(*articles: str) -> bytes:
    return ("<?xml version='1.0'?>\n<PubmedArticleSet>\n" + "".join(articles) + "</PubmedArticleSet>\n").encode()


def test_every_fixture_is_in_the_table():
    assert sorted(p.name for p in FIXTURES.glob("*.xml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name, expected", sorted(EXPECTED.items()))
def test_fixture_record_counts(name, expected):
    data = (FIXTURES / name).read_bytes()
    independent = data.count(b"<PubmedArticle>") + data.count(b"<article ")
    assert independent == expected  # the table agrees with a plain text count
    df_result = read_pubmed_xml(FIXTURES / name)
    df = df_result.frame
    assert len(df) == expected
    assert [s.as_dict() for s in df_result.skipped] == []
    assert df_result.encoding == "utf-8"
    assert (df["source_format"] == "pubmed_xml").all()
    assert df["source_record"].tolist() == list(range(1, expected + 1))
    schema.validate(df)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_load_detects_each_fixture(name):
    path = FIXTURES / name
    assert detect_format(path) == "pubmed_xml"
    df_corpus = litscope.load(path)
    df = df_corpus.papers
    assert len(df) == EXPECTED[name]
    assert [e.as_dict() for e in df_corpus.load_entries][0]["format"] == "pubmed_xml"


def test_structured_abstract_authors_doi_keywords():
    df_result = read_pubmed_xml(FIXTURES / "biopython_pubmed4.xml")
    df = df_result.frame
    rec = df.iloc[0]
    # <i>TERT</i> inline markup keeps its text; the trailing period is dropped by the schema.
    assert rec["title"] == ("Leucocyte telomere length, genetic variants at the TERT gene region "
                            "and risk of pancreatic cancer")
    assert rec["authors"][0] == "Bao, Ying"
    assert int(rec["year"]) == 2017
    assert rec["venue"] == "Gut"
    assert rec["doi"] == "10.1136/gutjnl-2016-312510"
    assert rec["pmid"] == "27797938"
    assert rec["url"] == "https://pubmed.ncbi.nlm.nih.gov/27797938/"
    # Labelled abstract parts are joined as "LABEL: text" in document order.
    assert rec["abstract"].startswith("OBJECTIVE: Telomere shortening")
    order = [rec["abstract"].index(f"{label}: ") for label in ("OBJECTIVE", "DESIGN", "RESULTS", "CONCLUSIONS")]
    assert order == sorted(order)
    # KeywordList first, then MeSH descriptors.
    assert rec["keywords"][0] == "PANCREATIC CANCER"
    assert "Adenocarcinoma" in rec["keywords"]


def test_mixed_content_title_and_mathml_abstract():
    rec = read_pubmed_xml(FIXTURES / "biopython_pubmed6.xml").frame.iloc[0]
    assert rec["title"].startswith('A "Blood Relationship" Between the Overlooked Minimum Lactate')
    assert "V.O2max" in rec["abstract"]  # MathML flattened without spaces between tokens
    assert "LEmin" in rec["abstract"]  # LE<sub>min</sub>
    assert "mml" not in rec["abstract"]


def test_collective_author_kept_whole_and_doi_lower_case():
    rec = read_pubmed_xml(FIXTURES / "biopython_pubmed7.xml").frame.iloc[0]
    assert "Canadian Respiratory Research Network" in rec["authors"]
    assert rec["authors"][0] == "Guo, Fumin"
    assert rec["doi"] == "10.1117/1.jmi.5.2.026002"
    # The DOI comes from the article, not from a reference's ArticleIdList.
    assert "asthma" in rec["keywords"]


def test_doi_from_article_id_list_and_keyword_list():
    df_result = read_pubmed_xml(FIXTURES / "biopython_pubmed1.xml")
    df = df_result.frame
    first, second = df.iloc[0], df.iloc[1]
    assert first["authors"] == ["Olivero, J Michael"]
    assert int(first["year"]) == 1990
    assert first["doi"] == ""
    assert first["keywords"][:2] == ["Health Care and Public Health", "Legal Approach"]
    assert second["pmid"] == "9997"
    assert second["doi"] == "10.1016/0005-2795(76)90109-4"
    assert int(second["year"]) == 1976


def test_pmc_efetch_article():
    rec = read_pubmed_xml(FIXTURES / "biopython_efetch_pmc.xml").frame.iloc[0]
    assert rec["title"].startswith("\u201cLung diffusing capacity for nitric oxide")
    assert "ERJ Open Res 2021" in rec["title"]  # <italic> text kept
    assert rec["pmid"] == "34527728"
    assert rec["doi"] == "10.1183/23120541.50193-2021"
    assert int(rec["year"]) == 2021
    assert rec["venue"] == "ERJ Open Research"
    assert rec["authors"] == []
    assert rec["url"] == "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC8435807/"


def test_jats_article_with_authors_and_sections():
    xml = b"""<pmc-articleset><article><front><journal-meta><journal-title-group><journal-title>J</journal-title>
    </journal-title-group></journal-meta><article-meta><article-id pub-id-type="pmid">5</article-id>
    <title-group><article-title>A <italic>B</italic></article-title></title-group>
    <contrib-group><contrib contrib-type="author"><name><surname>Doe</surname><given-names>Jane</given-names></name>
    </contrib><contrib contrib-type="editor"><name><surname>Ed</surname></name></contrib>
    <contrib contrib-type="author"><collab>The Group</collab></contrib></contrib-group>
    <pub-date pub-type="ppub"><year>2019</year></pub-date>
    <abstract><sec><title>Background</title><p>One.</p></sec><sec><title>Methods</title><p>Two.</p></sec></abstract>
    <kwd-group><kwd>alpha</kwd><kwd>beta</kwd></kwd-group></article-meta></front></article></pmc-articleset>"""
    rec = read_pubmed_xml(_buffer(xml)).frame.iloc[0]
    assert rec["title"] == "A B"
    assert rec["authors"] == ["Doe, Jane", "The Group"]
    assert rec["abstract"] == "Background: One. Methods: Two."
    assert rec["keywords"] == ["alpha", "beta"]
    assert int(rec["year"]) == 2019


def test_medline_date_initials_and_book_article():
    medline_date = ("<AuthorList><Author><LastName>Roe</LastName><Initials>AB</Initials></Author></AuthorList>")
    article = _article("11", title="Dated.", extra=medline_date).replace(
        "<Year>2020</Year>", "<MedlineDate>1998 Dec-1999 Jan</MedlineDate>")
    book = ("<PubmedBookArticle><BookDocument><PMID>22</PMID><ArticleIdList><ArticleId IdType=\"doi\">10.1000/BOOK"
            "</ArticleId></ArticleIdList><Book><Publisher><PublisherName>Pub</PublisherName></Publisher>"
            "<BookTitle>The Book</BookTitle><PubDate><Year>2010</Year></PubDate></Book>"
            "<ArticleTitle>A chapter</ArticleTitle><AuthorList Type=\"authors\"><Author><LastName>Poe</LastName>"
            "<ForeName>Ed</ForeName></Author></AuthorList><Abstract><AbstractText>Text.</AbstractText></Abstract>"
            "</BookDocument></PubmedBookArticle>\n")
    df_result = read_pubmed_xml(_buffer(_set(article, book)))
    df = df_result.frame
    assert int(df.loc[0, "year"]) == 1998
    assert df.loc[0, "authors"] == ["Roe, AB"]
    assert df.loc[1, ["title", "venue", "pmid", "doi"]].tolist() == ["A chapter", "The Book", "22", "10.1000/book"]
    assert df.loc[1, "authors"] == ["Poe, Ed"]
    assert int(df.loc[1, "year"]) == 2010


def test_empty_article_set_is_an_empty_frame():
    df_result = read_pubmed_xml(_buffer(b"<?xml version='1.0'?>\n<PubmedArticleSet></PubmedArticleSet>"))
    df = df_result.frame
    assert len(df) == 0 and [s.as_dict() for s in df_result.skipped] == []
    assert list(df.columns) == schema.COLUMNS


def test_record_without_title_or_abstract_is_listed_or_raised():
    data = _set(_article("1", title="First."), _article("2"), _article("3", abstract="Only an abstract."))
    df_result = read_pubmed_xml(_buffer(data, "partly.xml"))
    df = df_result.frame
    assert df["pmid"].tolist() == ["1", "3"]
    assert df["source_record"].tolist() == [1, 3]
    [bad] = [s.as_dict() for s in df_result.skipped]
    assert bad["record"] == 2 and bad["line"] == 4 and bad["file"] == "partly.xml"
    assert "neither title nor abstract" in bad["reason"]
    with pytest.raises(RecordError) as info:
        read_pubmed_xml(_buffer(data, "partly.xml"), errors="raise")
    assert info.value.record == 2 and info.value.file == "partly.xml"


def test_truncated_file_keeps_the_records_before_the_damage():
    data = _set(_article("1", title="One."), _article("2", title="Two."), _article("3", title="Three."))
    cut = data[: data.index(b"<PMID>3") + 20]  # inside the third article
    df_result = read_pubmed_xml(_buffer(cut, "cut.xml"))
    df = df_result.frame
    assert df["pmid"].tolist() == ["1", "2"]
    [bad] = [s.as_dict() for s in df_result.skipped]
    assert bad["record"] == 3 and "malformed XML" in bad["reason"] and bad["line"] == 5
    with pytest.raises(RecordError) as info:
        read_pubmed_xml(_buffer(cut, "cut.xml"), errors="raise")
    assert info.value.record == 3
    # load() keeps the good records and reports the damage.
    loaded_corpus = litscope.load([_buffer(cut, "cut.xml")])
    loaded = loaded_corpus.papers
    assert len(loaded) == 2 and len([s.as_dict() for s in loaded_corpus.skipped]) == 1


def test_cut_between_records_lists_the_unread_rest():
    data = _set(_article("1", title="One."), _article("2", title="Two."))
    cut = data[: data.index(b"<PubmedArticle>", 60)]  # ends right after the first article
    df_result = read_pubmed_xml(_buffer(cut))
    df = df_result.frame
    assert df["pmid"].tolist() == ["1"]
    [bad] = [s.as_dict() for s in df_result.skipped]
    assert bad["record"] is None and "rest of the file" in bad["reason"]


def test_billion_laughs_is_refused_not_expanded():
    entities = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [<!ENTITY l0 "lol">' + entities + "]>\n"
            + "<PubmedArticleSet>" + _article("1", title="&l9;") + "</PubmedArticleSet>").encode()
    assert sniff(Sample.from_bytes("bomb.xml", bomb)) >= 0.3  # it is claimed, then refused
    with pytest.raises(InputError) as info:
        read_pubmed_xml(_buffer(bomb, "bomb.xml"))
    # Refused at the first entity declaration (defusedxml EntitiesForbidden), before any expansion.
    assert "unsafe XML" in str(info.value) and "EntitiesForbidden" in str(info.value)
    assert info.value.file == "bomb.xml"
    with pytest.raises(InputError):
        litscope.load([_buffer(bomb, "bomb.xml")])


def test_external_entity_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xxe = (f'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [<!ENTITY x SYSTEM "{secret.as_uri()}">]>\n'
           + "<PubmedArticleSet>" + _article("1", title="&x;") + "</PubmedArticleSet>").encode()
    with pytest.raises(InputError) as info:
        read_pubmed_xml(_buffer(xxe))
    assert "TOP-SECRET" not in str(info.value)


def test_eutilities_error_is_a_feed_error():
    data = b"<?xml version='1.0'?>\n<eFetchResult><ERROR>Empty id list - nothing todo</ERROR></eFetchResult>"
    assert sniff(Sample.from_bytes("e.xml", data)) >= 0.3
    with pytest.raises(FeedError, match="Empty id list") as info:
        read_pubmed_xml(_buffer(data, "e.xml"))
    assert info.value.file == "e.xml"


@pytest.mark.parametrize("data", [b"", b"not xml at all", b"<html><body>hi</body></html>", b"<PubmedArticleSet>"])
def test_not_pubmed_xml_is_an_input_error(data):
    with pytest.raises(InputError):
        read_pubmed_xml(_buffer(data))


def test_sniffer_ignores_other_xml_and_text():
    for text in (b"<feed xmlns='http://www.w3.org/2005/Atom'/>", b"<root/>", b"TY  - JOUR\n", b"{}"):
        assert sniff(Sample.from_bytes("x", text)) == 0.0
    assert sniff(Sample.from_bytes("x", (FIXTURES / "biopython_pubmed1.xml").read_bytes())) >= 0.9


def test_explicit_encoding_overrides_the_declaration():
    data = ("<?xml version='1.0' encoding='utf-8'?>\n<PubmedArticleSet>" + _article("1", title="Caf\u00e9.")
            + "</PubmedArticleSet>").encode("latin-1")
    df_result = read_pubmed_xml(_buffer(data), encoding="latin-1")
    df = df_result.frame
    assert df.loc[0, "title"] == "Caf\u00e9" and df_result.encoding == "latin-1"
