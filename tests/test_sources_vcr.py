"""HTTP cassette reader (VCR.py YAML, Betamax JSON): every cassette fixture, bodies, errors, damage."""

from __future__ import annotations

import base64
import gzip
import io
import json
from pathlib import Path

import pytest
import yaml

import litscope
from litscope import schema
from litscope.errors import FeedError, InputError, RecordError
from litscope.sources import detect_format
from litscope.sources._io import Sample
from litscope.sources.vcr import read_vcr, sniff

FIXTURES = Path(__file__).parent / "fixtures"

# Records per cassette. The two plain-text Semantic Scholar cassettes are counted with a text count of
# the escaped JSON inside the YAML (see test_fixture_record_counts); the two Crossref cassettes hold
# gzip !!binary bodies and were counted by hand with
#   yaml.safe_load -> gzip.decompress(body) -> len(json["message"]["items"])   (cursor: 20)
# and the citeproc cassette is a 301 redirect (HTML, ignored) followed by one CSL work.
EXPECTED = {
    "semantic_scholar_api/test_search_paper.yaml": (100, b'"paperId"'),
    "semantic_scholar_api/test_get_paper_references.yaml": (67, b'"citedPaper"'),  # 50 + 17 over two pages
    "crossref_json/habanero_works_cursor.yaml": (20, None),
    "crossref_json/habanero_content_negotiation_citeproc_json.yaml": (1, None),
}


def _cassette(*interactions: tuple[int, object], headers: dict | None = None) -> bytes:
    """A VCR.py cassette with the given (status, body) responses."""
    doc = {"interactions": [
        {"request": {"method": "GET", "uri": f"https://api.example.org/{i}", "body": "", "headers": {}},
         "response": {"status": {"code": code, "message": "x"}, "headers": headers or {},
                      "body": {"string": body if isinstance(body, (str, bytes)) else json.dumps(body)}}}
        for i, (code, body) in enumerate(interactions, start=1)], "version": 1}
    return yaml.safe_dump(doc).encode()


def _buffer(data: bytes, name: str = "cassette.yaml") -> io.BytesIO:
    buf = io.BytesIO(data)
    buf.name = name
    return buf


def test_every_cassette_is_in_the_table():
    found = sorted(str(p.relative_to(FIXTURES)) for p in FIXTURES.glob("*/*.yaml"))
    assert found == sorted(EXPECTED)


@pytest.mark.parametrize("name, expected", sorted(EXPECTED.items()))
def test_fixture_record_counts(name, expected):
    count, marker = expected
    if marker is not None:
        assert (FIXTURES / name).read_bytes().count(marker) == count
    df_result = read_vcr(FIXTURES / name)
    df = df_result.frame
    assert len(df) == count
    assert [s.as_dict() for s in df_result.skipped] == []
    assert df["source_record"].tolist() == list(range(1, count + 1))  # numbered through the cassette
    assert (df["source_format"] == "vcr").all()
    schema.validate(df)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_load_detects_each_cassette(name):
    assert detect_format(FIXTURES / name) == "vcr"
    df_corpus = litscope.load(FIXTURES / name)
    df = df_corpus.papers
    assert len(df) == EXPECTED[name][0]
    assert [e.as_dict() for e in df_corpus.load_entries][0]["format"] == "vcr"


def test_search_cassette_fields():
    df_result = read_vcr(FIXTURES / "semantic_scholar_api/test_search_paper.yaml")
    df = df_result.frame
    assert df.loc[0, "title"] == ("Using DeepSpeed and Megatron to Train Megatron-Turing NLG 530B, "
                                  "A Large-Scale Generative Language Model")
    assert "Putting ChatGPT's Medical Advice to the (Turing) Test" in df["title"].tolist()  # YAML '' unescaped
    assert df_result.details["shapes"] == {"semantic_scholar": 100}
    assert df_result.details["interactions"][0]["status"] == 200


def test_paged_references_are_numbered_across_pages():
    df_result = read_vcr(FIXTURES / "semantic_scholar_api/test_get_paper_references.yaml")
    df = df_result.frame
    assert [i["records"] for i in df_result.details["interactions"]] == [50, 17]
    assert df.loc[0, "title"] == ("Group lending or individual lending? "
                                  "Evidence from a randomised field experiment in Mongolia")


def test_gzip_body_after_a_redirect():
    df_result = read_vcr(FIXTURES / "crossref_json/habanero_content_negotiation_citeproc_json.yaml")
    df = df_result.frame
    rec = df.iloc[0]
    assert rec["title"] == "The Structure of Ordinary Water"
    assert rec["authors"][0] == "Frank, Henry S."
    assert int(rec["year"]) == 1970
    assert rec["venue"] == "Science"
    assert rec["doi"] == "10.1126/science.169.3946.635"
    assert [i["status"] for i in df_result.details["interactions"]] == [301, 200]


