"""JSON / JSON Lines reader: every JSON fixture, each record shape, error responses, non-record JSON, damage."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import litscope
from litscope import schema
from litscope.errors import FeedError, InputError, RecordError
from litscope.sources import detect_format
from litscope.sources._io import Sample
from litscope.sources.json import read_json, sniff

FIXTURES = Path(__file__).parent / "fixtures"
JSON_DIRS = ("semantic_scholar_api", "crossref_json", "csl_json", "google_scholar")

# Records per file, counted independently of the reader with plain `json` (see _independent_count):
#   S2 Author.json       len(doc["papers"])  - an author profile that lists its 60 papers: those are read
#   S2 Citation.json     1                   - one citation entry: its citingPaper
#   S2 Reference.json    1                   - one reference entry: its citedPaper
#   S2 Paper.json        1                   - one paper; its nested citations/references are related works,
#                                              not records of the export, and are not read
#   S2 PaperWithNullValues.json  0 read, 1 skipped - a paperId with null everything: no title or abstract
#   Crossref colrev_*.json       1 each      - {"status": "ok", "message-type": "work", "message": {...}}
#   CSL-JSON *.csl.json          len(doc)    - a list of CSL items
#   Google Scholar               len(doc)    - a list of result dicts (file starts with a UTF-8 BOM)
EXPECTED = {
    "semantic_scholar_api/Author.json": (60, 0),
    "semantic_scholar_api/Citation.json": (1, 0),
    "semantic_scholar_api/Paper.json": (1, 0),
    "semantic_scholar_api/PaperWithNullValues.json": (0, 1),
    "semantic_scholar_api/Reference.json": (1, 0),
    "crossref_json/colrev_10.1177_02683962211048201.json": (1, 0),
    "crossref_json/colrev_10.17705_1cais.04607.json": (1, 0),
    "crossref_json/colrev_10.2196_22081.json": (1, 0),
    "csl_json/Date_export_to_Better_CSL-JSON_360_811.csl.json": (15, 0),
    "csl_json/Pandoc-LaTeX-SCHOMD_Citation_Export.csl.json": (4, 0),
    "google_scholar/colrev_google_scholar.json": (7, 0),
}


def _independent_count(path: Path) -> int:
    doc = json.loads(path.read_text(encoding="utf-8-sig"))
    if isinstance(doc, list):
        return len(doc)
    if "papers" in doc:
        return len(doc["papers"])
    if "message" in doc:
        return 1
    return 1 if doc.get("title") or "citingPaper" in doc or "citedPaper" in doc else 0


def _buffer(data: bytes | str, name: str = "test.json") -> io.BytesIO:
    buf = io.BytesIO(data.encode("utf-8") if isinstance(data, str) else data)
    buf.name = name
    return buf


def _one(doc) -> "dict":
    return read_json(_buffer(json.dumps(doc))).frame.iloc[0].to_dict()


def test_every_json_fixture_is_in_the_table():
    found = sorted(str(p.relative_to(FIXTURES)) for d in JSON_DIRS for p in (FIXTURES / d).glob("*.json"))
    assert found == sorted(EXPECTED)


@pytest.mark.parametrize("name, counts", sorted(EXPECTED.items()))
def test_fixture_record_counts(name, counts):
    expected, skipped = counts
    assert _independent_count(FIXTURES / name) == expected
    df_result = read_json(FIXTURES / name)
    df = df_result.frame
    assert len(df) == expected
    assert len([s.as_dict() for s in df_result.skipped]) == skipped
    assert (df["source_format"] == "json").all()
    assert df["source_record"].is_unique
    schema.validate(df)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_detect_format_claims_every_json_fixture(name):
    assert detect_format(FIXTURES / name) == "json"


@pytest.mark.parametrize("name", sorted(n for n, (count, _) in EXPECTED.items() if count))
def test_load_reads_each_json_fixture(name):
    df_corpus = litscope.load(FIXTURES / name)
    df = df_corpus.papers
    assert len(df) == EXPECTED[name][0]
    assert [e.as_dict() for e in df_corpus.load_entries][0]["format"] == "json"


def test_paper_with_only_nulls_is_skipped_with_its_record_number():
    path = FIXTURES / "semantic_scholar_api/PaperWithNullValues.json"
    [bad] = [s.as_dict() for s in read_json(path).skipped]
    assert bad["record"] == 1 and "neither title nor abstract" in bad["reason"]
    with pytest.raises(RecordError):
        read_json(path, errors="raise")
    with pytest.raises(RecordError):  # load(): a file none of whose records can be read
        litscope.load(path)


# ---------------------------------------------------------------- Semantic Scholar

def test_semantic_scholar_paper_fields():
    df_result = read_json(FIXTURES / "semantic_scholar_api/Paper.json")
    df = df_result.frame
    rec = df.iloc[0]
    assert rec["title"] == "Computing Machinery and Intelligence"
    assert rec["authors"] == ["Turing, A."]
    assert int(rec["year"]) == 1950
    assert rec["doi"] == "10.1093/mind/lix.236.433"  # 'MIND/LIX' lower-cased
    assert rec["venue"] == "The Philosophy of Artificial Intelligence"
    assert rec["abstract"].startswith("I propose to consider the question")
    assert rec["url"].startswith("https://www.semanticscholar.org/paper/")
    assert df_result.details["shapes"] == {"semantic_scholar": 1}


def test_semantic_scholar_reference_and_citation_entries():
    ref = read_json(FIXTURES / "semantic_scholar_api/Reference.json").frame.iloc[0]
    assert ref["title"] == "Neural Variational Inference and Learning in Belief Networks"
    assert ref["arxiv_id"] == "1402.0030"
    assert ref["authors"][0] == "Mnih, A."
    cit = read_json(FIXTURES / "semantic_scholar_api/Citation.json").frame.iloc[0]
    assert cit["doi"] == "10.1109/lra.2022.3229266"
    assert cit["venue"] == "IEEE Robotics and Automation Letters"
    assert int(cit["year"]) == 2023


def test_author_with_papers_reads_the_papers():
    df_result = read_json(FIXTURES / "semantic_scholar_api/Author.json")
    df = df_result.frame
    assert df.loc[0, "title"] == "Dystopian or Utopian? Two Images of Alan Turing"
    assert all("Turing, A." in authors for authors in df["authors"])


def test_author_without_papers_is_a_clear_input_error():
    author = json.loads((FIXTURES / "semantic_scholar_api/Author.json").read_text())
    del author["papers"]
    with pytest.raises(InputError) as info:
        read_json(_buffer(json.dumps(author), "author.json"))
    message = str(info.value)
    assert "author" in message and "A. Turing" in message and "author.json" in message
    assert sniff(Sample.from_bytes("author.json", json.dumps(author).encode())) >= 0.3  # claimed, then explained


def test_search_page_with_nulls_and_null_items():
    page = {"total": 3, "offset": 0, "data": [
        {"paperId": "a", "title": "First", "abstract": None, "venue": None, "year": None, "authors": None,
         "externalIds": None},
        None,
        {"paperId": "c", "title": "Third", "year": 2021, "authors": [{"authorId": None, "name": "Ada Lovelace"}],
         "externalIds": {"DOI": "10.1000/ABC", "PubMed": "123"}, "publicationVenue": {"name": "Venue"}},
    ]}
    df_result = read_json(_buffer(json.dumps(page), "page.json"))
    df = df_result.frame
    assert df["title"].tolist() == ["First", "Third"]
    assert df.loc[1, ["doi", "pmid", "venue"]].tolist() == ["10.1000/abc", "123", "Venue"]
    assert df.loc[1, "authors"] == ["Lovelace, Ada"]
    assert df.loc[0, "year"] is None or str(df.loc[0, "year"]) == "<NA>"
    [bad] = [s.as_dict() for s in df_result.skipped]
    assert bad["record"] == 2 and "null" in bad["reason"]


@pytest.mark.parametrize("doc, message", [
    ({"error": "Paper with id 123 not found"}, "Paper with id 123 not found"),
    ({"message": "Too Many Requests"}, "Too Many Requests"),
    ({"status": "failed", "message-type": "validation-failure",
      "message": [{"type": "parameter-not-allowed", "value": "x", "message": "Parameter x is not allowed"}]},
     "Parameter x is not allowed"),
])
def test_api_error_responses_are_feed_errors(doc, message):
    data = json.dumps(doc).encode()
    assert sniff(Sample.from_bytes("err.json", data)) >= 0.3
    with pytest.raises(FeedError) as info:
        read_json(_buffer(data, "err.json"))
    assert message in str(info.value) and info.value.file == "err.json"
    with pytest.raises(FeedError):
        litscope.load([_buffer(data, "err.json")])


# ---------------------------------------------------------------- OpenAlex (no fixture: crafted)

OPENALEX_WORK = {
    "id": "https://openalex.org/W2741809807",
    "doi": "https://doi.org/10.7717/PEERJ.4375",
    "title": "The state of OA",
    "display_name": "The state of OA: a large-scale analysis",
    "publication_year": 2018,
    "ids": {"openalex": "https://openalex.org/W2741809807", "doi": "https://doi.org/10.7717/peerj.4375",
            "pmid": "https://pubmed.ncbi.nlm.nih.gov/29456894"},
    "primary_location": {"landing_page_url": "https://doi.org/10.7717/peerj.4375",
                         "source": {"display_name": "PeerJ"}},
    "authorships": [{"author_position": "first", "author": {"display_name": "Heather Piwowar"}},
                    {"author_position": "last", "author": {"display_name": "Stefanie Haustein"}}],
    "keywords": [{"display_name": "Open access", "score": 0.6}],
    # Deliberately out of order, with a repeated word: positions decide the order.
    "abstract_inverted_index": {"access": [2, 6], "Open": [0], "is": [3], "growing;": [4], "open": [5],
                                "scholarly": [1], "wins.": [7]},
}


def test_openalex_work_and_abstract_rebuilt_in_word_order():
    rec = _one(OPENALEX_WORK)
    assert rec["abstract"] == "Open scholarly access is growing; open access wins."
    assert rec["title"] == "The state of OA: a large-scale analysis"
    assert rec["authors"] == ["Piwowar, Heather", "Haustein, Stefanie"]
    assert rec["year"] == 2018
    assert rec["doi"] == "10.7717/peerj.4375"
    assert rec["pmid"] == "29456894"
    assert rec["venue"] == "PeerJ"
    assert rec["keywords"] == ["Open access"]


def test_openalex_results_page_and_legacy_host_venue():
    legacy = {"id": "https://openalex.org/W1", "display_name": "Old", "publication_year": 2015,
              "host_venue": {"display_name": "Old Journal"}, "abstract_inverted_index": None}
    df_result = read_json(_buffer(json.dumps({"meta": {"count": 2}, "results": [OPENALEX_WORK, legacy]})))
    df = df_result.frame
    assert df["title"].tolist() == ["The state of OA: a large-scale analysis", "Old"]
    assert df.loc[1, "venue"] == "Old Journal" and df.loc[1, "abstract"] == ""
    assert df_result.details["shapes"] == {"openalex": 2}


# ---------------------------------------------------------------- Crossref, CSL-JSON, Google Scholar

def test_crossref_work_fields_and_jats_abstract():
    rec = read_json(FIXTURES / "crossref_json/colrev_10.2196_22081.json").frame.iloc[0]
    assert rec["title"].startswith("Investigating Patients\u2019 Intention to Continue Using Teleconsultation")
    assert rec["authors"][0] == "Grenier Ouimet, Antoine"
    assert int(rec["year"]) == 2020
    assert rec["doi"] == "10.2196/22081"
    assert rec["venue"] == "Journal of Medical Internet Research"
    assert rec["abstract"].startswith("Background: The COVID-19 crisis")
    assert "<jats" not in rec["abstract"] and "</" not in rec["abstract"]
    assert "(total effects=0.722; P<.001)" in rec["abstract"]  # a real '<' survives


def test_crossref_organisation_authors_are_kept_whole():
    rec = read_json(FIXTURES / "crossref_json/colrev_10.17705_1cais.04607.json").frame.iloc[0]
    assert rec["authors"][:2] == ["Schryen, Guido", "Paderborn University"]
    assert int(rec["year"]) == 2021


def test_crossref_work_list():
    doc = {"status": "ok", "message-type": "work-list", "message": {"items": [
        {"DOI": "10.1000/A", "title": ["One"], "author": [{"family": "Doe", "given": "Jane"}],
         "issued": {"date-parts": [[None]]}, "published-online": {"date-parts": [[2019, 3]]},
         "type": "journal-article"},
        {"DOI": "10.1000/B", "title": [], "type": "journal-article"},
    ]}}
    df_result = read_json(_buffer(json.dumps(doc)))
    df = df_result.frame
    assert df["title"].tolist() == ["One"] and int(df.loc[0, "year"]) == 2019
    assert [s.as_dict() for s in df_result.skipped][0]["record"] == 2


def test_csl_json_fields():
    df_result = read_json(FIXTURES / "csl_json/Pandoc-LaTeX-SCHOMD_Citation_Export.csl.json")
    df = df_result.frame
    # <b>Huaynaputina</b>, : inline markup removed without leaving a space before the comma.
    assert df.loc[0, "title"] == "The physical volcanology of the 1600 eruption of Huaynaputina, southern Peru"
    assert df.loc[0, "authors"][0] == "Adams, Nancy K"
    assert int(df.loc[0, "year"]) == 2014  # first date of a range
    assert df.loc[0, "venue"] == "Bulletin of Volcanology"
    assert df.loc[1, "doi"] == "10.1484/j.se.2.303788"
    assert "(g1)" in df.loc[3, "title"]


def test_csl_json_dates_and_literal_names():
    df = read_json(FIXTURES / "csl_json/Date_export_to_Better_CSL-JSON_360_811.csl.json").frame.set_index("title")
    assert int(df.loc["Date=2010 & Extra=issued:2011", "year"]) == 2011
    assert df.loc["Date=2010 & Extra=issued:2011", "authors"] == ["Doe14"]  # CSL literal kept whole
    assert int(df.loc["The Politics of Film Canons: printemps 1985", "year"]) == 1985
    assert str(df.loc["BC tests: -0333", "year"]) == "<NA>"  # '-334' is no year
    assert str(df.loc["event-date and submitted test", "year"]) == "<NA>"


def test_csl_keywords_and_raw_dates():
    rec = _one([{"type": "article", "title": "T", "issued": {"raw": "2011-05"}, "keyword": "alpha, beta; gamma",
                 "author": [{"literal": "World Health Organization"}], "URL": "http://x.org", "PMID": "42"}])
    assert rec["year"] == 2011 and rec["keywords"] == ["alpha", "beta", "gamma"]
    assert rec["authors"] == ["World Health Organization"] and rec["pmid"] == "42"


def test_google_scholar_fields():
    df_result = read_json(FIXTURES / "google_scholar/colrev_google_scholar.json")
    df = df_result.frame
    assert df_result.encoding == "utf-8-sig"
    assert df.loc[0, "authors"] == ["Guo, W", "Straub, D", "Zhang, P", "Cai, Z"]
    assert df.loc[0, "venue"] == "MIS Quarterly" and int(df.loc[0, "year"]) == 2021
    assert df.loc[0, "url"].startswith("https://search.ebscohost.com/")
    assert "..." not in df.loc[5, "authors"] and len(df.loc[5, "authors"]) == 3  # truncation marker dropped
    assert df_result.details["shapes"] == {"google_scholar": 7}


def test_generic_flat_dicts_and_zotero_items():
    doc = [{"Title": "Generic", "Abstract": "A.", "Authors": "Doe, Jane; Roe, Rick", "Year": "2001",
            "Journal": "J", "DOI": "https://doi.org/10.1000/XY", "Keywords": "a; b"},
           {"itemType": "journalArticle", "title": "Zot", "abstractNote": "Abs",
            "creators": [{"creatorType": "author", "firstName": "Ann", "lastName": "Lee"},
                         {"creatorType": "editor", "firstName": "Ed", "lastName": "Itor"}],
            "date": "2019-05-02", "publicationTitle": "Zeit", "DOI": "10.1000/Z", "tags": [{"tag": "t1"}],
            "extra": "PMID: 77"}]
    df_result = read_json(_buffer(json.dumps(doc)))
    df = df_result.frame
    assert df.loc[0, ["title", "venue", "doi"]].tolist() == ["Generic", "J", "10.1000/xy"]
    assert df.loc[0, "authors"] == ["Doe, Jane", "Roe, Rick"] and df.loc[0, "keywords"] == ["a", "b"]
    assert df.loc[1, ["title", "abstract", "venue", "pmid"]].tolist() == ["Zot", "Abs", "Zeit", "77"]
    assert df.loc[1, "authors"] == ["Lee, Ann"] and int(df.loc[1, "year"]) == 2019
    assert df_result.details["shapes"] == {"generic": 1, "zotero": 1}


# ---------------------------------------------------------------- JSON Lines and damage

def test_jsonl_file_with_a_broken_line(tmp_path):
    path = tmp_path / "records.jsonl"
    path.write_text(json.dumps({"paperId": "1", "title": "One"}) + "\n"
                    + '{"paperId": "2", "title": "Tw\n'
                    + json.dumps(OPENALEX_WORK) + "\n\n"
                    + json.dumps({"title": "Four", "year": 2004}) + "\n")
    assert detect_format(path) == "json"
    df_result = read_json(path)
    df = df_result.frame
    assert df["title"].tolist() == ["One", "The state of OA: a large-scale analysis", "Four"]
    assert df["source_record"].tolist() == [1, 2, 3]
    [bad] = [s.as_dict() for s in df_result.skipped]
    assert bad["line"] == 2 and "malformed JSON" in bad["reason"]
    with pytest.raises(RecordError) as info:
        read_json(path, errors="raise")
    assert info.value.line == 2
    loaded_corpus = litscope.load(path)
    loaded = loaded_corpus.papers
    assert len(loaded) == 3 and len([s.as_dict() for s in loaded_corpus.skipped]) == 1


def test_truncated_list_keeps_the_good_head():
    text = json.dumps([{"title": "One"}, {"title": "Two"}, {"title": "Three"}], indent=1)
    cut = text[: text.index("Three")]
    df_result = read_json(_buffer(cut, "cut.json"))
    df = df_result.frame
    assert df["title"].tolist() == ["One", "Two"]
    [bad] = [s.as_dict() for s in df_result.skipped]
    assert bad["record"] == 3 and bad["line"] == 8 and "malformed JSON" in bad["reason"]
    with pytest.raises(RecordError) as info:
        read_json(_buffer(cut, "cut.json"), errors="raise")
    assert info.value.record == 3


def test_list_items_that_are_not_records_are_listed():
    df_result = read_json(_buffer(json.dumps([{"title": "Ok"}, 5, "text", {"title": "", "abstract": ""}])))
    df = df_result.frame
    assert df["title"].tolist() == ["Ok"]
    assert [s["record"] for s in [s.as_dict() for s in df_result.skipped]] == [2, 3, 4]
    assert [s["line"] for s in [s.as_dict() for s in df_result.skipped]] == [1, 1, 1]


@pytest.mark.parametrize("text, fragment", [
    ("[1, 2, 3]", "numbers"),
    ('{"foo": 1, "bar": [1]}', "none of the record fields"),
    ('[{"foo": 1}, {"bar": 2}]', "none of the record fields"),
    ('"just a string"', "not JSON"),
    ("{not json", "not valid JSON"),
    ("TY  - JOUR", "not JSON"),
])
def test_json_that_holds_no_records_is_an_input_error(text, fragment):
    with pytest.raises(InputError, match=fragment):
        read_json(_buffer(text, "odd.json"))


def test_empty_list_and_empty_search_page_are_empty_frames():
    for text in ("[]", '{"total": 0, "offset": 0, "data": []}', " \n "):
        df_result = read_json(_buffer(text))
        df = df_result.frame
        assert len(df) == 0 and [s.as_dict() for s in df_result.skipped] == [] and list(df.columns) == schema.COLUMNS


def test_deep_nesting_and_lone_surrogates_do_not_escape():
    with pytest.raises(InputError, match="nested too deeply"):
        read_json(_buffer('{"a": ' + "[" * 100_000))
    df_result = read_json(_buffer("[" * 100_000))  # inside a list: the element is listed, not loaded
    df = df_result.frame
    assert len(df) == 0 and "nested too deeply" in [s.as_dict() for s in df_result.skipped][0]["reason"]
    df_result = read_json(_buffer('[{"title": "bad \\ud800 char", "authors": ["\\udfff Doe"]}]'))
    df = df_result.frame
    assert df.loc[0, "title"] == "bad \ufffd char"
    schema.validate(df)


def test_sniffer_confidence():
    def score(text: str) -> float:
        return sniff(Sample.from_bytes("x.json", text.encode()))
    assert score('[{"title": "x"}]') >= 0.8
    assert score('{"paperId": "x"}') >= 0.9
    assert score('{"foo": 1}') < 0.3
    assert score('{"nbformat": 4, "cells": [], "metadata": {"title": "x"}}') == 0.0
    assert score("interactions:\n- request:") == 0.0
    assert score("TY  - JOUR") == 0.0


def test_jsonl_mixing_an_author_a_paper_and_an_error_line(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        json.dumps({"authorId": "1", "name": "A", "papers": [{"paperId": "x", "title": "From author"}]}) + "\n"
        + json.dumps({"paperId": "y", "title": "Plain", "references": [{"paperId": "z", "title": "Ref"}]}) + "\n"
        + json.dumps({"error": "rate limited"}) + "\n")
    df_result = read_json(path)
    df = df_result.frame
    assert df["title"].tolist() == ["From author", "Plain"]  # a paper's nested references are not records
    [bad] = [s.as_dict() for s in df_result.skipped]
    assert bad["line"] == 3 and "rate limited" in bad["reason"]
