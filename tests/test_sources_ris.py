"""Tests of the RIS reader (lib/litscope/sources/ris.py) against every RIS fixture."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import litscope
from litscope import schema
from litscope.errors import InputError, LitscopeError, ParameterError, RecordError
from litscope.sources import detect_format
from litscope.sources._io import Sample
from litscope.sources.ris import read_ris, sniff

FIXTURES = Path(__file__).parent / "fixtures"
RIS = FIXTURES / "ris"

# (file, records, loadable) for EVERY RIS file under tests/fixtures (the .txt ones included).
# records: counted in the shell, independently of the reader, with
#   sed '1s/^\xef\xbb\xbf//' F | tr -d '\r' | grep -cE '^TY  ?-'
# (the same number as grep -cE '^ER  ?-' for every file).
# loadable: records with a non-blank title or abstract tag, counted with
#   awk '/^TY  ?-/{if(open&&has)n++;open=1;has=0;next}
#        /^(TI|T1|CT|BT|ST|TT|AB|N2)  ?- *[^ ]/{has=1}
#        /^ER  ?-/{if(open&&has)n++;open=0;has=0} END{if(open&&has)n++;print n+0}'
RIS_FILES = [
    ("asreview/asreview__baseline.ris", 100, 100),
    ("asreview/asreview_baseline_empty_values.ris", 4, 4),
    ("asreview/asreview_baseline_reference_types.ris", 61, 0),
    ("asreview/asreview_baseline_tag-notes.ris", 12, 1),
    ("asreview/asreview_baseline_zotero.ris", 100, 100),
    ("asreview/asreview_embase.ris", 6, 6),
    ("asreview/asreview_faulty_year.ris", 1, 1),
    ("asreview/asreview_ovid_psycinfo.ris", 6, 6),
    ("asreview/asreview_ovid_zotero.ris", 6, 6),
    ("asreview/asreview_proquest.ris", 6, 6),
    ("asreview/asreview_pubmed_endnote.txt", 6, 6),
    ("asreview/asreview_pubmed_zotero.ris", 6, 6),
    ("asreview/asreview_ris_issue_1099.txt", 7, 7),
    ("asreview/asreview_ris_issue_992.txt", 19, 19),
    ("asreview/asreview_ris_many_authors.ris", 1, 1),
    ("asreview/asreview_scopus.ris", 6, 6),
    ("asreview/asreview_web_of_science.txt", 10, 10),  # WoS's *RIS* export, not WoS plain text
    ("colrev/colrev_abi_inform_proquest_ris.ris", 2, 2),
    ("colrev/colrev_ieee_ris.ris", 2, 2),
    ("colrev/colrev_jstor_ris.ris", 4, 4),
    ("colrev/colrev_psycinfo_ris.ris", 1, 1),
    ("colrev/colrev_trid_ris.ris", 3, 3),
    ("rispy/rispy_example_basic.ris", 1, 1),
    ("rispy/rispy_example_bom.ris", 1, 0),
    ("rispy/rispy_example_custom_list_tags.ris", 1, 0),
    ("rispy/rispy_example_empty_tag.ris", 1, 1),
    ("rispy/rispy_example_extraneous_data.ris", 2, 2),
    ("rispy/rispy_example_full.ris", 2, 2),
    ("rispy/rispy_example_multi_unknown_tags.ris", 1, 1),
    ("rispy/rispy_example_multiline.ris", 3, 3),
    ("rispy/rispy_example_single_unknown_tag.ris", 1, 1),
    ("rispy/rispy_example_starting_newlines.ris", 1, 1),
    ("rispy/rispy_example_urls.ris", 4, 4),
    ("rispy/rispy_example_utf_chars.ris", 1, 1),
]
# rispy/rispy_example_wos.ris is Web of Science plain text despite its name: see test_sources_wos.py.


def test_table_lists_every_ris_fixture():
    on_disk = {str(p.relative_to(RIS)) for p in RIS.rglob("*")
               if p.is_file() and p.name != "PROVENANCE.txt" and p.name != "rispy_example_wos.ris"}
    assert on_disk == {name for name, _, _ in RIS_FILES}


@pytest.mark.parametrize("name,records,loadable", RIS_FILES)
def test_record_counts(name, records, loadable):
    df_result = read_ris(RIS / name)
    df = df_result.frame
    schema.validate(df)
    assert len(df) == loadable
    listed = [s for s in [s.as_dict() for s in df_result.skipped] if s["record"] is not None]
    assert len(df) + len(listed) == records
    numbers = sorted(df["source_record"].tolist() + [s["record"] for s in listed])
    assert numbers == list(range(1, records + 1))
    assert (df["source_format"] == "ris").all()
    assert df_result.encoding


@pytest.mark.parametrize("name,records,loadable", RIS_FILES)
def test_detected_and_loaded(name, records, loadable):
    path = RIS / name
    assert detect_format(path) == "ris"
    if loadable:
        df_corpus = litscope.load(path)
        df = df_corpus.papers
        assert len(df) == loadable
        assert set(df["source_format"]) == {"ris"}
    else:  # every record lacks title and abstract: load() refuses the file, naming it
        with pytest.raises(RecordError, match=name.split("/")[-1]):
            litscope.load(path)


def _fixtures_of_other_formats():
    return sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.name != "PROVENANCE.txt"
                  and (RIS not in p.parents or p.name == "rispy_example_wos.ris"))


@pytest.mark.parametrize("path", _fixtures_of_other_formats(), ids=lambda p: p.name)
def test_sniff_ignores_other_formats(path):
    assert sniff(Sample.from_bytes(path.name, path.read_bytes()[:65536])) == 0.0


def test_wos_plain_text_named_ris_is_not_ris():
    with pytest.raises(InputError, match="TY"):
        read_ris(RIS / "rispy/rispy_example_wos.ris")


def _record(name: str, number: int):
    df_result = read_ris(RIS / name)
    df = df_result.frame
    return df[df["source_record"] == number].iloc[0]


def test_fields_embase():
    rec = _record("asreview/asreview_embase.ris", 1)
    assert rec["title"] == "Duplication cysts: Diagnosis, management, and the role of endoscopic ultrasound"
    assert rec["authors"] == ["Liu, R.", "Adler, D.G."]  # Embase 'Liu R.' -> 'Family, Given'
    assert rec["year"] == 2014
    assert rec["doi"] == "10.4103/2303-9027.138783"
    assert rec["venue"] == "Endoscopic Ultrasound"
    assert rec["abstract"].startswith("Gastrointestinal tract duplication cysts are rare")  # N2
    assert "bronchogenic duplication cyst" in rec["keywords"]


def test_fields_ieee_upper_case_doi_and_initials_first():
    rec = _record("colrev/colrev_ieee_ris.ris", 1)
    assert rec["authors"][0] == "Author-One, A."
    assert rec["doi"] == "10.1234/random-name55555.2020.00050"
    assert rec["year"] == 2020
    assert rec["venue"] == "Secondary Title (booktitle title, if applicable)"


def test_fields_psycinfo_pmid_tag_and_doi():
    rec = _record("colrev/colrev_psycinfo_ris.ris", 1)
    assert rec["pmid"] == "33355555"  # 'PMID  - ' is a four-letter tag
    assert rec["doi"] == "10.1011/hea0004444"
    assert rec["authors"][0] == "Author-One, Matthias"
    assert rec["abstract"].startswith("Abstract. This is a free text field")


def test_fields_pubmed_via_endnote_keyword_continuations_and_accession():
    rec = _record("asreview/asreview_pubmed_endnote.txt", 1)
    assert rec["title"].startswith("Boswellia serrata: an overall assessment")
    assert rec["authors"][0] == "Abdel-Tawab, M."
    assert rec["year"] == 2011
    assert rec["pmid"] == "21553931"  # AN of a record whose DP is NLM
    # untagged lines after 'KW  - Animals' are further keywords, not one long keyword
    assert rec["keywords"][:2] == ["Animals", "Anti-Inflammatory Agents/adverse effects/pharmacokinetics/*pharmacology"]
    assert "Humans" in rec["keywords"]


def test_proquest_accession_is_not_a_pmid():
    df_result = read_ris(RIS / "colrev/colrev_abi_inform_proquest_ris.ris")
    df = df_result.frame
    assert df["pmid"].tolist() == ["", ""]
    assert df.loc[1, "doi"] == "10.0001/1234567891"  # from 'https://doi.org/...'


def test_ovid_numbered_preamble_and_trailing_fields():
    df_result = read_ris(RIS / "asreview/asreview_ovid_psycinfo.ris")
    df = df_result.frame
    assert [s.as_dict() for s in df_result.skipped] == []
    rec = df.iloc[0]
    assert rec["doi"] == "10.1002/cpp.2398"
    assert rec["authors"][:2] == ["Trindade, Ines A", "Irons, Chris"]
    assert rec["year"] == 2019
    assert rec["venue"] == "Clinical Psychology & Psychotherapy"


def test_multiline_fields_are_joined_and_a_bare_er_word_does_not_end_the_record():
    df_result = read_ris(RIS / "rispy/rispy_example_multiline.ris")
    df = df_result.frame
    assert df["abstract"].tolist() == ["first line, ER then second line and at the end the last line"] * 3


def test_urls_split_and_first_kept():
    df_result = read_ris(RIS / "rispy/rispy_example_urls.ris")
    df = df_result.frame
    assert df["url"].tolist() == ["http://example.com"] * 4
    assert df["authors"].tolist()[0] == ["Shannon, Claude E."]
    assert df["year"].tolist() == [1948] * 4


def test_year_from_compact_date_and_arxiv_from_link():
    assert read_ris(RIS / "colrev/colrev_trid_ris.ris").frame.loc[0, "year"] == 2017  # 'Start date: 20170812'
    issue_result = read_ris(RIS / "asreview/asreview_ris_issue_1099.txt")
    issue = issue_result.frame
    blue = issue[issue["title"] == "BLUE: A 3D Dynamic Bipedal Robot"].iloc[0]
    assert blue["arxiv_id"] == "2111.09920"


def test_pmid_from_pubmed_link():
    df_result = read_ris(RIS / "asreview/asreview_baseline_zotero.ris")
    df = df_result.frame
    assert df.iloc[-1]["pmid"] == "29267302"


def test_jstor_provider_headers_are_not_records_or_problems():
    df_result = read_ris(RIS / "colrev/colrev_jstor_ris.ris")
    df = df_result.frame
    assert len(df) == 4 and [s.as_dict() for s in df_result.skipped] == []
    assert df.loc[1, "title"] == "Primary Title"  # T1 when there is no TI


GOOD1 = "TY  - JOUR\nTI  - First good record\nAU  - Doe, Jane\nPY  - 2020\nER  - \n"
BAD = "TY  - JOUR\nAU  - Nobody, Here\nPY  - 2021\nER  - \n"
GOOD2 = "TY  - JOUR\nAB  - Only an abstract here.\nER  - \n"


def test_partly_broken_file_loads_good_records_and_lists_the_bad_one(tmp_path):
    path = tmp_path / "broken.ris"
    path.write_text(GOOD1 + "\n" + BAD + "\n" + GOOD2, encoding="utf-8")
    df_result = read_ris(path)
    df = df_result.frame
    assert len(df) == 2
    assert df["source_record"].tolist() == [1, 3]
    assert [s.as_dict() for s in df_result.skipped] == [{"file": str(path), "record": 2, "line": 7,
                                    "reason": "record has neither title nor abstract"}]
    loaded_corpus = litscope.load(path)
    loaded = loaded_corpus.papers
    assert len(loaded) == 2
    assert [s.as_dict() for s in loaded_corpus.skipped][0]["record"] == 2
    with pytest.raises(RecordError) as info:
        read_ris(path, errors="raise")
    assert info.value.file == str(path) and info.value.record == 2 and info.value.line == 7
    assert "broken.ris" in str(info.value) and "record 2" in str(info.value)
    with pytest.raises(RecordError):
        litscope.load(path, errors="raise")


def test_empty_file_gives_empty_frame(tmp_path):
    for content in (b"", b"\n\n  \n", b"\xef\xbb\xbf"):
        path = tmp_path / "empty.ris"
        path.write_bytes(content)
        df_result = read_ris(path)
        df = df_result.frame
        assert len(df) == 0 and list(df.columns) == schema.COLUMNS
        schema.validate(df)


def test_crlf_and_bom_variant_parses_the_same(tmp_path):
    original = RIS / "asreview/asreview_embase.ris"
    text = original.read_bytes().decode("utf-8-sig")
    variant = tmp_path / "variant.ris"
    variant.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    a, b = read_ris(original).frame, read_ris(variant).frame
    cols = [c for c in schema.COLUMNS if c != "source_file"]
    assert a[cols].equals(b[cols])


def test_lenient_tags_unclosed_record_and_angle_numbers():
    text = ("<1>\nTY - JOUR\nTI - One space around the dash\nER -\n"
            "<2>\nTY  - JOUR\nT1  - Not closed\n  by ER before the end\nPY  - 1999")
    df_result = read_ris(io.BytesIO(text.encode()))
    df = df_result.frame
    assert df["title"].tolist() == ["One space around the dash", "Not closed by ER before the end"]
    assert df["year"].tolist()[1] == 1999


def test_fields_before_first_record_are_listed():
    text = "TI  - A stray title\nAU  - Someone\n\nTY  - JOUR\nTI  - Real\nER  - \n"
    df_result = read_ris(io.BytesIO(text.encode()))
    df = df_result.frame
    assert df["title"].tolist() == ["Real"]
    (stray,) = [s.as_dict() for s in df_result.skipped]
    assert stray["record"] is None and stray["line"] == 1 and "AU, TI" in stray["reason"]


def test_fields_closed_by_er_without_ty_are_a_record_and_trailing_fields_join_the_record_before():
    text = ("TY  - JOUR\nTI  - One\nER  -\nTI  - Lost its TY line\nER  -\n"
            "TY  - JOUR\nTI  - Three\nER  -\nNL  - Ovid trailer\nPY  - 2001\n")
    df_result = read_ris(io.BytesIO(text.encode()))
    df = df_result.frame
    assert df["title"].tolist() == ["One", "Lost its TY line", "Three"]
    assert df["source_record"].tolist() == [1, 2, 3]
    assert df["year"].tolist()[2] == 2001
    assert [s.as_dict() for s in df_result.skipped] == []


def test_not_ris_at_all_raises_input_error():
    with pytest.raises(InputError, match="no RIS record"):
        read_ris(io.BytesIO(b"just some words\nand more words\n"))


def test_bad_errors_argument():
    with pytest.raises(ParameterError):
        read_ris(io.BytesIO(GOOD1.encode()), errors="ignore")
    assert issubclass(ParameterError, LitscopeError)


@pytest.mark.parametrize("content,expected", [
    (b"TY  - JOUR\nTI  - T\nER  - \n", 0.95),
    (b"PMID- 1\nOWN - NLM\nTI  - T\n", 0.0),
    (b"FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI T\nER\n", 0.0),
    (b"%0 Journal Article\n%T Title\n", 0.0),
    (b"@article{k, title={T}}\n", 0.0),
    (b"", 0.0),
])
def test_sniff(content, expected):
    assert sniff(Sample.from_bytes("x", content)) == expected