def test_gzip_crossref_work_list():
    df_result = read_vcr(FIXTURES / "crossref_json/habanero_works_cursor.yaml")
    df = df_result.frame
    assert df.loc[0, "title"] == "Widget Mania: Using a GUI Widget Framework"
    assert df.loc[0, "doi"] == "10.1007/978-1-4302-0197-7_9"
    assert df.loc[0, "venue"].startswith("Practical JavaScript")


def test_binary_gzip_and_betamax_base64_bodies():
    page = {"data": [{"paperId": "p1", "title": "Zipped"}]}
    zipped = gzip.compress(json.dumps(page).encode())
    df_result = read_vcr(_buffer(_cassette((200, zipped), headers={"Content-Encoding": ["gzip"]})))
    df = df_result.frame
    assert df["title"].tolist() == ["Zipped"]
    betamax = {"http_interactions": [{"request": {"method": "GET", "uri": "https://api.crossref.org/works/x"},
                                      "response": {"status": {"code": 200, "message": "OK"},
                                                   "headers": {"Content-Encoding": "gzip"},
                                                   "body": {"encoding": "utf-8", "base64_string":
                                                            base64.b64encode(gzip.compress(json.dumps(
                                                                {"status": "ok", "message-type": "work",
                                                                 "message": {"title": ["Beta"], "DOI": "10.1000/b",
                                                                             "issued": {"date-parts": [[2001]]}}}
                                                            ).encode())).decode()}}}],
               "recorded_with": "betamax/0.8.1"}
    data = json.dumps(betamax).encode()
    assert sniff(Sample.from_bytes("c.json", data)) >= 0.9
    assert detect_format(_buffer(data, "c.json")) == "vcr"
    df_result = read_vcr(_buffer(data, "c.json"))
    df = df_result.frame
    assert df.loc[0, ["title", "doi"]].tolist() == ["Beta", "10.1000/b"] and int(df.loc[0, "year"]) == 2001


def test_error_only_cassette_is_a_feed_error():
    data = _cassette((429, {"message": "Too Many Requests"}))
    with pytest.raises(FeedError, match="Too Many Requests") as info:
        read_vcr(_buffer(data, "limited.yaml"))
    assert info.value.file == "limited.yaml"
    with pytest.raises(FeedError, match="HTTP 500"):
        read_vcr(_buffer(_cassette((500, "<html><body>Internal error</body></html>"))))


def test_error_response_among_good_ones_is_listed():
    data = _cassette((200, {"data": [{"paperId": "a", "title": "A"}, {"paperId": "b", "title": None}]}),
                     (429, {"message": "Too Many Requests"}),
                     (200, {"data": [{"paperId": "c", "title": "C"}]}))
    df_result = read_vcr(_buffer(data, "mixed.yaml"))
    df = df_result.frame
    assert df["title"].tolist() == ["A", "C"]
    assert df["source_record"].tolist() == [1, 3]
    reasons = [s["reason"] for s in [s.as_dict() for s in df_result.skipped]]
    assert any("neither title nor abstract" in r for r in reasons)
    assert any("Too Many Requests" in r for r in reasons)
    skipped_record = next(s for s in [s.as_dict() for s in df_result.skipped] if s["record"] == 2)
    assert skipped_record["line"] == 2  # the line of the interaction holding it
    with pytest.raises(RecordError):
        read_vcr(_buffer(data, "mixed.yaml"), errors="raise")


def test_non_json_body_is_listed():
    df_result = read_vcr(_buffer(_cassette((200, "<html>hello</html>"), (200, {"data": [{"title": "T"}]}))))
    df = df_result.frame
    assert df["title"].tolist() == ["T"]
    assert "not JSON" in [s.as_dict() for s in df_result.skipped][0]["reason"]


@pytest.mark.parametrize("data, fragment", [
    (b"interactions: [unclosed\n- request:\n  response:\n", "YAML"),
    (b"foo: bar\n", "not an HTTP cassette"),
    (b"- just\n- a list\n", "not an HTTP cassette"),
])
def test_not_a_cassette_is_an_input_error(data, fragment):
    with pytest.raises(InputError, match=fragment):
        read_vcr(_buffer(data))


def test_cassette_without_json_responses_is_an_input_error():
    data = _cassette((301, "<html>moved</html>"))
    with pytest.raises(InputError, match="no JSON API response"):
        read_vcr(_buffer(data))


def test_unsafe_yaml_tags_are_refused():
    data = b"interactions: !!python/object/apply:os.system ['echo hi']\n- request:\n  response:\n"
    with pytest.raises(InputError):
        read_vcr(_buffer(data))


def test_sniffer_claims_only_cassettes():
    assert sniff(Sample.from_bytes("x.yaml", b"name: ci\non: push\njobs:\n  test:\n")) == 0.0
    assert sniff(Sample.from_bytes("x.json", b'{"title": "x"}')) == 0.0
    assert sniff(Sample.from_bytes("x.yaml", _cassette((200, {"data": []})))) >= 0.9
