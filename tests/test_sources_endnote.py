"""Tests of the EndNote tagged (refer) reader (lib/litscope/sources/endnote.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import litscope
from litscope import schema
from litscope.errors import InputError, ParameterError, RecordError
from litscope.sources import detect_format
from litscope.sources._io import Sample
from litscope.sources.endnote import read_endnote, sniff

FIXTURES = Path(__file__).parent / "fixtures"
ENDNOTE = FIXTURES / "endnote"

# (file, records) for EVERY EndNote tagged file under tests/fixtures, counted in the shell,
# independently of the reader, as blank-line separated blocks: awk 'BEGIN{RS=""} END{print NR}' F
# (equal to grep -c '^%T' F; only some records have a '%0' type line, and it is not their first line).
ENDNOTE_FILES = [
    ("colrev_ais_enl.txt", 6),
    ("colrev_enl_data.enl", 3),
]


def test_table_lists_every_endnote_fixture():
    on_disk = {p.name for p in ENDNOTE.iterdir() if p.name != "PROVENANCE.txt"}
    assert on_disk == {name for name, _ in ENDNOTE_FILES}


@pytest.mark.parametrize("name,records", ENDNOTE_FILES)
def test_record_counts(name, records):
    df_result = read_endnote(ENDNOTE / name)
    df = df_result.frame
    schema.validate(df)
    assert len(df) == records
    assert [s.as_dict() for s in df_result.skipped] == []
    assert df["source_record"].tolist() == list(range(1, records + 1))


@pytest.mark.parametrize("name,records", ENDNOTE_FILES)
def test_detected_and_loaded(name, records):
    assert detect_format(ENDNOTE / name) == "endnote"
    df_corpus = litscope.load(ENDNOTE / name)
    df = df_corpus.papers
    assert len(df) == records and set(df["source_format"]) == {"endnote"}


def _fixtures_of_other_formats():
    return sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.name != "PROVENANCE.txt"
                  and ENDNOTE not in p.parents)


@pytest.mark.parametrize("path", _fixtures_of_other_formats(), ids=lambda p: p.name)
def test_sniff_ignores_other_formats(path):
    assert sniff(Sample.from_bytes(path.name, path.read_bytes()[:65536])) == 0.0


def test_fields():
    df_result = read_endnote(ENDNOTE / "colrev_ais_enl.txt")
    df = df_result.frame
    rec = df.iloc[0]
    assert rec["title"].startswith("How Trust Leads to Commitment on Microsourcing Platforms")
    assert rec["authors"] == ["Guo, Wenbo", "Straub, Detmar W.", "Zhang, Pengzhu", "Cai, Zhao"]
    assert rec["year"] == 2021
    assert rec["venue"] == "Management Information Systems Quarterly"
    assert rec["url"] == "https://aisel.aisnet.org/misq/vol45/iss3/13"
    assert rec["abstract"].startswith("IS research has extensively examined")
    hicss = df.iloc[3]  # no %0 line at all
    assert hicss["authors"][2:4] == ["Osório, Gerardo", "Carvalho, João P. P."]
    assert hicss["year"] == 2019


def test_doi_keywords_and_continuation_lines():
    text = ("%0 Journal Article\n%T A title\n   wrapped\n%A Doe, Jane\n%K deep learning\ntopic models\n"
            "%K a; b\n%R 10.1145/ABC.1\n%J Journal\n%B Book\n%D 2020\n")
    rec = read_endnote(io.BytesIO(text.encode())).frame.iloc[0]
    assert rec["title"] == "A title wrapped"
    assert rec["keywords"] == ["deep learning", "topic models", "a", "b"]
    assert rec["doi"] == "10.1145/abc.1"
    assert rec["venue"] == "Journal"


def test_second_type_line_starts_a_record_without_blank_line():
    df_result = read_endnote(io.BytesIO(b"%0 Journal Article\n%T One\n%0 Book\n%T Two\n"))
    df = df_result.frame
    assert df["title"].tolist() == ["One", "Two"]


GOOD1 = "%0 Journal Article\n%T First good record\n%A Doe, Jane\n%D 2020\n"
BAD = "%0 Journal Article\n%A Nobody, Here\n%D 2021\n"
GOOD2 = "%0 Journal Article\n%X Only an abstract here.\n"


def test_partly_broken_file(tmp_path):
    path = tmp_path / "refs.enw"
    path.write_text(GOOD1 + "\n" + BAD + "\n" + GOOD2, encoding="utf-8")
    df_result = read_endnote(path)
    df = df_result.frame
    assert df["source_record"].tolist() == [1, 3]
    assert [s.as_dict() for s in df_result.skipped] == [{"file": str(path), "record": 2, "line": 6,
                                    "reason": "record has neither title nor abstract"}]
    assert len(litscope.load(path)) == 2
    with pytest.raises(RecordError) as info:
        read_endnote(path, errors="raise")
    assert (info.value.file, info.value.record, info.value.line) == (str(path), 2, 6)
    assert "refs.enw" in str(info.value)


def test_empty_file_gives_empty_frame():
    for content in (b"", b"\n\n"):
        df_result = read_endnote(io.BytesIO(content))
        df = df_result.frame
        assert len(df) == 0 and list(df.columns) == schema.COLUMNS


def test_crlf_and_bom_variant_parses_the_same(tmp_path):
    original = ENDNOTE / "colrev_ais_enl.txt"
    variant = tmp_path / "variant.txt"
    variant.write_bytes(b"\xef\xbb\xbf" + original.read_bytes().replace(b"\n", b"\r\n"))
    a, b = read_endnote(original).frame, read_endnote(variant).frame
    cols = [c for c in schema.COLUMNS if c != "source_file"]
    assert a[cols].equals(b[cols])
    assert detect_format(variant) == "endnote"


def test_not_endnote_raises_input_error():
    with pytest.raises(InputError):
        read_endnote(io.BytesIO(b"just words\n"))
    with pytest.raises(ParameterError):
        read_endnote(io.BytesIO(GOOD1.encode()), errors="nope")


@pytest.mark.parametrize("content,expected", [
    (b"%0 Journal Article\n%T Title\n%A Doe, J\n", 0.95),
    (b"%T Title\n%A Doe, J\n%D 2020\n", 0.95),
    (b"% bibtex comment\n@article{k, title={T}}\n", 0.0),
    (b"TY  - JOUR\nTI  - T\nER  - \n", 0.0),
    (b"PMID- 1\nTI  - T\n", 0.0),
    (b"PT J\nTI T\nER\n", 0.0),
    (b"", 0.0),
])
def test_sniff(content, expected):
    assert sniff(Sample.from_bytes("x", content)) == expected
