"""Tests of the Web of Science plain-text reader (lib/litscope/sources/wos.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import litscope
from litscope import schema
from litscope.errors import InputError, ParameterError, RecordError
from litscope.sources import detect_format
from litscope.sources._io import Sample
from litscope.sources.wos import read_wos, sniff

FIXTURES = Path(__file__).parent / "fixtures"

# (file, records) for EVERY WoS plain-text file under tests/fixtures, counted in the shell,
# independently of the reader, with grep -c '^PT ' F (equal to grep -cE '^ER\s*$' F).
# rispy_example_wos.ris is WoS plain text (FN/VR header, 'PT J', 'ER', 'EF') despite its extension;
# ris/asreview/asreview_web_of_science.txt is WoS's *RIS* export and belongs to the RIS reader.
WOS_FILES = [
    ("wos_plaintext/wostools_single-article.txt", 1),
    ("ris/rispy/rispy_example_wos.ris", 2),
]
WOS_NAMES = {Path(name).name for name, _ in WOS_FILES}


@pytest.mark.parametrize("name,records", WOS_FILES)
def test_record_counts(name, records):
    df_result = read_wos(FIXTURES / name)
    df = df_result.frame
    schema.validate(df)
    assert len(df) == records
    assert [s.as_dict() for s in df_result.skipped] == []
    assert df["source_record"].tolist() == list(range(1, records + 1))


@pytest.mark.parametrize("name,records", WOS_FILES)
def test_detected_and_loaded(name, records):
    assert detect_format(FIXTURES / name) == "wos"
    df_corpus = litscope.load(FIXTURES / name)
    df = df_corpus.papers
    assert len(df) == records and set(df["source_format"]) == {"wos"}


def test_wos_ris_export_goes_to_the_ris_reader():
    path = FIXTURES / "ris/asreview/asreview_web_of_science.txt"
    assert detect_format(path) == "ris"
    assert sniff(Sample.from_bytes(path.name, path.read_bytes())) == 0.0


def _fixtures_of_other_formats():
    return sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.name != "PROVENANCE.txt"
                  and p.name not in WOS_NAMES)


@pytest.mark.parametrize("path", _fixtures_of_other_formats(), ids=lambda p: p.name)
def test_sniff_ignores_other_formats(path):
    assert sniff(Sample.from_bytes(path.name, path.read_bytes()[:65536])) == 0.0


def test_fields_single_article():
    rec = read_wos(FIXTURES / "wos_plaintext/wostools_single-article.txt").frame.iloc[0]
    assert rec["title"] == "Structural control of ultra-fine CoPt nanodot arrays via electrodeposition process"
    assert rec["authors"] == ["Wodarz, Siggi", "Hasegawa, Takashi", "Ishio, Shunji", "Homma, Takayuki"]  # AF
    assert rec["year"] == 2017
    assert rec["venue"] == "JOURNAL OF MAGNETISM AND MAGNETIC MATERIALS"
    assert rec["doi"] == "10.1016/j.jmmm.2017.01.061"
    # DE wraps 'Bit-patterned' / 'media' over two lines: one keyword
    assert rec["keywords"][:5] == ["Electrodeposition", "Structural control", "Nanodot array",
                                   "Bit-patterned media", "CoPt alloy"]
    assert "ELECTRON-BEAM LITHOGRAPHY" in rec["keywords"]  # ID (Keywords Plus) too
    assert rec["abstract"].startswith("CoPt nanodot arrays were fabricated")


def test_fields_header_file_with_pmid():
    df_result = read_wos(FIXTURES / "ris/rispy/rispy_example_wos.ris")
    df = df_result.frame
    assert df["pmid"].tolist() == ["15170338", "15170339"]
    assert df.loc[0, "title"].startswith("Interactions stabilizing the structure of the core light-harvesting complex")
    assert df.loc[0, "authors"][0] == "Parkes-Loach, PS"
    assert df.loc[1, "doi"] == "10.1021/bi0497291"


GOOD1 = "PT J\nAU Doe, J\nAF Doe, Jane\nTI First good record\nPY 2020\nER\n"
BAD = "PT J\nAU Nobody, H\nPY 2021\nER\n"
GOOD2 = "PT J\nAB Only an abstract,\n   wrapped.\nER\n"


def test_partly_broken_file(tmp_path):
    path = tmp_path / "savedrecs.txt"
    path.write_text("FN Clarivate Analytics Web of Science\nVR 1.0\n" + GOOD1 + "\n" + BAD + "\n" + GOOD2 + "\nEF\n",
                    encoding="utf-8")
    df_result = read_wos(path)
    df = df_result.frame
    assert df["source_record"].tolist() == [1, 3]
    assert df.loc[1, "abstract"] == "Only an abstract, wrapped."
    assert [s.as_dict() for s in df_result.skipped] == [{"file": str(path), "record": 2, "line": 10,
                                    "reason": "record has neither title nor abstract"}]
    assert len(litscope.load(path)) == 2
    with pytest.raises(RecordError) as info:
        read_wos(path, errors="raise")
    assert (info.value.file, info.value.record, info.value.line) == (str(path), 2, 10)
    assert "savedrecs.txt" in str(info.value)


def test_empty_and_header_only_files_give_empty_frames():
    for content in (b"", b"\n\n", b"FN Clarivate Analytics Web of Science\nVR 1.0\nEF\n"):
        df_result = read_wos(io.BytesIO(content))
        df = df_result.frame
        assert len(df) == 0 and list(df.columns) == schema.COLUMNS


def test_crlf_and_bom_variant_parses_the_same(tmp_path):
    original = FIXTURES / "ris/rispy/rispy_example_wos.ris"
    variant = tmp_path / "variant.txt"
    variant.write_bytes(b"\xef\xbb\xbf" + original.read_bytes().replace(b"\n", b"\r\n"))
    a, b = read_wos(original).frame, read_wos(variant).frame
    cols = [c for c in schema.COLUMNS if c != "source_file"]
    assert a[cols].equals(b[cols])
    assert detect_format(variant) == "wos"


def test_not_wos_raises_input_error():
    with pytest.raises(InputError):
        read_wos(io.BytesIO(b"   only indented text\n"))
    with pytest.raises(ParameterError):
        read_wos(io.BytesIO(GOOD1.encode()), errors="nope")


@pytest.mark.parametrize("content,expected", [
    (b"FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI T\nER\n", 0.95),
    (b"PT J\nAU Doe, J\nTI T\nSO S\nER\n", 0.9),
    (b"PMID- 1\nPT  - Journal Article\n", 0.0),
    (b"TY  - JOUR\nTI  - T\nER  - \n", 0.0),
    (b"PT\tAU\tTI\tSO\nJ\tDoe, J\tT\tS\n", 0.0),  # WoS tab-delimited is another format
    (b"%0 Journal Article\n%T T\n", 0.0),
    (b"", 0.0),
])
def test_sniff(content, expected):
    assert sniff(Sample.from_bytes("x", content)) == expected
