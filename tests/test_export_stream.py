"""The corpus exports stream to their file entry by entry (issue 7): the bytes are those the
one-shot writers (whole text in a StringIO, then encoded) produced.

The expected texts below were written by litscope.export as of commit 0307209, which built
the whole file in memory before encoding it.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import litscope
from litscope.export import write_bibtex, write_csv, write_ris
from litscope.schema import to_frame

RECORDS = [
    # non-ASCII (2- to 4-byte UTF-8: the encoder's buffer boundary may fall inside a character),
    # embedded line ends, text a spreadsheet would run as a formula
    {"title": "Größe =SUM(A1) \u201cquoted\u201d\ntitle over\r\ntwo lines", "authors": ["Šimić, Ana", "=cmd|' /C calc'!A0"],
     "year": 2021, "venue": "Revue d'été", "abstract": "数据 line one\nline two,\t\"quoted\"; 50% {x}",
     "keywords": ["+formula", "naïve; Bayes", "@at"], "doi": "10.1000/é"},
    {"title": "-1+2 plain", "authors": ["@handle"], "abstract": "\r\n", "keywords": []},
]

CSV_HEADER = ("title,authors,year,venue,volume,issue,pages,isbn,issn,doi,arxiv_id,pmid,url,abstract,keywords,id,"
              "source_format,source_file,source_record,cited_by,cited_by_source,cited_by_date,references,language,"
              "document_type,affiliations,countries,funding\n")

ONE_SHOT = {
    "bib": ('@article{simic2021groe,\n  title = {Größe =SUM(A1) “quoted” title over two lines},\n'
            '  author = {Šimić, Ana and calc\'!A0, =cmd|\' /C},\n  year = {2021},\n  journal = {Revue d\'été},\n'
            '  doi = {10.1000/é},\n  abstract = {数据 line one line two, "quoted"; 50\\% \\{x\\}},\n'
            '  keywords = {+formula; naïve, Bayes; @at},\n}\n\n'
            '@misc{handle12,\n  title = {-1+2 plain},\n  author = {{@handle}},\n}\n\n'),
    "ris": ('TY  - JOUR\nTI  - Größe =SUM(A1) “quoted” title over two lines\nAU  - Šimić, Ana\n'
            'AU  - calc\'!A0, =cmd|\' /C\nPY  - 2021\nT2  - Revue d\'été\nAB  - 数据 line one line two, "quoted"; 50% {x}\n'
            'KW  - +formula\nKW  - naïve; Bayes\nKW  - @at\nDO  - 10.1000/é\nER  - \n\n'
            'TY  - GEN\nTI  - -1+2 plain\nAU  - @handle\nER  - \n\n'),
    "csv": (CSV_HEADER
            + 'Größe =SUM(A1) “quoted” title over two lines,"Šimić, Ana; calc\'!A0, =cmd|\' /C",2021,Revue d\'été,'
              ',,,,,10.1000/é,,,,"数据 line one line two, ""quoted""; 50% {x}","\'+formula; naïve, Bayes; @at",'
              'doi:10.1000/é,test,in.ris,1,,,,,,,,,\n'
              '\'-1+2 plain,\'@handle,,,,,,,,,,,,,,r-c1f3c76b28,test,in.ris,2,,,,,,,,,\n'),
}
ONE_SHOT_EMPTY = {"bib": "", "ris": "", "csv": CSV_HEADER}

WRITERS = {"bib": write_bibtex, "ris": write_ris, "csv": write_csv}


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_streamed_file_equals_one_shot_text(fmt: str, tmp_path: Path) -> None:
    df = to_frame(RECORDS, source_format="test", source_file="in.ris")
    written = WRITERS[fmt](df, tmp_path / f"out.{fmt}")
    assert written == tmp_path / f"out.{fmt}"
    assert written.read_bytes() == ONE_SHOT[fmt].encode("utf-8")
    buf = io.StringIO()
    assert WRITERS[fmt](df, buf) is None
    assert buf.getvalue() == ONE_SHOT[fmt]
    assert [p.name for p in tmp_path.iterdir()] == [f"out.{fmt}"]  # no temporary file left


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_streamed_empty_corpus(fmt: str, tmp_path: Path) -> None:
    df = to_frame(RECORDS, source_format="test", source_file="in.ris").iloc[:0]
    assert WRITERS[fmt](df, tmp_path / "empty").read_bytes() == ONE_SHOT_EMPTY[fmt].encode("utf-8")
    assert WRITERS[fmt](df, tmp_path / "empty").read_bytes() == ONE_SHOT_EMPTY[fmt].encode("utf-8")  # overwrites


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_streamed_file_equals_buffer_text_on_a_real_export(fmt: str, tmp_path: Path) -> None:
    # larger than the encoder's buffer, so the file is written in many pieces
    papers = litscope.load(Path(__file__).parent / "fixtures" / "arxiv_atom" / "q_testing_s0_m100_cfe7536492ca.atom.xml").papers
    buf = io.StringIO()
    WRITERS[fmt](papers, buf)
    data = WRITERS[fmt](papers, tmp_path / f"out.{fmt}").read_bytes()
    assert len(data) > 64 * 1024 and data == buf.getvalue().encode("utf-8")


def test_failed_stream_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.ris"
    target.write_bytes(b"old")
    df = to_frame(RECORDS, source_format="test", source_file="in.ris")
    # the second entry cannot be encoded as UTF-8, after the first was written (arrow strings cannot hold it)
    df["title"] = df["title"].astype(object).where([True, False], "lone surrogate \ud800")
    with pytest.raises(UnicodeEncodeError):
        write_ris(df, target)
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["out.ris"]
