"""The BibTeX reader: every fixture file, field mapping, LaTeX, crossref, broken entries."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

import litscope
from litscope.errors import LitscopeError, NoRecordsError, RecordError
from litscope.schema import validate
from litscope.sources.bibtex import latex_to_text, parse_names, read_bibtex

BIB = Path(__file__).resolve().parent / "fixtures" / "bibtex"

# (file, records loaded, entries skipped). loaded + skipped is checked against an independent
# count: lines matching `^\s*@\w+\s*[{(]` (what `grep -ciE '^\s*@'` counts, BOM allowed) minus
# @string/@comment/@preamble lines. Skipped entries have neither title nor abstract (checked
# by reading them: crossref_cascading r1-r4 hold only DATE/CROSSREF, wrong.bib only author,
# biber-examples' 21 are @Set/@XData/crossref-only parents without a title).
FILES = [
    ("bibtexparser_v1/article.bib", 1, 0),
    ("bibtexparser_v1/article_comma_first.bib", 2, 0),
    ("bibtexparser_v1/article_field_name_with_underscore.bib", 1, 0),
    ("bibtexparser_v1/article_missing_coma.bib", 4, 0),
    ("bibtexparser_v1/article_multilines.bib", 1, 0),
    ("bibtexparser_v1/article_no_braces.bib", 1, 0),
    ("bibtexparser_v1/article_oneline.bib", 2, 0),
    ("bibtexparser_v1/article_start_with_bom.bib", 1, 0),
    ("bibtexparser_v1/article_start_with_whitespace.bib", 2, 0),
    ("bibtexparser_v1/article_with_annotation.bib", 1, 0),
    ("bibtexparser_v1/article_with_protection_braces.bib", 1, 0),
    ("bibtexparser_v1/article_with_special_characters.bib", 1, 0),
    ("bibtexparser_v1/article_with_strings.bib", 1, 0),
    ("bibtexparser_v1/biber-examples.bib", 97, 21),
    ("bibtexparser_v1/book.bib", 1, 0),
    ("bibtexparser_v1/book_bom.bib", 1, 0),
    ("bibtexparser_v1/book_capital_AND.bib", 1, 0),
    ("bibtexparser_v1/comments_only.bib", 0, 0),
    ("bibtexparser_v1/comments_percentage.bib", 2, 0),
    ("bibtexparser_v1/comments_spaces_and_declarations.bib", 1, 0),
    ("bibtexparser_v1/common_strings.bib", 0, 0),
    ("bibtexparser_v1/crossref_cascading.bib", 0, 4),
    ("bibtexparser_v1/crossref_cascading_cycle.bib", 0, 2),
    ("bibtexparser_v1/crossref_entries.bib", 14, 0),
    ("bibtexparser_v1/crossref_missing_entries.bib", 1, 0),
    ("bibtexparser_v1/encoding.bib", 1, 0),
    ("bibtexparser_v1/features.bib", 1, 0),
    ("bibtexparser_v1/fieldname.bib", 0, 1),
    ("bibtexparser_v1/gbk_encoded_NOT_UTF8.bib", 1, 0),
    ("bibtexparser_v1/multiline_comments.bib", 0, 0),
    ("bibtexparser_v1/multiple_entries_and_comments.bib", 3, 0),
    ("bibtexparser_v1/string.bib", 1, 0),
    ("bibtexparser_v1/traps.bib", 1, 0),
    ("bibtexparser_v1/website.bib", 1, 0),
    ("bibtexparser_v1/wrong.bib", 0, 2),
    ("bibtexparser_v1/xref_entries.bib", 8, 0),
    ("bibtexparser_v1/xref_missing_entries.bib", 1, 0),
    ("colrev_database_exports/colrev_abi_inform_proquest_bib.bib", 2, 0),
    ("colrev_database_exports/colrev_acm_bib.bib", 2, 0),
    ("colrev_database_exports/colrev_crossref_bib.bib", 1, 0),
    ("colrev_database_exports/colrev_dblp_bib.bib", 2, 0),
    ("colrev_database_exports/colrev_ebsco_bib.bib", 2, 0),
    ("colrev_database_exports/colrev_europe_pmc_bib.bib", 2, 0),
    ("colrev_database_exports/colrev_scopus_bib.bib", 11, 0),
    ("colrev_database_exports/colrev_taylor_and_francis_bib.bib", 2, 0),
    ("colrev_database_exports/colrev_unknown_source_bib.bib", 1, 0),
    ("colrev_database_exports/colrev_web_of_science_bib.bib", 2, 0),
    ("colrev_database_exports/colrev_wiley_bib.bib", 2, 0),
    ("colrev_dedupe/dedupe_records.bib", 21, 0),
    ("colrev_dedupe/dedupe_records_expected.bib", 19, 0),
    ("zotero_bbt_user_files/Endnote_should_parse.bib", 1, 0),
    ("zotero_bbt_user_files/Math_markup_to_unicode_not_always_imported_correctly_472.bib", 2, 0),
    ("zotero_bbt_user_files/Qiqqa.bib", 2, 0),
]


def _grep_entries(path: Path) -> int:
    """Entries by line pattern, independent of the parser: '@type{' lines minus non-record types."""
    raw = path.read_bytes()
    text = raw.decode("gbk") if "gbk" in path.name else raw.decode("utf-8-sig")
    types = re.findall(r"^\ufeff?\s*@\s*(\w+)\s*[{(]", text, re.M)
    return sum(1 for t in types if t.lower() not in ("string", "comment", "preamble"))


def test_table_lists_every_fixture():
    on_disk = {str(p.relative_to(BIB)) for p in BIB.rglob("*.bib")}
    assert on_disk == {f for f, _, _ in FILES}


@pytest.mark.parametrize("name,loaded,skipped", FILES, ids=[f for f, _, _ in FILES])
def test_every_fixture_loads(name, loaded, skipped):
    path = BIB / name
    df_result = read_bibtex(path)
    df = df_result.frame
    validate(df)
    assert len(df) == loaded
    assert len([s.as_dict() for s in df_result.skipped]) == skipped
    assert loaded + skipped == _grep_entries(path)
    assert df["source_format"].eq("bibtex").all()
    assert all(s["line"] and s["record"] and s["reason"] for s in [s.as_dict() for s in df_result.skipped])


@pytest.mark.parametrize("name,loaded,skipped", FILES, ids=[f for f, _, _ in FILES])
def test_detected_and_loaded_as_bibtex(name, loaded, skipped):
    assert litscope.detect_format(BIB / name) == "bibtex"
    if loaded:  # files with no record at all are refused by load(): see the wrong/comments tests
        df_corpus = litscope.load(BIB / name)
        df = df_corpus.papers
        assert len(df) == loaded and df["source_format"].eq("bibtex").all()
        assert [r["format"] for r in [e.as_dict() for e in df_corpus.load_entries]] == ["bibtex"]


def test_article_fields():
    df_result = read_bibtex(BIB / "bibtexparser_v1/article.bib")
    df = df_result.frame
    row = df.iloc[0]
    assert row["title"] == "An amazing title"
    assert row["authors"] == ["César, Jean"]
    assert row["year"] == 2013
    assert row["venue"] == "Nice Journal"
    assert row["keywords"] == ["keyword1", "keyword2"]
    assert row["abstract"].startswith("This is an abstract.") and "érudit" in row["abstract"]
    assert row["source_record"] == 1


@pytest.mark.parametrize("name", ["article_with_special_characters.bib", "article_no_braces.bib"])
def test_latex_accents_become_unicode(name):
    assert read_bibtex(BIB / "bibtexparser_v1" / name).frame.loc[0, "authors"] == ["Césarü, Jean"]


def test_string_macros_and_concatenation():
    row = read_bibtex(BIB / "bibtexparser_v1/article_with_strings.bib").frame.iloc[0]
    assert row["authors"] == ["César, Jean"]  # jean # " " # cesar
    assert row["venue"] == "Nice Journal"
    row = read_bibtex(BIB / "bibtexparser_v1/string.bib").frame.iloc[0]
    assert row["venue"] == "Proceedings of the IEEE Symposium on Security and Privacy"
    assert row["title"] == "Program-Adaptive Mutational Fuzzing"  # protection braces gone
    assert row["authors"] == ["Cha, Sang Kil", "Woo, Maverick", "Brumley, David"]


def test_missing_commas_between_fields():
    df_result = read_bibtex(BIB / "bibtexparser_v1/article_missing_coma.bib")
    df = df_result.frame
    assert [a[0] for a in df["authors"]] == ["Cesar, Jean", "Baltazar, Jean", "Aimar, Jean", "Doute, Jean"]
    assert df["year"].tolist() == [2013] * 4
    assert df["keywords"].tolist() == [["keyword1", "keyword2"]] * 4


def test_comma_first_and_one_line_entries():
    for name in ("article_comma_first.bib", "article_oneline.bib"):
        df_result = read_bibtex(BIB / "bibtexparser_v1" / name)
        df = df_result.frame
        assert [a[0] for a in df["authors"]] == ["Cesar, Jean", "Baltazar, Jean"]
        assert df["venue"].tolist() == ["Nice Journal"] * 2


def test_capital_and_splits_authors():
    row = read_bibtex(BIB / "bibtexparser_v1/book_capital_AND.bib").frame.iloc[0]
    assert row["authors"] == ["Bird, R.B.", "Armstrong, R.C.", "Hassager, O."]


def test_gbk_file_is_decoded_correctly():
    # charset-normalizer alone guesses cp949 for these 104 bytes; the reader re-ranks candidates.
    df_result = read_bibtex(BIB / "bibtexparser_v1/gbk_encoded_NOT_UTF8.bib")
    df = df_result.frame
    assert df_result.encoding in ("gb18030", "gbk", "gb2312")
    assert df.loc[0, "authors"] == ["凯撒"]
    assert df.loc[0, "venue"] == "测试期刊"
    assert df.loc[0, "title"] == "Test Title"


def test_explicit_encoding_wins():
    df_result = read_bibtex(BIB / "bibtexparser_v1/gbk_encoded_NOT_UTF8.bib", encoding="gbk")
    df = df_result.frame
    assert df_result.encoding == "gbk" and df.loc[0, "venue"] == "测试期刊"


def test_bom_is_ignored():
    a_result = read_bibtex(BIB / "bibtexparser_v1/book.bib")
    a = a_result.frame
    b_result = read_bibtex(BIB / "bibtexparser_v1/book_bom.bib")
    b = b_result.frame
    assert a["title"].tolist() == b["title"].tolist() == ["Dynamics of Polymeric Liquid"]


def test_math_markup_to_unicode():
    df_result = read_bibtex(BIB / "zotero_bbt_user_files/Math_markup_to_unicode_not_always_imported_correctly_472.bib")
    df = df_result.frame
    title = df.loc[0, "title"]
    assert "100 μJ" in title and "200 μJ" in title and "±0.1% Accuracy" in title and "{" not in title
    assert df.loc[0, "keywords"] == ["Keyword 1", "Keyword 2"]
    assert df.loc[0, "doi"] == "10.1109/jproc.2016.2526118"
    assert any("IEEE_J_PROC" in n["note"] for n in [n.as_dict() for n in df_result.notes])  # undefined macro kept, noted


def test_escaped_umlauts_and_comma_first_qiqqa():
    df_result = read_bibtex(BIB / "zotero_bbt_user_files/Qiqqa.bib")
    df = df_result.frame
    assert df["authors"].tolist() == [["Kühne, Thomas"], ["Gödel, Kurt"]]
    assert df.loc[0, "keywords"] == ["MLM", "ontological versus linguistic"]


def test_entry_without_key():
    df_result = read_bibtex(BIB / "zotero_bbt_user_files/Endnote_should_parse.bib")
    df = df_result.frame
    assert df.loc[0, "title"] == "Alzheimer mechanisms and therapeutic strategies"
    assert df.loc[0, "authors"] == ["Huang, Y.", "Mucke, L."]
    assert df.loc[0, "year"] == 2012


def test_garbage_inside_an_entry_is_skipped_and_noted():
    df_result = read_bibtex(BIB / "colrev_database_exports/colrev_ebsco_bib.bib")
    df = df_result.frame
    assert df.loc[1, "title"] == "When sharing fixes prices"
    assert df.loc[1, "abstract"] == "While price-fixing"
    [note] = [n.as_dict() for n in df_result.notes]
    assert note["record"] == 2 and "unreadable text" in note["note"]


def test_identifiers_are_mapped():
    df_result = read_bibtex(BIB / "colrev_database_exports/colrev_taylor_and_francis_bib.bib")
    df = df_result.frame
    assert df["pmid"].tolist() == ["33355555", "33314444"]  # from 'note = {PMID: ...}'
    assert df.loc[0, "doi"] == "10.1111/07777777.2018.1666666"
    assert df.loc[0, "url"] == "https://doi.org/10.1111/07777777.2018.1666666"
    wos_result = read_bibtex(BIB / "colrev_database_exports/colrev_web_of_science_bib.bib")
    wos = wos_result.frame
    assert wos.loc[0, "doi"] == "10.1007/999-9-999-99999-9_3"  # '\_' unescaped
    assert wos.loc[0, "venue"] == "A BOOKTITLE"
    misc_result = read_bibtex(BIB / "colrev_database_exports/colrev_europe_pmc_bib.bib")
    misc = misc_result.frame
    assert misc.loc[1, "venue"] == "Misc Square"  # publisher is the venue of a @misc
    assert "<h4>" not in misc.loc[0, "abstract"]
    biber_result = read_bibtex(BIB / "bibtexparser_v1/biber-examples.bib")
    biber = biber_result.frame
    baez = biber[biber["title"] == "Higher-Dimensional Algebra V: 2-Groups"]
    assert set(baez["arxiv_id"]) == {"math/0307200"}


def test_crossref_inheritance():
    df = read_bibtex(BIB / "bibtexparser_v1/crossref_entries.bib").frame.set_index("title")
    assert df.loc["Great and Good Graphs", "venue"] == "Graphs of the Continent"  # parent title -> booktitle
    assert df.loc["Great and Good Graphs", "year"] == 1974
    assert df.loc["Graphs of the Continent", "venue"] == ""
    # biblatex 'xref' links without inheriting data (unlike crossref and xdata)
    xref = read_bibtex(BIB / "bibtexparser_v1/xref_entries.bib").frame.set_index("title")
    assert xref.loc["Moods Mildly Modified", "venue"] == ""
    xdata_result = read_bibtex(io.BytesIO(b"@xdata{pub, publisher = {ACME}, location = {X}}\n"
                                   b"@misc{m, title = {T}, xdata = {pub}}"))
    xdata = xdata_result.frame
    assert xdata["venue"].tolist() == ["ACME"]
    assert [s.as_dict() for s in xdata_result.skipped][0]["reason"].startswith("@xdata entry")


def test_crossref_cycle_and_missing_parent_are_notes():
    df_result = read_bibtex(BIB / "bibtexparser_v1/crossref_cascading_cycle.bib")
    df = df_result.frame
    assert len(df) == 0 and [s["record"] for s in [s.as_dict() for s in df_result.skipped]] == [1, 2]
    assert any("cycle" in n["note"] for n in [n.as_dict() for n in df_result.notes])
    df_result = read_bibtex(BIB / "bibtexparser_v1/crossref_missing_entries.bib")
    df = df_result.frame
    assert df["title"].tolist() == ["Lumbering Lunatics"]
    assert "'missing1' not found" in [n.as_dict() for n in df_result.notes][0]["note"]


def test_wrong_bib_gives_a_clear_error_on_load():
    # Both entries have no title or abstract: the reader lists them, load() refuses the file.
    df_result = read_bibtex(BIB / "bibtexparser_v1/wrong.bib")
    df = df_result.frame
    assert len(df) == 0
    assert [(s["record"], s["line"]) for s in [s.as_dict() for s in df_result.skipped]] == [(1, 3), (2, 7)]
    with pytest.raises(RecordError, match="wrong.bib: record 1"):
        litscope.load(BIB / "bibtexparser_v1/wrong.bib")


def test_comments_only_is_an_empty_result():
    # Valid BibTeX with no entries: an empty frame from the reader, NoRecordsError from load().
    df_result = read_bibtex(BIB / "bibtexparser_v1/comments_only.bib")
    df = df_result.frame
    assert len(df) == 0 and [s.as_dict() for s in df_result.skipped] == []
    validate(df)
    with pytest.raises(NoRecordsError):
        litscope.load(BIB / "bibtexparser_v1/comments_only.bib")


BROKEN = b"""@article{good1, title = {First good}, year = 2001}

