"""Tests of the MEDLINE/.nbib reader (lib/litscope/sources/medline.py) against every MEDLINE fixture."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import litscope
from litscope import schema
from litscope.errors import InputError, ParameterError, RecordError
from litscope.sources import detect_format
from litscope.sources._io import Sample
from litscope.sources.medline import read_medline, sniff

FIXTURES = Path(__file__).parent / "fixtures"
MEDLINE = FIXTURES / "medline_nbib"

# (file, records) for EVERY MEDLINE file under tests/fixtures, counted in the shell, independently
# of the reader, as blank-line separated blocks: awk 'BEGIN{RS=""} END{print NR}' F
# (for the PubMed files this equals grep -c '^PMID-' F; ERIC's nbib files have no PMID line).
MEDLINE_FILES = [
    ("biopython_pubmed_result1.txt", 1),
    ("biopython_pubmed_result2.txt", 4),
    ("biopython_pubmed_result3.txt", 1),
    ("colrev_eric_nbib.nbib", 1),
    ("colrev_nbib_data.nbib", 1),
]


def test_table_lists_every_medline_fixture():
    on_disk = {p.name for p in MEDLINE.iterdir() if p.name != "PROVENANCE.txt"}
    assert on_disk == {name for name, _ in MEDLINE_FILES}


@pytest.mark.parametrize("name,records", MEDLINE_FILES)
def test_record_counts(name, records):
    df_result = read_medline(MEDLINE / name)
    df = df_result.frame
    schema.validate(df)
    assert len(df) == records
    assert [s.as_dict() for s in df_result.skipped] == []
    assert df["source_record"].tolist() == list(range(1, records + 1))
    assert (df["source_format"] == "medline").all()


@pytest.mark.parametrize("name,records", MEDLINE_FILES)
def test_detected_and_loaded(name, records):
    path = MEDLINE / name
    assert detect_format(path) == "medline"
    df_corpus = litscope.load(path)
    df = df_corpus.papers
    assert len(df) == records and set(df["source_format"]) == {"medline"}


def _fixtures_of_other_formats():
    return sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.name != "PROVENANCE.txt"
                  and MEDLINE not in p.parents)


@pytest.mark.parametrize("path", _fixtures_of_other_formats(), ids=lambda p: p.name)
def test_sniff_ignores_other_formats(path):
    assert sniff(Sample.from_bytes(path.name, path.read_bytes()[:65536])) == 0.0


def test_fields_pubmed_record():
    df_result = read_medline(MEDLINE / "biopython_pubmed_result2.txt")
    df = df_result.frame
    rec = df.iloc[0]
    assert rec["pmid"] == "16403221"
    assert rec["title"] == "A high level interface to SCOP and ASTRAL implemented in python"
    assert rec["authors"] == ["Casbon, James A", "Crooks, Gavin E", "Saqi, Mansoor A S"]  # FAU, not AU
    assert rec["year"] == 2006
    assert rec["venue"] == "BMC bioinformatics"
    assert rec["doi"] == "10.1186/1471-2105-7-10"  # 'AID - ... [doi]', not the [pii]
    assert rec["url"] == "https://pubmed.ncbi.nlm.nih.gov/16403221/"
    assert "*Software" in rec["keywords"]
    # continuation lines (six spaces) are joined into one abstract
    assert "the construction of datasets of proteins" in rec["abstract"]
    assert "\n" not in rec["abstract"] and "  " not in rec["abstract"]


def test_fields_lid_doi_and_wrapped_mesh_term():
    rec = read_medline(MEDLINE / "biopython_pubmed_result3.txt").frame.iloc[0]
    assert rec["doi"] == "10.1118/1.4748329"
    assert rec["authors"][0] == "Qiao, Shan"
    assert rec["year"] == 2012
    assert "High-Intensity Focused Ultrasound Ablation/adverse effects/instrumentation/*methods" in rec["keywords"]


def test_fields_eric_nbib():
    rec = read_medline(MEDLINE / "colrev_nbib_data.nbib").frame.iloc[0]
    assert rec["title"] == "Paper title"
    assert rec["authors"] == ["Smith, Tom", "Hunter, Shawn"]
    assert rec["doi"] == "10.1000/123456789"  # ERIC 'AID - http://dx.doi.org/...'
    assert rec["pmid"] == ""
    assert rec["keywords"] == ["Keyword 1", "Keyword 2", "Keyword 3"]
    assert rec["year"] == 2000 and rec["venue"] == "Journal Name"


GOOD1 = "PMID- 1\nTI  - First good record\nFAU - Doe, Jane\nDP  - 2020\n"
BAD = "PMID- 2\nFAU - Nobody, Here\nDP  - 2021\n"
GOOD2 = "PMID- 3\nAB  - Only an abstract here,\n      on two lines.\n"


def test_partly_broken_file(tmp_path):
    path = tmp_path / "broken.nbib"
    path.write_text(GOOD1 + "\n" + BAD + "\n" + GOOD2, encoding="utf-8")
    df_result = read_medline(path)
    df = df_result.frame
    assert df["pmid"].tolist() == ["1", "3"]
    assert df["source_record"].tolist() == [1, 3]
    assert df.loc[1, "abstract"] == "Only an abstract here, on two lines."
    assert [s.as_dict() for s in df_result.skipped] == [{"file": str(path), "record": 2, "line": 6,
                                    "reason": "record has neither title nor abstract"}]
    assert len(litscope.load(path)) == 2
    with pytest.raises(RecordError) as info:
        read_medline(path, errors="raise")
    assert (info.value.file, info.value.record, info.value.line) == (str(path), 2, 6)
    assert "broken.nbib" in str(info.value)


def test_new_pmid_starts_a_record_without_blank_line():
    df_result = read_medline(io.BytesIO((GOOD1 + GOOD2).encode()))
    df = df_result.frame
    assert df["pmid"].tolist() == ["1", "3"]


def test_empty_file_gives_empty_frame():
    for content in (b"", b"\n \n"):
        df_result = read_medline(io.BytesIO(content))
        df = df_result.frame
        assert len(df) == 0 and list(df.columns) == schema.COLUMNS


def test_crlf_and_bom_variant_parses_the_same(tmp_path):
    original = MEDLINE / "biopython_pubmed_result2.txt"
    variant = tmp_path / "variant.nbib"
    variant.write_bytes(b"\xef\xbb\xbf" + original.read_bytes().replace(b"\n", b"\r\n"))
    a, b = read_medline(original).frame, read_medline(variant).frame
    cols = [c for c in schema.COLUMNS if c != "source_file"]
    assert a[cols].equals(b[cols])
    assert detect_format(variant) == "medline"


def test_not_medline_raises_input_error():
    with pytest.raises(InputError):
        read_medline(io.BytesIO(b"just words\n"))
    with pytest.raises(ParameterError):
        read_medline(io.BytesIO(GOOD1.encode()), errors="nope")


@pytest.mark.parametrize("content,expected", [
    (b"PMID- 1\nOWN - NLM\nTI  - T\n", 0.95),
    (b"OWN - ERIC\nTI  - T\nAU  - A\nAID - x\n", 0.8),
    (b"TY  - JOUR\nTI  - T\nER  - \n", 0.0),
    (b"PT J\nTI T\nER\n", 0.0),
    (b"%0 Journal Article\n%T T\n", 0.0),
    (b"", 0.0),
])
def test_sniff(content, expected):
    assert sniff(Sample.from_bytes("x", content)) == expected
