"""arXiv API Atom reader: every fixture, field mapping, error and empty feeds, damage, safe parsing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import litscope
from litscope import schema
from litscope.errors import FeedError, InputError, NoRecordsError, RecordError
from litscope.sources import detect_format
from litscope.sources._io import Sample
from litscope.sources.arxiv import read_arxiv, sniff

FIXTURES = Path(__file__).parent / "fixtures" / "arxiv_atom"

# Records per feed, counted independently with  grep -o '<entry>' FILE | wc -l.
# id_0000.0000 has no entry (opensearch:totalResults 0): an empty result, read as an empty frame.
# id_abc has one entry, but it is the API's error entry (title "Error", id .../api/errors#...): FeedError.
EXPECTED = {
    "id_0000.0000_s0_m100_8b51d9633a68.atom.xml": 0,
    "id_0808.05394_1707.08567_s0_m100_42e5aa0ec3af.atom.xml": 1,
    "id_astro-ph_0601001_s0_m100_3150dca9dc76.atom.xml": 1,
    "q_testing_s0_m100_cfe7536492ca.atom.xml": 100,
}
ERROR_FEED = "id_abc_s0_m100_b79c8dcf6bc3.atom.xml"

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">\n')


def _entry(number: int, title: str = "T", summary: str = "S") -> str:
    return (f"<entry>\n<id>http://arxiv.org/abs/2401.0000{number}v1</id>\n<title>{title}</title>\n"
            f"<summary>{summary}</summary>\n<published>2024-01-0{number}T00:00:00Z</published>\n</entry>\n")


def _buffer(data: bytes, name: str = "feed.atom.xml") -> io.BytesIO:
    buf = io.BytesIO(data)
    buf.name = name
    return buf


def test_every_fixture_is_in_the_table():
    assert sorted(p.name for p in FIXTURES.glob("*.xml")) == sorted([*EXPECTED, ERROR_FEED])


@pytest.mark.parametrize("name, expected", sorted(EXPECTED.items()))
def test_fixture_record_counts(name, expected):
    data = (FIXTURES / name).read_bytes()
    assert data.count(b"<entry>") == expected  # the independent count
    df_result = read_arxiv(FIXTURES / name)
    df = df_result.frame
    assert len(df) == expected
    assert [s.as_dict() for s in df_result.skipped] == []
    assert (df["source_format"] == "arxiv").all()
    assert df["arxiv_id"].str.len().gt(0).all()
    schema.validate(df)


@pytest.mark.parametrize("name", sorted([*EXPECTED, ERROR_FEED]))
def test_detect_format_claims_every_feed(name):
    assert detect_format(FIXTURES / name) == "arxiv"


@pytest.mark.parametrize("name", [n for n, count in EXPECTED.items() if count])
def test_load_reads_each_feed(name):
    df_corpus = litscope.load(FIXTURES / name)
    df = df_corpus.papers
    assert len(df) == EXPECTED[name]
    assert [e.as_dict() for e in df_corpus.load_entries][0]["format"] == "arxiv"


def test_empty_feed_is_an_empty_frame_with_total_results():
    df_result = read_arxiv(FIXTURES / "id_0000.0000_s0_m100_8b51d9633a68.atom.xml")
    df = df_result.frame
    assert len(df) == 0 and df_result.details["total_results"] == 0
    assert list(df.columns) == schema.COLUMNS
    with pytest.raises(NoRecordsError):  # load() of nothing but an empty result
        litscope.load(FIXTURES / "id_0000.0000_s0_m100_8b51d9633a68.atom.xml")


def test_error_feed_is_a_feed_error_with_the_api_message():
    with pytest.raises(FeedError) as info:
        read_arxiv(FIXTURES / ERROR_FEED)
    assert "incorrect id format for abc" in str(info.value)
    assert info.value.file.endswith(ERROR_FEED)
    with pytest.raises(FeedError):
        litscope.load(FIXTURES / ERROR_FEED)


def test_fields_of_an_old_style_id_with_journal_ref():
    rec = read_arxiv(FIXTURES / "id_astro-ph_0601001_s0_m100_3150dca9dc76.atom.xml").frame.iloc[0]
    assert rec["arxiv_id"] == "astro-ph/0601001"  # version dropped
    assert rec["title"].startswith("Frequency of Hot Jupiters and Very Hot Jupiters")
    assert rec["authors"] == ["Gould, Andrew", "Dorsher, Susan", "Gaudi, B. Scott", "Udalski, Andrzej"]
    assert int(rec["year"]) == 2006
    assert rec["venue"] == "ActaAstron.56:1-50,2006"
    assert rec["keywords"] == ["astro-ph"]
    assert rec["url"] == "https://arxiv.org/abs/astro-ph/0601001v1"
    assert rec["abstract"].startswith("We derive the frequencies of hot Jupiters")
    assert "Gould & Morgan" in rec["abstract"]  # entity decoded


def test_fields_of_a_search_result_with_doi_and_categories():
    df_result = read_arxiv(FIXTURES / "q_testing_s0_m100_cfe7536492ca.atom.xml")
    df = df_result.frame
    rec = df.iloc[0]
    assert rec["title"] == "Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques"
    assert rec["arxiv_id"] == "2202.12139"
    assert rec["doi"] == "10.1109/icstw55395.2022.00035"  # lower-case
    assert rec["authors"][0] == "Ahuja, Mohit Kumar"
    assert rec["keywords"] == ["cs.SE", "cs.LG"]
    assert int(rec["year"]) == 2022
    assert df_result.details["total_results"] == 214881
    assert df["id"].is_unique


def test_entry_without_title_and_summary_is_listed_or_raised():
    feed = (HEAD + _entry(1) + _entry(2, title="", summary="") + _entry(3) + "</feed>\n").encode()
    df_result = read_arxiv(_buffer(feed, "f.xml"))
    df = df_result.frame
    assert df["arxiv_id"].tolist() == ["2401.00001", "2401.00003"]
    [bad] = [s.as_dict() for s in df_result.skipped]
    assert bad["record"] == 2 and bad["line"] == 9 and "neither title nor summary" in bad["reason"]
    with pytest.raises(RecordError) as info:
        read_arxiv(_buffer(feed, "f.xml"), errors="raise")
    assert info.value.record == 2


def test_truncated_feed_keeps_the_good_entries():
    data = (FIXTURES / "q_testing_s0_m100_cfe7536492ca.atom.xml").read_bytes()
    cut = data[: data.index(b"<entry>", data.index(b"<entry>") + 1) + 200]  # inside the second entry
    df_result = read_arxiv(_buffer(cut))
    df = df_result.frame
    assert df["arxiv_id"].tolist() == ["2202.12139"]
    [bad] = [s.as_dict() for s in df_result.skipped]
    assert bad["record"] == 2 and "malformed XML" in bad["reason"]
    with pytest.raises(RecordError):
        read_arxiv(_buffer(cut), errors="raise")


def test_error_entry_among_real_entries_is_listed():
    error = ('<entry><id>http://arxiv.org/api/errors#bad</id><title>Error</title>'
             '<summary>bad thing</summary></entry>\n')
    df_result = read_arxiv(_buffer((HEAD + _entry(1) + error + "</feed>").encode()))
    df = df_result.frame
    assert len(df) == 1
    assert any("bad thing" in s["reason"] for s in [s.as_dict() for s in df_result.skipped])


def test_entities_are_refused():
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n'
            + HEAD.split("\n", 1)[1] + _entry(1, title="&b;") + "</feed>").encode()
    with pytest.raises(InputError, match="unsafe XML"):
        read_arxiv(_buffer(bomb))


@pytest.mark.parametrize("data", [b"", b"<rss><channel/></rss>", b"plain text", b"<feed"])
def test_not_an_atom_feed_is_an_input_error(data):
    with pytest.raises(InputError):
        read_arxiv(_buffer(data))


def test_sniffer_claims_only_arxiv_feeds():
    plain_atom = b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>Blog</title></feed>"
    assert sniff(Sample.from_bytes("blog.xml", plain_atom)) == 0.0
    assert sniff(Sample.from_bytes("x.xml", b"<PubmedArticleSet/>")) == 0.0
    assert sniff(Sample.from_bytes("x.txt", b"TI  - title\n")) == 0.0
    assert sniff(Sample.from_bytes("f.xml", (HEAD + "</feed>").encode())) >= 0.9