@article{bad, title = {Unclosed brace, year = 2002,
  author = {Doe, J}
}

@article{good2, title = {Second good}, year = 2003}
@misc{notitle, author = {Roe, R}}
"""


def test_partly_broken_file(tmp_path):
    path = tmp_path / "broken.bib"
    path.write_bytes(BROKEN)
    df_result = read_bibtex(path)
    df = df_result.frame
    assert df["title"].tolist() == ["First good", "Second good"]
    assert df["source_record"].tolist() == [1, 3]
    bad = [s.as_dict() for s in df_result.skipped]
    assert [(s["record"], s["line"]) for s in bad] == [(2, 3), (4, 8)]
    assert "unbalanced braces" in bad[0]["reason"] and "neither title nor abstract" in bad[1]["reason"]
    with pytest.raises(RecordError) as info:
        read_bibtex(path, errors="raise")
    assert info.value.file == str(path) and info.value.record == 2 and info.value.line == 3
    loaded_corpus = litscope.load(path)
    loaded = loaded_corpus.papers
    assert len(loaded) == 2 and len([s.as_dict() for s in loaded_corpus.skipped]) == 2


def _one(text: str):
    return read_bibtex(io.BytesIO(text.encode("utf-8"))).frame


def _one_result(text: str):
    return read_bibtex(io.BytesIO(text.encode("utf-8")))


def test_syntax_variants():
    df = _one("""% @article{commented, title = {Not an entry}}
@preamble{"\\newcommand{\\x}{y}"}
@string{conf = "Conf. on " # "Things"}
@inproceedings(paren, title = "Quoted {\\"U}ber title", booktitle = conf # " 2020", month = jan,
  date = {2020-05-03}, eprint = {2001.01234}, archiveprefix = {arXiv}, keywords = {a; b;c})
Text between entries is ignored.
@article{braces, title = {A {nested {deeply} braced} $\\alpha$ \\textit{italic} title}, author = {{World Health Organization} and van Beethoven, Ludwig}}
""")
    assert df["title"].tolist() == ["Quoted Über title", "A nested deeply braced α italic title"]
    first, second = df.iloc[0], df.iloc[1]
    assert first["venue"] == "Conf. on Things 2020"
    assert first["year"] == 2020 and first["arxiv_id"] == "2001.01234"
    assert first["keywords"] == ["a", "b", "c"]
    assert second["authors"] == ["World Health Organization", "van Beethoven, Ludwig"]


def test_helpers():
    assert latex_to_text(r"{\"u}") == "ü"
    assert latex_to_text(r"\'e") == "é"
    assert latex_to_text(r"50% of {A} & B") == "50% of A & B"
    assert parse_names("Jean Cesar and others") == [{"family": "Cesar", "given": "Jean"}]
    assert parse_names("King, Jr, Martin Luther") == [{"family": "King", "given": "Martin Luther, Jr"}]


def test_empty_input_and_parameters():
    result = _one_result("")
    assert len(result) == 0 and result.skipped == ()
    with pytest.raises(LitscopeError):
        read_bibtex(io.BytesIO(b"@article{a, title={x}}"), errors="ignore")


def test_percent_only_comments_out_a_line_it_starts():
    df = _one("@article{a, title={50% off}} @article{b, title={B}}\n  % @article{c, title={C}}\n"
              "@article{d, title={D}}")
    assert df["title"].tolist() == ["50% off", "B", "D"]


def test_many_unclosed_values_on_one_line():
    # each broken entry is listed; parsing resumes at the next '@' every time
    result = _one_result('@article{a, title="x ' * 2000 + "\n@article{ok, title={Fine}}")
    assert result.frame["title"].tolist() == ["Fine"]
    assert len(result.skipped) == 2000
    assert {s.reason for s in result.skipped} == {"unbalanced quotes: a value runs into the next entry"}
