"""The CSV/TSV reader: every fixture export, header mapping, author styles, broken rows."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import litscope
from litscope.errors import FormatDetectionError, ParameterError, RecordError
from litscope.schema import validate
from litscope.sources._io import Sample
from litscope.sources.csv import read_csv, sniff

CSV_DIR = Path(__file__).resolve().parent / "fixtures" / "csv_exports"

# (file, delimiter, records loaded, rows skipped). loaded + skipped is checked against the
# number of non-blank data rows counted by Python's csv module with the given delimiter
# (independent of the reader's sniffing and mapping). duplicate_records.csv: its last 4 rows
# hold only a DOI (no title, no abstract), as the file's own asreview tests expect.
FILES = [
    ("asreview_edge_cases/duplicate_records.csv", ";", 10, 4),
    ("asreview_edge_cases/embase.csv", ",", 6, 0),
    ("asreview_edge_cases/embase_newpage.csv", ",", 6, 0),
    ("asreview_edge_cases/generic_bad_record_id.csv", ",", 6, 0),
    ("asreview_edge_cases/generic_labels.csv", ",", 6, 0),
    ("asreview_edge_cases/generic_labels_no_abs.csv", ",", 6, 0),
    ("asreview_edge_cases/generic_labels_no_title.csv", ",", 6, 0),
    ("asreview_edge_cases/generic_partial_labels.csv", ",", 6, 0),
    ("asreview_edge_cases/generic_semicolon.csv", ";", 2, 0),
    ("asreview_edge_cases/generic_tab.tsv", "\t", 2, 0),
    ("asreview_edge_cases/missing_values.csv", ",", 4, 0),
    ("colrev_ieee_csv.csv", ",", 2, 0),
    ("colrev_pubmed_csv.csv", ",", 1, 0),
    ("colrev_springer_csv.csv", ",", 1, 0),
    ("litstudy_ieee.csv", ",", 10, 0),
    ("litstudy_retraction_watch.csv", ",", 1, 0),
    ("litstudy_scopus.csv", ",", 58, 0),
    ("litstudy_springer.csv", ",", 18, 0),
]
IDS = [f for f, *_ in FILES]


def _csv_rows(path: Path, delimiter: str) -> int:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=delimiter))
    return sum(1 for r in rows[1:] if any(c.strip() for c in r))


def test_table_lists_every_fixture():
    on_disk = {str(p.relative_to(CSV_DIR)) for p in CSV_DIR.rglob("*") if p.suffix in (".csv", ".tsv")}
    assert on_disk == set(IDS)


@pytest.mark.parametrize("name,delimiter,loaded,skipped", FILES, ids=IDS)
def test_every_fixture_loads(name, delimiter, loaded, skipped):
    path = CSV_DIR / name
    df_result = read_csv(path)
    df = df_result.frame
    validate(df)
    assert df_result.details["delimiter"] == delimiter
    assert len(df) == loaded
    assert len([s.as_dict() for s in df_result.skipped]) == skipped
    assert loaded + skipped == _csv_rows(path, delimiter)


@pytest.mark.parametrize("name,delimiter,loaded,skipped", FILES, ids=IDS)
def test_detected_and_loaded_as_csv(name, delimiter, loaded, skipped):
    assert litscope.detect_format(CSV_DIR / name) == "csv"
    df_corpus = litscope.load(CSV_DIR / name)
    df = df_corpus.papers
    assert len(df) == loaded and df["source_format"].eq("csv").all()
    assert len([s.as_dict() for s in df_corpus.skipped]) == skipped


def test_scopus_old_headers():
    df_result = read_csv(CSV_DIR / "litstudy_scopus.csv")
    df = df_result.frame
    row = df.iloc[0]
    assert row["title"] == "Scalable molecular dynamics with NAMD"
    assert row["authors"][:3] == ["Phillips, J.C.", "Braun, R.", "Wang, W."]
    assert "Kalé, L." in row["authors"]
    assert row["year"] == 2005 and row["venue"] == "Journal of Computational Chemistry"
    assert row["doi"] == "10.1002/jcc.20289"
    assert row["url"].startswith("https://www.scopus.com/inward/record.uri")
    # Author Keywords and Index Keywords are merged
    assert row["keywords"][:2] == ["Biomolecular simulation", "Molecular dynamics"]
    assert "Molecular graphics" in row["keywords"]
    assert df_result.details["columns"]["venue"] == ["Source title"]  # 'Source' (= 'Scopus') is not a venue here
    # 56 rows have one cell more than the header (unnamed 'Funding Text 2'): kept, noted
    assert len([n.as_dict() for n in df_result.notes]) == 56


def test_scopus_new_headers_prefer_full_names():
    data = ("\ufeffAuthors,Author full names,Author(s) ID,Title,Year,Source title,DOI,Link,Abstract,"
            "Author Keywords,Index Keywords,PubMed ID\r\n"
            '"Doe J.; Roe R.-M.","Doe, Jane (57000000001); Roe, Rose-Marie (57000000002)","1;2",'
            '"A title",2023,"Some Journal","10.1234/abc","https://x","An abstract.","k1; k2","k2; k3",'
            '"12345678"\r\n')
    row = read_csv(io.BytesIO(data.encode("utf-8"))).frame.iloc[0]
    assert row["authors"] == ["Doe, Jane", "Roe, Rose-Marie"]
    assert row["keywords"] == ["k1", "k2", "k3"]
    assert row["pmid"] == "12345678" and row["year"] == 2023


def test_ieee():
    df_result = read_csv(CSV_DIR / "litstudy_ieee.csv")
    df = df_result.frame
    row = df.iloc[0]
    assert row["title"].startswith("Exascale Computing Trends: Adjusting to the \"New Normal\"")
    assert row["authors"] == ["Kogge, P.", "Shalf, J."]
    assert row["venue"] == "Computing in Science & Engineering" and row["year"] == 2013
    assert row["doi"] == "10.1109/mcse.2013.95"
    assert "Computer architecture" in row["keywords"]  # from IEEE Terms
    colrev_result = read_csv(CSV_DIR / "colrev_ieee_csv.csv")
    colrev = colrev_result.frame
    assert colrev.loc[0, "authors"] == ["Rottman, Joseph", "Carmel, Erran", "Lacity, Mary"]
    assert colrev.loc[0, "venue"] == "Computer"


def test_springer_glued_authors():
    df_result = read_csv(CSV_DIR / "litstudy_springer.csv")
    df = df_result.frame
    row = df.iloc[0]
    assert row["title"] == "Graph-Based Load Balancing Model for Exascale Computing Systems"
    assert row["authors"] == ["Aliev, Araz R.", "Ismayilova, Nigar T."]
    assert row["doi"] == "10.1007/978-3-030-92127-9_33" and row["year"] == 2022
    assert read_csv(CSV_DIR / "colrev_springer_csv.csv").frame.loc[0, "authors"] == ["Smith, Andy", "Weber, Tom"]


def test_pubmed_csv():
    row = read_csv(CSV_DIR / "colrev_pubmed_csv.csv").frame.iloc[0]
    assert row["pmid"] == "11223344" and row["title"] == "Paper title"
    assert row["authors"] == ["Smith, A", "Walter, B"]
    assert row["venue"] == "Nature" and row["year"] == 2021 and row["doi"] == "10.1111/nature1111"


def test_embase():
    row = read_csv(CSV_DIR / "asreview_edge_cases/embase.csv").frame.iloc[0]
    assert row["authors"] == ["Liu, R.", "Adler, D.G."]
    assert row["venue"] == "Endoscopic Ultrasound" and row["year"] == 2014  # from 'Source'
    assert "bronchogenic duplication cyst (diagnosis, surgery)" in row["keywords"]


def test_generic_tables_agree_across_delimiters():
    frames = [read_csv(CSV_DIR / "asreview_edge_cases" / n).frame
              for n in ("generic_semicolon.csv", "generic_tab.tsv")]
    assert frames[0]["title"].tolist() == frames[1]["title"].tolist()
    row = read_csv(CSV_DIR / "asreview_edge_cases/generic_labels.csv").frame.iloc[0]
    assert row["authors"] == ["Marx, Karl", "Lindgren, Astrid"]  # a Python list literal
    assert row["keywords"] == ["Pippi", "Nordwind", "Piraten"]
    assert row["year"] == 2014  # '2014//'


def test_retraction_watch():
    row = read_csv(CSV_DIR / "litstudy_retraction_watch.csv").frame.iloc[0]
    assert row["title"] == "Reflections on Research Software" and row["authors"] == ["Bos, Patrick"]
    assert row["doi"] == "10.4242/2024/00" and row["pmid"] == ""  # OriginalPaper*; PubMed id 0 = none
    assert row["year"] == 2024


def test_columns_override():
    data = b"My Title,Summary,Who\nA paper,Text,Doe J.\n"
    with pytest.raises(FormatDetectionError, match="columns="):
        read_csv(io.BytesIO(data))
    df_result = read_csv(io.BytesIO(data), columns={"My Title": "title", "Summary": "abstract", "Who": "authors"})
    df = df_result.frame
    assert df.loc[0, ["title", "abstract"]].tolist() == ["A paper", "Text"]
    assert df.loc[0, "authors"] == ["Doe, J."]
    with pytest.raises(ParameterError):
        read_csv(io.BytesIO(data), columns={"My Title": "headline"})
    with pytest.raises(ParameterError):
        read_csv(io.BytesIO(data), columns={"Nope": "title"})


def test_quoted_multiline_fields_bom_crlf_and_line_numbers(tmp_path):
    text = ('\ufefftitle,abstract,year\r\n"First","line one\r\nline two",2020\r\n'
            ',,\r\n"","",2021\r\n"Third","x",2022\r\n')
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    df_result = read_csv(path)
    df = df_result.frame
    assert df["title"].tolist() == ["First", "Third"]
    assert df.loc[0, "abstract"] == "line one line two"
    [bad] = [s.as_dict() for s in df_result.skipped]
    assert (bad["record"], bad["line"]) == (2, 5)  # the empty row (line 4) is not a record
    assert df["source_record"].tolist() == [1, 3]
    with pytest.raises(RecordError) as info:
        read_csv(path, errors="raise")
    assert info.value.file == str(path) and info.value.record == 2 and info.value.line == 5


def test_partly_broken_file_via_load(tmp_path):
    path = tmp_path / "refs.csv"
    path.write_text('Title,Abstract,Year\nGood one,abc,2020\n,,2021\n"Good two",def,2022\n"Unclosed,ghi,2023\n',
                    encoding="utf-8")
    df_corpus = litscope.load(path)
    df = df_corpus.papers
    assert df["title"].tolist()[:2] == ["Good one", "Good two"]
    assert [s["record"] for s in [s.as_dict() for s in df_corpus.skipped]] == [2]


def test_sniff_claims_only_tables_with_title_or_abstract():
    def score(text: str) -> float:
        return sniff(Sample.from_bytes("x", text.encode()))
    assert 0.7 <= score("Title,Authors,Year,DOI\nA,B,2020,10.1/x\n") <= 0.9
    assert score("name,value\na,1\n") == 0.0
    assert score("Title\n\nAn abstract paragraph, with commas, that is long.\n") == 0.0
    assert score("TY  - JOUR\nTI  - A title\nER  - \n") == 0.0
    assert score("PT\tAU\tTI\tSO\tUT\nJ\tDoe\tT\tS\tW\n") == 0.0  # WoS tab codes are not claimed


def test_empty_and_header_only():
    assert len(read_csv(io.BytesIO(b""))) == 0
    df_result = read_csv(io.BytesIO(b"title,abstract\n"))
    df = df_result.frame
    assert len(df) == 0 and [s.as_dict() for s in df_result.skipped] == []


def test_excel_sep_hint_and_leading_blank_lines():
    df_result = read_csv(io.BytesIO(b"sep=;\r\nTitle;Year\r\nA, with comma;2020\r\n;2021\r\n"))
    df = df_result.frame
    assert df["title"].tolist() == ["A, with comma"] and df_result.details["delimiter"] == ";"
    assert [s.as_dict() for s in df_result.skipped][0]["line"] == 4
    assert litscope.detect_format(io.BytesIO(b"sep=;\nTitle;Year\nA;2020\n")) == "csv"
    df_result = read_csv(io.BytesIO(b"\n\nTitle,Abstract\nA,B\n"))
    df = df_result.frame
    assert df["title"].tolist() == ["A"]
    with pytest.raises(ParameterError):
        read_csv(io.BytesIO(b"Title\nA\n"), delimiter="::")
